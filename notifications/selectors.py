"""Reads for the inbox, the badge, the escalation list and the API (bounded, no N+1)."""

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from .models import SUPERVISION_LIVE, Escalation, Level, Notification, Supervision, SupervisionStatus

BADGE_CAP = 99


def notification_list_for(user):
    """The user's notifications, unread first, newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (Notification.objects.for_user(user).annotate(unread=unread)
            .order_by("-unread", "-created_at", "-id"))


def unread_count_for(user, *, cap=BADGE_CAP):
    """Unread count, counted no further than cap + 1 (the badge shows "99+")."""
    return Notification.objects.for_user(user).unread()[: cap + 1].count()


def escalation_list_for(user, *, scope="open", level=""):
    """Escalations for the 督办 page. scope: open (not yet supervised), mine (notified me), all."""
    escalations = Escalation.objects.select_related("content_type", "supervised_by")
    if scope == "open":
        escalations = escalations.unsupervised()
    elif scope == "mine":
        escalations = escalations.filter(notifications__recipient=user).distinct()
    if level:
        escalations = escalations.filter(level=level)
    return escalations.order_by("-created_at", "-id")


def escalations_for_object(obj):
    return Escalation.objects.for_object(obj).select_related("supervised_by").order_by("created_at", "id")


# --- 督办 ---------------------------------------------------------------------------------------

def supervisions_visible_to(user):
    """A 督办 is seen by its addressees, the leader who issued it, and leaders and admins."""
    from .supervision_rules import can_supervise

    rows = Supervision.objects.all()
    if can_supervise(user):
        return rows
    return rows.filter(Q(addressees=user) | Q(leader=user)).distinct()


def supervision_list_for(user, *, scope="mine", answered=""):
    """我的督办 (scope mine: addressed to me), 我督办的 (issued), all; unanswered first, then the
    earliest reply deadline. answered: "yes" / "no" filters on whether a reply came."""
    rows = supervisions_visible_to(user)
    if scope == "mine":
        rows = rows.filter(addressees=user).filter(status__in=SUPERVISION_LIVE)
    elif scope == "issued":
        rows = rows.filter(leader=user)
    if answered == "yes":
        rows = rows.filter(answered_at__isnull=False)
    elif answered == "no":
        rows = rows.filter(answered_at__isnull=True)
    waiting = ExpressionWrapper(Q(status=SupervisionStatus.OPEN), output_field=BooleanField())
    return (rows.select_related("leader").annotate(waiting=waiting)
            .order_by("-waiting", "due_on", "-created_at", "-id"))


def supervisions_awaiting(user):
    """How many 督办 wait for this user's reply (the navbar badge)."""
    return Supervision.objects.addressed_to(user).awaiting_reply().count()


def supervisions_of(matter):
    """The matter's 督办, newest first, with their replies (two queries)."""
    return list(Supervision.objects.for_object(matter).select_related("leader")
                .prefetch_related("replies__author", "addressees").order_by("-created_at", "-id"))


# --- 预警与督办: one row per matter ---------------------------------------------------------------

SEVERITY = {Level.URGENT: 4, Level.ESCALATED: 3, Level.RED: 2, Level.YELLOW: 1}
SEVERITY_LEVEL = {rank: level for level, rank in SEVERITY.items()}


def _severity():
    return Case(*(When(level=level, then=Value(rank)) for level, rank in SEVERITY.items()),
                default=Value(0), output_field=IntegerField())


def escalation_matters(user, *, scope="open", level="", kind=None, category_ids=None, group_ids=None,
                       answered=""):
    """Escalations grouped per matter (an escalation with no registered matter is its own row),
    most severe first (urgent, escalated, red, yellow), then the oldest. One query; a page of it
    is decorated by escalation_matter_rows.

    scope: open (some escalation not yet supervised), mine (notified me), all. kind: a content
    type; category_ids / group_ids: querysets of matter pks (the registry's filters);
    answered: "yes" / "no" — whether any 督办 on the matter has been answered.
    """
    rows = Escalation.objects.annotate(
        group_type=Coalesce("matter_type", "content_type"), group_id=Coalesce("matter_id", "object_id"))
    if scope == "open":
        rows = rows.filter(supervised_at__isnull=True)
    elif scope == "mine":
        rows = rows.filter(Exists(Notification.objects.filter(escalation=OuterRef("pk"), recipient=user)))
    if kind is not None:
        rows = rows.filter(group_type=kind.pk)
    if category_ids is not None:
        rows = rows.filter(group_id__in=category_ids)
    if group_ids is not None:
        rows = rows.filter(group_id__in=group_ids)
    if answered in ("yes", "no"):
        replied = Exists(Supervision.objects.filter(
            content_type=OuterRef("group_type"), object_id=OuterRef("group_id"), answered_at__isnull=False))
        rows = rows.filter(replied if answered == "yes" else ~replied)
    grouped = (rows.values("group_type", "group_id")
               .annotate(severity=Max(_severity()), first_at=Min("created_at"), latest=Max("id"),
                         escalations=Count("id")))
    if level:
        grouped = grouped.filter(severity=SEVERITY.get(level, 0))
    return grouped.order_by("-severity", "first_at", "group_type", "group_id")


def escalation_matter_rows(groups):
    """Decorate a page of escalation_matters: the latest escalation (title, link) and the matter's
    latest 督办. Two queries whatever the page's size."""
    groups = list(groups)
    latest = Escalation.objects.select_related("supervised_by").in_bulk([g["latest"] for g in groups])
    pairs = Q(pk__in=[])
    for group in groups:
        pairs |= Q(content_type_id=group["group_type"], object_id=group["group_id"])
    supervisions = {}
    for supervision in Supervision.objects.filter(pairs).order_by("created_at", "id"):
        supervisions[supervision.content_type_id, supervision.object_id] = supervision  # the latest wins
    for group in groups:
        group["escalation"] = latest[group["latest"]]
        group["level"] = SEVERITY_LEVEL.get(group["severity"], Level.YELLOW)
        group["supervision"] = supervisions.get((group["group_type"], group["group_id"]))
    return groups
