"""护商通 demands (诉求): the route, its per-node clocks and its append-only history.

The route: submitted → accepted (commissioner) → reviewed (group leader) → dispatched (bureau, to
one or more working groups in parallel) → in_progress → answered → closed (by the enterprise's
rating, or as 未评价 when the rating window runs out). Transitions only change fields; the
services in commissioners/services/demands.py lock, call them, save and write the DemandEvent.
"""

import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from accounts.roles import ADMIN, BUREAU, COMMISSIONER, ENTERPRISE, GROUP_LEADER, LEADER, WORKING_GROUP
from enterprises.models import Enterprise, EnterpriseMember
from notifications.levels import WarningLevel
from workdays import workdays_between

from .org import Assignment, WorkingGroup


class DemandStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回专员")
    ACCEPTED = "accepted", _("专员已受理")
    REVIEWED = "reviewed", _("小组长已审核")
    DISPATCHED = "dispatched", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已答复待评价")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = [s for s in DemandStatus.values if s != DemandStatus.CLOSED]


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("重大紧急")


class RaisedVia(models.TextChoices):
    BROWSER = "browser", _("企业网上提交")
    VISIT = "visit", _("专员走访收集")


class Node(models.TextChoices):
    ACCEPT = "accept", _("专员受理")
    REVIEW = "review", _("小组长审核")
    DISPATCH = "dispatch", _("经济运行局交办")
    ANSWER = "answer", _("工作组办理")
    RATE = "rate", _("企业评价")


# Who holds a demand at each node, as the enterprise reads it on its follow-up page.
NODE_HOLDERS = {
    Node.ACCEPT: _("营商环境专员"),
    Node.REVIEW: _("专员小组长"),
    Node.DISPATCH: _("经济运行局"),
    Node.ANSWER: _("专业服务工作组"),
    Node.RATE: _("企业(待评价)"),
}




LEVEL_ORDER = [WarningLevel.GREEN, WarningLevel.YELLOW, WarningLevel.RED, WarningLevel.ESCALATED]


def warning_level_on(due_on, threshold, today):
    """Green, yellow when the working days left fall to the threshold, red once overdue."""
    if due_on is None:
        return WarningLevel.GREEN
    if today > due_on:
        return WarningLevel.RED
    if workdays_between(today, due_on) <= threshold:
        return WarningLevel.YELLOW
    return WarningLevel.GREEN


class Rating(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    VERY_UNSATISFIED = "very_unsatisfied", _("非常不满意")
    # Not a level the enterprise picks: the rating window ran out. Counts neither way.
    UNRATED = "unrated", _("未评价")


RATING_LEVELS = [r for r in Rating if r != Rating.UNRATED]
SATISFIED_RATINGS = (Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.BASIC)
UNSATISFIED_RATINGS = (Rating.UNSATISFIED, Rating.VERY_UNSATISFIED)


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


# Used when an admin deleted a policy row: the route must never stop for want of a limit.
DEFAULT_LIMITS = {
    Node.ACCEPT: (1, 0), Node.REVIEW: (1, 0), Node.DISPATCH: (1, 0), Node.ANSWER: (5, 2), Node.RATE: (3, 1),
}
DEFAULT_URGENT_LIMITS = {**DEFAULT_LIMITS, Node.ANSWER: (2, 1)}


@dataclass(frozen=True)
class NodeClock:
    """A node's clock as it starts: computed by the service, stored by the transition."""

    node: str
    started_on: object
    limit_workdays: int
    warning_threshold: int
    due_on: object
    provisional: bool
    warning_level: str


# --- permissions: callables (demand, user) → bool, deny by default -------------------------------

def _authenticated(user):
    return user is not None and user.is_authenticated


def _memo(demand, key, compute):
    cache = demand.__dict__.setdefault("_permission_cache", {})
    if key not in cache:
        cache[key] = bool(compute())
    return cache[key]


def is_commissioner_of(demand, user):
    return _authenticated(user) and user.has_role(COMMISSIONER) and _memo(
        demand, ("commissioner", user.pk),
        lambda: Assignment.objects.active().filter(
            enterprise_id=demand.enterprise_id, commissioner__user=user, commissioner__is_active=True
        ).exists())


is_commissioner_of.message = _("只有该企业的营商环境专员可以办理这一步")


def is_group_leader_of(demand, user):
    return _authenticated(user) and user.has_role(GROUP_LEADER) and _memo(
        demand, ("group_leader", user.pk),
        lambda: Assignment.objects.active().filter(
            enterprise_id=demand.enterprise_id, commissioner__group__leader=user).exists())


is_group_leader_of.message = _("只有该企业服务专员所在小组的小组长可以办理这一步")


def is_bureau(demand, user):
    return _authenticated(user) and user.has_role(BUREAU)


is_bureau.message = _("只有经济运行局可以交办或改派诉求")


def is_dispatched_member(demand, user):
    return _authenticated(user) and user.has_role(WORKING_GROUP) and _memo(
        demand, ("member", user.pk),
        lambda: DemandDispatch.objects.open_or_answered().filter(
            demand_id=demand.pk, working_group__members=user).exists())


is_dispatched_member.message = _("只有承办该诉求的专业服务工作组成员可以办理这一步")


def is_enterprise_member(demand, user):
    return _authenticated(user) and user.has_role(ENTERPRISE) and _memo(
        demand, ("enterprise", user.pk),
        lambda: EnterpriseMember.objects.filter(user=user, enterprise_id=demand.enterprise_id).exists())


is_enterprise_member.message = _("只能评价本企业的诉求")


def is_system(demand, user):
    """The sweep (no user) or an administrator closing an unrated demand."""
    return user is None or (_authenticated(user) and user.has_role(ADMIN))


is_system.message = _("只有系统或管理员可以将诉求按未评价办结")


# --- conditions: named module-level predicates on the demand alone ------------------------------

def has_title(demand):
    return bool((demand.title or "").strip())


has_title.message = _("请填写诉求标题")


def never_reopened(demand):
    # After an unsatisfied rating the matter takes the full route; a second quick answer by the
    # commissioner would bypass the working groups the enterprise was unhappy to be spared.
    return demand.reopen_count == 0


never_reopened.message = _("诉求被评价为不满意后须按完整流程办理, 不能再首接答复")


def has_open_dispatch(demand):
    return DemandDispatch.objects.open().filter(demand_id=demand.pk).exists()


has_open_dispatch.message = _("请至少选择一个专业服务工作组")


def every_dispatch_answered(demand):
    open_qs = DemandDispatch.objects.exclude(status__in=ENDED_DISPATCH).filter(demand_id=demand.pk)
    return open_qs.exists() and not open_qs.exclude(status=DispatchStatus.ANSWERED).exists()


every_dispatch_answered.message = _("还有工作组尚未答复")


def rating_window_over(demand):
    from django.utils import timezone

    return demand.due_on is not None and timezone.localdate() > demand.due_on


rating_window_over.message = _("评价期限未满, 不能按未评价办结")


# --- querysets ----------------------------------------------------------------------------------

class DemandQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=DemandStatus.CLOSED)

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)

    def visible_to(self, user):
        """Enterprise: its own; commissioner / group leader: their enterprises'; working group:
        those dispatched to it; bureau, leaders, admin: all; anyone else: none (a 404)."""
        if not _authenticated(user):
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


class Demand(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
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

    # The clock of the node now running; the sweep reads these set-based.
    current_node = models.CharField(_("当前环节"), max_length=20, choices=Node.choices, blank=True)
    node_started_on = models.DateField(_("环节开始日"), null=True, blank=True)
    node_limit_workdays = models.PositiveSmallIntegerField(_("环节时限(工作日)"), null=True, blank=True)
    node_warning_threshold = models.PositiveSmallIntegerField(_("黄牌阈值"), default=0)
    due_on = models.DateField(_("环节到期日"), null=True, blank=True)
    due_provisional = models.BooleanField(_("到期日暂定"), default=False)
    warning_level = models.CharField(_("预警等级"), max_length=10, choices=WarningLevel.choices,
                                     default=WarningLevel.GREEN)

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
            models.Index(fields=["due_on"], condition=~Q(status="closed"), name="demand_open_due_on"),
            models.Index(fields=["enterprise", "status"], name="demand_enterprise_status"),
            models.Index(fields=["status", "due_on"], name="demand_status_due_on"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_urgent(self):
        return self.urgency == Urgency.URGENT

    @property
    def holder_label(self):
        return NODE_HOLDERS.get(self.current_node, "")

    def live_warning_level(self, today):
        """The stored level (set by the sweep, escalated sticks) or the one the date implies."""
        live = warning_level_on(self.due_on, self.node_warning_threshold, today)
        return max(live, self.warning_level, key=LEVEL_ORDER.index)

    def workdays_left(self, today):
        """Working days left on the node's clock; negative when overdue."""
        if self.due_on is None:
            return None
        if today <= self.due_on:
            return workdays_between(today, self.due_on)
        return -workdays_between(self.due_on, today)

    def _start(self, clock):
        self.current_node = clock.node if clock else ""
        self.node_started_on = clock.started_on if clock else None
        self.node_limit_workdays = clock.limit_workdays if clock else None
        self.node_warning_threshold = clock.warning_threshold if clock else 0
        self.due_on = clock.due_on if clock else None
        self.due_provisional = clock.provisional if clock else False
        self.warning_level = clock.warning_level if clock else WarningLevel.GREEN

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


class DispatchStatus(models.TextChoices):
    PENDING = "pending", _("待签收")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已答复")
    WITHDRAWN = "withdrawn", _("已改派")
    # An answered share the enterprise rated 不满意: kept with its answer as history, while a
    # fresh share of the same group takes over with a new clock (and new warnings).
    SUPERSEDED = "superseded", _("不满意重办")


ENDED_DISPATCH = (DispatchStatus.WITHDRAWN, DispatchStatus.SUPERSEDED)


class DispatchQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[DispatchStatus.PENDING, DispatchStatus.IN_PROGRESS])

    def open_or_answered(self):
        return self.exclude(status__in=ENDED_DISPATCH)


class DemandDispatch(models.Model):
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
    started_on = models.DateField(_("计时开始日"))
    limit_workdays = models.PositiveSmallIntegerField(_("时限(工作日)"))
    warning_threshold = models.PositiveSmallIntegerField(_("黄牌阈值"), default=0)
    due_on = models.DateField(_("答复期限"))
    due_provisional = models.BooleanField(_("到期日暂定"), default=False)
    warning_level = models.CharField(_("预警等级"), max_length=10, choices=WarningLevel.choices,
                                     default=WarningLevel.GREEN)
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
                                    condition=~Q(status__in=["withdrawn", "superseded"]),
                                    name="one_live_dispatch_per_group"),
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(status__in=["pending", "in_progress"]),
                         name="dispatch_open_due_on"),
        ]

    def __str__(self):
        return f"{self.demand} → {self.working_group}"

    @property
    def is_open(self):
        return self.status in (DispatchStatus.PENDING, DispatchStatus.IN_PROGRESS)

    def live_warning_level(self, today):
        if not self.is_open:
            return WarningLevel.GREEN
        live = warning_level_on(self.due_on, self.warning_threshold, today)
        return max(live, self.warning_level, key=LEVEL_ORDER.index)


def _attachment_path(instance, filename):
    ext = os.path.splitext(filename)[1].lower()
    return f"demands/{uuid.uuid4().hex}{ext}"


class DemandAttachment(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="attachments",
                               verbose_name=_("诉求"))
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


class DemandAction(models.TextChoices):
    SUBMITTED = "submitted", _("提交诉求")
    URGENT_REPORTED = "urgent_reported", _("重大紧急直报委领导")
    ACCEPTED = "accepted", _("专员受理")
    ANSWERED_FIRST_CONTACT = "answered_first_contact", _("专员首接答复")
    REVIEWED = "reviewed", _("小组长审核通过")
    SENT_BACK = "sent_back", _("小组长退回专员")
    DISPATCHED = "dispatched", _("经济运行局交办")
    REDISPATCHED = "redispatched", _("经济运行局改派")
    STARTED = "started", _("工作组签收")
    GROUP_ANSWERED = "group_answered", _("工作组答复")
    ANSWERED = "answered", _("办理完毕, 待企业评价")
    RATED = "rated", _("企业评价")
    REOPENED = "reopened", _("不满意, 重新办理")
    CLOSED_UNRATED = "closed_unrated", _("逾期未评价, 办结")


class DemandEvent(models.Model):
    """Append-only history of a demand: what the page shows and what notifications read."""

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
        indexes = [models.Index(fields=["demand", "created_at"], name="demand_event_demand_time")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("DemandEvent is append-only")
        super().save(*args, **kwargs)
