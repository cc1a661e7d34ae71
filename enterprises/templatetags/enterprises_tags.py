import html
from functools import lru_cache

from django import template
from django.forms.models import ModelChoiceIterator
from django.utils.functional import Promise
from django.utils.html import format_html
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
