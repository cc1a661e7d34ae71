from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


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
