"""Enterprises (officials), visits and policies: reads scoped as the pages scope them, and the
records a commissioner or the bureau adds, through the same services."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response

from core.api import BooleanFilter, CursorPage, NumberPage, SelectorFilters, errors, refused
from enterprises.models import Enterprise, Industry, ListStatus

from . import services
from .models import Commissioner, Policy, Visit
from .selectors.demands import may_add_policies, policy_list_for, visit_get_for, visit_list_for
from .selectors.org import enterprise_list_for, enterprise_profile_for, enterprises_visible_to
from .serializers_service import (
    EnterpriseDetailSerializer,
    EnterpriseSerializer,
    PolicyCreateSerializer,
    PolicySerializer,
    VisitCreateSerializer,
    VisitDetailSerializer,
    VisitSerializer,
)
from .views.demands import VISIT_ROLES
from .views.org import DIRECTORY_ROLES


def _forbidden():
    raise exceptions.PermissionDenied(_("该列表仅对政府工作人员开放"))


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(max_length=100, help_text="Name or credit code.")
    industry = django_filters.ModelChoiceFilter(queryset=Industry.objects.all())
    list_status = django_filters.ChoiceFilter(choices=ListStatus.choices)
    commissioner = django_filters.ModelChoiceFilter(field_name="assignments__commissioner",
                                                    queryset=Commissioner.objects.all(),
                                                    help_text="Enterprises this commissioner serves.")

    class Meta:
        model = Enterprise
        fields = []


class EnterpriseApi(SelectorFilters, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The enterprise directory for officials (commissioners see theirs, group leaders their
    group's, the bureau, working groups and leaders all); an enterprise user reads only its own
    record, by id."""

    lookup_value_regex = r"[0-9]+"
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    pagination_class = NumberPage

    def get_queryset(self):
        return enterprises_visible_to(self.request.user)

    @extend_schema(responses={200: EnterpriseSerializer(many=True), **errors(403)})
    def list(self, request, *args, **kwargs):
        if not request.user.has_role(*DIRECTORY_ROLES):
            _forbidden()
        return super().list(request, *args, **kwargs)

    def select(self, params):
        rows = enterprise_list_for(self.request.user).search(params.get("q") or "")
        if params.get("industry"):
            rows = rows.filter(industry=params["industry"])
        if params.get("list_status"):
            rows = rows.filter(list_status=params["list_status"])
        if params.get("commissioner"):
            rows = rows.filter(assignments__ended_on__isnull=True,
                               assignments__commissioner=params["commissioner"]).distinct()
        return rows.order_by("name", "id")

    @extend_schema(responses=EnterpriseDetailSerializer)
    def retrieve(self, request, pk=None, **kwargs):
        return Response(EnterpriseDetailSerializer(enterprise_profile_for(request.user, pk)).data)


class VisitFilter(django_filters.FilterSet):
    enterprise = django_filters.NumberFilter(min_value=1, max_value=2**31 - 1)

    class Meta:
        model = Visit
        fields = []


class VisitApi(SelectorFilters, mixins.ListModelMixin, viewsets.GenericViewSet):
    """走访记录: commissioners and group leaders their enterprises', the bureau, leaders and admins
    all, an enterprise user the visits to it; a commissioner records one (with the demands raised
    on it, accepted on the spot)."""

    lookup_value_regex = r"[0-9]+"
    serializer_class = VisitSerializer
    filterset_class = VisitFilter
    pagination_class = CursorPage

    def get_queryset(self):
        return Visit.objects.visible_to(self.request.user)

    def select(self, params):
        if not self.request.user.has_role(*VISIT_ROLES):
            return Visit.objects.none()
        return visit_list_for(self.request.user, enterprise_id=params.get("enterprise"))

    @extend_schema(responses=VisitDetailSerializer)
    def retrieve(self, request, pk=None, **kwargs):
        return Response(VisitDetailSerializer(visit_get_for(request.user, pk)).data)

    @extend_schema(request=VisitCreateSerializer, responses={201: VisitDetailSerializer, **errors(403)})
    def create(self, request, **kwargs):
        data = VisitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["enterprise"] = Enterprise.objects.filter(pk=values["enterprise"]).first()
        if values["enterprise"] is None:
            raise exceptions.ValidationError({"enterprise": [_("该企业不存在")]})
        try:
            visit = services.visit_record(actor=request.user, **values)
        except services.DemandError as error:
            return refused(error)
        return Response(VisitDetailSerializer(visit_get_for(request.user, visit.pk)).data,
                        status=status.HTTP_201_CREATED)


class PolicyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(max_length=100, help_text="Title, summary or issuing body.")
    industry = django_filters.ModelChoiceFilter(field_name="industries", queryset=Industry.objects.all())
    current = BooleanFilter(help_text="Only policies in force today.")

    class Meta:
        model = Policy
        fields = []


class PolicyApi(SelectorFilters, mixins.ListModelMixin, viewsets.GenericViewSet):
    """惠企政策: officials read the whole library, an enterprise user what applies to it now; the
    bureau adds to it."""

    lookup_value_regex = r"[0-9]+"
    serializer_class = PolicySerializer
    filterset_class = PolicyFilter
    pagination_class = NumberPage

    def get_queryset(self):
        return Policy.objects.visible_to(self.request.user, timezone.localdate())

    def select(self, params):
        industry = params.get("industry")
        return policy_list_for(self.request.user, timezone.localdate(), search=params.get("q") or "",
                               industry_id=industry.pk if industry else None,
                               current_only=bool(params.get("current")))

    def retrieve(self, request, pk=None, **kwargs):
        return Response(PolicySerializer(self.get_object()).data)

    @extend_schema(request=PolicyCreateSerializer, responses={201: PolicySerializer, **errors(403)})
    def create(self, request, **kwargs):
        """Add a policy to the library (the bureau and admins)."""
        if not may_add_policies(request.user):
            raise exceptions.PermissionDenied(_("只有经济运行局或管理员可以录入惠企政策"))
        data = PolicyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            policy = services.policy_create(actor=request.user, **data.validated_data)
        except services.DemandError as error:
            return refused(error)
        return Response(PolicySerializer(policy).data, status=status.HTTP_201_CREATED)
