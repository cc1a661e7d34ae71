"""Stage deadlines, recomputed when the calendar changes (workdays.hooks)."""

from collections import namedtuple
from functools import cache
from operator import itemgetter

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.links import url_maker
from enterprises.models import EnterpriseMember
from notifications.clocks import level_after_move
from workdays.calendar import hold_calendar
from workdays.hooks import MovedDeadline, batch_writes, ids_in, recount_batches, write_recounted

from . import clock
from .choices import CLOCK_OPEN
from .models import ApprovalStage, ClockPause, Project, StagePolicy

# What the recount reads of a stage, as values (no model instance per row, no join: the
# project's side is read once per batch, _Projects).
STAGE_READ = ("pk", "accepted_on", "budget_workdays", "paused_workdays", "due_on", "provisional",
              "warning_level", "limit_due_on", "project_id", "kind", "policy_id",
              "commitment_workdays", "commitment_due_on", "commitment_met_on")
# What it writes of a stage that changed (attribute names, as workdays.hooks.write_recounted reads them).
# The 容缺 commitment's date is written with the stage's: a second UPDATE of the same row would
# be a second new version of it, and every one of the table's indexes written again.
StageWrite = namedtuple("StageWrite", ["id", "due_on", "provisional", "paused_workdays", "warning_level",
                                       "limit_due_on", "commitment_due_on"])
STAGE_WRITTEN = StageWrite._fields[1:]
PauseWrite = namedtuple("PauseWrite", ["id", "paused_workdays"])
LimitWrite = namedtuple("LimitWrite", ["id", "limit_due_on"])


def recompute_stage_deadlines(*, since, dry_run=False):
    """Open stages a calendar change from `since` on can move, recounted with the calendar now.

    A stage moves if one of its windows reaches `since` (due on, or the project limit's date,
    on or after it), or if one of its finished pauses does (ended on or after it): the pause's
    working days are recounted too, and a deadline can move earlier as well as later.
    add_workdays needs the in-memory calendar, which SQL cannot see, so new dates are computed
    per row in Python and only the rows that changed are written. The stages are read as values
    a batch at a time (keyset on pk along the primary key, locked until the calendar change
    commits; a service about to count waits for it, workdays.calendar.hold_calendar); each
    batch's projects and pauses are read with one query each, its changes written with one
    UPDATE per table and its people read with one query per kind not met before, so the
    statements grow with batches, not with deadlines.
    """
    pause_reaches = ClockPause.objects.filter(ended_on__gte=since).values("stage_id")
    stages = (ApprovalStage.objects.filter(status__in=CLOCK_OPEN)
              .filter(Q(due_on__gte=since) | Q(limit_due_on__gte=since) | Q(pk__in=pause_reaches))
              .select_for_update(of=("self",)))
    told, counted = Told(), _Counted()
    moved, commitments = [], {}
    with batch_writes() as writes:
        for batch in recount_batches(stages, STAGE_READ):
            moved += _recount_stages(batch, since, timezone.localdate(), told, counted, commitments,
                                     writes, dry_run=dry_run)
    return [*moved, *_recount_commitments(since, told, counted, commitments, dry_run=dry_run)]


class _Counted:
    """The clock's functions, each answer kept for its arguments while one recount runs (the
    calendar cannot change under it: the change holds the version row). A notice's 100,000
    stages share a few thousand (acceptance day, working days) pairs, so most rows cost a dict
    look-up instead of add_workdays."""

    def __init__(self):
        self.due_on = cache(lambda accepted_on, budget, paused: clock.due_on(
            accepted_on=accepted_on, budget=budget, paused=paused))
        self.limit_due_on = cache(lambda accepted_on, limit, used_before, paused: clock.limit_due_on(
            accepted_on=accepted_on, limit=limit, used_before=used_before, paused=paused))
        self.commitment_due_on = cache(lambda accepted_on, workdays: clock.commitment_due_on(
            accepted_on=accepted_on, workdays=workdays))
        self.provisional = cache(clock.provisional)


def project_limits_recount(*, category_id):
    """A category's limit changed: the day each of its open stages' projects reaches the limit
    (limit_due_on, which the sweep's project-limit step reads) recounted, as the calendar recount
    counts it, a batch at a time (one query for the stages, two for their projects, one UPDATE).
    Returns how many stages' dates changed; the next sweep escalates those now over."""
    hold_calendar()  # counted with the calendar a change in progress would replace otherwise
    stages = (ApprovalStage.objects.filter(status__in=CLOCK_OPEN, project__category_id=category_id)
              .select_for_update(of=("self",)))
    changed = 0
    read = ("pk", "accepted_on", "paused_workdays", "limit_due_on", "project_id")
    for batch in recount_batches(stages, read):
        projects = _Projects({row[4] for row in batch}, budgets=True)
        rows = [LimitWrite(pk, new) for pk, accepted_on, paused, old, project in batch
                if old != (new := clock.limit_due_on(accepted_on=accepted_on, limit=projects.limit(project),
                                                     used_before=projects.used_before(project, pk),
                                                     paused=paused))]
        write_recounted(ApprovalStage, rows, ["limit_due_on"])
        changed += len(rows)
    return changed


def _recount_stages(batch, since, today, told, counted, commitments, writes, *, dry_run):
    """Recount a batch of open stages: their dates, their finished pauses, and the 容缺 commitment
    of those that have one open and due on or after `since` (recorded in `commitments`, {stage
    id: its MovedDeadline or None}, for _recount_commitments, which reports them in its order).
    The batch's changes go to `writes`, sent once the next batch is read (hooks.BatchWrites)."""
    pauses = _finished_pauses(batch[0][0], batch[-1][0])
    projects = _Projects({row[8] for row in batch}, budgets=True)
    writes.send()  # the batch before's, written by the server while this one is recounted
    due_on_for, limit_due_on_for, provisional_for = counted.due_on, counted.limit_due_on, counted.provisional
    limit, used_before = projects.limit, projects.used_before
    moved, moved_commitments, recounted, changed_stages, changed_pauses = [], [], [], [], []
    for (pk, accepted_on, budget, stored_paused, due_on, provisional, level, limit_due_on, project,
         kind, policy, commitment_workdays, commitment_due_on, commitment_met_on) in batch:
        paused = _recount_pauses(pauses[pk], changed_pauses) if pk in pauses else stored_paused
        new_due_on = due_on_for(accepted_on, budget, paused)
        new_commitment = commitment_due_on
        if (commitment_workdays is not None and commitment_met_on is None and commitment_due_on is not None
                and commitment_due_on >= since):  # as _recount_commitments selects (the stage is open)
            new_commitment = counted.commitment_due_on(accepted_on, commitment_workdays)
            recounted.append(pk)
            if new_commitment != commitment_due_on:
                moved_commitments.append((pk, commitment_due_on, new_commitment, project, kind, policy))
        new = StageWrite(
            pk, new_due_on, provisional_for(new_due_on), paused,
            level if new_due_on == due_on else level_after_move(level, new_due_on, today),
            limit_due_on_for(accepted_on, limit(project), used_before(project, pk), paused), new_commitment)
        if new_due_on != due_on:
            moved.append((pk, due_on, new_due_on, project, kind, policy))
        if new[1:] != (due_on, provisional, stored_paused, level, limit_due_on, commitment_due_on):
            changed_stages.append(new)
    if not dry_run:
        writes.add(ClockPause, changed_pauses, PauseWrite._fields[1:])
        writes.add(ApprovalStage, changed_stages, STAGE_WRITTEN)
    found = told.deadlines(moved, projects)  # first: it reads the people of almost every commitment too
    commitments.update(dict.fromkeys(recounted))
    commitments.update(zip([row[0] for row in moved_commitments],
                           told.deadlines(moved_commitments, projects, what=COMMITMENT_WHAT), strict=True))
    return found


class _Projects:
    """What a batch of stages needs of their projects, read with one query per kind for all of
    them: name, enterprise and category limit, and (`budgets`) the working days each project's
    finished stages used, from which a stage's used_before is counted as
    ApprovalStage.with_project_budget counts it (the other stages' stored used_workdays)."""

    def __init__(self, ids, *, budgets=False):
        self.rows, self.used, self.used_total = {}, {}, {}
        if not ids:
            return
        for pk, *row in (Project.objects.filter(pk__in=ids_in(ids)).order_by()
                         .values_list("pk", "name", "enterprise_id", "category__limit_workdays")):
            self.rows[pk] = row
        if budgets:
            for project, stage, used in (ApprovalStage.objects.filter(project_id__in=ids_in(ids))
                                         .filter(used_workdays__isnull=False)
                                         .values_list("project_id", "pk", "used_workdays")):
                self.used.setdefault(project, {})[stage] = used
            self.used_total = {project: sum(used.values()) for project, used in self.used.items()}

    def limit(self, project):
        return self.rows[project][2]

    def used_before(self, project, stage):
        """The working days the project's other stages used: its total less the stage's own (an
        open stage has none stored unless it was reopened)."""
        total = self.used_total.get(project)
        if total is None:
            return 0
        return total - self.used[project].get(stage, 0)

    def name_and_enterprise(self, project):
        return self.rows[project][:2]


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


COMMITMENT_READ = ("pk", "accepted_on", "commitment_workdays", "commitment_due_on", "project_id", "kind",
                   "policy_id")
CommitmentWrite = namedtuple("CommitmentWrite", ["id", "commitment_due_on"])


COMMITMENT_WHAT = "容缺材料补齐期限"


def _recount_commitments(since, told, counted, recounted, *, dry_run):
    """Open 容缺 commitments due on or after `since`, recounted (a batch at a time), in stage id
    order. Those of the stages the stage recount read were recounted and written there
    (`recounted`: {stage id: MovedDeadline or None}); they are only reported here, in their place."""
    stages = (ApprovalStage.objects.commitments_open().select_for_update(of=("self",))
              .filter(commitment_workdays__isnull=False, commitment_due_on__gte=since))
    found = []
    for batch in recount_batches(stages, COMMITMENT_READ):
        moved, changed = [], []
        for pk, accepted_on, workdays, due_on, *rest in batch:
            if pk in recounted:
                continue
            new = counted.commitment_due_on(accepted_on, workdays)
            if new != due_on:
                moved.append((pk, due_on, new, *rest))
                changed.append(CommitmentWrite(pk, new))
        if not dry_run:
            write_recounted(ApprovalStage, changed, CommitmentWrite._fields[1:])
        found += zip([row[0] for row in moved],
                     told.deadlines(moved, _Projects({row[3] for row in moved}), what=COMMITMENT_WHAT),
                     strict=True)
    # In stage id order, as one pass over all the commitments would find them.
    found += [(pk, deadline) for pk, deadline in recounted.items() if deadline is not None]
    return [deadline for _pk, deadline in sorted(found, key=itemgetter(0))]


class Told:
    """Who hears that a stage's deadline moved: the enterprise's users and the stage's approvers
    (the active members of its policy's departments), each once. They are read as ids, an
    enterprise's users once per enterprise and a policy's approvers once per policy, for all of a
    batch's new ones with one query per kind. The two are the deadline's see_all parts (the
    users see theirs in their project list, the approvers in their queue), one tuple per
    enterprise and per policy shared by all their deadlines, which is how the notice gathers them."""

    def __init__(self):
        self.users, self.approvers, self.approver_sets, self.audiences = {}, {}, {}, {}
        self.stage_url = url_maker("approvals:stage_detail")
        self.kinds = {value: str(label) for value, label in ApprovalStage._meta.get_field("kind").flatchoices}
        self.queue, self.projects = reverse("approvals:queue"), reverse("approvals:project_list")

    def deadlines(self, moved, projects, *, what=""):
        """A MovedDeadline per (stage id, old, new, project id, kind, policy id)."""
        if not moved:
            return []
        named = {project: projects.name_and_enterprise(project) for _pk, _old, _new, project, *_ in moved}
        self._read({enterprise for _name, enterprise in named.values()}, {row[5] for row in moved})
        suffix = f" · {what}" if what else ""
        return [MovedDeadline(f"{named[project][0]} · {self.kinds.get(kind, kind)}{suffix}", old, new,
                              self.stage_url(pk), *self._audience(named[project][1], policy))
                for pk, old, new, project, kind, policy in moved]

    def _audience(self, enterprise, policy):
        """(the people to tell, the same in parts with where each sees all their deadlines), one
        object per (enterprise, policy). An enterprise user who also approves is told as a user."""
        key = (enterprise, policy)
        found = self.audiences.get(key)
        if found is None:
            users, approvers = self.users.get(enterprise, ()), self.approvers.get(policy, ())
            if users and not self.approver_sets[policy].isdisjoint(users):
                approvers = tuple(pk for pk in approvers if pk not in users)
            parts = tuple(part for part in ((self.projects, users), (self.queue, approvers)) if part[1])
            found = self.audiences[key] = (users + approvers, parts)
        return found

    def _read(self, enterprises, policies):
        enterprises = [pk for pk in enterprises if pk not in self.users]
        policies = [pk for pk in policies if pk not in self.approvers]
        found = {}
        if enterprises:
            for enterprise_id, user_id in (EnterpriseMember.objects.order_by("pk")
                                           .filter(enterprise_id__in=ids_in(enterprises))
                                           .values_list("enterprise_id", "user_id")):
                found.setdefault(enterprise_id, []).append(user_id)
            self.users.update({pk: tuple(dict.fromkeys(found.get(pk, ()))) for pk in enterprises})
        found = {}
        if policies:
            through = StagePolicy.departments.through.objects
            for policy_id, user_id in (through.filter(stagepolicy_id__in=policies)
                                       .filter(department__members__is_active=True)
                                       .order_by("stagepolicy_id", "department_id", "department__members__pk")
                                       .values_list("stagepolicy_id", "department__members__pk")):
                found.setdefault(policy_id, []).append(user_id)
            self.approvers.update({pk: tuple(dict.fromkeys(found.get(pk, ()))) for pk in policies})
            self.approver_sets.update({pk: frozenset(self.approvers[pk]) for pk in policies})
