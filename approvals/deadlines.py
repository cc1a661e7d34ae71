"""Stage deadlines, recomputed when the calendar changes (workdays.hooks)."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from notifications.clocks import level_after_move
from notifications.levels import keyset_batches, update_rows
from workdays.hooks import MovedDeadline

from . import clock
from .choices import CLOCK_OPEN
from .models import ApprovalStage, ClockPause


def recompute_stage_deadlines(*, since, dry_run=False):
    """Open stages a calendar change from `since` on can move, recounted with the calendar now.

    A stage moves if its window reaches `since` (due on or after it), or if one of its finished
    pauses does (ended on or after it): the pause's working days are recounted too, and a
    deadline can move earlier as well as later. add_workdays needs the in-memory calendar, which
    SQL cannot see, so new dates are computed per row in Python and only the rows that changed
    are written. The stages are read a batch at a time (keyset on pk, locked until the calendar
    change commits; a service about to count waits for it, workdays.calendar.hold_calendar); each
    batch's changes are written with one UPDATE per table and its people read with one query per
    kind, so the statements grow with batches, not with deadlines.
    """
    finished = ClockPause.objects.filter(ended_on__isnull=False).order_by("pk")
    pause_reaches = ClockPause.objects.filter(ended_on__gte=since).values("stage_id")
    stages = (ApprovalStage.objects.filter(status__in=CLOCK_OPEN)
              .filter(Q(due_on__gte=since) | Q(pk__in=pause_reaches))
              .select_for_update(of=("self",)).prefetch_related(Prefetch("pauses", queryset=finished)))
    today = timezone.localdate()
    moved = []
    for batch in keyset_batches(stages):
        moved += _recount_stages(batch, today, dry_run=dry_run)
    return [*moved, *_recount_commitments(since, dry_run=dry_run)]


def _recount_stages(batch, today, *, dry_run):
    moved, changed_stages, changed_pauses = [], [], []
    for stage in batch:
        old = (stage.due_on, stage.provisional, stage.warning_level, stage.paused_workdays)
        changed_pauses += _recount_pauses(stage)
        stage.due_on = clock.due_on(accepted_on=stage.accepted_on, budget=stage.budget_workdays,
                                    paused=stage.paused_workdays)
        stage.provisional = clock.provisional(stage.due_on)
        if stage.due_on != old[0]:
            moved.append((stage.pk, old[0], stage.due_on))
            stage.warning_level = level_after_move(stage.warning_level, stage.due_on, today)
        if (stage.due_on, stage.provisional, stage.warning_level, stage.paused_workdays) != old:
            changed_stages.append(stage)
    if not dry_run:
        update_rows(ClockPause, changed_pauses, ["paused_workdays"])
        update_rows(ApprovalStage, changed_stages,
                    ["due_on", "provisional", "paused_workdays", "warning_level"])
    return _moved(moved)


def _recount_commitments(since, *, dry_run):
    """Open 容缺 commitments due on or after `since`, recounted (a batch at a time)."""
    stages = (ApprovalStage.objects.commitments_open().select_for_update(of=("self",))
              .filter(commitment_workdays__isnull=False, commitment_due_on__gte=since))
    found = []
    for batch in keyset_batches(stages):
        moved, changed = [], []
        for stage in batch:
            new = clock.commitment_due_on(accepted_on=stage.accepted_on, workdays=stage.commitment_workdays)
            if new != stage.commitment_due_on:
                moved.append((stage.pk, stage.commitment_due_on, new))
                stage.commitment_due_on = new
                changed.append(stage)
        if not dry_run:
            update_rows(ApprovalStage, changed, ["commitment_due_on"])
        found += _moved(moved, what="容缺材料补齐期限")
    return found


def _recount_pauses(stage):
    """Recount the stage's finished pauses; set stage.paused_workdays to their sum. Returns the
    pauses whose count changed."""
    changed, total = [], 0
    for pause in stage.pauses.all():
        length = clock.pause_length(started_on=pause.started_on, ended_on=pause.ended_on)
        if length != pause.paused_workdays:
            pause.paused_workdays = length
            changed.append(pause)
        total += length
    stage.paused_workdays = total
    return changed


def _moved(moved, *, what=""):
    """A MovedDeadline per (stage id, old, new); labels and recipients are read for these only.

    Who is told: the enterprise's users and the stage's approvers (the active members of its
    policy's departments), prefetched for all the moved stages at once, not per stage."""
    approvers = Prefetch("policy__departments__members",
                         queryset=get_user_model().objects.filter(is_active=True).only("pk"))
    if not moved:
        return []
    # pk__in rather than in_bulk, which SQLite splits into statements of 999 ids
    stages = {stage.pk: stage for stage in ApprovalStage.objects.select_related("project", "policy")
              .order_by().prefetch_related("project__enterprise__members", approvers)
              .filter(pk__in=[pk for pk, _, _ in moved])}
    return [MovedDeadline(
        label=f"{stages[pk]} · {what}" if what else str(stages[pk]), old_due_on=old, new_due_on=new,
        url=reverse("approvals:stage_detail", args=[pk]), notify_user_ids=_told(stages[pk]),
    ) for pk, old, new in moved]


def _told(stage):
    """The enterprise's users, then the stage's approvers; each once."""
    enterprise_users = (member.user_id for member in stage.project.enterprise.members.all())
    approvers = (user.pk for department in stage.policy.departments.all()
                 for user in department.members.all())
    return tuple(dict.fromkeys([*enterprise_users, *approvers]))
