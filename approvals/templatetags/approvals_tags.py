from django import template
from django.utils import timezone

from .. import selectors
from ..models import ProjectStatus, StageStatus

register = template.Library()

STATUS_COLORS = {
    "waiting": "secondary", "pending": "info", "accepted": "primary", "in_review": "primary",
    "supplement_requested": "warning", "paused": "warning", "approved": "success", "rejected": "danger",
    "cancelled": "secondary", "draft": "secondary", "submitted": "info", "in_approval": "primary",
    "completed": "success", "withdrawn": "secondary",
}
LEVEL_CLASSES = {"green": "badge-green", "yellow": "badge-yellow", "red": "badge-red",
                 "escalated": "text-bg-dark"}


@register.filter
def status_color(status):
    return STATUS_COLORS.get(str(status), "secondary")


STATUS_LABELS = {**dict(ProjectStatus.choices), **dict(StageStatus.choices)}


@register.filter
def status_label(status):
    return STATUS_LABELS.get(str(status), status)


@register.filter
def level_class(level):
    return LEVEL_CLASSES.get(str(level), "badge-green")


@register.filter
def md(day):
    return selectors.md(day)


@register.inclusion_tag("approvals/snippets/enterprise_projects.html")
def enterprise_projects(enterprise, user):
    """The enterprise profile's list of its projects, as far as the viewer may see them."""
    today = timezone.localdate()
    projects = selectors.enterprise_projects_for(enterprise=enterprise, user=user)[:50]
    return {"rows": [(p, selectors.project_progress(p, today=today)) for p in projects],
            "enterprise": enterprise}
