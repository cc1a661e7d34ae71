"""The 护商通 sweep: every running node clock of every open demand, every ten minutes.

Registered as "commissioners.demands" (CommissionersConfig.ready()); notifications.sweep runs it
in its own transaction under the sweep lock. Nodes and where their clock lives:

    accept (commissioner), review (group leader), dispatch (bureau), rate (enterprise)
        Demand.due_on / warning_level — one clock per demand, restarted at each node;
    answer (working groups, in parallel)
        DemandDispatch.due_on / warning_level — one clock per group's share.

Each step asks the database which rows cross a line (stored due_on, partial indexes on open
rows), moves their warning_level with one conditional UPDATE (notifications.levels.move_level)
and raises an Escalation only for the rows that call moved:

    yellow     working days left <= the node's threshold     the node's handler
    red        today > due_on                                handler + supervisor
    escalated  red for N working days (default 2)            the enterprise's paired leaders, the
                                                             responsible working group's leader,
                                                             the enterprise's commissioner
    rate node  today > due_on                                closed as 未评价 (demand_close_unrated)

A demand passes several nodes, each with its own clock, while an Escalation is unique per
(object, level). So a demand node's escalation hangs on the DemandEvent that started the node
(the audit row is the outbox, STYLE.md 8), and a working group's on its DemandDispatch.
"""

import logging
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from core.links import url_maker
from enterprises.models import Enterprise, EnterpriseMember
from notifications.clocks import STOPPED
from notifications.levels import (
    describe_due,
    distinct_values,
    drop_moved_entries,
    long_overdue,
    move_batches,
    move_level,
    warning_due,
)
from notifications.models import Level
from notifications.services import Raise, escalations_raise, insert_rows
from workdays import add_workdays, workdays_between

from .choices import DEMAND_NODES, NODE_STARTS, DemandAction, DemandStatus, Node, Rating
from .holders import People, group_leader, node_holders
from .models.demands import Demand, DemandCategory, DemandDispatch, DemandEvent, WarningLevel
from .models.org import WorkingGroup
from .selectors.demands import demands_rating_overdue

log = logging.getLogger(__name__)

W = WarningLevel


def sweep_demands(now):
    today = timezone.localdate(now)
    people = People()
    counts = {"closed_unrated": close_unrated(today)}
    for prefix, rows, green, raise_ in (
        ("demand", _demand_rows(), _demand_green(), _raise_demands),
        ("dispatch", _dispatch_rows(), _dispatch_green(), _raise_dispatches),
    ):
        thresholds = distinct_values(green, "warning_threshold")
        for level, batches in _sweep(rows, thresholds, today):
            counts[f"{prefix}_{level}"] = 0
            for ids in batches:  # one UPDATE moves a batch; its escalations are written at once
                counts[f"{prefix}_{level}"] += raise_(ids, level, today, people)
                if prefix == "dispatch" and level == Level.ESCALATED:
                    _mirror_escalated(ids)
        if counts[f"{prefix}_{Level.YELLOW}"] and thresholds:
            line = add_workdays(today, max(thresholds) + 1)
            window = green.filter(warning_threshold__in=thresholds, due_on__gte=today, due_on__lt=line)
            transaction.on_commit(lambda window=window: drop_moved_entries(window))
    return counts


def _sweep(rows, thresholds, today):
    """Move each row as far as its clock says, in order; (level, batches of ids this call moved).

    Yellow moves green rows only, so its `thresholds` are those the green rows (a superset of
    `rows`' green ones) store: read with a loose index scan of the partial index on green rows
    (distinct_values), one index entry per threshold, not every open row. A row keeps the
    threshold its node started with, which may differ from today's DemandPolicy: read from the
    rows, not the policy table. Red and escalated use the domain's one definition of overdue (the
    querysets' overdue(today)); the rating node is yellow at most, and closes as 未评价 instead of
    going red. Each step is a generator: its rows move while the caller walks it, after the step
    before it has finished."""
    may_go_red = rows.filter(current_node__in=DEMAND_NODES) if rows.model is Demand else rows
    return (
        (Level.YELLOW, _move(warning_due(rows, today, "warning_threshold", thresholds), W.YELLOW, [W.GREEN])),
        (Level.RED, _move(may_go_red.overdue(today), W.RED, [W.GREEN, W.YELLOW])),
        (Level.ESCALATED, _move(long_overdue(may_go_red.overdue(today), today), W.ESCALATED, [W.RED])),
    )


# --- which rows cross a line (set-based) -------------------------------------------------------

# The nodes on the demand's own clock: the accept, review and dispatch nodes, and the rating window.
CLOCK_NODES = (*DEMAND_NODES, Node.RATE)


def _demand_rows():
    """The demand's own clocks."""
    return Demand.objects.open().filter(current_node__in=CLOCK_NODES, due_on__isnull=False)


def _demand_green():
    """The green ones among them, as the partial index demand_green_threshold holds them."""
    return Demand.objects.open().filter(current_node__in=CLOCK_NODES, warning_level=W.GREEN)


def _dispatch_rows():
    return DemandDispatch.objects.open().filter(demand__in=Demand.objects.open())


def _dispatch_green():
    """Open shares at green (whatever their demand), as the partial index dispatch_green_threshold
    holds them."""
    return DemandDispatch.objects.open().filter(warning_level=W.GREEN)


def _move(queryset, to_level, from_levels):
    return move_batches(queryset=queryset, to_level=to_level, from_levels=from_levels)


def _mirror_escalated(dispatch_ids):
    """The demand page reads the demand's stored level at the answer node: escalated sticks there too."""
    if dispatch_ids:
        demands = Demand.objects.filter(
            current_node=Node.ANSWER,
            pk__in=DemandDispatch.objects.filter(pk__in=dispatch_ids).values("demand_id"))
        move_level(queryset=demands, to_level=W.ESCALATED, from_levels=[W.GREEN, W.YELLOW, W.RED])


def close_unrated(today):
    """Answered demands whose rating window ran out close as 未评价, a batch at a time.

    What demand_close_unrated does for one demand (the transition close_unrated: closed, rating
    未评价, clock stopped; an event with no actor), done set-based: one conditional UPDATE per
    batch (status still answered, as ConcurrentTransitionMixin checks — a demand rated meanwhile
    is left alone) and one INSERT of the batch's events. The query is the transition's own
    condition (rating_window_over: the window ended before today).
    """
    now = timezone.now()
    closed = 0
    for ids in move_batches(queryset=demands_rating_overdue(today), field="status",
                            to_level=DemandStatus.CLOSED, from_levels=[DemandStatus.ANSWERED],
                            values={"rating": Rating.UNRATED, "closed_at": now, "updated_at": now,
                                    "current_node": "", **STOPPED}):
        insert_rows(DemandEvent(demand_id=pk, actor=None, action=DemandAction.CLOSED_UNRATED,
                                from_status=DemandStatus.ANSWERED, to_status=DemandStatus.CLOSED)
                    for pk in ids)
        closed += len(ids)
    return closed


# --- who hears of it ---------------------------------------------------------------------------

def demand_recipients(demand, level, people):
    """Handler, supervisor, leaders of a node on the demand's own clock."""
    responsible = people.responsible(demand.enterprise)
    group = people.working_group(demand.category)
    node = demand.current_node
    if level == Level.ESCALATED:
        return [*people.leaders(demand.enterprise), *group_leader(group), responsible.commissioner_user]
    handler = node_holders(demand, people)
    supervisor = {
        Node.ACCEPT: [responsible.group_leader_user],
        Node.REVIEW: people.bureau(),
        # The bureau's dispatch is overseen by the leader of the group the matter belongs to.
        Node.DISPATCH: group_leader(group),
        Node.RATE: [],
    }[node]
    return handler if level == Level.YELLOW else [*handler, *supervisor]


def dispatch_recipients(dispatch, level, people):
    group = dispatch.working_group
    enterprise = dispatch.demand.enterprise
    if level == Level.ESCALATED:
        return [*people.leaders(enterprise), group.leader.user,
                people.responsible(enterprise).commissioner_user]
    members = [m for m in group.members.all() if m.is_active]
    return members if level == Level.YELLOW else [*members, group.leader.user]


# --- what they read ----------------------------------------------------------------------------

LINK = "commissioners:demand_detail"


def link(demand_id):
    return reverse(LINK, args=[demand_id])


def _raise_demands(ids, level, today, people):
    """One batch of demands at `level`: read as values (a model instance per wide row cost more than
    the rest of the batch), with one shared instance per enterprise and category."""
    if not ids:
        return 0
    starts = DemandEvent.objects.filter(demand=OuterRef("pk"), action__in=NODE_STARTS).order_by("-pk")
    rows = list(Demand.objects.filter(pk__in=ids).annotate(node_event=Subquery(starts.values("pk")[:1]))
                .order_by("pk").values_list("pk", "title", "current_node", "due_on", "node_event",
                                            "enterprise_id", "category_id"))
    enterprises = _enterprises({row[5] for row in rows})
    # Only the rating node's holders are the enterprise's users (node_holders): their members are
    # read for those enterprises alone.
    members = Prefetch("members", queryset=EnterpriseMember.objects.select_related("user"))
    prefetch_related_objects([enterprises[row[5]] for row in rows if row[2] == Node.RATE], members)
    categories = DemandCategory.objects.in_bulk({row[6] for row in rows})
    # What demand_recipients and node_holders read, without a Demand (an FSM model: costly to build)
    demands = [SimpleNamespace(pk=pk, title=title, current_node=node, due_on=due_on,
                               enterprise=enterprises[enterprise], category=categories[category])
               for pk, title, node, due_on, _event, enterprise, category in rows]
    people.prime(enterprises.values())
    raises, url, prefix = [], url_maker(LINK), f"{Level(level).label}: "
    nodes = {node: str(node.label) for node in Node}  # translated once per node, not per demand
    event_type, demand_type = _content_types(DemandEvent, Demand)
    for demand, row in zip(demands, rows, strict=True):
        label = f"诉求“{demand.title}”({demand.enterprise.name}) · {nodes[demand.current_node]}"
        raises.append(Raise(
            obj=None, target=(event_type, row[4]), matter=(demand_type, demand.pk), level=level,
            recipients=demand_recipients(demand, level, people),
            title=f"{prefix}{label}", body=f"{label}环节: {describe_due(demand.due_on, today)}",
            link=url(demand.pk), reason=_reason(level, demand.due_on, today)))
    return len(escalations_raise(raises))


def _content_types(*models):
    return [ContentType.objects.get_for_model(model).pk for model in models]


def _enterprises(ids):
    """The batch's enterprises, what the messages and People read (name, industry), one each."""
    return Enterprise.objects.only("pk", "name", "industry_id").in_bulk(ids)


def _raise_dispatches(ids, level, today, people):
    rows = list(DemandDispatch.objects.filter(pk__in=ids).order_by("pk").values_list(
        "pk", "due_on", "working_group_id", "demand_id", "demand__title", "demand__enterprise_id"))
    # A working group (a handful) with its leader and members is loaded once and shared by its
    # dispatches, not copied into each dispatch's own prefetch.
    groups = WorkingGroup.objects.filter(pk__in={row[2] for row in rows})
    groups = {g.pk: g for g in groups.select_related("leader__user").prefetch_related("members")}
    enterprises = _enterprises({row[5] for row in rows})
    dispatches = [SimpleNamespace(pk=pk, due_on=due_on, working_group=groups[group], demand=SimpleNamespace(
        pk=demand, title=title, enterprise=enterprises[enterprise]))
        for pk, due_on, group, demand, title, enterprise in rows]
    if level == Level.ESCALATED:
        people.prime(enterprises.values())
    raises, url, prefix = [], url_maker(LINK), f"{Level(level).label}: "
    dispatch_type, demand_type = _content_types(DemandDispatch, Demand)
    for dispatch in dispatches:
        demand = dispatch.demand
        label = f"诉求“{demand.title}”({demand.enterprise.name}) · {dispatch.working_group.name}办理"
        raises.append(Raise(
            obj=None, target=(dispatch_type, dispatch.pk), matter=(demand_type, demand.pk), level=level,
            recipients=dispatch_recipients(dispatch, level, people),
            title=f"{prefix}{label}", body=f"{label}: {describe_due(dispatch.due_on, today)}",
            link=url(demand.pk), reason=_reason(level, dispatch.due_on, today)))
    return len(escalations_raise(raises))


def _reason(level, due_on, today):
    if level != Level.ESCALATED:
        return ""
    return f"超期 {workdays_between(due_on, today)} 个工作日未办结"
