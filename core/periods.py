"""A reporting period from the query string: this week, month, quarter, year (the default) or a
custom range. Used by the leaders' dashboard and by the lists it links to, so a bookmarked or
shared link shows the same rows. A bad value never fails the page: it is reported and the
default is used.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PERIODS = {"week": _("本周"), "month": _("本月"), "quarter": _("本季度"), "year": _("本年"),
           "custom": _("自定义")}
DEFAULT = "year"


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date

    @property
    def label(self):
        return PERIODS[self.key]

    def params(self):
        """The query-string pairs that reproduce this period on another page."""
        if self.key == "custom":
            return {"period": "custom", "from": self.start.isoformat(), "to": self.end.isoformat()}
        return {"period": self.key}

    def previous(self):
        """The period of the same length just before this one (quarter-on-quarter, …)."""
        if self.key == "quarter":
            start = quarter_start(self.start - dt.timedelta(days=1))
            return Period(self.key, start, self.start - dt.timedelta(days=1))
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(self.key, end - length, end)


def quarter_start(day):
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def months_back(day, months):
    """The same day `months` calendar months earlier (the last day of a shorter month)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _named(key, today):
    if key == "week":
        start = today - dt.timedelta(days=today.weekday())
        return Period(key, start, start + dt.timedelta(days=6))
    if key == "month":
        start = today.replace(day=1)
        return Period(key, start, months_back(start, -1) - dt.timedelta(days=1))
    if key == "quarter":
        start = quarter_start(today)
        return Period(key, start, months_back(start, -3) - dt.timedelta(days=1))
    return Period("year", dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))


def _date(text):
    try:
        return dt.date.fromisoformat(text.strip())
    except (AttributeError, ValueError):
        return None


def parse_period(params, today):
    """(Period, [error messages]) from ?period=week|month|quarter|year|custom&from=&to=."""
    key = params.get("period") or ""
    if not key and (params.get("from") or params.get("to")):
        key = "custom"
    key = key or DEFAULT
    if key not in PERIODS:
        message = gettext("未知的统计期间「%(value)s」, 已按本年统计") % {"value": key[:20]}
        return _named(DEFAULT, today), [message]
    if key != "custom":
        return _named(key, today), []
    start, end = _date(params.get("from", "")), _date(params.get("to", ""))
    if start is None or end is None:
        return _named(DEFAULT, today), [gettext("日期格式应为 YYYY-MM-DD, 已按本年统计")]
    if end < start:
        return _named(DEFAULT, today), [gettext("结束日期早于开始日期, 已按本年统计")]
    return Period("custom", start, end), []


@dataclass(frozen=True)
class Scope:
    """A period and the five dimensions every figure of the leaders' dashboard is cut by, as plain
    values (codes and ids), so the lists a figure links to apply exactly the same restriction."""

    period: Period
    category: str = ""  # ProjectCategory.code
    industry: int | None = None  # Industry pk
    list_status: str = ""  # Enterprise.list_status
    working_group: str = ""  # WorkingGroup.code
    commissioner_group: int | None = None  # CommissionerGroup pk

    @property
    def start(self):
        return self.period.start

    @property
    def end(self):
        return self.period.end

    def params(self, **extra):
        """Query-string pairs that reproduce this scope (plus `extra`) on another page."""
        values = {**self.period.params(), "category": self.category, "industry": self.industry,
                  "list_status": self.list_status, "working_group": self.working_group,
                  "commissioner_group": self.commissioner_group, **extra}
        return {key: value for key, value in values.items() if value not in ("", None)}


def _int(text):
    text = str(text or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def parse_scope(params, today):
    """(Scope, errors) from the query string; values are checked for form only (the dashboard
    also checks that they exist)."""
    period, errors = parse_period(params, today)
    return Scope(period=period, category=str(params.get("category", ""))[:30],
                 industry=_int(params.get("industry")), list_status=str(params.get("list_status", ""))[:20],
                 working_group=str(params.get("working_group", ""))[:30],
                 commissioner_group=_int(params.get("commissioner_group"))), errors


def local_midnight(day):
    """The start of `day` in the portal's time zone (Asia/Shanghai), as an aware datetime."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def within_days(field, start, end):
    """Rows whose datetime `field` falls on a local day from `start` to `end` (what
    `__date__gte` / `__date__lte` say), as a range on the column itself: no time-zone conversion
    per row, and an index range where there is one."""
    after = local_midnight(end + dt.timedelta(days=1))
    return Q(**{f"{field}__gte": local_midnight(start), f"{field}__lt": after})
