from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.forms import LoginForm

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True,
                                                authentication_form=LoginForm), name="login"),
    path("healthz", views.healthz, name="healthz"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("calendar/", include("workdays.urls")),
    path("enterprises/", include("commissioners.urls_enterprises")),
    path("service/", include("commissioners.urls")),
    path("projects/", include("approvals.urls")),
    path("notifications/", include("notifications.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("account/", include("accounts.urls")),
    # The schema and its docs live outside /api/<version>/: the global URLPathVersioning would
    # find no version there and answer 404, so they carry none and describe v1.
    path("api/schema/", SpectacularAPIView.as_view(api_version="v1", versioning_class=None),
         name="api-schema"),
    # Swagger UI's own page has an inline <style>; its script comes from a URL (the split view).
    path("api/docs/", csp_update({"style-src": [UNSAFE_INLINE]})(
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", versioning_class=None)), name="api-docs"),
    path("api/<str:version>/", include("portal.api_urls")),
]
handler500 = "portal.errors.server_error"
