from django import template
from django.utils import timezone

from core.labels import choice_label
from core.links import link
from notifications.levels import WarningLevel

from .. import selectors
from ..choices import Opinion, PauseKind, ProjectStatus, StageStatus

register = template.Library()

S, P = StageStatus, ProjectStatus
# Keyed by the members; a member hashes and compares as its value, so a plain status string finds
# its colour too. StageStatus.REJECTED and ProjectStatus.REJECTED share one value, so one key.
STATUS_COLORS = {
    S.WAITING: "secondary", S.PENDING: "info", S.ACCEPTED: "primary", S.IN_REVIEW: "primary",
    S.SUPPLEMENT: "warning", S.PAUSED: "warning", S.APPROVED: "success", S.REJECTED: "danger",
    S.CANCELLED: "secondary", P.DRAFT: "secondary", P.SUBMITTED: "info", P.IN_APPROVAL: "primary",
    P.COMPLETED: "success", P.WITHDRAWN: "secondary",
}
OPINION_COLORS = {Opinion.AGREE: "success", Opinion.DISAGREE: "danger"}
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
def display(instance, field_name):
    """{{ stage|display:"kind" }}: what stage.get_kind_display gives, from a table made once per
    field and language (Django's method rebuilds it, a gettext per choice, on every row)."""
    return choice_label(instance, field_name)


@register.filter
def url_of(pk, viewname):
    """{{ stage.pk|url_of:"approvals:stage_detail" }}: what {% url viewname pk %} gives, without a
    reverse per row."""
    return link(viewname, pk)


@register.filter
def level_class(level):
    return LEVEL_CLASSES.get(str(level), "badge-green")


@register.filter
def opinion_color(opinion):
    """A department's opinion as a badge colour: text-bg-{{ review.opinion|opinion_color }}."""
    return OPINION_COLORS.get(str(opinion), "light border")


@register.filter
def approved(stage):
    return stage.status == StageStatus.APPROVED


@register.filter
def refused(stage):
    """The stage ended in 不予许可 (its refusal notice can be printed)."""
    return stage.status == StageStatus.REJECTED


@register.filter
def supplement_pause(pause):
    """The pause is a 补正 (its supplement notice can be printed)."""
    return pause.kind == PauseKind.SUPPLEMENT


@register.filter
def stage_alert_class(row):
    """The stage page's clock alert: red is danger; waiting on the enterprise or paused, or yellow,
    is a warning."""
    if row.level == WarningLevel.RED:
        return "alert-danger"
    if row.stage.status in (StageStatus.SUPPLEMENT, StageStatus.PAUSED) or row.level == WarningLevel.YELLOW:
        return "alert-warning"
    return "alert-light border"


@register.filter
def progress_bar_class(row):
    """A stage's bar in the progress snippet: red, yellow, approved green, otherwise the default."""
    if row.level == WarningLevel.RED:
        return "bg-danger"
    if row.level == WarningLevel.YELLOW:
        return "bg-warning"
    if row.stage.status == StageStatus.APPROVED:
        return "bg-success"
    return ""


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
