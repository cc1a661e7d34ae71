import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .calendar import is_provisional
from .models import CalendarDay, DayKind


@login_required
def calendar_year(request):
    try:
        year = int(request.GET.get("year") or dt.date.today().year)
    except ValueError:
        raise Http404("年份无效") from None
    special = (
        CalendarDay.objects.in_year(year)
        .filter(kind__in=[DayKind.HOLIDAY, DayKind.ADJUSTED_WORKDAY])
        .order_by("date")
    )
    workdays = CalendarDay.objects.in_year(year).filter(is_workday=True).count()
    return render(request, "workdays/year.html", {
        "year": year, "special": special, "workday_count": workdays,
        "provisional": is_provisional(dt.date(year, 12, 31)),
        "years": [year - 1, year + 1],
    })
