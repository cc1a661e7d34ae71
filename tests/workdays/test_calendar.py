"""The counting core against a plain day-by-day reference, with chinesecalendar as the oracle."""

import datetime as dt
import functools

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workdays import add_workdays, is_provisional, is_workday, workdays_back, workdays_between
from workdays.models import CalendarDay, DayKind
from workdays.services import calendar_changed

ONE_DAY = dt.timedelta(days=1)
PACKAGE_FIRST, PACKAGE_LAST = dt.date(2004, 1, 1), dt.date(2026, 12, 31)
ADJUSTED_WEEKENDS_2026 = [dt.date(2026, 1, 4), dt.date(2026, 2, 14), dt.date(2026, 2, 28),
                          dt.date(2026, 5, 9), dt.date(2026, 9, 20), dt.date(2026, 10, 10)]

# The calendar is read-only here, so one database per test (not per example) is right; no
# example database either, so a run leaves nothing behind in the checkout.
PROPERTY = settings(max_examples=2000, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

pytestmark = pytest.mark.django_db


@functools.cache
def oracle(day):
    """Is `day` a working day: chinesecalendar where it knows, the weekday rule after."""
    if day.year <= PACKAGE_LAST.year:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def reference_add(day, n):
    while n:
        day += ONE_DAY
        n -= oracle(day)
    return day


def reference_between(a, b):
    count, day = 0, a
    while day < b:
        day += ONE_DAY
        count += oracle(day)
    return count


package_dates = st.dates(min_value=PACKAGE_FIRST, max_value=PACKAGE_LAST)


@PROPERTY
@given(day=package_dates, n=st.integers(min_value=0, max_value=500))
def test_add_workdays_agrees_with_day_by_day_reference(day, n):
    assert add_workdays(day, n) == reference_add(day, n)


@PROPERTY
@given(a=package_dates, span=st.integers(min_value=-30, max_value=800))
def test_workdays_between_agrees_with_day_by_day_reference(a, span):
    b = a + dt.timedelta(days=span)
    assert workdays_between(a, b) == reference_between(a, b)


@PROPERTY
@given(day=package_dates, n=st.integers(min_value=0, max_value=40))
def test_workdays_back_is_the_latest_day_n_working_days_before(day, n):
    back = workdays_back(day, n)
    assert workdays_between(back, day) >= n
    assert back == day or workdays_between(back + ONE_DAY, day) < n


@PROPERTY
@given(day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)),
       n=st.integers(min_value=0, max_value=3000))
def test_between_undoes_add_inside_and_outside_the_stored_range(day, n):
    assert workdays_between(day, add_workdays(day, n)) == n


@PROPERTY
@given(day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_is_workday_matches_one_day_count(day):
    assert is_workday(day) == (workdays_between(day - ONE_DAY, day) == 1)


def test_every_stored_day_of_the_package_years_matches_chinesecalendar():
    stored = dict(CalendarDay.objects.filter(date__lte=PACKAGE_LAST).values_list("date", "is_workday"))
    day = PACKAGE_FIRST
    while day <= PACKAGE_LAST:
        assert stored[day] == oracle(day) == is_workday(day), day
        day += ONE_DAY


def test_every_year_total_matches_chinesecalendar():
    for year in range(2004, 2027):
        expected = len(chinese_calendar.get_workdays(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        assert workdays_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31)) == expected, year


@pytest.mark.parametrize("day", ADJUSTED_WEEKENDS_2026, ids=str)
def test_2026_adjusted_working_weekends_count_as_working_days(day):
    assert day.weekday() >= 5
    assert is_workday(day)
    assert CalendarDay.objects.get(date=day).kind == DayKind.ADJUSTED_WORKDAY
    assert workdays_between(day - ONE_DAY, day) == 1


def test_24_working_days_after_friday_2026_09_18_is_2026_10_28():
    assert add_workdays(dt.date(2026, 9, 18), 24) == dt.date(2026, 10, 28)
    assert workdays_between(dt.date(2026, 9, 18), dt.date(2026, 10, 28)) == 24


def test_2026_has_248_working_days():
    assert workdays_between(dt.date(2025, 12, 31), dt.date(2026, 12, 31)) == 248


def test_the_start_day_is_not_counted():
    friday = dt.date(2026, 3, 6)
    assert add_workdays(friday, 0) == friday
    assert add_workdays(friday, 1) == dt.date(2026, 3, 9)
    assert workdays_between(friday, friday) == 0
    assert workdays_between(dt.date(2026, 3, 9), friday) == 0


@pytest.mark.parametrize("n", [-1, 1.5, 2.0, "3", None, True])
def test_negative_or_non_integer_count_is_refused(n):
    with pytest.raises(ValueError, match="工作日数"):
        add_workdays(dt.date(2026, 3, 6), n)


def test_a_datetime_is_not_a_date():
    with pytest.raises(TypeError):
        add_workdays(dt.datetime(2026, 3, 6, 9, 0), 1)


class TestPastCoverage:
    """Years the package does not cover: the weekday rule, marked provisional."""

    def test_2026_is_official_and_2027_2028_are_provisional(self):
        assert not is_provisional(dt.date(2026, 12, 31))
        assert is_provisional(dt.date(2027, 1, 1))
        assert is_provisional(dt.date(2028, 12, 31))
        assert set(CalendarDay.objects.in_year(2027).values_list("source", flat=True)) == {"rule"}

    def test_provisional_years_follow_the_weekday_rule(self):
        # 2027-10-01 is a Friday: no National Day until the notice is loaded.
        assert is_workday(dt.date(2027, 10, 1))
        assert not is_workday(dt.date(2027, 10, 2))
        assert add_workdays(dt.date(2027, 9, 30), 1) == dt.date(2027, 10, 1)
        assert workdays_between(dt.date(2026, 12, 31), dt.date(2027, 12, 31)) == 261
        assert workdays_between(dt.date(2027, 12, 31), dt.date(2028, 12, 31)) == 260

    def test_dates_beyond_the_stored_range_do_not_crash_and_are_provisional(self):
        assert is_provisional(dt.date(2035, 6, 1))
        assert add_workdays(dt.date(2035, 1, 1), 10) == dt.date(2035, 1, 15)
        assert workdays_between(dt.date(2034, 12, 31), dt.date(2035, 12, 31)) == 261
        assert workdays_between(dt.date(2026, 12, 31), dt.date(2035, 12, 31)) == sum(
            reference_between(dt.date(y - 1, 12, 31), dt.date(y, 12, 31)) for y in range(2027, 2036)
        )

    def test_dates_before_the_stored_range_follow_the_weekday_rule(self):
        assert is_provisional(dt.date(2003, 6, 1))
        assert add_workdays(dt.date(2003, 12, 26), 3) == dt.date(2003, 12, 31)
        # Crossing into 2004 picks up New Year's Day as a holiday.
        assert add_workdays(dt.date(2003, 12, 31), 1) == dt.date(2004, 1, 2)

    def test_a_deleted_day_is_counted_by_the_weekday_rule_not_a_crash(self):
        CalendarDay.objects.filter(date=dt.date(2026, 10, 1)).delete()
        calendar_changed()
        assert is_workday(dt.date(2026, 10, 1))  # a Thursday, by the weekday rule
        assert is_provisional(dt.date(2026, 5, 1))
        assert not is_workday(dt.date(2026, 10, 2))  # still the stored holiday


@PROPERTY
@given(day=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)),
       n=st.integers(min_value=1, max_value=3000), span=st.integers(min_value=-30, max_value=3000))
def test_the_fast_paths_answer_as_the_general_formula(day, n, span):
    """add_workdays / workdays_between answer from two list lookups when the table is trusted and
    the dates are stored; everywhere (inside the range, across its ends, outside it) that is the
    answer of the cumulative-count formula."""
    from workdays import calendar

    table = calendar._table()  # loaded and trusted: the fast paths apply where the dates allow
    start = calendar._count_through(table, day.toordinal())
    assert add_workdays(day, n) == dt.date.fromordinal(calendar._kth_working_day(table, start + n))
    other = day + dt.timedelta(days=span)
    expected = max(calendar._count_through(table, other.toordinal()) - start, 0)
    assert workdays_between(day, other) == expected
