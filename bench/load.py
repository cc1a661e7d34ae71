"""A bounded load test on loopback: gunicorn as production runs it (gunicorn.conf.py: threaded
workers, the application preloaded) with production settings (DEBUG off, the manifest static
storage, persistent database connections), and a small generator of N clients, each a thread
looping over a mix of pages for a fixed time. It stops by itself (each level's duration, and a
hard limit on the whole run); gunicorn is stopped at the end, whatever happens. Each level
reports its pages' own p50/p95 too, so a slow page is named.

A client is a person at a browser unless told otherwise: after each page it waits a few seconds
before the next (THINK, locust's `between(1, 5)`), and that wait is not part of any response
time. With `think=None` it asks again as soon as it has its answer, which measures capacity (the
requests a second the machine can serve), not what a person waits."""

import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench import percentile

ROOT = Path(__file__).resolve().parent.parent
# Seconds a person reads a page before the next one (uniform), as locust's between(1, 5).
THINK = (1.0, 5.0)
# Before the measured levels, clients that never pause for this long, not measured: a server that
# has been up serves from warm processes — each worker thread's database connection opened and
# its server process's catalog caches filled, each worker's templates compiled — and without it
# the first request of every (worker, page) lands in the first level's p95.
WARM_UP_S = 5.0
# Each measured level's longest duration: the warm-up and three levels within 60 s.
LEVEL_S_MAX = (60 - WARM_UP_S) / 3


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return True
        except OSError:
            time.sleep(0.3)
    return False


def serve(database_url, workers, threads=None):
    """gunicorn on a free loopback port, configured and set as production reads them from the
    environment (gunicorn.conf.py; `workers` and `threads` as WEB_CONCURRENCY and WEB_THREADS)."""
    port = _free_port()
    env = {
        **os.environ,
        "WEB_CONCURRENCY": str(workers),
        "WEB_THREADS": str(threads or os.environ.get("WEB_THREADS") or 4),
        "DATABASE_URL": database_url,
        "DEBUG": "off",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "off",
        "SESSION_COOKIE_SECURE": "off",
        "CSRF_COOKIE_SECURE": "off",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "60",
        "PORTAL_TESTING": "off",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    if not _wait(port):
        stop(process)
        raise RuntimeError("gunicorn did not answer /healthz")
    return process, port


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run(port, mix, clients, seconds, think=THINK):
    """`clients` threads, each looping over `mix` ([(cookie, url)]) until `seconds` pass, waiting
    uniform(*think) seconds after each answer (not at all when think is None)."""
    stop_at = time.monotonic() + seconds
    times, errors, lock = [], [0], threading.Lock()
    by_page = {url: ([], [0]) for _cookie, url in mix}

    def client(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        pause = random.Random(i).uniform
        k = i
        if think is not None:
            # People do not all click at the same instant: each arrives somewhere in a reading
            # pause (as locust spawns users over time), or the level would open with every client's
            # first request at once, a burst no steady load has, which alone filled its p95.
            time.sleep(pause(0, think[1]))
        while time.monotonic() < stop_at:
            cookie, url = mix[k % len(mix)]
            k += 1
            started = time.perf_counter()
            for retry in (True, False):
                try:
                    conn.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                    break
                except (OSError, http.client.HTTPException) as error:
                    ok = False
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    # The server closed a kept-alive connection while the person read (gunicorn's
                    # keepalive): a browser opens a new one and asks again, and so does this.
                    if not (retry and isinstance(error, (http.client.RemoteDisconnected,
                                                         ConnectionResetError, BrokenPipeError))):
                        break
            elapsed = time.perf_counter() - started
            with lock:
                times.append(elapsed)
                errors[0] += not ok
                by_page[url][0].append(elapsed)
                by_page[url][1][0] += not ok
            if think is not None:
                time.sleep(min(pause(*think), max(stop_at - time.monotonic(), 0)))
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 35)
    wall = time.monotonic() - started
    return {
        "clients": clients,
        "think_s": list(think) if think is not None else None,
        "seconds": wall,
        "requests": len(times),
        "rps": len(times) / max(wall, 1e-9),
        **_percentiles(times),
        "errors": errors[0],
        "pages": {url: {"requests": len(page_times), **_percentiles(page_times), "errors": page_errors[0]}
                  for url, (page_times, page_errors) in by_page.items()},
    }


def _percentiles(times):
    return {"p95_ms": percentile(times, 0.95) * 1e3, "p50_ms": percentile(times, 0.5) * 1e3}
