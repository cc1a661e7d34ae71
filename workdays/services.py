"""Writes to the calendar. Each bumps the version stamp so every process recounts."""

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass, field

import chinese_calendar
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext, override

from . import hooks
from .calendar import reset_cache
from .models import WORKING_KINDS, CalendarDay, CalendarVersion, DayKind, DaySource, NoticeLoad
from .notice import NoticeError, kind_problem, read_notice

logger = logging.getLogger(__name__)

FIRST_YEAR = 2004

# chinesecalendar names holidays in English; the stored day names are Chinese (data, not UI text).
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

    Returns {year: rows written}. Idempotent: a second run writes the same rows. A year whose
    working days change (a newer chinesecalendar now covers a year that was guessed) moves the
    stored deadlines counted across it, as a notice does.
    """
    today = today or timezone.localdate()
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
            written[year] = _replace_year(year, [make(day) for day in _days(year)],
                                          reason=f"{year} 年工作日历已按 chinesecalendar 更新")
        if progress:
            progress(year, years)
    return written


def _replace_year(year, rows, *, reason):
    with _calendar_write():
        return _write_year(year, rows, reason=reason)


def _write_year(year, rows, *, reason):
    existing = {
        (d, w, k, n, s)
        for d, w, k, n, s in CalendarDay.objects.in_year(year)
        .values_list("date", "is_workday", "kind", "name", "source")
    }
    wanted = {(r.date, r.is_workday, r.kind, r.name, r.source) for r in rows}
    if existing == wanted:
        return 0
    before = {d: w for d, w, *_ in existing}
    CalendarDay.objects.in_year(year).delete()
    CalendarDay.objects.bulk_create(rows, batch_size=500)
    calendar_changed()
    changed = _changed_days(before, rows)
    if changed:
        deadlines_follow(since=changed[0], reason=reason)
    return len(rows)


def _changed_days(before, rows):
    """Dates of `rows` whose working/rest status differs from `before` ({date: is_workday});
    a date not stored before was counted by the weekday rule."""
    return [r.date for r in rows if before.get(r.date, r.date.weekday() < 5) != r.is_workday]


@contextlib.contextmanager
def _calendar_write():
    """One calendar change: a transaction that first locks the version row (one writer at a
    time, and deadline writers wait for it: calendar.hold_calendar). If it fails, this process
    forgets the counting table it built from the rolled-back rows."""
    try:
        with transaction.atomic():
            CalendarVersion.objects.select_for_update().get_or_create(id=1)
            yield
    except BaseException:
        reset_cache()
        raise


def calendar_changed():
    """Tell every process (this one at once, others by the stamp) to recount."""
    CalendarVersion.bump()
    transaction.on_commit(reset_cache)
    reset_cache()


def deadlines_follow(*, since, reason, dry_run=False):
    """After a change of the calendar from `since` on: every deadline source recounts (inside
    the caller's transaction, with the new calendar), and once that transaction commits the
    listeners hear which deadlines moved and why. Returns {source: [MovedDeadline]}.

    Labels and notifications are stored for everyone: they are written in the site language,
    not in that of the admin whose request made the change."""
    with override(settings.LANGUAGE_CODE):
        moved = hooks.recompute_deadlines(since=since, dry_run=dry_run)
    if not dry_run and any(moved.values()):
        transaction.on_commit(lambda: _tell_listeners(reason, moved))
    return moved


def _tell_listeners(reason, moved):
    with override(settings.LANGUAGE_CODE):
        hooks.deadlines_moved(reason=reason, moved=moved)


def moved_lines(moved):
    """One line per stored deadline that moved ({source: [MovedDeadline]}): label, old → new."""
    return [
        f"[{source}] {deadline.label}: {deadline.old_due_on} → {deadline.new_due_on}"
        for source, deadlines in sorted(moved.items())
        for deadline in deadlines
    ]


# --- one day corrected by hand -------------------------------------------------------------

@dataclass
class DayCorrection:
    day: CalendarDay
    status_changed: bool  # working day ↔ rest day: only then can a deadline move
    moved: dict  # {deadline source: [MovedDeadline]}

    @property
    def moved_count(self):
        return sum(len(deadlines) for deadlines in self.moved.values())

    def moved_lines(self):
        return moved_lines(self.moved)


def calendar_day_correct(*, date, kind, name="", actor=None):
    """An admin corrects one stored day (its kind and name), e.g. a notice misread.

    The day becomes official (source NOTICE), so calendar_sync never puts the package's guess
    back; if it turns a working day into a rest day or back, every deadline counted across it
    is recomputed, as for a notice. Raises NoticeError when the kind does not fit the weekday,
    CalendarDay.DoesNotExist for a day outside the stored range.
    """
    problem = kind_problem(date, kind)
    if problem:
        raise NoticeError([problem])
    with _calendar_write():
        return _correct_day(date, kind, name, actor)


def _correct_day(date, kind, name, actor):
    day = CalendarDay.objects.select_for_update().get(date=date)
    was_workday = day.is_workday
    day.kind, day.name = kind, name
    day.is_workday = kind in WORKING_KINDS
    day.source = DaySource.NOTICE
    day.save(update_fields=["kind", "name", "is_workday", "source"])
    calendar_changed()
    correction = DayCorrection(day=day, status_changed=day.is_workday != was_workday, moved={})
    if correction.status_changed:
        with override(settings.LANGUAGE_CODE):
            reason = f"工作日历 {date:%Y-%m-%d} 已更正为{day.get_kind_display()}"
        correction.moved = deadlines_follow(since=date, reason=reason)
    logger.info("calendar day %s corrected to %s by %s: %s deadlines moved", date, kind, actor,
                correction.moved_count)
    return correction


# --- loading a year's official notice -----------------------------------------------------

# A notice is published for next year; a year further out is almost surely a typo.
NOTICE_YEARS_AHEAD = 5


@dataclass
class NoticeLoadResult:
    year: int
    dry_run: bool
    holidays: list  # dates off by the notice
    adjusted_workdays: list  # weekends worked by the notice
    changed_days: list  # dates whose working/rest status differs from what was stored
    replaced_sources: dict  # {source: rows} that the notice replaced
    moved: dict = field(default_factory=dict)  # {deadline source: [MovedDeadline]}
    filled_years: list = field(default_factory=list)  # gap years stored by the weekday rule

    @property
    def moved_count(self):
        return sum(len(deadlines) for deadlines in self.moved.values())

    def summary(self):
        """Lines for the command's output and the admin's messages (in the active language;
        the command runs under the default zh-hans, so it prints Chinese)."""
        replaced = ", ".join(gettext("%(source)s %(n)s 天") % {"source": DaySource(s).label, "n": n}
                             for s, n in sorted(self.replaced_sources.items()))
        if self.dry_run:
            first = gettext("%(year)s 年节假日安排预演 (未写入): 法定节假日 %(holidays)s 天, "
                            "调休上班 %(adjusted)s 天; 替换原有记录: %(replaced)s")
        else:
            first = gettext("%(year)s 年节假日安排已导入: 法定节假日 %(holidays)s 天, "
                            "调休上班 %(adjusted)s 天; 替换原有记录: %(replaced)s")
        lines = [
            first % {"year": self.year, "holidays": len(self.holidays),
                     "adjusted": len(self.adjusted_workdays), "replaced": replaced or gettext("无")},
            self._changed_line(),
        ]
        if self.filled_years:
            lines.append(gettext("中间缺少的年份 %(years)s 按周一至周五暂定补齐")
                         % {"years": ", ".join(map(str, self.filled_years))})
        return lines

    def _changed_line(self):
        n = len(self.changed_days)
        if not self.changed_days:
            return gettext("与原日历相比工作/休息状态改变 %(n)s 天") % {"n": n}
        return gettext("与原日历相比工作/休息状态改变 %(n)s 天: %(dates)s") % {
            "n": n, "dates": ", ".join(map(str, self.changed_days))}

    def moved_lines(self):
        return moved_lines(self.moved)


def notice_load(*, file=None, rows=None, dry_run=False, actor=None, source_name=""):
    """Load one year's official arrangement from a notice file (or rows of cells).

    The listed days are stored as given and every other day of the year by the weekday rule,
    all with source NOTICE so calendar_sync never overwrites them; then every registered
    deadline source recomputes. One transaction: a bad file or a failing source leaves the
    calendar as it was. A dry run does everything, then rolls back, so the recompute sees the
    new calendar and reports what would move.
    """
    year, notice_rows = read_notice(file=file, rows=rows)
    _check_notice_year(year)
    try:
        with _calendar_write():
            result = _apply_notice(year, notice_rows, dry_run=dry_run, actor=actor, source_name=source_name)
            if dry_run:
                transaction.set_rollback(True)
    finally:
        # The recompute built this process's table from rows that a dry run rolled back: forget
        # it (after a commit, calendar_changed's on_commit forgets it anyway).
        reset_cache()
    return result


def _check_notice_year(year):
    last = timezone.localdate().year + NOTICE_YEARS_AHEAD
    if not FIRST_YEAR <= year <= last:
        raise NoticeError([gettext("年份 %(year)s 超出可导入范围 %(first)s–%(last)s")
                           % {"year": year, "first": FIRST_YEAR, "last": last}])


def _apply_notice(year, notice_rows, *, dry_run, actor, source_name):
    filled = _fill_gap_years(year)
    before = dict(CalendarDay.objects.in_year(year).values_list("date", "is_workday"))
    replaced = _source_counts(year)
    new_rows = _notice_year_rows(year, notice_rows)
    CalendarDay.objects.in_year(year).delete()
    CalendarDay.objects.bulk_create(new_rows, batch_size=500)
    calendar_changed()
    result = _result(year, new_rows, before, replaced, dry_run=dry_run, filled=filled)
    # Recounted from 1 January even if no day's status changed: a year loaded again to correct
    # it was official before, so its deadlines are not provisional and must be found by date.
    result.moved = deadlines_follow(since=dt.date(year, 1, 1), reason=f"{year} 年节假日安排已导入",
                                    dry_run=dry_run)
    _record(result, actor=actor, source_name=source_name)
    return result


def _notice_year_rows(year, notice_rows):
    listed = {row.date: row for row in notice_rows}
    rows = []
    for day in _days(year):
        row = listed.get(day)
        if row is None:
            rows.append(_rule_day(day, DaySource.NOTICE))
        else:
            rows.append(CalendarDay(date=day, is_workday=row.kind in WORKING_KINDS, kind=row.kind,
                                    name=row.name, source=DaySource.NOTICE))
    return rows


def _fill_gap_years(year):
    """Years between the stored range and `year`, stored by the weekday rule (provisional).

    The counting table needs consecutive dates; a notice two years ahead must not leave a hole.
    """
    stored = CalendarDay.objects.dates("date", "year")
    if not stored:
        return []
    first, last = stored[0].year, stored[len(stored) - 1].year
    gap = list(range(last + 1, year)) + list(range(year + 1, first))
    for gap_year in gap:
        CalendarDay.objects.bulk_create([_rule_day(day) for day in _days(gap_year)], batch_size=500)
    return gap


def _source_counts(year):
    rows = CalendarDay.objects.in_year(year).values_list("source").annotate(n=Count("date"))
    return dict(rows.order_by())


def _result(year, new_rows, before, replaced, *, dry_run, filled):
    return NoticeLoadResult(
        year=year, dry_run=dry_run, replaced_sources=replaced, filled_years=filled,
        holidays=[r.date for r in new_rows if r.kind == DayKind.HOLIDAY],
        adjusted_workdays=[r.date for r in new_rows if r.kind == DayKind.ADJUSTED_WORKDAY],
        changed_days=[r.date for r in new_rows if before.get(r.date, r.is_workday) != r.is_workday],
    )


def _record(result, *, actor, source_name):
    NoticeLoad.objects.create(
        year=result.year, loaded_by=actor if getattr(actor, "pk", None) else None,
        source_name=source_name[:200], holidays=len(result.holidays),
        adjusted_workdays=len(result.adjusted_workdays), changed_days=len(result.changed_days),
        moved_deadlines=result.moved_count,
    )
    logger.info("holiday notice %s loaded by %s (dry run: %s): %s days changed, %s deadlines moved",
                result.year, actor, result.dry_run, len(result.changed_days), result.moved_count)
