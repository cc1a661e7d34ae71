from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("projects", api.ProjectApi, basename="approvals-api-projects")
router.register("stages", api.StageApi, basename="approvals-api-stages")
router.register("materials", api.MaterialApi, basename="approvals-api-materials")

urlpatterns = router.urls
