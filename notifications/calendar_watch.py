"""Calendar watch: remind administrators, weekly, to load the State Council's holiday notice.

The notice for next year usually comes out in November; until it is loaded, next year's
deadlines are counted by the weekday rule and marked provisional. From 1 October (and for as
long as the current year is still provisional), every administrator gets one reminder per ISO
week. Registered as a sweep, so it runs every ten minutes and is idempotent per week.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMIN
from workdays import is_provisional

from .services import notify

WATCH_FROM = (10, 1)  # month, day


def year_to_load(today):
    """The year whose notice should be loaded now, or None."""
    if is_provisional(today):
        return today.year
    if today >= dt.date(today.year, *WATCH_FROM) and is_provisional(dt.date(today.year + 1, 1, 2)):
        return today.year + 1
    return None


def administrators():
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(is_superuser=True) | Q(groups__name=ADMIN)).distinct()


def calendar_watch(now):
    today = timezone.localdate(now)
    year = year_to_load(today)
    if year is None:
        return {"reminded": 0}
    iso_year, week, _ = today.isocalendar()
    created = notify(
        recipients=list(administrators().values_list("pk", flat=True)),
        title=f"请导入 {year} 年节假日安排",
        body=(f"{year} 年的国务院办公厅节假日安排通知尚未导入, 该年度的工作日暂按周一至周五推定, "
              f"据此计算的期限均为“暂定”。通知发布后请尽快导入, 系统将重新计算受影响的期限。"),
        link=f"{reverse('workdays:year')}?year={year}",
        key=f"calendar-watch:{year}:{iso_year}-W{week:02d}",
    )
    return {"reminded": len(created)}
