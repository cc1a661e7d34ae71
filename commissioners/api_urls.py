from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api_demands, api_service

router = SimpleRouter()
router.register("demands", api_demands.DemandApi, basename="api-demands")
router.register("enterprises", api_service.EnterpriseApi, basename="api-enterprises")
router.register("visits", api_service.VisitApi, basename="api-visits")
router.register("policies", api_service.PolicyApi, basename="api-policies")

urlpatterns = [
    path("demand-categories/", api_demands.DemandCategoryListApi.as_view(), name="api-demand-categories"),
    *router.urls,
]
