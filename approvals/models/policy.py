"""What the zone's reform promises: per category a limit, per stage a budget and reviewers."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import STAGE_ORDER, StageKind  # noqa: F401 (STAGE_ORDER re-exported)


class ProjectCategory(models.Model):
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    limit_workdays = models.PositiveSmallIntegerField(_("审批时限(工作日)"),
                                                      validators=[MinValueValidator(1)])
    description = models.TextField(_("适用范围"), blank=True)
    supervision_reply_workdays = models.PositiveSmallIntegerField(
        _("督办回复期限(工作日)"), default=2, validators=[MinValueValidator(1)],
        help_text=_("领导督办后, 承办人回复办理情况的期限; 重大紧急事项为 1 个工作日"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("项目类别")
        verbose_name_plural = _("项目类别")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @property
    def label_with_limit(self):
        return gettext("%(name)s: %(limit)s个工作日") % {"name": self.name, "limit": self.limit_workdays}


class Department(models.Model):
    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    head = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="headed_departments", verbose_name=_("负责人(督办对象)"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                     related_name="approval_departments",
                                     verbose_name=_("审批人员"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("审批部门")
        verbose_name_plural = _("审批部门")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class StagePolicy(models.Model):
    category = models.ForeignKey(ProjectCategory, on_delete=models.CASCADE, related_name="policies",
                                 verbose_name=_("项目类别"))
    kind = models.CharField(_("审批阶段"), max_length=20, choices=StageKind.choices)
    budget_workdays = models.PositiveSmallIntegerField(_("阶段时限(工作日)"),
                                                       validators=[MinValueValidator(1)])
    warning_threshold_workdays = models.PositiveSmallIntegerField(
        _("预警阈值(剩余工作日)"), default=3,
        help_text=_("剩余工作日降到此数时亮黄牌"))
    departments = models.ManyToManyField(Department, blank=True, related_name="policies",
                                         verbose_name=_("并联审批部门"))

    class Meta:
        verbose_name = _("阶段审批规则")
        verbose_name_plural = _("阶段审批规则")
        ordering = ["category", "kind"]
        constraints = [models.UniqueConstraint(fields=["category", "kind"],
                                               name="one_policy_per_category_stage")]

    def __str__(self):
        return f"{self.category} · {self.get_kind_display()}"

    @property
    def order(self):
        return STAGE_ORDER[self.kind]


class MaterialRequirement(models.Model):
    """One line of a stage's checklist; a key item may not be missing at acceptance (容缺 only for others)."""

    policy = models.ForeignKey(StagePolicy, on_delete=models.CASCADE, related_name="requirements",
                               verbose_name=_("阶段审批规则"))
    key = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("材料名称"), max_length=100)
    is_key = models.BooleanField(_("关键材料"), default=True,
                                 help_text=_("关键材料缺失不得受理; 非关键材料可容缺受理"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["policy", "key"], name="unique_requirement_key")]

    def __str__(self):
        return self.name
