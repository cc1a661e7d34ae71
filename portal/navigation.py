"""The navigation bar: each role sees its own entries (label, url name, roles)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

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

# Each role's own work first; the shared references (directory, policies) after it. Labels have
# the context "nav": English keeps them short enough for one line at 1366 px.
ENTRIES = [
    (pgettext_lazy("nav", "领导驾驶舱"), "dashboard:index", (LEADER, ADMIN)),
    (pgettext_lazy("nav", "我的项目"), "approvals:project_list", (ENTERPRISE,)),
    (pgettext_lazy("nav", "本企业档案"), "enterprises:mine", (ENTERPRISE,)),
    (pgettext_lazy("nav", "我的诉求"), "commissioners:demand_list", (ENTERPRISE,)),
    (pgettext_lazy("nav", "审批待办"), "approvals:queue", (APPROVER,)),
    (pgettext_lazy("nav", "项目总览"), "approvals:project_list", (*OFFICIALS, APPROVER)),
    (pgettext_lazy("nav", "我的企业"), "commissioners:my_enterprises", (COMMISSIONER,)),
    (pgettext_lazy("nav", "本组企业"), "commissioners:group", (GROUP_LEADER,)),
    (pgettext_lazy("nav", "诉求待办"), "commissioners:demand_queue",
     (COMMISSIONER, GROUP_LEADER, BUREAU, WORKING_GROUP, LEADER)),
    (pgettext_lazy("nav", "诉求总览"), "commissioners:demand_list", (BUREAU, LEADER, ADMIN)),
    (pgettext_lazy("nav", "走访记录"), "commissioners:visit_list",
     (COMMISSIONER, GROUP_LEADER, BUREAU, LEADER)),
    (pgettext_lazy("nav", "企业名录"), "enterprises:directory",
     (COMMISSIONER, GROUP_LEADER, BUREAU, WORKING_GROUP, LEADER, ADMIN)),
    (pgettext_lazy("nav", "惠企政策"), "commissioners:policy_list",
     (ENTERPRISE, COMMISSIONER, GROUP_LEADER, BUREAU, WORKING_GROUP, LEADER, ADMIN)),
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
