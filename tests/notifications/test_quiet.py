"""Quiet hours: nothing non-urgent by e-mail or robot outside working hours; one digest after."""

import pytest
import time_machine

from notifications import tasks
from notifications.models import Channel, Delivery, DeliveryStatus
from notifications.quiet import hold_until
from notifications.services import escalation_raise, notify

from .conftest import at


@pytest.mark.parametrize(
    ("moment", "until"),
    [
        ("2026-11-25 10:00", None),  # a Wednesday morning
        ("2026-11-25 08:29", "2026-11-25 08:30"),
        ("2026-11-25 17:30", "2026-11-26 08:30"),
        ("2026-11-27 20:00", "2026-11-30 08:30"),  # Friday evening waits for Monday
        ("2026-11-28 10:00", "2026-11-30 08:30"),  # a Saturday
        ("2026-09-30 20:00", "2026-10-08 08:30"),  # National Day, 10-01 to 10-07
        ("2026-10-09 20:00", "2026-10-10 08:30"),  # 10-10 is an adjusted working Saturday
        ("2026-10-10 11:00", None),
    ],
)
def test_hold_until_follows_the_working_day_calendar(db, moment, until):
    assert hold_until(at(moment), urgent=False) == (at(until) if until else None)


def test_urgent_is_never_held(db):
    assert hold_until(at("2026-10-03 03:00"), urgent=True) is None


def test_quiet_hours_come_from_settings(db, settings):
    settings.QUIET_HOURS_START, settings.QUIET_HOURS_END = "09:00", "18:00"
    assert hold_until(at("2026-11-25 08:45"), urgent=False) == at("2026-11-25 09:00")
    assert hold_until(at("2026-11-25 17:45"), urgent=False) is None


def _emails(user):
    return Delivery.objects.filter(channel=Channel.EMAIL, notification__recipient=user)


def _evening_messages(personas, subject, capture):
    with capture(execute=True):
        notify(recipients=[personas.carol], title="阶段已受理", body="请按时办理")
        escalation_raise(obj=subject, level="yellow", recipients=[personas.carol, personas.gary],
                         title="某阶段即将到期", body="剩余 2 个工作日", link="/projects/1/")


def test_friday_evening_messages_wait_for_monday_and_go_as_one_digest_per_person(
        personas, subject, mailoutbox, django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-27 20:00"), tick=False):
        _evening_messages(personas, subject, django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert set(_emails(personas.carol).values_list("status", "next_attempt_at")) == {
        (DeliveryStatus.HELD, at("2026-11-30 08:30"))}
    in_app = Delivery.objects.filter(channel=Channel.IN_APP)
    assert in_app.count() == 3 and not in_app.exclude(status=DeliveryStatus.SENT).exists()

    for moment in ("2026-11-28 10:00", "2026-11-30 08:29"):
        with time_machine.travel(at(moment), tick=False):
            assert tasks.digests_send.delay().get() == 0
    with time_machine.travel(at("2026-11-30 08:30"), tick=False):
        assert tasks.digests_send.delay().get() == 2
        assert tasks.digests_send.delay().get() == 0  # idempotent

    carol = [m for m in mailoutbox if m.to == ["carol@example.com"]]
    gary = [m for m in mailoutbox if m.to == ["gary@example.com"]]
    assert len(carol) == 1 and len(gary) == 1
    assert "2 条通知汇总" in carol[0].subject
    assert "阶段已受理" in carol[0].body and "某阶段即将到期" in carol[0].body
    assert gary[0].subject == "[护商通] 某阶段即将到期"
    assert not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()


def test_holiday_messages_wait_until_after_national_day(personas, subject, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-09-30 20:00"), tick=False):
        _evening_messages(personas, subject, django_capture_on_commit_callbacks)
    with time_machine.travel(at("2026-10-05 10:00"), tick=False):
        assert tasks.digests_send.delay().get() == 0
    with time_machine.travel(at("2026-10-08 08:40"), tick=False):
        assert tasks.digests_send.delay().get() == 2
    assert len(mailoutbox) == 2


def test_urgent_messages_go_at_once_even_at_night(personas, subject, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-10-03 03:00"), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        escalation_raise(obj=subject, level="urgent", recipients=[personas.leo],
                         title="重大紧急诉求", body="企业停产风险")
        notify(recipients=[personas.leo], title="紧急通知", body="", level="red", urgent=True)
    assert [m.subject for m in mailoutbox] == ["[护商通] 重大紧急诉求", "[护商通] 紧急通知"]


def test_the_robot_gets_one_digest_for_the_night(personas, subject, robot,
                                                 django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-27 20:00"), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        for level in ("red", "escalated"):
            escalation_raise(obj=subject, level=level, recipients=[personas.carol, personas.leo],
                             title=f"阶段 {level}", body="")
    assert robot.received == []
    with time_machine.travel(at("2026-11-30 09:00"), tick=True):
        assert tasks.digests_send.delay().get() == 3  # carol's e-mail, leo's e-mail, the robot's digest
    (message,) = robot.received
    assert "2 条通知" in message["markdown"]["content"]


def test_a_failed_digest_is_retried_later(personas, subject, mailoutbox, settings,
                                          django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-27 20:00"), tick=False):
        _evening_messages(personas, subject, django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    with time_machine.travel(at("2026-11-30 08:30"), tick=False):
        assert tasks.digests_send.delay().get() == 0
    held = _emails(personas.carol)
    assert {(d.status, d.attempts) for d in held} == {(DeliveryStatus.HELD, 1)}
    assert "SMTPDataError" in held.first().last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(at("2026-11-30 08:45"), tick=False):
        assert tasks.digests_send.delay().get() == 2
    assert len(mailoutbox) == 2
