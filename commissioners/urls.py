from django.urls import include, path

app_name = "commissioners"
urlpatterns = [
    path("", include("commissioners.urls_org")),
    path("", include("commissioners.urls_demands")),
]
