"""python -m bench --scale tiny|100k|1m [--requests N] [--load-seconds S] [--keep]"""

import argparse
import datetime as dt
import gc
import json
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from . import DEFAULT_URL, SCALES

ROOT = Path(__file__).resolve().parent.parent


def _admin_dsn(url):
    parsed = urlparse(url)
    return parsed.path.lstrip("/"), url.rsplit("/", 1)[0] + "/postgres"


def _recreate(url, *, drop_only=False):
    import psycopg

    name, admin = _admin_dsn(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
            "AND pid <> pg_backend_pid()",
            [name],
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--scale", choices=list(SCALES), default="100k")
    parser.add_argument("--requests", type=int, default=None, help="requests per page (default by scale)")
    parser.add_argument("--load-seconds", type=float, default=None, help="per load level (≤ 18 s)")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--output", default=str(ROOT / "var" / "bench" / "results.json"))
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    requests = args.requests or {"tiny": 3, "100k": 200, "1m": 200}[args.scale]  # issue 12: over 200 requests
    # A warm-up and three levels of load, at most 60 s together.
    from .load import LEVEL_S_MAX

    load_seconds = min(args.load_seconds or {"tiny": 2, "100k": LEVEL_S_MAX, "1m": LEVEL_S_MAX}[args.scale],
                       LEVEL_S_MAX)
    started = time.monotonic()
    print(f"bench: scale {args.scale} ({SCALES[args.scale]:,} stages) on {url}", file=sys.stderr)
    _recreate(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "off"
    # Production settings, as the load test's gunicorn runs (no query log kept per request; the
    # manifest static files, collected before the reads), without TLS on the test client.
    os.environ.update(DEBUG="off", SECURE_SSL_REDIRECT="off", SESSION_COOKIE_SECURE="off",
                      CSRF_COOKIE_SECURE="off", SECURE_HSTS_SECONDS="0")
    # The load test's gunicorn reads the sessions this process writes: the same key.
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 40)
    try:
        results = _run(args.scale, requests, load_seconds, url)
        results["wall_s"] = time.monotonic() - started
        from .report import targets

        results["targets"] = targets(results)
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str))
        from .report import table

        print(table(results))
        print(f"\nwritten to {out}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _recreate(url, drop_only=True)
    return 0


def _run(scale, requests, load_seconds, url):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from . import data, load, measure

    print("migrating …", file=sys.stderr)
    call_command("migrate", verbosity=0)
    call_command("sync_calendar", verbosity=0)
    print("generating data …", file=sys.stderr)
    started = time.monotonic()
    org = data.generate(SCALES[scale])
    results = {
        "scale": scale,
        "stages": SCALES[scale],
        "generate_s": time.monotonic() - started,
        "machine": _machine(connection),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    print("working days …", file=sys.stderr)
    results["workdays"] = measure.workdays_figures(
        calls=2_000 if scale == "tiny" else 50_000, slow_calls=20 if scale == "tiny" else 200
    )
    print("sweep …", file=sys.stderr)
    results["sweep"] = measure.sweep_figures()
    print("dashboard summary …", file=sys.stderr)
    results["summary"] = _summary_refresh()
    print("reads …", file=sys.stderr)
    pages = _pages(org)
    call_command("collectstatic", "--noinput", verbosity=0)
    # As gunicorn.conf.py does in each worker: the objects of start-up and data generation are
    # left out of the cyclic collector's passes, which would otherwise land on the timed requests.
    gc.collect()
    gc.freeze()
    results["reads"] = measure.read_figures(pages, requests)
    print("notice …", file=sys.stderr)
    results["notice"] = measure.notice_figures()
    print("load …", file=sys.stderr)
    results["load_warm_up"], results["load"] = _load(load, url, pages, load_seconds)
    return results


def _summary_refresh():
    """The overview's summary table built as the beat builds it after a sweep, so the reads
    measure what a leader gets (without it the page counts every figure live)."""
    from dashboard.summary import summary_refresh

    started = time.monotonic()
    refresh = summary_refresh()
    return {"s": time.monotonic() - started, "rows": refresh.rows}


def _pages(org):
    from urllib.parse import urlencode

    from approvals.selectors import approver_queue
    from core.pagination import KeysetPaginator

    leader, approver = org["leader"], org["approver"]
    # The deep page: the approver's queue from its middle row on, reached as a user reaches it by
    # following 下一页 (a keyset cursor), found here once with an OFFSET that is not measured.
    queue = KeysetPaginator(approver_queue(approver), 25)
    middle = queue.object_list.count() // 2 // 25 * 25
    cursor = queue.cursor_at(middle)
    deep = f"/projects/queue/?{urlencode({'after': cursor})}" if cursor else "/projects/queue/"
    return {
        "leader dashboard": (leader, "/dashboard/"),
        # the command centre's sections (承诺兑现, 诉求办理, 同等对待 from the summary)
        "dashboard 承诺兑现": (leader, "/dashboard/?section=promises"),
        "dashboard 诉求办理": (leader, "/dashboard/?section=demands"),
        "dashboard 同等对待": (leader, "/dashboard/?section=equality"),
        "dashboard 招商项目": (leader, "/dashboard/?section=pipeline"),
        "dashboard 服务覆盖": (leader, "/dashboard/?section=coverage"),
        "dashboard 企业运行": (leader, "/dashboard/?section=operation"),
        "approver queue p1": (approver, "/projects/queue/"),
        f"approver queue p{middle // 25 + 1} (keyset)": (approver, deep),
        "enterprise directory": (leader, "/enterprises/"),
        "project list": (leader, "/projects/"),
        "API stages": (leader, "/api/v1/stages/"),
        "API projects": (leader, "/api/v1/projects/"),
        "API demands": (leader, "/api/v1/demands/"),
    }


def _load(load, url, pages, seconds):
    from django.conf import settings
    from django.test import Client

    cookies = {}
    mix = []
    for user, page in pages.values():
        if user.pk not in cookies:
            client = Client()
            client.force_login(user)
            cookies[user.pk] = (
                f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
            )
        mix.append((cookies[user.pk], page))
    process, port = load.serve(url, workers=max(2 * (os.cpu_count() or 1), 2))
    # The clients are threads of this process, which still holds what the data, the sweep and the
    # notice left: a full collection here would pause every client at once, inside the times they
    # measure. The generator allocates little; the collector is off while it runs.
    gc.collect()
    gc.disable()
    try:
        # Warm processes first (not measured, load.WARM_UP_S); then 4 and 16 people, each reading
        # a page a few seconds before the next; then 16 clients that never pause, which finds the
        # machine's capacity (requests a second) for the mix.
        warm = load.run(port, mix, 16, min(load.WARM_UP_S, seconds), None)
        warm_up = {key: warm[key] for key in ("seconds", "requests", "errors")}
        return warm_up, [load.run(port, mix, clients, seconds, think)
                         for clients, think in ((4, load.THINK), (16, load.THINK), (16, None))]
    finally:
        gc.enable()
        load.stop(process)


def _machine(connection):
    import django

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": server,
        "processor": platform.processor(),
    }


if __name__ == "__main__":
    sys.exit(main())
