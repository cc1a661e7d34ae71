"""Personas for every role, and the working-day calendar loaded once per test database."""

import functools
from dataclasses import dataclass

import pytest
from django.db.models.signals import post_migrate

from workdays.calendar import reset_cache

from . import factories as f


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_calendar()
    # A transactional test (live_server too) ends with a flush, which empties every table and
    # sends post_migrate per app while the database is still open: that is when the rows the
    # data migrations made (roles, categories, policies, schedules) and the calendar come back.
    post_migrate.connect(_reseed_after_flush, dispatch_uid="tests_reseed_after_flush")
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


def _end_other_sessions():
    """Before the test database is dropped, end the sessions other processes left on it.

    A worker or a second process a test started has exited by now, but on PostgreSQL its backend
    can outlive it for a moment, and DROP DATABASE then fails ("being accessed by other users").
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                           " WHERE datname = current_database() AND pid <> pg_backend_pid()")


def _reseed_after_flush(sender, **kwargs):
    from django.apps import apps

    for code in _data_migrations().get(sender.label, ()):
        code(apps, None)  # our data migrations use only apps.get_model(...).objects
    if sender.name == "workdays":
        _load_calendar()


@functools.cache
def _data_migrations():
    """{app label: [RunPython forward functions, in migration order]} for our own apps."""
    from django.db import migrations
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {"accounts", "workdays", "notifications", "enterprises", "commissioners", "approvals", "portal",
            "dashboard"}
    found = {}
    for app_label, name in sorted(loader.disk_migrations):
        if app_label not in ours:
            continue
        for operation in loader.disk_migrations[app_label, name].operations:
            if isinstance(operation, migrations.RunPython):
                found.setdefault(app_label, []).append(operation.code)
    return found


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that end with a flush run last (pytest-playwright reorders live_server tests)."""

    def flushes(item):
        marker = item.get_closest_marker("django_db")
        fixtures = set(getattr(item, "fixturenames", ()))
        return bool({"transactional_db", "live_server"} & fixtures) or bool(
            marker and marker.kwargs.get("transaction")
        )

    items.sort(key=flushes)


def _load_calendar():
    import datetime as dt

    from workdays.models import CalendarDay
    from workdays.services import calendar_sync

    if not CalendarDay.objects.exists():
        calendar_sync(today=dt.date(2026, 11, 28))
    reset_cache()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site language: a request with the English cookie in an earlier
    test leaves English active in this thread (LocaleMiddleware activates a language and nothing
    deactivates it), and most tests assert the Chinese text."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _calendar_per_test(request):
    """Each test starts with a fresh in-memory calendar (a flushed database gets it back above)."""
    reset_cache()
    yield
    reset_cache()


@dataclass
class Personas:
    """One person per role (healthchecks' alice/bob/charlie, zulip's hamlet).

    alice works for enterprise A, bob for enterprise B. carol is A's commissioner in gary's
    group; dave is B's commissioner in grace's group. betty is at the bureau, wendy in the
    administrative-approval working group headed by leo, who is paired with A. adam approves,
    root administers.
    """

    enterprise_a: object
    enterprise_b: object
    alice: object
    bob: object
    carol: object
    dave: object
    gary: object
    grace: object
    betty: object
    wendy: object
    adam: object
    leo: object
    root: object
    working_group: object
    leader: object

    def all_users(self):
        return {name: getattr(self, name) for name in
                ("alice", "bob", "carol", "dave", "gary", "grace", "betty", "wendy", "adam", "leo", "root")}


@pytest.fixture
def personas(db):
    industry = f.IndustryFactory(name="新材料")
    enterprise_a = f.EnterpriseFactory(name="甲新材料有限公司", industry=industry, is_leading=True)
    enterprise_b = f.EnterpriseFactory(name="乙电子信息有限公司", industry=f.IndustryFactory(name="电子信息"))
    alice = f.EnterpriseMemberFactory(enterprise=enterprise_a, user__username="alice").user
    bob = f.EnterpriseMemberFactory(enterprise=enterprise_b, user__username="bob").user
    gary = f.UserFactory(username="gary", roles=["group_leader"])
    grace = f.UserFactory(username="grace", roles=["group_leader"])
    carol = f.CommissionerFactory(user__username="carol", group__leader=gary)
    dave = f.CommissionerFactory(user__username="dave", group__leader=grace)
    f.AssignmentFactory(commissioner=carol, enterprise=enterprise_a)
    f.AssignmentFactory(commissioner=dave, enterprise=enterprise_b)
    leo = f.LeaderFactory(user__username="leo", user__display_name="李主任")
    leo.industries.add(industry)
    leo.paired_enterprises.add(enterprise_a)
    working_group = f.WorkingGroupFactory(code="approval", name="行政审批工作组", leader=leo)
    wendy = f.UserFactory(username="wendy", roles=["working_group"])
    working_group.members.add(wendy)
    return Personas(
        enterprise_a=enterprise_a, enterprise_b=enterprise_b, alice=alice, bob=bob,
        carol=carol.user, dave=dave.user, gary=gary, grace=grace,
        betty=f.UserFactory(username="betty", roles=["bureau"]),
        wendy=wendy, adam=f.UserFactory(username="adam", roles=["approver"]),
        leo=leo.user, root=f.UserFactory(username="root", roles=["admin"], is_staff=True, is_superuser=True),
        working_group=working_group, leader=leo,
    )


# --- browser tests (Playwright driving Debian's Chromium; never `playwright install`) ----------
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    # live_server runs Django in a thread while Playwright's sync API holds an event loop.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def screenshot(page):
    """screenshot(role, name): save the page at 1366×900 and 390×844 under var/screenshots/<role>/
    (kept by CI with the run, looked at by a person; see docs/i18n.md)."""
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.BASE_DIR) / "var" / "screenshots"

    def take(role, name):
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            path = folder / role / f"{name}-{width}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size({"width": 1366, "height": 900})

    return take
