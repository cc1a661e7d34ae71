from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User
from .tokens import token_issue


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "phone", "email", "is_active", "roles")
    list_filter = ("groups", "is_active", "is_staff")
    search_fields = ("username", "display_name", "phone", "email")
    fieldsets = BaseUserAdmin.fieldsets + ((_("联系方式"), {"fields": ("display_name", "phone")}),)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("角色"))
    def roles(self, obj):
        return "、".join(g.name for g in obj.groups.all())


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """An admin issues a token for a system account: pick (or first create) the user and give it
    the role the system acts in; the key is shown once, in the message after saving."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("name", "user__username", "prefix")
    autocomplete_fields = ("user",)
    fields = ("user", "name")

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        token, key = token_issue(user=obj.user, name=obj.name)
        obj.pk = token.pk
        self.message_user(request, _("令牌已签发(仅显示这一次): %(key)s") % {"key": key}, messages.WARNING)
