"""The sentence a warning reads (the lines themselves are tested through both sweeps, tests/sweeps)."""

import datetime as dt

import pytest

from notifications.levels import describe_due

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 28)  # a Monday


@pytest.mark.parametrize(("due_on", "expected"), [
    (dt.date(2026, 9, 30), "剩余 2 个工作日, 应于 2026-09-30 前办结。"),
    (TODAY, "剩余 0 个工作日, 应于 2026-09-28 前办结。"),
    (dt.date(2026, 9, 25), "已超期 1 个工作日(应于 2026-09-25 前办结)。"),
], ids=["left", "due-today", "over"])
def test_describe_due_counts_working_days(due_on, expected):
    assert describe_due(due_on, TODAY) == expected


def test_describe_due_on_a_rest_day_past_its_due_date():
    # Due Sat 09-26, read on Sun 09-27: late, but no working day has passed since.
    late = describe_due(dt.date(2026, 9, 26), dt.date(2026, 9, 27))
    assert late == "已超过办结期限(应于 2026-09-26 前办结)。"
