"""Stage deadlines, recomputed when the calendar changes (workdays.hooks)."""

from django.urls import reverse

from workdays.hooks import MovedDeadline

from . import clock
from .models import ApprovalStage


def recompute_stage_deadlines(*, since, dry_run=False):
    """Open stages due on or after `since`, recounted with the calendar as it is now.

    add_workdays needs the in-memory calendar, which SQL cannot see, so the new dates are
    computed per row in Python and only the rows that changed (a new date, or no longer
    provisional) are written, with bulk_update: one UPDATE ... CASE WHEN per batch of rows. The
    rows read are locked until the calendar change commits, so a stage paused or resumed
    meanwhile is not overwritten with a stale recount.
    """
    stages = ApprovalStage.objects.clock_open_due_from(since).select_for_update().only(
        "pk", "accepted_on", "budget_workdays", "paused_workdays", "due_on", "provisional")
    moved, changed = [], []
    for stage in stages.iterator(chunk_size=2000):
        old = (stage.due_on, stage.provisional)
        stage.due_on = clock.due_on(accepted_on=stage.accepted_on, budget=stage.budget_workdays,
                                    paused=stage.paused_workdays)
        stage.provisional = clock.provisional(stage.due_on)
        if (stage.due_on, stage.provisional) != old:
            changed.append(stage)
        if stage.due_on != old[0]:
            moved.append((stage.pk, old[0], stage.due_on))
    if not dry_run and changed:
        ApprovalStage.objects.bulk_update(changed, ["due_on", "provisional"], batch_size=500)
    return _moved(moved)


def _moved(moved):
    """A MovedDeadline per (stage id, old, new); labels and recipients are read for these only."""
    stages = (ApprovalStage.objects.select_related("project")
              .prefetch_related("project__enterprise__members").in_bulk([pk for pk, _, _ in moved]))
    return [MovedDeadline(
        label=str(stages[pk]), old_due_on=old, new_due_on=new,
        url=reverse("approvals:stage_detail", args=[pk]),
        notify_user_ids=tuple(member.user_id for member in stages[pk].project.enterprise.members.all()),
    ) for pk, old, new in moved]
