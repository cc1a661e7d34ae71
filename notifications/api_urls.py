from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, api_supervisions

router = SimpleRouter()
router.register("supervisions", api_supervisions.SupervisionApi, basename="api-supervisions")

urlpatterns = [
    path("notifications/", api.NotificationListApi.as_view(), name="api-notifications-list"),
    path("notifications/read-all/", api.NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
    path("notifications/<int:pk>/read/", api.NotificationReadApi.as_view(), name="api-notifications-read"),
    *router.urls,
]
