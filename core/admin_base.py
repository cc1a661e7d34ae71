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


class BoundedInlineMixin:
    """An inline's formset accepts at most FORMSET_ABSOLUTE_MAX forms beyond the rows it already
    has, whatever TOTAL_FORMS a POST claims (Django's default bound is 2,000 forms)."""

    def get_formset(self, request, obj=None, **kwargs):
        from django.conf import settings

        formset = super().get_formset(request, obj, **kwargs)
        existing = formset.model._default_manager.filter(**{formset.fk.name: obj}).count() if obj else 0
        formset.absolute_max = existing + settings.FORMSET_ABSOLUTE_MAX
        return formset


def bound_inlines(site):
    """Make every inline of every registered admin (ours and third-party ones, such as
    django-celery-beat's) a BoundedInlineMixin; run once all admin modules are loaded."""
    for model_admin in site._registry.values():
        model_admin.inlines = [
            inline if issubclass(inline, BoundedInlineMixin)
            else type(inline.__name__, (BoundedInlineMixin, inline), {"__module__": inline.__module__})
            for inline in model_admin.inlines
        ]
