"""Counting in Chinese working days, as the law counts a period: the start day is not counted.

`add_workdays(d, n)` is the n-th working day strictly after `d`; `workdays_between(a, b)` is
the number of working days x with a < x <= b. Both are O(1) / O(log n): the stored calendar is
held in memory as a table of cumulative working-day counts per date and the list of working
days; dates outside the stored range follow the weekday rule in closed form and are
provisional. A version stamp in the database tells a process that its table is stale.
"""

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

# How long a process trusts its table without asking the database for the version stamp.
# Requests and Celery tasks force a check at their start (mark_stale), so this only bounds
# long-running loops.
VERSION_CHECK_SECONDS = 2.0


@dataclass(frozen=True)
class _Table:
    stamp: object
    first: int  # ordinal of the first stored date (0 when nothing is stored)
    cumulative: list  # cumulative[i]: working days in [first, first + i]
    working: list  # ordinals of stored working days, ascending
    provisional_from: int  # ordinals >= this are guessed (weekday rule); huge when none
    provisional_years: frozenset
    # working[k] as a date (add_workdays answers with it, no fromordinal per call)
    working_dates: list = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.working_dates is None:
            object.__setattr__(self, "working_dates", [dt.date.fromordinal(o) for o in self.working])

    @property
    def last(self):
        return self.first + len(self.cumulative) - 1

    @property
    def total(self):
        return self.cumulative[-1] if self.cumulative else 0


_lock = threading.Lock()
_state = {"table": None}
# Monotonic time until which the table is trusted without asking for the stamp (the last check +
# VERSION_CHECK_SECONDS); -inf forces the next call to check. A module global, so that the fast
# paths pay one global read and one comparison for it.
_trusted_until = float("-inf")


def _weekdays_through(ordinal):
    """Mondays-to-Fridays among ordinals 1..ordinal (ordinal 1 is Monday 0001-01-01)."""
    return (ordinal // 7) * 5 + min(ordinal % 7, 5)


def _kth_weekday(k):
    """Ordinal of the k-th Monday-to-Friday counted from ordinal 1 (k >= 1)."""
    q, r = divmod(k - 1, 5)
    return q * 7 + r + 1


def _build():
    from .models import CalendarDay, CalendarVersion

    stamp = CalendarVersion.objects.values_list("stamp", flat=True).first()
    rows = list(CalendarDay.objects.order_by("date").values_list("date", "is_workday", "source"))
    if not rows:
        return _Table(stamp, 0, [], [], 0, frozenset())
    first = rows[0][0].toordinal()
    cumulative, working, count = [], [], 0
    provisional_years = set()
    for ordinal, is_workday, provisional in _every_stored_day(rows):
        if is_workday:
            count += 1
            working.append(ordinal)
        cumulative.append(count)
        if provisional:
            provisional_years.add(dt.date.fromordinal(ordinal).year)
    known_years = [y for y in range(rows[0][0].year, rows[-1][0].year + 1) if y not in provisional_years]
    # Everything after the last year with real data is a guess, stored or not.
    provisional_from = dt.date(max(known_years) + 1, 1, 1).toordinal() if known_years else first
    return _Table(stamp, first, cumulative, working, provisional_from, frozenset(provisional_years))


def _every_stored_day(rows):
    """(ordinal, is_workday, provisional) for each date from the first stored to the last.

    Days are stored a whole year at a time and never deleted one by one, so there is no gap;
    should one appear (rows removed by hand in the database), it is counted by the weekday rule
    and makes its year provisional: counting must never crash; sync_calendar fills it again.
    """
    from .models import DaySource

    expected = rows[0][0].toordinal()
    for day, is_workday, source in rows:
        for gap in range(expected, day.toordinal()):
            yield gap, dt.date.fromordinal(gap).weekday() < 5, True
        yield day.toordinal(), is_workday, source == DaySource.RULE
        expected = day.toordinal() + 1


def _table():
    global _trusted_until
    now = time.monotonic()
    table = _state["table"]
    if table is not None and now < _trusted_until:
        return table
    from .models import CalendarVersion

    stamp = CalendarVersion.objects.values_list("stamp", flat=True).first()
    with _lock:
        if table is None or table.stamp != stamp or stamp is None:
            table = _build()
            _state["table"] = table
            _trust(table)
        _trusted_until = now + VERSION_CHECK_SECONDS
    return table


def mark_stale():
    """Make the next call check the version stamp (start of a request or a task)."""
    global _trusted_until
    _trusted_until = float("-inf")


def hold_calendar():
    """Call in the transaction of a write that stores a working-day deadline, before it locks
    its rows and counts.

    A calendar change (workdays.services) holds the version row FOR UPDATE from its start until
    it commits, and recounts every stored deadline it can move. This takes the row FOR SHARE:
    the write waits for a change in progress, a change waits for the write, and the write then
    counts with the stamp committed now. So no deadline is stored counted with a calendar that
    a committed change has replaced. Taken before any row lock, in the order the change takes
    its locks (version row, then rows), so the two cannot deadlock. On SQLite, where writers
    are serialised anyway, it only makes this process check the stamp.
    """
    from django.db import connection

    from .models import CalendarVersion

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {CalendarVersion._meta.db_table} WHERE id = 1 FOR SHARE")
    mark_stale()


def reset_cache():
    global _trusted_until
    _state["table"] = None
    _trusted_until = float("-inf")


def _count_through(table, ordinal):
    """Working days from table.first through ordinal (negative before the stored range)."""
    if not table.cumulative:
        return _weekdays_through(ordinal)
    if ordinal < table.first:
        return _weekdays_through(ordinal) - _weekdays_through(table.first - 1)
    if ordinal <= table.last:
        return table.cumulative[ordinal - table.first]
    return table.total + _weekdays_through(ordinal) - _weekdays_through(table.last)


def _kth_working_day(table, k):
    """Ordinal of the working day whose cumulative count is k."""
    if not table.cumulative:
        return _kth_weekday(k)
    if k <= 0:
        return _kth_weekday(k + _weekdays_through(table.first - 1))
    if k <= table.total:
        return table.working[k - 1]
    return _kth_weekday(k - table.total + _weekdays_through(table.last))


def _as_date(value, name):
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{name} 必须是 datetime.date, 收到 {type(value).__name__}")
    return value


def _check_count(n):
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueError(f"工作日数必须是非负整数, 收到 {n!r}")
    if n < 0:
        raise ValueError(f"工作日数不能为负数, 收到 {n}")
    return n


def is_workday(d):
    d = _as_date(d, "d")
    table = _table()
    ordinal = d.toordinal()
    if table.cumulative and table.first <= ordinal <= table.last:
        index = ordinal - table.first
        previous = table.cumulative[index - 1] if index else 0
        return table.cumulative[index] != previous
    return d.weekday() < 5


_date, _monotonic = dt.date, time.monotonic
# What the fast paths of add_workdays / workdays_between read, set with _state["table"]:
# [first ordinal, cumulative, working dates, len(cumulative), len(working)]. Their version check
# is _table()'s (one clock read and a comparison); past it, they go through _table(). A tuple,
# rebound whole, so that unpacking `_fast` gives a consistent snapshot even if another thread rebuilds it.
_fast = (0, (), (), 0, 0)


def _trust(table):
    global _fast
    _fast = (table.first, table.cumulative, table.working_dates, len(table.cumulative),
             len(table.working_dates))


def add_workdays(d, n):
    """The n-th working day strictly after d; add_workdays(d, 0) == d."""
    # The common case (a date in the stored range, n > 0, the table trusted): two list lookups.
    if type(d) is _date and type(n) is int and _monotonic() < _trusted_until:
        first, cumulative, dates, size, count = _fast
        i = d.toordinal() - first
        if 0 <= i < size and n > 0:
            k = cumulative[i] + n - 1
            if k < count:
                return dates[k]
    d, n = _as_date(d, "d"), _check_count(n)
    if n == 0:
        return d
    table = _table()
    return dt.date.fromordinal(_kth_working_day(table, _count_through(table, d.toordinal()) + n))


def workdays_between(a, b):
    """Working days x with a < x <= b; 0 when b <= a."""
    if type(a) is _date and type(b) is _date and _monotonic() < _trusted_until:  # as in add_workdays
        first, cumulative, _, size, _ = _fast
        i, j = a.toordinal() - first, b.toordinal() - first
        if i >= 0 and j < size:
            return cumulative[j] - cumulative[i] if j > i else 0
    a, b = _as_date(a, "a"), _as_date(b, "b")
    if b <= a:
        return 0
    table = _table()
    return _count_through(table, b.toordinal()) - _count_through(table, a.toordinal())


def workdays_back(d, n):
    """The latest day x with workdays_between(x, d) >= n: "n working days before d"
    (a clock due on or before x has been overdue for n working days by d)."""
    d, n = _as_date(d, "d"), _check_count(n)
    if n == 0:
        return d
    table = _table()
    first_after = _kth_working_day(table, _count_through(table, d.toordinal()) - n + 1)
    return dt.date.fromordinal(first_after - 1)


def is_provisional(d):
    """True when d lies where the calendar only guesses (weekday rule, no official notice)."""
    d = _as_date(d, "d")
    table = _table()
    if not table.cumulative:
        return True
    ordinal = d.toordinal()
    return ordinal >= table.provisional_from or ordinal < table.first or d.year in table.provisional_years
