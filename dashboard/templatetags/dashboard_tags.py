"""Cross-app reads for pages that other apps render (dashboard reads everything; nothing imports it)."""

from django import template
from django.utils.translation import gettext_lazy as _

from approvals.selectors import project_timeline_source
from commissioners.selectors.demands import demand_timeline_source
from commissioners.selectors.org import org_timeline_source
from enterprises.timeline import timeline_page

register = template.Library()

KIND_LABELS = {"approval": _("项目审批"), "demand": _("诉求"), "visit": _("走访"), "org": _("服务体系")}


@register.inclusion_tag("enterprises/snippets/timeline.html", takes_context=True)
def enterprise_timeline(context, enterprise, user):
    """一企一档: the enterprise's projects, visits, demands and service changes on one timeline, by
    month, newest first, each project's events of a month folded into one entry; ?page= pages it."""
    sources = [project_timeline_source(enterprise=enterprise, user=user),
               demand_timeline_source(enterprise=enterprise, user=user),
               org_timeline_source(enterprise)]
    request = context.get("request")
    page = timeline_page(sources, request.GET.get("page") if request else None)
    for month in page.months:
        for entry in month.entries:
            entry.kind_label = KIND_LABELS.get(entry.kind, entry.kind)
    return {"page": page, "request": request}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def dash(value):
    """A figure, or "—" where there is none (no row to count a median or a rate over)."""
    return "—" if value is None or value == "" else value
