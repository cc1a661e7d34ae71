"""领导驾驶舱: a read-only page for committee leaders and administrators."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.roles import ADMIN, LEADER
from core.pagination import paginate

from . import filters, sections, selectors
from .export import workbook
from .models import Report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def may_view_dashboard(user):
    return user.is_authenticated and user.has_role(LEADER, ADMIN)


@login_required
def index(request):
    if not may_view_dashboard(request.user):
        # A page that says why, not a bare 403: the link may have been forwarded to anyone.
        return render(request, "dashboard/forbidden.html", status=403)
    today = timezone.localdate()
    section = request.GET.get("section", "")
    if section in sections.SECTIONS:
        return _section(request, section, today)
    figures = selectors.dashboard_figures(today=today)
    return render(request, "dashboard/index.html", {
        "today": today, **figures, "cards": kpi_cards(figures), "chart_data": chart_data(figures),
        "tabs": sections.SECTIONS,
    })


def _scope(request, today):
    options = filters.choices()
    scope, errors = filters.parse(request.GET, today, options)
    return scope, errors, options


def _section(request, section, today):
    scope, errors, options = _scope(request, today)
    selected = {name: str(value) for name, value in scope.params().items()}
    selected["period"] = scope.period.key
    return render(request, "dashboard/section.html", {
        "section": section, "tabs": sections.SECTIONS, "tables": sections.build(section, scope, today),
        "scope": scope, "errors": errors, "options": options, "today": today, "selected": selected,
        "filter_labels": list(filters.LABELS.items()), "scope_query": urlencode(scope.params()),
        "export_query": urlencode({**scope.params(), "section": section}),
    })


@login_required
def export(request):
    """The tables of one section (?section=) or of all, as an Excel workbook, with the filters."""
    if not may_view_dashboard(request.user):
        return render(request, "dashboard/forbidden.html", status=403)
    today = timezone.localdate()
    scope, _errors, _options = _scope(request, today)
    section = request.GET.get("section", "")
    keys = [section] if section in sections.SECTIONS else list(sections.SECTIONS)
    content = workbook([(sections.SECTIONS[key], sections.build(key, scope, today)) for key in keys],
                       heading=_("统计期间: %(start)s 至 %(end)s") % {"start": scope.start, "end": scope.end})
    name = f"hushangtong-{section or 'all'}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _rows(triples):
    return [{"key": key, "name": name, "value": n} for key, name, n in triples]


def chart_data(figures):
    """What dashboard.js draws, as plain JSON (json_script escapes it for the page)."""
    levels, rating = figures["stage_levels"], figures["satisfaction"]
    groups = figures["demands_by_working_group"]
    level_names = [("green", _("正常")), ("yellow", _("黄牌预警")), ("red", _("红牌超期")),
                   ("escalated", _("已提级督办"))]
    return {
        "labels": {"empty": _("暂无数据"), "items": _("个"), "cases": _("件"), "open": _("办理中"),
                   "answered": _("已答复"), "workdays": _("工作日"), "used": _("平均用时"),
                   "budget": _("平均时限"), "demands": _("诉求")},
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


def money(yi):
    """An amount in 亿元 as each language writes it: 54 亿元, ¥5.4 bn (1 亿 = 10⁸ yuan)."""
    if yi is None:
        return {"value": None, "unit": ""}
    if get_language().startswith("zh"):
        return {"value": _number(yi), "unit": _("亿元")}
    return {"value": f"¥{yi / 10:g}", "unit": "bn"}


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
             **money(projects["major_signed_yi"]),
             note=_("重大项目 %(n)s 个") % {"n": projects["major"]}, tone="warning"),
        card(key="demands_closed_rate", label=_("诉求办结率"), icon="check2-circle",
             value=_number(demands["closed_rate"]), unit="%",
             note=_("办结 %(closed)s / 共 %(total)s 件") % demands),
        card(key="satisfaction_rate", label=_("满意率"), icon="emoji-smile", value=_number(rating["rate"]),
             unit="%", note=_("满意 %(satisfied)s · 不满意 %(unsatisfied)s · 未评价 %(unrated)s") % rating,
             tone="success"),
    ]


@login_required
def reports(request):
    """The weekly reports, newest first (built every Monday 08:30, or by build_report)."""
    if not may_view_dashboard(request.user):
        return render(request, "dashboard/forbidden.html", status=403)
    return render(request, "dashboard/reports.html", {
        "page": paginate(request, Report.objects.all(), 20), "tabs": sections.SECTIONS, "section": "reports"})


@login_required
def report_file(request, pk):
    if not may_view_dashboard(request.user):
        raise Http404
    report = get_object_or_404(Report, pk=pk)
    return FileResponse(report.file.open("rb"), as_attachment=True, content_type=XLSX,
                        filename=f"hushangtong-weekly-{report.week}.xlsx")
