"""The versioned REST API (/api/v1/...): each app contributes its api_urls."""

from django.urls import include, path

from accounts import api as accounts_api
from dashboard.api import DashboardSummaryApi
from workdays import api as calendar_api

urlpatterns = [
    path("auth/token/", accounts_api.TokenObtainApi.as_view(), name="api-auth-token"),
    path("auth/tokens/", accounts_api.TokenListApi.as_view(), name="api-auth-tokens"),
    path("auth/tokens/<int:pk>/", accounts_api.TokenRevokeApi.as_view(), name="api-auth-token-revoke"),
    path("calendar/add/", calendar_api.CalendarAddApi.as_view(), name="api-calendar-add"),
    path("calendar/between/", calendar_api.CalendarBetweenApi.as_view(), name="api-calendar-between"),
    path("calendar/days/", calendar_api.CalendarDaysApi.as_view(), name="api-calendar-days"),
    path("dashboard/summary/", DashboardSummaryApi.as_view(), name="api-dashboard-summary"),
    path("", include("approvals.api_urls")),
    path("", include("commissioners.api_urls")),
    path("", include("notifications.api_urls")),
]
