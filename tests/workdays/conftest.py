"""The workdays tests assert on the calendar's content: make sure it is there."""

import datetime as dt

import pytest

from workdays import add_workdays
from workdays.calendar import reset_cache
from workdays.hooks import MovedDeadline, register_deadline_source, unregister_deadline_source
from workdays.models import CalendarDay
from workdays.services import calendar_sync


@pytest.fixture(autouse=True)
def _calendar_present(django_db_setup, django_db_blocker):
    # A transactional test elsewhere flushes the database, and tests/conftest.py cannot reload
    # the calendar after the flush while database access is blocked (see docs/workdays.md):
    # reload it here. Inside a test's transaction the reload is rolled back with it, so this
    # costs a reload per test until the conftest is fixed, but the results stay right.
    with django_db_blocker.unblock():
        if not CalendarDay.objects.exists():
            calendar_sync(today=dt.date(2026, 11, 28))  # as tests/conftest.py loads it
            reset_cache()


class FakeStageDeadlines:
    """A deadline source as approvals registers one: a stage accepted on 2027-09-28 with 5 days."""

    accepted_on, budget = dt.date(2027, 9, 28), 5

    def __init__(self):
        self.due_on = add_workdays(self.accepted_on, self.budget)  # stored while 2027 was a guess
        self.calls = []

    def __call__(self, *, since, dry_run):
        self.calls.append((since, dry_run))
        new = add_workdays(self.accepted_on, self.budget)  # the calendar as it is now
        if new == self.due_on:
            return []
        moved = MovedDeadline("测试项目 施工许可", self.due_on, new)
        if not dry_run:
            self.due_on = new
        return [moved]


@pytest.fixture
def fake_source():
    source = FakeStageDeadlines()
    register_deadline_source("tests.fake_stage", source)
    yield source
    unregister_deadline_source("tests.fake_stage")
