import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext

from .calendar import is_provisional, workdays_between
from .models import CalendarDay, DayKind


def _year_from(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404(gettext("年份无效")) from None
    # date(year - 1, 12, 31) must exist for the count below.
    if not dt.MINYEAR < year <= dt.MAXYEAR:
        raise Http404(gettext("年份超出范围"))
    return year


@login_required
def calendar_year(request):
    year = _year_from(request)
    special = (
        CalendarDay.objects.in_year(year)
        .filter(kind__in=[DayKind.HOLIDAY, DayKind.ADJUSTED_WORKDAY])
        .order_by("date")
    )
    # Counted by the same core as every deadline, so a year outside the stored range shows
    # the weekday-rule count the clocks actually use.
    workday_count = workdays_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31))
    return render(request, "workdays/year.html", {
        "year": year, "special": special, "workday_count": workday_count,
        "provisional": is_provisional(dt.date(year, 12, 31)),
        "years": [year - 1, year + 1],
    })
