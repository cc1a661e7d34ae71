"""The leaders' figures on enterprises, demands and visits, defined once: the dashboard counts these
querysets and the lists it links to show them, so a number and the rows behind it agree.

`scope` is a core.periods.Scope (a period and the category / industry / list status / working
group / commissioner group cut).
"""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate

from enterprises.models import Enterprise

from .choices import DemandAction
from .models import Assignment, Demand, DemandDispatch, DemandEvent, Visit


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


def demands_submitted(scope):
    return Demand.objects.filter(demand_q(scope), **_local_day("created_at", scope))


def demands_for_figure(scope, figure, today):
    """The demands behind a figure of the dashboard's demand section (the demand list's ?figure=)."""
    if figure == "submitted":
        return demands_submitted(scope)
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
