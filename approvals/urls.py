from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("queue/", views.queue, name="queue"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/<slug:action>/", views.project_action, name="project_action"),
    path("stages/<int:pk>/", views.stage_detail, name="stage_detail"),
    path("stages/<int:pk>/upload/", views.material_upload, name="material_upload"),
    path("stages/<int:pk>/notice/<slug:kind>/", views.stage_notice, name="stage_notice"),
    path("stages/<int:pk>/<slug:action>/", views.stage_action, name="stage_action"),
    path("materials/<int:pk>/", views.material_download, name="material_download"),
]
