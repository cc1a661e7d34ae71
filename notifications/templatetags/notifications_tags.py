"""{% escalations_for obj %} for domain pages, level badges, and the navbar's role check."""

from django import template

from .. import selectors, services

register = template.Library()


@register.inclusion_tag("notifications/snippets/escalations_for.html", takes_context=True)
def escalations_for(context, obj):
    """The warnings and escalations of `obj`, with the leaders' 督办 comments (one query)."""
    user = context.get("user")
    return {
        "escalations": list(selectors.escalations_for_object(obj)),
        "can_supervise": bool(user) and services.can_supervise(user),
    }


@register.inclusion_tag("notifications/snippets/level_badge.html")
def level_badge(level, label=""):
    return {"level": level, "label": label}


@register.filter
def can_supervise(user):
    return services.can_supervise(user)
