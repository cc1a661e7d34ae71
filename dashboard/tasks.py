"""Thin Celery tasks of the dashboard."""

from celery import shared_task
from django.utils import timezone

from .reports import last_week, report_build
from .summary import summary_refresh as _summary_refresh


@shared_task(name="dashboard.weekly_report", acks_late=True)
def weekly_report():
    """Every Monday 08:30 (Asia/Shanghai, editable in the admin): last week's report."""
    report = report_build(monday=last_week(timezone.localdate()))
    return report.week


@shared_task(name="dashboard.summary_refresh", acks_late=True)
def summary_refresh():
    """Every five minutes (editable in the admin): the overview's summary, rebuilt whole. Two runs
    at once take turns (a row lock), so a late or repeated run is harmless."""
    return _summary_refresh().rows
