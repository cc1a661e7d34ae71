"""Quiet hours: e-mail and webhook messages wait for working hours on a working day.

Working hours are settings.QUIET_HOURS_START–QUIET_HOURS_END ("08:30"–"17:30") in the project's
time zone (Asia/Shanghai), on working days of the Chinese calendar (weekends and statutory
holidays are quiet, adjusted working weekends are not). Urgent messages ignore quiet hours;
in-app notifications are never held.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from workdays import add_workdays, is_workday


def _clock(value):
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def working_hours():
    return _clock(settings.QUIET_HOURS_START), _clock(settings.QUIET_HOURS_END)


def _local(moment):
    return timezone.localtime(moment, timezone.get_default_timezone())


def is_quiet(moment):
    local = _local(moment)
    start, end = working_hours()
    return not (is_workday(local.date()) and start <= local.time() < end)


def quiet_until(moment):
    """When the next working hours begin; `moment` itself when it is not quiet."""
    if not is_quiet(moment):
        return moment
    local = _local(moment)
    start, _ = working_hours()
    day = local.date()
    if not (is_workday(day) and local.time() < start):
        day = add_workdays(day, 1)
    return timezone.make_aware(dt.datetime.combine(day, start), timezone.get_default_timezone())


def hold_until(moment, *, urgent):
    """None when a message may go now; otherwise when it may go."""
    if urgent or not is_quiet(moment):
        return None
    return quiet_until(moment)
