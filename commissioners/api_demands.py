"""The demand API: a scoped read (the user's visible demands) and actions calling the services."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import refused

from . import services
from .choices import DemandStatus
from .models import Demand, WorkingGroup
from .selectors.demands import demand_list_for
from .serializers_demands import ActionInputSerializer, DemandDetailSerializer, DemandSerializer


class DemandListApi(generics.ListAPIView):
    serializer_class = DemandSerializer
    filter_backends = []

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=["open", *DemandStatus.values])])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return demand_list_for(self.request.user, status=self.request.query_params.get("status", ""))


class DemandDetailApi(generics.RetrieveAPIView):
    serializer_class = DemandDetailSerializer

    def get_queryset(self):
        return (Demand.objects.visible_to(self.request.user).select_related("enterprise", "category")
                .prefetch_related("dispatches__working_group", "events__actor"))


def _dispatch(demand, data):
    return get_object_or_404(demand.dispatches, pk=data.get("dispatch"))


def _group(data):
    return get_object_or_404(WorkingGroup, pk=data.get("to_group"))


def _seen(x):
    return {"expected_status": x.get("expected_status") or None}


ACTIONS = {
    "accept": lambda d, u, x: services.demand_accept(demand=d, actor=u, comment=x["comment"], **_seen(x)),
    "answer-first-contact": lambda d, u, x: services.demand_answer_first_contact(
        demand=d, actor=u, answer=x["answer"], **_seen(x)),
    "review": lambda d, u, x: services.demand_review(demand=d, actor=u, comment=x["comment"], **_seen(x)),
    "send-back": lambda d, u, x: services.demand_send_back(demand=d, actor=u, reason=x["reason"], **_seen(x)),
    "dispatch": lambda d, u, x: services.demand_dispatch(
        demand=d, actor=u, working_groups=WorkingGroup.objects.filter(pk__in=x["working_groups"]),
        comment=x["comment"], **_seen(x)),
    "redispatch": lambda d, u, x: services.demand_redispatch(dispatch=_dispatch(d, x), actor=u,
                                                             to_group=_group(x), reason=x["reason"],
                                                             **_seen(x)),
    "start": lambda d, u, x: services.demand_start(dispatch=_dispatch(d, x), actor=u, **_seen(x)),
    "answer": lambda d, u, x: services.demand_answer(dispatch=_dispatch(d, x), actor=u, answer=x["answer"],
                                                     **_seen(x)),
    "rate": lambda d, u, x: services.demand_rate(demand=d, actor=u, level=x.get("level", ""),
                                                 comment=x["comment"], **_seen(x)),
}


class DemandActionApi(APIView):
    """POST /demands/<id>/<action>/: the same services as the pages. Refusals as every API answers
    them (core.api.refused): 403 not yours, 409 status / stale page / a rule, 400 bad input."""

    @extend_schema(request=ActionInputSerializer, responses=DemandDetailSerializer,
                   parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=list(ACTIONS))])
    def post(self, request, pk, action, **kwargs):
        if action not in ACTIONS:
            return Response({"detail": _("未知操作")}, status=status.HTTP_404_NOT_FOUND)
        demand = get_object_or_404(Demand.objects.visible_to(request.user), pk=pk)
        data = ActionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            demand = ACTIONS[action](demand, request.user, data.validated_data)
        except services.DemandError as error:
            return refused(error)
        return Response(DemandDetailSerializer(demand).data)
