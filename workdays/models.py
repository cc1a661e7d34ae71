import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    WEEKEND = "weekend", _("休息日")
    HOLIDAY = "holiday", _("法定节假日")
    ADJUSTED_WORKDAY = "adjusted_workday", _("调休上班")


WORKING_KINDS = (DayKind.WORKDAY, DayKind.ADJUSTED_WORKDAY)


class DaySource(models.TextChoices):
    PACKAGE = "package", _("chinesecalendar 数据包")
    NOTICE = "notice", _("国务院办公厅通知(管理员导入)")
    RULE = "rule", _("按周一至周五推定(暂定)")


class CalendarDayQuerySet(models.QuerySet):
    def provisional(self):
        return self.filter(source=DaySource.RULE)

    def in_year(self, year):
        return self.filter(date__year=year)


class CalendarDay(models.Model):
    date = models.DateField(_("日期"), primary_key=True)
    is_workday = models.BooleanField(_("工作日"))
    kind = models.CharField(_("类型"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=DaySource.choices)

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                name="calendarday_workday_matches_kind",
                condition=(
                    models.Q(is_workday=True, kind__in=WORKING_KINDS)
                    | (models.Q(is_workday=False) & ~models.Q(kind__in=WORKING_KINDS))
                ),
            )
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()

    @property
    def provisional(self):
        return self.source == DaySource.RULE


class CalendarVersion(models.Model):
    """One row whose stamp changes whenever the calendar changes.

    Every process keeps the calendar in memory and compares this stamp before counting, so a
    notice loaded in one process changes the results in all others.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    stamp = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")

    def __str__(self):
        return f"{self.stamp} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    @classmethod
    def bump(cls):
        cls.objects.update_or_create(id=1, defaults={"stamp": uuid.uuid4()})


class NoticeLoad(models.Model):
    """The audit row of one loaded holiday notice: who loaded which year, and what it moved."""

    year = models.PositiveSmallIntegerField(_("年份"))
    loaded_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    source_name = models.CharField(_("文件"), max_length=200, blank=True)
    holidays = models.PositiveSmallIntegerField(_("法定节假日天数"))
    adjusted_workdays = models.PositiveSmallIntegerField(_("调休上班天数"))
    changed_days = models.PositiveSmallIntegerField(_("工作/休息状态改变的天数"))
    moved_deadlines = models.PositiveIntegerField(_("变动的期限数"))

    class Meta:
        verbose_name = _("节假日通知导入记录")
        verbose_name_plural = _("节假日通知导入记录")
        ordering = ["-loaded_at"]

    def __str__(self):
        return gettext("%(year)s 年通知 (%(loaded_at)s)") % {
            "year": self.year, "loaded_at": f"{self.loaded_at:%Y-%m-%d %H:%M}"}
