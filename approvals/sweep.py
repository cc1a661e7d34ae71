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


from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from commissioners.selectors import responsible_for, working_group_leader_users
from enterprises.models import EnterpriseMember
from notifications.levels import describe_due, escalate_after, long_overdue, move_level, warning_due
from notifications.models import Escalation, Level
from notifications.services import escalation_raise
from workdays import workdays_between

from . import clock, rules
from .choices import RUNNING
from .models import ApprovalStage, Department, EventAction, StageEvent, StagePolicy, WarningLevel

W = WarningLevel
# The working group that answers for approvals (行政审批工作组).
DEFAULT_WORKING_GROUP = "approval"


def sweep_stages(now):
    today = timezone.localdate(now)
    people = _People()
    running = _running()
    counts = {
        "yellow": _raise(_move(_yellow_due(today), W.YELLOW, [W.GREEN]), Level.YELLOW, today, people),
        "red": _raise([*_move(running.overdue(today), W.RED, [W.GREEN, W.YELLOW]),
                       *_escalated_without_red(today)], Level.RED, today, people),
    }
    escalated = _move(long_overdue(running.overdue(today), today), W.ESCALATED, [W.RED])
    escalated += _move(_over_project_limit(today), W.ESCALATED, [W.GREEN, W.YELLOW, W.RED])
    counts["escalated"] = _raise(escalated, Level.ESCALATED, today, people)
    counts["commitments"] = sweep_commitments(today, people)
    return counts


# --- which stages cross a line (set-based) ---------------------------------------------------

def _running():
    return ApprovalStage.objects.filter(status__in=RUNNING, due_on__isnull=False)


def _yellow_due(today):
    thresholds = StagePolicy.objects.values_list("warning_threshold_workdays", flat=True)
    return warning_due(_running(), today, "policy__warning_threshold_workdays", thresholds)


def _over_project_limit(today):
    """Running stages whose project has used more working days than its category allows.

    SQL narrows them to stages whose project has at most this stage's budget left
    (earlier stages overran, or it is the last stage); the exact test needs the working-day
    calendar (clock.used), so it runs in Python on that small candidate set.
    """
    finished_others = (ApprovalStage.objects.filter(project=OuterRef("project"), used_workdays__isnull=False)
                       .exclude(pk=OuterRef("pk")).order_by().values("project")
                       .annotate(total=Sum("used_workdays")).values("total"))
    candidates = (_running().exclude(warning_level=W.ESCALATED)
                  .annotate(used_before=Coalesce(Subquery(finished_others), 0))
                  .filter(used_before__gte=F("project__category__limit_workdays") - F("budget_workdays"))
                  .select_related("project__category"))
    over = [s.pk for s in candidates
            if s.used_before + clock.used(s, today=today) > s.project.category.limit_workdays]
    return _running().filter(pk__in=over)


def _escalated_without_red(today):
    """Overdue running stages already escalated (the project ran over) that never went red.

    _over_project_limit moves a stage straight to escalated, so the red step, which moves rows
    from green or yellow, would never warn its departments when its own due_on passes. Their
    stored level stays escalated; the Exists keeps the query to stages not yet raised red, and
    escalation_raise's unique (object, level) keeps a racing sweep from notifying twice."""
    red = Escalation.objects.filter(content_type=ContentType.objects.get_for_model(ApprovalStage),
                                    object_id=OuterRef("pk"), level=Level.RED)
    return list(_running().overdue(today).filter(warning_level=W.ESCALATED).exclude(Exists(red))
                .values_list("pk", flat=True))


def _move(queryset, to_level, from_levels):
    return move_level(queryset=queryset, to_level=to_level, from_levels=from_levels)


# --- who hears of it -------------------------------------------------------------------------

class _People:
    """Recipients, looked up once per enterprise / group during one sweep."""

    def __init__(self):
        self._leaders, self._group_leader = {}, None

    def leaders(self, enterprise):
        """The enterprise's paired leaders and its commissioner (commissioners.selectors)."""
        if enterprise.pk not in self._leaders:
            responsible = responsible_for(enterprise)
            self._leaders[enterprise.pk] = [*responsible.leader_users, responsible.commissioner_user]
        return self._leaders[enterprise.pk]

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
    return [*people.leaders(stage.project.enterprise), *people.working_group_leader()]


def _stages(ids):
    departments = Department.objects.select_related("head").prefetch_related(
        Prefetch("members", queryset=get_user_model().objects.filter(is_active=True)))
    return (ApprovalStage.objects.filter(pk__in=ids)
            .select_related("project__enterprise", "project__category", "policy")
            .prefetch_related(Prefetch("policy__departments", queryset=departments), "reviews",
                              Prefetch("project__enterprise__members",
                                       queryset=EnterpriseMember.objects.select_related("user")))
            .order_by("pk"))


# --- what they read --------------------------------------------------------------------------

def link(stage):
    return reverse("approvals:stage_detail", args=[stage.pk])


def _label(stage):
    return f"{stage.project.name} · {stage.get_kind_display()}"


def _reason(stage, level, today):
    if level != Level.ESCALATED:
        return ""
    over = workdays_between(stage.due_on, today) if today > stage.due_on else 0
    if over >= escalate_after():
        return f"超期 {over} 个工作日未办结"
    return f"项目审批总用时超过类别时限 {stage.project.category.limit_workdays} 个工作日"


def _raise(ids, level, today, people):
    raised = 0
    for stage in _stages(ids):
        body = f"{_label(stage)}: {describe_due(stage.due_on, today)}"
        reason = _reason(stage, level, today)
        if reason:
            body += f" 督办原因: {reason}。"
        escalation = escalation_raise(obj=stage, level=level, recipients=recipients(stage, level, people),
                                      title=f"{Level(level).label}: {_label(stage)}", body=body,
                                      link=link(stage), reason=reason)
        raised += escalation is not None
    return raised


# --- 容缺 commitments --------------------------------------------------------------------------

def sweep_commitments(today, people=None):
    """Stages accepted with missing non-key materials whose commitment date has passed.

    The escalation hangs on the acceptance StageEvent (the record of the 容缺 commitment), not
    on the stage, so it never collides with the stage clock's own red. There is no level field
    to move: the Exists on Escalation keeps the query to commitments not yet raised, and the
    unique (object, level) keeps a racing sweep from raising twice.
    """
    events = StageEvent.objects.filter(stage=OuterRef("pk"), action=EventAction.STAGE_ACCEPTED)
    raised = Escalation.objects.filter(content_type=ContentType.objects.get_for_model(StageEvent),
                                       object_id=OuterRef("accept_event"), level=Level.RED)
    due = (ApprovalStage.objects.commitments_open().filter(commitment_due_on__lt=today)
           .annotate(accept_event=Subquery(events.order_by("pk").values("pk")[:1]))
           .exclude(accept_event__isnull=True).exclude(Exists(raised)))
    by_stage = dict(due.values_list("pk", "accept_event"))
    count = 0
    for stage in _stages(by_stage):
        event = StageEvent(pk=by_stage[stage.pk], stage=stage, project=stage.project)
        count += _raise_commitment(stage, event, today) is not None
    return count


def _raise_commitment(stage, event, today):
    names = "、".join(item.get("name", item.get("key", "")) for item in stage.missing_items)
    enterprise_users = [m.user for m in stage.project.enterprise.members.all()]
    over = workdays_between(stage.commitment_due_on, today)
    return escalation_raise(
        obj=event, level=Level.RED, recipients=[*enterprise_users, *handlers(stage)],
        title=f"容缺承诺逾期: {_label(stage)}",
        body=(f"{_label(stage)} 容缺受理时承诺于 {stage.commitment_due_on:%Y-%m-%d} 前补齐 {names}, "
              f"至今未补齐" + (f"(已逾期 {over} 个工作日)" if over else "") + "。"),
        link=link(stage), reason="容缺材料逾期未补齐")
