from django.apps import AppConfig
from django.core.signals import request_started


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = "工作日历"

    def ready(self):
        from .calendar import mark_stale

        # Each request counts with the calendar as it is now (a notice may have been loaded by
        # another process): check the version stamp once per request.
        request_started.connect(lambda **kwargs: mark_stale(), weak=False,
                                dispatch_uid="workdays_mark_stale")
