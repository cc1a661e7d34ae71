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
