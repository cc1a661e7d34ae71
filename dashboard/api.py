"""GET /api/v1/dashboard/summary/: the leaders' dashboard figures for a city screen — a thin read
of dashboard.selectors.dashboard_figures (the page's own numbers, a fixed number of queries)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import errors

from . import filters, selectors
from .serializers import DashboardSummarySerializer
from .views import may_view_dashboard


def _counts(triples):
    return [{"key": key, "name": name, "count": n} for key, name, n in triples]


SCOPE_PARAMETERS = [
    OpenApiParameter("period", str, enum=["week", "month", "quarter", "year", "custom"],
                     description="统计期间 (default: year). Flows count over it; states are today's."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Start of a custom period (YYYY-MM-DD)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="End of a custom period (YYYY-MM-DD)."),
    OpenApiParameter("category", str, description="Project category code."),
    OpenApiParameter("industry", int, description="Industry id."),
    OpenApiParameter("list_status", str, enum=["above_scale", "outside", "attracted"],
                     description="名单类别 of the enterprise."),
    OpenApiParameter("working_group", str, description="Working group code."),
    OpenApiParameter("commissioner_group", int, description="Commissioner group id."),
]


class DashboardSummaryApi(APIView):
    @extend_schema(parameters=SCOPE_PARAMETERS,
                   responses={200: DashboardSummarySerializer, **errors(400, 403)})
    def get(self, request, **kwargs):
        if not may_view_dashboard(request.user):
            raise exceptions.PermissionDenied(_("领导驾驶舱仅对委领导和系统管理员开放"))
        today = timezone.localdate()
        scope, problems = filters.parse(request.query_params, today, filters.choices())
        if problems:
            raise exceptions.ValidationError({name: [message] for name, message in problems.items()})
        figures = selectors.dashboard_figures(scope, today=today)
        supervision = figures["supervision"]
        data = {
            **figures, "today": today,
            "projects_by_status": _counts(figures["projects_by_status"]),
            "demands_by_status": _counts(figures["demands_by_status"]),
            "supervision": {"count": supervision["count"], "rows": [
                {"id": e.pk, "level": e.level, "title": e.title, "link": e.link, "urgent": e.urgent,
                 "created_at": e.created_at} for e in supervision["rows"]]},
        }
        return Response(DashboardSummarySerializer(data).data)
