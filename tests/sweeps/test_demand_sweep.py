"""A demand's node clocks watched day by day: who hears what at each level, and 未评价.

Limits (DemandPolicy seed, normal urgency): accept / review / dispatch 1 working day with
threshold 0 (yellow on the due day), answer 5 with threshold 2, rate 3 with threshold 1.
Enterprise A's people: carol its commissioner, gary her group leader, betty the bureau, leo
its paired leader who also heads the administrative-approval group (wendy's), which the
category "approval" maps to.
"""

import pytest

from commissioners.choices import Urgency
from commissioners.models import Demand, DemandEvent
from commissioners.services.demands import (
    demand_accept,
    demand_answer_first_contact,
    demand_dispatch,
    demand_review,
    demand_submit,
)
from notifications import tasks
from notifications.models import Channel, Delivery, DeliveryStatus, Escalation
from workdays import add_workdays, workdays_between

from .conftest import D, at, clock, mailed, recipients


@pytest.fixture
def approval(seeded):
    from commissioners.models import DemandCategory

    return DemandCategory.objects.get(code="approval")


def submit(p, category, *, on="2026-09-30 10:00", urgency=Urgency.NORMAL, title="施工许可办理咨询"):
    with clock(on):
        return demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=category, title=title,
                             urgency=urgency, description="希望尽快答复。")


def _node_escalations(demand, event_action):
    event = DemandEvent.objects.filter(demand=demand, action=event_action).latest("pk")
    return {e.level: e for e in Escalation.objects.for_object(event)}


def _level(demand):
    return Demand.objects.get(pk=demand.pk).warning_level


def test_the_expected_dates_follow_the_calendar(db):
    assert add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)  # over National Day
    assert add_workdays(D(2026, 10, 9), 5) == D(2026, 10, 15)  # 10-10 (Sat, worked), 12, 13, 14, 15
    assert add_workdays(D(2026, 10, 8), 3) == D(2026, 10, 12)  # 10-09, 10-10, 10-12
    assert workdays_between(D(2026, 10, 15), D(2026, 10, 19)) == 2  # 10-16, then Mon 10-19


def test_commissioner_node_goes_yellow_red_escalated_then_the_next_node_has_its_own_clock(
        personas, approval, sweep, mailoutbox):
    p = personas
    # Submitted Wed 09-30: the accept node is due add_workdays(09-30, 1) = Thu 10-08.
    demand = submit(p, approval)
    assert demand.due_on == D(2026, 10, 8)

    with clock("2026-10-03 10:00"):  # National Day: 1 working day left > threshold 0
        sweep()
    assert _level(demand) == "green" and not Escalation.objects.exists()

    with clock("2026-10-08 10:00"):  # the due day: 0 left → yellow, the commissioner
        counts = sweep()["commissioners.demands"]
    assert counts["demand_yellow"] == 1
    levels = _node_escalations(demand, "submitted")
    assert recipients(levels["yellow"]) == {"carol"}
    assert "剩余 0 个工作日" in levels["yellow"].notifications.first().body
    assert levels["yellow"].link == f"/service/demands/{demand.pk}/"
    assert set(mailed(mailoutbox)) == {"carol"}

    with clock("2026-10-09 10:00"):  # overdue → red: carol and her group leader gary
        assert sweep()["commissioners.demands"]["demand_red"] == 1
    assert recipients(_node_escalations(demand, "submitted")["red"]) == {"carol", "gary"}

    with clock("2026-10-10 10:00"):  # adjusted working Saturday: workdays_between(10-08, 10-10) = 2
        assert sweep()["commissioners.demands"]["demand_escalated"] == 1
    escalated = _node_escalations(demand, "submitted")["escalated"]
    assert recipients(escalated) == {"leo", "carol"}  # paired leader = group leader, + commissioner
    assert _level(demand) == "escalated"

    # Mon 10-12 carol accepts: the review node (gary) is due 10-13 and starts green.
    with clock("2026-10-12 10:00"):
        demand = demand_accept(demand=demand, actor=p.carol)
        sweep()
    assert demand.due_on == D(2026, 10, 13) and _level(demand) == "green"
    with clock("2026-10-13 10:00"):
        assert sweep()["commissioners.demands"]["demand_yellow"] == 1
    assert recipients(_node_escalations(demand, "accepted")["yellow"]) == {"gary"}
    with clock("2026-10-14 10:00"):
        assert sweep()["commissioners.demands"]["demand_red"] == 1
    assert recipients(_node_escalations(demand, "accepted")["red"]) == {"gary", "betty"}


def test_working_group_node_goes_yellow_red_escalated(personas, approval, sweep):
    p = personas
    demand = submit(p, approval)
    with clock("2026-10-08 10:00"):
        demand = demand_review(demand=demand_accept(demand=demand, actor=p.carol), actor=p.gary)
    # Dispatched Fri 10-09 with 5 working days: 10-10*, 10-12, 10-13, 10-14, 10-15.
    with clock("2026-10-09 10:00"):
        demand = demand_dispatch(demand=demand, actor=p.betty, working_groups=[p.working_group])
    dispatch = demand.dispatches.get()
    assert dispatch.due_on == D(2026, 10, 15)

    with clock("2026-10-12 10:00"):  # left 10-13, 10-14, 10-15 = 3 > 2
        assert sweep()["commissioners.demands"]["dispatch_yellow"] == 0
    with clock("2026-10-13 10:00"):  # left 10-14, 10-15 = 2 → the group's members
        assert sweep()["commissioners.demands"]["dispatch_yellow"] == 1
    levels = {e.level: e for e in Escalation.objects.for_object(dispatch)}
    assert recipients(levels["yellow"]) == {"wendy"}
    with clock("2026-10-16 10:00"):  # overdue → members and the group's head, leo
        assert sweep()["commissioners.demands"]["dispatch_red"] == 1
    with clock("2026-10-19 10:00"):  # workdays_between(10-15, 10-19) = 10-16, 10-19 = 2
        assert sweep()["commissioners.demands"]["dispatch_escalated"] == 1
    levels = {e.level: e for e in Escalation.objects.for_object(dispatch)}
    assert recipients(levels["red"]) == {"wendy", "leo"}
    assert recipients(levels["escalated"]) == {"leo", "carol"}
    # The demand itself mirrors the escalation but raises nothing of its own at the answer node.
    assert _level(demand) == "escalated"
    assert not Escalation.objects.filter(level__in=["yellow", "red"]).exclude(
        object_id=dispatch.pk).exists()


def test_a_share_reopened_by_an_unsatisfied_rating_warns_again(personas, approval, sweep):
    from commissioners.choices import DispatchStatus, Rating
    from commissioners.services.demands import demand_answer, demand_rate, demand_start

    p = personas
    demand = submit(p, approval)
    with clock("2026-10-08 10:00"):
        demand = demand_review(demand=demand_accept(demand=demand, actor=p.carol), actor=p.gary)
    with clock("2026-10-09 10:00"):
        demand = demand_dispatch(demand=demand, actor=p.betty, working_groups=[p.working_group])
    first = demand.dispatches.get()
    with clock("2026-10-16 10:00"):  # first share overdue (due 10-15)
        assert sweep()["commissioners.demands"]["dispatch_red"] == 1
        demand_start(dispatch=first, actor=p.wendy)
        demand = demand_answer(dispatch=first, actor=p.wendy, answer="已答复。")
    with clock("2026-10-19 10:00"):
        demand = demand_rate(demand=demand, actor=p.alice, level=Rating.UNSATISFIED, comment="未解决")
    second = demand.dispatches.exclude(pk=first.pk).get()
    # Reopened Mon 10-19 with 5 working days: 10-20, 21, 22, 23, 26 → 10-26.
    assert (second.status, second.due_on, second.warning_level) == (DispatchStatus.IN_PROGRESS,
                                                                     D(2026, 10, 26), "green")
    with clock("2026-10-27 10:00"):  # the new share is overdue: a red of its own, sent again
        assert sweep()["commissioners.demands"]["dispatch_red"] == 1
    # No sweep ran during its yellow days, so it went straight to red.
    assert {e.level for e in Escalation.objects.for_object(second)} == {"red"}
    assert recipients(Escalation.objects.for_object(second).get(level="red")) == {"wendy", "leo"}


def test_an_unrated_demand_is_reminded_then_closes_as_unrated(personas, approval, sweep):
    p = personas
    demand = submit(p, approval)
    # Answered at first contact Thu 10-08: rate by add_workdays(10-08, 3) = Mon 10-12.
    with clock("2026-10-08 10:00"):
        demand = demand_answer_first_contact(demand=demand, actor=p.carol, answer="可通过容缺受理办理。")
    assert demand.due_on == D(2026, 10, 12)
    with clock("2026-10-10 10:00"):  # left 10-12 = 1 <= 1: the enterprise is reminded
        assert sweep()["commissioners.demands"]["demand_yellow"] == 1
    reminder = _node_escalations(demand, "answered_first_contact")["yellow"]
    assert recipients(reminder) == {"alice"}
    with clock("2026-10-12 10:00"):  # the last day to rate
        assert sweep()["commissioners.demands"]["closed_unrated"] == 0
    with clock("2026-10-13 10:00"):
        counts = sweep()["commissioners.demands"]
    demand.refresh_from_db()
    assert counts["closed_unrated"] == 1 and counts["demand_red"] == 0
    assert demand.status == "closed" and demand.rating == "unrated"
    assert demand.events.filter(action="closed_unrated", actor__isnull=True).count() == 1
    assert set(Escalation.objects.values_list("level", flat=True)) == {"yellow"}


def test_night_escalations_wait_for_the_digest_but_an_urgent_demand_goes_at_once(
        personas, approval, sweep, mailoutbox, django_capture_on_commit_callbacks):
    p = personas
    first, second = submit(p, approval, title="用电增容"), submit(p, approval, title="施工围挡审批")

    with clock("2026-10-09 22:00"):
        assert sweep()["commissioners.demands"]["demand_red"] == 2
    assert mailoutbox == []
    held = Delivery.objects.filter(channel=Channel.EMAIL, notification__escalation__level="red")
    assert set(held.values_list("status", "next_attempt_at")) == {
        (DeliveryStatus.HELD, at("2026-10-10 08:30"))}

    # The same night an urgent demand: the leaders are reached at once, quiet hours or not.
    with django_capture_on_commit_callbacks(execute=True):
        urgent = submit(p, approval, on="2026-10-09 22:05", urgency=Urgency.URGENT, title="停电停产")
    escalation = Escalation.objects.for_object(urgent).get()
    assert escalation.level == "urgent" and escalation.urgent and recipients(escalation) == {"leo"}
    assert mailed(mailoutbox) == {"leo": [f"[护商通] 重大紧急诉求: 停电停产({p.enterprise_a.name})"]}
    mailoutbox.clear()

    # 08:30 on the adjusted working Saturday: one digest each for carol and gary, two demands in it.
    with clock("2026-10-10 08:45"):
        tasks.digests_send()
    digests = mailed(mailoutbox)
    assert digests["carol"] == digests["gary"] == ["[护商通] 2 条通知汇总"]
    body = next(m.body for m in mailoutbox if "carol@example.com" in m.to)
    assert first.title in body and second.title in body
