from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin_base import ReadOnlyAdmin

from . import services
from .models import Delivery, Escalation, Notification, SweepRun

# Notifications, escalations and sweep runs are written only by services: notify(),
# escalation_raise(), escalation_supervise() (督办 from the portal's page, which checks who may and
# tells the people concerned), so their admins are read-only.


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "status", "attempts", "last_error", "next_attempt_at", "sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "level", "urgent", "created_at", "read_at"]
    list_filter = ["level", "urgent", ("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["title", "body", "recipient__username", "recipient__display_name"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["notification", "recipient", "channel", "status", "attempts", "last_error",
                    "next_attempt_at", "sent_at"]
    list_filter = ["channel", "status"]
    search_fields = ["notification__title", "notification__recipient__username", "last_error"]
    list_select_related = ["notification__recipient"]
    readonly_fields = ["notification", "channel", "attempts", "last_error", "next_attempt_at", "sent_at",
                       "claim", "created_at"]
    actions = ["retry_now"]

    @admin.display(description=_("接收人"))
    def recipient(self, delivery):
        return delivery.notification.recipient

    @admin.action(description=_("立即重发所选的失败或暂缓投递"))
    def retry_now(self, request, queryset):
        count = sum(services.delivery_retry(delivery=delivery) for delivery in queryset)
        self.message_user(request, _("已重新排队 %(count)s 条投递。") % {"count": count}, messages.SUCCESS)


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["title", "level", "urgent", "content_type", "object_id", "created_at",
                    "supervised_by", "supervised_at"]
    list_filter = ["level", "urgent", ("supervised_at", admin.EmptyFieldListFilter), "content_type"]
    search_fields = ["title", "reason", "supervision_comment"]
    list_select_related = ["content_type", "supervised_by"]
    date_hierarchy = "created_at"


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "hostname", "ok", "counts"]
    readonly_fields = ["started_at", "finished_at", "hostname", "counts", "errors"]

    @admin.display(boolean=True, description=_("无错误"))
    def ok(self, run):
        return run.ok
