"""The demand API: a scoped read (the user's visible demands), submission, and every node action
and the rating through the same services as the pages. Refusals as every API answers them
(core.api.refused): 403 not yours, 409 status / stale page / a rule, 400 bad input."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from accounts.roles import ENTERPRISE
from core.api import CursorPage, SelectorFilters, errors, refused
from enterprises.selectors import enterprise_of

from . import services
from .choices import DemandStatus
from .models import Demand, DemandCategory, WorkingGroup
from .selectors.demands import demand_actions_for, demand_get_for, demand_list_for
from .serializers_demands import (
    AnswerInputSerializer,
    CommentInputSerializer,
    DemandCategorySerializer,
    DemandCreateSerializer,
    DemandDetailSerializer,
    DemandSerializer,
    DispatchInputSerializer,
    RateInputSerializer,
    ReasonInputSerializer,
    RedispatchInputSerializer,
    ShareAnswerInputSerializer,
    ShareInputSerializer,
)


class DemandCategoryListApi(generics.ListAPIView):
    """诉求类别 (active ones): what a new demand names."""

    serializer_class = DemandCategorySerializer
    pagination_class = None
    filter_backends = []
    queryset = DemandCategory.objects.filter(is_active=True)


class DemandFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=[("open", _("未办结")), *DemandStatus.choices],
                                         help_text="A status, or open (any but closed).")
    q = django_filters.CharFilter(max_length=100, help_text="Title, enterprise name or number (123 or #123).")

    class Meta:
        model = Demand
        fields = []


def _share(demand, data):
    return get_object_or_404(demand.dispatches, pk=data["dispatch"])


def _group(data):
    group = WorkingGroup.objects.filter(pk=data["to_group"]).first()
    if group is None:
        raise exceptions.ValidationError({"to_group": [_("该工作组不存在")]})
    return group


def _seen(x):
    return {"expected_status": x.get("expected_status") or None}


# action -> (input, the service call)
ACTIONS = {
    "accept": (CommentInputSerializer, lambda d, u, x: services.demand_accept(
        demand=d, actor=u, comment=x["comment"], **_seen(x))),
    "answer-first-contact": (AnswerInputSerializer, lambda d, u, x: services.demand_answer_first_contact(
        demand=d, actor=u, answer=x["answer"], **_seen(x))),
    "review": (CommentInputSerializer, lambda d, u, x: services.demand_review(
        demand=d, actor=u, comment=x["comment"], **_seen(x))),
    "send-back": (ReasonInputSerializer, lambda d, u, x: services.demand_send_back(
        demand=d, actor=u, reason=x["reason"], **_seen(x))),
    "dispatch": (DispatchInputSerializer, lambda d, u, x: services.demand_dispatch(
        demand=d, actor=u, working_groups=WorkingGroup.objects.filter(pk__in=x["working_groups"]),
        comment=x["comment"], **_seen(x))),
    "redispatch": (RedispatchInputSerializer, lambda d, u, x: services.demand_redispatch(
        dispatch=_share(d, x), actor=u, to_group=_group(x), reason=x["reason"], **_seen(x))),
    "start": (ShareInputSerializer, lambda d, u, x: services.demand_start(
        dispatch=_share(d, x), actor=u, **_seen(x))),
    "answer": (ShareAnswerInputSerializer, lambda d, u, x: services.demand_answer(
        dispatch=_share(d, x), actor=u, answer=x["answer"], **_seen(x))),
    "rate": (RateInputSerializer, lambda d, u, x: services.demand_rate(
        demand=d, actor=u, level=x["level"], comment=x["comment"], **_seen(x))),
}


def demand_detail(user, pk):
    demand = demand_get_for(user, pk)
    demand = (Demand.objects.select_related("enterprise", "category")
              .prefetch_related("dispatches__working_group", "events__actor").get(pk=demand.pk))
    actions = demand_actions_for(demand, user, list(demand.dispatches.all()))
    return DemandDetailSerializer(demand, context={"actions": actions}).data


def _action(key, name):
    """The POST /demands/<id>/<key>/ endpoint, as the viewset attribute `name`."""
    input_serializer, call = ACTIONS[key]

    def act(self, request, pk=None, **kwargs):
        demand = get_object_or_404(Demand.objects.visible_to(request.user), pk=pk)
        data = input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            call(demand, request.user, data.validated_data)
        except services.DemandError as error:
            return refused(error)
        return Response(demand_detail(request.user, demand.pk))

    act.__name__ = name  # the router maps the POST to this attribute name
    act = action(detail=True, methods=["post"], url_path=key, url_name=key)(act)
    return extend_schema(request=input_serializer, summary=f"Demand action: {key}",
                         responses={200: DemandDetailSerializer, **errors(403, 409)})(act)


# What a row of the list reads (DemandSerializer, the cursor's created_at and id): not the texts
# (description, answer, sent_back_reason) nor the enterprise's and category's other columns.
LIST_COLUMNS = ("id", "title", "enterprise_id", "enterprise__name", "category_id", "category__name",
                "urgency",
                "raised_via", "status", "current_node", "started_on", "due_on", "due_provisional",
                "warning_level", "leader_attention", "rating", "created_at", "closed_at")


class DemandApi(SelectorFilters, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Demands the caller may see; an enterprise user raises one for its enterprise; each node's
    holder acts on it; the enterprise rates the answer."""

    lookup_value_regex = r"[0-9]+"
    serializer_class = DemandSerializer
    filterset_class = DemandFilter
    pagination_class = CursorPage

    def get_queryset(self):
        return Demand.objects.visible_to(self.request.user)

    def select(self, params):
        return demand_list_for(self.request.user, status=params.get("status") or "",
                               search=params.get("q") or "").only(*LIST_COLUMNS)

    @extend_schema(responses=DemandDetailSerializer)
    def retrieve(self, request, pk=None, **kwargs):
        return Response(demand_detail(request.user, pk))

    @extend_schema(request=DemandCreateSerializer, responses={201: DemandDetailSerializer, **errors(403)},
                   examples=[OpenApiExample("raise", request_only=True, value={
                       "category": 1, "title": "厂区用电增容", "urgency": "normal",
                       "description": "二期投产需增容 2000 千伏安"})])
    def create(self, request, **kwargs):
        """Raise a demand for the caller's enterprise (enterprise users)."""
        data = DemandCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise = enterprise_of(request.user) if request.user.has_role(ENTERPRISE) else None
        if enterprise is None:
            return Response({"detail": _("只能为本企业提出诉求"), "code": "forbidden"},
                            status=status.HTTP_403_FORBIDDEN)
        try:
            demand = services.demand_submit(enterprise=enterprise, actor=request.user, **data.validated_data)
        except services.DemandError as error:
            return refused(error)
        return Response(demand_detail(request.user, demand.pk), status=status.HTTP_201_CREATED)

    accept = _action("accept", "accept")
    answer_first_contact = _action("answer-first-contact", "answer_first_contact")
    review = _action("review", "review")
    send_back = _action("send-back", "send_back")
    dispatch_to_groups = _action("dispatch", "dispatch_to_groups")  # `dispatch` is APIView's own
    redispatch = _action("redispatch", "redispatch")
    start = _action("start", "start")
    answer = _action("answer", "answer")
    rate = _action("rate", "rate")
