"""A real Celery worker process for integration tests, on this run's database and broker.

The worker gets the test database (a file on SQLite, test_<name> on PostgreSQL), the run's
broker (the filesystem transport under VAR_DIR, or Redis in CI's second pass) and a queue of its
own — also as its default queue (tests/sweeps/worker_settings.py), so that the tasks it queues
itself come back to it and not to another worker sharing the broker (a `make run` nearby).
"""

import contextlib
import os
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest
from celery import current_app
from django.conf import settings
from django.db import connection

CELERY = Path(settings.BASE_DIR) / ".venv" / "bin" / "celery"
DEADLINE = 60


def database_url():
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


@contextlib.contextmanager
def celery_worker(tmp_path, *, name, env=None):
    """Yield (process, log path) of a running worker; this process sends to its queue meanwhile."""
    if not CELERY.exists():
        pytest.skip(f"{CELERY} is missing")
    queue = f"{name}-{os.getpid()}"
    full_env = {
        **os.environ, "DATABASE_URL": database_url(), "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "VAR_DIR": str(settings.VAR_DIR), "CELERY_TASK_ALWAYS_EAGER": "false", "PORTAL_TESTING": "false",
        "DJANGO_SETTINGS_MODULE": "tests.sweeps.worker_settings", "PORTAL_WORKER_QUEUE": queue,
        **(env or {}),
    }
    log = tmp_path / f"{name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(CELERY), "-A", "portal", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
             "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel=INFO"],
            cwd=settings.BASE_DIR, env=full_env, stdout=out, stderr=subprocess.STDOUT,
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


def wait_for(condition, process, log, *, deadline=DEADLINE):
    """Poll the database until condition() holds; fail with the worker's log otherwise."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if condition():
            return
        if process.poll() is not None:
            break
        time.sleep(0.25)
    pytest.fail(f"the worker did not finish in {deadline} s (exit {process.poll()}):\n"
                + log.read_text()[-4000:])
