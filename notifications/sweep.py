"""The sweep: one beat task runs every domain's registered sweep, one run at a time.

Domain apps register in their AppConfig.ready():

    from notifications.sweep import register_sweep
    register_sweep("approvals.stages", sweep_stages)   # sweep_stages(now) -> {"yellow": 3, ...}

Each registered sweep runs in its own transaction: if it raises, its writes roll back, the
error is logged and recorded on the SweepRun, and the other sweeps still run. A worker killed
mid-sweep loses nothing either: the transaction rolls back and the next run redoes it.
"""

import datetime as dt
import json
import logging
import socket
import uuid
import zlib

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import SweepLock, SweepRun

log = logging.getLogger(__name__)

LOCK_NAME = "notifications.sweep"
# A row lock older than this belongs to a dead worker (renewed after each registered sweep).
LOCK_LEASE = dt.timedelta(minutes=30)
KEEP_RUNS = dt.timedelta(days=30)

_sweeps = {}


def register_sweep(name, fn):
    """Register `fn(now) -> dict of counts` under `name` (registering a name again replaces it)."""
    _sweeps[name] = fn


def registered_sweeps():
    return dict(_sweeps)


class AdvisoryLock:
    """PostgreSQL session-level advisory lock: released by us, or by the server when we die."""

    def __init__(self, name):
        self.key = zlib.crc32(name.encode())

    def acquire(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.key])
            return bool(cursor.fetchone()[0])

    def renew(self):
        pass

    def release(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [self.key])


class RowLock:
    """A lease on a SweepLock row, taken with a conditional UPDATE; it expires if we die."""

    def __init__(self, name, lease=LOCK_LEASE):
        self.name, self.lease, self.token = name, lease, uuid.uuid4().hex

    def acquire(self):
        SweepLock.objects.get_or_create(name=self.name)
        now = timezone.now()
        free = Q(expires_at__isnull=True) | Q(expires_at__lt=now)
        return bool(SweepLock.objects.filter(free, name=self.name)
                    .update(holder=self.token, expires_at=now + self.lease))

    def renew(self):
        SweepLock.objects.filter(name=self.name, holder=self.token).update(
            expires_at=timezone.now() + self.lease)

    def release(self):
        SweepLock.objects.filter(name=self.name, holder=self.token).update(holder="", expires_at=None)


def sweep_lock(name=LOCK_NAME):
    return AdvisoryLock(name) if connection.vendor == "postgresql" else RowLock(name)


def sweep_run(*, now=None):
    """Run every registered sweep; None (and nothing run) when another sweep holds the lock."""
    lock = sweep_lock()
    if not lock.acquire():
        log.info("another sweep is running; skipping this one")
        return None
    try:
        return _run_all(now or timezone.now(), lock)
    finally:
        lock.release()


def _run_all(now, lock):
    run = SweepRun.objects.create(started_at=timezone.now(), hostname=socket.gethostname()[:100])
    for name, fn in registered_sweeps().items():
        try:
            with transaction.atomic():
                run.counts[name] = _jsonable(fn(now))
        except Exception as exc:
            log.exception("sweep %s failed", name)
            run.errors[name] = f"{type(exc).__name__}: {exc}"[:2000]
        lock.renew()
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at", "counts", "errors"])
    SweepRun.objects.filter(started_at__lt=now - KEEP_RUNS).delete()
    return run


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))
