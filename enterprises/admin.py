from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from .models import Enterprise, EnterpriseMember, Industry
from .resources import EnterpriseResource
from .services import credit_code_clean, enterprise_save


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
    list_editable = ("order",)
    search_fields = ("name",)


class EnterpriseAdminForm(forms.ModelForm):
    """The check character may be overridden with a reason; the format never."""

    class Meta:
        model = Enterprise
        fields = ("name", "credit_code", "check_override_reason", "industry", "list_status", "is_leading",
                  "address", "contact_name", "contact_phone")
        help_texts = {
            "check_override_reason": _(
                "仅当信用代码格式正确但校验位(第18位)不符、且经核实该代码确为登记代码时填写; "
                "格式错误不可豁免。"
            ),
        }

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("credit_code") or self.data.get("credit_code", "")
        reason = (cleaned.get("check_override_reason") or "").strip()
        try:
            cleaned["credit_code"] = credit_code_clean(code, override_reason=reason)
        except ValidationError as error:
            self.add_error("credit_code", error)
        return cleaned


class MemberInline(admin.TabularInline):
    model = EnterpriseMember
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Enterprise)
class EnterpriseAdmin(ImportExportModelAdmin):
    form = EnterpriseAdminForm
    resource_classes = [EnterpriseResource]
    # One table of errors (sheet row, column, message), visible without hovering.
    import_template_name = "admin/enterprises/enterprise/import.html"
    list_display = ("name", "credit_code", "industry", "list_status", "is_leading", "contact_name",
                    "contact_phone", "overridden")
    list_filter = ("list_status", "industry", "is_leading")
    search_fields = ("name", "credit_code", "contact_name")
    list_select_related = ("industry",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [MemberInline]
    fieldsets = (
        (None, {"fields": ("name", "credit_code", "check_override_reason", "industry", "list_status",
                           "is_leading")}),
        (_("联系方式"), {"fields": ("address", "contact_name", "contact_phone")}),
        (_("记录"), {"fields": ("created_at", "updated_at")}),
    )

    @admin.display(description=_("校验位豁免"), boolean=True)
    def overridden(self, obj):
        return bool(obj.check_override_reason)

    def save_model(self, request, obj, form, change):
        enterprise_save(enterprise=obj, actor=request.user)


@admin.register(EnterpriseMember)
class EnterpriseMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "enterprise", "title")
    search_fields = ("user__username", "user__display_name", "enterprise__name")
    autocomplete_fields = ("user", "enterprise")
    list_select_related = ("user", "enterprise")
