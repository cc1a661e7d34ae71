"""The overview tab (总览): its cards, its charts' data and the same figures as tables (for the
page's data tables, the Excel export and the weekly report), each number with the link to the list
behind it under the same filters. The figures come from selectors.dashboard_figures."""

from dataclasses import replace

from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from commissioners.choices import DemandStatus

from .sections import Link, Table
from .sections import list_url as url
from .selectors import dashboard_figures


def projects_url(scope, **extra):
    return url("approvals:project_list", scope, figure="handed_in", **extra)


def stages_url(scope, figure, **extra):
    return url("approvals:queue", scope, figure=figure, **extra)


def demands_url(scope, figure, **extra):
    return url("commissioners:demand_list", scope, figure=figure, **extra)


def group_url(scope, group, figure):
    return demands_url(replace(scope, working_group=group["code"]), figure)


def _number(value):
    return None if value is None else f"{value:g}"


def money(yi):
    """An amount in 亿元 as each language writes it: 54 亿元, ¥5.4 bn (1 亿 = 10⁸ yuan)."""
    if yi is None:
        return {"value": None, "unit": ""}
    if get_language().startswith("zh"):
        return {"value": _number(yi), "unit": _("亿元")}
    return {"value": f"¥{yi / 10:g}", "unit": "bn"}


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


def cards(figures, scope):
    """The six cards on top, in the order a leader reads them, each a link to its list."""
    projects, demands, levels = figures["projects"], figures["demands"], figures["stage_levels"]
    rating = figures["satisfaction"]
    card = dict
    return [
        card(key="projects_total", label=_("项目总数"), icon="buildings", value=projects["total"],
             unit=_("个"), note=_("已完成审批 %(n)s 个") % {"n": projects["completed"]},
             url=projects_url(scope)),
        card(key="projects_open", label=_("审批中"), icon="hourglass-split", value=projects["open"],
             unit=_("个"), note=_("当前在办审批阶段 %(n)s 个") % {"n": levels["open"]}, tone="info",
             url=url("approvals:project_list", scope, figure="handed_in_open")),
        card(key="stages_overdue", label=_("超期阶段"), icon="alarm", value=levels["overdue"], unit=_("个"),
             note=_("当前 · 黄牌 %(yellow)s · 已提级督办 %(escalated)s") % levels,
             tone="danger" if levels["overdue"] else "success", url=stages_url(scope, "overdue")),
        card(key="major_signed", label=_("重大项目签约额"), icon="cash-stack",
             **money(projects["major_signed_yi"]),
             note=_("重大项目 %(n)s 个") % {"n": projects["major"]}, tone="warning",
             url=projects_url(scope, major="1")),
        card(key="demands_closed_rate", label=_("诉求办结率"), icon="check2-circle",
             value=_number(demands["closed_rate"]), unit="%",
             note=_("办结 %(closed)s / 共 %(total)s 件") % demands,
             url=demands_url(scope, "submitted", status=DemandStatus.CLOSED)),
        card(key="satisfaction_rate", label=_("满意率"), icon="emoji-smile", value=_number(rating["rate"]),
             unit="%", note=_("满意 %(satisfied)s · 不满意 %(unsatisfied)s · 未评价 %(unrated)s") % rating,
             tone="success", url=demands_url(scope, "satisfied")),
    ]


def badges(figures, scope):
    """Today's open matters under the cards: urgent, overdue, under a leader's attention, 督办."""
    demands = figures["demands"]
    return [
        {"tone": "danger", "icon": "lightning-charge", "label": _("重大紧急诉求(未办结)"),
         "value": demands["urgent_open"], "url": demands_url(scope, "urgent_open")},
        {"tone": "warning", "icon": "clock-history", "label": _("超期诉求"), "value": demands["overdue"],
         "url": demands_url(scope, "overdue")},
        {"tone": "secondary", "icon": "eye", "label": _("领导关注诉求"), "value": demands["attention"],
         "url": demands_url(scope, "attention")},
        {"tone": "dark", "icon": "flag", "label": _("待督办"), "value": figures["supervision"]["count"],
         "url": f"{reverse('notifications:escalations')}?scope=open"},
    ]


LEVEL_NAMES = (("green", gettext_lazy("正常")), ("yellow", gettext_lazy("黄牌预警")),
               ("red", gettext_lazy("红牌超期")), ("escalated", gettext_lazy("已提级督办")))
RATING_NAMES = (("satisfied", gettext_lazy("满意(含非常满意、基本满意)")),
                ("unsatisfied", gettext_lazy("不满意(含非常不满意)")), ("unrated", gettext_lazy("未评价")))


def _rows(triples, link):
    return [{"key": key, "name": name, "value": n, "url": link(key)} for key, name, n in triples]


def chart_data(figures, scope):
    """What dashboard.js draws, as plain JSON (json_script escapes it for the page): every bar and
    slice carries the URL of the list behind it."""
    levels, rating = figures["stage_levels"], figures["satisfaction"]
    groups, by_category = figures["demands_by_working_group"], figures["projects_by_category"]
    return {
        "labels": {"empty": _("暂无数据"), "items": _("个"), "cases": _("件"), "open": _("办理中"),
                   "answered": _("已答复"), "workdays": _("工作日"), "used": _("平均用时"),
                   "budget": _("平均时限"), "demands": _("诉求")},
        "kpi": kpis(figures),
        "projects_by_category": {
            **by_category,
            "urls": [[projects_url(replace(scope, category=code), status=series["key"])
                      for code in by_category["codes"]] for series in by_category["series"]],
        },
        "projects_by_status": _rows(figures["projects_by_status"],
                                    lambda key: projects_url(scope, status=key)),
        "stage_levels": _rows(((key, str(name), levels[key]) for key, name in LEVEL_NAMES),
                              lambda key: stages_url(scope, key)),
        "stage_durations": [{**row, "url": stages_url(scope, "decided", kind=row["kind"])}
                            for row in figures["stage_durations"]],
        "demands_by_status": _rows(figures["demands_by_status"],
                                   lambda key: demands_url(scope, "submitted", status=key)),
        "working_groups": {
            "names": [g["name"] for g in groups], "open": [g["open"] for g in groups],
            "answered": [g["answered"] for g in groups],
            "urls": {"open": [group_url(scope, g, "shares_open") for g in groups],
                     "answered": [group_url(scope, g, "shares_answered") for g in groups]},
        },
        "satisfaction": _rows(((key, str(name), rating[key]) for key, name in RATING_NAMES),
                              lambda key: demands_url(scope, key)),
    }


def tables(figures, scope):
    """The overview's figures as tables: the page's data tables under its charts and the Excel
    sheet 总览, every count a link to its list."""
    levels, rating, demands = figures["stage_levels"], figures["satisfaction"], figures["demands"]
    kpi = Table("overview_kpis", _("总览"), [_("指标"), _("数值")], [
        [_("项目总数(期间提交)"), Link(figures["projects"]["total"], projects_url(scope))],
        [_("审批中"), Link(figures["projects"]["open"],
                           url("approvals:project_list", scope, figure="handed_in_open"))],
        [_("重大项目"), Link(figures["projects"]["major"], projects_url(scope, major="1"))],
        [_("重大项目签约额(亿元)"), figures["projects"]["major_signed_yi"]],
        [_("诉求(期间提出)"), Link(demands["total"], demands_url(scope, "submitted"))],
        [_("诉求办结率(%)"), demands["closed_rate"]],
        [_("满意率(%)"), rating["rate"]],
        [_("超期审批阶段(当前)"), Link(levels["overdue"], stages_url(scope, "overdue"))],
        [_("重大紧急诉求(未办结)"), Link(demands["urgent_open"], demands_url(scope, "urgent_open"))],
        [_("超期诉求(当前)"), Link(demands["overdue"], demands_url(scope, "overdue"))],
        [_("领导关注诉求(未办结)"), Link(demands["attention"], demands_url(scope, "attention"))],
    ])
    by_category = figures["projects_by_category"]
    categories = Table("overview_projects", _("各类项目审批状态"),
                       [_("项目类别"), *[series["name"] for series in by_category["series"]]])
    for index, (name, code) in enumerate(zip(by_category["categories"], by_category["codes"], strict=True)):
        cut = replace(scope, category=code)
        categories.rows.append([name, *[Link(series["data"][index], projects_url(cut, status=series["key"]))
                                        for series in by_category["series"]]])
    stage_levels = Table("overview_levels", _("在办审批阶段预警等级(当前)"), [_("预警等级"), _("阶段数")],
                         [[str(name), Link(levels[key], stages_url(scope, key))]
                          for key, name in LEVEL_NAMES])
    durations = Table("overview_durations", _("各审批阶段平均用时(工作日)"),
                      [_("审批阶段"), _("期间办结"), _("平均用时"), _("平均时限")],
                      [[row["name"], Link(row["n"], stages_url(scope, "decided", kind=row["kind"])),
                        row["used"], row["budget"]] for row in figures["stage_durations"]])
    demand_status = Table("overview_demands", _("诉求办理状态"), [_("状态"), _("件数")],
                          [[name, Link(n, demands_url(scope, "submitted", status=key))]
                           for key, name, n in figures["demands_by_status"]])
    groups = Table("overview_groups", _("各专业服务工作组承办诉求"), [_("工作组"), _("办理中"), _("已答复")],
                   [[g["name"],
                     Link(g["open"], group_url(scope, g, "shares_open")),
                     Link(g["answered"], group_url(scope, g, "shares_answered"))]
                    for g in figures["demands_by_working_group"]])
    satisfaction = Table("overview_satisfaction", _("企业满意度"), [_("评价"), _("件数")],
                         [[str(name), Link(rating[key], demands_url(scope, key))]
                          for key, name in RATING_NAMES])
    return [kpi, categories, stage_levels, durations, demand_status, groups, satisfaction]


def sheet(scope, today):
    """The overview as the export's and the weekly report's first sheet: (title, tables)."""
    return _("总览"), tables(dashboard_figures(scope, today=today), scope)
