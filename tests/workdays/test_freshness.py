"""Every process counts with the calendar as it is now: the version stamp, checked per request/task."""

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.signals import task_prerun
from django.core.signals import request_started
from django.db import close_old_connections, connection

from workdays import add_workdays, calendar, is_provisional
from workdays.models import CalendarDay, CalendarVersion, DayKind, DaySource, NoticeLoad
from workdays.services import calendar_sync, notice_load

BASE_DIR = Path(__file__).resolve().parents[2]
SAMPLE = BASE_DIR / "workdays" / "samples" / "2027_example.csv"
NATIONAL_DAY_EVE = dt.date(2027, 9, 30)  # a Thursday; the next working day depends on the notice


def change_in_another_process():
    """What a notice loaded elsewhere leaves in the database: new rows and a new stamp, no
    reset_cache() in this process."""
    CalendarDay.objects.filter(date__range=(dt.date(2027, 10, 1), dt.date(2027, 10, 7))).update(
        is_workday=False, kind=DayKind.HOLIDAY, name="国庆节")
    CalendarVersion.bump()


def start_request():
    """request_started as the web handler sends it, minus closing the test's connection
    (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
    finally:
        request_started.connect(close_old_connections)


@pytest.mark.django_db
class TestVersionStamp:
    def test_a_process_trusts_its_table_only_for_a_short_while(self):
        assert add_workdays(NATIONAL_DAY_EVE, 1) == dt.date(2027, 10, 1)
        change_in_another_process()
        # Inside the window the old table is still used: that is the price of not asking the
        # database on every call, and why requests and tasks force a check at their start.
        assert add_workdays(NATIONAL_DAY_EVE, 1) == dt.date(2027, 10, 1)
        calendar._trusted_until -= calendar.VERSION_CHECK_SECONDS + 1  # the window has passed
        assert add_workdays(NATIONAL_DAY_EVE, 1) == dt.date(2027, 10, 8)

    def test_each_request_checks_the_stamp(self):
        assert add_workdays(NATIONAL_DAY_EVE, 1) == dt.date(2027, 10, 1)
        change_in_another_process()
        start_request()
        assert add_workdays(NATIONAL_DAY_EVE, 1) == dt.date(2027, 10, 8)

    def test_each_celery_task_checks_the_stamp(self):
        assert add_workdays(NATIONAL_DAY_EVE, 1) == dt.date(2027, 10, 1)
        change_in_another_process()
        task_prerun.send(sender=None, task_id="t1", task=None, args=(), kwargs={})
        assert add_workdays(NATIONAL_DAY_EVE, 1) == dt.date(2027, 10, 8)

    def test_a_page_served_after_the_change_counts_with_it(self, client, personas):
        client.force_login(personas.alice)
        assert "全年工作日 261 天" in client.get("/calendar/", {"year": 2027}).content.decode()
        change_in_another_process()
        assert "全年工作日 256 天" in client.get("/calendar/", {"year": 2027}).content.decode()

    def test_the_stamp_unchanged_means_no_rebuild(self, django_assert_num_queries):
        add_workdays(NATIONAL_DAY_EVE, 1)
        calendar.mark_stale()
        with django_assert_num_queries(1):  # the stamp only, not the ~9000 rows
            add_workdays(NATIONAL_DAY_EVE, 1)


def database_url():
    """The test database as a DATABASE_URL, for a second process to open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def second_process_env():
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "portal.settings",
           "PYTHONPATH": str(BASE_DIR)}
    env.pop("PORTAL_TESTING", None)
    return env


@pytest.fixture
def shared_database(django_db_setup, django_db_blocker):
    """Committed data that a second process sees.

    Not transactional_db: its flush would empty the whole calendar for the tests after this
    one; undoing what a notice load wrote is exact and much cheaper.
    """
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            pytest.skip("SQLite test database is in memory: a second process cannot open it "
                        "(set DATABASES['default']['TEST']['NAME'] to a file)")
        yield
        CalendarDay.objects.filter(source=DaySource.NOTICE).delete()
        NoticeLoad.objects.all().delete()
        calendar_sync(today=dt.date(2026, 11, 28))  # as tests/conftest.py loads it
        calendar.reset_cache()


# The second process answers one date per line, as a web worker would: each answer is a new
# "request" that starts by checking the calendar's version stamp.
COUNTER = textwrap.dedent("""
    import datetime as dt, sys
    import django
    django.setup()
    from django.core.signals import request_started
    from workdays import add_workdays, is_provisional
    for line in sys.stdin:
        request_started.send(sender=None)
        day = dt.date.fromisoformat(line.strip())
        print(add_workdays(day, 1).isoformat(), is_provisional(day), flush=True)
""")


@pytest.fixture
def counter_process(shared_database):
    process = subprocess.Popen([sys.executable, "-c", COUNTER], cwd=BASE_DIR, env=second_process_env(),
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)

    def ask(day):
        process.stdin.write(f"{day.isoformat()}\n")
        process.stdin.flush()
        answer = process.stdout.readline().split()
        assert answer, f"second process died: {process.stderr.read()}"
        return dt.date.fromisoformat(answer[0]), answer[1] == "True"

    yield ask
    process.stdin.close()
    try:
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()


@pytest.mark.integration
def test_a_notice_loaded_here_changes_the_results_in_a_second_process(counter_process):
    assert counter_process(NATIONAL_DAY_EVE) == (dt.date(2027, 10, 1), True)

    notice_load(file=SAMPLE)

    assert counter_process(NATIONAL_DAY_EVE) == (dt.date(2027, 10, 8), False)


@pytest.mark.integration
def test_a_notice_loaded_by_the_command_in_a_second_process_changes_the_results_here(shared_database):
    assert add_workdays(NATIONAL_DAY_EVE, 1) == dt.date(2027, 10, 1)

    done = subprocess.run([sys.executable, "manage.py", "load_holiday_notice", str(SAMPLE)], cwd=BASE_DIR,
                          env=second_process_env(), capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert "2027 年节假日安排已导入" in done.stdout
    start_request()
    assert add_workdays(NATIONAL_DAY_EVE, 1) == dt.date(2027, 10, 8)
    assert not is_provisional(NATIONAL_DAY_EVE)
