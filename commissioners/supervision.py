"""督办 on a demand (notifications.supervisions): who holds it at its current node, how it is named,
and where each step of the loop goes in the demand's history."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import DemandAction, DemandStatus, Node
from .holders import People, node_holders
from .models import Demand, DemandCategory, DemandDispatch, DemandEvent, WorkingGroup

STEP_ACTIONS = {
    "supervised": DemandAction.SUPERVISED,
    "replied": DemandAction.SUPERVISION_REPLIED,
    "closed": DemandAction.SUPERVISION_CLOSED,
    "continued": DemandAction.SUPERVISION_CONTINUED,
}


def handlers(demand):
    """The holder of the demand's current node: the commissioner (accept), the group leader
    (review), the bureau (dispatch), the members of each working group with an open share
    (answer); while the enterprise's rating is awaited, its commissioner follows it up."""
    node = demand.current_node
    if node == Node.ANSWER:
        shares = demand.dispatches.open().prefetch_related("working_group__members")
        return [m for share in shares for m in share.working_group.members.all() if m.is_active]
    people = People()
    if node == Node.RATE:
        return [people.responsible(demand.enterprise).commissioner_user]
    return node_holders(demand, people)


def record(demand, *, actor, step, comment):
    DemandEvent.objects.create(demand=demand, actor=actor, action=STEP_ACTIONS[step],
                               from_status=demand.status, to_status=demand.status, comment=comment)


def describe(demand):
    return (f"诉求“{demand.title}”({demand.enterprise.name})",
            reverse("commissioners:demand_detail", args=[demand.pk]))


def register():
    from notifications.supervisions import register_matter, register_stands_for, register_working_groups

    register_matter(Demand, key="demand", label=_("诉求"), handlers=handlers, record=record,
                    describe=describe, is_open=lambda demand: demand.status != DemandStatus.CLOSED,
                    reply_workdays=lambda demand: demand.category.supervision_reply_workdays,
                    urgent=lambda demand: demand.is_urgent,
                    categories=lambda: list(DemandCategory.objects.values_list("code", "name")),
                    by_category=lambda code: Demand.objects.filter(category__code=code).values("pk"),
                    by_working_group=lambda code: Demand.objects.filter(
                        Q(dispatches__working_group__code=code) | Q(category__working_group_code=code)
                    ).values("pk"))
    register_working_groups(
        lambda: list(WorkingGroup.objects.order_by("order", "id").values_list("code", "name")))
    # A node's escalation hangs on the event that started the node; a share's on the share.
    register_stands_for(DemandEvent, lambda event: event.demand)
    register_stands_for(DemandDispatch, lambda share: share.demand)
