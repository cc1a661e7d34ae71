"""Reads for the inbox, the badge, the escalation list and the API (bounded, no N+1)."""

from django.db.models import BooleanField, ExpressionWrapper, Q

from .models import Escalation, Notification

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
