"""{% escalations_for obj %} and {% supervision_panel matter %} for domain pages, level badges, and the
navbar's role checks."""

from django import template
from django.urls import reverse

from accounts.roles import ADMIN, APPROVER, BUREAU, COMMISSIONER, GROUP_LEADER, LEADER, WORKING_GROUP

from .. import selectors, services
from ..levels import WarningLevel
from ..models import SUPERVISION_LIVE, SupervisionStatus

SUPERVISED_ROLES = (APPROVER, COMMISSIONER, GROUP_LEADER, BUREAU, WORKING_GROUP, LEADER, ADMIN)

register = template.Library()


@register.inclusion_tag("notifications/snippets/escalations_for.html", takes_context=True)
def escalations_for(context, obj):
    """The warnings and escalations of `obj`, with the leaders' 督办 comments (one query)."""
    user = context.get("user")
    return {
        "escalations": list(selectors.escalations_for_object(obj)),
        "can_supervise": bool(user) and services.can_supervise(user),
    }


@register.inclusion_tag("notifications/snippets/level_badge.html")
def level_badge(level, label=""):
    return {"level": level, "label": label}


@register.filter
def can_supervise(user):
    return services.can_supervise(user)


@register.inclusion_tag("notifications/snippets/supervision_panel.html", takes_context=True)
def supervision_panel(context, matter):
    """The matter's 督办 at the top of its page: the leader's words and the reply deadline, the
    办理情况回复 form for its addressees, 满意 / 继续督办 for the leader, and a 督办 button for
    leaders (three queries: content type, 督办 with leaders, replies and addressees)."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from ..supervision_rules import can_supervise

    user = context.get("user")
    today = timezone.localdate()
    rows = selectors.supervisions_of(matter)
    for row in rows:
        row.is_live = row.status in SUPERVISION_LIVE
        row.awaiting = row.status == SupervisionStatus.OPEN
        level = row.level_on(today) if row.awaiting else None
        row.level = level if level != WarningLevel.GREEN else None
        row.left = row.workdays_left(today)
        row.overdue_by = -row.left if row.left is not None and row.left < 0 else 0
        row.can_reply = row.is_live and any(a.pk == user.pk for a in row.addressees.all())
        row.can_close = row.is_live and user is not None and (row.leader_id == user.pk or user.is_superuser)
    supervise_url = ""
    if user is not None and can_supervise(user):
        content_type = ContentType.objects.get_for_model(matter)
        supervise_url = reverse("notifications:supervise_matter", args=[content_type.pk, matter.pk])
    return {
        "supervisions": [row for row in rows if row.is_live] + [row for row in rows if not row.is_live][:3],
        "supervise_url": supervise_url, "user": user,
    }


@register.filter
def receives_supervision(user):
    """Officials (not enterprise users) may be addressed by a 督办: their navbar shows 我的督办."""
    return bool(user) and user.is_authenticated and user.has_role(*SUPERVISED_ROLES)


@register.filter
def level_tint(level):
    """A to-do row tinted by its warning level: red and escalated alike, yellow, or none."""
    return {WarningLevel.RED: "table-danger", WarningLevel.ESCALATED: "table-danger",
            WarningLevel.YELLOW: "table-warning"}.get(level, "")
