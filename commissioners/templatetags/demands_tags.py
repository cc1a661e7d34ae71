"""Template helpers of the 护商通 pages, and the snippet for the enterprise profile."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ..choices import DemandStatus, DispatchStatus, Node, Urgency
from ..models.demands import WarningLevel
from ..selectors.demands import enterprise_demands_visits as _panel

register = template.Library()

LEVEL_CLASSES = {
    WarningLevel.GREEN: "text-bg-success",
    WarningLevel.YELLOW: "text-bg-warning",
    WarningLevel.RED: "text-bg-danger",
    WarningLevel.ESCALATED: "text-bg-dark",
}
STATUS_CLASSES = {
    DemandStatus.SUBMITTED: "text-bg-secondary",
    DemandStatus.RETURNED: "text-bg-warning",
    DemandStatus.ANSWERED: "text-bg-info",
    DemandStatus.CLOSED: "text-bg-success",
}
# A working group's share: on the queue (open shares) and on the demand page (every share).
QUEUE_DISPATCH_CLASSES = {
    DispatchStatus.PENDING: "text-bg-info",
    DispatchStatus.IN_PROGRESS: "text-bg-primary",
}
DISPATCH_CLASSES = {
    DispatchStatus.ANSWERED: "text-bg-success",
    DispatchStatus.WITHDRAWN: "text-bg-light border",
}


@register.inclusion_tag("commissioners/demands/snippets/enterprise_panel.html")
def enterprise_demands_visits(enterprise, user):
    """{% enterprise_demands_visits enterprise user %}: recent demands and visits, as the user may see."""
    return {**_panel(enterprise, user), "user": user}


@register.inclusion_tag("commissioners/demands/snippets/level_badge.html")
def level_badge(level):
    if not level:
        return {"level": None}
    level = WarningLevel(level)
    return {"level": level, "css": LEVEL_CLASSES[level], "label": level.label}


@register.filter
def status_class(status):
    return STATUS_CLASSES.get(status, "text-bg-primary")


@register.filter
def urgent(demand):
    return demand.urgency == Urgency.URGENT


@register.filter
def closed(demand):
    return demand.status == DemandStatus.CLOSED


@register.filter
def returned(demand):
    """Sent back to the commissioner by the group leader (the reason is shown)."""
    return demand.status == DemandStatus.RETURNED


@register.filter
def queue_dispatch_class(status):
    """A share's badge on the working group's queue."""
    return QUEUE_DISPATCH_CLASSES.get(status, "text-bg-secondary")


@register.filter
def dispatch_class(status):
    """A share's badge on the demand page."""
    return DISPATCH_CLASSES.get(status, "text-bg-primary")


@register.filter
def dispatch_row_class(dispatch):
    """A share's table row on the demand page: a reassigned (改派) share is greyed out."""
    return "text-muted" if dispatch.status == DispatchStatus.WITHDRAWN else ""


@register.filter
def days_left(left):
    """Working days left on a clock, as the enterprise reads it."""
    if left is None:
        return ""
    if left > 0:
        return _("剩余 %(n)s 个工作日") % {"n": left}
    if left == 0:
        return _("今日到期")
    return _("已超期 %(n)s 个工作日") % {"n": -left}


ROUTE = [(Node.ACCEPT, _lazy("专员受理")), (Node.REVIEW, _lazy("小组长审核")),
         (Node.DISPATCH, _lazy("经济运行局交办")), (Node.ANSWER, _lazy("工作组办理")),
         (Node.RATE, _lazy("企业评价"))]


@register.inclusion_tag("commissioners/demands/snippets/route_steps.html")
def route_steps(demand):
    """The 护商通 route as steps, the current node marked (a closed demand: every step done)."""
    nodes = [node for node, _label in ROUTE]
    current = len(ROUTE) if demand.status == DemandStatus.CLOSED else (
        nodes.index(demand.current_node) if demand.current_node in nodes else 0)
    return {"steps": [{"label": label, "done": index < current, "current": index == current}
                      for index, (_node, label) in enumerate(ROUTE)]}
