from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("projects", api.ProjectApi, basename="approvals-api-projects")
router.register("stages", api.StageApi, basename="approvals-api-stages")
router.register("materials", api.MaterialApi, basename="approvals-api-materials")

urlpatterns = [
    path("categories/", api.CategoryListApi.as_view(), name="approvals-api-categories"),
    *router.urls,
]
