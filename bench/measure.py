"""The measurements, each beside its floor measured in the same run."""

import datetime as dt
import gc
import random
import statistics
import time
from contextlib import contextmanager

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from bench import percentile
from workdays import add_workdays, is_workday, workdays_back, workdays_between


class Statements:
    """Counts (and keeps, if asked) the statements run on the default connection."""

    def __init__(self, keep=False):
        self.count, self.keep, self.kept = 0, keep, []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if self.keep:
                self.kept.append((sql, params, time.perf_counter() - started))


@contextmanager
def counting(keep=False):
    statements = Statements(keep)
    with connection.execute_wrapper(statements):
        yield statements


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


# --- working days -----------------------------------------------------------------------------


def workdays_figures(calls=50_000, slow_calls=200, seed=3):
    """add_workdays / workdays_between µs per call vs numpy.busday_offset / busday_count (the same
    calendar as holidays, scalar calls) and vs chinese_calendar.find_workday; answers compared."""
    import chinese_calendar
    import numpy as np

    rng = random.Random(seed)
    first, last = dt.date(2016, 1, 1), dt.date(2025, 12, 31)
    span = (last - first).days
    days = [first + dt.timedelta(days=rng.randrange(span)) for _ in range(calls)]
    ns = [rng.randrange(1, 60) for _ in range(calls)]
    rest = [
        first + dt.timedelta(days=i)
        for i in range(span + 400)
        if not is_workday(first + dt.timedelta(days=i))
    ]
    calendar = np.busdaycalendar(weekmask="1111111", holidays=rest)
    ours, _ = _timed(lambda: [add_workdays(d, n) for d, n in zip(days, ns, strict=True)])
    theirs, _ = _timed(
        lambda: [
            np.busday_offset(d, n, roll="backward", busdaycal=calendar) for d, n in zip(days, ns, strict=True)
        ]
    )
    ends = [d + dt.timedelta(days=n) for d, n in zip(days, ns, strict=True)]
    between, _ = _timed(lambda: [workdays_between(a, b) for a, b in zip(days, ends, strict=True)])
    count, _ = _timed(
        lambda: [
            np.busday_count(a + dt.timedelta(days=1), b + dt.timedelta(days=1), busdaycal=calendar)
            for a, b in zip(days, ends, strict=True)
        ]
    )
    same = all(
        add_workdays(d, n) == np.busday_offset(d, n, roll="backward", busdaycal=calendar).item()
        for d, n in zip(days[:2000], ns[:2000], strict=True)
    )
    same &= all(
        workdays_between(a, b)
        == int(np.busday_count(a + dt.timedelta(days=1), b + dt.timedelta(days=1), busdaycal=calendar))
        for a, b in zip(days[:2000], ends[:2000], strict=True)
    )
    # find_workday(n, d) from a rest day counts that day's next working day as its 0th: the same
    # answer as add_workdays from a working day, so those are the days compared.
    starts = [(d, n) for d, n in zip(days, ns, strict=True) if is_workday(d)][:slow_calls]
    slow, found = _timed(lambda: [chinese_calendar.find_workday(n, d) for d, n in starts])
    same &= found == [add_workdays(d, n) for d, n in starts]
    us = 1e6
    return {
        "add_workdays_us": ours / calls * us,
        "numpy_busday_offset_us": theirs / calls * us,
        "workdays_between_us": between / calls * us,
        "numpy_busday_count_us": count / calls * us,
        "find_workday_us": slow / len(starts) * us,
        "answers_identical": bool(same),
        "vs_numpy": theirs / ours,
        "vs_find_workday": (slow / len(starts)) / (ours / calls),
    }


# --- the sweep --------------------------------------------------------------------------------


def _floor_statements(today):
    """The hand-written set-based UPDATEs that move the same rows (levels only), with the lines
    computed the same way (working days in Python, once per threshold)."""
    from approvals.models import StagePolicy

    escalate = workdays_back(today, 2)
    running = "status IN ('accepted', 'in_review') AND due_on IS NOT NULL"
    thresholds = set(StagePolicy.objects.values_list("warning_threshold_workdays", flat=True))
    yellow = " OR ".join(
        f"(p.warning_threshold_workdays = {t} AND s.due_on < '{add_workdays(today, t + 1)}')"
        for t in thresholds
    )
    demand_yellow = " OR ".join(
        f"(warning_threshold = {t} AND due_on < '{add_workdays(today, t + 1)}')" for t in range(0, 6)
    )
    return [
        f"UPDATE approvals_approvalstage s SET warning_level = 'yellow' FROM approvals_stagepolicy p "
        f"WHERE s.policy_id = p.id AND s.status IN ('accepted', 'in_review') AND s.due_on IS NOT NULL "
        f"AND s.warning_level = 'green' AND s.due_on >= '{today}' AND ({yellow})",
        f"UPDATE approvals_approvalstage SET warning_level = 'red' WHERE {running} AND due_on < '{today}' "
        f"AND warning_level IN ('green', 'yellow')",
        f"UPDATE approvals_approvalstage SET warning_level = 'escalated' WHERE {running} "
        f"AND due_on <= '{escalate}' AND warning_level = 'red'",
        # the demand's own clock runs at the accept, review, dispatch and rate nodes; at the answer
        # node the working groups' shares hold the clocks (the next statement but three)
        f"UPDATE commissioners_demand SET warning_level = 'yellow' WHERE status <> 'closed' "
        f"AND current_node IN ('accept', 'review', 'dispatch', 'rate') "
        f"AND due_on >= '{today}' AND warning_level = 'green' AND ({demand_yellow})",
        f"UPDATE commissioners_demand SET warning_level = 'red' WHERE status <> 'closed' "
        f"AND current_node IN ('accept', 'review', 'dispatch') AND due_on < '{today}' "
        f"AND warning_level IN ('green', 'yellow')",
        f"UPDATE commissioners_demand SET warning_level = 'escalated' WHERE status <> 'closed' "
        f"AND current_node IN ('accept', 'review', 'dispatch') AND due_on <= '{escalate}' "
        f"AND warning_level = 'red'",
        f"UPDATE commissioners_demanddispatch SET warning_level = 'yellow' WHERE status IN "
        f"('pending', 'in_progress') AND due_on >= '{today}' AND warning_level = 'green' "
        f"AND ({demand_yellow})",
        f"UPDATE commissioners_demanddispatch SET warning_level = 'red' "
        f"WHERE status IN ('pending', 'in_progress') AND due_on < '{today}' "
        f"AND warning_level IN ('green', 'yellow')",
        f"UPDATE commissioners_demanddispatch SET warning_level = 'escalated' WHERE status IN "
        f"('pending', 'in_progress') AND due_on <= '{escalate}' AND warning_level = 'red'",
    ]


def _floor(today, keep=False):
    """Run the floor's UPDATEs; roll them back unless `keep`. Returns (seconds, rows moved)."""
    moved = 0
    sid = transaction.savepoint()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in _floor_statements(today):
            cursor.execute(sql)
            moved += cursor.rowcount
    elapsed = time.perf_counter() - started
    if keep:
        transaction.savepoint_commit(sid)
    else:
        transaction.savepoint_rollback(sid)
    return elapsed, moved


def _limit_dates():
    """Stages COPYed by bench.data without limit_due_on get it as migration approvals.0010 gave
    existing rows (the project-limit check reads it), before anything is timed."""
    import importlib

    from django.apps import apps

    from approvals.models import ApprovalStage

    if ApprovalStage.objects.filter(accepted_on__isnull=False, limit_due_on__isnull=True,
                                    status__in=["accepted", "in_review"]).exists():
        importlib.import_module("approvals.migrations.0010_stage_limit_due_on").backfill(apps, None)


def sweep_figures():
    """The beat's sweep (every registered sweep, under its lock) first after a backlog, then again
    (steady state), each beside the hand-written UPDATEs of the same rows."""
    from django.urls import reverse

    from notifications import services
    from notifications.sweep import sweep_run

    _limit_dates()
    today = timezone.localdate()
    with transaction.atomic():
        floor_first, backlog = _floor(today)
    # A worker has imported the URLconf by its second task; the sweep's links need it (a second
    # or more on a loaded machine), which is not the sweep's cost.
    reverse("approvals:queue")
    queued = []
    real_enqueue = services._enqueue_now
    services._enqueue_now = queued.extend  # the broker is not measured: e-mails are queued after commit
    try:
        with counting() as statements:
            first, run = _timed(sweep_run)
        first_statements = statements.count
        # The next sweep runs ten minutes later, after autovacuum has analysed the tables the
        # backlog filled (75,000 escalations at 1M): without fresh statistics the planner reads
        # the escalations of the 容缺 recheck by a scan (0.5 s), which no real steady sweep meets.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        # Steady: three runs in a row, the median reported (one run can meet the checkpoint or an
        # autovacuum that the backlog's writes set off; all three are in the results).
        steady_runs = []
        for _ in range(3):
            with counting() as statements:
                elapsed, _run = _timed(sweep_run)
            steady_runs.append((elapsed, statements.count))
        steady, steady_statements = sorted(steady_runs)[1]
    finally:
        services._enqueue_now = real_enqueue
    with transaction.atomic():
        floor_steady, _ = _floor(today)
    assert run is not None and not run.errors, run and run.errors
    return {
        "backlog_level_changes": backlog,
        "first_s": first,
        "first_statements": first_statements,
        "first_floor_s": floor_first,
        "first_vs_floor": first / max(floor_first, 1e-9),
        "steady_s": steady,
        "steady_statements": steady_statements,
        "steady_runs_s": [elapsed for elapsed, _count in steady_runs],
        "steady_floor_s": floor_steady,
        "steady_vs_floor": steady / max(floor_steady, 1e-9),
        "counts": run.counts,
        "deliveries_queued_after_commit": len(queued),
    }


# --- a notice that moves many deadlines -------------------------------------------------------


def notice_figures():
    """An admin corrects a working day in the coming weeks into a holiday: every open deadline
    counted across it moves (recount, write, tell the holders after the commit: one notice per
    person). Also the notifications and deliveries it wrote (counted outside the timing) and the
    time 300,000 moved deadlines would take at this rate (issue 12's target: 15 s)."""
    from notifications import services
    from notifications.models import Delivery, Notification
    from workdays.models import DayKind
    from workdays.services import calendar_day_correct

    today = timezone.localdate()
    day = add_workdays(today, 3)
    queued = []
    real_enqueue = services._enqueue_now
    services._enqueue_now = queued.extend
    written = Notification.objects.count(), Delivery.objects.count()
    try:
        with counting() as statements:
            elapsed, correction = _timed(
                lambda: calendar_day_correct(date=day, kind=DayKind.HOLIDAY, name="基准测试")
            )
    finally:
        services._enqueue_now = real_enqueue
    return {
        "day": str(day),
        "moved": correction.moved_count,
        "s": elapsed,
        "statements": statements.count,
        "notifications": Notification.objects.count() - written[0],
        "deliveries": Delivery.objects.count() - written[1],
        "deliveries_queued_after_commit": len(queued),
        "s_for_300k_at_this_rate": elapsed * 300_000 / max(correction.moved_count, 1),
    }


# --- reads ------------------------------------------------------------------------------------


def read_figures(pages, requests):
    """Each page p50/p95 through the test client, its statements, and the same statements
    replayed through psycopg (p50 of the sum), with EXPLAIN ANALYZE of the slowest."""
    import psycopg
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    dsn = connection.get_connection_params()
    results = {}
    # Every page's client made and warmed first (sessions, caches, the calendar, templates), then
    # what that left is frozen out of the collector, as gunicorn.conf.py freezes a worker's start:
    # a test client builds its own handler (its middleware, WhiteNoise's index of the static
    # files), which a server builds once per process, not once per page measured.
    clients = {}
    for name, (user, url) in pages.items():
        clients[name] = client = Client()
        client.force_login(user)
        client.get(url)
    gc.collect()
    gc.freeze()
    for name, (_user, url) in pages.items():
        client = clients[name]
        with counting(keep=True) as statements:
            response = client.get(url)
        status = response.status_code
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        kept = [(sql, params) for sql, params, _ in statements.kept]
        replay, slowest = _replay(psycopg, dsn, kept, requests)
        results[name] = {
            "url": url,
            "status": status,
            "statements": statements.count,
            "p50_ms": percentile(times, 0.5) * 1e3,
            "p95_ms": percentile(times, 0.95) * 1e3,
            "replay_p50_ms": replay * 1e3,
            "vs_replay": percentile(times, 0.5) / max(replay, 1e-9),
            "slowest_sql": slowest[0][:2000],
            "explain": slowest[1],
        }
    return results


def _replay(psycopg, params, statements, requests):
    with psycopg.connect(
        **{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port", "password")},
        autocommit=True,
    ) as conn:
        cursor = psycopg.ClientCursor(conn)
        times, per_statement = [], [0.0] * len(statements)
        for _ in range(max(requests, 1)):
            started = time.perf_counter()
            for i, (sql, args) in enumerate(statements):
                one = time.perf_counter()
                if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    cursor.execute(sql, args)
                    cursor.fetchall()
                per_statement[i] += time.perf_counter() - one
            times.append(time.perf_counter() - started)
        explain = ""
        if statements:
            worst = max(range(len(statements)), key=per_statement.__getitem__)
            sql, args = statements[worst]
            if sql.lstrip().upper().startswith("SELECT"):
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, args)
                explain = "\n".join(row[0] for row in cursor.fetchall())
            return statistics.median(times), (sql, explain)
        return statistics.median(times), ("", "")
