from functools import lru_cache

from django import template
from django.utils.html import format_html
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
