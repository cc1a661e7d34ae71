"""The leaders' figures on enterprises, demands and visits, defined once: the dashboard counts these
querysets and the lists it links to show them, so a number and the rows behind it agree.

`scope` is a core.periods.Scope (a period and the category / industry / list status / working
group / commissioner group cut).
"""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate

from enterprises.models import Enterprise

from .choices import (
    OPEN_DISPATCH,
    SATISFIED_RATINGS,
    UNSATISFIED_RATINGS,
    DemandAction,
    DemandStatus,
    DispatchStatus,
    Rating,
    Urgency,
)
from .models import Assignment, Demand, DemandDispatch, DemandEvent, DemandRating, Visit


def enterprise_q(scope, prefix=""):
    """The scope's cut on enterprises, or on rows reaching one through `prefix`
    (e.g. "project__enterprise__"). Subqueries: no join multiplies a row."""
    q = Q()
    if scope.industry:
        q &= Q(**{f"{prefix}industry_id": scope.industry})
    if scope.list_status:
        q &= Q(**{f"{prefix}list_status": scope.list_status})
    if scope.commissioner_group:
        served = Assignment.objects.active().filter(commissioner__group_id=scope.commissioner_group)
        q &= Q(**{f"{prefix}pk__in": served.values("enterprise_id")})
    return q


def demand_q(scope, prefix=""):
    q = enterprise_q(scope, f"{prefix}enterprise__")
    if scope.working_group:
        shares = DemandDispatch.objects.filter(working_group__code=scope.working_group).values("demand_id")
        mapped = Q(**{f"{prefix}category__working_group_code": scope.working_group})
        q &= Q(**{f"{prefix}pk__in": shares}) | mapped
    return q


def _in_period(field, scope):
    return {f"{field}__gte": scope.start, f"{field}__lte": scope.end}


def _local_day(field, scope):
    """A datetime field's Asia/Shanghai date within the period (USE_TZ: __date is local)."""
    return {f"{field}__date__gte": scope.start, f"{field}__date__lte": scope.end}


# --- demands -------------------------------------------------------------------------------------

def shares_answered(scope):
    """Working-group shares answered in the period (a share later reopened as 不满意 keeps its
    answer: it counts too); cut by the scope's enterprise dimensions and working group."""
    shares = (DemandDispatch.objects.filter(answered_at__isnull=False, **_local_day("answered_at", scope))
              .filter(enterprise_q(scope, "demand__enterprise__"))
              .annotate(answered_on=TruncDate("answered_at")))
    if scope.working_group:
        shares = shares.filter(working_group__code=scope.working_group)
    return shares


def in_time():
    """A share answered on or before its due_on (its answer's Shanghai date)."""
    return Q(answered_on__lte=F("due_on"))


def submitted_q(scope):
    """Submitted in the period (its Asia/Shanghai date)."""
    return Q(**_local_day("created_at", scope))


def demands_submitted(scope):
    return Demand.objects.filter(demand_q(scope)).filter(submitted_q(scope))


# The overview's demand figures: demands submitted in the period (their current status splits
# them: the list's own ?status=), their satisfaction, and what stands open today.

def satisfied():
    """Closed with a satisfied rating (非常满意 / 满意 / 基本满意)."""
    return Q(status=DemandStatus.CLOSED, rating__in=SATISFIED_RATINGS)


def unsatisfied():
    """Rated 不满意 or 非常不满意 in any round (reopened or not)."""
    return Q(Exists(DemandRating.objects.filter(demand=OuterRef("pk"), level__in=UNSATISFIED_RATINGS)))


def unrated():
    """Closed as 未评价 (the rating window passed)."""
    return Q(status=DemandStatus.CLOSED, rating=Rating.UNRATED)


def urgent_open():
    return ~Q(status=DemandStatus.CLOSED) & Q(urgency=Urgency.URGENT)


def attention_open():
    return ~Q(status=DemandStatus.CLOSED) & Q(leader_attention=True)


def shares_live(scope):
    """Working-group shares of the period's demands, 改派-withdrawn ones left out."""
    shares = DemandDispatch.objects.filter(demand_q(scope, "demand__"),
                                           status__in=[*OPEN_DISPATCH, DispatchStatus.ANSWERED],
                                           **_local_day("demand__created_at", scope))
    if scope.working_group:
        shares = shares.filter(working_group__code=scope.working_group)
    return shares


CURRENT = {"urgent_open": urgent_open, "attention": attention_open}
COHORT = {"satisfied": satisfied, "unsatisfied": unsatisfied, "unrated": unrated}


def demands_for_figure(scope, figure, today):
    """The demands behind a figure of the dashboard (the demand list's ?figure=)."""
    if figure == "submitted":
        return demands_submitted(scope)
    if figure in COHORT:
        return demands_submitted(scope).filter(COHORT[figure]())
    if figure in CURRENT:
        return Demand.objects.filter(demand_q(scope)).filter(CURRENT[figure]())
    if figure == "overdue":
        return Demand.objects.filter(demand_q(scope)).overdue(today)
    if figure in ("shares_open", "shares_answered"):
        status = OPEN_DISPATCH if figure == "shares_open" else [DispatchStatus.ANSWERED]
        return Demand.objects.filter(pk__in=shares_live(scope).filter(status__in=status).values("demand_id"))
    if figure in ("answered", "answered_in_time", "answered_late"):
        shares = shares_answered(scope)
        if figure == "answered_in_time":
            shares = shares.filter(in_time())
        elif figure == "answered_late":
            shares = shares.exclude(in_time())
        return Demand.objects.filter(pk__in=shares.values("demand_id"))
    if figure == "reopened":
        return demands_reopened(scope)
    return None


def demands_reopened(scope):
    events = DemandEvent.objects.filter(action=DemandAction.REOPENED, **_local_day("created_at", scope))
    return Demand.objects.filter(demand_q(scope), pk__in=events.values("demand_id"))


# --- visits and coverage -------------------------------------------------------------------------

def assigned_enterprises(scope):
    """Enterprises with an active 定点服务 assignment, cut by the scope."""
    served = Assignment.objects.active()
    if scope.commissioner_group:
        served = served.filter(commissioner__group_id=scope.commissioner_group)
    return Enterprise.objects.filter(enterprise_q(scope), pk__in=served.values("enterprise_id"))


def visited_since(day):
    return Exists(Visit.objects.filter(enterprise=OuterRef("pk"), visited_on__gte=day))


def enterprises_for_figure(scope, figure, today):
    """The enterprises behind a coverage figure (the enterprise list's ?figure=)."""
    assigned = assigned_enterprises(scope)
    if figure == "assigned":
        return assigned
    if figure == "visited30":
        return assigned.filter(visited_since(today - dt.timedelta(days=29)))
    if figure == "visited90":
        return assigned.filter(visited_since(today - dt.timedelta(days=89)))
    if figure == "not_visited90":
        return assigned.exclude(visited_since(today - dt.timedelta(days=89)))
    if figure == "never_visited":
        return assigned.exclude(Exists(Visit.objects.filter(enterprise=OuterRef("pk"))))
    return None
