from django.urls import path

from portal.views import placeholder

app_name = "dashboard"
urlpatterns = [
    path("", placeholder("领导驾驶舱", "全区项目审批用时、超期预警、诉求办理与满意度的统计图表。"), name="index"),
]
