"""A small read API scoped by visible_to, and action endpoints calling the same services."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import refused

from . import selectors, services
from .errors import ApprovalError
from .models import ApprovalStage, Project
from .serializers import CommentSerializer, ProjectSerializer, RejectSerializer, StageSerializer


class ProjectListApi(generics.ListAPIView):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.project_list_for(self.request.user, q=params.get("q", ""),
                                          status=params.get("status", ""))


class ProjectDetailApi(generics.RetrieveAPIView):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        return selectors.project_list_for(self.request.user)


class ProjectSubmitApi(APIView):
    """POST /api/v1/projects/<id>/submit/ — 提交审批 (refused while stage 1 lacks key materials)."""

    def post(self, request, pk, **kwargs):
        project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.project_submit(project=project, actor=request.user, comment=data["comment"],
                                    expected_status=data["expected_status"] or None)
        except ApprovalError as exc:
            return refused(exc)
        return Response(ProjectSerializer(selectors.project_detail_for(request.user, pk)).data)


class StageActionApi(APIView):
    """POST /api/v1/stages/<id>/<action>/ — approve, reject, accept, resume."""

    actions = {
        "accept": (CommentSerializer, services.stage_accept),
        "approve": (CommentSerializer, services.stage_approve),
        "resume": (CommentSerializer, services.stage_resume),
        "reject": (RejectSerializer, services.stage_reject),
    }

    def post(self, request, pk, action, **kwargs):
        if action not in self.actions:
            return Response({"detail": _("未知操作")}, status=status.HTTP_404_NOT_FOUND)
        visible = ApprovalStage.objects.filter(project__in=Project.objects.visible_to(request.user))
        stage = get_object_or_404(visible.select_related("project", "policy"), pk=pk)
        serializer_class, service = self.actions[action]
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["expected_status"] = data.get("expected_status") or None
        try:
            stage = service(stage=stage, actor=request.user, **data)
        except ApprovalError as exc:
            return refused(exc)
        stage = ApprovalStage.objects.select_related("policy").prefetch_related("pauses").get(pk=stage.pk)
        return Response(StageSerializer(stage).data)
