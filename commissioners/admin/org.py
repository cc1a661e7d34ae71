"""Admin of the organisation. Writes that have a service (assign, pair) go through it."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_base import AuditTrailAdmin

from ..models import Assignment, Commissioner, CommissionerGroup, Leader, OrgEvent, WorkingGroup
from ..services.org import assignment_create, leader_pair, leader_unpair


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ("user", "title", "order", "industry_list", "paired_count")
    list_editable = ("order",)
    search_fields = ("user__username", "user__display_name", "title")
    filter_horizontal = ("industries",)
    autocomplete_fields = ("user", "paired_enterprises")

    def get_queryset(self, request):
        return (super().get_queryset(request).select_related("user").prefetch_related("industries")
                .annotate(paired=Count("paired_enterprises")))

    @admin.display(description=_("分管行业"))
    def industry_list(self, obj):
        return "、".join(i.name for i in obj.industries.all())

    @admin.display(description=_("挂钩企业数"), ordering="paired")
    def paired_count(self, obj):
        return obj.paired

    def save_related(self, request, form, formsets, change):
        # Pairing goes through the service so that each change is recorded as an OrgEvent.
        wanted = set(form.cleaned_data.pop("paired_enterprises", []))
        super().save_related(request, form, formsets, change)
        leader = form.instance
        current = set(leader.paired_enterprises.all())
        leader_pair(leader=leader, enterprises=wanted - current, actor=request.user)
        leader_unpair(leader=leader, enterprises=current - wanted, actor=request.user)


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "leader", "order", "member_count")
    list_select_related = ("leader__user",)
    filter_horizontal = ("members",)
    search_fields = ("name", "code")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_members=Count("members"))

    @admin.display(description=_("成员数"), ordering="n_members")
    def member_count(self, obj):
        return obj.n_members


class CommissionerInline(admin.TabularInline):
    model = Commissioner
    extra = 0
    fields = ("user", "position", "is_active")
    autocomplete_fields = ("user",)


@admin.register(CommissionerGroup)
class CommissionerGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "leader", "commissioner_count")
    list_select_related = ("leader",)
    search_fields = ("name", "leader__username", "leader__display_name")
    autocomplete_fields = ("leader",)
    inlines = [CommissionerInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("commissioners"))

    @admin.display(description=_("专员数"), ordering="n")
    def commissioner_count(self, obj):
        return obj.n


@admin.register(Commissioner)
class CommissionerAdmin(admin.ModelAdmin):
    list_display = ("user", "group", "position", "is_active", "enterprise_count")
    list_filter = ("is_active", "group")
    list_select_related = ("user", "group")
    search_fields = ("user__username", "user__display_name", "position")
    autocomplete_fields = ("user", "group")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n=Count("assignments", filter=Q(assignments__ended_on__isnull=True)))

    @admin.display(description=_("服务企业数"), ordering="n")
    def enterprise_count(self, obj):
        return obj.n


class ActiveFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("1", _("服务中")), ("0", _("已结束"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(ended_on__isnull=True)
        if self.value() == "0":
            return queryset.filter(ended_on__isnull=False)
        return queryset


class AssignmentAdminForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ("commissioner", "enterprise", "is_primary", "started_on", "reason")

    def clean(self):
        # The partial unique constraint involves ended_on, which is not on the add form, so
        # Django skips it here; say it before the service (and the database) refuse.
        cleaned = super().clean()
        enterprise = cleaned.get("enterprise")
        if self.instance.pk is None and enterprise and cleaned.get("is_primary"):
            current = (Assignment.objects.active().filter(enterprise=enterprise, is_primary=True)
                       .select_related("commissioner__user").first())
            if current:
                raise forms.ValidationError(
                    gettext("该企业已有在岗主责专员“%(commissioner)s”; 更换专员请在“本组企业”页面移交")
                    % {"commissioner": current.commissioner})
        return cleaned


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """New assignments go through assignment_create; history rows keep only their reason editable.

    Transfers are made on the group leader's page (本组企业), which keeps the history.
    """

    form = AssignmentAdminForm
    list_display = ("enterprise", "commissioner", "is_primary", "started_on", "ended_on", "reason")
    list_filter = (ActiveFilter, "is_primary", "commissioner__group")
    list_select_related = ("enterprise", "commissioner__user")
    search_fields = ("enterprise__name", "enterprise__credit_code", "commissioner__user__display_name")
    autocomplete_fields = ("enterprise", "commissioner")
    date_hierarchy = "started_on"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("ended_on", "created_by")
        return ("enterprise", "commissioner", "is_primary", "started_on", "ended_on", "created_by")

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = assignment_create(enterprise=obj.enterprise, commissioner=obj.commissioner,
                                    actor=request.user, started_on=obj.started_on, reason=obj.reason,
                                    is_primary=obj.is_primary)
        obj.pk, obj.created_by = created.pk, created.created_by
        return None

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrgEvent)
class OrgEventAdmin(AuditTrailAdmin):
    list_display = ("created_at", "action", "enterprise", "commissioner", "actor")
    list_filter = ("action",)
    list_select_related = ("enterprise", "commissioner__user", "actor")
    search_fields = ("enterprise__name", "enterprise__credit_code")
    date_hierarchy = "created_at"
