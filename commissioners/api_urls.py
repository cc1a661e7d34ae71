from django.urls import path

from . import api_demands

urlpatterns = [
    path("demands/", api_demands.DemandListApi.as_view(), name="api-demands-list"),
    path("demands/<int:pk>/", api_demands.DemandDetailApi.as_view(), name="api-demands-detail"),
    path("demands/<int:pk>/<slug:action>/", api_demands.DemandActionApi.as_view(), name="api-demands-action"),
]
