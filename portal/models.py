from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """Last run of a periodic task, so an admin can see that beat and a worker are alive."""

    name = models.CharField(_("任务"), max_length=100, unique=True)
    last_run_at = models.DateTimeField(_("最近运行"))
    hostname = models.CharField(_("执行节点"), max_length=200, blank=True)
    runs = models.PositiveBigIntegerField(_("运行次数"), default=0)

    class Meta:
        verbose_name = _("心跳")
        verbose_name_plural = _("心跳")

    def __str__(self):
        return f"{self.name} @ {self.last_run_at:%Y-%m-%d %H:%M:%S}"
