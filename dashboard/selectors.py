"""Reads for the dashboard's overview tab (总览), under the command centre's filters.

Flows are counted over the period: projects handed in, stages decided, demands submitted (and
their shares and ratings). States are counted as they stand today, cut by the filters'
dimensions but not by the period: open stages' warning levels, what is overdue, urgent or under a
leader's attention, and the escalations awaiting 督办. docs/dashboard.md states each figure.

The definitions are approvals.figures and commissioners.figures, which the lists behind every
number use too (?figure=…), so a number and its list agree. The whole tab costs a fixed number of
queries (about ten) whatever the data: one conditional aggregate per model instead of a query per
count, lists sliced in SQL, and the working-day arithmetic on the sliced rows in memory.

Drafts are the enterprise's own work (approvals' visible_to hides them from leaders), so no
figure here counts a draft project.
"""

import functools

from django.db.models import Avg, Count, Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext

from approvals import figures as af
from approvals.choices import CLOCK_OPEN, LIVE
from approvals.models import ApprovalStage, ProjectCategory, ProjectStatus, StageKind
from approvals.models.stage import overdue_on
from commissioners import figures as cf
from commissioners.choices import OPEN_DISPATCH, DemandStatus, DispatchStatus
from commissioners.models import Demand, WorkingGroup
from commissioners.models.demands import overdue_on as demand_overdue_on
from notifications.models import Escalation
from workdays import workdays_between

from . import summary
from .stats import one_decimal, rate, yi

LIST_SIZE = 10
STATUSES = [(value, label) for value, label in ProjectStatus.choices if value != ProjectStatus.DRAFT]


# --- projects: handed in during the period -------------------------------------------------------

def projects(scope, categories):
    """Totals, per status and per category × status, majors and their signed amount, of the
    projects handed in during the period: one query. `categories` is [(code, name, limit)]."""
    cells = {"total": Count("pk"), "major": Count("pk", filter=Q(is_major=True)),
             "major_signed": Sum("signed_amount", filter=Q(is_major=True))}
    for value, _label in STATUSES:
        cells[f"s_{value}"] = Count("pk", filter=Q(status=value))
        for code, _name, _limit in categories:
            cells[f"c_{code}_{value}"] = Count("pk", filter=Q(status=value, category__code=code))
    counts = af.projects_handed_in(scope).aggregate(**cells)
    totals = {
        "total": counts["total"], "major": counts["major"],
        "open": sum(counts[f"s_{value}"] for value in LIVE),
        "completed": counts[f"s_{ProjectStatus.COMPLETED}"],
        "major_signed_yi": yi(counts["major_signed"]),
    }
    by_status = [(value, str(label), counts[f"s_{value}"]) for value, label in STATUSES]
    by_category = {
        "categories": [gettext("%(name)s(%(limit)s日)") % {"name": name, "limit": limit}
                       for _code, name, limit in categories],
        "codes": [code for code, _name, _limit in categories],
        "series": [{"key": value, "name": str(label),
                    "data": [counts[f"c_{code}_{value}"] for code, _name, _limit in categories]}
                   for value, label in STATUSES],
    }
    return totals, by_status, by_category


# --- stages: open today, and decided in the period -----------------------------------------------

def stages(scope, *, today):
    """Open stages per warning level today, those overdue, and per stage kind the stages decided
    in the period (average working days used against the average budget): one query."""
    open_, decided = Q(status__in=CLOCK_OPEN), af.decided_q(scope)
    cells = {"open": Count("pk", filter=open_), "overdue": Count("pk", filter=overdue_on(today))}
    for level in af.LEVELS:
        cells[level] = Count("pk", filter=open_ & af.stage_level_q(level, today))
    for kind in StageKind.values:
        mine = decided & Q(kind=kind)
        cells[f"n_{kind}"] = Count("pk", filter=mine)
        cells[f"used_{kind}"] = Avg("used_workdays", filter=mine)
        cells[f"budget_{kind}"] = Avg("budget_workdays", filter=mine)
    # Only the rows any count looks at (open, or decided in the period): indexes, not a whole scan.
    counts = (ApprovalStage.objects.filter(af.project_q(scope, "project__")).filter(open_ | decided)
              .aggregate(**cells))
    levels = {key: counts[key] for key in ("open", "overdue", *af.LEVELS)}
    durations = [{"kind": kind, "name": str(label), "n": counts[f"n_{kind}"],
                  "used": one_decimal(counts[f"used_{kind}"]),
                  "budget": one_decimal(counts[f"budget_{kind}"])}
                 for kind, label in StageKind.choices]
    return levels, durations


def overdue_stages(scope, *, today, limit=LIST_SIZE):
    """The running stages longest past their due_on (earliest due_on first, then the earliest
    opened): one query, down the queue's index (due_on, opened_on, id) to the first ten."""
    rows = (af.stages_for_figure(scope, "overdue", today)
            .select_related("project__enterprise").order_by("due_on", "opened_on", "id")[:limit])
    return [{
        "title": f"{stage.project.name} · {stage.get_kind_display()}",
        "who": stage.project.enterprise.name,
        "due_on": stage.due_on,
        "overdue_workdays": workdays_between(stage.due_on, today),
        "level": stage.warning_level,
        "level_label": stage.get_warning_level_display(),
        "url": reverse("approvals:stage_detail", args=[stage.pk]),
    } for stage in rows]


# --- demands: submitted in the period, and open today --------------------------------------------

def demands(scope, *, today):
    """The period's demands per status, closed rate and satisfaction, with today's urgent,
    overdue and leader-attention open demands: one query."""
    cohort, current = cf.submitted_q(scope), ~Q(status=DemandStatus.CLOSED)
    cells = {"total": Count("pk", filter=cohort),
             "overdue": Count("pk", filter=demand_overdue_on(today)),
             **{key: Count("pk", filter=q()) for key, q in cf.CURRENT.items()},
             **{f"rating_{key}": Count("pk", filter=cohort & q()) for key, q in cf.COHORT.items()}}
    for value, _label in DemandStatus.choices:
        cells[f"s_{value}"] = Count("pk", filter=cohort & Q(status=value))
    # Only the rows any count looks at: submitted in the period, or open today.
    counts = Demand.objects.filter(cf.demand_q(scope)).filter(cohort | current).aggregate(**cells)
    closed = counts[f"s_{DemandStatus.CLOSED}"]
    totals = {"total": counts["total"], "closed": closed, "open": counts["total"] - closed,
              "urgent_open": counts["urgent_open"], "overdue": counts["overdue"],
              "attention": counts["attention"], "closed_rate": rate(closed, counts["total"])}
    by_status = [(value, str(label), counts[f"s_{value}"]) for value, label in DemandStatus.choices]
    rating = {key: counts[f"rating_{key}"] for key in cf.COHORT}
    rating["rate"] = rate(rating["satisfied"], rating["satisfied"] + rating["unsatisfied"])
    return totals, by_status, rating


def demands_by_working_group(scope):
    """Per working group the period's demands it holds a live share of (改派 withdrawn ones left
    out), open and answered: one query. A demand shared with two groups counts once for each."""
    live = Q(dispatches__in=cf.shares_live(scope).values("pk"))
    open_ = live & Q(dispatches__status__in=OPEN_DISPATCH)
    answered = live & Q(dispatches__status=DispatchStatus.ANSWERED)
    groups = WorkingGroup.objects.filter(**({"code": scope.working_group} if scope.working_group else {}))
    return list(groups.annotate(
        total=Count("dispatches__demand", filter=live, distinct=True),
        open=Count("dispatches__demand", filter=open_, distinct=True),
        answered=Count("dispatches__demand", filter=answered, distinct=True),
    ).order_by("order", "id").values("code", "name", "total", "open", "answered"))


def overdue_demands(scope, *, today, limit=LIST_SIZE):
    """Open demands whose current node is past its due_on (earliest first): one query."""
    rows = (cf.demands_for_figure(scope, "overdue", today).select_related("enterprise")
            .order_by("due_on", "id")[:limit])
    return [{
        "title": demand.title,
        "who": demand.enterprise.name,
        "node": demand.get_current_node_display(),
        "urgent": demand.is_urgent,
        "due_on": demand.due_on,
        "overdue_workdays": workdays_between(demand.due_on, today),
        "url": reverse("commissioners:demand_detail", args=[demand.pk]),
    } for demand in rows]


# --- 督办 -----------------------------------------------------------------------------------------

def pending_supervision(*, limit=LIST_SIZE):
    """Escalations no leader has supervised yet: their number and the latest `limit`, in one
    query (the number is a scalar subquery, run once: a window count over the same rows made
    PostgreSQL carry every unsupervised row, 75,000 at 1M, through a sort spilled to disk).

    "Supervised" is supervised_at (what the 督办 page reads): supervised_by alone may be null
    for a supervised row whose leader's account was later deleted.
    """
    pending = (Escalation.objects.unsupervised().order_by().values("supervised_at")
               .annotate(n=Count("pk")).values("n"))
    rows = list(Escalation.objects.unsupervised().annotate(pending=Subquery(pending))
                .order_by("-created_at", "-id")[:limit])
    return {"count": rows[0].pending if rows else 0, "rows": rows}


# --- from the summary table (dashboard.summary) ---------------------------------------------------

def _summed(rows):
    """{(family, key, category, share's group): {measure: total}} over stored and live rows."""
    found = {}
    for row in rows:
        slot = (row["family"], row["key"], row.get("category") or "", row.get("share_group") or "")
        cell = found.setdefault(slot, dict.fromkeys(summary.MEASURES, 0))
        for name in summary.MEASURES:
            cell[name] += row.get(name) or 0
    return found


def _total(found, family, measure="n", key=None, category=None, group=None):
    return sum(cell[measure] for (f, k, c, w), cell in found.items()
               if f == family and key in (None, k) and category in (None, c) and group in (None, w))


def summary_projects(found, categories):
    """projects()'s figures from the summary's rows."""
    count = functools.partial(_total, found, "project")
    amount = count("amount")
    totals = {"total": count(), "major": count("major"), "open": sum(count(key=value) for value in LIVE),
              "completed": count(key=ProjectStatus.COMPLETED),
              "major_signed_yi": yi(amount)}
    by_status = [(value, str(label), count(key=value)) for value, label in STATUSES]
    by_category = {
        "categories": [gettext("%(name)s(%(limit)s日)") % {"name": name, "limit": limit}
                       for _code, name, limit in categories],
        "codes": [code for code, _name, _limit in categories],
        "series": [{"key": value, "name": str(label),
                    "data": [count(key=value, category=code) for code, _name, _limit in categories]}
                   for value, label in STATUSES],
    }
    return totals, by_status, by_category


def summary_stages(found):
    """stages()'s figures: today's levels as of the refresh, the decided ones stored and live."""
    levels = {level: _total(found, "stage_now", key=level) for level in af.LEVELS}
    levels["open"] = _total(found, "stage_now")
    levels["overdue"] = _total(found, "stage_now", "overdue")
    durations = []
    for kind, label in StageKind.choices:
        n = _total(found, "stage", key=kind)
        average = {measure: one_decimal(_total(found, "stage", measure, key=kind) / n) if n else None
                   for measure in ("used", "budget")}
        durations.append({"kind": kind, "name": str(label), "n": n, **average})
    return levels, durations


def summary_demands(found):
    """demands()'s figures: the period's stored and live, today's open ones as of the refresh."""
    count = functools.partial(_total, found, "demand")
    total, closed = count(), count(key=DemandStatus.CLOSED)
    now = functools.partial(_total, found, "demand_now")
    totals = {"total": total, "closed": closed, "open": total - closed, "urgent_open": now("urgent"),
              "overdue": now("overdue"), "attention": now("attention"), "closed_rate": rate(closed, total)}
    by_status = [(value, str(label), count(key=value)) for value, label in DemandStatus.choices]
    rating = {key: count(key) for key in cf.COHORT}
    rating["rate"] = rate(rating["satisfied"], rating["satisfied"] + rating["unsatisfied"])
    return totals, by_status, rating


def summary_working_groups(found, scope, groups):
    """demands_by_working_group()'s figures; `groups` is [(code, name)] in their order."""
    rows = []
    for code, name in groups:
        if scope.working_group and code != scope.working_group:
            continue
        open_ = _total(found, "share", key="open", group=code)
        answered = _total(found, "share", key="answered", group=code)
        # One live share per demand and group (one_live_dispatch_per_group): a demand is open or answered.
        rows.append({"code": code, "name": name, "total": open_ + answered, "open": open_,
                     "answered": answered})
    return rows


PROJECT_KEYS = ("projects", "projects_by_status", "projects_by_category")
STAGE_KEYS = ("stage_levels", "stage_durations")
DEMAND_KEYS = ("demands", "demands_by_status", "satisfaction")


def _flows_and_states(scope, *, today, categories, groups):
    """The aggregates: from the summary when it was built (one query, plus four on the days since
    its refresh), else counted live (four queries)."""
    refreshed = summary.stored(scope)  # the refresh's cut and its rows, in one statement
    if refreshed is None:
        return {"as_of": None,
                **dict(zip(PROJECT_KEYS, projects(scope, categories), strict=True)),
                **dict(zip(STAGE_KEYS, stages(scope, today=today), strict=True)),
                **dict(zip(DEMAND_KEYS, demands(scope, today=today), strict=True)),
                "demands_by_working_group": demands_by_working_group(scope)}
    as_of, cut, rows = refreshed
    found = _summed([*rows, *summary.live_rows(scope, cut)])
    if groups is None:
        groups = list(WorkingGroup.objects.order_by("order", "id").values_list("code", "name"))
    return {"as_of": as_of,
            **dict(zip(PROJECT_KEYS, summary_projects(found, categories), strict=True)),
            **dict(zip(STAGE_KEYS, summary_stages(found), strict=True)),
            **dict(zip(DEMAND_KEYS, summary_demands(found), strict=True)),
            "demands_by_working_group": summary_working_groups(found, scope, groups)}


def dashboard_figures(scope, *, today, categories=None, groups=None):
    """Everything the overview shows, in a fixed number of queries. `categories` is
    [(code, name, limit)] and `groups` [(code, name)] as the filter form already read them (a
    query each when not given). `as_of` is when the summary the aggregates come from was built
    (None: counted now); the lists and 督办 are always read now."""
    if categories is None:
        categories = list(ProjectCategory.objects.order_by("order", "pk")
                          .values_list("code", "name", "limit_workdays"))
    if scope.category:
        categories = [row for row in categories if row[0] == scope.category]
    return {
        **_flows_and_states(scope, today=today, categories=categories, groups=groups),
        "overdue_stages": overdue_stages(scope, today=today),
        "overdue_demands": overdue_demands(scope, today=today),
        "supervision": pending_supervision(),
    }

