import html
from functools import lru_cache

from django import template
from django.forms.models import ModelChoiceIterator
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from enterprises.models import Enterprise, ListStatus

register = template.Library()

COLOURS = {ListStatus.ABOVE_SCALE: "primary", ListStatus.ATTRACTED: "success"}


@register.simple_tag
def list_status_badge(enterprise):
    """名单类别 (and 龙头企业) as badges: one per row of the directory, so made once per kind and
    language instead of an include and a get_list_status_display per row."""
    return _badge(enterprise.list_status, bool(enterprise.is_leading), get_language())


@lru_cache(maxsize=64)
def _badge(status, leading, language):
    labels = dict(Enterprise._meta.get_field("list_status").flatchoices)
    badge = format_html('<span class="badge text-bg-{}">{}</span>', COLOURS.get(status, "secondary"),
                        labels.get(status, status))
    if leading:
        badge += format_html(' <span class="badge text-bg-warning">{}</span>', gettext("龙头企业"))
    return badge


@register.simple_tag
def select_options(field):
    """The <option>s of a bound choice field, the chosen one selected: one pass over its choices
    (no COUNT before a model choice list, no template per option; the directory's commissioner
    filter has one option per commissioner of the zone)."""
    chosen = field.value()
    chosen = {"" if v is None else str(v) for v in (chosen if isinstance(chosen, list | tuple) else [chosen])}
    return mark_safe("".join(_options(_choices(field.field), chosen)))  # each part escaped


def _choices(field):
    """A model choice list read with one plain SELECT: Django's iterator reads it through
    QuerySet.iterator(), which on PostgreSQL is a server-side cursor (DECLARE … WITH HOLD, FETCH,
    CLOSE: three round trips for a dozen rows). The same choices, in the same order."""
    choices = field.choices
    if not isinstance(choices, ModelChoiceIterator) or choices.queryset._prefetch_related_lookups:
        return choices
    return _model_choices(field, choices)


def _model_choices(field, choices):
    if field.empty_label is not None:
        yield "", field.empty_label
    if getattr(field, "null_label", None) is not None:  # django-filter's "none" choice
        yield field.null_value, field.null_label
    for obj in list(choices.queryset):
        yield choices.choice(obj)


def _options(choices, chosen):
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield format_html('<optgroup label="{}">', value)
            yield from _options(label, chosen)
            yield "</optgroup>"
            continue
        value = "" if value is None else str(value)
        selected = " selected" if value in chosen else ""
        # format_html's escaping, without its per-call formatting machinery (hundreds of options)
        yield f'<option value="{_escaped(value)}"{selected}>{_escaped(label)}</option>'


def _escaped(text):
    """conditional_escape(text), without the lazy-argument check wrapped around its escape():
    the same text, for each of the hundreds of options."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


# --- the directory's rows ---------------------------------------------------------------------
# Fifty rows of a dozen variables each: through the template engine (a lookup, a localize and an
# escape each, a {% with %} and an {% if %}) they cost more than the rows' values. directory_row
# writes the same markup, each value escaped as the template escaped it.

_DIRECTORY_LABELS = {"name": "企业名称", "code": "统一社会信用代码", "industry": "行业", "list": "名单类别",
                     "commissioner": "服务专员", "group": "专员小组", "contact": "联系人",
                     "unassigned": "未分配"}


@lru_cache(maxsize=8)
def _directory_labels(language):
    return {key: conditional_escape(gettext(msgid)) for key, msgid in _DIRECTORY_LABELS.items()}


def _shown(value):
    """{{ value }} as the template renders it (localized, then escaped unless safe)."""
    return conditional_escape(value if isinstance(value, str) else str(localize(value)))


@register.simple_tag
def directory_row(enterprise, directory_url):
    """A row of the enterprise directory; its current commissioner from the prefetched
    active_assignments (the first, as the template's |first took it)."""
    t = _directory_labels(get_language())
    assignments = enterprise.active_assignments
    assignment = assignments[0] if assignments else None
    if assignment is not None:
        commissioner = _shown(assignment.commissioner.user)
        group = assignment.commissioner.group
        group = _shown(group) if group else ""
    else:
        commissioner, group = f'<span class="text-danger">{t["unassigned"]}</span>', ""
    return mark_safe(  # every value in it escaped above
        f'\n          <tr>\n'
        f'            <td data-label="{t["name"]}"><a href="{_shown(directory_url)}{_shown(enterprise.pk)}/">'
        f'{_shown(enterprise.name)}</a></td>\n'
        f'            <td data-label="{t["code"]}" class="font-monospace small">'
        f'{_shown(enterprise.credit_code)}</td>\n'
        f'            <td data-label="{t["industry"]}">{_shown(enterprise.industry)}</td>\n'
        f'            <td data-label="{t["list"]}">{list_status_badge(enterprise)}</td>\n'
        f'            \n'
        f'            <td data-label="{t["commissioner"]}">{commissioner}</td>\n'
        f'            <td data-label="{t["group"]}">{group}</td>\n'
        f'            \n'
        f'            <td data-label="{t["contact"]}">{_shown(enterprise.contact_name)} '
        f'<span class="text-muted small">{_shown(enterprise.contact_phone)}</span></td>\n'
        f'          </tr>\n          ')
