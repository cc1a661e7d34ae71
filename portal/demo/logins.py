"""The documented demo log-ins (one per role); all use settings.DEMO_PASSWORD."""

from django.utils.translation import gettext_lazy as _

DEMO_LOGINS = [
    (
        "demo_enterprise",
        _("企业用户"),
        _("一家龙头四上企业 (新材料), 由 demo_commissioner 服务, demo_leader 挂钩"),
    ),
    ("demo_enterprise2", _("企业用户"), _("另一家企业, 由另一小组的专员服务: 看不到第一家的任何数据")),
    ("demo_commissioner", _("营商环境专员"), _("专员第一组, 定点服务 4–5 家企业 (我的企业)")),
    ("demo_group_leader", _("专员小组长"), _("专员第一组组长: 本组 10 名专员的企业, 可移交")),
    ("demo_bureau", _("经济运行局"), _("查看全部企业, 调度诉求")),
    ("demo_working_group", _("专业服务工作组"), _("行政审批工作组成员")),
    ("demo_approver", _("审批人员"), _("工程建设项目审批")),
    ("demo_leader", _("委领导"), _("党工委书记、管委会主任, 挂钩新材料行业龙头企业")),
    ("demo_admin", _("系统管理员"), _("管理后台 (/admin/), 含企业名单导入")),
]
