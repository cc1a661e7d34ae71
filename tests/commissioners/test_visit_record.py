"""Visits: recorded with the demands raised on them, in one transaction; who sees them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioners.choices import DemandStatus, Node, RaisedVia
from commissioners.models import Demand, Visit
from commissioners.services import DemandError, DemandPermissionError, visit_record

from .conftest import on
from .factories_demands import PolicyFactory


def test_visit_records_policies_and_demands_which_the_commissioner_accepts(personas, categories):
    p = personas
    policy = PolicyFactory()
    with on(2026, 9, 30):
        visit = visit_record(
            actor=p.carol, enterprise=p.enterprise_a, visited_on=dt.date(2026, 9, 30), people_met="王总",
            output_value=Decimal("12000"), employees=320, policies=[policy],
            demands=[{"category": categories["talent"], "title": "招工难", "urgency": "urgent"},
                     {"category": categories["factors"], "title": "用气价格高"}])
    assert list(visit.policies.all()) == [policy]
    demands = list(visit.demands.order_by("id"))
    assert [d.title for d in demands] == ["招工难", "用气价格高"]
    for demand in demands:
        # Accepted at once on Wed 09-30: the group leader's day is Thu 10-08, after the holiday.
        assert (demand.status, demand.raised_via, demand.raised_by, demand.current_node, demand.due_on) == (
            DemandStatus.ACCEPTED, RaisedVia.VISIT, p.carol, Node.REVIEW, dt.date(2026, 10, 8))
    assert list(demands[0].events.values_list("action", flat=True)) == ["submitted", "urgent_reported",
                                                                       "accepted"]


def test_a_bad_demand_undoes_the_whole_visit(personas, categories):
    with pytest.raises(DemandError, match="请填写诉求标题"):
        visit_record(actor=personas.carol, enterprise=personas.enterprise_a, visited_on=dt.date(2026, 9, 1),
                     demands=[{"category": categories["talent"], "title": "好的"},
                              {"category": categories["talent"], "title": "  "}])
    assert not Visit.objects.exists() and not Demand.objects.exists()


def test_only_the_enterprises_commissioner_records_a_visit(personas):
    for outsider in (personas.dave, personas.gary, personas.alice):
        with pytest.raises(DemandPermissionError):
            visit_record(actor=outsider, enterprise=personas.enterprise_a, visited_on=dt.date(2026, 9, 1))
    with on(2026, 9, 1), pytest.raises(DemandError, match="不能晚于今天"):
        visit_record(actor=personas.carol, enterprise=personas.enterprise_a, visited_on=dt.date(2026, 9, 2))


def test_visit_form_creates_the_visit_and_its_demands(client, personas, categories):
    policy = PolicyFactory()
    client.force_login(personas.carol)
    data = {"enterprise": personas.enterprise_a.pk, "visited_on": "2026-09-01", "people_met": "李经理",
            "notes": "订单增长", "employees": "150", "policies": [policy.pk],
            "demands-TOTAL_FORMS": "3", "demands-INITIAL_FORMS": "0",
            "demands-0-category": categories["land_planning"].pk, "demands-0-urgency": "normal",
            "demands-0-title": "扩建用地", "demands-1-urgency": "normal", "demands-2-urgency": "normal"}
    with on(2026, 9, 2):
        response = client.post(reverse("commissioners:visit_create"), data)
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("commissioners:visit_detail", args=[visit.pk])
    assert visit.employees == 150 and visit.demands.get().title == "扩建用地"
    body = client.get(response.url).content.decode()
    assert "扩建用地" in body and policy.title in body


def test_visit_form_offers_only_the_commissioners_own_enterprises(client, personas):
    client.force_login(personas.carol)
    form = client.get(reverse("commissioners:visit_create")).context["form"]
    assert list(form.fields["enterprise"].queryset) == [personas.enterprise_a]
