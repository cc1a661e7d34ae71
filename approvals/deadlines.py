"""Stage deadlines, recomputed when the calendar changes (workdays.hooks)."""

from collections import namedtuple

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enterprises.models import EnterpriseMember
from notifications.clocks import level_after_move
from notifications.levels import update_rows
from workdays.hooks import MovedDeadline, recount_batches, url_maker

from . import clock
from .choices import CLOCK_OPEN
from .models import ApprovalStage, ClockPause, StagePolicy

# What the recount reads of a stage, as values (no model instance per row): its clock, the
# project's budget for the limit date (ApprovalStage.with_project_budget), and what the notice
# names and whom it tells.
STAGE_READ = ("pk", "accepted_on", "budget_workdays", "paused_workdays", "due_on", "provisional",
              "warning_level", "limit_due_on", "used_before", "project_limit",
              "kind", "project__name", "project__enterprise_id", "policy_id")
# What it writes of a stage that changed: attribute names as update_rows reads them.
StageWrite = namedtuple("StageWrite", ["id", "due_on", "provisional", "paused_workdays", "warning_level",
                                       "limit_due_on"])
STAGE_WRITTEN = StageWrite._fields[1:]
PauseWrite = namedtuple("PauseWrite", ["id", "paused_workdays"])


def recompute_stage_deadlines(*, since, dry_run=False):
    """Open stages a calendar change from `since` on can move, recounted with the calendar now.

    A stage moves if one of its windows reaches `since` (due on, or the project limit's date,
    on or after it), or if one of its finished pauses does (ended on or after it): the pause's
    working days are recounted too, and a deadline can move earlier as well as later.
    add_workdays needs the in-memory calendar, which SQL cannot see, so new dates are computed
    per row in Python and only the rows that changed are written. The stages are read as values
    a batch at a time (keyset on pk, locked until the calendar change commits; a service about to
    count waits for it, workdays.calendar.hold_calendar); each batch's changes are written with
    one UPDATE per table and its people read with one query per kind not met before, so the
    statements grow with batches, not with deadlines.
    """
    pause_reaches = ClockPause.objects.filter(ended_on__gte=since).values("stage_id")
    stages = (ApprovalStage.objects.filter(status__in=CLOCK_OPEN)
              .filter(Q(due_on__gte=since) | Q(limit_due_on__gte=since) | Q(pk__in=pause_reaches))
              .select_for_update(of=("self",)).with_project_budget())
    told = Told()
    moved = []
    for batch in recount_batches(stages, STAGE_READ):
        moved += _recount_stages(batch, timezone.localdate(), told, dry_run=dry_run)
    return [*moved, *_recount_commitments(since, told, dry_run=dry_run)]


def _recount_stages(batch, today, told, *, dry_run):
    pauses = _finished_pauses(batch[0][0], batch[-1][0])
    moved, changed_stages, changed_pauses = [], [], []
    for (pk, accepted_on, budget, paused, due_on, provisional, level, limit_due_on, used_before,
         limit, *named) in batch:
        if pk in pauses:
            paused = _recount_pauses(pauses[pk], changed_pauses)
        new_due_on = clock.due_on(accepted_on=accepted_on, budget=budget, paused=paused)
        new = StageWrite(
            pk, new_due_on, clock.provisional(new_due_on), paused,
            level if new_due_on == due_on else level_after_move(level, new_due_on, today),
            clock.limit_due_on(accepted_on=accepted_on, limit=limit, used_before=used_before, paused=paused))
        if new_due_on != due_on:
            moved.append((pk, due_on, new_due_on, *named))
        if new[1:] != (due_on, provisional, paused, level, limit_due_on):
            changed_stages.append(new)
    if not dry_run:
        update_rows(ClockPause, changed_pauses, PauseWrite._fields[1:])
        update_rows(ApprovalStage, changed_stages, STAGE_WRITTEN)
    return told.deadlines(moved)


def _finished_pauses(first, last):
    """{stage id: [(pause id, started on, ended on, stored length)]} of the finished pauses of
    the stages with pk in [first, last] (a batch's range: the pauses are few, an index range
    reads them all in one query however sparse the batch's stages are)."""
    pauses = {}
    for pk, stage_id, started_on, ended_on, length in (
            ClockPause.objects.filter(stage_id__gte=first, stage_id__lte=last, ended_on__isnull=False)
            .order_by("pk").values_list("pk", "stage_id", "started_on", "ended_on", "paused_workdays")):
        pauses.setdefault(stage_id, []).append((pk, started_on, ended_on, length))
    return pauses


def _recount_pauses(pauses, changed):
    """Recount a stage's finished pauses; add those whose count changed to `changed`. Returns
    their sum, the stage's paused working days."""
    total = 0
    for pk, started_on, ended_on, stored in pauses:
        length = clock.pause_length(started_on=started_on, ended_on=ended_on)
        if length != stored:
            changed.append(PauseWrite(pk, length))
        total += length
    return total


COMMITMENT_READ = ("pk", "accepted_on", "commitment_workdays", "commitment_due_on",
                   "kind", "project__name", "project__enterprise_id", "policy_id")
CommitmentWrite = namedtuple("CommitmentWrite", ["id", "commitment_due_on"])


def _recount_commitments(since, told, *, dry_run):
    """Open 容缺 commitments due on or after `since`, recounted (a batch at a time)."""
    stages = (ApprovalStage.objects.commitments_open().select_for_update(of=("self",))
              .filter(commitment_workdays__isnull=False, commitment_due_on__gte=since))
    found = []
    for batch in recount_batches(stages, COMMITMENT_READ):
        moved, changed = [], []
        for pk, accepted_on, workdays, due_on, *named in batch:
            new = clock.commitment_due_on(accepted_on=accepted_on, workdays=workdays)
            if new != due_on:
                moved.append((pk, due_on, new, *named))
                changed.append(CommitmentWrite(pk, new))
        if not dry_run:
            update_rows(ApprovalStage, changed, CommitmentWrite._fields[1:])
        found += told.deadlines(moved, what="容缺材料补齐期限")
    return found


class Told:
    """Who hears that a stage's deadline moved: the enterprise's users and the stage's approvers
    (the active members of its policy's departments), each once. They are read as ids, an
    enterprise's users once per enterprise and a policy's approvers once per policy, for all of a
    batch's new ones with one query per kind; the tuples are shared by every deadline of the same
    (enterprise, policy), which is how the notice groups them."""

    def __init__(self):
        self.users, self.approvers, self.audiences = {}, {}, {}
        self.stage_url = url_maker("approvals:stage_detail")
        self.kinds = {value: str(label) for value, label in ApprovalStage._meta.get_field("kind").flatchoices}
        self.queue, self.projects = reverse("approvals:queue"), reverse("approvals:project_list")

    def deadlines(self, moved, *, what=""):
        """A MovedDeadline per (stage id, old, new, kind, project name, enterprise id, policy id)."""
        self._read({enterprise for *_, enterprise, _policy in moved}, {policy for *_, policy in moved})
        suffix = f" · {what}" if what else ""
        return [MovedDeadline(f"{name} · {self.kinds.get(kind, kind)}{suffix}", old, new, self.stage_url(pk),
                              *self._audience(enterprise, policy))
                for pk, old, new, kind, name, enterprise, policy in moved]

    def _audience(self, enterprise, policy):
        """(the people to tell, where each sees all their deadlines), one object per pair."""
        key = (enterprise, policy)
        if key not in self.audiences:
            users, approvers = self.users.get(enterprise, ()), self.approvers.get(policy, ())
            self.audiences[key] = (tuple(dict.fromkeys([*users, *approvers])),
                                   tuple((url, ids) for url, ids in ((self.projects, users),
                                                                     (self.queue, approvers)) if ids))
        return self.audiences[key]

    def _read(self, enterprises, policies):
        enterprises = [pk for pk in enterprises if pk not in self.users]
        policies = [pk for pk in policies if pk not in self.approvers]
        found = {}
        if enterprises:
            for enterprise_id, user_id in (EnterpriseMember.objects.order_by("pk")
                                           .filter(enterprise_id__in=enterprises)
                                           .values_list("enterprise_id", "user_id")):
                found.setdefault(enterprise_id, []).append(user_id)
            self.users.update({pk: tuple(found.get(pk, ())) for pk in enterprises})
        found = {}
        if policies:
            for policy_id, user_id in (StagePolicy.departments.through.objects
                                       .filter(stagepolicy_id__in=policies, department__members__is_active=True)
                                       .order_by("stagepolicy_id", "department_id", "department__members__pk")
                                       .values_list("stagepolicy_id", "department__members__pk")):
                found.setdefault(policy_id, []).append(user_id)
            self.approvers.update({pk: tuple(dict.fromkeys(found.get(pk, ()))) for pk in policies})
