"""A real Celery worker process delivers what escalation_raise wrote, and runs the sweep.

The worker is started against this test run's database (a file on SQLite, test_<name> on
PostgreSQL) and broker (the filesystem transport, or Redis in CI's second pass), listening on
a queue of its own so that no other worker on this machine takes our messages.
"""

import os
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection

from notifications import tasks
from notifications.models import Delivery, DeliveryStatus, SweepRun
from notifications.services import escalation_raise

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("after_flush")]

CELERY = Path(settings.BASE_DIR) / ".venv" / "bin" / "celery"
DEADLINE = 60


def _database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.skip("the SQLite test database is in memory: another process cannot reach it")
        return f"sqlite:///{name}"
    if connection.vendor == "postgresql":
        auth = urllib.parse.quote(db["USER"] or "")
        if db["PASSWORD"]:
            auth += ":" + urllib.parse.quote(db["PASSWORD"])
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    pytest.skip(f"no worker set-up for {connection.vendor}")


@pytest.fixture
def worker(tmp_path, robot):
    if not CELERY.exists():
        pytest.skip(f"{CELERY} is missing")
    queue = f"itest-{os.getpid()}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_TASK_ALWAYS_EAGER": "false",
           "PORTAL_TESTING": "false", "NOTIFY_WEBHOOK_URL": robot.url, "NOTIFY_WEBHOOK_TIMEOUT": "5"}
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(CELERY), "-A", "portal", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
             "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel=INFO"],
            cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_default_queue
    conf.task_always_eager, conf.task_default_queue = False, queue
    try:
        yield process, log
    finally:
        conf.task_always_eager, conf.task_default_queue = saved
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _wait_for(condition, process, log):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            break
        time.sleep(0.25)
    pytest.fail(f"the worker did not finish in {DEADLINE} s (exit {process.poll()}):\n"
                + log.read_text()[-4000:])


def test_a_real_worker_delivers_an_escalation_and_runs_the_sweep(plain_users, robot, worker):
    process, log = worker
    subject = Group.objects.create(name="集成测试阶段")
    # Urgent, so that quiet hours (whatever the time of this run) hold nothing back.
    escalation = escalation_raise(obj=subject, level="urgent", recipients=plain_users[:2],
                                  title="重大紧急诉求", body="企业停产风险", link="/service/demands/1/")
    deliveries = Delivery.objects.filter(notification__escalation=escalation)
    assert deliveries.count() == 2 * 2 + 1  # in-app and e-mail each, one robot message

    _wait_for(lambda: not deliveries.exclude(status=DeliveryStatus.SENT).exists(), process, log)
    assert len(robot.received) == 1 and "重大紧急诉求" in robot.received[0]["markdown"]["content"]

    tasks.sweep.delay()
    _wait_for(lambda: SweepRun.objects.filter(finished_at__isnull=False).exists(), process, log)
    run = SweepRun.objects.get()
    assert "notifications.calendar_watch" in run.counts and run.errors == {}
