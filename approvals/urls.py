from django.urls import path

from portal.views import placeholder

app_name = "approvals"
urlpatterns = [
    path("", placeholder("工程建设项目", "项目四个审批阶段的进度、剩余工作日与审批记录。"), name="project_list"),
    path("queue/", placeholder("审批待办", "按到期日排序的审批阶段, 黄牌/红牌预警。"), name="queue"),
]
