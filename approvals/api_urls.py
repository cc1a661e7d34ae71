from django.urls import path

from . import api

urlpatterns = [
    path("projects/", api.ProjectListApi.as_view(), name="approvals-api-projects"),
    path("projects/<int:pk>/", api.ProjectDetailApi.as_view(), name="approvals-api-project"),
    path("projects/<int:pk>/submit/", api.ProjectSubmitApi.as_view(), name="approvals-api-project-submit"),
    path("stages/<int:pk>/<slug:action>/", api.StageActionApi.as_view(), name="approvals-api-stage-action"),
]
