from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("运行状态")

    def ready(self):
        # Every admin module is loaded by now (django.contrib.admin's ready ran first).
        from django.contrib import admin

        from core.admin_base import bound_inlines

        bound_inlines(admin.site)
