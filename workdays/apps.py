from django.apps import AppConfig
from django.core.signals import request_started
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = _("工作日历")

    def ready(self):
        from .calendar import mark_stale

        # Each request counts with the calendar as it is now (a notice may have been loaded by
        # another process): check the version stamp once per request.
        request_started.connect(lambda **kwargs: mark_stale(), weak=False,
                                dispatch_uid="workdays_mark_stale")
