"""Thin Celery tasks of the dashboard."""

from celery import shared_task
from django.utils import timezone

from .reports import last_week, report_build


@shared_task(name="dashboard.weekly_report", acks_late=True)
def weekly_report():
    """Every Monday 08:30 (Asia/Shanghai, editable in the admin): last week's report."""
    report = report_build(monday=last_week(timezone.localdate()))
    return report.week
