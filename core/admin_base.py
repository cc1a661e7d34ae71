"""Admin base classes the apps share."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services write: listed and read in the admin, never added or edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AuditTrailAdmin(ReadOnlyAdmin):
    """An audit trail (who did what, when): read-only, and never deleted."""

    def has_delete_permission(self, request, obj=None):
        return False
