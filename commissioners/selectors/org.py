from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from accounts.roles import ADMIN, BUREAU, COMMISSIONER, ENTERPRISE, GROUP_LEADER, LEADER, WORKING_GROUP
from enterprises.models import Enterprise, EnterpriseMember
from enterprises.timeline import Entry, Source

from ..models import Assignment, Commissioner, CommissionerGroup, Leader, OrgEvent, WorkingGroup

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


# --- pages --------------------------------------------------------------------------------
# Each list is built from enterprises_visible_to(user) and fetches its related rows in a fixed
# number of queries (select_related / Prefetch), whatever the number of enterprises.

def _active_primary():
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.active().filter(is_primary=True)
        .select_related("commissioner__user", "commissioner__group"),
        to_attr="active_assignments",
    )


def enterprise_list_for(user):
    """The directory: visible enterprises with industry and current commissioner."""
    return enterprises_visible_to(user).select_related("industry").prefetch_related(_active_primary())


def commissioners_visible_to(user):
    """Commissioners whose enterprises the user may see (the directory's commissioner filter)."""
    qs = Commissioner.objects.select_related("user", "group").order_by("group__name", "user__display_name")
    if not user.is_authenticated:
        return qs.none()
    if user.has_role(*SEE_ALL_ROLES):
        return qs
    return qs.filter(Q(user=user) | Q(group__leader=user))


def enterprise_profile_for(user, pk):
    """One enterprise (一企一档) with everything its page shows, or 404."""
    enterprise = get_object_or_404(
        enterprises_visible_to(user).select_related("industry").prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related(
                "commissioner__user", "commissioner__group__leader", "created_by"
            ).order_by("-started_on", "-id"), to_attr="assignment_history"),
            Prefetch("paired_leaders", queryset=Leader.objects.select_related("user"), to_attr="leaders"),
            Prefetch("members", queryset=EnterpriseMember.objects.select_related("user")),
        ),
        pk=pk,
    )
    enterprise.current_assignment = next(
        (a for a in enterprise.assignment_history if a.ended_on is None and a.is_primary), None
    )
    enterprise.industry_leaders = [] if enterprise.leaders else list(
        Leader.objects.filter(industries=enterprise.industry_id).select_related("user")
    )
    return enterprise


def org_timeline_source(enterprise):
    """Changes to who serves an enterprise (assign, transfer, pair) for 一企一档's paged timeline.
    The enterprise comes from enterprise_profile_for(user, pk): whoever sees the profile sees them."""
    events = OrgEvent.objects.filter(enterprise=enterprise)

    def entries():
        return [Entry("org", pk, at) for pk, at in events.order_by().values_list("pk", "created_at")]

    def fill(page_entries):
        rows = (events.filter(pk__in=[e.key for e in page_entries])
                .select_related("actor", "commissioner__user"))
        found = {event.pk: event for event in rows}
        for entry in page_entries:
            entry.obj = found.get(entry.key)

    return Source(entries, fill)


def commissioner_of(user):
    if not user.is_authenticated:
        return None
    return Commissioner.objects.select_related("user", "group__leader").filter(user=user).first()


def commissioner_enterprises(commissioner):
    """The commissioner's active assignments with their enterprises (我的企业)."""
    return (Assignment.objects.active().filter(commissioner=commissioner)
            .select_related("enterprise__industry").order_by("enterprise__name"))


def groups_led_by(user):
    if not user.is_authenticated:
        return CommissionerGroup.objects.none()
    return CommissionerGroup.objects.filter(leader=user).order_by("name")


def group_commissioners(groups):
    """Commissioners of the groups with the number of enterprises each serves."""
    return (Commissioner.objects.filter(group__in=groups).select_related("user", "group")
            .annotate(enterprise_count=Count("assignments", filter=Q(assignments__ended_on__isnull=True)))
            .order_by("group__name", "user__display_name", "id"))


def group_assignments(groups):
    """The groups' active assignments (本组企业), enterprises and commissioners joined in."""
    return (Assignment.objects.active().filter(commissioner__group__in=groups)
            .select_related("enterprise__industry", "commissioner__user", "commissioner__group")
            .order_by("commissioner__user__display_name", "enterprise__name"))


def working_group_leader_users(code):
    """The user heading the working group with this code ([] when there is none)."""
    group = WorkingGroup.objects.select_related("leader__user").filter(code=code).first()
    return [group.leader.user] if group else []
