"""The project limit's stored date (ApprovalStage.limit_due_on, approvals.clock.limit_due_on)
draws the same line as counting the working days the project used: a stage is over on `today`
exactly when limit_due_on <= clock.over_limit_line(today), as when
used_before + clock.used(stage, today) > the category's limit (the sweep's former test)."""

import random

import pytest

from approvals import clock, services
from approvals.deadlines import recompute_stage_deadlines
from approvals.models import ApprovalStage
from tests.approvals import factories as af
from workdays import add_workdays, workdays_between

from .conftest import D
from .conftest import clock as at_clock
from .test_stage_sweep import accepted_stage


def _over_by_count(accepted_on, limit, used_before, paused, today):
    return used_before + max(workdays_between(accepted_on, today) - paused, 0) > limit


def test_limit_due_on_draws_the_line_of_the_working_days_used(db):
    rng = random.Random(12)
    first = D(2026, 9, 1)
    for _ in range(3000):
        accepted_on = add_workdays(first, rng.randrange(0, 60)) if rng.random() < 0.8 else \
            first.fromordinal(first.toordinal() + rng.randrange(0, 90))  # also a weekend or a holiday
        limit, paused = rng.choice([24, 50, 60]), rng.randrange(0, 8)
        used_before = rng.randrange(0, limit + 10)
        stored = clock.limit_due_on(accepted_on=accepted_on, limit=limit, used_before=used_before,
                                    paused=paused)
        for today in (accepted_on.fromordinal(accepted_on.toordinal() + d) for d in range(0, 120, 3)):
            case = (accepted_on, limit, used_before, paused, today)
            assert (stored <= clock.over_limit_line(today)) == _over_by_count(*case), case


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_each_clock_change_sets_the_limit_date(personas, approvers):
    """Accepted Tue 09-22 (small: limit 24, nothing used before): 24 working days on; a pause
    holding 7 working days moves it 7 later, like due_on; approving clears it."""
    adam = approvers[0]
    stage = accepted_stage(personas, approvers)
    assert stage.limit_due_on == add_workdays(D(2026, 9, 22), 24)
    assert ApprovalStage.objects.get(pk=stage.pk).limit_due_on == stage.limit_due_on
    with at_clock("2026-09-24 10:00"):
        stage = services.stage_request_supplement(stage=stage, actor=adam, items=["用地红线图坐标"])
    with at_clock("2026-10-12 11:00"):
        af.answer_supplement(stage, personas.alice)
        stage = services.stage_resubmit(stage=ApprovalStage.objects.get(pk=stage.pk), actor=personas.alice)
    assert stage.paused_workdays == 7
    assert ApprovalStage.objects.get(pk=stage.pk).limit_due_on == add_workdays(D(2026, 9, 22), 24 + 7)
    with at_clock("2026-10-13 10:00"):
        af.approve_all_reviews(ApprovalStage.objects.get(pk=stage.pk), adam)
        services.stage_approve(stage=ApprovalStage.objects.get(pk=stage.pk), actor=adam)
        stage2 = af.stage_of(stage.project, 2)
        af.upload_materials(stage2, personas.alice)
        stage2 = services.stage_accept(stage=stage2, actor=adam)
    used = ApprovalStage.objects.get(pk=stage.pk).used_workdays
    assert ApprovalStage.objects.get(pk=stage.pk).limit_due_on is None
    assert ApprovalStage.objects.get(pk=stage2.pk).limit_due_on == add_workdays(D(2026, 10, 13), 24 - used)


def test_the_calendar_recount_moves_the_limit_date(personas, approvers):
    stage = accepted_stage(personas, approvers)
    ApprovalStage.objects.filter(pk=stage.pk).update(limit_due_on=D(2026, 9, 22))  # as if counted wrong
    with at_clock("2026-09-23 10:00"):
        recompute_stage_deadlines(since=D(2026, 9, 23))
    assert ApprovalStage.objects.get(pk=stage.pk).limit_due_on == add_workdays(D(2026, 9, 22), 24)


def test_a_changed_category_limit_recounts_its_open_stages(personas, approvers):
    """The admin saving a category with another limit recounts its running stages' dates (the
    sweep reads them; counted with the old limit they would escalate too early or too late)."""
    from approvals.deadlines import project_limits_recount

    stage = accepted_stage(personas, approvers)
    category = stage.project.category
    category.limit_workdays = 30
    category.save(update_fields=["limit_workdays"])
    assert project_limits_recount(category_id=category.pk) == 1
    assert ApprovalStage.objects.get(pk=stage.pk).limit_due_on == add_workdays(D(2026, 9, 22), 30)
    assert project_limits_recount(category_id=category.pk) == 0  # nothing left to move
