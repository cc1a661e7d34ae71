"""Notifications, their deliveries per channel, escalations, and the sweep's bookkeeping.

Nothing here knows a domain app: the related object is a generic (content type, object id).
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from core.audit import AppendOnly

from . import supervision_rules as rules
from .clocks import WorkdayClock


class Level(models.TextChoices):
    INFO = "info", _("通知")
    YELLOW = "yellow", _("黄色预警")
    RED = "red", _("红色超期")
    ESCALATED = "escalated", _("提级督办")
    URGENT = "urgent", _("重大紧急")




class EscalationLevel(models.TextChoices):
    YELLOW = Level.YELLOW.value, Level.YELLOW.label
    RED = Level.RED.value, Level.RED.label
    ESCALATED = Level.ESCALATED.value, Level.ESCALATED.label
    URGENT = Level.URGENT.value, Level.URGENT.label


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内消息")
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("群机器人")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    HELD = "held", _("免打扰暂缓")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


OPEN_DELIVERY_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.HELD, DeliveryStatus.SENDING)


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Notification(models.Model):
    # The foreign keys whose column leads an index of Meta carry no index of their own: a sweep
    # writes tens of thousands of these rows, each index one more write (migration 0005).
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False,
                                  related_name="notifications", verbose_name=_("接收人"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, default=Level.INFO)
    urgent = models.BooleanField(_("紧急"), default=False)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True,
                                     db_index=False, verbose_name=_("关联对象类型"))
    object_id = models.PositiveBigIntegerField(_("关联对象编号"), null=True, blank=True)
    related_object = GenericForeignKey("content_type", "object_id")
    escalation = models.ForeignKey("Escalation", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="notifications", verbose_name=_("预警/督办"))
    # Notifications written by one call share a batch: a group robot gets one message for it.
    batch = models.UUIDField(_("批次"), default=uuid.uuid4, editable=False)
    # A caller-chosen key that makes notify() idempotent per recipient (e.g. a weekly reminder).
    key = models.CharField(_("去重键"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_inbox_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread_idx"),
            models.Index(fields=["content_type", "object_id"], name="notif_object_idx"),
            models.Index(fields=["batch"], name="notif_batch_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""),
                                    name="notif_once_per_key"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class DeliveryQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_DELIVERY_STATUSES)


class Delivery(models.Model):
    # Indexed by delivery_once_per_channel, which it leads (see Notification).
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries",
                                     db_index=False, verbose_name=_("通知"))
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    # pending: when the next attempt is due; held: when quiet hours end; sending: lease expiry.
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    # Set by the digest run that claimed this row (so it acts only on rows it claimed).
    claim = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], condition=Q(status__in=OPEN_DELIVERY_STATUSES),
                         name="delivery_open_idx"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.notification}"


class EscalationQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def unsupervised(self):
        return self.filter(supervised_at__isnull=True)


class Escalation(models.Model):
    # content_type, matter_type and supervised_by: indexed by Meta's (see Notification).
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, db_index=False,
                                     verbose_name=_("对象类型"))
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    related_object = GenericForeignKey("content_type", "object_id")
    # The matter it concerns (notifications.supervisions.matter_for): a stage for its commitment's
    # event, a demand for its node's event or share. The 督办 page lists one row per matter.
    matter_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True,
                                    db_index=False, related_name="+", verbose_name=_("事项类型"))
    matter_id = models.PositiveBigIntegerField(_("事项编号"), null=True, blank=True)
    level = models.CharField(_("级别"), max_length=10, choices=EscalationLevel.choices)
    urgent = models.BooleanField(_("紧急"), default=False)
    title = models.CharField(_("标题"), max_length=200)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    supervised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                      blank=True, db_index=False, related_name="+",
                                      verbose_name=_("督办领导"))
    supervised_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    supervision_comment = models.TextField(_("督办意见"), blank=True)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警/督办")
        verbose_name_plural = _("预警/督办")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A second sweep, a retried task or two workers at once can never raise (and so
            # never notify) the same level for the same object twice.
            models.UniqueConstraint(fields=["content_type", "object_id", "level"],
                                    name="escalation_once_per_level"),
        ]
        indexes = [models.Index(fields=["-created_at"], name="escalation_recent_idx"),
                   models.Index(fields=["matter_type", "matter_id"], name="escalation_matter_idx"),
                   # the few supervised ones (a user's deletion sets theirs to NULL): no entry
                   # for the many a sweep writes unsupervised
                   models.Index(fields=["supervised_by"], condition=Q(supervised_by__isnull=False),
                                name="escalation_supervised_by_idx")]

    def __str__(self):
        return f"{self.get_level_display()} · {self.title}"

    @property
    def is_supervised(self):
        return self.supervised_at is not None


class SupervisionStatus(models.TextChoices):
    OPEN = "open", _("待回复")
    ANSWERED = "answered", _("已回复")
    CLOSED = "closed", _("已办结")
    CONTINUED = "continued", _("继续督办")


SUPERVISION_LIVE = (SupervisionStatus.OPEN, SupervisionStatus.ANSWERED)


class SupervisionQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def live(self):
        return self.filter(status__in=SUPERVISION_LIVE)

    def awaiting_reply(self):
        return self.filter(status=SupervisionStatus.OPEN)

    def overdue(self, today):
        """A 督办 not yet answered past its reply deadline: the one definition of its red."""
        return self.awaiting_reply().filter(due_on__lt=today)

    def addressed_to(self, user):
        return self.filter(addressees=user)


class Supervision(ConcurrentTransitionMixin, FSMModelMixin, WorkdayClock):
    """督办: a leader's instruction on an open matter (a stage, a demand), addressed to its current
    handlers, with a reply deadline in working days (the WorkdayClock fields); answered by
    办理情况回复, then closed by the leader (满意) or supervised again (继续督办)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("事项类型"))
    object_id = models.PositiveBigIntegerField(_("事项编号"))
    matter = GenericForeignKey("content_type", "object_id")
    escalation = models.ForeignKey(Escalation, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="supervisions", verbose_name=_("预警"))
    previous = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="next", verbose_name=_("上一次督办"))
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("督办领导"))
    instruction = models.TextField(_("督办意见"))
    addressees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="supervisions_addressed",
                                        verbose_name=_("督办对象"))
    title = models.CharField(_("事项"), max_length=200)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    urgent = models.BooleanField(_("紧急"), default=False)
    status = FSMField(_("状态"), max_length=10, choices=SupervisionStatus.choices,
                      default=SupervisionStatus.OPEN, protected=True)
    created_at = models.DateTimeField(_("督办时间"), auto_now_add=True)
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="supervision_matter_idx"),
            models.Index(fields=["due_on"], condition=Q(status=SupervisionStatus.OPEN),
                         name="supervision_open_due_idx"),
        ]

    def __str__(self):
        return f"督办 · {self.title}"

    # --- transitions: fields only; notifications.supervisions runs them ----------------------

    @transition(status, source=SUPERVISION_LIVE, target=SupervisionStatus.ANSWERED,
                permission=rules.is_addressee)
    def reply(self, *, now):
        self.answered_at = self.answered_at or now

    @transition(status, source=SUPERVISION_LIVE, target=SupervisionStatus.CLOSED,
                permission=rules.is_supervising_leader)
    def close(self, *, now):
        self.closed_at = now

    @transition(status, source=SUPERVISION_LIVE, target=SupervisionStatus.CONTINUED,
                permission=rules.is_supervising_leader)
    def continue_(self, *, now):
        self.closed_at = now


class SupervisionReply(AppendOnly, models.Model):
    """办理情况回复: what a handler reports on a 督办 (append-only)."""

    append_only_label = "督办回复"

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="replies",
                                    verbose_name=_("督办"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("回复人"))
    text = models.TextField(_("办理情况"))
    created_at = models.DateTimeField(_("回复时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理情况回复")
        verbose_name_plural = _("办理情况回复")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:50]


class SweepLock(models.Model):
    """A lease row: the sweep's lock where there is no advisory lock (SQLite)."""

    name = models.CharField(max_length=50, primary_key=True)
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("巡检锁")
        verbose_name_plural = _("巡检锁")

    def __str__(self):
        return self.name


class SweepRun(models.Model):
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    hostname = models.CharField(_("主机"), max_length=100, blank=True)
    counts = models.JSONField(_("结果"), default=dict, blank=True)
    errors = models.JSONField(_("错误"), default=dict, blank=True)

    class Meta:
        verbose_name = _("巡检记录")
        verbose_name_plural = _("巡检记录")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"

    @property
    def ok(self):
        return not self.errors
