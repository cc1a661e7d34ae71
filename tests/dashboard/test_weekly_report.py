"""The weekly report: built by the beat's task in a real Celery worker, stored once per week,
sent to the leaders (attachment and inbox link), and built by hand with build_report."""

import datetime as dt
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from dashboard import tasks
from dashboard.models import Report
from dashboard.reports import last_week, parse_week, report_build
from notifications.models import Notification
from tests.celery_worker import celery_worker, wait_for
from tests.sweeps.conftest import restore_seeds


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _sheet_rows(report, sheet):
    with report.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    return [list(row) for row in book[sheet].iter_rows(values_only=True)]


def test_the_beat_runs_it_every_monday_at_half_past_eight(db):
    task = PeriodicTask.objects.get(name="dashboard.weekly_report")
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "8", "1")
    assert str(task.crontab.timezone) == "Asia/Shanghai"


def test_weeks_are_iso_weeks(db):
    assert parse_week("2026-W48") == dt.date(2026, 11, 23)
    assert last_week(dt.date(2026, 11, 30)) == dt.date(2026, 11, 23)
    with pytest.raises(ValueError, match="YYYY-Www"):
        parse_week("week 48")


def test_built_twice_replaces_and_is_sent_to_the_leaders(personas, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    personas.leo.email = "leo@example.gov.cn"
    personas.leo.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = report_build(monday=dt.date(2026, 11, 23), today=dt.date(2026, 11, 30))
    with django_capture_on_commit_callbacks(execute=True):
        again = report_build(monday=dt.date(2026, 11, 23), today=dt.date(2026, 11, 30))
    assert Report.objects.count() == 1 and first.pk == again.pk and again.week == "2026-W48"
    assert set(load_workbook(again.file.path).sheetnames) >= {"承诺兑现", "诉求办理", "服务覆盖", "同等对待"}
    assert mailoutbox[-1].to == ["leo@example.gov.cn"] and mailoutbox[-1].attachments
    assert Notification.objects.filter(recipient=personas.leo, key="report:2026-W48").count() == 1


def test_the_command_builds_one_with_a_progress_bar(personas):
    out = StringIO()
    call_command("build_report", "--week", "2026-W47", "--no-send", stdout=out)
    assert "7/7" in out.getvalue() and "1/7 总览" in out.getvalue() and "2026-W47" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-Www"):
        call_command("build_report", "--week", "47")


def test_the_reports_page_lists_and_serves_them(client, personas):
    report = report_build(monday=dt.date(2026, 11, 23), today=dt.date(2026, 11, 30), send=False)
    client.force_login(personas.leo)
    assert "2026-W48" in client.get(reverse("dashboard:reports")).content.decode()
    response = client.get(reverse("dashboard:report_file", args=[report.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
    client.force_login(personas.alice)
    assert client.get(reverse("dashboard:report_file", args=[report.pk])).status_code == 404


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_weekly_report(personas, tmp_path, settings):
    restore_seeds()
    settings.MEDIA_ROOT = tmp_path / "media"
    with celery_worker(tmp_path, name="report-itest", env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)}) as (
            process, log):
        tasks.weekly_report.delay()
        wait_for(lambda: Report.objects.exists(), process, log)
    report = Report.objects.get()
    # The workbook holds the figures the page shows for the same week.
    from core.periods import Period, Scope
    from dashboard import sections

    week = Scope(period=Period("custom", report.start, report.end))
    rows = _sheet_rows(report, "服务覆盖")
    for table in sections.build("coverage", week, report.end)[:1]:
        for row in table.rows:
            expected = [getattr(cell, "value", cell) for cell in row]
            assert expected in [found[:len(expected)] for found in rows]
    restore_seeds()
