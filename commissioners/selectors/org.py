from dataclasses import dataclass, field

from accounts.roles import ADMIN, BUREAU, COMMISSIONER, ENTERPRISE, GROUP_LEADER, LEADER, WORKING_GROUP
from enterprises.models import Enterprise

from ..models import Assignment, Leader

SEE_ALL_ROLES = (BUREAU, WORKING_GROUP, LEADER, ADMIN)


def enterprises_visible_to(user):
    """The enterprises a user may see; anything outside it is a 404 for them.

    Commissioners see their own enterprises, group leaders their group's, the bureau,
    working-group members and leaders all, an enterprise user only its own.
    """
    qs = Enterprise.objects.all()
    if not user.is_authenticated:
        return qs.none()
    if user.has_role(*SEE_ALL_ROLES):
        return qs
    if user.has_role(COMMISSIONER, GROUP_LEADER):
        return qs.filter(pk__in=enterprise_visible_ids(user)).distinct()
    if user.has_role(ENTERPRISE):
        return qs.filter(members__user=user)
    return qs.none()


def enterprise_visible_ids(user):
    """Ids of enterprises served (actively) by the user as commissioner or group leader.

    A queryset of ids, usable as a subquery: `.filter(enterprise__in=...)`.
    """
    from django.db.models import Q

    return (
        Assignment.objects.active()
        .filter(Q(commissioner__user=user) | Q(commissioner__group__leader=user))
        .values("enterprise_id")
    )


@dataclass
class Responsible:
    """Who answers for an enterprise: the escalation chain asks this."""

    commissioner_user: object = None
    group_leader_user: object = None
    leader_users: list = field(default_factory=list)


def enterprise_leaders(enterprise):
    """Committee leaders for an enterprise: those paired with it, else those of its industry."""
    paired = list(Leader.objects.filter(paired_enterprises=enterprise).select_related("user"))
    if paired:
        return paired
    return list(Leader.objects.filter(industries=enterprise.industry_id).select_related("user"))


def responsible_for(enterprise):
    assignment = (
        Assignment.objects.active().filter(enterprise=enterprise, is_primary=True)
        .select_related("commissioner__user", "commissioner__group__leader").first()
    )
    return Responsible(
        commissioner_user=assignment.commissioner.user if assignment else None,
        group_leader_user=assignment.commissioner.group.leader if assignment else None,
        leader_users=[leader.user for leader in enterprise_leaders(enterprise)],
    )
