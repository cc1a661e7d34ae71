from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Industry


class Leader(models.Model):
    """委领导: paired with leading enterprises (挂钩服务); may head a working group."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="leader_profile", verbose_name=_("用户"))
    title = models.CharField(_("职务"), max_length=100)
    industries = models.ManyToManyField(Industry, blank=True, related_name="leaders",
                                        verbose_name=_("分管行业"))
    paired_enterprises = models.ManyToManyField(Enterprise, blank=True, related_name="paired_leaders",
                                                verbose_name=_("挂钩企业"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("委领导")
        verbose_name_plural = _("委领导")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.user}({self.title})"


class WorkingGroup(models.Model):
    """One of the 7 professional working groups (专业服务工作组)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    leader = models.ForeignKey(Leader, on_delete=models.PROTECT, related_name="working_groups",
                               verbose_name=_("牵头委领导"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="working_groups",
                                     verbose_name=_("成员"))
    description = models.TextField(_("职责"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("专业服务工作组")
        verbose_name_plural = _("专业服务工作组")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class CommissionerGroup(models.Model):
    name = models.CharField(_("小组名称"), max_length=50, unique=True)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="led_commissioner_groups", verbose_name=_("小组长"))

    class Meta:
        verbose_name = _("专员小组")
        verbose_name_plural = _("专员小组")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Commissioner(models.Model):
    """营商环境专员: serves assigned enterprises (定点服务)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="commissioner_profile", verbose_name=_("用户"))
    group = models.ForeignKey(CommissionerGroup, on_delete=models.PROTECT, related_name="commissioners",
                              verbose_name=_("所属小组"))
    position = models.CharField(_("职务/单位"), max_length=100, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("营商环境专员")
        verbose_name_plural = _("营商环境专员")
        ordering = ["group", "id"]

    def __str__(self):
        return str(self.user)


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_on__isnull=True)


class Assignment(models.Model):
    """定点服务: commissioner ↔ enterprise, kept as history (ended rows stay)."""

    commissioner = models.ForeignKey(Commissioner, on_delete=models.PROTECT, related_name="assignments",
                                     verbose_name=_("专员"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="assignments",
                                   verbose_name=_("企业"))
    is_primary = models.BooleanField(_("主责专员"), default=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("操作人"))

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("定点服务")
        verbose_name_plural = _("定点服务")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(ended_on__isnull=True, is_primary=True),
                name="one_active_primary_assignment_per_enterprise",
                violation_error_message=_("该企业已有在岗主责专员"),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["commissioner"], condition=Q(ended_on__isnull=True),
                         name="assignment_active_by_comm"),
        ]

    def __str__(self):
        return f"{self.commissioner} → {self.enterprise}"


class OrgEvent(models.Model):
    """Append-only audit of organisation changes (assign, transfer, pair)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    action = models.CharField(_("操作"), max_length=30)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="org_events", verbose_name=_("企业"))
    commissioner = models.ForeignKey(Commissioner, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("专员"))
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("组织变更记录")
        verbose_name_plural = _("组织变更记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.action}"
