"""A sweep's statements grow with its batches, never with its rows: 10 and 1,000 newly overdue
stages (or demand nodes) cost the same statements, each level raised with its notifications.

The rows are copies of one made through the services (a stage accepted Tue 09-22, due Thu 10-08;
a demand submitted Wed 09-30, due Thu 10-08), spread over enterprises A and B; swept on Tue 10-13
they go red and escalated in one run (see test_idempotency).
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import ApprovalStage, Project
from approvals.sweep import sweep_stages
from commissioners.models import Demand, DemandCategory, DemandEvent
from commissioners.sweep import sweep_demands
from notifications.models import Escalation, Notification
from workdays import calendar

from .conftest import clock
from .test_demand_sweep import submit
from .test_stage_sweep import accepted_stage


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _calendar_checked_once(monkeypatch):
    """The calendar re-reads its version stamp every VERSION_CHECK_SECONDS of a long loop: a
    statement per elapsed interval, not per row; held still so the counts compare rows alone."""
    monkeypatch.setattr(calendar, "VERSION_CHECK_SECONDS", 3600)


def _copies(row, n, enterprises, **change):
    copies = []
    for i in range(n):
        copy = type(row).objects.get(pk=row.pk)
        copy.pk = copy.id = None
        for name, value in change.items():
            setattr(copy, name, value(i))
        copies.append(copy)
    return copies


def _stages(template, n, enterprises):
    project = template.project
    projects = Project.objects.bulk_create(_copies(
        project, n, enterprises, code=lambda i: f"{project.code}-{Project.objects.count()}-{i}",
        enterprise_id=lambda i: enterprises[i % 2].pk))
    return ApprovalStage.objects.bulk_create(_copies(template, n, enterprises,
                                                     warning_level=lambda i: "green",
                                                     project_id=lambda i: projects[i].pk))


def _demands(template, n, enterprises):
    demands = Demand.objects.bulk_create(_copies(template, n, enterprises, warning_level=lambda i: "green",
                                                 enterprise_id=lambda i: enterprises[i % 2].pk))
    DemandEvent.objects.bulk_create(DemandEvent(demand=d, action="submitted", to_status=d.status)
                                    for d in demands)
    return demands


def _statements(sweep):
    with clock("2026-10-13 10:00"), transaction.atomic(), CaptureQueriesContext(connection) as queries:
        counts = sweep(timezone.now())
    return len(queries), counts


def test_the_stage_sweep_costs_the_same_statements_for_10_and_1000_overdue_stages(personas, approvers):
    enterprises = [personas.enterprise_a, personas.enterprise_b]
    template = accepted_stage(personas, approvers)
    _statements(sweep_stages)  # the template itself; warms the content-type cache
    runs = {}
    for n in (10, 1000):
        _stages(template, n, enterprises)
        runs[n] = _statements(sweep_stages)
        assert runs[n][1] == {"yellow": 0, "red": n, "escalated": n, "commitments": 0}
    assert runs[10][0] == runs[1000][0], runs
    assert Escalation.objects.count() == 2 * 1011
    assert Notification.objects.filter(escalation__level="red").count() == 4 * 1011  # adam, amy, hank, hana


def test_the_demand_sweep_costs_the_same_statements_for_10_and_1000_overdue_nodes(personas, seeded):
    enterprises = [personas.enterprise_a, personas.enterprise_b]
    template = submit(personas, DemandCategory.objects.get(code="approval"))
    _statements(sweep_demands)
    runs = {}
    for n in (10, 1000):
        _demands(template, n, enterprises)
        runs[n] = _statements(sweep_demands)
        assert (runs[n][1]["demand_red"], runs[n][1]["demand_escalated"]) == (n, n)
    assert runs[10][0] == runs[1000][0], runs
    assert Escalation.objects.filter(level="red").count() == 1011
