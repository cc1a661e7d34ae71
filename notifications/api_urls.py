from django.urls import path

from . import api

urlpatterns = [
    path("notifications/", api.NotificationListApi.as_view(), name="api-notifications-list"),
    path("notifications/read-all/", api.NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
    path("notifications/<int:pk>/read/", api.NotificationReadApi.as_view(), name="api-notifications-read"),
]
