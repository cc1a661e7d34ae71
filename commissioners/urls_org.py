from django.urls import path

from portal.views import placeholder

urlpatterns = [
    path("my-enterprises/", placeholder("我的企业", "专员定点服务的企业清单及走访、诉求概况。"), name="my_enterprises"),
    path("group/", placeholder("本组企业", "小组长查看本组专员及其服务企业, 办理企业移交。"), name="group"),
]
