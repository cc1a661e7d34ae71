"""The weekly report: every section of the command centre for one ISO week (Monday to Sunday), in
one workbook, stored as a Report (a report built again for the same week replaces the first) and
sent to the committee leaders: the workbook attached to an e-mail and a link in their inbox."""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import LEADER
from core.periods import Period, Scope
from notifications.services import notify

from . import overview, sections
from .export import workbook
from .models import Report

log = logging.getLogger(__name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_week(text):
    """'2026-W48' → its Monday; ValueError with a plain message otherwise."""
    try:
        year, week = text.strip().upper().split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1)
    except (ValueError, AttributeError) as exc:
        raise ValueError(f"周次应写作 YYYY-Www, 例如 2026-W48: {text!r}") from exc


def last_week(today):
    """The Monday of the week before `today`'s."""
    return today - dt.timedelta(days=today.weekday() + 7)


def report_build(*, monday, today=None, progress=None, send=True):
    """Build (or rebuild) the report of the week starting `monday`; returns the Report."""
    today = today or timezone.localdate()
    sunday = monday + dt.timedelta(days=6)
    scope = Scope(period=Period("custom", monday, sunday))
    year, week, _day = monday.isocalendar()
    label = f"{year}-W{week:02d}"
    day = min(today, sunday)
    tables = [overview.sheet(scope, day)]
    steps = len(sections.SECTIONS) + 1
    if progress:
        progress(1, steps, str(tables[0][0]))
    for index, (key, title) in enumerate(sections.SECTIONS.items(), start=2):
        tables.append((title, sections.build(key, scope, day)))
        if progress:
            progress(index, steps, str(title))
    content = workbook(tables, heading=f"护商通周报 {label}: {monday:%Y-%m-%d} 至 {sunday:%Y-%m-%d}")
    with transaction.atomic():
        report, _created = Report.objects.select_for_update().get_or_create(
            week=label, defaults={"start": monday, "end": sunday})
        if report.file:
            report.file.delete(save=False)
        report.file.save(f"hushangtong-weekly-{label}.xlsx", ContentFile(content), save=False)
        report.save()
        if send:
            transaction.on_commit(lambda: report_send(report_id=report.pk))
    return report


def _leaders():
    return get_user_model().objects.filter(groups__name=LEADER, is_active=True)


def report_send(*, report_id):
    """E-mail the workbook to the leaders and put a link in their inbox (once per week each)."""
    report = Report.objects.get(pk=report_id)
    leaders = list(_leaders())
    link = reverse("dashboard:report_file", args=[report.pk])
    notify(recipients=leaders, title=f"护商通周报 {report.week}", link=link, key=f"report:{report.week}",
           body=f"{report.start:%Y-%m-%d} 至 {report.end:%Y-%m-%d} 的周报已生成。")
    addresses = [user.email for user in leaders if user.email]
    if not addresses:
        return 0
    message = EmailMessage(subject=f"护商通周报 {report.week}", to=addresses,
                           body=f"附件为 {report.start:%Y-%m-%d} 至 {report.end:%Y-%m-%d} 的护商通周报。",
                           from_email=settings.DEFAULT_FROM_EMAIL)
    with report.file.open("rb") as handle:
        message.attach(report.file.name.rsplit("/", 1)[-1], handle.read(), XLSX)
    return message.send()
