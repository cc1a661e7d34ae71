"""Every to-do list reads urgent first, then escalated, red, yellow, then by deadline."""

from django.urls import reverse

from commissioners.choices import Urgency
from commissioners.services import demand_submit

from .conftest import on


def test_an_urgent_demand_heads_the_commissioners_queue(client, personas, categories):
    p = personas
    with on(2026, 10, 8):
        normal = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["legal"],
                               title="一般")
    with on(2026, 10, 9):
        urgent = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["legal"],
                               title="紧急", urgency=Urgency.URGENT)
        client.force_login(p.carol)
        page = client.get(reverse("commissioners:demand_queue")).context["page"]
    assert [demand.pk for demand in page.object_list] == [urgent.pk, normal.pk]
