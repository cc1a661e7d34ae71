"""sync_calendar: idempotent, shows progress, never overwrites a year loaded from a notice."""

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from workdays import is_provisional
from workdays.models import CalendarDay, CalendarVersion, DaySource
from workdays.services import calendar_sync, notice_load

SAMPLE = Path(__file__).resolve().parents[2] / "workdays" / "samples" / "2027_example.csv"
TODAY = dt.datetime(2026, 11, 28, 12, 0)

pytestmark = pytest.mark.django_db


def sync(*args):
    out = io.StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("sync_calendar", *args, stdout=out)
    return out.getvalue()


def test_a_second_run_writes_nothing():
    stamp = CalendarVersion.objects.get().stamp
    output = sync()
    assert "工作日历已同步 2004–2028 年; 本次更新 0 个年份" in output
    assert "2027, 2028 年尚无官方安排" in output
    assert CalendarVersion.objects.get().stamp == stamp  # nothing changed, nobody recounts


def test_progress_is_shown_year_by_year():
    output = sync("--verbosity", "2")
    assert "[" + "#" * 30 + "] 25/25 2028" in output
    assert " 1/25 2004" in output


def test_a_changed_package_year_is_rewritten():
    CalendarDay.objects.filter(date=dt.date(2026, 10, 1)).update(is_workday=True, kind="workday")
    output = sync()
    assert "本次更新 1 个年份 (2026)" in output
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 1)).kind == "holiday"


def test_a_rewritten_year_moves_the_deadlines_counted_across_the_changed_days(fake_source):
    # The stored calendar had 2026-10-01 and 10-08 as working days (as an older package might).
    CalendarDay.objects.filter(date__in=[dt.date(2026, 10, 1), dt.date(2026, 10, 8)]).update(
        is_workday=True, kind="workday")
    sync()
    assert fake_source.calls == [(dt.date(2026, 10, 1), False)]  # from the first changed day
    sync()
    assert fake_source.calls == [(dt.date(2026, 10, 1), False)]  # nothing changed: not called again


def test_a_notice_year_is_never_overwritten():
    notice_load(file=SAMPLE)
    before = list(CalendarDay.objects.in_year(2027).values_list("date", "kind", "source"))
    written = calendar_sync(today=dt.date(2026, 11, 28))
    assert written[2027] == 0
    assert list(CalendarDay.objects.in_year(2027).values_list("date", "kind", "source")) == before
    assert not is_provisional(dt.date(2027, 6, 1))


def test_a_new_year_extends_the_provisional_range():
    with time_machine.travel(dt.datetime(2027, 11, 28, 12, 0), tick=False):
        written = calendar_sync()
    assert written[2029] == 365
    assert set(CalendarDay.objects.in_year(2029).values_list("source", flat=True)) == {DaySource.RULE}
    assert is_provisional(dt.date(2029, 1, 1))
