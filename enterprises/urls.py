from django.urls import path

from portal.views import placeholder

app_name = "enterprises"
urlpatterns = [
    path("", placeholder("企业名录", "按行业、名单类别、专员筛选, 按名称或信用代码搜索全部企业。"), name="directory"),
    path("mine/", placeholder("本企业档案", "一企一档: 联系人、服务专员及其变更历史、挂钩委领导。"), name="mine"),
    path("<int:pk>/", placeholder("企业档案", "一企一档: 联系人、服务专员及其变更历史、挂钩委领导。"), name="profile"),
]
