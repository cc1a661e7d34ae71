"""What other pages take from the procedure: the profile snippet, the timeline, the demo step."""

import datetime as dt
import random

from django.template import Context, Template

from commissioners.models import Demand, DemandEvent, Policy, Visit
from commissioners.selectors import demand_timeline_items
from commissioners.services import demand_submit, visit_record
from portal.demo import demands as demo

from .conftest import on


def _world(p, categories):
    with on(2026, 9, 30):
        demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["legal"],
                               title="合同纠纷")
        visit = visit_record(actor=p.carol, enterprise=p.enterprise_a, visited_on=dt.date(2026, 9, 28))
    return demand, visit


def test_timeline_items_are_dicts_newest_first_and_scoped(personas, categories):
    p = personas
    demand, visit = _world(p, categories)
    items = demand_timeline_items(enterprise=p.enterprise_a, user=p.carol)
    assert [(i["date"], i["kind"]) for i in items] == [(dt.date(2026, 9, 30), "demand"),
                                                        (dt.date(2026, 9, 28), "visit")]
    assert items[0]["url"] == f"/service/demands/{demand.pk}/" and "合同纠纷" in items[0]["title"]
    assert demand_timeline_items(enterprise=p.enterprise_a, user=p.dave) == []
    assert demand_timeline_items(enterprise=p.enterprise_a, user=p.bob) == []


def test_profile_snippet_tag_renders_demands_and_visits(personas, categories):
    p = personas
    _world(p, categories)
    template = Template("{% load demands_tags %}{% enterprise_demands_visits enterprise user %}")
    html = template.render(Context({"enterprise": p.enterprise_a, "user": p.gary}))
    assert "合同纠纷" in html and "2026-09-28" in html and "办理中诉求 1 件" in html
    html = template.render(Context({"enterprise": p.enterprise_a, "user": p.grace}))
    assert "合同纠纷" not in html and "暂无诉求" in html


def test_demo_step_is_deterministic_and_idempotent(personas, categories):
    def run():
        demo.step(rng=random.Random("2026:portal.demo.demands"), progress=lambda *args: None)
        return (Policy.objects.count(), Visit.objects.count(), Demand.objects.count(),
                DemandEvent.objects.count())

    first = run()
    assert first[0] == 20 and first[1] == 2 and first[2] >= 10
    assert set(Demand.objects.values_list("status", flat=True)) >= {"submitted", "accepted", "reviewed",
                                                                   "dispatched", "in_progress", "answered",
                                                                   "closed"}
    assert run() == first
