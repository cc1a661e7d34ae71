from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知与督办")

    def ready(self):
        from workdays.hooks import register_moved_listener

        from .calendar_watch import calendar_watch
        from .models import Supervision
        from .moved import moved_deadlines_notify
        from .supervisions import register_stands_for, sweep_supervisions
        from .sweep import register_sweep

        register_sweep("notifications.calendar_watch", calendar_watch)
        register_sweep("notifications.supervisions", sweep_supervisions)
        # A 督办 left unanswered is escalated on the Supervision row; supervising that concerns
        # the same matter again.
        register_stands_for(Supervision, lambda supervision: supervision.matter)
        # A calendar change (a notice loaded, a day corrected) moves deadlines: tell their
        # handlers once it has committed.
        register_moved_listener("notifications", moved_deadlines_notify)
