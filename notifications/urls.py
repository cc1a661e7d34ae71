from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("badge/", views.badge, name="badge"),
    path("read-all/", views.read_all, name="read_all"),
    path("<int:pk>/read/", views.read, name="read"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<int:pk>/supervise/", views.supervise, name="supervise"),
]
