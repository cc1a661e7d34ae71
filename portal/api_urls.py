"""The versioned REST API (/api/v1/...): each app contributes its api_urls."""

from django.urls import include, path

urlpatterns = [
    path("", include("approvals.api_urls")),
    path("", include("commissioners.api_urls")),
    path("", include("notifications.api_urls")),
]
