from django.urls import path

from .views import org

urlpatterns = [
    path("my-enterprises/", org.my_enterprises, name="my_enterprises"),
    path("group/", org.group, name="group"),
    path("group/transfer/", org.group_transfer, name="group_transfer"),
    path("group/transfer-all/", org.group_transfer_all, name="group_transfer_all"),
]
