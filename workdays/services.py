"""Writes to the calendar. Each bumps the version stamp so every process recounts."""

import datetime as dt

import chinese_calendar
from django.db import transaction

from .calendar import reset_cache
from .models import CalendarDay, CalendarVersion, DayKind, DaySource

FIRST_YEAR = 2004

# chinesecalendar names holidays in English; the UI speaks Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def package_last_year():
    """The last year chinesecalendar covers (it raises NotImplementedError after it)."""
    return max(chinese_calendar.holidays).year


def _package_day(day):
    if day in chinese_calendar.holidays:
        name = chinese_calendar.holidays[day]
        return CalendarDay(date=day, is_workday=False, kind=DayKind.HOLIDAY,
                           name=HOLIDAY_NAMES.get(name, name), source=DaySource.PACKAGE)
    if day in chinese_calendar.workdays:
        name = chinese_calendar.workdays[day]
        return CalendarDay(date=day, is_workday=True, kind=DayKind.ADJUSTED_WORKDAY,
                           name=f"{HOLIDAY_NAMES.get(name, name)}调休", source=DaySource.PACKAGE)
    return _rule_day(day, DaySource.PACKAGE)


def _rule_day(day, source=DaySource.RULE):
    weekend = day.weekday() >= 5
    return CalendarDay(date=day, is_workday=not weekend,
                       kind=DayKind.WEEKEND if weekend else DayKind.WORKDAY, name="", source=source)


def _days(year):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


def calendar_sync(*, today=None, years_ahead=2, progress=None):
    """Load the package's years and guess the next ones; never touch rows from a notice.

    Returns {year: rows written}. Idempotent: a second run writes the same rows.
    """
    today = today or dt.date.today()
    last_known = package_last_year()
    years = list(range(FIRST_YEAR, max(last_known, today.year + years_ahead) + 1))
    official = set(CalendarDay.objects.filter(source=DaySource.NOTICE)
                   .values_list("date__year", flat=True).distinct())
    written = {}
    for year in years:
        if year in official:
            written[year] = 0
        else:
            make = _package_day if year <= last_known else _rule_day
            written[year] = _replace_year(year, [make(day) for day in _days(year)])
        if progress:
            progress(year, years)
    return written


@transaction.atomic
def _replace_year(year, rows):
    existing = {
        (d, w, k, n, s)
        for d, w, k, n, s in CalendarDay.objects.in_year(year)
        .values_list("date", "is_workday", "kind", "name", "source")
    }
    wanted = {(r.date, r.is_workday, r.kind, r.name, r.source) for r in rows}
    if existing == wanted:
        return 0
    CalendarDay.objects.in_year(year).delete()
    CalendarDay.objects.bulk_create(rows, batch_size=500)
    calendar_changed()
    return len(rows)


def calendar_changed():
    """Tell every process (this one at once, others by the stamp) to recount."""
    CalendarVersion.bump()
    transaction.on_commit(reset_cache)
    reset_cache()
