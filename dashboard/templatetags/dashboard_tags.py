"""Cross-app reads for pages that other apps render (dashboard reads everything; nothing imports it)."""

from django import template
from django.utils.translation import gettext_lazy as _

from approvals.selectors import project_timeline_items
from commissioners.selectors.demands import demand_timeline_items

register = template.Library()

KIND_LABELS = {"approval": _("项目审批"), "demand": _("诉求"), "visit": _("走访")}


@register.inclusion_tag("dashboard/snippets/enterprise_timeline.html")
def enterprise_timeline(enterprise, user, limit=30):
    """一企一档: the enterprise's projects, visits and demands on one timeline, newest first."""
    items = project_timeline_items(enterprise=enterprise, user=user, limit=limit)
    items += demand_timeline_items(enterprise=enterprise, user=user, limit=limit)
    items.sort(key=lambda item: item["at"], reverse=True)
    for item in items:
        item["kind_label"] = KIND_LABELS.get(item["kind"], item["kind"])
    return {"items": items[:limit], "limit": limit}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def dash(value):
    """A figure, or "—" where there is none (no row to count a median or a rate over)."""
    return "—" if value is None or value == "" else value
