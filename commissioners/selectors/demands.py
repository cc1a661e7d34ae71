"""Reads of the 护商通 procedure for pages, the API and later the dashboards. No N+1."""

import datetime as dt

from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN, BUREAU, COMMISSIONER, ENTERPRISE, GROUP_LEADER, LEADER, WORKING_GROUP
from enterprises.timeline import Entry, Source
from notifications.clocks import most_urgent_first

from .. import figures
from ..choices import (
    OPEN_STATUSES,
    DemandAction,
    DemandStatus,
    DispatchStatus,
    Node,
    Urgency,
)
from ..models.demands import Demand, DemandDispatch, DemandEvent, overdue_on
from ..models.org import Assignment
from ..models.policies import Policy
from ..models.visits import Visit
from .org import enterprise_leaders, responsible_for

__all__ = [
    "QUEUES", "DONE", "demand_urgent_leaders", "demand_list_for", "demand_get_for", "queue_roles_for",
    "demand_queue", "done_roles_for", "demand_done", "demand_search", "demand_actions_for",
    "demand_holder", "demand_timeline_items", "demand_timeline_source",
    "enterprise_demands_visits", "visit_list_for", "visit_get_for", "policy_list_for",
    "demand_rating_summary", "demands_rating_overdue",
]

_DEMAND_RELATED = ("enterprise", "category")


def demand_urgent_leaders(demand):
    """Who a 重大紧急 demand reaches at once: the enterprise's paired (or industry) leaders and the
    leader heading the working group its category maps to. Users, without duplicates."""
    users = {leader.user_id: leader.user for leader in enterprise_leaders(demand.enterprise)}
    group = demand.category.working_group()
    if group is not None:
        users.setdefault(group.leader.user_id, group.leader.user)
    return list(users.values())


def demand_list_for(user, *, status="", search=""):
    qs = Demand.objects.visible_to(user).select_related(*_DEMAND_RELATED)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in DemandStatus.values:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(demand_search(search))
    return qs.order_by("-created_at", "-id")


def demand_search(text, prefix=""):
    """?q= on the lists and queues: the title or the enterprise's name contains it, or it is the
    demand's number (123 or #123). `prefix` reaches the demand from another row ("demand__").
    The text comes cleaned by forms_demands.search_text."""
    if not text:
        return Q()
    found = Q(**{f"{prefix}title__icontains": text}) | Q(**{f"{prefix}enterprise__name__icontains": text})
    number = text.lstrip("#＃").strip()
    # ASCII digits only ("²".isdigit() is true, int() refuses it); at most 9, inside any id column.
    if number.isascii() and number.isdigit() and len(number) <= 9:
        found |= Q(**{f"{prefix}pk": int(number)})
    return found


def demand_get_for(user, pk):
    """The demand if the user may see it, else 404 (never a 403 that would confirm it exists)."""
    qs = Demand.objects.visible_to(user).select_related(*_DEMAND_RELATED, "raised_by", "visit")
    return get_object_or_404(qs, pk=pk)


# --- the queues --------------------------------------------------------------------------------

QUEUES = {
    COMMISSIONER: _("待受理(专员)"),
    GROUP_LEADER: _("待审核(小组长)"),
    BUREAU: _("待交办(经济运行局)"),
    WORKING_GROUP: _("待答复(工作组)"),
    LEADER: _("领导关注"),
}


def queue_roles_for(user):
    return [(role, label) for role, label in QUEUES.items() if user.has_role(role)]


def demand_queue(user, role, today, *, search=""):
    """One role's to-do list: urgent first, then escalated, red, yellow, then the earliest
    deadline (notifications.clocks.most_urgent_first). Working groups get DemandDispatch rows."""
    if role == WORKING_GROUP:
        order = most_urgent_first(overdue=Q(due_on__lt=today), urgent=Q(demand__urgency=Urgency.URGENT))
        return (DemandDispatch.objects.open().filter(working_group__members=user)
                .filter(demand_search(search, "demand__"))
                .select_related("working_group", "demand__enterprise", "demand__category")
                .order_by(*order, "id"))
    order = most_urgent_first(overdue=overdue_on(today), urgent=Q(urgency=Urgency.URGENT))
    demands = (Demand.objects.filter(demand_search(search)).select_related(*_DEMAND_RELATED)
               .order_by(*order, "id"))
    active = Assignment.objects.active()
    if role == COMMISSIONER:
        mine = active.filter(commissioner__user=user).values("enterprise_id")
        return demands.filter(status__in=[DemandStatus.SUBMITTED, DemandStatus.RETURNED], enterprise__in=mine)
    if role == GROUP_LEADER:
        group = active.filter(commissioner__group__leader=user).values("enterprise_id")
        return demands.filter(status=DemandStatus.ACCEPTED, enterprise__in=group)
    if role == BUREAU:
        return demands.filter(status=DemandStatus.REVIEWED)
    if role == LEADER:
        return demands.filter(status__in=OPEN_STATUSES).filter(
            Q(urgency=Urgency.URGENT) | Q(leader_attention=True) | overdue_on(today))
    return demands.none()


# --- the done lists (已办) ------------------------------------------------------------------------

DONE = {
    COMMISSIONER: _("已办(专员)"),
    GROUP_LEADER: _("已办(小组长)"),
    BUREAU: _("已办(经济运行局)"),
    WORKING_GROUP: _("已办(工作组)"),
}
# The steps that count as a handler's own work, by role (a working group's is its answer).
DONE_ACTIONS = {
    COMMISSIONER: (DemandAction.ACCEPTED, DemandAction.ANSWERED_FIRST_CONTACT),
    GROUP_LEADER: (DemandAction.REVIEWED, DemandAction.SENT_BACK),
    BUREAU: (DemandAction.DISPATCHED, DemandAction.REDISPATCHED),
}


def done_roles_for(user):
    return [(role, label) for role, label in DONE.items() if user.has_role(role)]


def demand_done(user, role, *, search=""):
    """What the user has handled, newest first, among the demands the user may still see.

    A working group: its answers (DemandDispatch rows answered by any member of the user's groups,
    a superseded first answer included). The other handlers: the demands where the user took one
    of the role's steps, ordered by the latest such step (done_at)."""
    visible = Demand.objects.visible_to(user)
    if role == WORKING_GROUP:
        return (DemandDispatch.objects.filter(working_group__members=user, answered_at__isnull=False,
                                              demand__in=visible.values("pk"))
                .filter(demand_search(search, "demand__"))
                .select_related("working_group", "answered_by", "demand__enterprise", "demand__category")
                .order_by("-answered_at", "-id"))
    if role not in DONE_ACTIONS:
        return Demand.objects.none()
    mine = DemandEvent.objects.filter(actor=user, action__in=DONE_ACTIONS[role])
    steps = mine.filter(demand=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    # The user's own steps first (the actor index), then the latest one of each of those demands.
    return (visible.filter(demand_search(search), pk__in=mine.values("demand_id"))
            .select_related(*_DEMAND_RELATED).annotate(done_at=Subquery(steps)).order_by("-done_at", "-id"))


def demands_rating_overdue(today):
    """Answered demands whose rating window has run out (the sweep closes them as 未评价)."""
    return Demand.objects.filter(status=DemandStatus.ANSWERED, current_node=Node.RATE, due_on__lt=today)


# --- the demand page ---------------------------------------------------------------------------

def _may(demand, name, user, *, conditions=True):
    bound = getattr(demand, name)
    meta = bound._django_fsm
    if not meta.has_transition(demand.status):
        return False
    transition_ = meta.get_transition(demand.status)
    if conditions and not all(condition(demand) for condition in transition_.conditions):
        return False
    return transition_.has_perm(demand, user)


def demand_actions_for(demand, user, dispatches):
    """What the user may do now: the page shows these buttons and only these."""
    actions = {
        "accept": _may(demand, "accept", user),
        "answer_first_contact": _may(demand, "answer_first_contact", user),
        "review": _may(demand, "review", user),
        "send_back": _may(demand, "send_back", user),
        "dispatch": _may(demand, "dispatch", user, conditions=False),
        "redispatch": _may(demand, "redispatch", user),
        "rate": _may(demand, "close_rated", user),
    }
    group_ids = set()
    if user.has_role(WORKING_GROUP):
        group_ids = set(user.working_groups.values_list("pk", flat=True))
    actions["start"] = [d for d in dispatches
                        if d.status == DispatchStatus.PENDING and d.working_group_id in group_ids]
    actions["answer"] = [d for d in dispatches
                         if d.status == DispatchStatus.IN_PROGRESS and d.working_group_id in group_ids]
    actions["any"] = any(actions.values())
    return actions


def demand_holder(demand, dispatches):
    """Who holds the demand now, named, for the enterprise's follow-up page."""
    if demand.status == DemandStatus.CLOSED:
        return {"label": _("已办结"), "names": []}
    names = []
    if demand.current_node in (Node.ACCEPT, Node.REVIEW):
        responsible = responsible_for(demand.enterprise)
        person = (responsible.commissioner_user if demand.current_node == Node.ACCEPT
                  else responsible.group_leader_user)
        names = [str(person)] if person else []
    elif demand.current_node == Node.ANSWER:
        names = [d.working_group.name for d in dispatches if d.is_open]
    return {"label": demand.holder_label, "names": names}


# --- the enterprise profile and the combined timeline ----------------------------------------

def demand_timeline_items(*, enterprise, user, limit=50):
    """Demands and visits of one enterprise the user may see, as dicts (date, kind, title, url),
    newest first (at most `limit` of each), for the enterprise profile's timeline (一企一档)."""
    demands = (Demand.objects.visible_to(user).filter(enterprise=enterprise)
               .only("pk", "title", "created_at", "status", "urgency").order_by("-created_at")[:limit])
    visits = (Visit.objects.visible_to(user).filter(enterprise=enterprise)
              .select_related("commissioner__user").order_by("-visited_on")[:limit])
    items = [{"date": timezone.localdate(d.created_at), "at": d.created_at, "kind": "demand",
              "title": gettext("诉求: %(title)s") % {"title": d.title}, "status": d.get_status_display(),
              "url": reverse("commissioners:demand_detail", args=[d.pk])}
             for d in demands]
    items += [{"date": v.visited_on, "at": _start_of(v.visited_on), "kind": "visit",
               "title": gettext("走访: %(commissioner)s") % {"commissioner": v.commissioner}, "status": "",
               "url": reverse("commissioners:visit_detail", args=[v.pk])}
              for v in visits]
    return sorted(items, key=lambda item: item["at"], reverse=True)


def _start_of(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def demand_timeline_source(*, enterprise, user):
    """Demands and visits of one enterprise the user may see, for 一企一档's paged timeline: each
    is its own entry beside the approvals (two queries for the keys, two to fill a page)."""
    demands = Demand.objects.visible_to(user).filter(enterprise=enterprise)
    visits = Visit.objects.visible_to(user).filter(enterprise=enterprise)

    def entries():
        return ([Entry("demand", pk, at) for pk, at in demands.order_by().values_list("pk", "created_at")]
                + [Entry("visit", pk, _start_of(day))
                   for pk, day in visits.order_by().values_list("pk", "visited_on")])

    def fill(page_entries):
        wanted = {kind: [e.key for e in page_entries if e.kind == kind] for kind in ("demand", "visit")}
        found = {("demand", d.pk): d for d in demands.filter(pk__in=wanted["demand"])
                 .only("pk", "title", "status", "created_at")} if wanted["demand"] else {}
        if wanted["visit"]:
            found.update({("visit", v.pk): v for v in visits.filter(pk__in=wanted["visit"])
                          .select_related("commissioner__user")})
        for entry in page_entries:
            row = found.get((entry.kind, entry.key))
            if row is None:
                continue
            if entry.kind == "demand":
                entry.title = gettext("诉求: %(title)s") % {"title": row.title}
                entry.status = row.get_status_display()
                entry.url = reverse("commissioners:demand_detail", args=[row.pk])
            else:
                entry.title = gettext("走访: %(commissioner)s") % {"commissioner": row.commissioner}
                entry.url = reverse("commissioners:visit_detail", args=[row.pk])

    return Source(entries, fill)


def enterprise_demands_visits(enterprise, user, *, limit=5):
    demands = Demand.objects.visible_to(user).filter(enterprise=enterprise).select_related("category")
    visits = Visit.objects.visible_to(user).filter(enterprise=enterprise).select_related("commissioner__user")
    return {
        "enterprise": enterprise,
        "demands": list(demands.order_by("-created_at")[:limit]),
        "open_count": demands.filter(status__in=OPEN_STATUSES).count(),
        "visits": list(visits.order_by("-visited_on")[:limit]),
    }


def demand_rating_summary(demands=None):
    """Satisfied / unsatisfied / 未评价 counts; 未评价 counts neither way."""
    qs = Demand.objects.all() if demands is None else demands
    return {key: qs.filter(q()).count() for key, q in figures.COHORT.items()}  # the dashboard's


# --- visits and policies -----------------------------------------------------------------------

def visit_list_for(user, *, enterprise_id=None):
    qs = Visit.objects.visible_to(user).select_related("enterprise", "commissioner__user")
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    return qs.order_by("-visited_on", "-id")


def visit_get_for(user, pk):
    qs = Visit.objects.visible_to(user).select_related("enterprise", "commissioner__user")
    return get_object_or_404(qs.prefetch_related("policies", "demands__category"), pk=pk)


def policy_list_for(user, today, *, search="", industry_id=None, current_only=False):
    qs = Policy.objects.visible_to(user, today).prefetch_related("industries")
    if user.has_role(ENTERPRISE) and not (user.role_names - {ENTERPRISE}):
        current_only = True
    if current_only:
        qs = qs.current(today)
    if industry_id:
        qs = qs.for_industry(industry_id)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(summary__icontains=search)
                       | Q(issuing_body__icontains=search))
    return qs.order_by("-valid_from", "-id")


def may_record_visits(user):
    mine = Assignment.objects.active().filter(commissioner__user=user)
    return user.has_role(COMMISSIONER) and mine.exists()


def may_add_policies(user):
    """As services.policy_create allows (admin includes superusers)."""
    return user.has_role(BUREAU, ADMIN)
