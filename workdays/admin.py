from django.contrib import admin

from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "is_workday", "name", "source")
    list_filter = ("kind", "source", "is_workday")
    date_hierarchy = "date"
    search_fields = ("name",)
