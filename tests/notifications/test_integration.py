"""A real Celery worker process delivers what escalation_raise wrote, and runs the sweep.

The worker (tests/celery_worker.py) runs on this test run's database and broker, on a queue of
its own so that no other worker on this machine takes our messages.
"""

import pytest
from django.contrib.auth.models import Group

from notifications import tasks
from notifications.models import Delivery, DeliveryStatus, SweepRun
from notifications.services import escalation_raise
from tests.celery_worker import celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("after_flush")]


@pytest.fixture
def worker(tmp_path, robot):
    env = {"NOTIFY_WEBHOOK_URL": robot.url, "NOTIFY_WEBHOOK_TIMEOUT": "5"}
    with celery_worker(tmp_path, name="itest", env=env) as running:
        yield running


def test_a_real_worker_delivers_an_escalation_and_runs_the_sweep(plain_users, robot, worker):
    process, log = worker
    subject = Group.objects.create(name="集成测试阶段")
    # Urgent, so that quiet hours (whatever the time of this run) hold nothing back.
    escalation = escalation_raise(obj=subject, level="urgent", recipients=plain_users[:2],
                                  title="重大紧急诉求", body="企业停产风险", link="/service/demands/1/")
    deliveries = Delivery.objects.filter(notification__escalation=escalation)
    assert deliveries.count() == 2 * 2 + 1  # in-app and e-mail each, one robot message

    wait_for(lambda: not deliveries.exclude(status=DeliveryStatus.SENT).exists(), process, log)
    assert len(robot.received) == 1 and "重大紧急诉求" in robot.received[0]["markdown"]["content"]

    tasks.sweep.delay()
    wait_for(lambda: SweepRun.objects.filter(finished_at__isnull=False).exists(), process, log)
    run = SweepRun.objects.get()
    assert "notifications.calendar_watch" in run.counts and run.errors == {}
