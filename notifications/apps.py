from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "通知与督办"

    def ready(self):
        from workdays.hooks import register_notice_listener

        from .calendar_watch import calendar_watch
        from .services import moved_deadlines_notify
        from .sweep import register_sweep

        register_sweep("notifications.calendar_watch", calendar_watch)
        # A loaded holiday notice moves provisional deadlines: tell their handlers (after commit).
        register_notice_listener("notifications", moved_deadlines_notify)
