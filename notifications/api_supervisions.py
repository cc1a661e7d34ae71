"""督办 in the API: 我的督办 / 我督办的, a leader opens one on a stage or a demand, the handler
replies, the leader closes it or supervises again — each through notifications.supervisions."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import CursorPage, SelectorFilters, errors, refused

from . import selectors, supervisions
from .models import Supervision, SupervisionStatus
from .serializers_supervisions import (
    SupervisionCloseInputSerializer,
    SupervisionContinueInputSerializer,
    SupervisionDetailSerializer,
    SupervisionOpenSerializer,
    SupervisionReplyInputSerializer,
    SupervisionSerializer,
)
from .supervision_rules import can_supervise


class SupervisionFilter(django_filters.FilterSet):
    scope = django_filters.ChoiceFilter(choices=[("mine", "mine"), ("issued", "issued"), ("all", "all")],
                                        help_text="mine: awaiting my reply (default); issued: mine as "
                                                  "leader; all (leaders).")
    answered = django_filters.ChoiceFilter(choices=[("yes", "yes"), ("no", "no")])
    status = django_filters.ChoiceFilter(choices=SupervisionStatus.choices)

    class Meta:
        model = Supervision
        fields = []


def _matter(kind_key, pk):
    """The registered matter of this kind and id (404 when there is none)."""
    for model, kind in supervisions.matter_kinds().items():
        if kind.key == kind_key:
            matter = model._base_manager.filter(pk=pk).first()
            if matter is not None:
                return matter
    raise exceptions.NotFound(_("该事项不存在"))


class SupervisionApi(SelectorFilters, mixins.ListModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"[0-9]+"
    serializer_class = SupervisionSerializer
    filterset_class = SupervisionFilter
    pagination_class = CursorPage

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Supervision.objects.none()
        return selectors.supervisions_visible_to(self.request.user).select_related("leader", "content_type")

    def select(self, params):
        rows = selectors.supervision_list_for(self.request.user, scope=params.get("scope") or "mine",
                                              answered=params.get("answered") or "")
        if params.get("status"):
            rows = rows.filter(status=params["status"])
        return rows.select_related("content_type")

    def _detail(self, pk):
        supervision = self.get_queryset().prefetch_related("replies__author", "addressees").get(pk=pk)
        return SupervisionDetailSerializer(supervision).data

    @extend_schema(responses=SupervisionDetailSerializer)
    def retrieve(self, request, pk=None, **kwargs):
        return Response(SupervisionDetailSerializer(self.get_object()).data)

    @extend_schema(request=SupervisionOpenSerializer,
                   responses={201: SupervisionDetailSerializer, **errors(403, 404, 409)})
    def create(self, request, **kwargs):
        """督办 a stage or a demand (leaders and admins): its handlers are told at once."""
        data = SupervisionOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not can_supervise(request.user):
            raise exceptions.PermissionDenied(_("只有委领导和系统管理员可以督办"))
        matter = _matter(data.validated_data["matter"], data.validated_data["matter_id"])
        try:
            supervision = supervisions.supervision_open(matter=matter, actor=request.user,
                                                        instruction=data.validated_data["instruction"])
        except supervisions.SupervisionError as error:
            return refused(error)
        return Response(self._detail(supervision.pk), status=status.HTTP_201_CREATED)

    def _step(self, request, input_serializer, call):
        supervision = self.get_object()
        data = input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["expected_status"] = values.get("expected_status") or None
        try:
            call(supervision=supervision, actor=request.user, **values)
        except supervisions.SupervisionError as error:
            return refused(error)
        return Response(self._detail(supervision.pk))

    @extend_schema(request=SupervisionReplyInputSerializer,
                   responses={200: SupervisionDetailSerializer, **errors(403, 409)})
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None, **kwargs):
        """办理情况回复 (an addressee): the reply clock stops and the leader is told."""
        return self._step(request, SupervisionReplyInputSerializer, supervisions.supervision_reply)

    @extend_schema(request=SupervisionCloseInputSerializer,
                   responses={200: SupervisionDetailSerializer, **errors(403, 409)})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None, **kwargs):
        """满意: the leader closes the 督办."""
        return self._step(request, SupervisionCloseInputSerializer, supervisions.supervision_close)

    @extend_schema(request=SupervisionContinueInputSerializer,
                   responses={200: SupervisionDetailSerializer, **errors(403, 409)})
    @action(detail=True, methods=["post"], url_path="continue", url_name="continue")
    def continue_(self, request, pk=None, **kwargs):
        """继续督办: this one ends and a new one starts with a fresh reply clock (its detail returned)."""
        supervision = self.get_object()
        data = SupervisionContinueInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            following = supervisions.supervision_continue(
                supervision=supervision, actor=request.user, instruction=data.validated_data["instruction"],
                expected_status=data.validated_data["expected_status"] or None)
        except supervisions.SupervisionError as error:
            return refused(error)
        return Response(self._detail(following.pk))
