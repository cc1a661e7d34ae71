"""Moving warning levels set-based, acting only on rows this call moved (healthchecks style).

A domain sweep never loops over every open row: it asks the database which rows cross a line,
moves them with one conditional UPDATE, and raises escalations for exactly those rows. Two
sweeps at once cannot both move (and so both notify for) the same row.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workdays import add_workdays, workdays_back, workdays_between

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


# --- where a clock stands: the lines every domain sweep draws on its rows' stored due_on -------

def warning_due(rows, today, threshold_field, thresholds=None):
    """Rows not overdue with workdays_between(today, due_on) <= their threshold (yellow).

    For a threshold t that is due_on < add_workdays(today, t + 1). add_workdays needs the
    in-memory calendar, which SQL cannot see, so it is computed once per distinct threshold (a
    handful: the policy tables' values) and the rows are filtered in SQL. `thresholds` may name
    them (read from a small table); otherwise they are read from the rows.
    """
    rows = rows.filter(due_on__gte=today)
    if thresholds is None:
        thresholds = rows.order_by().values_list(threshold_field, flat=True).distinct()
    within = Q(pk__in=[])
    for t in set(thresholds):
        within |= Q(**{threshold_field: t}, due_on__lt=add_workdays(today, t + 1))
    return rows.filter(within)


def long_overdue(overdue_rows, today):
    """Of rows already overdue (each domain's queryset.overdue(today): its one definition of
    red), those red for escalate_after() working days or more (escalated)."""
    return overdue_rows.filter(due_on__lte=workdays_back(today, escalate_after()))


def describe_due(due_on, today):
    """The sentence a warning reads: how many working days are left, or how many are over."""
    due = f"{due_on:%Y-%m-%d}"
    if today <= due_on:
        return f"剩余 {workdays_between(today, due_on)} 个工作日, 应于 {due} 前办结。"
    over = workdays_between(due_on, today)
    return (f"已超期 {over} 个工作日" if over else "已超过办结期限") + f"(应于 {due} 前办结)。"
