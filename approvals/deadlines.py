"""Stage deadlines, recomputed when the calendar changes (workdays.hooks)."""

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from enterprises.models import EnterpriseMember
from notifications.clocks import level_after_move
from notifications.levels import keyset_batches, update_rows
from workdays.hooks import MovedDeadline

from . import clock
from .choices import CLOCK_OPEN
from .models import ApprovalStage, ClockPause, StagePolicy


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
    policy's departments), read as ids with one query per kind for all the moved stages at once
    (a policy's approvers once per policy, an enterprise's users once per enterprise), not per
    stage."""
    if not moved:
        return []
    # pk__in rather than in_bulk, which SQLite splits into statements of 999 ids
    stages = {stage.pk: stage for stage in ApprovalStage.objects.select_related("project", "policy")
              .order_by().filter(pk__in=[pk for pk, _, _ in moved])}
    users, enterprises = {}, {s.project.enterprise_id for s in stages.values()}
    members = EnterpriseMember.objects.order_by("pk").filter(enterprise_id__in=enterprises)
    for enterprise_id, user_id in members.values_list("enterprise_id", "user_id"):
        users.setdefault(enterprise_id, []).append(user_id)
    approvers = {}
    for policy_id, _department_id, user_id in (
            StagePolicy.departments.through.objects
            .filter(stagepolicy_id__in={s.policy_id for s in stages.values()},
                    department__members__is_active=True)
            .order_by("stagepolicy_id", "department_id", "department__members__pk")
            .values_list("stagepolicy_id", "department_id", "department__members__pk")):
        approvers.setdefault(policy_id, []).append(user_id)

    def told(stage):
        """The enterprise's users, then the stage's approvers; each once."""
        return tuple(dict.fromkeys([*users.get(stage.project.enterprise_id, ()),
                                    *approvers.get(stage.policy_id, ())]))

    return [MovedDeadline(
        label=f"{stages[pk]} · {what}" if what else str(stages[pk]), old_due_on=old, new_due_on=new,
        url=reverse("approvals:stage_detail", args=[pk]), notify_user_ids=told(stages[pk]),
    ) for pk, old, new in moved]
