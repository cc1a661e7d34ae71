"""The navigation bar: each role sees its own entries (label, url name, roles)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import (
    ADMIN,
    APPROVER,
    BUREAU,
    COMMISSIONER,
    ENTERPRISE,
    GROUP_LEADER,
    LEADER,
    WORKING_GROUP,
)

OFFICIALS = (COMMISSIONER, GROUP_LEADER, BUREAU, WORKING_GROUP, LEADER, ADMIN)

# Each role's own work first; the shared references (directory, policies) after it.
ENTRIES = [
    (_("领导驾驶舱"), "dashboard:index", (LEADER, ADMIN)),
    (_("我的项目"), "approvals:project_list", (ENTERPRISE,)),
    (_("本企业档案"), "enterprises:mine", (ENTERPRISE,)),
    (_("我的诉求"), "commissioners:demand_list", (ENTERPRISE,)),
    (_("审批待办"), "approvals:queue", (APPROVER,)),
    (_("项目总览"), "approvals:project_list", (*OFFICIALS, APPROVER)),
    (_("我的企业"), "commissioners:my_enterprises", (COMMISSIONER,)),
    (_("本组企业"), "commissioners:group", (GROUP_LEADER,)),
    (_("诉求待办"), "commissioners:demand_queue", (COMMISSIONER, GROUP_LEADER, BUREAU, WORKING_GROUP,
                                               LEADER)),
    (_("诉求总览"), "commissioners:demand_list", (BUREAU, LEADER, ADMIN)),
    (_("走访记录"), "commissioners:visit_list", (COMMISSIONER, GROUP_LEADER, BUREAU, LEADER)),
    (_("企业名录"), "enterprises:directory", (COMMISSIONER, GROUP_LEADER, BUREAU, WORKING_GROUP,
                                           LEADER, ADMIN)),
    (_("惠企政策"), "commissioners:policy_list", (ENTERPRISE, COMMISSIONER, GROUP_LEADER, BUREAU,
                                              WORKING_GROUP, LEADER, ADMIN)),
]


def entries_for(user):
    seen, result = set(), []
    for label, url_name, allowed in ENTRIES:
        if url_name in seen or not user.has_role(*allowed):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        seen.add(url_name)
        result.append({"label": label, "url": url, "name": url_name})
    return result
