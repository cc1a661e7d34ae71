"""gunicorn for production (Procfile.production) and the bench's load test (bench/load.py); every
value can be changed from the environment.

Threaded workers (gthread): a request mostly waits on PostgreSQL, so each process serves
WEB_THREADS of them at once instead of one, and keeps a client's connection open between
requests. The application is loaded once before the fork and what it loaded is left out of the
garbage collector's scans (gc.freeze): a full collection in a worker then walks only what
requests allocate, not the ~200,000 objects of Django and the apps.
"""

import gc
import os

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 4)
timeout = int(os.environ.get("WEB_TIMEOUT") or 60)
keepalive = int(os.environ.get("WEB_KEEPALIVE") or 5)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"
control_socket_disable = True  # gunicorn 27 would create ~/.gunicorn/ otherwise
preload_app = True


def when_ready(server):
    # The master has loaded the application (and opened no database connection: Django connects on
    # a request's first query, in the worker).
    gc.collect()
    gc.freeze()
