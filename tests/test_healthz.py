"""/healthz (issue 15): database and broker reachable, and how old beat's last heartbeat is."""

import datetime as dt

from django.utils import timezone

from portal import health
from portal.models import Heartbeat


def test_healthy_with_a_fresh_heartbeat(client, db):
    Heartbeat.objects.create(name="heartbeat", last_run_at=timezone.now() - dt.timedelta(seconds=42))
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["database"] == "ok" and body["broker"] == "ok" and body["status"] == "ok"
    assert body["heartbeat"] == "ok" and 42 <= body["heartbeat_age_seconds"] < 60
    assert client.get("/healthz?strict=1").status_code == 200


def test_a_stale_or_missing_heartbeat_is_reported_and_fails_strict(client, db, settings):
    assert client.get("/healthz").json()["heartbeat"] == "missing"
    Heartbeat.objects.create(name="heartbeat", last_run_at=timezone.now() - dt.timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["heartbeat"] == "stale"
    assert client.get("/healthz?strict=1").status_code == 503


def test_an_unreachable_broker_is_a_503(client, db, monkeypatch):
    monkeypatch.setattr(health, "broker_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["broker"] == "unreachable"


def test_an_unreachable_database_is_a_503(client, db, monkeypatch):
    monkeypatch.setattr(health, "database_ok", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unreachable"


def test_a_dead_redis_broker_is_detected():
    # Passed as the URL: Celery prefers the CELERY_BROKER_URL environment variable (set in CI's
    # Redis pass) to a changed app.conf.broker_url, so changing the config would test nothing.
    assert health.broker_ok("redis://127.0.0.1:1/0") is False
