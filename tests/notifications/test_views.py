"""Inbox, badge, 督办 page and the escalations_for tag: each user sees only their own."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from notifications.models import Escalation, Notification
from notifications.services import escalation_raise, escalation_supervise, notify

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def escalation(personas, subject):
    return escalation_raise(obj=subject, level="escalated", recipients=[personas.carol, personas.leo],
                            title="某阶段超期 2 个工作日", body="", link="/projects/1/")


def test_inbox_needs_login(client, db):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_inbox_shows_only_the_users_own_notifications_unread_first(client, personas):
    notify(recipients=[personas.alice], title="甲的旧消息", body="")
    Notification.objects.update(read_at="2026-11-20T10:00:00+08:00")
    notify(recipients=[personas.alice], title="甲的新消息", body="")
    notify(recipients=[personas.bob], title="乙的消息", body="")
    client.force_login(personas.alice)
    body = client.get(reverse("notifications:inbox")).content.decode()
    assert "乙的消息" not in body
    assert body.index("甲的新消息") < body.index("甲的旧消息")


def test_inbox_queries_are_bounded(client, personas, django_assert_max_num_queries):
    for i in range(30):
        notify(recipients=[personas.alice], title=f"消息 {i}", body="", level="yellow")
    client.force_login(personas.alice)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200 and response.context["page"].paginator.count == 30


def test_mark_read_with_htmx_returns_the_row(client, personas):
    (notification,) = notify(recipients=[personas.alice], title="阶段已受理", body="")
    client.force_login(personas.alice)
    response = client.post(reverse("notifications:read", args=[notification.pk]), **HTMX)
    assert response.status_code == 200 and "已读" in response.content.decode()
    assert response["HX-Trigger"] == "notifications-changed"
    notification.refresh_from_db()
    assert notification.read_at


def test_nobody_can_mark_or_open_another_users_notification(client, personas):
    (notification,) = notify(recipients=[personas.bob], title="乙的消息", body="", link="/x/")
    client.force_login(personas.alice)
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_open_marks_read_and_follows_only_local_links(client, personas):
    local, external = (notify(recipients=[personas.alice], title="t", body="", link=link)[0]
                       for link in ("/projects/7/", "https://evil.example/"))
    client.force_login(personas.alice)
    assert client.get(reverse("notifications:open", args=[local.pk])).url == "/projects/7/"
    assert client.get(reverse("notifications:open", args=[external.pk])).url == reverse("notifications:inbox")
    assert not Notification.objects.filter(recipient=personas.alice, read_at__isnull=True).exists()


def test_mark_all_read(client, personas):
    notify(recipients=[personas.alice], title="a", body="")
    notify(recipients=[personas.alice, personas.bob], title="b", body="")
    client.force_login(personas.alice)
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert Notification.objects.unread().get().recipient == personas.bob


def test_badge_counts_unread_with_bounded_queries(client, personas, django_assert_max_num_queries):
    for i in range(3):
        notify(recipients=[personas.alice], title=f"m{i}", body="")
    client.force_login(personas.alice)
    with django_assert_max_num_queries(3):  # session, user, one capped COUNT
        body = client.get(reverse("notifications:badge"), **HTMX).content.decode()
    assert 'data-unread="3"' in body
    Notification.objects.bulk_create(
        [Notification(recipient=personas.alice, title=f"n{i}") for i in range(120)])
    with django_assert_max_num_queries(3):
        body = client.get(reverse("notifications:badge"), **HTMX).content.decode()
    assert "99+" in body


def test_badge_is_empty_without_unread(client, personas):
    client.force_login(personas.alice)
    assert client.get(reverse("notifications:badge")).content.decode().strip() == ""


def test_every_page_carries_the_inbox_link_that_refreshes_its_badge(client, personas):
    client.force_login(personas.alice)
    body = client.get(reverse("workdays:year")).content.decode()
    assert f'href="{reverse("notifications:inbox")}"' in body
    assert f'hx-get="{reverse("notifications:badge")}"' in body and "every 60s" in body
    assert reverse("notifications:escalations") not in body  # 督办 is for leaders
    client.force_login(personas.leo)
    assert reverse("notifications:escalations") in client.get(reverse("workdays:year")).content.decode()


@pytest.mark.parametrize(("persona", "status"), [("leo", 200), ("root", 200), ("carol", 403), ("alice", 403)])
def test_escalation_page_is_for_leaders_and_admins(client, personas, escalation, persona, status):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("notifications:escalations"))
    assert response.status_code == status
    if status == 200:
        assert "某阶段超期 2 个工作日" in response.content.decode()


def test_escalation_page_filters(client, personas, escalation):
    escalation_supervise(escalation=escalation, actor=personas.leo, comment="已督办")
    client.force_login(personas.root)
    url = reverse("notifications:escalations")
    assert "某阶段超期" not in client.get(url).content.decode()  # open: not yet supervised
    assert "某阶段超期" in client.get(url, {"scope": "all", "level": "escalated"}).content.decode()
    assert "某阶段超期" not in client.get(url, {"scope": "all", "level": "red"}).content.decode()
    assert "某阶段超期" not in client.get(url, {"scope": "mine"}).content.decode()  # root was not notified


def test_a_leader_supervises_from_the_page(client, personas, escalation):
    client.force_login(personas.leo)
    url = reverse("notifications:supervise", args=[escalation.pk])
    response = client.post(url, {"comment": "请两个工作日内办结"}, **HTMX)
    assert response.status_code == 200 and "请两个工作日内办结" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.supervised_by == personas.leo
    assert Notification.objects.filter(recipient=personas.carol, title__startswith="督办").exists()


def test_supervising_needs_a_comment_and_a_leader(client, personas, escalation):
    client.force_login(personas.leo)
    response = client.post(reverse("notifications:supervise", args=[escalation.pk]), {"comment": ""}, **HTMX)
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    client.force_login(personas.carol)
    response = client.post(reverse("notifications:supervise", args=[escalation.pk]), {"comment": "x"})
    assert response.status_code == 403
    assert not Escalation.objects.get().is_supervised


def test_the_handler_sees_the_supervision_on_the_object_page(personas, subject, escalation,
                                                             django_assert_max_num_queries):
    escalation_supervise(escalation=escalation, actor=personas.leo, comment="请加快办理")
    template = Template("{% load notifications_tags %}{% escalations_for obj %}")
    with django_assert_max_num_queries(2):  # content type (cached after), escalations
        html = template.render(Context({"obj": subject, "user": personas.carol}))
    assert "提级督办" in html and "请加快办理" in html and "李主任" in html
    assert "督办列表" not in html  # carol cannot supervise


def test_escalations_for_renders_nothing_for_a_quiet_object(personas, subject):
    template = Template("{% load notifications_tags %}{% escalations_for obj %}")
    assert template.render(Context({"obj": subject, "user": personas.carol})).strip() == ""
