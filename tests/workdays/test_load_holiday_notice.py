"""load_holiday_notice: a year's official arrangement replaces the weekday-rule guess."""

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from workdays import add_workdays, is_provisional, is_workday, workdays_between
from workdays.hooks import (
    register_deadline_source,
    register_moved_listener,
    unregister_deadline_source,
    unregister_moved_listener,
)
from workdays.models import CalendarDay, CalendarVersion, DayKind, DaySource, NoticeLoad
from workdays.notice import NoticeError
from workdays.services import notice_load

SAMPLE = Path(__file__).resolve().parents[2] / "workdays" / "samples" / "2027_example.csv"

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("load_holiday_notice", *map(str, args), stdout=out)
    return out.getvalue()


def calendar_state():
    """Everything a load may touch: 2027's rows, the version stamp, the audit rows."""
    return (
        list(CalendarDay.objects.in_year(2027).values_list("date", "is_workday", "kind", "name", "source")),
        CalendarDay.objects.count(),
        CalendarVersion.objects.values_list("stamp", flat=True).first(),
        NoticeLoad.objects.count(),
    )


@pytest.fixture
def write_csv(tmp_path):
    def write(text, name="notice.csv"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_loading_the_notice_replaces_2027s_provisional_rows():
    assert is_provisional(dt.date(2027, 6, 1))
    assert add_workdays(dt.date(2027, 9, 30), 1) == dt.date(2027, 10, 1)

    output = run(SAMPLE)

    assert "2027 年节假日安排已导入: 法定节假日 29 天, 调休上班 5 天" in output
    assert set(CalendarDay.objects.in_year(2027).values_list("source", flat=True)) == {DaySource.NOTICE}
    assert CalendarDay.objects.in_year(2027).count() == 365
    assert not is_provisional(dt.date(2027, 6, 1))
    assert is_provisional(dt.date(2028, 1, 1))
    assert add_workdays(dt.date(2027, 9, 30), 1) == dt.date(2027, 10, 8)
    assert is_workday(dt.date(2027, 10, 9))  # an adjusted working Saturday
    assert workdays_between(dt.date(2026, 12, 31), dt.date(2027, 12, 31)) == 248
    assert NoticeLoad.objects.get().year == 2027


def test_unlisted_days_follow_the_weekday_rule_inside_the_notice_year():
    run(SAMPLE)
    day = CalendarDay.objects.get(date=dt.date(2027, 3, 6))  # an ordinary Saturday
    assert (day.kind, day.is_workday, day.source) == (DayKind.WEEKEND, False, DaySource.NOTICE)


@pytest.mark.parametrize(("text", "expected"), [
    ("2027-10-01,holiday,国庆节\n2027-02-30,holiday,春节\n", "第 2 行: 日期 “2027-02-30” 无效"),
    ("2027-10-01,day-off,国庆节\n", "第 1 行: 未知类型 “day-off”"),
    ("2027-10-01,holiday,国庆节\n2027-10-01,holiday,国庆节\n", "第 2 行: 日期 2027-10-01 与第 1 行重复"),
    ("2027-10-01,holiday,国庆节\n2028-01-01,holiday,元旦\n", "第 2 行: 日期 2028-01-01 不在 2027 年"),
    ("", "文件中没有任何日期行"),
    ("2027-10-08,adjusted_workday,国庆节调休\n", "第 1 行: 2027-10-08 是星期五, 调休上班日只能是周六或周日"),
], ids=["wrong-date", "unknown-kind", "date-twice", "two-years", "empty", "adjusted-on-weekday"])
def test_a_bad_file_is_a_clear_error_and_changes_nothing(write_csv, text, expected):
    before = calendar_state()
    with pytest.raises(CommandError) as caught:
        run(write_csv(text))
    assert "未导入任何数据" in str(caught.value)
    assert expected in str(caught.value)
    assert calendar_state() == before
    assert is_provisional(dt.date(2027, 6, 1))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        run(tmp_path / "nope.csv")


def test_dry_run_changes_nothing_but_reports_what_would_move(fake_source):
    before = calendar_state()

    output = run(SAMPLE, "--dry-run")

    assert "预演 (未写入)" in output
    assert "将变动的期限" in output
    assert "[tests.fake_stage] 测试项目 施工许可: 2027-10-05 → 2027-10-11" in output
    assert fake_source.calls == [(dt.date(2027, 1, 1), True)]
    assert calendar_state() == before
    # This process forgot the rolled-back calendar too.
    assert add_workdays(dt.date(2027, 9, 30), 1) == dt.date(2027, 10, 1)
    assert is_provisional(dt.date(2027, 6, 1))


def test_loading_calls_every_deadline_source_and_prints_what_moved(fake_source):
    output = run(SAMPLE)

    assert fake_source.calls == [(dt.date(2027, 1, 1), False)]
    assert "已变动的期限" in output
    assert "[tests.fake_stage] 测试项目 施工许可: 2027-10-05 → 2027-10-11" in output
    assert fake_source.due_on == dt.date(2027, 10, 11)
    assert NoticeLoad.objects.get().moved_deadlines >= 1


@pytest.fixture
def heard():
    calls = []
    register_moved_listener("tests.listener", lambda *, reason, moved: calls.append((reason, moved)))
    yield calls
    unregister_moved_listener("tests.listener")


def test_listeners_hear_of_the_moves_after_commit(fake_source, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run(SAMPLE)
    assert heard == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [(reason, moved)] = heard
    assert reason == "2027 年节假日安排已导入"
    assert moved["tests.fake_stage"][0].new_due_on == dt.date(2027, 10, 11)


def test_listeners_hear_nothing_of_a_dry_run(fake_source, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(SAMPLE, "--dry-run")
    assert heard == []


def test_a_failing_deadline_source_rolls_the_whole_load_back():
    def broken(*, since, dry_run):
        add_workdays(dt.date(2027, 9, 30), 1)  # counts with the new calendar, then fails
        raise RuntimeError("source down")

    register_deadline_source("tests.broken", broken)
    before = calendar_state()
    try:
        with pytest.raises(RuntimeError):
            run(SAMPLE)
    finally:
        unregister_deadline_source("tests.broken")
    assert calendar_state() == before
    assert add_workdays(dt.date(2027, 9, 30), 1) == dt.date(2027, 10, 1)


def test_sync_calendar_afterwards_does_not_overwrite_the_notice_year():
    run(SAMPLE)
    notice_rows = calendar_state()[0]
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, 0), tick=False):
        call_command("sync_calendar", stdout=io.StringIO())
    assert calendar_state()[0] == notice_rows
    assert add_workdays(dt.date(2027, 9, 30), 1) == dt.date(2027, 10, 8)


def test_a_second_load_of_the_same_year_replaces_the_first(write_csv):
    run(SAMPLE)
    output = run(write_csv("2027-10-01,holiday,国庆节\n"))
    assert "替换原有记录: 国务院办公厅通知(管理员导入) 365 天" in output
    assert CalendarDay.objects.in_year(2027).filter(kind=DayKind.HOLIDAY).count() == 1
    assert add_workdays(dt.date(2027, 9, 30), 1) == dt.date(2027, 10, 4)


def test_a_notice_two_years_ahead_fills_the_year_between_by_the_weekday_rule():
    with time_machine.travel(dt.datetime(2029, 11, 20, 12, 0), tick=False):
        result = notice_load(rows=[("2030-10-01", "holiday", "国庆节")])
    assert result.filled_years == [2029]
    assert CalendarDay.objects.in_year(2029).count() == 365
    assert is_provisional(dt.date(2029, 6, 1))
    assert not is_provisional(dt.date(2030, 6, 1))
    assert not is_workday(dt.date(2030, 10, 1))


def test_a_year_far_from_today_is_refused():
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, 0), tick=False), \
            pytest.raises(NoticeError, match="超出可导入范围"):
        notice_load(rows=[("2040-10-01", "holiday", "国庆节")])


def test_the_service_records_who_loaded_the_notice(personas):
    result = notice_load(file=SAMPLE, actor=personas.root, source_name="2027.csv")
    record = NoticeLoad.objects.get()
    assert (record.loaded_by, record.source_name, record.holidays) == (personas.root, "2027.csv", 29)
    assert record.changed_days == len(result.changed_days) == 23
