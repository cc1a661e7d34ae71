from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("工程建设项目审批")

    def ready(self):
        from notifications.sweep import register_sweep
        from workdays.hooks import register_deadline_source

        from . import supervision
        from .deadlines import recompute_stage_deadlines
        from .sweep import sweep_stages

        register_deadline_source("approvals.stage", recompute_stage_deadlines)
        # Stage clocks and 容缺 commitments, every run of the beat's "notifications.sweep".
        register_sweep("approvals.stages", sweep_stages)
        # A leader's 督办 on a stage reaches its approvers and comes back (notifications.supervisions).
        supervision.register()
