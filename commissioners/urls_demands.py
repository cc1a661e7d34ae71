from django.urls import path

from portal.views import placeholder

urlpatterns = [
    path("demands/", placeholder("我的诉求", "企业提交诉求、跟踪办理节点与剩余工作日、评价办理结果。"), name="demand_list"),
    path("demands/queue/", placeholder("诉求待办", "按到期日排序的诉求待办, 黄牌/红牌预警。"), name="demand_queue"),
    path("visits/", placeholder("走访记录", "专员走访企业的记录: 经营情况、宣讲政策、收集诉求。"), name="visit_list"),
    path("policies/", placeholder("惠企政策", "惠企政策库, 按行业查看适用政策。"), name="policy_list"),
]
