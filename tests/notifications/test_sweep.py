"""The sweep runner: one at a time, every registered sweep, failures isolated and recorded."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications import sweep as sweep_module
from notifications import tasks
from notifications.levels import move_level
from notifications.models import Notification, SweepLock, SweepRun
from notifications.services import notify
from notifications.sweep import register_sweep, registered_sweeps, sweep_lock, sweep_run


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test (the apps' own sweeps are tested where they live)."""
    monkeypatch.setattr(sweep_module, "_sweeps", {})
    return sweep_module._sweeps


@pytest.fixture
def held_elsewhere(db):
    """Another worker holds the sweep lock: its own PostgreSQL session, or a live SQLite lease."""
    if connection.vendor != "postgresql":
        SweepLock.objects.update_or_create(name=sweep_module.LOCK_NAME, defaults={
            "holder": "another-worker", "expires_at": timezone.now() + dt.timedelta(minutes=10)})
        yield
        return
    holding, release = threading.Event(), threading.Event()

    def hold():
        lock = sweep_lock()
        assert lock.acquire()
        holding.set()
        release.wait(10)
        lock.release()
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    yield
    release.set()
    thread.join()


def test_every_registered_sweep_runs_and_the_run_is_recorded(db, registry):
    seen = []
    register_sweep("a", lambda now: seen.append(("a", now)) or {"yellow": 2})
    register_sweep("b", lambda now: seen.append(("b", now)) or {"red": 1})
    moment = timezone.now()
    run = sweep_run(now=moment)
    assert seen == [("a", moment), ("b", moment)]
    run.refresh_from_db()
    assert run.counts == {"a": {"yellow": 2}, "b": {"red": 1}} and run.errors == {} and run.finished_at


def test_a_failing_sweep_does_not_stop_the_others_and_its_writes_roll_back(db, registry, personas):
    def broken(now):
        notify(recipients=[personas.carol], title="写了一半", body="")
        raise RuntimeError("stage table missing")

    register_sweep("broken", broken)
    register_sweep("fine", lambda now: {"ok": 1})
    run = sweep_run()
    assert run.counts == {"fine": {"ok": 1}}
    assert run.errors == {"broken": "RuntimeError: stage table missing"}
    assert not Notification.objects.filter(title="写了一半").exists()


def test_a_second_run_while_one_is_running_returns_without_running(registry, held_elsewhere):
    ran = []
    register_sweep("a", lambda now: ran.append(now) or {})
    assert sweep_run() is None
    assert tasks.sweep.delay().get() is None
    assert ran == [] and not SweepRun.objects.exists()


def test_the_lock_is_released_after_a_run(db, registry):
    register_sweep("a", lambda now: {})
    assert sweep_run() and sweep_run()
    assert SweepRun.objects.count() == 2


@pytest.mark.skipif("connection.vendor == 'postgresql'", reason="the row lease is the SQLite lock")
def test_a_dead_workers_lease_expires(db, registry):
    SweepLock.objects.create(name=sweep_module.LOCK_NAME, holder="killed-worker",
                             expires_at=timezone.now() - dt.timedelta(seconds=1))
    register_sweep("a", lambda now: {"ok": 1})
    assert sweep_run().counts == {"a": {"ok": 1}}
    assert SweepLock.objects.get().expires_at is None


def test_the_sweep_task_reports_counts(db, registry):
    register_sweep("a", lambda now: {"red": 3})
    assert tasks.sweep.delay().get() == {"counts": {"a": {"red": 3}}, "errors": {}}


def test_the_apps_register_their_sweeps():
    assert "notifications.calendar_watch" in registered_sweeps()


def test_beat_runs_the_sweep_the_digests_and_the_retries(db):
    tasks_by_name = {t.name: t for t in PeriodicTask.objects.select_related("interval")}
    for name, minutes in [("notifications.sweep", 10), ("notifications.digests_send", 10),
                          ("notifications.deliveries_retry_pending", 5)]:
        task = tasks_by_name[name]
        assert task.task == name and task.enabled
        assert (task.interval.every, task.interval.period) == (minutes, "minutes")


def test_move_level_moves_only_rows_at_the_from_levels_and_says_which(personas):
    rows = notify(recipients=[personas.alice, personas.bob, personas.carol], title="t", body="")
    Notification.objects.filter(pk=rows[2].pk).update(level="red")
    everyone = Notification.objects.all()
    moved = move_level(queryset=everyone, field="level", to_level="yellow", from_levels=["info"])
    assert sorted(moved) == sorted([rows[0].pk, rows[1].pk])
    assert move_level(queryset=everyone, field="level", to_level="yellow", from_levels=["info"]) == []
    assert dict(everyone.values_list("pk", "level")) == {rows[0].pk: "yellow", rows[1].pk: "yellow",
                                                         rows[2].pk: "red"}


def test_move_level_sets_extra_values_in_the_same_update(personas):
    (row,) = notify(recipients=[personas.alice], title="t", body="")
    moved = move_level(queryset=Notification.objects.filter(pk=row.pk), field="level", to_level="red",
                       from_levels=["info", "yellow"], values={"title": "超期"})
    row.refresh_from_db()
    assert moved == [row.pk] and (row.level, row.title) == ("red", "超期")
