"""护商通 demands (诉求): the route, its per-node clocks and its append-only history.

The route: submitted → accepted (commissioner) → reviewed (group leader) → dispatched (bureau, to
one or more working groups in parallel) → in_progress → answered → closed (by the enterprise's
rating, or as 未评价 when the rating window runs out). Transitions only change fields; the
services in commissioners/services/demands.py lock, call them, save and write the DemandEvent.
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from accounts.roles import ADMIN, BUREAU, COMMISSIONER, ENTERPRISE, GROUP_LEADER, LEADER, WORKING_GROUP
from core.audit import AppendOnly
from enterprises.models import Enterprise, EnterpriseMember
from notifications.clocks import STOPPED, WorkdayClock
from notifications.levels import WarningLevel

from ..choices import (
    DEMAND_NODES,
    ENDED_DISPATCH,
    NODE_HOLDERS,
    OPEN_DISPATCH,
    DemandAction,
    DemandStatus,
    DispatchStatus,
    Node,
    RaisedVia,
    Rating,
    Urgency,
)
from ..rules import (
    every_dispatch_answered,
    has_open_dispatch,
    has_title,
    is_bureau,
    is_commissioner_of,
    is_dispatched_member,
    is_enterprise_member,
    is_group_leader_of,
    is_system,
    never_reopened,
    rating_window_over,
)
from .org import WorkingGroup


class DemandCategory(models.Model):
    """诉求类别, mapped to the working group that usually handles it.

    The mapping is a working-group *code*, resolved when the demand is dispatched, not a
    foreign key: this table is seeded by a data migration that runs before any WorkingGroup
    row exists (seed_demo and the factories create those), and a code survives re-seeding the
    organisation, where a nullable FK would silently stay empty on every fresh database.
    """

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    working_group_code = models.SlugField(_("对应工作组代码"), max_length=30, blank=True,
                                          help_text=_("留空时由经济运行局交办时选择工作组"))
    supervision_reply_workdays = models.PositiveSmallIntegerField(
        _("督办回复期限(工作日)"), default=2,
        help_text=_("领导督办后, 承办人回复办理情况的期限; 重大紧急诉求为 1 个工作日"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    def working_group(self):
        if not self.working_group_code:
            return None
        groups = WorkingGroup.objects.select_related("leader__user")
        return groups.filter(code=self.working_group_code).first()


class DemandPolicy(models.Model):
    """The time limit of one node of the route, in working days, per urgency."""

    node = models.CharField(_("环节"), max_length=20, choices=Node.choices)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices)
    limit_workdays = models.PositiveSmallIntegerField(_("时限(工作日)"))
    warning_threshold = models.PositiveSmallIntegerField(
        _("黄牌阈值(剩余工作日)"), default=0,
        help_text=_("剩余工作日不多于此数时亮黄牌; 0 表示到期当天亮黄牌"))

    class Meta:
        verbose_name = _("诉求办理时限")
        verbose_name_plural = _("诉求办理时限")
        ordering = ["urgency", "node"]
        constraints = [
            models.UniqueConstraint(fields=["node", "urgency"], name="demand_policy_node_urgency"),
            models.CheckConstraint(condition=Q(limit_workdays__gte=1), name="demand_policy_limit_positive"),
        ]

    def __str__(self):
        return gettext("%(node)s(%(urgency)s): %(limit)s 个工作日") % {
            "node": self.get_node_display(), "urgency": self.get_urgency_display(),
            "limit": self.limit_workdays}


# --- querysets ----------------------------------------------------------------------------------

def overdue_on(today):
    """An open demand whose running clock is past its due_on: red today, whether or not the sweep
    has marked it yet. At the answer node the demand's clock mirrors its earliest open share; the
    rating node never goes red (the demand closes as 未评价 instead)."""
    return (~Q(status=DemandStatus.CLOSED) & Q(current_node__in=[*DEMAND_NODES, Node.ANSWER])
            & Q(due_on__lt=today))


class DemandQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=DemandStatus.CLOSED)

    def overdue(self, today):
        return self.filter(overdue_on(today))

    def visible_to(self, user):
        """Enterprise: its own; commissioner / group leader: their enterprises'; working group:
        those dispatched to it; bureau, leaders, admin: all; anyone else: none (a 404)."""
        if not (user and user.is_authenticated):
            return self.none()
        if user.has_role(BUREAU, LEADER, ADMIN):
            return self
        from ..selectors.org import enterprise_visible_ids

        q = Q(pk__in=[])
        if user.has_role(ENTERPRISE):
            q |= Q(enterprise__in=EnterpriseMember.objects.filter(user=user).values("enterprise_id"))
        if user.has_role(COMMISSIONER, GROUP_LEADER):
            q |= Q(enterprise__in=enterprise_visible_ids(user))
        if user.has_role(WORKING_GROUP):
            q |= Q(Exists(DemandDispatch.objects.open_or_answered().filter(
                demand=OuterRef("pk"), working_group__members=user)))
        return self.filter(q)


class Demand(ConcurrentTransitionMixin, FSMModelMixin, WorkdayClock):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="demands",
                                   verbose_name=_("企业"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  related_name="raised_demands", verbose_name=_("提出人"))
    raised_via = models.CharField(_("来源"), max_length=10, choices=RaisedVia.choices,
                                  default=RaisedVia.BROWSER)
    visit = models.ForeignKey("commissioners.Visit", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="demands", verbose_name=_("走访记录"))
    category = models.ForeignKey(DemandCategory, on_delete=models.PROTECT, related_name="demands",
                                 verbose_name=_("类别"))
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("诉求内容"), blank=True)
    status = FSMField(_("状态"), max_length=20, choices=DemandStatus.choices, default=DemandStatus.SUBMITTED,
                      protected=True)

    # The node now running; its clock (WorkdayClock's fields) is what the sweep reads set-based.
    current_node = models.CharField(_("当前环节"), max_length=20, choices=Node.choices, blank=True)

    leader_attention = models.BooleanField(_("领导关注"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    sent_back_reason = models.TextField(_("退回原因"), blank=True)
    answer = models.TextField(_("首接答复"), blank=True)
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["due_on"], condition=~Q(status=DemandStatus.CLOSED),
                         name="demand_open_due_on"),
            models.Index(fields=["enterprise", "status"], name="demand_enterprise_status"),
            models.Index(fields=["status", "due_on"], name="demand_status_due_on"),
            # The demand lists' order (Meta.ordering), newest first.
            models.Index(fields=["-created_at", "-id"], name="demand_created_desc"),
            # The sweep's yellow step (commissioners.sweep): the green clocks of the demand's own
            # nodes, one due_on range per stored threshold, and a loose scan for the thresholds.
            models.Index(fields=["warning_threshold", "due_on"],
                         condition=(~Q(status=DemandStatus.CLOSED)
                                    & Q(current_node__in=[*DEMAND_NODES, Node.RATE],
                                        warning_level=WarningLevel.GREEN)),
                         name="demand_green_threshold"),
        ]

    def __str__(self):
        return self.title

    @property
    def number(self):
        """The demand's number as pages print it and search finds it (?q=123 or ?q=#123)."""
        return f"#{self.pk}" if self.pk else ""

    @property
    def is_urgent(self):
        return self.urgency == Urgency.URGENT

    @property
    def holder_label(self):
        return NODE_HOLDERS.get(self.current_node, "")

    def _start(self, clock):
        """Start the node's clock (a commissioners.clock.NodeClock), or stop it (None)."""
        self.current_node = clock.node if clock else ""
        self.start_clock(clock.values if clock else STOPPED)

    # --- transitions (fields only) ---------------------------------------------------------

    @transition(status, source=[DemandStatus.SUBMITTED, DemandStatus.RETURNED], target=DemandStatus.ACCEPTED,
                conditions=[has_title], permission=is_commissioner_of)
    def accept(self, *, clock):
        self._start(clock)

    @transition(status, source=[DemandStatus.SUBMITTED, DemandStatus.RETURNED, DemandStatus.ACCEPTED],
                target=DemandStatus.ANSWERED, conditions=[has_title, never_reopened],
                permission=is_commissioner_of)
    def answer_first_contact(self, *, answer, clock):
        self.answer = answer
        self._start(clock)

    @transition(status, source=DemandStatus.ACCEPTED, target=DemandStatus.REVIEWED,
                conditions=[has_title], permission=is_group_leader_of)
    def review(self, *, clock):
        self._start(clock)

    @transition(status, source=DemandStatus.ACCEPTED, target=DemandStatus.RETURNED,
                conditions=[has_title], permission=is_group_leader_of)
    def send_back(self, *, reason, clock):
        self.sent_back_reason = reason
        self._start(clock)

    @transition(status, source=DemandStatus.REVIEWED, target=DemandStatus.DISPATCHED,
                conditions=[has_open_dispatch], permission=is_bureau)
    def dispatch(self, *, clock):
        self._start(clock)

    @transition(status, source=[DemandStatus.DISPATCHED, DemandStatus.IN_PROGRESS],
                target=RETURN_VALUE(DemandStatus.DISPATCHED, DemandStatus.IN_PROGRESS),
                conditions=[has_open_dispatch], permission=is_bureau)
    def redispatch(self, *, clock, any_in_progress):
        self._start(clock)
        return DemandStatus.IN_PROGRESS if any_in_progress else DemandStatus.DISPATCHED

    @transition(status, source=DemandStatus.DISPATCHED, target=DemandStatus.IN_PROGRESS,
                conditions=[has_open_dispatch], permission=is_dispatched_member)
    def start(self):
        pass

    @transition(status, source=DemandStatus.IN_PROGRESS, target=DemandStatus.ANSWERED,
                conditions=[every_dispatch_answered], permission=is_dispatched_member)
    def answer_all(self, *, clock):
        self._start(clock)

    @transition(status, source=DemandStatus.ANSWERED, target=DemandStatus.CLOSED,
                permission=is_enterprise_member)
    def close_rated(self, *, level, now):
        self.rating = level
        self.closed_at = now
        self._start(None)

    @transition(status, source=DemandStatus.ANSWERED,
                target=RETURN_VALUE(DemandStatus.IN_PROGRESS, DemandStatus.ACCEPTED),
                permission=is_enterprise_member)
    def reopen(self, *, level, clock, to_working_groups):
        self.rating = level
        self.leader_attention = True
        self.reopen_count += 1
        self._start(clock)
        return DemandStatus.IN_PROGRESS if to_working_groups else DemandStatus.ACCEPTED

    @transition(status, source=DemandStatus.ANSWERED, target=DemandStatus.CLOSED,
                conditions=[rating_window_over], permission=is_system)
    def close_unrated(self, *, now):
        self.rating = Rating.UNRATED
        self.closed_at = now
        self._start(None)


class DispatchQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_DISPATCH)

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)

    def open_or_answered(self):
        return self.exclude(status__in=ENDED_DISPATCH)


class DemandDispatch(WorkdayClock):
    """One working group's share of a demand; groups handle their shares in parallel."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="dispatches",
                               verbose_name=_("诉求"))
    working_group = models.ForeignKey(WorkingGroup, on_delete=models.PROTECT, related_name="dispatches",
                                      verbose_name=_("专业服务工作组"))
    status = models.CharField(_("状态"), max_length=20, choices=DispatchStatus.choices,
                              default=DispatchStatus.PENDING)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                      related_name="+", verbose_name=_("交办人"))
    dispatched_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("答复人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = DispatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("诉求交办")
        verbose_name_plural = _("诉求交办")
        ordering = ["dispatched_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "working_group"],
                                    condition=~Q(status__in=ENDED_DISPATCH),
                                    name="one_live_dispatch_per_group"),
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(status__in=OPEN_DISPATCH),
                         name="dispatch_open_due_on"),
            # The sweep's yellow step, as demand_green_threshold.
            models.Index(fields=["warning_threshold", "due_on"],
                         condition=Q(status__in=OPEN_DISPATCH, warning_level=WarningLevel.GREEN),
                         name="dispatch_green_threshold"),
        ]

    def __str__(self):
        return f"{self.demand} → {self.working_group}"

    @property
    def is_open(self):
        return self.status in OPEN_DISPATCH

    @property
    def is_superseded(self):
        """Answered, rated 不满意, and handed to a fresh share of the same group."""
        return self.status == DispatchStatus.SUPERSEDED

    def level_on(self, today):
        return super().level_on(today) if self.is_open else WarningLevel.GREEN


def _attachment_path(instance, filename):
    ext = os.path.splitext(filename)[1].lower()
    return f"demands/{uuid.uuid4().hex}{ext}"


class DemandAttachment(models.Model):
    """A file of the demand (from the enterprise or the commissioner) or, with `dispatch`, of a
    working group's answer. Either way it is the demand's: whoever may see the demand may
    download it (views.demands.attachment_download)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="attachments",
                               verbose_name=_("诉求"))
    dispatch = models.ForeignKey(DemandDispatch, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="attachments", verbose_name=_("工作组答复"))
    file = models.FileField(_("文件"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=120)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("诉求附件")
        verbose_name_plural = _("诉求附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class DemandRating(models.Model):
    """好差评: one per round (a reopened demand is rated again on its new answer)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="ratings",
                               verbose_name=_("诉求"))
    round = models.PositiveSmallIntegerField(_("轮次"))
    level = models.CharField(_("评价"), max_length=20, choices=Rating.choices)
    comment = models.TextField(_("评价意见"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 related_name="+", verbose_name=_("评价人"))
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("诉求评价")
        verbose_name_plural = _("诉求评价")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["demand", "round"], name="one_rating_per_round")]

    def __str__(self):
        return f"{self.demand}: {self.get_level_display()}"


class DemandEvent(AppendOnly, models.Model):
    """Append-only history of a demand: what the page shows and what notifications read."""

    append_only_label = "诉求办理记录"

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("诉求"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    action = models.CharField(_("操作"), max_length=30, choices=DemandAction.choices)
    from_status = models.CharField(_("原状态"), max_length=20, choices=DemandStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=DemandStatus.choices, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["demand", "created_at"], name="demand_event_demand_time"),
                   # the command centre's reads of a period's or the last minutes' events
                   models.Index(fields=["created_at"], name="demand_event_time")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"
