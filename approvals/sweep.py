"""The approvals sweep: stage clocks and 容缺 commitments, watched every ten minutes.

Registered in ApprovalsConfig.ready() as "approvals.stages"; notifications.sweep runs it in its
own transaction under the sweep lock. Each step asks the database which open stages cross a
line (stored due_on, the partial index on running stages), moves their warning_level with one
conditional UPDATE (notifications.levels.move_level) and raises an Escalation only for the rows
that call moved. escalation_raise is itself unique per (object, level): a second sweep, a
retried task or two workers never notify twice.

    yellow     working days left <= the policy's threshold    the approvers (handlers)
    red        today > due_on                                  handlers + department heads
    escalated  red for N working days, or the project's        the enterprise's leaders, the
               whole category limit exceeded                   administrative-approval group's
                                                               leader, the enterprise's commissioner

A stage escalated because the project ran over still goes red when its own due_on passes (its
stored level stays escalated). A paused stage (supplement, hearing, testing, expert review) is
not running, so not swept.
"""


import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Min, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from commissioners.holders import People
from commissioners.selectors import working_group_leader_users
from enterprises.models import EnterpriseMember
from notifications.levels import BATCH, describe_due, escalate_after, long_overdue, move_batches, warning_due
from notifications.models import Escalation, Level, SweepRun
from notifications.services import Raise, escalations_raise
from workdays import workdays_between

from . import clock, rules
from .choices import RUNNING
from .models import ApprovalStage, Department, EventAction, StageEvent, StagePolicy, WarningLevel

W = WarningLevel
# The working group that answers for approvals (行政审批工作组).
DEFAULT_WORKING_GROUP = "approval"
SWEEP_NAME = "approvals.stages"


def sweep_stages(now):
    """Each step walks its rows a batch at a time: one UPDATE moves a batch, and the batch's
    escalations, notifications and deliveries are written with one INSERT each (_raise)."""
    today = timezone.localdate(now)
    people = _People()
    running = _running()
    counts = {
        "yellow": _step(_yellow_due(today), W.YELLOW, [W.GREEN], Level.YELLOW, today, people),
        "red": (_step(running.overdue(today), W.RED, [W.GREEN, W.YELLOW], Level.RED, today, people)
                + _raise_ids(_escalated_without_red(today), Level.RED, today, people)),
    }
    escalated = _step(long_overdue(running.overdue(today), today), W.ESCALATED, [W.RED], Level.ESCALATED,
                      today, people)
    escalated += _step(_over_project_limit(today), W.ESCALATED, [W.GREEN, W.YELLOW, W.RED],
                       Level.ESCALATED, today, people)
    counts["escalated"] = escalated
    counts["commitments"] = sweep_commitments(today, people)
    return counts


def _step(queryset, to_level, from_levels, level, today, people):
    """Move the rows batch by batch; raise `level` for exactly the rows each batch moved."""
    return sum(_raise(ids, level, today, people)
               for ids in move_batches(queryset=queryset, to_level=to_level, from_levels=from_levels))


def _raise_ids(ids, level, today, people):
    return sum(_raise(ids[start:start + BATCH], level, today, people) for start in range(0, len(ids), BATCH))


# --- which stages cross a line (set-based) ---------------------------------------------------

def _running():
    return ApprovalStage.objects.filter(status__in=RUNNING, due_on__isnull=False)


def _yellow_due(today):
    thresholds = StagePolicy.objects.values_list("warning_threshold_workdays", flat=True)
    return warning_due(_running(), today, "policy__warning_threshold_workdays", thresholds)


def _over_project_limit(today):
    """Running stages whose project has used more working days than its category allows.

    Each running stage stores the last day its project stays within the limit (limit_due_on,
    clock.limit_due_on, set with due_on and recounted with it): the project is over once a
    working day has passed after it, an index range on stage_limit_running."""
    return _running().filter(limit_due_on__lte=clock.over_limit_line(today))


def _escalated_without_red(today):
    """Overdue running stages already escalated (the project ran over) that never went red.

    _over_project_limit moves a stage straight to escalated, so the red step, which moves rows
    from green or yellow, would never warn its departments when its own due_on passes. Their
    stored level stays escalated; the Exists keeps the query to stages not yet raised red, and
    the unique (object, level) keeps a racing sweep from notifying twice."""
    red = Escalation.objects.filter(content_type=ContentType.objects.get_for_model(ApprovalStage),
                                    object_id=OuterRef("pk"), level=Level.RED)
    return list(_running().overdue(today).filter(warning_level=W.ESCALATED).exclude(Exists(red))
                .order_by("pk").values_list("pk", flat=True))


# --- who hears of it -------------------------------------------------------------------------

class _People(People):
    """Recipients, looked up once per batch of enterprises, and the group's leader once a sweep."""

    def __init__(self):
        super().__init__()
        self._group_leader = None

    def escalate_to(self, enterprise):
        """The enterprise's paired leaders and its commissioner (primed for the batch)."""
        return [*self.leaders(enterprise), self.responsible(enterprise).commissioner_user]

    def working_group_leader(self):
        if self._group_leader is None:
            code = getattr(settings, "APPROVALS_WORKING_GROUP", DEFAULT_WORKING_GROUP)
            self._group_leader = working_group_leader_users(code)
        return self._group_leader


def handlers(stage):
    """The approvers of the departments holding the stage (rules.holding_departments)."""
    return [member for department in rules.holding_departments(stage)
            for member in department.members.all() if member.is_active]


def supervisors(stage):
    return [d.head for d in rules.holding_departments(stage) if d.head is not None]


def recipients(stage, level, people):
    if level == Level.YELLOW:
        return handlers(stage)
    if level == Level.RED:
        return [*handlers(stage), *supervisors(stage)]
    return [*people.escalate_to(stage.project.enterprise), *people.working_group_leader()]


def _stages(ids, *, enterprise_users=False):
    """The batch's stages with what their messages and recipients read, in a fixed number of
    queries (the departments with their heads and active members, the reviews)."""
    prefetch = ["reviews"]
    if enterprise_users:
        prefetch.append(Prefetch("project__enterprise__members",
                                 queryset=EnterpriseMember.objects.select_related("user")))
    stages = list(ApprovalStage.objects.filter(pk__in=ids)
                  .select_related("project__enterprise", "project__category")
                  .prefetch_related(*prefetch).order_by("pk"))
    # A policy (a handful per sweep) with its departments and their people is loaded once and
    # shared by its stages, not copied into each stage's own prefetch.
    departments = Department.objects.select_related("head").prefetch_related(
        Prefetch("members", queryset=get_user_model().objects.filter(is_active=True)))
    policies = StagePolicy.objects.filter(pk__in={stage.policy_id for stage in stages}).prefetch_related(
        Prefetch("departments", queryset=departments))
    policies = {policy.pk: policy for policy in policies}
    for stage in stages:
        stage.policy = policies[stage.policy_id]
    return stages


# --- what they read --------------------------------------------------------------------------

def link(stage):
    return reverse("approvals:stage_detail", args=[stage.pk])


_KINDS = {}


def _label(stage):
    kind = _KINDS.get((stage.kind, get_language()))
    if kind is None:  # get_kind_display translates on each call: once per kind and language
        kind = _KINDS[(stage.kind, get_language())] = stage.get_kind_display()
    return f"{stage.project.name} · {kind}"


def _reason(stage, level, today):
    if level != Level.ESCALATED:
        return ""
    over = workdays_between(stage.due_on, today) if today > stage.due_on else 0
    if over >= escalate_after():
        return f"超期 {over} 个工作日未办结"
    return f"项目审批总用时超过类别时限 {stage.project.category.limit_workdays} 个工作日"


def _raise(ids, level, today, people):
    stages = _stages(ids)
    if level == Level.ESCALATED:
        people.prime(stage.project.enterprise for stage in stages)
    raises = []
    for stage in stages:
        body = f"{_label(stage)}: {describe_due(stage.due_on, today)}"
        reason = _reason(stage, level, today)
        if reason:
            body += f" 督办原因: {reason}。"
        raises.append(Raise(obj=stage, level=level, recipients=recipients(stage, level, people),
                            title=f"{Level(level).label}: {_label(stage)}", body=body, link=link(stage),
                            reason=reason))
    return len(escalations_raise(raises))


# --- 容缺 commitments --------------------------------------------------------------------------

def sweep_commitments(today, people=None):
    """Stages accepted with missing non-key materials whose commitment date has passed.

    The escalation hangs on the acceptance StageEvent (the record of the 容缺 commitment), not
    on the stage, so it never collides with the stage clock's own red. There is no level field
    to move: the commitments past due are read in batches from the partial index
    (stage_commitment_open), those already raised are left out by one query on Escalation per
    batch, and the unique (object, level) keeps a racing sweep from raising twice.

    The index range is bounded: a run that finished before has raised every commitment due
    before its day, so only those due since (with a month's margin, for a calendar change that
    moved a date earlier) are read again; without such a run, all of them.
    """
    due = ApprovalStage.objects.commitments_open().filter(commitment_due_on__lt=today)
    since = _last_swept_on()
    if since is not None:
        due = due.filter(commitment_due_on__gte=since - RECHECK_MARGIN)
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    return sum(_raise_commitments(ids[start:start + BATCH], today) for start in range(0, len(ids), BATCH))


# How far before the last finished run's day commitments are read again (see sweep_commitments).
RECHECK_MARGIN = dt.timedelta(days=31)


def _last_swept_on():
    """The local day of the latest run in which this sweep finished without an error, or None."""
    started = (SweepRun.objects.filter(finished_at__isnull=False, counts__has_key=SWEEP_NAME)
               .order_by("-started_at").values_list("started_at", flat=True).first())
    return timezone.localdate(started) if started else None


def _raise_commitments(ids, today):
    """One batch: each stage's acceptance event (the first), minus those already raised red."""
    accepted = dict(StageEvent.objects.filter(stage_id__in=ids, action=EventAction.STAGE_ACCEPTED)
                    .order_by().values("stage_id").annotate(first=Min("pk")).values_list("stage_id", "first"))
    raised = set(Escalation.objects.filter(content_type=ContentType.objects.get_for_model(StageEvent),
                                           object_id__in=accepted.values(), level=Level.RED)
                 .values_list("object_id", flat=True))
    todo = {stage: event for stage, event in accepted.items() if event not in raised}
    if not todo:
        return 0
    raises = [_commitment(stage, StageEvent(pk=todo[stage.pk], stage=stage, project=stage.project), today)
              for stage in _stages(todo, enterprise_users=True)]
    return len(escalations_raise(raises))


def _commitment(stage, event, today):
    names = "、".join(item.get("name", item.get("key", "")) for item in stage.missing_items)
    enterprise_users = [m.user for m in stage.project.enterprise.members.all()]
    over = workdays_between(stage.commitment_due_on, today)
    return Raise(
        obj=event, level=Level.RED, recipients=[*enterprise_users, *handlers(stage)],
        title=f"容缺承诺逾期: {_label(stage)}",
        body=(f"{_label(stage)} 容缺受理时承诺于 {stage.commitment_due_on:%Y-%m-%d} 前补齐 {names}, "
              f"至今未补齐" + (f"(已逾期 {over} 个工作日)" if over else "") + "。"),
        link=link(stage), reason="容缺材料逾期未补齐")
