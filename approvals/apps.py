from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "工程建设项目审批"

    def ready(self):
        from workdays.hooks import register_deadline_source

        from .deadlines import recompute_stage_deadlines

        register_deadline_source("approvals.stage", recompute_stage_deadlines)
