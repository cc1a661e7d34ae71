from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/file/", views.report_file, name="report_file"),
]
