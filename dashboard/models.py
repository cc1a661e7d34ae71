"""The weekly report the leaders' committee reads before it meets (one per ISO week)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    week = models.CharField(_("周次"), max_length=8, unique=True, help_text=_("ISO 周, 如 2026-W48"))
    start = models.DateField(_("起始日"))
    end = models.DateField(_("截止日"))
    file = models.FileField(_("报表文件"), upload_to="reports/", max_length=200)
    built_at = models.DateTimeField(_("生成时间"), auto_now=True)

    class Meta:
        verbose_name = _("周报")
        verbose_name_plural = _("周报")
        ordering = ["-start"]

    def __str__(self):
        return f"周报 {self.week}"
