from django.urls import path

from portal.views import placeholder

app_name = "notifications"
urlpatterns = [
    path("", placeholder("消息中心", "预警、督办与办理提醒。"), name="inbox"),
]
