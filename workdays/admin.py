from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core.admin_base import AuditTrailAdmin

from .forms import CalendarDayForm, NoticeUploadForm
from .models import CalendarDay, NoticeLoad
from .notice import NoticeError
from .services import calendar_day_correct, notice_load

MAX_MOVED_MESSAGES = 50


class YearListFilter(admin.SimpleListFilter):
    title = _("年份")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.in_year(int(value))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ("date", "kind", "is_workday", "name", "source")
    list_filter = (YearListFilter, "kind", "source", "is_workday")
    search_fields = ("name",)
    change_list_template = "workdays/admin/calendarday_change_list.html"

    def get_readonly_fields(self, request, obj=None):
        # The date is the key every count is built on; edit what a day is, not which day it is.
        return ("date", "is_workday", "source") if obj else ()

    def has_add_permission(self, request):
        # Days come from sync_calendar and from notices, a whole year at a time; a lone day far
        # outside the stored range would only make the counting table huge.
        return False

    def has_delete_permission(self, request, obj=None):
        # The counting table needs every date of the stored range; a day is corrected, not removed.
        return False

    def save_model(self, request, obj, form, change):
        # The service makes the day official and moves the deadlines counted across it.
        correction = calendar_day_correct(date=obj.date, kind=obj.kind, name=obj.name, actor=request.user)
        if correction.status_changed:
            self._report_moved(request, correction.moved_lines())

    def response_change(self, request, obj):
        # Back to the corrected day's year, not to the first page of 2004 (unless the list the
        # admin came from had filters of its own, which Django keeps).
        response = super().response_change(request, obj)
        changelist = reverse("admin:workdays_calendarday_changelist")
        if response.status_code == 302 and response["Location"] == changelist:
            response["Location"] = f"{changelist}?year={obj.date.year}"
        return response

    @staticmethod
    def _report_moved(request, lines):
        messages.info(request, _("已变动的期限 %(n)d 个") % {"n": len(lines)})
        for line in lines[:MAX_MOVED_MESSAGES]:
            messages.info(request, line)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_upload_notice": self.has_change_permission(request)}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        upload = self.admin_site.admin_view(self.notice_upload_view)
        return [path("upload-notice/", upload, name="workdays_calendarday_upload_notice"),
                *super().get_urls()]

    def notice_upload_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = NoticeUploadForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = self._load(request, form)
            if result and not result.dry_run:
                return self._after_load(request, result)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "result": result, "title": _("导入节假日安排通知")}
        return TemplateResponse(request, "workdays/admin/notice_upload.html", context)

    def _load(self, request, form):
        upload = form.cleaned_data["file"]
        try:
            return notice_load(file=upload, dry_run=form.cleaned_data["dry_run"], actor=request.user,
                               source_name=upload.name)
        except NoticeError as error:
            form.add_error("file", error.problems)
            return None

    def _after_load(self, request, result):
        for line in result.summary():
            messages.success(request, line)
        self._report_moved(request, result.moved_lines())
        changelist = reverse("admin:workdays_calendarday_changelist")
        return redirect(f"{changelist}?year={result.year}")


@admin.register(NoticeLoad)
class NoticeLoadAdmin(AuditTrailAdmin):
    """Who loaded which notice, and what it changed: the audit trail stays."""

    list_display = ("year", "loaded_at", "loaded_by", "source_name", "holidays", "adjusted_workdays",
                    "changed_days", "moved_deadlines")
    list_filter = ("year",)
