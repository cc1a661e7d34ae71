"""calendar_day_correct: one day corrected by hand, all or nothing."""

import datetime as dt

import pytest

from workdays import add_workdays, is_workday
from workdays.hooks import register_deadline_source, unregister_deadline_source
from workdays.models import CalendarDay, DayKind, DaySource
from workdays.notice import NoticeError
from workdays.services import calendar_day_correct

pytestmark = pytest.mark.django_db


def test_a_kind_that_does_not_fit_the_weekday_is_refused():
    with pytest.raises(NoticeError, match="调休上班日只能是周六或周日"):
        calendar_day_correct(date=dt.date(2026, 10, 21), kind=DayKind.ADJUSTED_WORKDAY)
    assert is_workday(dt.date(2026, 10, 21))


def test_the_corrected_day_is_official_and_counted_at_once(fake_source):
    correction = calendar_day_correct(date=dt.date(2026, 10, 21), kind=DayKind.HOLIDAY, name="临时休假")
    day = CalendarDay.objects.get(date=dt.date(2026, 10, 21))
    assert (day.is_workday, day.source, correction.status_changed) == (False, DaySource.NOTICE, True)
    assert add_workdays(dt.date(2026, 10, 20), 1) == dt.date(2026, 10, 22)
    assert fake_source.calls == [(dt.date(2026, 10, 21), False)]


def test_a_failing_deadline_source_rolls_the_correction_back_here_too():
    def broken(*, since, dry_run):
        add_workdays(dt.date(2026, 10, 20), 1)  # counts with the corrected calendar, then fails
        raise RuntimeError("source down")

    register_deadline_source("tests.broken", broken)
    try:
        with pytest.raises(RuntimeError):
            calendar_day_correct(date=dt.date(2026, 10, 21), kind=DayKind.HOLIDAY, name="临时休假")
    finally:
        unregister_deadline_source("tests.broken")
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 21)).is_workday
    # This process forgot the table it built from the rolled-back row.
    assert add_workdays(dt.date(2026, 10, 20), 1) == dt.date(2026, 10, 21)
