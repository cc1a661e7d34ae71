"""The enterprise pages (namespace "enterprises"), served by commissioners.views.org.

They show who serves each enterprise, which enterprises/ may not import; portal/urls.py
mounts this module at "enterprises/".
"""

from django.urls import path

from .views import org

app_name = "enterprises"
urlpatterns = [
    path("", org.enterprise_directory, name="directory"),
    path("mine/", org.enterprise_mine, name="mine"),
    path("<int:pk>/", org.enterprise_profile, name="profile"),
]
