"""End to end with a real Celery worker: an overdue stage, the beat's sweep task, delivered mail.

tests/notifications/test_integration.py shows a worker delivering an escalation raised in the
test process and running the (domain-free) sweep. Here the worker does the domain's whole job:
it runs "notifications.sweep", whose approvals sweep finds the overdue stage, raises red and
escalated, and queues the deliveries, which the same worker sends. The worker runs on this test
run's database (a file on SQLite, test_<name> on PostgreSQL) and broker (the filesystem transport
under VAR_DIR, or Redis in CI's second pass), on a queue of its own.
"""

import datetime as dt

import pytest
from django.utils import timezone

from approvals import services
from approvals.models import Department
from notifications import tasks
from notifications.models import Delivery, DeliveryStatus, Escalation
from notifications.quiet import quiet_until
from notifications.services import delivery_retry
from tests import factories as f
from tests.approvals import factories as af
from tests.celery_worker import celery_worker, wait_for
from tests.sweeps.conftest import restore_seeds

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

@pytest.fixture(scope="module", autouse=True)
def _reseed_after_flush(django_db_blocker):
    with django_db_blocker.unblock():
        yield
        restore_seeds()


@pytest.fixture
def worker(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with celery_worker(tmp_path, name="sweep-itest", env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)}) as running:
        yield running


def _overdue_stage(personas):
    """A small-project stage 1 (6 working days) accepted 60 days ago: red and escalated today."""
    restore_seeds()  # an earlier transactional test's flush took the policies away
    hank = f.UserFactory(username="hank", roles=["approver"])
    for department in Department.objects.all():
        department.members.add(personas.adam)
        department.head = hank
        department.save(update_fields=["head"])
    long_ago = timezone.localdate() - dt.timedelta(days=60)
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, category_code="small")
    af.upload_materials(af.stage_of(project, 1), personas.alice, today=long_ago)
    services.project_submit(project=project, actor=personas.alice, today=long_ago)
    return services.stage_accept(stage=af.stage_of(project, 1), actor=personas.adam, today=long_ago)


def test_a_real_worker_sweeps_an_overdue_stage_and_delivers_its_escalations(personas, worker):
    process, log = worker
    stage = _overdue_stage(personas)
    assert stage.due_on < timezone.localdate()

    tasks.sweep.delay()
    escalations = Escalation.objects.for_object(stage)
    deliveries = Delivery.objects.filter(notification__escalation__in=escalations)

    def settled():  # every delivery either sent or held for quiet hours
        open_ = deliveries.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])
        return escalations.count() == 2 and deliveries.exists() and not open_.exists()

    wait_for(settled, process, log)
    assert set(escalations.values_list("level", flat=True)) == {"red", "escalated"}
    recipients = set(deliveries.values_list("notification__recipient__username", flat=True))
    assert recipients == {"adam", "hank", "leo", "carol"}

    # Outside working hours the e-mails wait for the digest; an admin may send them now.
    held = list(deliveries.filter(status=DeliveryStatus.HELD))
    for delivery in held:
        assert delivery.next_attempt_at == quiet_until(delivery.created_at)
        assert delivery_retry(delivery=delivery)
    wait_for(lambda: not deliveries.exclude(status=DeliveryStatus.SENT).exists(), process, log)
    assert deliveries.filter(channel="email").count() == 4
    assert "notifications.sweep" in log.read_text()
