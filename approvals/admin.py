"""Policy is edited here; projects are read-mostly and change only through the services."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_base import AuditTrailAdmin, ReadOnlyAdmin

from . import deadlines, services
from .errors import ApprovalError
from .forms import StagePolicyFormSet
from .models import (
    ApprovalStage,
    ClockPause,
    Department,
    MaterialRequirement,
    Project,
    ProjectCategory,
    StageEvent,
    StagePolicy,
)


class StagePolicyInline(admin.TabularInline):
    model = StagePolicy
    formset = StagePolicyFormSet
    fields = ["kind", "budget_workdays", "warning_threshold_workdays", "departments"]
    extra = 0
    max_num = 4
    show_change_link = True


@admin.register(ProjectCategory)
class ProjectCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "limit_workdays", "order"]
    inlines = [StagePolicyInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "limit_workdays" in form.changed_data:
            # The running stages' "limit reached on" dates were counted with the old limit.
            moved = deadlines.project_limits_recount(category_id=obj.pk)
            self.message_user(request, gettext("已按新的总时限重算 %(n)s 个在办审批阶段的项目总时限到期日。")
                              % {"n": moved})


class MaterialRequirementInline(admin.TabularInline):
    model = MaterialRequirement
    extra = 0


@admin.register(StagePolicy)
class StagePolicyAdmin(admin.ModelAdmin):
    """Checklists and reviewers per stage; budgets are edited on the category, where the sum is checked."""

    list_display = ["category", "kind", "budget_workdays", "warning_threshold_workdays"]
    list_filter = ["category", "kind"]
    readonly_fields = ["category", "kind", "budget_workdays"]
    filter_horizontal = ["departments"]
    inlines = [MaterialRequirementInline]

    def has_add_permission(self, request):
        return False


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "head", "order"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["head"]


class StageInline(admin.TabularInline):
    model = ApprovalStage
    fields = ["order", "kind", "status", "accepted_on", "due_on", "provisional", "paused_workdays",
              "used_workdays", "warning_level"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "enterprise", "category", "status", "is_major", "signed_amount",
                    "created_at"]
    list_filter = ["status", "category", "is_major"]
    search_fields = ["name", "code", "enterprise__name"]
    readonly_fields = ["enterprise", "code", "category", "status", "submitted_on", "finished_on",
                       "created_by",
                       "created_at"]
    fields = ["name", "code", "enterprise", "category", "industry", "location", "total_investment",
              "signed_amount", "is_major", "introduced_on", "construction_started_on", "task_force", "status",
              "submitted_on", "finished_on", "created_by", "created_at"]
    filter_horizontal = ["task_force"]
    inlines = [StageInline]
    actions = ["withdraw_projects"]

    def has_add_permission(self, request):
        return False  # projects are created by enterprises, through project_create

    @admin.action(description=_("撤回所选项目(审批终止)"))
    def withdraw_projects(self, request, queryset):
        done = 0
        for project in queryset:
            try:
                # The comment is stored in the project's history: it stays in the site language.
                services.project_withdraw(project=project, actor=request.user, comment="管理员撤回")
                done += 1
            except ApprovalError as exc:
                self.message_user(request, f"{project}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, gettext("已撤回 %(count)s 个项目") % {"count": done}, messages.SUCCESS)


@admin.register(StageEvent)
class StageEventAdmin(AuditTrailAdmin):
    list_display = ["created_at", "project", "stage", "action", "from_status", "to_status", "actor"]
    list_filter = ["action"]
    search_fields = ["project__name", "project__code"]
    list_select_related = ["project", "stage__project", "actor"]


@admin.register(ClockPause)
class ClockPauseAdmin(ReadOnlyAdmin):
    list_display = ["stage", "kind", "started_on", "ended_on", "paused_workdays"]
    list_filter = ["kind"]
    list_select_related = ["stage__project"]
