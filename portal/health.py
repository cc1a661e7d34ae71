"""/healthz: is this web node able to serve, and is the background machinery alive?"""

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import Heartbeat


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def broker_ok(url=None):
    """The broker answers (url: another one than the configured broker, for a check or a test)."""
    from .celery import app

    try:
        with app.connection_for_write(url) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
            # Redis connects lazily: ask it something, or a dead server still looks reachable.
            client = getattr(conn.default_channel, "client", None)
            if hasattr(client, "ping"):
                client.ping()
        return True
    except Exception:  # noqa: BLE001
        return False


def heartbeat_age():
    """Seconds since beat last had a worker run portal.heartbeat; None when it never ran."""
    last = Heartbeat.objects.filter(name="heartbeat").values_list("last_run_at", flat=True).first()
    return None if last is None else max(0, int((timezone.now() - last).total_seconds()))


def report():
    """(healthy, body). Unhealthy only when the database or the broker is unreachable: a stale
    heartbeat (beat or every worker down) is reported, and fails only a `strict` check, because a
    load balancer should not take web nodes out for it."""
    body = {"database": "ok" if database_ok() else "unreachable",
            "broker": "ok" if broker_ok() else "unreachable"}
    age = heartbeat_age() if body["database"] == "ok" else None
    body["heartbeat_age_seconds"] = age
    body["heartbeat"] = ("missing" if age is None
                         else "ok" if age <= settings.HEALTHZ_HEARTBEAT_MAX_AGE else "stale")
    body["status"] = "ok" if body["database"] == body["broker"] == "ok" else "fail"
    return body
