import datetime as dt
import functools
import operator
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from core.audit import AppendOnly
from notifications.clocks import level_rank
from notifications.levels import WarningLevel

from .. import clock, rules
from ..choices import (
    CLOCK_OPEN,
    FINISHED,
    LIVE,
    RUNNING,
    STAGE_ORDER,
    EventAction,
    Opinion,
    PauseKind,
    StageStatus,
)
from .policy import Department, StageKind, StagePolicy
from .project import Project

# Where a stage without a due_on (not yet accepted) or opened_on sorts in the queue: last.
LAST_DAY = dt.date(9999, 12, 31)


def sweep_due():
    """due_on as the sweep's yellow step compares it (index stage_green_policy_due): the same day
    for a running stage, whose due_on is set."""
    return Coalesce("due_on", Value(LAST_DAY))


def queue_order():
    """The approver queue's sort expressions: the stored level's rank (escalated, red, yellow, the
    rest), the deadline, the day opened, the id. Not nullable, so that a keyset page past a cursor
    is one row comparison over the index stage_queue_rank, which holds these expressions."""
    return [level_rank(), Coalesce("due_on", Value(LAST_DAY)), Coalesce("opened_on", Value(LAST_DAY)),
            F("id")]


def overdue_on(today):
    """A running stage past its due_on: red today, whether or not the sweep has marked it yet."""
    return Q(status__in=RUNNING, due_on__lt=today)


S = StageStatus


class StageQuerySet(models.QuerySet):
    def actionable(self):
        return self.filter(status__in=[S.PENDING, *CLOCK_OPEN], project__status__in=LIVE)

    def overdue(self, today):
        return self.filter(overdue_on(today))

    def with_project_budget(self):
        """Each stage with `used_before` (working days its project's other stages used, stored
        when they finished) and `project_limit` (its category's limit), for clock.limit_due_on."""
        others = (ApprovalStage.objects.filter(project_id=OuterRef("project_id"), used_workdays__isnull=False)
                  .exclude(pk=OuterRef("pk")).order_by().values("project_id")
                  .annotate(total=Sum("used_workdays")).values("total"))
        return self.annotate(used_before=Coalesce(Subquery(others), 0),
                             project_limit=F("project__category__limit_workdays"))

    def commitments_open(self):
        """容缺 commitments not yet met. An approved stage's may still be open; a refused or
        cancelled stage's is void (partial index stage_commitment_open)."""
        return (self.filter(commitment_due_on__isnull=False, commitment_met_on__isnull=True)
                .exclude(status__in=[S.REJECTED, S.CANCELLED]))


class ApprovalStage(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    # No index of its own: the unique (project, order) and (project, kind) lead with project_id and
    # serve its lookups; a third copy was one more index to write on every stage update.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages",
                                verbose_name=_("项目"), db_index=False)
    # Nor this one: the queue's policy lookups read stage_queue_policy (open stages); a full index on
    # a handful of policies served only the PROTECT check of deleting one, and was written on every
    # stage update (a calendar notice rewrites ~100,000 stages at 1M).
    policy = models.ForeignKey(StagePolicy, on_delete=models.PROTECT, related_name="stages",
                               verbose_name=_("审批规则"), db_index=False)
    kind = models.CharField(_("审批阶段"), max_length=20, choices=StageKind.choices)
    order = models.PositiveSmallIntegerField(_("顺序"))
    # A copy of the policy's budget when the project was created: later edits of the policy
    # do not move a deadline already promised to the enterprise.
    budget_workdays = models.PositiveSmallIntegerField(_("阶段时限(工作日)"))
    status = FSMField(_("状态"), default=S.WAITING, choices=StageStatus.choices, protected=True)
    opened_on = models.DateField(_("开始申报日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    # No index: no read looks stages up by who accepted them; deleting a user (SET NULL) scans.
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, db_index=False,
                                    related_name="+", verbose_name=_("受理人"))
    due_on = models.DateField(_("办结期限"), null=True, blank=True)
    # The last day the project stays within its category limit while this stage runs
    # (clock.limit_due_on): set with due_on, so the sweep finds projects over their limit by an
    # index range (stage_limit_running) instead of summing every project's stages.
    limit_due_on = models.DateField(_("项目总时限到期日"), null=True, blank=True, editable=False)
    provisional = models.BooleanField(_("期限暂定"), default=False,
                                      help_text=_("期限落在尚未公布节假日安排的年份, 按周一至周五推算"))
    paused_workdays = models.PositiveSmallIntegerField(_("暂停工作日"), default=0)
    paused_since = models.DateField(_("暂停开始"), null=True, blank=True)
    used_workdays = models.PositiveSmallIntegerField(_("实际用时(工作日)"), null=True, blank=True)
    finished_on = models.DateField(_("办结日期"), null=True, blank=True)
    warning_level = models.CharField(_("预警等级"), max_length=10, choices=WarningLevel.choices,
                                     default=WarningLevel.GREEN)
    supplement_items = models.JSONField(_("补正事项"), default=list, blank=True)
    decision_reason = models.TextField(_("不予许可理由"), blank=True)
    missing_items = models.JSONField(_("容缺材料"), default=list, blank=True,
                                     help_text=_("容缺受理时缺少的非关键材料 [{key, name}]"))
    # The working days granted are kept beside the date, so a calendar change can recount it.
    commitment_workdays = models.PositiveSmallIntegerField(_("容缺承诺期限(工作日)"), null=True, blank=True)
    commitment_due_on = models.DateField(_("容缺承诺补齐期限"), null=True, blank=True)
    commitment_met_on = models.DateField(_("容缺材料补齐日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = StageQuerySet.as_manager()

    class Meta:
        verbose_name = _("审批阶段")
        verbose_name_plural = _("审批阶段")
        # No default ordering: it joined approvals_project into every stage query (the dashboard's
        # aggregates included); each list says its own order_by.
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="one_stage_per_order"),
            # A stage's order is its kind's place in the law's sequence (STAGE_ORDER), so one stage
            # per (project, order) is one per (project, kind): a CHECK on the row instead of a
            # second unique index, which every stage update (a calendar notice rewrites ~90,000 at
            # 1M) wrote an entry in. Lookups by project read one_stage_per_order.
            models.CheckConstraint(
                condition=functools.reduce(operator.or_, (Q(order=order, kind=kind)
                                                          for kind, order in STAGE_ORDER.items())),
                name="stage_order_follows_kind"),
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(status__in=RUNNING), name="stage_due_running"),
            models.Index(fields=["limit_due_on"], condition=Q(status__in=RUNNING),
                         name="stage_limit_running"),
            models.Index(fields=["commitment_due_on"],
                         condition=Q(commitment_due_on__isnull=False, commitment_met_on__isnull=True),
                         name="stage_commitment_open"),
            # The stage lists' order over the stages still to act on (pending or clock open).
            models.Index(fields=["due_on", "opened_on", "id"],
                         condition=Q(status__in=[S.PENDING, *CLOCK_OPEN]), name="stage_queue_open"),
            # The approver queue's order (most urgent level first, then the deadline), so a page is
            # an index walk from its cursor instead of a sort of every open stage of the
            # departments (31,000 at 1M); the stored level is indexed, so a level move is no
            # longer a HOT update (the sweep's bare-UPDATE floor pays the same).
            models.Index(*queue_order(), condition=Q(status__in=[S.PENDING, *CLOCK_OPEN]),
                         name="stage_queue_rank"),
            # The queue's capped count: a department's open stages without reading the others.
            models.Index(fields=["policy"], include=["project"],
                         condition=Q(status__in=[S.PENDING, *CLOCK_OPEN]), name="stage_queue_policy"),
            # The overview counts the stages decided since its summary's refresh live.
            models.Index(fields=["finished_on"], condition=Q(finished_on__isnull=False),
                         name="stage_finished_on"),
            # 承诺兑现's stages approved in a period, grouped by kind and working days used: read
            # from this index alone (a year at 1M: 0.3 s from the table, 60 ms from the index).
            models.Index(fields=["finished_on"], include=["kind", "used_workdays", "budget_workdays", "id"],
                         condition=Q(status=StageStatus.APPROVED, used_workdays__isnull=False),
                         name="stage_approved_finished"),
            # The sweep's yellow step (approvals.sweep._yellow_due): per policy, the green running
            # stages due within its threshold, not the yellow ones already moved. Over sweep_due()
            # rather than due_on, so that the planner, which cannot know that running stages are
            # the ones due soon, has no other index for the step's ranges (and this index's own
            # statistics count green stages only).
            models.Index(F("policy"), sweep_due(),
                         condition=Q(status__in=RUNNING, warning_level=WarningLevel.GREEN),
                         name="stage_green_policy_due"),
        ]

    def __str__(self):
        return f"{self.project.name} · {self.get_kind_display()}"

    # --- transitions: they only change fields; services lock, save and record events ---------

    @transition(field=status, source=S.WAITING, target=S.PENDING,
                conditions=[rules.project_is_live,
                            rules.previous_stage_approved], permission=rules.takes_part)
    def open(self, *, on):
        self.opened_on = on

    @transition(field=status, source=S.PENDING, target=S.ACCEPTED,
                conditions=[rules.project_is_live, rules.key_materials_complete],
                permission=rules.may_approve_stage)
    def accept(self, *, on, by, missing_items=(), commitment_workdays=None):
        self.accepted_on, self.accepted_by = on, by
        self.paused_workdays, self.paused_since = 0, None
        self._set_due_on()
        self.warning_level = WarningLevel.GREEN
        self.missing_items = list(missing_items)
        self.commitment_workdays = commitment_workdays if missing_items else None
        self.commitment_due_on = (clock.commitment_due_on(accepted_on=on, workdays=commitment_workdays)
                                  if missing_items else None)

    @transition(field=status, source=[S.ACCEPTED, S.IN_REVIEW], target=S.IN_REVIEW,
                permission=rules.may_approve_stage)
    def record_review(self):
        pass

    @transition(field=status, source=[S.ACCEPTED, S.IN_REVIEW], target=S.SUPPLEMENT,
                permission=rules.may_approve_stage)
    def request_supplement(self, *, on, items):
        self.supplement_items = list(items)
        self.paused_since = on

    @transition(field=status, source=S.SUPPLEMENT, target=S.IN_REVIEW,
                conditions=[rules.has_open_pause, rules.supplement_items_answered],
                permission=rules.may_act_for_enterprise)
    def resubmit(self, *, on):
        self._close_pause(on)

    @transition(field=status, source=[S.ACCEPTED, S.IN_REVIEW], target=S.PAUSED,
                permission=rules.may_approve_stage)
    def pause(self, *, on):
        self.paused_since = on

    @transition(field=status, source=S.PAUSED, target=S.IN_REVIEW,
                conditions=[rules.has_open_pause], permission=rules.may_approve_stage)
    def resume(self, *, on):
        self._close_pause(on)

    @transition(field=status, source=S.IN_REVIEW, target=S.APPROVED,
                conditions=[rules.all_departments_agree], permission=rules.may_approve_stage)
    def approve(self, *, on):
        self._finish(on)

    @transition(field=status, source=[S.ACCEPTED, S.IN_REVIEW], target=S.REJECTED,
                permission=rules.may_approve_stage)
    def reject(self, *, on, reason):
        self.decision_reason = reason
        self._finish(on)

    @transition(field=status, source=[S.WAITING, S.PENDING, *CLOCK_OPEN], target=S.CANCELLED,
                permission=rules.takes_part)
    def cancel(self, *, on):
        if self.paused_since:
            self._close_pause(on)
        self._finish(on)

    def _set_due_on(self):
        self.due_on = clock.due_on(accepted_on=self.accepted_on, budget=self.budget_workdays,
                                   paused=self.paused_workdays)
        self.provisional = clock.provisional(self.due_on)
        self._set_limit_due_on()

    def _set_limit_due_on(self):
        """The project's limit date, from what its other stages used (one query)."""
        budget = ApprovalStage.objects.filter(pk=self.pk).with_project_budget().values(
            "used_before", "project_limit").first() if self.pk else None
        if budget is None:  # not saved yet: no other stage can have finished before it
            budget = {"used_before": 0, "project_limit": self.project.category.limit_workdays}
        self.limit_due_on = clock.limit_due_on(accepted_on=self.accepted_on, limit=budget["project_limit"],
                                               used_before=budget["used_before"], paused=self.paused_workdays)

    def _close_pause(self, on):
        self.paused_workdays += clock.pause_length(started_on=self.paused_since, ended_on=on)
        self.paused_since = None
        self._set_due_on()

    def _finish(self, on):
        self.finished_on = on
        self.limit_due_on = None  # the clock stopped: nothing left to watch
        if self.accepted_on:
            self.used_workdays = clock.used(self, today=on)

    # --- reads --------------------------------------------------------------------------------

    @property
    def is_finished(self):
        return self.status in FINISHED

    @property
    def clock_open(self):
        return self.status in CLOCK_OPEN

    def requirements(self):
        return list(self.policy.requirements.all())

    def uploaded_keys(self):
        return {material.requirement_key for material in self.materials.all() if material.requirement_key}

    def missing_requirements(self, *, key_only=False):
        uploaded = self.uploaded_keys()
        return [r for r in self.requirements() if r.key not in uploaded and (r.is_key or not key_only)]


class StageReview(models.Model):
    """One department's opinion inside a stage (并联审批)."""

    stage = models.ForeignKey(ApprovalStage, on_delete=models.CASCADE, related_name="reviews",
                              verbose_name=_("审批阶段"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="reviews",
                                   verbose_name=_("部门"))
    opinion = models.CharField(_("意见"), max_length=10, choices=Opinion.choices, default=Opinion.PENDING)
    comment = models.TextField(_("说明"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("审查人"))
    at = models.DateTimeField(_("出具时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("并联审批意见")
        verbose_name_plural = _("并联审批意见")
        ordering = ["stage", "department__order", "department_id"]
        constraints = [models.UniqueConstraint(fields=["stage", "department"],
                                               name="one_review_per_department")]

    def __str__(self):
        return f"{self.department}: {self.get_opinion_display()}"


class ClockPause(models.Model):
    """An interval in which the stage clock stops, with the rule that allows it."""

    stage = models.ForeignKey(ApprovalStage, on_delete=models.CASCADE, related_name="pauses",
                              verbose_name=_("审批阶段"))
    kind = models.CharField(_("类型"), max_length=20, choices=PauseKind.choices)
    legal_basis = models.CharField(_("依据"), max_length=300, blank=True)
    items = models.JSONField(_("补正事项"), default=list, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    paused_workdays = models.PositiveSmallIntegerField(_("暂停工作日"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("发起人"))
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("结束人"))

    class Meta:
        verbose_name = _("暂停计时")
        verbose_name_plural = _("暂停计时")
        ordering = ["stage", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage"], condition=Q(ended_on__isnull=True),
                                    name="one_open_pause"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pause_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_on}"


def material_path(instance, filename):
    """A random name: the enterprise's file name is kept in the row, never on disk."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"materials/{uuid.uuid4().hex}{suffix}"


class Material(models.Model):
    """A file of a stage: for a line of its checklist (requirement_key), or for one item of a 补正
    request (pause, supplement_item = the item's index in pause.items; requirement_key empty)."""

    stage = models.ForeignKey(ApprovalStage, on_delete=models.CASCADE, related_name="materials",
                              verbose_name=_("审批阶段"))
    requirement_key = models.SlugField(_("材料代码"), max_length=40, blank=True)
    pause = models.ForeignKey(ClockPause, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="materials", verbose_name=_("补正通知"))
    supplement_item = models.PositiveSmallIntegerField(_("补正事项序号"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to=material_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申报材料文件")
        verbose_name_plural = _("申报材料文件")
        ordering = ["stage", "requirement_key", "-uploaded_at"]
        constraints = [
            # A file answers either a checklist line or one requested item, never neither.
            models.CheckConstraint(
                condition=(Q(pause__isnull=True, supplement_item__isnull=True) & ~Q(requirement_key=""))
                | Q(pause__isnull=False, supplement_item__isnull=False, requirement_key=""),
                name="material_for_checklist_or_supplement_item"),
        ]

    def __str__(self):
        return self.original_name


class StageEvent(AppendOnly, models.Model):
    """Append-only audit: the history every page shows and the record notifications read."""

    append_only_label = "审批记录"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events",
                                verbose_name=_("项目"))
    stage = models.ForeignKey(ApprovalStage, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="events", verbose_name=_("审批阶段"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    action = models.CharField(_("操作"), max_length=30, choices=EventAction.choices)
    from_status = models.CharField(_("原状态"), max_length=30, blank=True)
    to_status = models.CharField(_("新状态"), max_length=30, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    workdays_used_so_far = models.PositiveSmallIntegerField(_("已用工作日"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("审批记录")
        verbose_name_plural = _("审批记录")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
