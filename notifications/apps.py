from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "通知与督办"

    def ready(self):
        from .calendar_watch import calendar_watch
        from .sweep import register_sweep

        register_sweep("notifications.calendar_watch", calendar_watch)
