from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from accounts.roles import (
    ADMIN,
    APPROVER,
    BUREAU,
    COMMISSIONER,
    ENTERPRISE,
    GROUP_LEADER,
    LEADER,
    WORKING_GROUP,
)
from enterprises.models import Enterprise, EnterpriseMember, Industry

from .. import rules
from ..choices import LIVE, OPEN, ProjectStatus
from .policy import ProjectCategory

# Handed in once: a draft, and a draft withdrawn before it was ever submitted, are the enterprise's
# own work (submitted_on is set by `submit` only).
HANDED_IN = ~Q(status=ProjectStatus.DRAFT) & ~Q(status=ProjectStatus.WITHDRAWN, submitted_on__isnull=True)


class ProjectQuerySet(models.QuerySet):
    def handed_in(self):
        return self.filter(HANDED_IN)

    def visible_to(self, user):
        """Projects a user may see; anything else is a 404 for them.

        A draft is the enterprise's own work: only its users (and admins) see it, also once it is
        withdrawn without having been submitted.
        """
        if not (user and user.is_authenticated):
            return self.none()
        if user.has_role(ADMIN):
            return self.all()
        submitted = HANDED_IN
        allowed = Q(pk__in=[])
        if user.has_role(BUREAU, WORKING_GROUP, LEADER):
            allowed |= submitted
        if user.has_role(ENTERPRISE):
            allowed |= Q(enterprise_id__in=EnterpriseMember.objects.filter(user=user).values("enterprise_id"))
        if user.has_role(COMMISSIONER, GROUP_LEADER):
            from commissioners.selectors import enterprise_visible_ids

            allowed |= submitted & Q(enterprise_id__in=enterprise_visible_ids(user))
        if user.has_role(APPROVER):
            allowed |= submitted & Q(Exists(self._approver_stages(user)))
        return self.filter(allowed)

    @staticmethod
    def _approver_stages(user):
        from .stage import ApprovalStage

        return ApprovalStage.objects.filter(project=OuterRef("pk"),
                                            policy__departments__members=user)


class Project(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="projects",
                                   verbose_name=_("建设单位"))
    name = models.CharField(_("项目名称"), max_length=200)
    code = models.CharField(_("项目代码"), max_length=50, unique=True,
                            error_messages={"unique": _("该项目代码已被使用")})
    category = models.ForeignKey(ProjectCategory, on_delete=models.PROTECT, related_name="projects",
                                 verbose_name=_("项目类别"))
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="projects", verbose_name=_("行业"))
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    total_investment = models.DecimalField(_("总投资(元)"), max_digits=16, decimal_places=2,
                                           validators=[MinValueValidator(0)])
    signed_amount = models.DecimalField(_("签约金额(元)"), max_digits=16, decimal_places=2, default=0,
                                        validators=[MinValueValidator(0)])
    is_major = models.BooleanField(_("重大项目"), default=False)
    introduced_on = models.DateField(_("引进日期"), null=True, blank=True)
    construction_started_on = models.DateField(_("开工日期"), null=True, blank=True)
    task_force = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                        related_name="task_force_projects",
                                        verbose_name=_("服务专班"))
    status = FSMField(_("状态"), default=ProjectStatus.DRAFT, choices=ProjectStatus.choices, protected=True)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    finished_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("工程建设项目")
        verbose_name_plural = _("工程建设项目")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total_investment__gte=0),
                                   name="project_investment_not_negative"),
            models.CheckConstraint(condition=Q(signed_amount__gte=0), name="project_signed_not_negative"),
        ]
        indexes = [models.Index(fields=["enterprise", "status"]),
                   # the project lists' order (newest first), so a page reads an index range
                   models.Index(fields=["-created_at", "-id"], name="project_created_desc"),
                   # the overview counts the projects handed in since its summary's refresh live
                   models.Index(fields=["submitted_on"], condition=Q(submitted_on__isnull=False),
                                name="project_submitted_on"),
                   # 承诺兑现 counts the projects completed since its summary's refresh live
                   models.Index(fields=["finished_on"], condition=Q(status=ProjectStatus.COMPLETED),
                                name="project_completed_on")]

    def __str__(self):
        return f"{self.name}({self.code})"

    @property
    def is_draft(self):
        return self.status == ProjectStatus.DRAFT

    @property
    def is_live(self):
        return self.status in LIVE

    @property
    def is_open(self):
        return self.status in OPEN

    # --- transitions: they only change fields; services lock, save and record events ---------

    @transition(field=status, source=ProjectStatus.DRAFT, target=ProjectStatus.SUBMITTED,
                conditions=[rules.has_four_stages], permission=rules.may_act_for_enterprise)
    def submit(self, *, on):
        self.submitted_on = on

    @transition(field=status, source=ProjectStatus.SUBMITTED, target=ProjectStatus.IN_APPROVAL,
                permission=rules.may_drive_project)
    def begin_approval(self):
        pass

    @transition(field=status, source=ProjectStatus.IN_APPROVAL, target=ProjectStatus.COMPLETED,
                conditions=[rules.all_stages_approved], permission=rules.may_drive_project)
    def complete(self, *, on):
        self.finished_on = on

    @transition(field=status, source=LIVE, target=ProjectStatus.REJECTED, permission=rules.may_drive_project)
    def reject(self, *, on):
        self.finished_on = on

    @transition(field=status, source=OPEN, target=ProjectStatus.WITHDRAWN,
                permission=rules.may_act_for_enterprise)
    def withdraw(self, *, on):
        self.finished_on = on
