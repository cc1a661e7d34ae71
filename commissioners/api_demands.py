"""The demand API: a scoped read (the user's visible demands) and actions calling the services."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .models import Demand, WorkingGroup
from .models.demands import DemandStatus
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


ACTIONS = {
    "accept": lambda d, u, x: services.demand_accept(demand=d, actor=u, comment=x["comment"]),
    "answer-first-contact": lambda d, u, x: services.demand_answer_first_contact(demand=d, actor=u,
                                                                                  answer=x["answer"]),
    "review": lambda d, u, x: services.demand_review(demand=d, actor=u, comment=x["comment"]),
    "send-back": lambda d, u, x: services.demand_send_back(demand=d, actor=u, reason=x["reason"]),
    "dispatch": lambda d, u, x: services.demand_dispatch(
        demand=d, actor=u, working_groups=WorkingGroup.objects.filter(pk__in=x["working_groups"]),
        comment=x["comment"]),
    "redispatch": lambda d, u, x: services.demand_redispatch(dispatch=_dispatch(d, x), actor=u,
                                                             to_group=_group(x), reason=x["reason"]),
    "start": lambda d, u, x: services.demand_start(dispatch=_dispatch(d, x), actor=u),
    "answer": lambda d, u, x: services.demand_answer(dispatch=_dispatch(d, x), actor=u, answer=x["answer"]),
    "rate": lambda d, u, x: services.demand_rate(demand=d, actor=u, level=x.get("level", ""),
                                                 comment=x["comment"]),
}


class DemandActionApi(APIView):
    """POST /demands/<id>/<action>/: the same services as the pages; 400 or 403 with the message."""

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
        except services.DemandPermissionError as error:
            return Response({"detail": error.text}, status=status.HTTP_403_FORBIDDEN)
        except services.DemandError as error:
            return Response({"detail": error.text}, status=status.HTTP_400_BAD_REQUEST)
        return Response(DemandDetailSerializer(demand).data)
