"""Moving warning levels set-based, acting only on rows this call moved (healthchecks style).

A domain sweep never loops over every open row: it asks the database which rows cross a line,
moves them with one conditional UPDATE, and raises escalations for exactly those rows. Two
sweeps at once cannot both move (and so both notify for) the same row.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

CHUNK = 500


def escalate_after():
    """Working days a clock may stay red before the committee leaders hear of it."""
    return settings.ESCALATE_AFTER_WORKDAYS


class WarningLevel(models.TextChoices):
    """The level a watched clock (a stage, a demand node) stands at; the sweep moves it."""

    GREEN = "green", _("正常")
    YELLOW = "yellow", _("黄牌预警")
    RED = "red", _("红牌超期")
    ESCALATED = "escalated", _("提级督办")


def move_level(*, queryset, to_level, from_levels, field="warning_level", values=None):
    """UPDATE queryset's rows whose `field` is in `from_levels` to `to_level`; return their pks.

    `values` sets more fields in the same UPDATE (e.g. {"red_since": today}). Rows another
    transaction holds locked (a user acting on them right now) are skipped on PostgreSQL and
    picked up by the next sweep; on SQLite writers are serialised (BEGIN IMMEDIATE). Call it
    inside the transaction that also raises the escalations, so both happen or neither does.
    """
    candidates = queryset.filter(**{f"{field}__in": list(from_levels)}).order_by("pk")
    changes = {field: to_level, **(values or {})}
    with transaction.atomic():
        ids = list(candidates.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True))
        manager = queryset.model._base_manager
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            manager.filter(pk__in=chunk, **{f"{field}__in": list(from_levels)}).update(**changes)
    return ids
