"""The audit trail in the admin: search, filter by event and date, export what the filter shows."""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_base import AuditTrailAdmin

from .models import AuditEntry

EXPORT_FIELDS = ["at", "action", "username", "address", "method", "path", "object_type", "object_id",
                 "object_repr", "detail"]


class _Echo:
    def write(self, value):
        return value


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditTrailAdmin):
    list_display = ("at", "action", "username", "address", "object_display", "path")
    list_filter = ("action", "at")
    search_fields = ("username", "address", "object_repr", "object_id", "object_type", "path", "detail")
    date_hierarchy = "at"
    list_per_page = 100
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    @admin.display(description=_("对象"))
    def object_display(self, obj):
        return " ".join(part for part in (obj.object_type, f"#{obj.object_id}" if obj.object_id else "",
                                          obj.object_repr) if part)

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.export_view), name="audit_auditentry_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        """CSV (UTF-8 with BOM, for Excel) of the rows the change list's search and filters select."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = self.get_changelist_instance(request).queryset.order_by("at", "id")
        labels = [str(AuditEntry._meta.get_field(name).verbose_name) for name in EXPORT_FIELDS]
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff" + writer.writerow(labels)
            for entry in rows.iterator(chunk_size=2000):
                values = [getattr(entry, name) for name in EXPORT_FIELDS]
                values[0] = timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S")
                values[1] = entry.get_action_display()
                yield writer.writerow(["" if v is None else v for v in values])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        return response
