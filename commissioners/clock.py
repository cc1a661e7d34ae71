"""The 护商通 node clock: each node of the route runs against its own limit in working days, read
from the policy table (DemandPolicy), shorter for urgent demands. The clock itself — start, level,
recount — is notifications.clocks.WorkdayClock, shared by the demand and its working-group shares.
"""

from dataclasses import dataclass

from notifications.clocks import clock_values

from .choices import Node, Urgency

# Used when an admin deleted a policy row: the route must never stop for want of a limit.
# node: (limit in working days, yellow threshold)
DEFAULT_LIMITS = {
    Node.ACCEPT: (1, 0), Node.REVIEW: (1, 0), Node.DISPATCH: (1, 0), Node.ANSWER: (5, 2), Node.RATE: (3, 1),
}
DEFAULT_URGENT_LIMITS = {**DEFAULT_LIMITS, Node.ANSWER: (2, 1)}


@dataclass(frozen=True)
class NodeClock:
    """A node's clock as it starts: computed by the service, stored by the transition."""

    node: str
    values: dict

    @property
    def due_on(self):
        return self.values["due_on"]


def node_limits(*, node, urgency):
    from .models import DemandPolicy  # the models import this module's siblings, not it

    policy = DemandPolicy.objects.filter(node=node, urgency=urgency).first()
    if policy is not None:
        return policy.limit_workdays, policy.warning_threshold
    return (DEFAULT_URGENT_LIMITS if urgency == Urgency.URGENT else DEFAULT_LIMITS)[node]


def node_clock(*, node, urgency, start):
    """The node's clock from `start`: due on the limit-th working day after it (start not counted)."""
    limit, threshold = node_limits(node=node, urgency=urgency)
    return NodeClock(node=node, values=clock_values(started_on=start, limit_workdays=limit,
                                                    warning_threshold=threshold))
