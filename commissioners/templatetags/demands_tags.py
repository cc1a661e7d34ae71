"""Template helpers of the 护商通 pages, and the snippet for the enterprise profile."""

from django import template
from django.utils.translation import gettext as _

from ..models.demands import DemandStatus, Urgency, WarningLevel
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
def days_left(left):
    """Working days left on a clock, as the enterprise reads it."""
    if left is None:
        return ""
    if left > 0:
        return _("剩余 %(n)s 个工作日") % {"n": left}
    if left == 0:
        return _("今日到期")
    return _("已超期 %(n)s 个工作日") % {"n": -left}
