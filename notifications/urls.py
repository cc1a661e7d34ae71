from django.urls import path

from . import views, views_supervision

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("badge/", views.badge, name="badge"),
    path("read-all/", views.read_all, name="read_all"),
    path("<int:pk>/read/", views.read, name="read"),
    path("<int:pk>/open/", views.open_notification, name="open"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<int:pk>/supervise/", views.supervise, name="supervise"),
    path("supervise/<int:content_type_id>/<int:pk>/", views_supervision.supervise, name="supervise_matter"),
    path("supervisions/", views_supervision.supervision_list, name="supervisions"),
    path("supervisions/badge/", views_supervision.supervision_badge, name="supervision_badge"),
    path("supervisions/<int:pk>/reply/", views_supervision.reply, name="supervision_reply"),
    path("supervisions/<int:pk>/close/", views_supervision.close, name="supervision_close"),
]
