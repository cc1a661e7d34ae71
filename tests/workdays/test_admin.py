"""The calendar's admin: year and kind filters, hand edits that every process sees, notice upload."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from workdays import add_workdays, is_provisional, is_workday
from workdays.models import CalendarDay, CalendarVersion, DayKind, DaySource, NoticeLoad

SAMPLE = Path(__file__).resolve().parents[2] / "workdays" / "samples" / "2027_example.csv"
CHANGELIST = reverse("admin:workdays_calendarday_changelist")
UPLOAD = reverse("admin:workdays_calendarday_upload_notice")

pytestmark = pytest.mark.django_db


def stamp():
    return CalendarVersion.objects.values_list("stamp", flat=True).first()


def upload(client, content, *, dry_run):
    data = {"file": SimpleUploadedFile("notice.csv", content, content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(UPLOAD, data)


@pytest.fixture
def admin_client_root(client, personas):
    client.force_login(personas.root)
    return client


def test_changelist_filters_by_year_and_kind(admin_client_root):
    response = admin_client_root.get(CHANGELIST, {"year": "2026", "kind": "adjusted_workday"})
    assert response.status_code == 200
    days = list(response.context["cl"].queryset)
    assert [d.date for d in days] == [dt.date(2026, 1, 4), dt.date(2026, 2, 14), dt.date(2026, 2, 28),
                                      dt.date(2026, 5, 9), dt.date(2026, 9, 20), dt.date(2026, 10, 10)]
    body = response.content.decode()
    assert "year=2028" in body and "year=2004" in body  # every stored year is offered
    assert "导入节假日安排通知" in body


def test_editing_a_day_bumps_the_version_so_every_process_recounts(admin_client_root):
    day = dt.date(2027, 10, 1)
    assert is_workday(day)
    before = stamp()
    url = reverse("admin:workdays_calendarday_change", args=[day.isoformat()])

    response = admin_client_root.post(url, {"kind": DayKind.HOLIDAY, "name": "国庆节"})

    assert response.status_code == 302
    stored = CalendarDay.objects.get(date=day)
    assert (stored.is_workday, stored.source) == (False, DaySource.NOTICE)
    assert stamp() != before
    assert not is_workday(day)
    assert add_workdays(dt.date(2027, 9, 30), 1) == dt.date(2027, 10, 4)


def test_an_adjusted_workday_on_a_weekday_is_refused_in_the_form(admin_client_root):
    url = reverse("admin:workdays_calendarday_change", args=["2027-10-08"])
    response = admin_client_root.post(url, {"kind": DayKind.ADJUSTED_WORKDAY, "name": "x"})
    assert response.status_code == 200
    assert "调休上班日只能是周六或周日" in response.content.decode()
    assert CalendarDay.objects.get(date=dt.date(2027, 10, 8)).kind == DayKind.WORKDAY


def test_a_day_is_corrected_never_deleted(admin_client_root):
    before = stamp()
    url = reverse("admin:workdays_calendarday_delete", args=["2026-10-01"])
    assert admin_client_root.post(url, {"post": "yes"}).status_code == 403
    assert stamp() == before
    assert not is_workday(dt.date(2026, 10, 1))
    assert not is_provisional(dt.date(2026, 10, 1))


def test_editing_a_day_moves_the_deadlines_counted_across_it(admin_client_root, fake_source):
    url = reverse("admin:workdays_calendarday_change", args=["2027-10-01"])

    response = admin_client_root.post(url, {"kind": DayKind.HOLIDAY, "name": "国庆节"}, follow=True)

    assert response.redirect_chain[-1][0].endswith("?year=2027")
    assert fake_source.calls == [(dt.date(2027, 10, 1), False)]
    assert fake_source.due_on == dt.date(2027, 10, 6)  # 09-28 + 5 working days, 10-01 now off
    body = response.content.decode()
    assert "已变动的期限 1 个" in body
    assert "[tests.fake_stage] 测试项目 施工许可: 2027-10-05 → 2027-10-06" in body


def test_days_are_not_added_one_by_one(admin_client_root):
    assert admin_client_root.get(reverse("admin:workdays_calendarday_add")).status_code == 403


def test_upload_dry_run_shows_the_result_and_writes_nothing(admin_client_root):
    before = stamp()
    response = upload(admin_client_root, SAMPLE.read_bytes(), dry_run=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "预演结果" in body and "法定节假日 29 天" in body
    assert stamp() == before
    assert is_provisional(dt.date(2027, 6, 1))


def test_upload_loads_the_notice_and_reports_it(admin_client_root, personas):
    response = upload(admin_client_root, SAMPLE.read_bytes(), dry_run=False)
    assert response.status_code == 302
    assert response.url == f"{CHANGELIST}?year=2027"
    assert not is_provisional(dt.date(2027, 6, 1))
    assert NoticeLoad.objects.get().loaded_by == personas.root
    page = admin_client_root.get(response.url).content.decode()
    assert "2027 年节假日安排已导入" in page


def test_upload_of_a_bad_file_names_the_line_and_writes_nothing(admin_client_root):
    before = stamp()
    response = upload(admin_client_root, b"2027-10-01,holiday,a\n2027-10-01,holiday,b\n", dry_run=False)
    assert response.status_code == 200
    body = response.content.decode()
    assert "第 2 行: 日期 2027-10-01 与第 1 行重复" in body
    assert "未导入任何数据" in body
    assert stamp() == before


def test_upload_is_for_staff_only(client, personas):
    client.force_login(personas.alice)
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_staff_without_calendar_permission_cannot_upload(client, personas):
    personas.adam.is_staff = True
    personas.adam.save()
    client.force_login(personas.adam)
    assert client.get(UPLOAD).status_code == 403
    personas.adam.user_permissions.add(Permission.objects.get(codename="change_calendarday"))
    assert client.get(UPLOAD).status_code == 200
