"""Roles are Django groups, created by a data migration. A person may hold several."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ENTERPRISE = "enterprise"
COMMISSIONER = "commissioner"
GROUP_LEADER = "group_leader"
BUREAU = "bureau"
WORKING_GROUP = "working_group"
APPROVER = "approver"
LEADER = "leader"
ADMIN = "admin"

ROLE_LABELS = {
    ENTERPRISE: _("企业用户"),
    COMMISSIONER: _("营商环境专员"),
    GROUP_LEADER: _("专员小组长"),
    BUREAU: _("经济运行局"),
    WORKING_GROUP: _("专业服务工作组"),
    APPROVER: _("审批人员"),
    LEADER: _("委领导"),
    ADMIN: _("系统管理员"),
}
ROLES = tuple(ROLE_LABELS)


class UnknownRole(ValueError):
    def __init__(self, name):
        super().__init__(gettext("未知角色 %(name)s; 可用角色: %(roles)s")
                         % {"name": repr(name), "roles": ", ".join(ROLES)})


def check_role(name):
    if name not in ROLE_LABELS:
        raise UnknownRole(name)
    return name
