"""escalation_raise, notify, 督办 and mark read: who gets what, and never twice."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Channel, Delivery, DeliveryStatus, Escalation, Notification
from notifications.moved import moved_deadlines_notify
from notifications.services import (
    escalation_raise,
    escalation_supervise,
    notification_mark_all_read,
    notification_mark_read,
    notify,
)
from workdays.hooks import MovedDeadline


def _raise(subject, personas, level="red", **extra):
    return escalation_raise(obj=subject, level=level, recipients=[personas.carol, personas.gary],
                            title="某阶段已超期", body="已超期 1 个工作日", link="/projects/1/", **extra)


def test_escalation_raise_twice_creates_one_escalation_and_one_set_of_messages(
        personas, subject, office_hours, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = _raise(subject, personas)
        second = _raise(subject, personas)
    assert isinstance(first, Escalation) and second is None
    assert Escalation.objects.count() == 1
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["carol", "gary"]
    assert Delivery.objects.count() == 4  # in-app and e-mail for each; no robot configured
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert sorted(m.to[0] for m in mailoutbox) == ["carol@example.com", "gary@example.com"]


def test_each_level_of_an_object_is_raised_once(personas, subject, office_hours):
    assert _raise(subject, personas, level="yellow")
    assert _raise(subject, personas, level="red")
    assert _raise(subject, personas, level="red") is None
    assert list(Escalation.objects.for_object(subject).order_by("pk").values_list("level", flat=True)) == [
        "yellow", "red"]


def test_an_escalation_links_its_notifications_and_object(personas, subject, office_hours):
    escalation = _raise(subject, personas, reason="超过时限")
    assert escalation.related_object == subject and escalation.reason == "超过时限"
    notification = escalation.notifications.get(recipient=personas.carol)
    assert notification.related_object == subject and notification.level == "red"
    assert notification.link == "/projects/1/"


def test_urgent_level_is_always_urgent(personas, subject):
    escalation = _raise(subject, personas, level="urgent")
    assert escalation.urgent and all(n.urgent for n in escalation.notifications.all())


def test_duplicate_recipients_are_notified_once(personas):
    created = notify(recipients=[personas.carol, personas.carol.pk, None], title="阶段已受理", body="")
    assert len(created) == 1


def test_notify_with_a_key_is_idempotent_per_recipient(personas):
    first = notify(recipients=[personas.carol], title="提醒", body="", key="weekly:2026-W48")
    again = notify(recipients=[personas.carol, personas.gary], title="提醒", body="", key="weekly:2026-W48")
    assert len(first) == 1 and [n.recipient for n in again] == [personas.gary]
    assert Notification.objects.filter(key="weekly:2026-W48").count() == 2


def test_webhook_gets_one_message_per_batch_and_only_for_serious_levels(personas, subject, settings):
    settings.NOTIFY_WEBHOOK_URL = "http://127.0.0.1:9/robot"
    _raise(subject, personas, level="red")
    notify(recipients=[personas.carol], title="阶段已受理", body="")
    webhooks = Delivery.objects.filter(channel=Channel.WEBHOOK)
    assert webhooks.count() == 1 and webhooks.get().notification.level == "red"


def test_in_app_is_delivered_at_once(personas):
    (notification,) = notify(recipients=[personas.alice], title="阶段已受理", body="")
    in_app = notification.deliveries.get(channel=Channel.IN_APP)
    assert in_app.status == DeliveryStatus.SENT and in_app.sent_at


def test_a_leader_supervises_and_everyone_notified_hears_it(personas, subject, office_hours):
    escalation = _raise(subject, personas, level="escalated")
    escalation = escalation_supervise(escalation=escalation, actor=personas.leo, comment="请两日内办结")
    assert escalation.supervised_by == personas.leo and escalation.supervision_comment == "请两日内办结"
    told = Notification.objects.filter(title="督办: 某阶段已超期")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["carol", "gary"]
    assert "请两日内办结" in told.first().body and told.first().related_object == subject


def test_supervision_can_also_reach_the_handler(personas, subject):
    escalation = _raise(subject, personas, level="escalated")
    escalation_supervise(escalation=escalation, actor=personas.root, comment="督办",
                         recipients=[personas.adam])
    assert Notification.objects.filter(title__startswith="督办", recipient=personas.adam).exists()


def test_only_leaders_and_admins_supervise(personas, subject):
    escalation = _raise(subject, personas)
    with pytest.raises(PermissionDenied):
        escalation_supervise(escalation=escalation, actor=personas.carol, comment="x")
    with pytest.raises(ValidationError):
        escalation_supervise(escalation=escalation, actor=personas.leo, comment="  ")
    escalation.refresh_from_db()
    assert not escalation.is_supervised


def test_mark_read_keeps_the_first_time(personas):
    (notification,) = notify(recipients=[personas.alice], title="t", body="")
    first = notification_mark_read(notification=notification).read_at
    notification.read_at = None
    notification_mark_read(notification=notification)
    notification.refresh_from_db()
    assert notification.read_at == first


def test_mark_all_read_touches_only_the_users_own(personas):
    notify(recipients=[personas.alice, personas.bob], title="t", body="")
    notify(recipients=[personas.alice], title="u", body="")
    assert notification_mark_all_read(user=personas.alice) == 2
    assert Notification.objects.for_user(personas.bob).unread().count() == 1


def test_handlers_hear_when_a_loaded_notice_moves_their_deadline(personas):
    moved = {"approvals.stage": [MovedDeadline(label="施工许可", old_due_on=dt.date(2027, 2, 8),
                                               new_due_on=dt.date(2027, 2, 18), url="/projects/3/",
                                               notify_user_ids=(personas.adam.pk,))]}
    assert moved_deadlines_notify(reason="2027 年节假日安排已导入", moved=moved) == 1
    notification = Notification.objects.get(recipient=personas.adam)
    assert "施工许可" in notification.title
    assert notification.body == "2027 年节假日安排已导入, 期限由 2027-02-08 调整为 2027-02-18。"


def test_a_person_hears_of_many_moved_deadlines_once_in_a_fixed_number_of_queries(
        personas, django_assert_max_num_queries):
    """One notice per person and calendar change (a digest), not one per deadline (80 here
    before): it says how many moved, lists the first ten by their new date, and links to where
    the person sees them all (the source's see_all part that names them)."""
    queue, projects = "/projects/queue/", "/projects/"

    def moved(n):
        parts = ((projects, (personas.alice.pk,)), (queue, (personas.adam.pk,)))
        return {"approvals.stage": [
            MovedDeadline(label=f"阶段 {i}", old_due_on=dt.date(2027, 2, 8),
                          new_due_on=dt.date(2027, 4 if i < 20 else 3, 1 + i % 20),
                          url=f"/projects/stages/{i}/", notify_user_ids=(personas.alice.pk, personas.adam.pk),
                          see_all=parts)
            for i in range(n)]}

    moved_deadlines_notify(reason="2027 年节假日安排已导入", moved=moved(1))  # loads the quiet-hours calendar
    before = Notification.objects.count()
    # Savepoints, and one INSERT each for notifications and deliveries (SQLite splits an INSERT
    # at its parameter limit): 2 per deadline before.
    with django_assert_max_num_queries(8):
        assert moved_deadlines_notify(reason="2027 年节假日安排已导入", moved=moved(40)) == 2
    assert Notification.objects.count() == before + 2
    adam = Notification.objects.filter(recipient=personas.adam).latest("pk")
    assert (adam.title, adam.link) == ("期限调整: 您的 40 个期限随工作日历调整", queue)
    lines = adam.body.splitlines()
    assert lines[0] == "2027 年节假日安排已导入, 您的 40 个期限随之调整 (按新期限先后):"
    # earliest new date first: 阶段 20… are due in March, 阶段 0… in April
    assert lines[1:4] == ["· 阶段 20", "  2027-02-08 → 2027-03-01", "  /projects/stages/20/"]
    assert [line for line in lines if line.startswith("· ")] == [f"· 阶段 {i}" for i in range(20, 30)]
    assert lines[-1] == f"及另外 30 项, 全部见 {queue}"
    alice = Notification.objects.filter(recipient=personas.alice).latest("pk")
    assert alice.link == projects and alice.body.endswith(f"及另外 30 项, 全部见 {projects}")
    assert Delivery.objects.filter(notification__in=[adam, alice]).count() == 4  # in-app and e-mail each


