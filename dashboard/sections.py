"""The command centre's sections: each a list of tables (title, columns, rows), the same for the
page, the Excel export and the weekly report. Definitions live in approvals.figures and
commissioners.figures, which the linked lists use too; docs/dashboard.md states each one.

A cell is a plain value or a Link (value, url); a link opens the list behind the number with the
same filters. Each builder costs a fixed number of queries, except where a figure needs the
working-day calendar row by row (node and answer times): those read the period's rows once.
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum, Value, Window
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals import figures as af
from approvals.models import ProjectCategory, StageKind
from commissioners import figures as cf
from commissioners.choices import DemandAction, DemandStatus, Node, Rating
from commissioners.models import (
    Commissioner,
    CommissionerGroup,
    Demand,
    DemandCategory,
    DemandEvent,
    DemandRating,
    Leader,
    Visit,
    WorkingGroup,
)
from core.periods import within_days
from enterprises.models import Enterprise, Industry, ListStatus
from workdays import add_workdays, workdays_between

from . import summary
from .stats import percentiles_in_python, percentiles_of_counts, rate, with_percentiles, yi

WAN = Decimal(10_000)  # visits record 万元


@dataclass(frozen=True)
class Link:
    value: object
    url: str

    def __str__(self):
        return str(self.value)


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    note: str = ""
    chart: dict | None = None  # a stacked bar chart whose bars link to the lists (sections.js)

    @property
    def chart_id(self):
        return f"chart-data-{self.key}"


SECTIONS = {
    "promises": gettext_lazy("承诺兑现"),
    "demands": gettext_lazy("诉求办理"),
    "coverage": gettext_lazy("服务覆盖"),
    "equality": gettext_lazy("同等对待"),
    "pipeline": gettext_lazy("招商项目"),
    "operation": gettext_lazy("企业运行"),
}


def stacked_bars(labels, series):
    """A chart spec: series of (name, [Link], colour) over labels; each bar opens its Link's list."""
    return {
        "labels": [str(label) for label in labels],
        "series": [
            {
                "name": str(name),
                "color": color,
                "values": [_value(cell) for cell in cells],
                "urls": [getattr(cell, "url", "") for cell in cells],
            }
            for name, cells, color in series
        ],
    }


def _swap(link, value, figure, other):
    """The same list with another figure: the late ones beside the counted ones."""
    path, _sep, query = link.url.partition("?")
    params = [(key, other if key == "figure" and item == figure else item) for key, item in parse_qsl(query)]
    return Link(value, f"{path}?{urlencode(params)}")


def _value(cell):
    return cell.value if isinstance(cell, Link) else cell


def scalar_counts(**querysets):
    """{name: row count} of several querysets in one statement (a scalar subquery each)."""
    parts, params = [], []
    for queryset in querysets.values():
        sql, more = (
            queryset.order_by()
            .values(one=Value(1))
            .annotate(n=Count("pk"))
            .values("n")
            .query.sql_with_params()
        )
        parts.append(f"COALESCE(({sql}), 0)")
        params.extend(more)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return dict(zip(querysets, cursor.fetchone(), strict=True))


def list_url(name, scope, **extra):
    return f"{reverse(name)}?{urlencode(scope.params(**extra))}"


# --- 承诺兑现: promises kept --------------------------------------------------------------------


def promises(scope, today):
    categories = list(
        ProjectCategory.objects.filter(**({"code": scope.category} if scope.category else {})).order_by(
            "order", "pk"
        )
    )
    counts, stage_counts, used = _promise_counts(scope, categories)
    by_category = Table(
        "promises_projects",
        _("各类项目办结情况(按类别时限)"),
        [
            _("项目类别"),
            _("时限(工作日)"),
            _("办结项目"),
            _("按时办结"),
            _("按时率(%)"),
            _("用时中位数(工作日)"),
            _("用时90分位(工作日)"),
        ],
    )
    for category in categories:
        row = counts.get(category.code, {"n": 0, "on_time": 0, "p50": None, "p90": None})
        cut = replace(scope, category=category.code)
        by_category.rows.append(
            [
                category.name,
                category.limit_workdays,
                Link(row["n"], list_url("approvals:project_list", cut, figure="finished")),
                Link(row["on_time"], list_url("approvals:project_list", cut, figure="on_time")),
                rate(row["on_time"], row["n"]),
                row["p50"],
                row["p90"],
            ]
        )
    stage_spread = {kind: percentiles_of_counts(counts) for kind, counts in used.items()}
    by_stage = Table(
        "promises_stages",
        _("各审批阶段按时办结(按阶段时限)"),
        [
            _("审批阶段"),
            _("通过阶段"),
            _("按时通过"),
            _("按时率(%)"),
            _("平均时限(工作日)"),
            _("用时中位数(工作日)"),
            _("用时90分位(工作日)"),
        ],
    )
    for kind, label in StageKind.choices:
        row = stage_counts.get(kind, {"n": 0, "on_time": 0, "budget": None})
        by_stage.rows.append(
            [
                str(label),
                Link(row["n"], list_url("approvals:queue", scope, figure="finished", kind=kind)),
                Link(row["on_time"], list_url("approvals:queue", scope, figure="on_time", kind=kind)),
                rate(row["on_time"], row["n"]),
                round(row["budget"] / row["n"], 1) if row["n"] else None,
                *stage_spread.get(kind, (None, None)),
            ]
        )
    # As of the summary's last refresh when there is one (it sums every open project's stages:
    # too much for a request at 1M), counted now otherwise; the list behind it is counted now.
    stored = summary.state_count(scope, "risk_now")
    at_risk = stored[1] if stored else af.projects_at_risk(scope, today).count()
    note = _("已用工作日 + 未办阶段时限 + 当前阶段已超期工作日 > 类别时限")
    if stored:
        as_of = timezone.localtime(stored[0])
        note = f"{note} · " + _("统计截至 %(time)s") % {
            "time": as_of.strftime("%H:%M" if as_of.date() == today else "%Y-%m-%d %H:%M")}
    risk = Table(
        "promises_risk",
        _("在办项目预计超时"),
        [_("预计超出类别时限的在办项目")],
        [[Link(at_risk, list_url("approvals:project_list", scope, figure="at_risk"))]],
        note=note,
    )
    by_category.chart = stacked_bars(
        [row[0] for row in by_category.rows],
        [
            (_("按时办结"), [row[3] for row in by_category.rows], "#198754"),
            (
                _("超时办结"),
                [_swap(row[2], row[2].value - row[3].value, "finished", "late") for row in by_category.rows],
                "#dc3545",
            ),
        ],
    )
    return [by_category, by_stage, risk]


def _promise_counts(scope, categories):
    """({category code: {n, on_time, p50, p90}} of the projects finished in the period, {kind: {n,
    on_time, budget}} of the stages approved, {kind: [(working days used, how many)]}): from the
    summary's approved and finished rows and the days since its refresh; counted live when it
    was never built."""
    found = summary.promise_rows(scope)
    stage_counts, used = {}, {}
    if found is None:
        codes = {category.pk: category.code for category in categories}
        projects = {codes.get(pk): row for pk, row in with_percentiles(
            af.projects_finished(scope), "used_total", "category",
            n=Count("pk"), on_time=Count("pk", filter=af.on_time_projects())).items()}
        # One pass, grouped by kind and the working days used (a small integer): the counts summed
        # per kind, the percentiles from each kind's distribution (no sort of the period's stages).
        rows = [{"family": "approved", "key": row["kind"], "spread": row["used_workdays"], **row}
                for row in (af.stages_finished(scope).order_by().values("kind", "used_workdays")
                            .annotate(n=Count("pk"), on_time=Count("pk", filter=af.on_time_stages()),
                                      budget=Sum("budget_workdays")))]
    else:
        projects, spread, rows = {}, {}, found[1]
        for row in rows:
            if row["family"] == "finished":
                total = projects.setdefault(row["category"], {"n": 0, "on_time": 0})
                total["n"] += row["n"]
                total["on_time"] += row["on_time"]
                spread.setdefault(row["category"], []).append((row["spread"], row["n"]))
        for code, total in projects.items():
            total["p50"], total["p90"] = percentiles_of_counts(spread[code])
    for row in rows:
        if row["family"] == "approved":
            total = stage_counts.setdefault(row["key"], {"n": 0, "on_time": 0, "budget": 0})
            for name in total:  # int: PostgreSQL sums the summary's bigints as numeric
                total[name] += int(row[name])
            used.setdefault(row["key"], []).append((row["spread"], row["n"]))
    return projects, stage_counts, used


# --- 诉求办理: demand service --------------------------------------------------------------------

NODE_SPANS = summary.NODE_SPANS  # the event that starts a node → the node and the events that end it


def _local_days(scope, field="created_at"):
    """A datetime's local date within the period (core.periods.within_days)."""
    return within_days(field, scope.start, scope.end)


def _of_scoped_demands(scope):
    """Rows of the demands the scope cuts (every demand when it cuts none: no subquery then)."""
    q = cf.demand_q(scope)
    return Q(demand__in=Demand.objects.filter(q)) if q else Q()


def node_spans(scope):
    """[(node, urgency, started on, ended on)] of the accept, review and dispatch nodes that ended
    in the period, read from the demands' histories (one query over the period's demands)."""
    starts_or_ends = set(NODE_SPANS) | {a for _node, ends in NODE_SPANS.values() for a in ends}
    touched = DemandEvent.objects.filter(_local_days(scope))
    events = (
        DemandEvent.objects.filter(
            _of_scoped_demands(scope),
            demand_id__in=touched.values("demand_id"),
            action__in=starts_or_ends,
        )
        .select_related(None)
        # The Shanghai date in SQL: a time zone per row in Python was most of this section at 1M.
        .annotate(day=TruncDate("created_at"))
        .values_list("demand_id", "demand__urgency", "action", "day")
        .order_by("demand_id", "created_at", "id")
    )
    spans, open_node = [], {}
    for demand_id, urgency, action, day in events:
        started = open_node.get(demand_id)
        if started and action in NODE_SPANS[started[0]][1]:
            node = NODE_SPANS[started[0]][0]
            if scope.start <= day <= scope.end:
                spans.append((node, urgency, started[1], day))
            open_node.pop(demand_id)
        if action in NODE_SPANS:
            open_node[demand_id] = (action, day)
    return spans


def node_figures(scope, today):
    """{node: {"n", "in_time", "days": [(working days used, how many)]}} of the spans that ended in
    the period: those ended before the summary's last refresh from its node rows, those since
    counted now by the same SQL (two statements and the policies); walked in Python when the
    summary was never built (or its calendar ran out: the beat stopped for a year)."""
    refreshed = summary.stored(scope, families=("node",))
    live = None if refreshed is None else summary.live_node_rows(scope, refreshed[0], refreshed[1], today)
    per_node = {}
    if live is not None:
        for row in [*refreshed[2], *live]:
            stats = per_node.setdefault(row["key"], {"n": 0, "in_time": 0, "days": []})
            stats["n"] += row["n"]
            stats["in_time"] += row["on_time"]
            stats["days"].append((row["spread"], row["n"]))
        return per_node
    limits = summary.node_limit_table()
    for node, urgency, started, ended in node_spans(scope):
        stats = per_node.setdefault(node, {"n": 0, "in_time": 0, "days": []})
        stats["n"] += 1
        stats["in_time"] += ended <= add_workdays(started, limits[node, urgency])
        stats["days"].append((workdays_between(started, ended), 1))
    return per_node


def demands(scope, today):
    per_node = node_figures(scope, today)
    nodes = Table(
        "demands_nodes",
        _("各环节按时办理"),
        [_("环节"), _("办结"), _("按时"), _("按时率(%)"), _("用时中位数(工作日)")],
    )
    for node in (Node.ACCEPT, Node.REVIEW, Node.DISPATCH):
        stats = per_node.get(node, {"n": 0, "in_time": 0, "days": []})
        nodes.rows.append(
            [
                str(Node(node).label),
                stats["n"],
                stats["in_time"],
                rate(stats["in_time"], stats["n"]),
                percentiles_of_counts(stats["days"])[0],
            ]
        )
    shares = list(
        cf.shares_answered(scope).values_list("working_group_id", "started_on", "answered_on", "due_on")
    )
    groups = Table(
        "demands_groups",
        _("各专业服务工作组答复情况"),
        [_("工作组"), _("答复"), _("按时答复"), _("按时率(%)"), _("用时中位数(工作日)")],
    )
    by_group = {}
    for gid, started, answered, due in shares:
        by_group.setdefault(gid, []).append((started, answered, due))
    for group in WorkingGroup.objects.order_by("order", "pk"):
        mine = by_group.get(group.pk, [])
        in_time = sum(1 for _s, answered, due in mine if answered <= due)
        cut = replace(scope, working_group=group.code)
        groups.rows.append(
            [
                group.name,
                Link(len(mine), list_url("commissioners:demand_list", cut, figure="answered")),
                Link(in_time, list_url("commissioners:demand_list", cut, figure="answered_in_time")),
                rate(in_time, len(mine)),
                percentiles_in_python([workdays_between(s, a) for s, a, _d in mine])[0],
            ]
        )
    groups.chart = stacked_bars(
        [row[0] for row in groups.rows],
        [
            (_("按时答复"), [row[2] for row in groups.rows], "#198754"),
            (
                _("超时答复"),
                [
                    _swap(row[1], row[1].value - row[2].value, "answered", "answered_late")
                    for row in groups.rows
                ],
                "#dc3545",
            ),
        ],
    )
    return [nodes, groups, _satisfaction(scope), _by_category(scope)]


def _satisfaction(scope):
    ratings = dict(
        DemandRating.objects.filter(_of_scoped_demands(scope), _local_days(scope))
        .values_list("level")
        .annotate(n=Count("pk"))
    )
    closings = DemandEvent.objects.filter(_of_scoped_demands(scope), _local_days(scope)).aggregate(
        unrated=Count("pk", filter=Q(action=DemandAction.CLOSED_UNRATED)),
        reopened=Count("pk", filter=Q(action=DemandAction.REOPENED)),
    )
    table = Table("demands_satisfaction", _("好差评分布"), [_("评价"), _("件数")])
    for level, label in Rating.choices:
        count = closings["unrated"] if level == Rating.UNRATED else ratings.get(level, 0)
        table.rows.append([str(label), count])
    table.rows.append(
        [
            _("不满意重新办理"),
            Link(closings["reopened"], list_url("commissioners:demand_list", scope, figure="reopened")),
        ]
    )
    return table


def _by_category(scope):
    # Counted from the period's demands (the same rows, bounded on created_at so that the index
    # finds them), not per category over every demand.
    counts = {row["category_id"]: row for row in cf.demands_submitted(scope).filter(_local_days(scope))
              .order_by().values("category_id")
              .annotate(n=Count("pk"), closed=Count("pk", filter=Q(status=DemandStatus.CLOSED)))}
    table = Table("demands_categories", _("诉求分类汇总"), [_("诉求类别"), _("提出"), _("已办结")])
    for category in DemandCategory.objects.order_by("order", "pk"):
        row = counts.get(category.pk, {"n": 0, "closed": 0})
        table.rows.append(
            [
                category.name,
                Link(
                    row["n"],
                    list_url(
                        "commissioners:demand_list", scope, figure="submitted", demand_category=category.code
                    ),
                ),
                Link(
                    row["closed"],
                    list_url("commissioners:demand_list", scope, figure="submitted",
                             status=DemandStatus.CLOSED, demand_category=category.code),
                ),
            ]
        )
    return table


# --- 服务覆盖: service coverage -------------------------------------------------------------------


def coverage(scope, today):
    assigned = cf.assigned_enterprises(scope)
    month, quarter = today - dt.timedelta(days=29), today - dt.timedelta(days=89)
    counts = scalar_counts(
        leaders=Leader.objects.all(),
        paired=Enterprise.objects.filter(
            pk__in=Leader.paired_enterprises.through.objects.values("enterprise_id")
        ),
        groups=WorkingGroup.objects.all(),
        commissioners=Commissioner.objects.filter(is_active=True),
    )
    org = Table(
        "coverage_org",
        _("服务体系"),
        [_("项目"), _("数量")],
        [
            [_("委领导"), counts["leaders"]],
            [_("挂钩服务的领军企业"), counts["paired"]],
            [_("专业服务工作组"), counts["groups"]],
            [_("营商环境专员"), counts["commissioners"]],
        ],
    )
    by_list = dict(assigned.values_list("list_status").annotate(n=Count("pk")))
    for value, label in ListStatus.choices:
        org.rows.append(
            [
                _("定点服务的%(list)s") % {"list": label},
                Link(
                    by_list.get(value, 0),
                    list_url("enterprises:directory", replace(scope, list_status=value), figure="assigned"),
                ),
            ]
        )
    totals = assigned.aggregate(
        n=Count("pk"),
        month=Count("pk", filter=cf.visited_since(month)),
        quarter=Count("pk", filter=cf.visited_since(quarter)),
        never=Count("pk", filter=~Exists(Visit.objects.filter(enterprise=OuterRef("pk")))),
    )
    visits = Table(
        "coverage_visits",
        _("走访覆盖(定点服务企业)"),
        [
            _("定点服务企业"),
            _("近30天走访"),
            _("近30天覆盖率(%)"),
            _("近90天走访"),
            _("近90天覆盖率(%)"),
            _("90天未走访"),
            _("从未走访"),
        ],
        [
            [
                Link(totals["n"], list_url("enterprises:directory", scope, figure="assigned")),
                Link(totals["month"], list_url("enterprises:directory", scope, figure="visited30")),
                rate(totals["month"], totals["n"]),
                Link(totals["quarter"], list_url("enterprises:directory", scope, figure="visited90")),
                rate(totals["quarter"], totals["n"]),
                Link(
                    totals["n"] - totals["quarter"],
                    list_url("enterprises:directory", scope, figure="not_visited90"),
                ),
                Link(totals["never"], list_url("enterprises:directory", scope, figure="never_visited")),
            ]
        ],
    )
    return [org, visits, _coverage_by_group(scope, month, quarter), _coverage_by_commissioner(scope, quarter)]


def _coverage_by_group(scope, month, quarter):
    active = Q(assignments__ended_on__isnull=True)
    groups = CommissionerGroup.objects.filter(
        **({"pk": scope.commissioner_group} if scope.commissioner_group else {})
    )
    table = Table(
        "coverage_groups",
        _("各专员小组走访覆盖"),
        [_("专员小组"), _("定点服务企业"), _("近30天走访"), _("近90天走访"), _("近90天覆盖率(%)")],
    )
    served = cf.assigned_enterprises(scope).filter(active)
    rows = {
        row["assignments__commissioner__group"]: row
        for row in served.values("assignments__commissioner__group").annotate(
            n=Count("pk", distinct=True),
            month=Count("pk", distinct=True, filter=cf.visited_since(month)),
            quarter=Count("pk", distinct=True, filter=cf.visited_since(quarter)),
        )
    }
    for group in groups.order_by("pk"):
        row = rows.get(group.pk, {})
        cut = replace(scope, commissioner_group=group.pk)
        table.rows.append(
            [
                group.name,
                Link(row.get("n", 0), list_url("enterprises:directory", cut, figure="assigned")),
                Link(row.get("month", 0), list_url("enterprises:directory", cut, figure="visited30")),
                Link(row.get("quarter", 0), list_url("enterprises:directory", cut, figure="visited90")),
                rate(row.get("quarter", 0), row.get("n", 0)),
            ]
        )
    return table


def _coverage_by_commissioner(scope, quarter, limit=10):
    """The commissioners whose assigned enterprises were least visited in the last 90 days."""
    people = (
        Commissioner.objects.filter(is_active=True, assignments__ended_on__isnull=True)
        .filter(**({"group_id": scope.commissioner_group} if scope.commissioner_group else {}))
        .annotate(
            n=Count("assignments__enterprise", distinct=True),
            visited=Count(
                "assignments__enterprise",
                distinct=True,
                filter=Q(assignments__enterprise__visits__visited_on__gte=quarter),
            ),
        )
        .select_related("user", "group")
        .order_by("visited", "-n", "pk")[:limit]
    )
    table = Table(
        "coverage_commissioners",
        _("走访覆盖最低的专员(近90天)"),
        [_("专员"), _("专员小组"), _("定点服务企业"), _("近90天走访"), _("覆盖率(%)")],
    )
    for person in people:
        table.rows.append(
            [str(person.user), person.group.name, person.n, person.visited, rate(person.visited, person.n)]
        )
    return table


# --- 同等对待: equal treatment -------------------------------------------------------------------


def answer_days(scope, today):
    """{list status: [(working days from submission to answer, how many)]} of the period's answers:
    those written before the summary's last refresh from its answer rows, those since counted
    now by the same SQL; counted live when the summary was never built."""
    refreshed = summary.stored(scope, families=("answer",))
    live = None if refreshed is None else summary.live_answer_rows(scope, refreshed[0], refreshed[1], today)
    if live is None:
        return _answer_days_live(scope)
    found = {}
    for row in [*refreshed[2], *live]:
        found.setdefault(row["key"], []).append((row["spread"], row["n"]))
    return found


def _answer_days_live(scope):
    answers = DemandEvent.objects.filter(
        _of_scoped_demands(scope),
        _local_days(scope),
        action__in=[DemandAction.ANSWERED, DemandAction.ANSWERED_FIRST_CONTACT],
    ).order_by().annotate(
        submitted_on=TruncDate("demand__created_at"), answered_on=TruncDate("created_at")
    ).values_list("demand__enterprise__list_status", "submitted_on", "answered_on")
    # The Shanghai dates in SQL (as node_spans does), the calendar once per pair of dates: a time
    # zone and a calendar lookup per row in Python were most of this section at 1M.
    found, between = {}, {}
    for list_status, submitted, answered in answers:
        if (submitted, answered) not in between:
            between[submitted, answered] = workdays_between(submitted, answered)
        found.setdefault(list_status, []).append((between[submitted, answered], 1))
    return found


def equality(scope, today):
    """Demand answer times, satisfaction and approval times side by side per list status."""
    answered = answer_days(scope, today)
    rated = DemandRating.objects.filter(_of_scoped_demands(scope), _local_days(scope))
    satisfied = {
        row["demand__enterprise__list_status"]: row
        for row in rated.values("demand__enterprise__list_status")
        .annotate(
            n=Count("pk"),
            good=Count("pk", filter=Q(level__in=[Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.BASIC])),
        )
        .order_by()
    }
    approval = _approval_by_list(scope)
    table = Table(
        "equality",
        _("四上、名单外、招商引资企业同等对待"),
        [
            _("名单类别"),
            _("诉求答复件数"),
            _("答复用时中位数(工作日)"),
            _("评价件数"),
            _("满意率(%)"),
            _("办结项目"),
            _("审批用时中位数(工作日)"),
        ],
    )
    for value, label in ListStatus.choices:
        days = answered.get(value, [])
        sat = satisfied.get(value, {"n": 0, "good": 0})
        cut = replace(scope, list_status=value)
        table.rows.append(
            [
                str(label),
                sum(n for _days, n in days),
                percentiles_of_counts(days)[0],
                sat["n"],
                rate(sat["good"], sat["n"]),
                Link(approval.get(value, {}).get("n", 0),
                     list_url("approvals:project_list", cut, figure="finished")),
                approval.get(value, {}).get("p50"),
            ]
        )
    return [table]


def _approval_by_list(scope):
    """{list status: {n, p50}} of the projects finished in the period (from the summary's finished
    rows when it was built)."""
    found = summary.promise_rows(scope, families=("finished",))
    if found is None:
        return with_percentiles(af.projects_finished(scope), "used_total", "enterprise__list_status",
                                n=Count("pk"))
    spread = {}
    for row in found[1]:
        if row["family"] == "finished":
            spread.setdefault(row["key"], []).append((row["spread"], row["n"]))
    return {key: {"n": sum(n for _days, n in counts),
                  **dict(zip(("p50", "p90"), percentiles_of_counts(counts), strict=True))}
            for key, counts in spread.items()}


# --- 招商项目: the investment pipeline -----------------------------------------------------------


def pipeline(scope, today):
    # One pass over the period's major projects, grouped by their two dates: the totals summed,
    # the working days from introduction to start counted once per pair of dates.
    totals, to_start = {"n": 0, "signed": None, "started": 0}, []
    for introduced_on, started_on, n, signed in (
            af.majors_introduced(scope).order_by().values("introduced_on", "construction_started_on")
            .annotate(n=Count("pk"), signed=Sum("signed_amount"))
            .values_list("introduced_on", "construction_started_on", "n", "signed")):
        totals["n"] += n
        if signed is not None:
            totals["signed"] = (totals["signed"] or 0) + signed
        if started_on is not None:
            totals["started"] += n
            to_start.append((workdays_between(introduced_on, started_on), n))
    # The first twenty stalled, with how many there are (a window count over the same rows: when
    # none come back there are none).
    stalled = list(af.majors_stalled(scope, today).select_related("enterprise")
                   .annotate(stalled=Window(Count("pk"))).order_by("introduced_on", "pk")[:20])
    summary = Table(
        "pipeline",
        _("重大项目引进与开工"),
        [
            _("引进重大项目"),
            _("签约额(亿元)"),
            _("已开工"),
            _("引进至开工中位数(工作日)"),
            _("引进逾一季度未开工"),
        ],
        [
            [
                Link(totals["n"], list_url("approvals:project_list", scope, figure="introduced")),
                yi(totals["signed"]),
                Link(totals["started"],
                     list_url("approvals:project_list", scope, figure="introduced_started")),
                percentiles_of_counts(to_start)[0],
                Link(stalled[0].stalled if stalled else 0,
                     list_url("approvals:project_list", scope, figure="stalled")),
            ]
        ],
    )
    listed = Table(
        "pipeline_stalled",
        _("引进逾一季度未开工的重大项目"),
        [_("项目"), _("企业"), _("引进日期"), _("签约额(亿元)")],
    )
    for project in stalled:
        listed.rows.append(
            [
                Link(project.name, reverse("approvals:project_detail", args=[project.pk])),
                project.enterprise.name,
                project.introduced_on,
                yi(project.signed_amount),
            ]
        )
    return [summary, listed]


# --- 企业运行: enterprise operation --------------------------------------------------------------


def _latest(field, until):
    visits = Visit.objects.filter(
        enterprise=OuterRef("pk"), visited_on__lte=until, **{f"{field}__isnull": False}
    ).order_by("-visited_on", "-pk")
    return Subquery(visits.values(field)[:1])


def operation(scope, today):
    """The latest output value, employees and orders recorded at visits up to the period's end,
    summed by industry and by list status, beside the same as of the previous period's end."""
    until, before = min(scope.end, today), scope.period.previous().end
    rows = (
        Enterprise.objects.filter(cf.enterprise_q(scope))
        .annotate(
            out=_latest("output_value", until),
            staff=_latest("employees", until),
            orders=_latest("orders", until),
            out_before=_latest("output_value", before),
            staff_before=_latest("employees", before),
            orders_before=_latest("orders", before),
        )
        .values_list(
            "industry_id",
            "list_status",
            "out",
            "staff",
            "orders",
            "out_before",
            "staff_before",
            "orders_before",
        )
    )
    industries = dict(Industry.objects.values_list("pk", "name"))
    by_industry, by_list = {}, {}
    for industry, list_status, *values in rows:
        for groups, key in ((by_industry, industry), (by_list, list_status)):
            sums = groups.setdefault(key, [0] * 6)
            for index, value in enumerate(values):
                sums[index] += value or 0
    columns = [
        _("产值(万元)"),
        _("较上期(万元)"),
        _("从业人数"),
        _("较上期(人)"),
        _("在手订单(万元)"),
        _("较上期(万元)"),
    ]

    def line(label, sums):
        out, staff, orders, out_b, staff_b, orders_b = sums
        return [
            label,
            float(out),
            float(out - out_b),
            staff,
            staff - staff_b,
            float(orders),
            float(orders - orders_b),
        ]

    table_industry = Table(
        "operation_industries",
        _("企业运行(按行业, 走访记录的最新数据)"),
        [_("行业"), *columns],
        [
            line(industries.get(k, _("未分类")), v)
            for k, v in sorted(by_industry.items(), key=lambda item: industries.get(item[0], ""))
        ],
    )
    table_list = Table(
        "operation_lists",
        _("企业运行(按名单类别)"),
        [_("名单类别"), *columns],
        [line(str(label), by_list[value]) for value, label in ListStatus.choices if value in by_list],
    )
    return [table_industry, table_list]


BUILDERS = {
    "promises": promises,
    "demands": demands,
    "coverage": coverage,
    "equality": equality,
    "pipeline": pipeline,
    "operation": operation,
}


def build(key, scope, today):
    return BUILDERS[key](scope, today)
