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


def test_the_demand_page_shows_the_route_as_steps(client, personas, categories):
    from commissioners.services import demand_accept

    p = personas
    with on(2026, 10, 8):
        demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["legal"],
                               title="合同纠纷")
        demand_accept(demand=demand, actor=p.carol)
        client.force_login(p.alice)
        body = client.get(reverse("commissioners:demand_detail", args=[demand.pk])).content.decode()
    assert 'aria-current="step"' in body
    steps = body[body.index("route-steps"):]
    assert steps.index("专员受理") < steps.index('aria-current="step"') < steps.index("小组长审核") + 200
