from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import AppendOnly


class Action(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("登录锁定")
    LOGOUT = "logout", _("退出登录")
    DENIED = "denied", _("拒绝访问")
    DOWNLOAD = "download", _("下载文件")
    ADMIN_CHANGE = "admin_change", _("后台修改")


class AuditEntry(AppendOnly, models.Model):
    """Who did what to which object, when and from where: security events next to the stage and
    demand events. Written by audit.services only; never changed nor deleted."""

    append_only_label = "审计记录"

    at = models.DateTimeField(_("时间"), default=timezone.now)
    action = models.CharField(_("事件"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    # The name typed or held at the time: kept when the account is gone or never existed.
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    method = models.CharField(_("请求方法"), max_length=10, blank=True)
    path = models.CharField(_("请求路径"), max_length=500, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["action", "at"]), models.Index(fields=["username", "at"]),
                   models.Index(fields=["at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_action_display()} {self.username}"
