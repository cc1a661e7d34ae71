"""Channels failing and recovering: every attempt recorded, retried with back-off, never lost."""

import datetime as dt

import pytest
from kombu.exceptions import OperationalError

from notifications import tasks
from notifications.delivery import MAX_ATTEMPTS, DeliveryRetry, delivery_attempt
from notifications.models import Channel, Delivery, DeliveryStatus
from notifications.services import deliveries_retry_pending, escalation_raise, notify


@pytest.fixture
def raise_red(personas, subject, django_capture_on_commit_callbacks):
    def run(recipients=None):
        with django_capture_on_commit_callbacks(execute=True):
            return escalation_raise(obj=subject, level="red", recipients=recipients or [personas.carol],
                                    title="某阶段已超期", body="已超期 1 个工作日", link="/projects/1/")
    return run


def _attempt(delivery):
    try:
        return delivery_attempt(delivery_id=delivery.pk)
    except DeliveryRetry:
        return "retry"


def _webhook():
    return Delivery.objects.get(channel=Channel.WEBHOOK)


def _email(user):
    return Delivery.objects.get(channel=Channel.EMAIL, notification__recipient=user)


def test_deliver_task_declares_its_retry_policy():
    assert tasks.deliver.acks_late is True
    assert tasks.deliver.max_retries == MAX_ATTEMPTS - 1 == 6
    assert tasks.deliver.retry_backoff and tasks.deliver.autoretry_for
    assert tasks.sweep.name == "notifications.sweep" and tasks.sweep.acks_late is True


def test_webhook_posts_a_markdown_message(robot, raise_red, office_hours, personas):
    raise_red(recipients=[personas.carol, personas.gary])
    assert _webhook().status == DeliveryStatus.SENT
    (message,) = robot.received  # one message for the whole batch
    assert message["msgtype"] == "markdown"
    content = message["markdown"]["content"]
    assert "某阶段已超期" in content and "红色超期" in content
    assert f"{personas.carol}、{personas.gary}" in content


def test_webhook_500_is_recorded_and_retried_until_it_succeeds(robot, raise_red, office_hours):
    robot.reply(500)
    raise_red()
    webhook = _webhook()
    assert (webhook.status, webhook.attempts) == (DeliveryStatus.PENDING, 1)
    assert "HTTP 500" in webhook.last_error
    # Celery's immediate (eager) retry found the row not yet due: the robot was not hammered.
    assert len(robot.received) == 1 and webhook.next_attempt_at > dt.datetime.now(dt.UTC)
    office_hours.shift(dt.timedelta(seconds=31))
    tasks.deliver.delay(webhook.pk)  # what Celery's countdown retry does
    webhook.refresh_from_db()
    assert (webhook.status, webhook.attempts, webhook.last_error) == (DeliveryStatus.SENT, 2, "")
    assert webhook.sent_at and len(robot.received) == 2


def test_webhook_timeout_is_recorded(robot, raise_red, office_hours):
    robot.reply(200, delay=1.5)  # NOTIFY_WEBHOOK_TIMEOUT is 0.5 s here
    raise_red()
    webhook = _webhook()
    assert webhook.status == DeliveryStatus.PENDING and "超时" in webhook.last_error


def test_webhook_robot_refusal_in_a_200_is_a_failure(robot, raise_red, office_hours):
    robot.reply(200, answer={"errcode": 93000, "errmsg": "invalid webhook url"})
    raise_red()
    assert "93000" in _webhook().last_error


def test_unreachable_webhook_fails_for_good_after_the_last_attempt(raise_red, office_hours, settings):
    settings.NOTIFY_WEBHOOK_URL = "http://127.0.0.1:9/nobody-listens"
    raise_red()
    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        office_hours.shift(dt.timedelta(hours=2))
        outcomes.append(_attempt(_webhook()))
    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 2) + ["failed", "skipped"]
    webhook = _webhook()
    assert (webhook.status, webhook.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert "无法连接" in webhook.last_error and webhook.next_attempt_at is None


def test_email_to_a_user_without_address_fails_with_the_reason(raise_red, office_hours, personas, mailoutbox):
    personas.carol.email = ""
    personas.carol.save()
    raise_red()
    email = _email(personas.carol)
    assert (email.status, email.attempts) == (DeliveryStatus.FAILED, 1)
    assert email.last_error == "收件人没有电子邮件地址"
    assert mailoutbox == []


def test_smtp_refusal_is_recorded_and_retried(raise_red, office_hours, personas, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    raise_red()
    email = _email(personas.carol)
    assert email.status == DeliveryStatus.PENDING and "SMTPDataError" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    office_hours.shift(dt.timedelta(seconds=31))
    assert delivery_attempt(delivery_id=email.pk) == "sent"
    assert [m.to for m in mailoutbox] == [["carol@example.com"]]


def test_a_refused_recipient_is_not_retried(raise_red, office_hours, personas, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.RecipientRefusedBackend"
    raise_red()
    email = _email(personas.carol)
    assert email.status == DeliveryStatus.FAILED and "拒收" in email.last_error


def test_a_sent_delivery_is_never_sent_again(raise_red, office_hours, personas, mailoutbox):
    raise_red()
    email = _email(personas.carol)
    assert delivery_attempt(delivery_id=email.pk) == "skipped"
    tasks.deliver.delay(email.pk)
    assert len(mailoutbox) == 1 and _email(personas.carol).attempts == 1


def test_a_dead_workers_claim_expires_and_the_delivery_goes_out(personas, office_hours, mailoutbox):
    (notification,) = notify(recipients=[personas.carol], title="t", body="")
    email = notification.deliveries.get(channel=Channel.EMAIL)
    lease = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    Delivery.objects.filter(pk=email.pk).update(status=DeliveryStatus.SENDING, next_attempt_at=lease)
    assert delivery_attempt(delivery_id=email.pk) == "skipped"  # its worker may still be at it
    office_hours.shift(dt.timedelta(minutes=11))
    assert deliveries_retry_pending() == 1
    assert len(mailoutbox) == 1 and _email(personas.carol).status == DeliveryStatus.SENT


def test_the_web_stays_up_when_the_broker_is_down(raise_red, office_hours, personas, monkeypatch, mailoutbox):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    conf = tasks.deliver_batch.app.conf
    monkeypatch.setattr(tasks.deliver_batch, "delay", broker_down)
    conf.task_always_eager = False  # .delay() talks to a broker, and the broker is down
    try:
        escalation = raise_red()
    finally:
        conf.task_always_eager = True
    assert escalation and escalation.notifications.count() == 1  # written, in the inbox already
    assert _email(personas.carol).status == DeliveryStatus.PENDING
    monkeypatch.undo()
    assert deliveries_retry_pending() == 0  # too fresh: its own task may still be on the way
    office_hours.shift(dt.timedelta(minutes=3))
    assert deliveries_retry_pending() == 1
    assert _email(personas.carol).status == DeliveryStatus.SENT and len(mailoutbox) == 1


def test_deliveries_go_to_the_workers_in_batches_not_one_task_per_email(personas, office_hours, monkeypatch,
                                                                        mailoutbox,
                                                                        django_capture_on_commit_callbacks):
    from notifications import services

    queued = []
    monkeypatch.setattr(tasks.deliver_batch, "delay", queued.append)
    monkeypatch.setattr(services, "TASK_BATCH", 2)
    people = [personas.carol, personas.gary, personas.alice, personas.adam, personas.betty]
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=people, title="t", body="")
    emails = set(Delivery.objects.filter(channel=Channel.EMAIL).values_list("pk", flat=True))
    assert len(emails) == 5 and [len(batch) for batch in queued] == [2, 2, 1]
    assert {pk for batch in queued for pk in batch} == emails
    for batch in queued:  # what the worker does; a second run of the same task sends nothing again
        assert tasks.deliver_batch(batch)["sent"] == len(batch)
        assert tasks.deliver_batch(batch) == {"sent": 0, "failed": 0, "skipped": len(batch), "retry": 0}
    assert len(mailoutbox) == 5


def test_a_batch_task_hands_a_failed_delivery_to_its_own_retrying_task(personas, office_hours, monkeypatch,
                                                                       settings):
    (notification,) = notify(recipients=[personas.carol], title="t", body="")
    email = notification.deliveries.get(channel=Channel.EMAIL)
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    retried = []
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda args, **options: retried.append((args, options)))
    assert tasks.deliver_batch([email.pk])["retry"] == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.PENDING, 1)
    assert retried == [((email.pk,), {"eta": email.next_attempt_at, "retries": 0})]
