"""Provisional stage deadlines, recomputed when a year's holiday notice is loaded."""

from django.urls import reverse

from workdays.hooks import MovedDeadline

from . import clock
from .models import ApprovalStage


def recompute_stage_deadlines(*, year, dry_run=False):
    """Open stages whose due_on was guessed for `year` or later, recounted with the calendar now.

    add_workdays needs the in-memory calendar, which SQL cannot see, so the new dates are
    computed per row in Python (only the provisional rows are read) and written with one
    bulk_update: a single UPDATE ... CASE WHEN per batch of rows, not one statement per row.
    """
    stages = list(
        ApprovalStage.objects.provisional_open(year=year)
        .select_related("project").prefetch_related("project__enterprise__members")
    )
    moved, changed = [], []
    for stage in stages:
        old = stage.due_on
        stage.due_on = clock.due_on(accepted_on=stage.accepted_on, budget=stage.budget_workdays,
                                    paused=stage.paused_workdays)
        stage.provisional = clock.provisional(stage.due_on)
        changed.append(stage)
        if stage.due_on != old:
            moved.append(_moved(stage, old))
    if not dry_run and changed:
        ApprovalStage.objects.bulk_update(changed, ["due_on", "provisional"], batch_size=500)
    return moved


def _moved(stage, old):
    return MovedDeadline(
        label=f"{stage.project.name} · {stage.get_kind_display()}",
        old_due_on=old,
        new_due_on=stage.due_on,
        url=reverse("approvals:stage_detail", args=[stage.pk]),
        notify_user_ids=tuple(member.user_id for member in stage.project.enterprise.members.all()),
    )
