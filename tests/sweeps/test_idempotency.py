"""Each escalation and each notification exactly once: the sweep run twice, and by two workers.

A stage (accepted Tue 09-22, due Thu 10-08) and a demand (submitted Wed 09-30, its accept node
due Thu 10-08) are first seen on Tue 10-13, 10:00: overdue by workdays_between(10-08, 10-13) =
10-09, 10-10 (adjusted Saturday), 10-12, 10-13 = 4 working days, so each goes red and escalated
in one sweep:
    stage  red: adam, amy, hank, hana      escalated: leo, carol
    demand red: carol, gary                escalated: leo, carol
"""


import pytest
from django.db import connection, transaction  # noqa: F401  (skipif conditions read connection)
from django.utils import timezone

from approvals.sweep import sweep_stages
from commissioners.sweep import sweep_demands
from notifications import tasks
from notifications.models import Channel, Delivery, Escalation, Notification
from tests.threads import in_threads

from .conftest import clock, mailed
from .test_demand_sweep import submit
from .test_stage_sweep import accepted_stage

EXPECTED_ESCALATIONS = 4
EXPECTED_NOTIFICATIONS = 4 + 2 + 2 + 2


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _overdue_stage_and_demand(personas, approvers):
    from commissioners.models import DemandCategory

    stage = accepted_stage(personas, approvers)
    demand = submit(personas, DemandCategory.objects.get(code="approval"))
    return stage, demand


def _escalation_notifications():
    return Notification.objects.filter(escalation__isnull=False)


def _assert_exactly_once():
    assert Escalation.objects.count() == EXPECTED_ESCALATIONS
    assert set(Escalation.objects.values_list("level", flat=True)) == {"red", "escalated"}
    assert _escalation_notifications().count() == EXPECTED_NOTIFICATIONS
    assert Delivery.objects.filter(notification__escalation__isnull=False,
                                   channel=Channel.EMAIL).count() == EXPECTED_NOTIFICATIONS


def test_the_sweep_run_twice_raises_and_notifies_once(personas, approvers, sweep, mailoutbox):
    _overdue_stage_and_demand(personas, approvers)
    with clock("2026-10-13 10:00"):
        first = sweep()
        second = sweep()
    assert first["approvals.stages"] == {"yellow": 0, "red": 1, "escalated": 1, "commitments": 0}
    demands = first["commissioners.demands"]
    assert demands["demand_red"] == demands["demand_escalated"] == 1
    assert not any(second["approvals.stages"].values())
    assert not any(second["commissioners.demands"].values())
    _assert_exactly_once()
    assert sum(len(subjects) for subjects in mailed(mailoutbox).values()) == EXPECTED_NOTIFICATIONS


def test_a_retried_domain_sweep_after_a_lost_level_move_still_notifies_once(personas, approvers, sweep):
    """A sweep whose level move was undone (say, restored from a backup) raises nothing twice:
    the unique (object, level) on Escalation is the last guard."""
    stage, _ = _overdue_stage_and_demand(personas, approvers)
    with clock("2026-10-13 10:00"):
        sweep()
        type(stage).objects.filter(pk=stage.pk).update(warning_level="green")
        counts = sweep()
    assert counts["approvals.stages"]["red"] == 0 and counts["approvals.stages"]["escalated"] == 0
    _assert_exactly_once()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseed_after_flush")
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL's row locks")
def test_two_workers_sweeping_at_once_raise_and_notify_once(personas, approvers):
    _overdue_stage_and_demand(personas, approvers)

    def domain_sweeps(i):
        # Straight to the domain sweeps, past the sweep lock: only the conditional level moves
        # (FOR UPDATE SKIP LOCKED) and the unique (object, level) stand between them.
        with transaction.atomic():
            return sweep_stages(timezone.now()), sweep_demands(timezone.now())

    with clock("2026-10-13 10:00"):
        results = in_threads(domain_sweeps)
    assert sum(stages["red"] + stages["escalated"] for stages, _ in results) == 2
    assert sum(demands["demand_red"] + demands["demand_escalated"] for _, demands in results) == 2
    _assert_exactly_once()

    with clock("2026-10-13 10:10"):
        runs = in_threads(lambda i: tasks.sweep())
    assert [run is None for run in runs].count(True) <= 1  # the lock lets one in at a time
    _assert_exactly_once()
