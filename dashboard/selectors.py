"""Reads for the leaders' dashboard (领导驾驶舱).

Every function here runs a fixed number of SQL queries, however many projects, stages, demands
or escalations there are: counts and sums are aggregates in the database (Count/Sum/Avg with
filter=Q(...), values().annotate()), and the lists are sliced in SQL. Working-day arithmetic on
the sliced rows uses the in-memory calendar, so it adds no query per row.

Drafts are the enterprise's own work (approvals' visible_to hides them from leaders), so no
figure here counts a draft project.
"""

from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext

from approvals.choices import CLOCK_OPEN, LIVE, StageStatus
from approvals.models import ApprovalStage, Project, ProjectCategory, ProjectStatus, StageKind
from approvals.models.project import HANDED_IN
from approvals.models.stage import overdue_on
from commissioners.choices import OPEN_DISPATCH, OPEN_STATUSES, DemandStatus, DispatchStatus, Urgency
from commissioners.models import Demand, WorkingGroup
from commissioners.models.demands import overdue_on as demand_overdue_on
from commissioners.selectors import demand_rating_summary
from notifications.levels import WarningLevel
from notifications.models import Escalation
from workdays import workdays_between

YI = Decimal(100_000_000)  # 亿元
LIST_SIZE = 10
SUBMITTED = HANDED_IN  # not a draft, nor a draft withdrawn before it was ever submitted
OPEN_PROJECT = Q(status__in=LIVE)


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


# --- projects ------------------------------------------------------------------------------------

def project_totals():
    """项目总数, 审批中 (submitted or in approval), 重大项目 count and signed amount: one query."""
    totals = Project.objects.filter(SUBMITTED).aggregate(
        total=Count("id"),
        open=Count("id", filter=OPEN_PROJECT),
        completed=Count("id", filter=Q(status=ProjectStatus.COMPLETED)),
        major=Count("id", filter=Q(is_major=True)),
        major_signed=Sum("signed_amount", filter=Q(is_major=True)),
    )
    signed = totals["major_signed"] or Decimal(0)
    totals["major_signed_yi"] = float(round(signed / YI, 2))
    return totals


def projects_by_status():
    """[(status, label, count)] in the order of the status choices, drafts left out: one query."""
    counts = dict(Project.objects.filter(SUBMITTED).values_list("status").annotate(n=Count("id")))
    return [(value, str(label), counts.get(value, 0))
            for value, label in ProjectStatus.choices if value != ProjectStatus.DRAFT]


def projects_by_category():
    """Per category its name, limit and count per status, for a stacked bar: two queries."""
    categories = list(ProjectCategory.objects.values("pk", "name", "limit_workdays"))
    cells = (Project.objects.filter(SUBMITTED).values_list("category_id", "status")
             .annotate(n=Count("id")))
    counts = {(category_id, status): n for category_id, status, n in cells}
    statuses = [(value, str(label)) for value, label in ProjectStatus.choices if value != ProjectStatus.DRAFT]
    return {
        "categories": [gettext("%(name)s(%(limit)s日)") % {"name": c["name"], "limit": c["limit_workdays"]}
                       for c in categories],
        "series": [{"key": value, "name": label,
                    "data": [counts.get((c["pk"], value), 0) for c in categories]}
                   for value, label in statuses],
    }


# --- stages --------------------------------------------------------------------------------------

def stage_levels(*, today):
    """Open stages (clock started, not finished) per warning level, and those overdue today.

    The stored warning_level is what the sweep has acted on; a running stage past its due_on
    counts red even before the next sweep has moved it (escalated stays escalated).
    """
    escalated = Q(warning_level=WarningLevel.ESCALATED)
    red = ~escalated & (Q(warning_level=WarningLevel.RED) | overdue_on(today))
    yellow = ~escalated & ~red & Q(warning_level=WarningLevel.YELLOW)
    return ApprovalStage.objects.filter(status__in=CLOCK_OPEN).aggregate(
        open=Count("id"),
        green=Count("id", filter=~escalated & ~red & ~yellow),
        yellow=Count("id", filter=yellow),
        red=Count("id", filter=red),
        escalated=Count("id", filter=escalated),
        overdue=Count("id", filter=overdue_on(today)),
    )


def stage_durations():
    """Per stage kind, over the stages decided (approved or refused): average working days used
    against the average budget, and how many were decided: one query."""
    rows = (ApprovalStage.objects
            .filter(status__in=[StageStatus.APPROVED, StageStatus.REJECTED], used_workdays__isnull=False)
            .values("kind").annotate(used=Avg("used_workdays"), budget=Avg("budget_workdays"), n=Count("id")))
    by_kind = {row["kind"]: row for row in rows}
    return [{"kind": kind, "name": str(label), "n": by_kind.get(kind, {}).get("n", 0),
             "used": _round(by_kind.get(kind, {}).get("used")),
             "budget": _round(by_kind.get(kind, {}).get("budget"))}
            for kind, label in StageKind.choices]


def _round(value):
    return None if value is None else round(float(value), 1)


def overdue_stages(*, today, limit=LIST_SIZE):
    """The running stages longest past their due_on (earliest due_on first): one query."""
    stages = (ApprovalStage.objects.overdue(today)
              .select_related("project__enterprise").order_by("due_on", "id")[:limit])
    return [{
        "title": f"{stage.project.name} · {stage.get_kind_display()}",
        "who": stage.project.enterprise.name,
        "due_on": stage.due_on,
        "overdue_workdays": workdays_between(stage.due_on, today),
        "level": stage.warning_level,
        "level_label": stage.get_warning_level_display(),
        "url": reverse("approvals:stage_detail", args=[stage.pk]),
    } for stage in stages]


# --- demands -------------------------------------------------------------------------------------

def demand_totals(*, today):
    """Total, closed (办结), open, urgent open (重大紧急) and overdue open demands: one query."""
    is_open = Q(status__in=OPEN_STATUSES)
    totals = Demand.objects.aggregate(
        total=Count("id"),
        closed=Count("id", filter=Q(status=DemandStatus.CLOSED)),
        open=Count("id", filter=is_open),
        urgent_open=Count("id", filter=is_open & Q(urgency=Urgency.URGENT)),
        overdue=Count("id", filter=demand_overdue_on(today)),
        attention=Count("id", filter=is_open & Q(leader_attention=True)),
    )
    totals["closed_rate"] = _percent(totals["closed"], totals["total"])
    return totals


def demands_by_status():
    counts = dict(Demand.objects.values_list("status").annotate(n=Count("id")))
    return [(value, str(label), counts.get(value, 0)) for value, label in DemandStatus.choices]


def demands_by_working_group():
    """Per working group its live dispatches (改派 withdrawn ones left out), open and answered:
    one query. A demand dispatched to two groups counts once for each."""
    live = Q(dispatches__status__in=[*OPEN_DISPATCH, DispatchStatus.ANSWERED])
    open_ = Q(dispatches__status__in=OPEN_DISPATCH)
    groups = WorkingGroup.objects.annotate(
        total=Count("dispatches", filter=live),
        open=Count("dispatches", filter=open_),
        answered=Count("dispatches", filter=Q(dispatches__status=DispatchStatus.ANSWERED)),
    ).order_by("order", "id").values("name", "total", "open", "answered")
    return list(groups)


def satisfaction():
    """满意 (非常满意/满意/基本满意), 不满意 (不满意/非常不满意, any round) and 未评价 counts
    from commissioners' demand_rating_summary (three queries); 未评价 counts neither way."""
    summary = demand_rating_summary()
    summary["rate"] = _percent(summary["satisfied"], summary["satisfied"] + summary["unsatisfied"])
    return summary


def overdue_demands(*, today, limit=LIST_SIZE):
    """Open demands whose current node is past its due_on (earliest first): one query."""
    demands = (Demand.objects.overdue(today).select_related("enterprise")
               .order_by("due_on", "id")[:limit])
    return [{
        "title": demand.title,
        "who": demand.enterprise.name,
        "node": demand.get_current_node_display(),
        "urgent": demand.is_urgent,
        "due_on": demand.due_on,
        "overdue_workdays": workdays_between(demand.due_on, today),
        "url": reverse("commissioners:demand_detail", args=[demand.pk]),
    } for demand in demands]


# --- 督办 -----------------------------------------------------------------------------------------

def pending_supervision(*, limit=LIST_SIZE):
    """Escalations no leader has supervised yet: their number and the latest `limit`. Two queries.

    "Supervised" is supervised_at (what the 督办 page reads): supervised_by alone may be null
    for a supervised row whose leader's account was later deleted.
    """
    pending = Escalation.objects.unsupervised()
    rows = pending.order_by("-created_at", "-id")[:limit]
    return {"count": pending.count(), "rows": list(rows)}


def dashboard_figures(*, today):
    """Everything the page shows, in a fixed number of queries (about 17)."""
    return {
        "projects": project_totals(),
        "projects_by_status": projects_by_status(),
        "projects_by_category": projects_by_category(),
        "stage_levels": stage_levels(today=today),
        "stage_durations": stage_durations(),
        "overdue_stages": overdue_stages(today=today),
        "demands": demand_totals(today=today),
        "demands_by_status": demands_by_status(),
        "demands_by_working_group": demands_by_working_group(),
        "satisfaction": satisfaction(),
        "overdue_demands": overdue_demands(today=today),
        "supervision": pending_supervision(),
    }
