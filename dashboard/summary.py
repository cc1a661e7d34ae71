"""The overview's summary table (issue 12, part 3): its figures counted ahead, so that a leader's
page reads a few hundred small rows instead of aggregating every open stage and demand.

`summary_refresh()` rebuilds SummaryRow whole, set-based: one DELETE and one INSERT … SELECT …
GROUP BY per family of rows, in one transaction, whatever the number of rows (the beat runs it
every five minutes; `manage.py refresh_dashboard` by hand). It stores

- the flows of every day before the refresh's day (`cut`), per day × category × the enterprise's
  industry, list and commissioner group (× working group for demands) × status or stage kind,
  and the same summed per month (a period reads its whole months from those, its edges by day);
- the states as they stood at the refresh (`day` empty): open stages per warning level and those
  overdue, open projects at risk of missing their category's limit (承诺兑现's figure, which no
  request can count live at 1M: it sums every open project's stages), open demands urgent, under
  a leader's attention, overdue.

`summary_figures()` answers any period and filter from it in one query, and counts the flows of
the days from `cut` on live (today's rows: index ranges). The definitions are those of
approvals.figures and commissioners.figures: the SELECTs below are built from the same querysets
the lists use; tests/dashboard/test_summary.py holds the summary's figures to the live ones under
every filter.
"""

import datetime as dt
import time
from dataclasses import replace
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Min, Q, Subquery, Sum, Value, When
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from approvals import figures as af
from commissioners import figures as cf
from commissioners.choices import OPEN_DISPATCH, DemandAction, Node, Urgency
from commissioners.clock import node_limits
from commissioners.models import Assignment, Demand, DemandDispatch, DemandEvent, DemandPolicy
from core.periods import Period, Scope, local_midnight, months_back
from enterprises.models import Enterprise
from workdays import is_workday, workdays_between
from workdays.calendar import mark_stale

from .models import SummaryRefresh, SummaryRow, SummaryWorkday

BEGINNING = dt.date(1900, 1, 1)
MEASURES = ("n", "major", "amount", "used", "budget", "satisfied", "unsatisfied", "unrated",
            "urgent", "attention", "overdue", "on_time")
# Cut by category, not by working group.
STAGE_FAMILIES = ("project", "stage", "stage_now", "risk_now", "approved", "finished")
# Cut by working group (membership), not by category.
DEMAND_FAMILIES = ("demand", "demand_now", "node", "answer")
# What the overview reads; the sections read their own (node: 诉求办理, answer: 同等对待).
OVERVIEW_FAMILIES = ("project", "stage", "demand", "share", "stage_now", "risk_now", "demand_now")


def _flag(q):
    return Case(When(q, then=1), default=0, output_field=IntegerField())


def _whole(end):
    return Scope(period=Period("custom", BEGINNING, end))


# --- the rows, as querysets of the shared definitions ----------------------------------------------

def project_rows(scope):
    """Projects handed in: (eid, day, category, key=status, major, amount)."""
    return (af.projects_handed_in(scope).order_by()
            .annotate(eid=F("enterprise_id"), d=F("submitted_on"), cat=F("category__code"), k=F("status"),
                      mj=_flag(Q(is_major=True)),
                      amt=Case(When(is_major=True, then=F("signed_amount")), default=Value(Decimal(0))))
            .values("eid", "d", "cat", "k", "mj", "amt"))


def stage_rows(scope):
    """Stages decided: (eid, day, category, key=kind, used, budget)."""
    return (af.stages_decided(scope).order_by()
            .annotate(eid=F("project__enterprise_id"), d=F("finished_on"), cat=F("project__category__code"),
                      k=F("kind"), u=F("used_workdays"), b=F("budget_workdays"))
            .values("eid", "d", "cat", "k", "u", "b"))


def approved_rows(scope):
    """Stages approved (承诺兑现): (eid, day, category, key=kind, used, budget, on time)."""
    return (af.stages_finished(scope).order_by()
            .annotate(eid=F("project__enterprise_id"), d=F("finished_on"), cat=F("project__category__code"),
                      k=F("kind"), u=F("used_workdays"), b=F("budget_workdays"),
                      ot=_flag(af.on_time_stages()))
            .values("eid", "d", "cat", "k", "u", "b", "ot"))


def finished_rows(scope):
    """Projects completed (承诺兑现, 同等对待): (eid, day, category, list, working days used, on time)."""
    return (af.projects_finished(scope).order_by()
            .annotate(eid=F("enterprise_id"), d=F("finished_on"), cat=F("category__code"),
                      ls=F("enterprise__list_status"), u=F("used_total"), ot=_flag(af.on_time_projects()))
            .values("eid", "d", "cat", "ls", "u", "ot"))


def demand_rows(scope, since=None):
    """Demands submitted: (did, eid, day, key=status, satisfied, unsatisfied, unrated)."""
    rows = cf.demands_submitted(scope)
    if since:  # the same rows; a bound on the column itself, so that an index range finds them
        rows = rows.filter(created_at__gte=local_midnight(since))
    return (rows.order_by()
            .annotate(did=F("pk"), eid=F("enterprise_id"), d=TruncDate("created_at"), k=F("status"),
                      **{f"r_{key}": _flag(q()) for key, q in cf.COHORT.items()})
            .values("did", "eid", "d", "k", *(f"r_{key}" for key in cf.COHORT)))


def share_rows(scope, since=None):
    """Live working-group shares of the period's demands: (did, eid, day, wg, key=open|answered)."""
    rows = cf.shares_live(scope)
    if since:
        rows = rows.filter(demand__created_at__gte=local_midnight(since))
    return (rows.order_by()
            .annotate(did=F("demand_id"), eid=F("demand__enterprise_id"), d=TruncDate("demand__created_at"),
                      wg=F("working_group__code"),
                      k=Case(When(status__in=OPEN_DISPATCH, then=Value("open")), default=Value("answered")))
            .values("did", "eid", "d", "wg", "k"))


def stage_state_rows(today):
    """Open stages today: (eid, category, key=level, overdue)."""
    level = Case(*[When(af.stage_level_q(name, today), then=Value(name)) for name in af.LEVELS])
    return (af.stages_open(_whole(today)).order_by()
            .annotate(eid=F("project__enterprise_id"), cat=F("project__category__code"), k=level,
                      od=_flag(af.overdue_on(today)))
            .values("eid", "cat", "k", "od"))


def risk_state_rows(today):
    """Open projects at risk of missing their category's limit today (approvals.figures.at_risk):
    (eid, category)."""
    return af.at_risk(_whole(today), today).values("eid", "cat")


def demand_state_rows(today):
    """Open demands today: (did, eid, urgent, attention, overdue)."""
    from commissioners.models.demands import overdue_on

    return (Demand.objects.open().order_by()
            .annotate(did=F("pk"), eid=F("enterprise_id"), ur=_flag(cf.urgent_open()),
                      at=_flag(cf.attention_open()), od=_flag(overdue_on(today)))
            .values("did", "eid", "ur", "at", "od"))


# 诉求办理's node spans: the event that starts a node → the node and the events that end it.
NODE_SPANS = {
    DemandAction.SUBMITTED: (Node.ACCEPT, (DemandAction.ACCEPTED, DemandAction.ANSWERED_FIRST_CONTACT)),
    DemandAction.SENT_BACK: (Node.ACCEPT, (DemandAction.ACCEPTED, DemandAction.ANSWERED_FIRST_CONTACT)),
    DemandAction.ACCEPTED: (Node.REVIEW, (DemandAction.REVIEWED, DemandAction.SENT_BACK)),
    DemandAction.REVIEWED: (Node.DISPATCH, (DemandAction.DISPATCHED,)),
}
SPAN_NODES = (Node.ACCEPT, Node.REVIEW, Node.DISPATCH)


def node_limit_table():
    """{(node, urgency): limit in working days} of the spanned nodes, as the clocks set them now."""
    policies = {(row.node, row.urgency): row.limit_workdays for row in DemandPolicy.objects.all()}
    return {(node, urgency): policies.get((node, urgency)) or node_limits(node=node, urgency=urgency)[0]
            for node in SPAN_NODES for urgency in Urgency.values}


def node_span_rows(limits, *, before=None, since=None, scope=None, period=None):
    """The accept, review and dispatch nodes whose ending event was written before the time
    `before` or from the time `since` (of the demands `scope` cuts, ended within `period`: a
    (first, last) pair of days, when given), one row each: (did, eid, d: the day it ended, k: the
    node, u: working days used, ot: 1 when in time), as SQL and parameters — one pass over the
    events in a window per node, the calendar joined as SummaryWorkday.

    The same spans as walking each history in order (dashboard.sections.node_spans): an event
    ending node N closes a span when the latest earlier event that starts any node or ends N
    started N (a later start replaced it, an earlier end closed it)."""
    every_end = {end for _node, ends in NODE_SPANS.values() for end in ends}
    events = DemandEvent.objects.filter(action__in=[*NODE_SPANS, *every_end]).order_by()
    if scope is not None:
        events = events.filter(cf.demand_q(scope, "demand__"))
    if before is not None:  # a span's start was written no later than its end
        events = events.filter(created_at__lt=before)
    if since is not None:  # the histories of the demands with an event since then, whole
        events = events.filter(demand_id__in=DemandEvent.objects.filter(created_at__gte=since)
                               .values("demand_id"))
    events = events.annotate(did=F("demand_id"), act=F("action"), d=TruncDate("created_at"),
                             t=F("created_at"), i=F("id"),
                             late=_flag(Q(created_at__gte=since)) if since is not None else Value(1))
    events_sql, params = _sql(events.values("did", "act", "d", "t", "i", "late"))
    window = "OVER (PARTITION BY x.did ORDER BY x.t, x.i)"
    parts, part_params = [], []
    for node in SPAN_NODES:
        starts = [start for start, (spanned, _ends) in NODE_SPANS.items() if spanned == node]
        ends = next(ends for spanned, ends in NODE_SPANS.values() if spanned == node)
        relevant = [*NODE_SPANS, *ends]
        parts.append(
            f"SELECT y.did, y.d, y.started, %s AS k FROM (SELECT x.did, x.act, x.d, x.late, "
            f"LAG(x.act) {window} AS prev, LAG(x.d) {window} AS started FROM x "
            f"WHERE x.act IN ({', '.join(['%s'] * len(relevant))})) y "
            f"WHERE y.late = 1 AND y.act IN ({', '.join(['%s'] * len(ends))}) "
            f"AND y.prev IN ({', '.join(['%s'] * len(starts))})")
        part_params += [node, *relevant, *ends, *starts]
    limit = " ".join(f"WHEN s.k = %s AND dm.urgency = %s THEN {int(limits[key])}" for key in limits)
    params += [value for key in limits for value in key] + part_params
    workdays, demands, quote = SummaryWorkday._meta.db_table, Demand._meta.db_table, connection.ops.quote_name
    through = quote("through")
    within = ""
    if period is not None:
        within = "WHERE s.d >= %s AND s.d <= %s"
        params += list(period)
    return (f"WITH x AS ({events_sql}) "
            f"SELECT s.did, dm.enterprise_id AS eid, s.d, s.k, we.{through} - ws.{through} AS u, "
            f"CASE WHEN we.next_through - ws.{through} <= CASE {limit} END THEN 1 ELSE 0 END AS ot "
            f"FROM ({' UNION ALL '.join(parts)}) s JOIN {demands} dm ON dm.id = s.did "
            f"JOIN {workdays} ws ON ws.day = s.started JOIN {workdays} we ON we.day = s.d {within}",
            params)


WORKDAYS_AHEAD = 366  # SummaryWorkday's days past the refresh, for the node spans counted live


def answer_rows(*, before=None, since=None, scope=None, period=None):
    """Demands answered (办理完毕 or 首接答复) before the time `before` or from the time `since` (of
    the demands `scope` cuts, answered within `period`: (first, last) days, when given), one row
    per answer: (did, eid, d: the day answered, ls: the enterprise's list, u: working days from
    the demand's submission), as SQL and parameters (同等对待's answer times)."""
    answers = DemandEvent.objects.filter(
        action__in=[DemandAction.ANSWERED, DemandAction.ANSWERED_FIRST_CONTACT]).order_by()
    if scope is not None:
        answers = answers.filter(cf.demand_q(scope, "demand__"))
    if before is not None:
        answers = answers.filter(created_at__lt=before)
    if since is not None:
        answers = answers.filter(created_at__gte=since)
    if period is not None:
        answers = answers.filter(created_at__gte=local_midnight(period[0]),
                                 created_at__lt=local_midnight(period[1] + dt.timedelta(days=1)))
    sql, params = _sql(answers.annotate(
        did=F("demand_id"), eid=F("demand__enterprise_id"), ls=F("demand__enterprise__list_status"),
        d=TruncDate("created_at"), sd=TruncDate("demand__created_at")).values("did", "eid", "ls", "d", "sd"))
    workdays, through = SummaryWorkday._meta.db_table, connection.ops.quote_name("through")
    return (f"SELECT a.did, a.eid, a.d, a.ls, wa.{through} - ws.{through} AS u FROM ({sql}) a "
            f"JOIN {workdays} ws ON ws.day = a.sd JOIN {workdays} wa ON wa.day = a.d", params)


def _workdays(cursor, today):
    """SummaryWorkday from the first demand's or demand event's day (today's, before the first
    demand: the demands raised after this refresh are counted live on it) to a year after today,
    counted by workdays."""
    SummaryWorkday.objects.all().delete()
    firsts = [DemandEvent.objects.aggregate(first=Min("created_at"))["first"],
              Demand.objects.aggregate(first=Min("created_at"))["first"]]
    known = [moment for moment in firsts if moment is not None]
    day = timezone.localdate(min(known)) if known else today
    base = day - dt.timedelta(days=1)
    rows = []
    while day <= today + dt.timedelta(days=WORKDAYS_AHEAD):
        through = workdays_between(base, day)
        rows.append(SummaryWorkday(day=day, through=through, next_through=through + (not is_workday(day))))
        day += dt.timedelta(days=1)
    SummaryWorkday.objects.bulk_create(rows, batch_size=2000)


def commissioner_groups():
    """(eid, cg): every enterprise under 0, and under each group serving it (enterprise_q's cut)."""
    every = Enterprise.objects.order_by().annotate(e=F("pk"), g=Value(0)).values("e", "g")
    served = (Assignment.objects.active().filter(commissioner__group__isnull=False).order_by()
              .annotate(e=F("enterprise_id"), g=F("commissioner__group_id")).values("e", "g"))
    return every.union(served)


def working_groups():
    """(did, wg): every demand under "", and under each working group demand_q's cut gives it
    (shared with the group in any status, or of a category the group handles)."""
    every = Demand.objects.order_by().annotate(dm=F("pk"), w=Value("")).values("dm", "w")
    shared = DemandDispatch.objects.order_by().annotate(dm=F("demand_id"), w=F("working_group__code")).values(
        "dm", "w")
    mapped = (Demand.objects.exclude(category__working_group_code="").order_by()
              .annotate(dm=F("pk"), w=F("category__working_group_code")).values("dm", "w"))
    return every.union(shared, mapped)


# --- the refresh -----------------------------------------------------------------------------------

def _sql(queryset):
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def _insert(cursor, family, rows, *, day, category, working_group, key, measures, share_group="''",
            spread="0", demand=False):
    """INSERT … SELECT … GROUP BY: `rows` (a queryset, or its SQL and parameters) joined to its
    enterprise and commissioner groups (and the demand's working groups), summed per day ×
    dimensions × key (× spread)."""
    table, enterprises = SummaryRow._meta.db_table, Enterprise._meta.db_table
    rows_sql, params = rows if isinstance(rows, tuple) else _sql(rows)
    groups_sql, group_params = _sql(commissioner_groups())
    joins = f"JOIN ({groups_sql}) m ON m.e = r.eid "
    params += group_params
    if demand:
        wg_sql, wg_params = _sql(working_groups())
        joins += f"JOIN ({wg_sql}) w ON w.dm = r.did "
        params += wg_params
    measures = {name: measures.get(name, "0") for name in MEASURES}  # model defaults are not the table's
    columns = ["family", "month", "day", "category", "industry_id", "list_status", "commissioner_group",
               "working_group", "share_group", "key", "spread", *measures]
    keys = [day, category, "e.industry_id", "e.list_status", "m.g", working_group, share_group, key, spread]
    grouped = ", ".join(value for value in keys if not value.startswith(("NULL", "'", "0")))
    # Stored in the read index's order, so that a period's rows lie together on disk.
    order = ", ".join(value for value in ("m.g", working_group, day) if not value.startswith(("NULL", "'")))
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT %s, %s, {', '.join(keys)}, {', '.join(measures.values())} "
        f"FROM ({rows_sql}) r JOIN {enterprises} e ON e.id = r.eid {joins}"
        f"GROUP BY {grouped} ORDER BY {order}",
        [family, False, *params])


def summary_refresh(now=None):
    """Rebuild the summary as of now, in one transaction: a fixed number of statements whatever
    the rows (a DELETE, one INSERT … SELECT per family, one for the months). Returns the
    SummaryRefresh row."""
    started = time.monotonic()
    mark_stale()  # a task's start: the calendar's stamp read once (the days past due_on), not by the clock
    now = now or timezone.now()
    today = timezone.localdate(now)
    before = _whole(today - dt.timedelta(days=1))
    SummaryRefresh.objects.get_or_create(pk=1)
    with transaction.atomic():
        # Two refreshes at once would each delete what the other has not yet committed.
        SummaryRefresh.objects.select_for_update().get(pk=1)
        SummaryRow.objects.all().delete()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # group in memory (hash), not by sorting on disk
                cursor.execute("SET LOCAL work_mem = '128MB'")
            _workdays(cursor, today)
            for family, rows, columns in _families(before, today, now):
                _insert(cursor, family, rows, **columns)
            _insert_months(cursor)
            if connection.vendor == "postgresql":  # the planner's statistics for the new rows
                cursor.execute(f"ANALYZE {SummaryRow._meta.db_table}")
        count = SummaryRow.objects.count()
        SummaryRefresh.objects.filter(pk=1).update(as_of=now, cut=today, rows=count,
                                                   seconds=time.monotonic() - started)
    return SummaryRefresh.objects.get(pk=1)


DIMENSIONS = ("family", "category", "industry_id", "list_status", "commissioner_group", "working_group",
              "share_group", "key", "spread")


def _insert_months(cursor):
    """Each month's day rows summed into one row per month × dimensions × key, so that a year
    reads twelve rows where it would read 365 (a period reads its whole months from these and
    the days at its edges from the day rows)."""
    months = (SummaryRow.objects.filter(month=False, day__isnull=False).order_by()
              .annotate(first=TruncMonth("day")).values("first", *DIMENSIONS)
              .annotate(**{f"s_{name}": Sum(name) for name in MEASURES}))
    sql, params = _sql(months)
    columns = ["month", "day", *DIMENSIONS, *MEASURES]
    values = ["%s", "x.first", *(f"x.{name}" for name in DIMENSIONS), *(f"x.s_{name}" for name in MEASURES)]
    cursor.execute(f"INSERT INTO {SummaryRow._meta.db_table} ({', '.join(columns)}) "
                   f"SELECT {', '.join(values)} FROM ({sql}) x "
                   f"ORDER BY x.commissioner_group, x.working_group, x.first", [True, *params])


def _families(before, today, now):
    plain = {"category": "''", "working_group": "''"}
    yield "project", project_rows(before), {
        "day": "r.d", "category": "r.cat", "working_group": "''", "key": "r.k",
        "measures": {"n": "COUNT(*)", "major": "SUM(r.mj)", "amount": "SUM(r.amt)"}}
    yield "stage", stage_rows(before), {
        "day": "r.d", "category": "r.cat", "working_group": "''", "key": "r.k",
        "measures": {"n": "COUNT(*)", "used": "SUM(r.u)", "budget": "SUM(r.b)"}}
    yield "approved", approved_rows(before), {
        "day": "r.d", "category": "r.cat", "working_group": "''", "key": "r.k", "spread": "r.u",
        "measures": {"n": "COUNT(*)", "budget": "SUM(r.b)", "on_time": "SUM(r.ot)"}}
    yield "finished", finished_rows(before), {
        "day": "r.d", "category": "r.cat", "working_group": "''", "key": "e.list_status", "spread": "r.u",
        "measures": {"n": "COUNT(*)", "on_time": "SUM(r.ot)"}}
    yield "demand", demand_rows(before), {
        **plain, "day": "r.d", "working_group": "w.w", "key": "r.k", "demand": True,
        "measures": {"n": "COUNT(*)", **{key: f"SUM(r.r_{key})" for key in cf.COHORT}}}
    yield "share", share_rows(before), {
        **plain, "day": "r.d", "share_group": "r.wg", "key": "r.k",
        "measures": {"n": "COUNT(DISTINCT r.did)"}}
    # As of the refresh's time, not its day: what is counted live is then minutes of events.
    yield "node", node_span_rows(node_limit_table(), before=now), {
        **plain, "day": "r.d", "working_group": "w.w", "key": "r.k", "spread": "r.u", "demand": True,
        "measures": {"n": "COUNT(*)", "on_time": "SUM(r.ot)"}}
    yield "answer", answer_rows(before=now), {
        **plain, "day": "r.d", "working_group": "w.w", "key": "e.list_status", "spread": "r.u",
        "demand": True, "measures": {"n": "COUNT(*)"}}
    yield "stage_now", stage_state_rows(today), {
        "day": "NULL", "category": "r.cat", "working_group": "''", "key": "r.k",
        "measures": {"n": "COUNT(*)", "overdue": "SUM(r.od)"}}
    yield "risk_now", risk_state_rows(today), {
        "day": "NULL", "category": "r.cat", "working_group": "''", "key": "'open'",
        "measures": {"n": "COUNT(*)"}}
    yield "demand_now", demand_state_rows(today), {
        **plain, "day": "NULL", "working_group": "w.w", "key": "'open'", "demand": True,
        "measures": {"n": "COUNT(*)", "urgent": "SUM(r.ur)", "attention": "SUM(r.at)",
                     "overdue": "SUM(r.od)"}}


# --- the read --------------------------------------------------------------------------------------

def _dimensions(scope):
    q = Q(commissioner_group=scope.commissioner_group or 0)
    if scope.industry:
        q &= Q(industry_id=scope.industry)
    if scope.list_status:
        q &= Q(list_status=scope.list_status)
    if scope.category:
        q &= Q(category=scope.category) | ~Q(family__in=STAGE_FAMILIES)
    if not scope.working_group:
        return q & Q(working_group="")
    demands = Q(family__in=DEMAND_FAMILIES, working_group=scope.working_group)
    others = ~Q(family__in=DEMAND_FAMILIES) & Q(working_group="")
    return q & (demands | others) & (~Q(family="share") | Q(share_group=scope.working_group))


def state_count(scope, family):
    """(as_of, n): a state's count under the scope's dimensions as of the last refresh, read with
    the refresh's time in one statement; None when the summary was never built."""
    rows = (SummaryRow.objects.filter(Q(family=family, month=False, day__isnull=True) & _dimensions(scope))
            .order_by().values("family").annotate(total=Sum("n")).values("total"))
    found = (SummaryRefresh.objects.filter(pk=1, as_of__isnull=False)
             .annotate(n=Subquery(rows, output_field=IntegerField())).values_list("as_of", "n").first())
    return None if found is None else (found[0], found[1] or 0)


def _whole_months(start, end):
    """The first and the last day of the whole months within start..end, or None."""
    first = start if start.day == 1 else months_back(start.replace(day=1), -1)
    after = end + dt.timedelta(days=1)
    last = end if after.day == 1 else end.replace(day=1) - dt.timedelta(days=1)
    return (first, last) if first <= last else None


def _period(scope):
    """The stored rows of the period: its whole months' month rows, the day rows of its edges,
    and the states (no day)."""
    q = Q(month=False, day__isnull=True)
    months = _whole_months(scope.start, scope.end)
    if months is None:
        return q | Q(month=False, day__gte=scope.start, day__lte=scope.end)
    first, last = months
    return (q | Q(month=True, day__gte=first, day__lte=last)
            | Q(month=False, day__gte=scope.start, day__lt=first)
            | Q(month=False, day__gt=last, day__lte=scope.end))


def stored(scope, families=OVERVIEW_FAMILIES):
    """(as_of, cut, rows) of the last refresh, or None when the summary was never built: `rows` are
    the summary's rows of `families` for the scope, summed per family × key × category × share's
    group × spread.

    One statement reads the refresh's row and its summary rows together, so they are always of
    the same refresh: read in two, a refresh committing between them (every five minutes, and
    around midnight with a new cut) would pair one refresh's cut with the other's rows, and the
    days between the two cuts would be counted twice (stored and live) or not at all."""
    grouped = (SummaryRow.objects.filter(Q(family__in=families) & _period(scope) & _dimensions(scope))
               .order_by().values("family", "key", "category", "share_group", "spread")
               .annotate(**{name: Sum(name) for name in MEASURES}))
    rows_sql, params = _sql(grouped)
    names = ["family", "key", "category", "share_group", "spread", *MEASURES]
    refresh = SummaryRefresh._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # The refresh's row LEFT JOIN its rows: one row, NULLs, when no summary row matches.
        cursor.execute(
            f"SELECT f.as_of, f.cut, {', '.join(f's.{quote(name)}' for name in names)} "
            f"FROM {quote(refresh)} f LEFT JOIN ({rows_sql}) s ON 1 = 1 "
            f"WHERE f.id = 1 AND f.as_of IS NOT NULL", params)
        found = cursor.fetchall()
    if not found:
        return None
    as_of = _converter(SummaryRefresh, "as_of")(found[0][0])
    cut = _converter(SummaryRefresh, "cut")(found[0][1])
    # The converters looked up once per column, not per value (a section reads thousands of rows).
    converters = [(name, _converter(SummaryRow, name)) for name in names]
    rows = [{name: convert(value) for (name, convert), value in zip(converters, row[2:], strict=True)}
            for row in found if row[2] is not None]
    return as_of, cut, rows


def _converter(model, name):
    """A function turning a raw value into what the ORM would return for that model field (a date
    from SQLite's text, a Decimal from its float); the identity where there is nothing to do."""
    column = model._meta.get_field(name).get_col(model._meta.db_table)
    converters = [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]
    if not converters:
        return lambda value: value

    def convert(value):
        if value is None:
            return None
        for converter in converters:
            value = converter(value, column, connection)
        return value

    return convert


def live_node_rows(scope, as_of, cut, today):
    """The node spans of the period whose ending event was written since the refresh (`as_of`),
    counted now in SQL as the refresh counts them: [{"key": node, "spread": working days, "n",
    "on_time"}]; None when today is past the calendar the refresh stored (the caller then walks
    the histories)."""
    if today > cut + dt.timedelta(days=WORKDAYS_AHEAD):
        return None
    sql, params = node_span_rows(node_limit_table(), since=as_of, scope=scope,
                                 period=(scope.start, scope.end))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT r.k, r.u, COUNT(*), SUM(r.ot) FROM ({sql}) r GROUP BY r.k, r.u", params)
        return [{"key": key, "spread": spread, "n": n, "on_time": on_time}
                for key, spread, n, on_time in cursor.fetchall()]


def live_answer_rows(scope, as_of, cut, today):
    """The answers of the period written since the refresh (`as_of`), counted now as the refresh
    counts them: [{"key": list status, "spread": working days, "n"}]; None when today is past the
    calendar the refresh stored."""
    if today > cut + dt.timedelta(days=WORKDAYS_AHEAD):
        return None
    sql, params = answer_rows(since=as_of, scope=scope, period=(scope.start, scope.end))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT r.ls, r.u, COUNT(*) FROM ({sql}) r GROUP BY r.ls, r.u", params)
        return [{"key": key, "spread": spread, "n": n} for key, spread, n in cursor.fetchall()]


def promise_rows(scope, families=("approved", "finished")):
    """(as_of, rows) of 承诺兑现's `families` (approved stages, finished projects) for the scope:
    the days before the last refresh stored, the days since counted now as summary rows; None
    when the summary was never built. One statement, and one per family for the days since."""
    refreshed = stored(scope, families=families)
    if refreshed is None:
        return None
    as_of, cut, rows = refreshed
    if scope.end >= cut:
        since = replace(scope, period=Period("custom", max(scope.start, cut), scope.end))
        for row in (approved_rows(since).values("k", "u")
                    .annotate(n=Count("pk"), budget=Sum("b"), on_time=Sum("ot"))
                    if "approved" in families else []):
            rows.append({"family": "approved", "key": row.pop("k"), "spread": row.pop("u"), **row})
        for row in finished_rows(since).values("cat", "ls", "u").annotate(n=Count("pk"), on_time=Sum("ot")):
            rows.append({"family": "finished", "category": row.pop("cat"), "key": row.pop("ls"),
                         "spread": row.pop("u"), **row})
    return as_of, rows


def live_rows(scope, cut):
    """The flows of the days from `cut` to the period's end, counted now, as summary rows."""
    if scope.end < cut:
        return []
    since = max(scope.start, cut)
    scope = replace(scope, period=Period("custom", since, scope.end))
    rows = []
    projects = project_rows(scope).values("cat", "k")
    for row in projects.annotate(n=Count("pk"), major=Sum("mj"), amount=Sum("amt")):
        rows.append({"family": "project", "category": row.pop("cat"), "key": row.pop("k"), **row})
    for row in stage_rows(scope).values("k").annotate(n=Count("pk"), used=Sum("u"), budget=Sum("b")):
        rows.append({"family": "stage", "key": row.pop("k"), **row})
    cohort = {key: Sum(f"r_{key}") for key in cf.COHORT}
    for row in demand_rows(scope, since).values("k").annotate(n=Count("pk"), **cohort):
        rows.append({"family": "demand", "key": row.pop("k"), **row})
    for row in share_rows(scope, since).values("wg", "k").annotate(n=Count("demand_id", distinct=True)):
        rows.append({"family": "share", "share_group": row.pop("wg"), "key": row.pop("k"), **row})
    return rows
