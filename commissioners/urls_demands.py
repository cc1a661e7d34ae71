from django.urls import path

from .views import demands as views

urlpatterns = [
    path("demands/", views.demand_list, name="demand_list"),
    path("demands/new/", views.demand_create, name="demand_create"),
    path("demands/queue/", views.demand_queue, name="demand_queue"),
    path("demands/done/", views.demand_done, name="demand_done"),
    path("demands/<int:pk>/", views.demand_detail, name="demand_detail"),
    path("demands/<int:pk>/do/<slug:action>/", views.demand_action, name="demand_action"),
    path("demands/attachments/<int:pk>/", views.attachment_download, name="demand_attachment"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/new/", views.policy_create, name="policy_create"),
    path("policies/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("policies/<int:pk>/file/", views.policy_file, name="policy_file"),
]
