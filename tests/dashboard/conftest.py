"""Dashboard fixtures: approvers in every department, uploads kept out of the project tree."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from approvals.models import ApprovalStage, Project, ProjectStatus, StageStatus
from commissioners.choices import Rating
from commissioners.models import DemandCategory
from commissioners.services import demand_accept, demand_answer_first_contact, demand_rate, demand_submit
from enterprises.models import ListStatus
from tests import factories as f
from tests.approvals import factories as af
from tests.commissioners.factories_demands import VisitFactory
from tests.sweeps.conftest import at


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def adam(personas):
    """adam approves for every department (the approvals tests' `approvers`, reduced to one)."""
    for department in af.all_departments():
        department.members.add(personas.adam)
    return personas.adam


@pytest.fixture
def other_approver(db):
    return f.UserFactory(username="amy", roles=["approver"])


# --- a fixture zone for the command centre (its figures are worked out in test_command_centre.py) ---

@pytest.fixture
def frozen():
    with time_machine.travel(at("2026-11-30 10:00"), tick=False):
        yield


JUNE_30 = dt.date(2026, 6, 30)


def _finished(personas, code, used, *, category="small", finished_on=JUNE_30, enterprise=None, **extra):
    """A completed project whose stage 1 used `used` working days (the others none)."""
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code=code,
                              category_code=category, **extra)
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.COMPLETED, finished_on=finished_on,
                                                 submitted_on=finished_on,
                                                 enterprise=enterprise or personas.enterprise_a)
    stages = ApprovalStage.objects.filter(project=project)
    stages.update(status=StageStatus.APPROVED, used_workdays=0, finished_on=finished_on)
    stages.filter(order=1).update(used_workdays=used)
    return project


@pytest.fixture
def zone(personas, frozen):
    p = personas
    p.enterprise_b.list_status = ListStatus.OUTSIDE
    p.enterprise_b.save()
    # Small projects (limit 24) completed this year: 20, 24, 30, 10 (A) and 26 (B); one in 2025.
    small = [_finished(p, f"S-{used}", used) for used in (20, 24, 30, 10)]
    small.append(_finished(p, "S-26", 26, enterprise=p.enterprise_b))
    _finished(p, "OLD", 5, finished_on=dt.date(2025, 12, 1))
    _finished(p, "G-55", 55, category="government")
    # Coverage: A visited 10 days ago, B 60 days ago, C (attracted, carol's) never.
    c = f.EnterpriseFactory(name="丙招商引资企业", list_status=ListStatus.ATTRACTED)
    f.AssignmentFactory(commissioner=p.carol.commissioner_profile, enterprise=c)
    VisitFactory(commissioner=p.carol.commissioner_profile, enterprise=p.enterprise_a,
                 visited_on=dt.date(2026, 11, 20), output_value=Decimal("1200"), employees=300)
    VisitFactory(commissioner=p.dave.commissioner_profile, enterprise=p.enterprise_b,
                 visited_on=dt.date(2026, 10, 1), output_value=Decimal("800"), employees=100)
    # Major projects: introduced this year 2 (signed 3 + 1.5 亿元), one started after 10 working days.
    af.make_project(actor=p.alice, enterprise=p.enterprise_a, code="M-1", is_major=True,
                    introduced_on=dt.date(2026, 3, 2), construction_started_on=dt.date(2026, 3, 16),
                    signed_amount=Decimal("300000000"))
    af.make_project(actor=p.alice, enterprise=p.enterprise_a, code="M-2", is_major=True,
                    introduced_on=dt.date(2026, 7, 1), signed_amount=Decimal("150000000"))
    af.make_project(actor=p.alice, enterprise=p.enterprise_a, code="M-DRAFT", is_major=True,
                    introduced_on=dt.date(2026, 7, 1), signed_amount=Decimal("990000000"))  # counts nowhere
    Project.objects.filter(code__in=["M-1", "M-2"]).update(status=ProjectStatus.SUBMITTED)
    return {"small": small, "c": c}


@pytest.fixture
def categories(db):
    return {category.code: category for category in DemandCategory.objects.all()}


@pytest.fixture
def answered(personas, categories, frozen):
    """A's demand answered in 3 working days and rated satisfied; B's in 5 and rated unsatisfied."""
    p = personas
    with time_machine.travel(at("2026-11-02 10:00"), tick=False):
        a = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["legal"], title="甲")
        b = demand_submit(enterprise=p.enterprise_b, actor=p.bob, category=categories["legal"], title="乙")
    with time_machine.travel(at("2026-11-05 10:00"), tick=False):
        demand_answer_first_contact(demand=a, actor=p.carol, answer="已答复")
        demand_rate(demand=a, actor=p.alice, level=Rating.SATISFIED)
    with time_machine.travel(at("2026-11-09 10:00"), tick=False):
        demand_accept(demand=b, actor=p.dave)
        demand_answer_first_contact(demand=b, actor=p.dave, answer="已答复")
        demand_rate(demand=b, actor=p.bob, level=Rating.UNSATISFIED)
    return a, b


