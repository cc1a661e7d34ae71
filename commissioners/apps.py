from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionersConfig(AppConfig):
    name = "commissioners"
    verbose_name = _("护商通服务体系")

    def ready(self):
        from notifications.sweep import register_sweep
        from workdays.hooks import register_deadline_source

        from . import supervision
        from .services.demands import recompute_demand_deadlines
        from .sweep import sweep_demands

        # Node deadlines counted by the weekday rule move when next year's notice is loaded.
        register_deadline_source("commissioners.demand", recompute_demand_deadlines)
        # Every open demand node's clock, on each run of the beat's "notifications.sweep".
        register_sweep("commissioners.demands", sweep_demands)
        # A leader's 督办 on a demand reaches its node's holder and comes back.
        supervision.register()
