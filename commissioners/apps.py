from django.apps import AppConfig


class CommissionersConfig(AppConfig):
    name = "commissioners"
    verbose_name = "护商通服务体系"
