"""领导驾驶舱: a read-only page for committee leaders and administrators."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.roles import ADMIN, LEADER
from core.pagination import paginate

from . import filters, overview, sections, selectors
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
    section = section if section in sections.SECTIONS else ""
    scope, errors, options = _scope(request, today)
    context = _filters_context(section, scope, errors, options, today)
    if section:
        return render(request, "dashboard/section.html", {
            **context, "tables": sections.build(section, scope, today)})
    categories = [(code, name, options["limits"][code]) for code, name in options["category"]]
    figures = selectors.dashboard_figures(scope, today=today, categories=categories,
                                          groups=options["working_group"])
    return render(request, "dashboard/index.html", {
        **context, **figures, "cards": overview.cards(figures, scope),
        "badges": overview.badges(figures, scope), "chart_data": overview.chart_data(figures, scope),
        "tables": overview.tables(figures, scope),
    })


def _scope(request, today):
    options = filters.choices()
    scope, errors = filters.parse(request.GET, today, options)
    return scope, errors, options


def _filters_context(section, scope, errors, options, today):
    selected = {name: str(value) for name, value in scope.params().items()}
    selected["period"] = scope.period.key
    return {
        "section": section, "tabs": sections.SECTIONS, "scope": scope, "errors": errors, "options": options,
        "today": today, "selected": selected, "filter_labels": list(filters.LABELS.items()),
        "scope_query": urlencode(scope.params()),
        "export_query": urlencode({**scope.params(), **({"section": section} if section else {})}),
    }


@login_required
def export(request):
    """The tables of one section (?section=) or of all, as an Excel workbook, with the filters."""
    if not may_view_dashboard(request.user):
        return render(request, "dashboard/forbidden.html", status=403)
    today = timezone.localdate()
    scope, _errors, _options = _scope(request, today)
    section = request.GET.get("section", "")
    keys = [section] if section in sections.SECTIONS else list(sections.SECTIONS)
    sheets = [(sections.SECTIONS[key], sections.build(key, scope, today)) for key in keys]
    if section not in sections.SECTIONS:  # the whole command centre: the overview first
        sheets.insert(0, overview.sheet(scope, today))
    content = workbook(sheets,
                       heading=_("统计期间: %(start)s 至 %(end)s") % {"start": scope.start, "end": scope.end})
    name = f"hushangtong-{section or 'all'}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


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
