"""Admin of the 护商通 procedure: limits and categories are edited here; demands only read.

A demand moves only through its services (the route, the clocks and the history stay one
story), so the admin shows demands read-only and offers the one system action it needs.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_base import AuditTrailAdmin

from ..models import (
    Demand,
    DemandAttachment,
    DemandCategory,
    DemandDispatch,
    DemandEvent,
    DemandPolicy,
    Policy,
    Visit,
)
from ..services.demands import DemandError, check_upload, demand_close_unrated


@admin.register(DemandPolicy)
class DemandPolicyAdmin(admin.ModelAdmin):
    list_display = ("node", "urgency", "limit_workdays", "warning_threshold")
    list_editable = ("limit_workdays", "warning_threshold")
    list_filter = ("urgency",)


@admin.register(DemandCategory)
class DemandCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "working_group_code", "order", "is_active")
    list_editable = ("order", "is_active")


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DispatchInline(_ReadOnlyInline):
    model = DemandDispatch
    fields = ("working_group", "status", "started_on", "due_on", "answer", "answered_by", "answered_at")


class EventInline(_ReadOnlyInline):
    model = DemandEvent
    fields = ("created_at", "action", "actor", "from_status", "to_status", "comment")
    readonly_fields = ("created_at",)


class AttachmentInline(_ReadOnlyInline):
    model = DemandAttachment
    fields = ("original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    readonly_fields = ("uploaded_at",)


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = ("title", "enterprise", "category", "urgency", "status", "current_node", "due_on",
                    "warning_level", "leader_attention", "rating")
    list_filter = ("status", "urgency", "warning_level", "leader_attention", "category", "rating")
    search_fields = ("title", "enterprise__name", "enterprise__credit_code")
    date_hierarchy = "created_at"
    list_select_related = ("enterprise", "category")
    inlines = (DispatchInline, AttachmentInline, EventInline)
    actions = ("close_unrated",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("评价期满未评价的, 按“未评价”办结"))
    def close_unrated(self, request, queryset):
        closed = refused = 0
        for demand in queryset:
            try:
                demand_close_unrated(demand=demand, actor=request.user)
                closed += 1
            except DemandError:
                refused += 1
        message = gettext("已办结 %(closed)s 件; %(refused)s 件未到评价期限或不在待评价状态。")
        self.message_user(request, message % {"closed": closed, "refused": refused},
                          messages.SUCCESS if closed else messages.WARNING)


@admin.register(DemandEvent)
class DemandEventAdmin(AuditTrailAdmin):
    list_display = ("created_at", "demand", "action", "actor", "from_status", "to_status")
    list_filter = ("action",)
    search_fields = ("demand__title", "comment")
    list_select_related = ("demand", "actor")


class PolicyAdminForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = ("title", "issuing_body", "document_number", "summary", "industries", "valid_from",
                  "valid_to", "link", "file")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            try:
                check_upload(upload)
            except DemandError as error:
                raise forms.ValidationError(error.text) from error
        return upload


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    form = PolicyAdminForm
    list_display = ("title", "issuing_body", "valid_from", "valid_to")
    list_filter = ("industries", "issuing_body")
    search_fields = ("title", "summary", "document_number")
    filter_horizontal = ("industries",)
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        upload = form.cleaned_data.get("file")
        if "file" in form.changed_data and upload:
            obj.file_name = upload.name.rsplit("/", 1)[-1][:200]
        super().save_model(request, obj, form, change)


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("visited_on", "enterprise", "commissioner", "people_met", "employees")
    list_filter = ("visited_on",)
    search_fields = ("enterprise__name", "notes")
    list_select_related = ("enterprise", "commissioner__user")
    filter_horizontal = ("policies",)
    raw_id_fields = ("enterprise", "commissioner", "created_by")
