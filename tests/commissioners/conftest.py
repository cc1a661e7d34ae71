"""Fixtures for the 护商通 procedure: categories, a second working group, dates, uploads."""

import datetime as dt
import zoneinfo
from contextlib import contextmanager

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioners.models import DemandCategory
from tests import factories as f

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = bytes.fromhex("89504E470D0A1A0A0000000D49484452") + b"\0" * 64


@contextmanager
def on(year, month, day, hour=10):
    """Freeze the clock at a Shanghai office hour of that day."""
    with time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _seeded_rows_present(django_db_setup, django_db_blocker):
    """Put back what a flush elsewhere removed, before this test's transaction starts.

    A transactional or live_server test (tests/test_browser.py) flushes every table, migration
    rows included, and may run before these tests: the calendar, the role groups and the demand
    categories and limits of migration 0003 are restored the way they were first made.
    """
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    from workdays.calendar import reset_cache
    from workdays.models import CalendarDay
    from workdays.services import calendar_sync

    with django_db_blocker.unblock():
        if not CalendarDay.objects.exists():
            calendar_sync(today=dt.date(2026, 11, 28))  # as tests/conftest.py loads it
            reset_cache()
        if not Group.objects.filter(name="leader").exists():
            importlib.import_module("accounts.migrations.0002_roles").create_roles(apps, None)
        if not DemandCategory.objects.exists():
            seed = importlib.import_module("commissioners.migrations.0003_seed_categories_and_limits").seed
            seed(apps, None)


@pytest.fixture
def categories(db):
    return {c.code: c for c in DemandCategory.objects.all()}


@pytest.fixture
def talent_group(personas):
    """A second working group, headed by lena, with member tom: for parallel and redispatch."""
    lena = f.LeaderFactory(user__username="lena", user__display_name="刘主任")
    group = f.WorkingGroupFactory(code="talent", name="人才工作组", leader=lena)
    tom = f.UserFactory(username="tom", roles=["working_group"])
    group.members.add(tom)
    group.tom = tom
    return group


def pdf(name="说明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="现场.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")
