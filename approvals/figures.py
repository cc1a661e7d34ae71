"""The leaders' figures on projects and stages, defined once: the dashboard counts these querysets
and the lists it links to (?figure=…) show them, so a number and the rows behind it agree.

`scope` is a core.periods.Scope. Working days are the clocks' own: a stage's `used_workdays` (clock
pauses excluded), a project's the sum of its stages'.
"""

from django.db.models import Case, F, IntegerField, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from commissioners.figures import enterprise_q
from core.periods import months_back
from notifications.levels import WarningLevel
from workdays import workdays_between

from .choices import CLOCK_OPEN, LIVE, RUNNING, ProjectStatus, StageStatus
from .models import ApprovalStage, Project
from .models.stage import overdue_on


def project_q(scope, prefix=""):
    q = enterprise_q(scope, f"{prefix}enterprise__")
    if scope.category:
        q &= Q(**{f"{prefix}category__code": scope.category})
    return q


def _used_total():
    """A project's working days so far: the sum of its stages' used_workdays (a subquery)."""
    used = (ApprovalStage.objects.filter(project=OuterRef("pk"), used_workdays__isnull=False).order_by()
            .values("project").annotate(total=Sum("used_workdays")).values("total"))
    return Coalesce(Subquery(used, output_field=IntegerField()), 0)


def projects_finished(scope):
    """Projects whose approval completed (审批完成) in the period, with `used_total`."""
    return (Project.objects.filter(project_q(scope), status=ProjectStatus.COMPLETED,
                                   finished_on__gte=scope.start, finished_on__lte=scope.end)
            .annotate(used_total=_used_total()))


def on_time_projects():
    """Finished within the category's promise (60 / 50 / 24 working days)."""
    return Q(used_total__lte=F("category__limit_workdays"))


def stages_finished(scope, kind=""):
    """Stages approved in the period (a refused stage ends the project: it is no promise kept or
    broken), cut by the project's scope."""
    stages = ApprovalStage.objects.filter(project_q(scope, "project__"), status=StageStatus.APPROVED,
                                          used_workdays__isnull=False,
                                          finished_on__gte=scope.start, finished_on__lte=scope.end)
    return stages.filter(kind=kind) if kind else stages


def on_time_stages():
    return Q(used_workdays__lte=F("budget_workdays"))


def majors_introduced(scope):
    """Major projects introduced (引进) in the period. Drafts (and drafts withdrawn before they were
    ever submitted) count nowhere on the dashboard: they are the enterprise's own, leaders do not
    see them."""
    return Project.objects.handed_in().filter(project_q(scope), is_major=True,
                                              introduced_on__gte=scope.start, introduced_on__lte=scope.end)


def majors_stalled(scope, today):
    """Major projects introduced more than one quarter (three months) before today, not started."""
    return Project.objects.handed_in().filter(
        project_q(scope), is_major=True, introduced_on__lt=months_back(today, 3),
        construction_started_on__isnull=True,
    ).exclude(status__in=[ProjectStatus.WITHDRAWN, ProjectStatus.REJECTED])


def at_risk(scope, today):
    """The open projects that will miss their category's limit at their current pace, one row
    each (project_id, eid: its enterprise, cat: its category's code): the working days their
    finished stages used, plus the budgets of the stages still to run, plus the working days a
    running stage is already past its due_on (on the clocks' calendar), exceed the limit.

    One grouped pass over the open projects' stages (not three subqueries per project), all in
    SQL: the overrun is a CASE over the few due_on days of running stages now past them, each's
    working days counted once here (one small query on the stage_due_running index). Should a
    project run two stages at once, the earlier due_on, the larger overrun, counts."""
    over = Q(status__in=RUNNING, due_on__lt=today)  # approvals.models.stage.overdue_on
    late_days = ApprovalStage.objects.filter(over).order_by().values_list("due_on", flat=True).distinct()
    overrun = Case(*[When(late_due=day, then=Value(workdays_between(day, today))) for day in late_days],
                   default=Value(0), output_field=IntegerField())
    return (ApprovalStage.objects.filter(project_q(scope, "project__"), project__status__in=LIVE).order_by()
            .values("project_id", eid=F("project__enterprise_id"), cat=F("project__category__code"),
                    limit=F("project__category__limit_workdays"))
            .annotate(planned=Coalesce(Sum("used_workdays"), 0)
                      + Coalesce(Sum("budget_workdays", filter=Q(used_workdays__isnull=True)), 0),
                      late_due=Min("due_on", filter=over))
            .annotate(expected=F("planned") + overrun)
            .filter(expected__gt=F("limit")))


def projects_at_risk(scope, today):
    """The projects of at_risk() (the list behind 在办项目预计超时)."""
    return Project.objects.filter(pk__in=at_risk(scope, today).values("project_id"))


# --- the overview: projects handed in during the period, stages as they stand today ----------------

def projects_handed_in(scope):
    """Projects handed in (first submitted) in the period, cut by the scope: the overview's
    project figures. A project's current status splits them (the list's own ?status=)."""
    return Project.objects.handed_in().filter(project_q(scope), submitted_on__gte=scope.start,
                                              submitted_on__lte=scope.end)


LEVELS = ("green", "yellow", "red", "escalated")


def stage_level_q(level, today):
    """The warning level an open stage (clock started, not finished) shows today: the stored
    level the sweep acted on, except that a running stage past its due_on is red even before the
    next sweep has moved it (escalated stays escalated)."""
    escalated = Q(warning_level=WarningLevel.ESCALATED)
    red = ~escalated & (Q(warning_level=WarningLevel.RED) | overdue_on(today))
    yellow = ~escalated & ~red & Q(warning_level=WarningLevel.YELLOW)
    return {"escalated": escalated, "red": red, "yellow": yellow,
            "green": ~escalated & ~red & ~yellow}[level]


def stages_open(scope):
    """Stages whose clock has started and not finished, today, cut by the scope's dimensions
    (the period does not apply: a state, not a flow)."""
    return ApprovalStage.objects.filter(project_q(scope, "project__"), status__in=CLOCK_OPEN)


def decided_q(scope):
    """Decided (approved or refused) in the period, with the working days it used."""
    return Q(status__in=[StageStatus.APPROVED, StageStatus.REJECTED], used_workdays__isnull=False,
             finished_on__gte=scope.start, finished_on__lte=scope.end)


def stages_decided(scope, kind=""):
    """Stages decided in the period, cut by the scope: the overview's average time used."""
    stages = ApprovalStage.objects.filter(project_q(scope, "project__")).filter(decided_q(scope))
    return stages.filter(kind=kind) if kind else stages


def projects_for_figure(scope, figure, today):
    """The projects behind a figure (the project list's ?figure=), or None for an unknown one."""
    if figure == "handed_in":
        return projects_handed_in(scope)
    if figure == "handed_in_open":
        return projects_handed_in(scope).filter(status__in=LIVE)
    if figure == "finished":
        return projects_finished(scope)
    if figure == "on_time":
        return projects_finished(scope).filter(on_time_projects())
    if figure == "late":
        return projects_finished(scope).exclude(on_time_projects())
    if figure == "introduced":
        return majors_introduced(scope)
    if figure == "introduced_started":
        return majors_introduced(scope).filter(construction_started_on__isnull=False)
    if figure == "stalled":
        return majors_stalled(scope, today)
    if figure == "at_risk":
        return projects_at_risk(scope, today)
    return None


def stages_for_figure(scope, figure, today, kind=""):
    """The stages behind a figure (the stage list's ?figure=&kind=)."""
    if figure in LEVELS:
        return stages_open(scope).filter(stage_level_q(figure, today))
    if figure == "overdue":
        return ApprovalStage.objects.filter(project_q(scope, "project__")).overdue(today)
    if figure == "decided":
        return stages_decided(scope, kind)
    if figure == "finished":
        return stages_finished(scope, kind)
    if figure == "on_time":
        return stages_finished(scope, kind).filter(on_time_stages())
    if figure == "late":
        return stages_finished(scope, kind).exclude(on_time_stages())
    return None
