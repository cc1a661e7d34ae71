"""Fixtures for the notifications tests: a related object, pinned clocks, a webhook robot."""

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text):
    """An aware datetime in Shanghai: at("2026-11-25 10:00")."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def subject(db):
    """Something to warn about. notifications knows no domain model: any row will do."""
    return Group.objects.create(name="某审批阶段")


@pytest.fixture
def office_hours():
    """Wednesday 10:00 — nothing is held for quiet hours."""
    with time_machine.travel(at("2026-11-25 10:00"), tick=True) as traveller:
        yield traveller


class Robot:
    """A group robot on 127.0.0.1: answers each POST with the next scripted reply."""

    def __init__(self):
        self.replies, self.received = [], []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                robot.received.append(json.loads(body))
                status, delay, answer = robot.replies.pop(0) if robot.replies else (200, 0, {"errcode": 0})
                if delay:
                    time.sleep(delay)
                payload = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot/send?key=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reply(self, status=200, *, delay=0, answer=None):
        self.replies.append((status, delay, {"errcode": 0, "errmsg": "ok"} if answer is None else answer))


@pytest.fixture
def robot(settings):
    robot = Robot()
    robot.thread.start()
    settings.NOTIFY_WEBHOOK_URL = robot.url
    settings.NOTIFY_WEBHOOK_TIMEOUT = 0.5
    yield robot
    robot.server.shutdown()
    robot.server.server_close()


def _restore_migration_rows():
    """Rows the data migrations wrote, gone after a transactional test's flush."""
    import importlib

    from django.apps import apps

    for module in ("accounts.migrations.0002_roles", "portal.migrations.0002_heartbeat_schedule",
                   "notifications.migrations.0002_periodic_tasks"):
        migration = importlib.import_module(module)
        (getattr(migration, "create_roles", None) or migration.schedule)(apps, None)


@pytest.fixture(autouse=True)
def _shared_rows_present(django_db_setup, django_db_blocker):
    """Put back what a flush elsewhere removed, before this test's transaction starts.

    A transactional or live_server test flushes every table; pytest-playwright can run those in
    the middle of the db tests, and tests/conftest.py does not restore the roles, the beat
    schedules or (its teardown runs with the database blocked) the calendar.
    """
    from workdays.calendar import reset_cache
    from workdays.models import CalendarDay
    from workdays.services import calendar_sync

    with django_db_blocker.unblock():
        if not Group.objects.filter(name="leader").exists() or not _schedules_present():
            _restore_migration_rows()
        if not CalendarDay.objects.exists():
            calendar_sync(today=dt.date(2026, 11, 28))  # as tests/conftest.py loads it
            reset_cache()


def _schedules_present():
    from django_celery_beat.models import PeriodicTask

    return PeriodicTask.objects.filter(name="notifications.sweep").exists()


@pytest.fixture(scope="module")
def after_flush(django_db_blocker):
    """For modules of transactional tests: after the module, put back the migrations' rows.

    Module-scoped so that it wraps the flushes: the database stays reachable for the teardowns
    that run after transactional_db's (tests/conftest.py reloads the calendar there).
    """
    with django_db_blocker.unblock():
        yield
        _restore_migration_rows()


@pytest.fixture
def plain_users(transactional_db):
    from accounts.models import User

    return [User.objects.create_user(username=f"u{i}", email=f"u{i}@example.com") for i in range(3)]
