"""Two workers at once on PostgreSQL: every escalation and notification exactly once."""

import time

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction  # noqa: F401  (skipif conditions read connection)

from notifications.levels import move_level
from notifications.models import Delivery, Escalation, Notification
from notifications.services import escalation_raise, notify
from tests.threads import in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.usefixtures("after_flush"),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL's concurrency"),
]


def test_concurrent_escalation_raise_notifies_exactly_once(plain_users):
    subject = Group.objects.create(name="并发阶段")

    def work(i):
        with transaction.atomic():
            escalation = escalation_raise(obj=subject, level="red", recipients=plain_users,
                                          title="某阶段已超期", body="")
            time.sleep(0.3)  # hold the row so the other insert waits on the unique index
            return escalation

    results = in_threads(work)
    assert sum(result is not None for result in results) == 1
    assert Escalation.objects.count() == 1
    assert Notification.objects.count() == len(plain_users)
    assert Delivery.objects.filter(channel="email").count() == len(plain_users)


def test_two_concurrent_domain_sweeps_move_and_escalate_each_row_once(plain_users):
    # A domain sweep as the docs describe it, over stand-in rows whose `level` is the warning level.
    stages = [notify(recipients=[plain_users[0]], title=f"阶段 {i}", body="")[0] for i in range(20)]
    ids = [stage.pk for stage in stages]

    def domain_sweep(i):
        with transaction.atomic():
            moved = move_level(queryset=Notification.objects.filter(pk__in=ids), field="level",
                               to_level="red", from_levels=["info", "yellow"])
            time.sleep(0.2)
            for stage in Notification.objects.filter(pk__in=moved):
                escalation_raise(obj=stage, level="red", recipients=plain_users[1:],
                                 title=stage.title, body="")
            return len(moved)

    moved = in_threads(domain_sweep, count=3)
    assert sum(moved) == 20
    assert Escalation.objects.count() == 20
    assert Notification.objects.filter(escalation__isnull=False).count() == 20 * 2
