"""/api/v1/notifications/: the user's own notifications, paginated; mark read."""

from rest_framework.test import APIClient

from notifications.models import Notification
from notifications.services import notify


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_is_the_users_own_paginated_unread_first(personas):
    notify(recipients=[personas.alice], title="甲", body="", level="red")
    notify(recipients=[personas.bob], title="乙", body="")
    response = _client(personas.alice).get("/api/v1/notifications/")
    assert response.status_code == 200
    data = response.json()
    assert len(data["results"]) == 1 and data["results"][0]["title"] == "甲"
    assert data["results"][0]["level_display"] == "红色超期" and data["results"][0]["is_read"] is False


def test_unread_filter(personas):
    first, second = (notify(recipients=[personas.alice], title=t, body="")[0] for t in ("a", "b"))
    Notification.objects.filter(pk=first.pk).update(read_at="2026-11-20T10:00:00+08:00")
    data = _client(personas.alice).get("/api/v1/notifications/?unread=true").json()
    assert [row["id"] for row in data["results"]] == [second.pk]


def test_mark_read_and_all_read(personas):
    first, second = (notify(recipients=[personas.alice], title=t, body="")[0] for t in ("a", "b"))
    client = _client(personas.alice)
    response = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}


def test_another_users_notification_is_not_found(personas):
    (notification,) = notify(recipients=[personas.bob], title="乙", body="")
    assert _client(personas.alice).post(f"/api/v1/notifications/{notification.pk}/read/").status_code == 404


def test_anonymous_is_refused(db):
    # 401 since issue 13: token authentication comes first and names its scheme.
    assert APIClient().get("/api/v1/notifications/").status_code == 401


def test_list_uses_the_same_bounded_number_of_queries(personas, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(personas.carol)
    url = "/api/v1/notifications/"

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    notify(recipients=[personas.carol], title="一条", body="")
    few = count()
    for i in range(30):
        notify(recipients=[personas.carol], title=f"第{i}条", body="")
    with django_assert_max_num_queries(5):
        client.get(url)
    assert count() == few
