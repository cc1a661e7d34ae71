from functools import lru_cache

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from core.labels import choice_label
from core.links import link
from notifications.levels import WarningLevel
from notifications.templatetags.notifications_tags import level_tint

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


# --- the approver queue's rows ---------------------------------------------------------------
# A row of 审批待办 is some twenty variables and tests; through the template engine (a lookup, a
# localize and an escape each) they cost more than the row's figures. queue_row writes the same
# markup, escaped as the template escaped it, with the labels translated once per language.

_QUEUE_LABELS = {"level": "预警", "due": "办结期限", "project": "项目", "kind": "阶段", "status": "状态",
                 "used": "已用 / 时限", "paused": "暂停计时", "provisional": "暂定", "pending": "待受理",
                 "incomplete": "材料不全", "view": "查看", "act": "办理"}


@lru_cache(maxsize=8)
def _queue_labels(language):
    return {key: conditional_escape(gettext(msgid)) for key, msgid in _QUEUE_LABELS.items()}


def _shown(value):
    """{{ value }} as the template renders it (localized, then escaped unless safe)."""
    return conditional_escape(value if isinstance(value, str) else str(localize(value)))


@register.simple_tag
def queue_row(row):
    t = _queue_labels(get_language())
    stage, level = row.stage, row.level
    project = stage.project
    if row.paused:
        badge = f'<span class="badge text-bg-secondary">{t["paused"]}</span>'
    elif stage.clock_open:
        badge = f'<span class="badge {_shown(level_class(level))}">{_shown(level.label)}</span>'
    else:
        badge = f'<span class="badge text-bg-info">{t["pending"]}</span>'
    if row.paused:
        due = "—"
    else:
        due = _shown(date_filter(stage.due_on, "Y-m-d") or "—")
        if stage.provisional:
            due += f' <span class="badge text-bg-light border">{t["provisional"]}</span>'
    clock = f'<div class="small">{_shown(row.clock_text)}</div>' if stage.clock_open else ""
    stage_url = _shown(link("approvals:stage_detail", stage.pk))
    if row.incomplete:
        action = (f'<span class="badge text-bg-warning border me-1">{t["incomplete"]}</span>'
                  f'<a class="btn btn-sm btn-outline-secondary" href="{stage_url}">{t["view"]}</a>')
    else:
        action = f'<a class="btn btn-sm btn-outline-primary" href="{stage_url}">{t["act"]}</a>'
    return mark_safe(  # every value in it escaped above
        f'\n        <tr class="{_shown(level_tint(level))}">\n'
        f'          <td data-label="{t["level"]}">{badge}</td>\n'
        f'          <td data-label="{t["due"]}" class="text-nowrap">{due}\n'
        f'            {clock}</td>\n'
        f'          <td data-label="{t["project"]}"><a class="fw-semibold" '
        f'href="{_shown(link("approvals:project_detail", project.pk))}">{_shown(project.name)}</a>'
        f'<div class="small text-muted">{_shown(project.enterprise.name)} · {_shown(project.category.name)}'
        f'</div></td>\n'
        f'          <td data-label="{t["kind"]}">{_shown(choice_label(stage, "kind"))}</td>\n'
        f'          <td data-label="{t["status"]}">'
        f'<span class="badge text-bg-{_shown(status_color(stage.status))}">'
        f'{_shown(choice_label(stage, "status"))}</span><div class="small text-body-secondary">'
        f'{_shown(row.sentence)}</div></td>\n'
        f'          <td data-label="{t["used"]}" class="text-end text-nowrap">{_shown(row.used)} / '
        f'{_shown(stage.budget_workdays)}</td>\n'
        f'          <td class="queue-action">{action}</td>\n'
        f'        </tr>\n      ')


# --- the project list's rows -------------------------------------------------------------------
# As queue_row: the same markup as the template's loop body, each value escaped as it escaped it.

_PROJECT_LABELS = {"project": "项目", "enterprise": "建设单位", "category": "类别", "amount": "签约金额(元)",
                   "status": "状态", "current": "当前阶段", "used": "总用时", "major": "重大"}


@lru_cache(maxsize=8)
def _project_labels(language):
    return {key: conditional_escape(gettext(msgid)) for key, msgid in _PROJECT_LABELS.items()}


@register.simple_tag
def project_row(project, progress):
    t = _project_labels(get_language())
    major = f' <span class="badge text-bg-danger">{t["major"]}</span>' if project.is_major else ""
    amount = project.signed_amount
    amount = _shown(intcomma(floatformat(amount, 0), False)) if amount else "—"
    current = progress.current
    if current:
        current = (f'<span class="badge {_shown(level_class(current.level))}">{_shown(current.level.label)}'
                   f'</span> {_shown(choice_label(current.stage, "kind"))}'
                   f'<div class="text-body-secondary">{_shown(current.sentence)}</div>')
    else:
        current = "—"
    used = gettext("%(used)s / %(limit)s 个工作日") % {"used": _shown(progress.used),
                                                      "limit": _shown(progress.limit)}
    return mark_safe(  # every value in it escaped above
        f'\n        <tr>\n'
        f'          <td data-label="{t["project"]}"><a class="fw-semibold" '
        f'href="{_shown(link("approvals:project_detail", project.pk))}">{_shown(project.name)}</a>{major}'
        f'<div class="small text-muted">{_shown(project.code)}</div></td>\n'
        f'          <td data-label="{t["enterprise"]}" class="small">{_shown(project.enterprise.name)}</td>\n'
        f'          <td data-label="{t["category"]}" class="small text-nowrap">'
        f'{_shown(project.category.name)}</td>\n'
        f'          <td data-label="{t["amount"]}" class="text-end small text-nowrap">{amount}</td>\n'
        f'          <td data-label="{t["status"]}">'
        f'<span class="badge text-bg-{_shown(status_color(project.status))}">'
        f'{_shown(choice_label(project, "status"))}</span></td>\n'
        f'          <td data-label="{t["current"]}" class="small">{current}</td>\n'
        f'          <td data-label="{t["used"]}" class="text-end small text-nowrap">{used}</td>\n'
        f'        </tr>\n      ')
