"""领导驾驶舱: a read-only page for committee leaders and administrators."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import ADMIN, LEADER

from . import selectors


def may_view_dashboard(user):
    return user.is_authenticated and user.has_role(LEADER, ADMIN)


@login_required
def index(request):
    if not may_view_dashboard(request.user):
        # A page that says why, not a bare 403: the link may have been forwarded to anyone.
        return render(request, "dashboard/forbidden.html", status=403)
    today = timezone.localdate()
    figures = selectors.dashboard_figures(today=today)
    return render(request, "dashboard/index.html", {
        "today": today, **figures, "cards": kpi_cards(figures), "chart_data": chart_data(figures),
    })


def _rows(triples):
    return [{"key": key, "name": name, "value": n} for key, name, n in triples]


def chart_data(figures):
    """What dashboard.js draws, as plain JSON (json_script escapes it for the page)."""
    levels, rating = figures["stage_levels"], figures["satisfaction"]
    groups = figures["demands_by_working_group"]
    level_names = [("green", _("正常")), ("yellow", _("黄牌预警")), ("red", _("红牌超期")),
                   ("escalated", _("已提级督办"))]
    return {
        "kpi": kpis(figures),
        "projects_by_category": figures["projects_by_category"],
        "projects_by_status": _rows(figures["projects_by_status"]),
        "stage_levels": _rows((key, name, levels[key]) for key, name in level_names),
        "stage_durations": figures["stage_durations"],
        "demands_by_status": _rows(figures["demands_by_status"]),
        "working_groups": {"names": [g["name"] for g in groups], "open": [g["open"] for g in groups],
                           "answered": [g["answered"] for g in groups]},
        "satisfaction": _rows([("satisfied", _("满意(含非常满意、基本满意)"), rating["satisfied"]),
                               ("unsatisfied", _("不满意(含非常不满意)"), rating["unsatisfied"]),
                               ("unrated", _("未评价"), rating["unrated"])]),
    }


def kpis(figures):
    projects, demands = figures["projects"], figures["demands"]
    return {
        "projects_total": projects["total"],
        "projects_open": projects["open"],
        "stages_overdue": figures["stage_levels"]["overdue"],
        "major_count": projects["major"],
        "major_signed_yi": projects["major_signed_yi"],
        "demands_closed_rate": demands["closed_rate"],
        "satisfaction_rate": figures["satisfaction"]["rate"],
    }


def _number(value):
    return None if value is None else f"{value:g}"


def kpi_cards(figures):
    """The six cards on top, in the order a leader reads them."""
    projects, demands, levels = figures["projects"], figures["demands"], figures["stage_levels"]
    rating = figures["satisfaction"]
    card = dict
    return [
        card(key="projects_total", label=_("项目总数"), icon="buildings", value=projects["total"],
             unit=_("个"), note=_("已完成审批 %(n)s 个") % {"n": projects["completed"]}),
        card(key="projects_open", label=_("审批中"), icon="hourglass-split", value=projects["open"],
             unit=_("个"), note=_("在办审批阶段 %(n)s 个") % {"n": levels["open"]}, tone="info"),
        card(key="stages_overdue", label=_("超期阶段"), icon="alarm", value=levels["overdue"], unit=_("个"),
             note=_("黄牌 %(yellow)s · 已提级督办 %(escalated)s") % levels,
             tone="danger" if levels["overdue"] else "success"),
        card(key="major_signed", label=_("重大项目签约额"), icon="cash-stack",
             value=_number(projects["major_signed_yi"]), unit=_("亿元"),
             note=_("重大项目 %(n)s 个") % {"n": projects["major"]}, tone="warning"),
        card(key="demands_closed_rate", label=_("诉求办结率"), icon="check2-circle",
             value=_number(demands["closed_rate"]), unit="%",
             note=_("办结 %(closed)s / 共 %(total)s 件") % demands),
        card(key="satisfaction_rate", label=_("满意率"), icon="emoji-smile", value=_number(rating["rate"]),
             unit="%", note=_("满意 %(satisfied)s · 不满意 %(unsatisfied)s · 未评价 %(unrated)s") % rating,
             tone="success"),
    ]
