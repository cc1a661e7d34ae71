"""Provisional node deadlines move when next year's holiday notice is loaded (workdays.hooks)."""

import datetime as dt

from commissioners.models import Demand
from commissioners.services import demand_submit
from workdays.hooks import deadline_sources, recompute_deadlines
from workdays.models import CalendarDay, DayKind, DaySource
from workdays.services import calendar_changed

from .conftest import on


def test_demand_deadlines_are_a_registered_source():
    assert "commissioners.demand" in deadline_sources()


def test_provisional_due_on_is_recomputed_when_the_notice_arrives(personas, categories):
    # Submitted Thu 2026-12-31: 2027 is not published yet, so the weekday rule makes Fri
    # 2027-01-01 the first working day after it: provisional.
    with on(2026, 12, 31):
        demand = demand_submit(enterprise=personas.enterprise_a, actor=personas.alice,
                               category=categories["talent"], title="年底用工")
    assert demand.due_on == dt.date(2027, 1, 1) and demand.due_provisional

    # The notice makes New Year's Day a holiday: day 1 becomes Mon 2027-01-04.
    CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).update(
        is_workday=False, kind=DayKind.HOLIDAY, name="元旦", source=DaySource.NOTICE)
    calendar_changed()

    dry = recompute_deadlines(since=dt.date(2027, 1, 1), dry_run=True)["commissioners.demand"]
    assert [(m.old_due_on, m.new_due_on) for m in dry] == [(dt.date(2027, 1, 1), dt.date(2027, 1, 4))]
    assert Demand.objects.get().due_on == dt.date(2027, 1, 1)

    recompute_deadlines(since=dt.date(2027, 1, 1))
    assert Demand.objects.get().due_on == dt.date(2027, 1, 4)


def test_a_red_node_moved_past_today_is_green_again(personas, categories):
    from notifications.levels import WarningLevel
    from workdays.services import calendar_day_correct

    with on(2026, 11, 2):  # Monday; the accept node has one working day: due Tue 11-03
        demand = demand_submit(enterprise=personas.enterprise_a, actor=personas.alice,
                               category=categories["talent"], title="用工招聘")
    assert demand.due_on == dt.date(2026, 11, 3)
    Demand.objects.filter(pk=demand.pk).update(warning_level=WarningLevel.RED)

    with on(2026, 11, 4):
        calendar_day_correct(date=dt.date(2026, 11, 3), kind=DayKind.HOLIDAY, name="临时休假")
    demand.refresh_from_db()
    assert (demand.due_on, demand.warning_level) == (dt.date(2026, 11, 4), WarningLevel.GREEN)


def _walk(personas, categories, title, *, to, enterprise=None, raiser=None, today=dt.date(2026, 11, 2)):
    """A demand submitted on Mon 2026-11-02 and taken that day to the node `to`."""
    from commissioners.services import (
        demand_accept,
        demand_answer,
        demand_dispatch,
        demand_review,
        demand_start,
    )

    demand = demand_submit(enterprise=enterprise or personas.enterprise_a, actor=raiser or personas.alice,
                           category=categories["talent"], title=title, today=today)
    steps = ["accept", "review", "dispatch", "answer", "rate"]
    if steps.index(to) >= 1:
        demand = demand_accept(demand=demand, actor=personas.carol, today=today)
    if steps.index(to) >= 2:
        demand = demand_review(demand=demand, actor=personas.gary, today=today)
    if steps.index(to) >= 3:
        demand = demand_dispatch(demand=demand, actor=personas.betty, working_groups=[personas.working_group],
                                 today=today)
    if steps.index(to) >= 4:
        dispatch = demand.dispatches.get()
        demand_start(dispatch=dispatch, actor=personas.wendy, today=today)
        demand = demand_answer(dispatch=demand.dispatches.get(), actor=personas.wendy, answer="已办结",
                               today=today)
    return Demand.objects.get(pk=demand.pk)


def test_a_moved_node_deadline_tells_the_nodes_holder(personas, categories,
                                                      django_capture_on_commit_callbacks):
    """accept → the enterprise's commissioner, review → the commissioner's group leader, dispatch →
    the (active) bureau staff, rate → the enterprise's users. Tue 2026-11-03, the day every node
    below is due (the share on Mon 11-09), is corrected to a holiday: every deadline moves."""
    from django.contrib.auth import get_user_model

    from notifications.models import Notification
    from tests import factories as f
    from workdays.services import calendar_day_correct

    f.UserFactory(username="bert", roles=["bureau"], is_active=False)
    _walk(personas, categories, "甲待受理", to="accept")
    _walk(personas, categories, "乙待受理", to="accept",
          enterprise=personas.enterprise_b, raiser=personas.bob)
    _walk(personas, categories, "甲待审核", to="review")
    _walk(personas, categories, "甲待交办", to="dispatch")
    _walk(personas, categories, "甲待评价", to="rate")

    with django_capture_on_commit_callbacks(execute=True):
        correction = calendar_day_correct(date=dt.date(2026, 11, 3), kind=DayKind.HOLIDAY, name="临时休假")

    usernames = dict(get_user_model().objects.values_list("pk", "username"))
    told = {m.label: {usernames[pk] for pk in m.notify_user_ids}
            for m in correction.moved["commissioners.demand"]}
    assert told == {"诉求“甲待受理”": {"carol"}, "诉求“乙待受理”": {"dave"}, "诉求“甲待审核”": {"gary"},
                    "诉求“甲待交办”": {"betty"}, "诉求“甲待评价”": {"alice"}}
    assert set(Notification.objects.filter(title__startswith="期限调整").values_list(
        "recipient__username", flat=True)) == {"carol", "dave", "gary", "betty", "alice"}


def test_the_holders_are_looked_up_per_enterprise_not_per_demand(personas, categories):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commissioners.services import recompute_demand_deadlines

    for node in ("accept", "review", "dispatch"):
        _walk(personas, categories, f"{node} 1", to=node)
    CalendarDay.objects.filter(date=dt.date(2026, 11, 3)).update(is_workday=False, kind=DayKind.HOLIDAY)
    calendar_changed()
    with CaptureQueriesContext(connection) as three:
        assert len(recompute_demand_deadlines(since=dt.date(2026, 11, 3), dry_run=True)) == 3
    # Three more, counted while 11-03 is still a working day (the dry run wrote nothing).
    CalendarDay.objects.filter(date=dt.date(2026, 11, 3)).update(is_workday=True, kind=DayKind.WORKDAY)
    calendar_changed()
    for node in ("accept", "review", "dispatch"):
        _walk(personas, categories, f"{node} 2", to=node)
    CalendarDay.objects.filter(date=dt.date(2026, 11, 3)).update(is_workday=False, kind=DayKind.HOLIDAY)
    calendar_changed()
    with CaptureQueriesContext(connection) as six:
        assert len(recompute_demand_deadlines(since=dt.date(2026, 11, 3), dry_run=True)) == 6
    assert len(six) == len(three)


def test_at_the_answer_node_only_the_share_is_reported_and_the_demands_mirror_still_moves(
        personas, categories):
    from commissioners.models import DemandDispatch
    from commissioners.services import recompute_demand_deadlines

    demand = _walk(personas, categories, "甲办理中", to="answer")
    share = DemandDispatch.objects.get(demand=demand)
    assert demand.due_on == share.due_on == dt.date(2026, 11, 9)  # 5 working days: the mirror

    CalendarDay.objects.filter(date=dt.date(2026, 11, 3)).update(is_workday=False, kind=DayKind.HOLIDAY)
    calendar_changed()
    moved = recompute_demand_deadlines(since=dt.date(2026, 11, 3))

    assert [(m.label, m.old_due_on, m.new_due_on) for m in moved] == [
        ("诉求“甲办理中”(行政审批工作组)", dt.date(2026, 11, 9), dt.date(2026, 11, 10))]
    assert moved[0].notify_user_ids == (personas.wendy.pk,)
    assert Demand.objects.get(pk=demand.pk).due_on == dt.date(2026, 11, 10)  # the mirror is written
    assert DemandDispatch.objects.get(pk=share.pk).due_on == dt.date(2026, 11, 10)
