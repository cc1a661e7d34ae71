"""The working-day clock, written once: started on, limit, warning threshold, due on, provisional,
level (DESIGN.md "The clocks").

`WorkdayClock` is the abstract model a domain's clock rows inherit (a demand's current node, a
working group's share of it); the approval stage keeps its own accepted/paused fields but reads
its level with the same `level_on` and follows a moved deadline with the same `level_after_move`.
The sweep lines that move stored levels are in notifications.levels.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from workdays import add_workdays, is_provisional, workdays_between

from .levels import WarningLevel

LEVEL_ORDER = [WarningLevel.GREEN, WarningLevel.YELLOW, WarningLevel.RED, WarningLevel.ESCALATED]
CLOCK_FIELDS = ("started_on", "limit_workdays", "warning_threshold", "due_on", "due_provisional",
                "warning_level")


def level_on(due_on, threshold, today):
    """Green; yellow when the working days left fall to the threshold; red once overdue."""
    if due_on is None:
        return WarningLevel.GREEN
    if today > due_on:
        return WarningLevel.RED
    if workdays_between(today, due_on) <= threshold:
        return WarningLevel.YELLOW
    return WarningLevel.GREEN


def higher(*levels):
    """The most severe of the levels (a stored escalation sticks whatever the date says)."""
    return max((WarningLevel(level) for level in levels), key=LEVEL_ORDER.index)


def level_after_move(level, due_on, today):
    """A moved deadline that is no longer overdue goes back to green (the next sweep sets the
    level the new date calls for); an escalation stands."""
    if due_on is not None and due_on >= today and level in (WarningLevel.YELLOW, WarningLevel.RED):
        return WarningLevel.GREEN
    return level


def workdays_left(due_on, today):
    """Working days left until due_on; negative when overdue; None without a deadline."""
    if due_on is None:
        return None
    if today <= due_on:
        return workdays_between(today, due_on)
    return -workdays_between(due_on, today)


def clock_values(*, started_on, limit_workdays, warning_threshold):
    """The fields of a clock started on `started_on` (not counted, as the law counts periods)."""
    due_on = add_workdays(started_on, limit_workdays)
    return {"started_on": started_on, "limit_workdays": limit_workdays,
            "warning_threshold": warning_threshold, "due_on": due_on,
            "due_provisional": is_provisional(due_on),
            "warning_level": level_on(due_on, warning_threshold, started_on)}


STOPPED = {"started_on": None, "limit_workdays": None, "warning_threshold": 0, "due_on": None,
           "due_provisional": False, "warning_level": WarningLevel.GREEN}


class WorkdayClock(models.Model):
    """A clock counted in working days; `due_on` is stored so the sweep reads it set-based."""

    started_on = models.DateField(_("计时开始日"), null=True, blank=True)
    limit_workdays = models.PositiveSmallIntegerField(_("时限(工作日)"), null=True, blank=True)
    warning_threshold = models.PositiveSmallIntegerField(_("黄牌阈值"), default=0)
    due_on = models.DateField(_("到期日"), null=True, blank=True)
    due_provisional = models.BooleanField(_("到期日暂定"), default=False)
    warning_level = models.CharField(_("预警等级"), max_length=10, choices=WarningLevel.choices,
                                     default=WarningLevel.GREEN)

    class Meta:
        abstract = True

    def start_clock(self, values):
        """Set the clock from clock_values(...), or stop it with STOPPED."""
        for field, value in values.items():
            setattr(self, field, value)

    def clock_values(self):
        return {field: getattr(self, field) for field in CLOCK_FIELDS}

    def level_on(self, today):
        """The stored level (set by the sweep; escalated sticks) or the one the date implies."""
        return higher(level_on(self.due_on, self.warning_threshold, today), self.warning_level)

    def workdays_left(self, today):
        return workdays_left(self.due_on, today)

    def recount(self, today):
        """Recount due_on with the calendar as it is now; return the old date if it moved, else None.

        Clocks that never started (no start or limit) are left alone.
        """
        if self.started_on is None or self.limit_workdays is None:
            return None
        old = self.due_on
        self.due_on = add_workdays(self.started_on, self.limit_workdays)
        self.due_provisional = is_provisional(self.due_on)
        if self.due_on == old:
            return None
        self.warning_level = level_after_move(self.warning_level, self.due_on, today)
        return old


def level_rank(*, overdue=None):
    """0 escalated, 1 red (stored, or `overdue` — the domain's own overdue(today) condition), 2
    yellow, 3 the rest. Without `overdue` it reads the stored level only, so an index can hold it
    (approvals' stage_queue_rank)."""
    from django.db.models import Case, IntegerField, Q, Value, When

    red = Q(warning_level=WarningLevel.RED)
    return Case(When(warning_level=WarningLevel.ESCALATED, then=Value(0)),
                When(red | overdue if overdue is not None else red, then=Value(1)),
                When(warning_level=WarningLevel.YELLOW, then=Value(2)), default=Value(3),
                output_field=IntegerField())


def most_urgent_first(*, overdue=None, urgent=None):
    """order_by() terms for a to-do list: urgent matters first (`urgent`, a Q), then escalated,
    red, yellow, the rest (level_rank); within each, the earliest due_on first (none last)."""
    from django.db.models import Case, F, IntegerField, Value, When

    terms = [level_rank(overdue=overdue).asc(), F("due_on").asc(nulls_last=True)]
    if urgent is not None:
        first = Case(When(urgent, then=Value(0)), default=Value(1), output_field=IntegerField())
        terms.insert(0, first.asc())
    return terms
