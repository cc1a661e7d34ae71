"""Projects, stages and materials: reads scoped by visible_to (through the selectors the pages
use), every write through approvals.services; refusals mapped by core.api.refused."""

import django_filters
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.roles import ENTERPRISE
from core import transitions
from core.api import BooleanFilter, CursorPage, NumberPage, SelectorFilters, errors, refused
from enterprises.selectors import enterprise_of

from . import selectors, services
from .choices import ProjectStatus, StageKind, StageStatus
from .errors import ApprovalError
from .models import ApprovalStage, Department, Material, Project, ProjectCategory
from .serializers import (
    AcceptSerializer,
    CategorySerializer,
    CommentSerializer,
    MaterialSerializer,
    MaterialUploadSerializer,
    PauseInputSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
    RejectSerializer,
    ReviewInputSerializer,
    StageDetailSerializer,
    StageSerializer,
    SupplementSerializer,
)

ACTION_ERRORS = errors(403, 409)


def _seen(data):
    data = dict(data)
    data["expected_status"] = data.get("expected_status") or None
    return data


# --- projects ------------------------------------------------------------------------------------

class CategoryListApi(generics.ListAPIView):
    """项目类别 and their limits in working days (60/50/24): what a new project names."""

    serializer_class = CategorySerializer
    pagination_class = None
    filter_backends = []
    queryset = ProjectCategory.objects.all()


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(max_length=100, help_text="Project name or code, or enterprise name.")
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices)
    category = django_filters.ModelChoiceFilter(queryset=ProjectCategory.objects.all())
    major = BooleanFilter()

    class Meta:
        model = Project
        fields = []


class ProjectApi(SelectorFilters, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Projects the caller may see (a draft only by its enterprise); an enterprise creates,
    submits and withdraws its own."""

    lookup_value_regex = r"[0-9]+"
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    pagination_class = CursorPage

    def get_queryset(self):
        return selectors.project_list_for(self.request.user)

    def select(self, params):
        major = params.get("major")
        return selectors.project_list_for(
            self.request.user, q=params.get("q") or "", status=params.get("status") or "",
            category=getattr(params.get("category"), "pk", ""),
            major="" if major is None else str(int(major)))

    def _detail(self, pk):
        try:
            return ProjectSerializer(selectors.project_detail_for(self.request.user, pk)).data
        except ObjectDoesNotExist as exc:
            raise Http404 from exc

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer, **errors(403, 409)},
                   examples=[OpenApiExample("create", request_only=True, value={
                       "name": "新材料产业园一期", "code": "2026-510000-00-01-000001", "category": 1,
                       "total_investment": "50000000.00", "is_major": True})])
    def create(self, request, **kwargs):
        """Create a draft project for the caller's enterprise (enterprise users only)."""
        data = ProjectCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enterprise = enterprise_of(request.user) if request.user.has_role(ENTERPRISE) else None
        if enterprise is None:
            return Response({"detail": _("只有企业用户可以申报项目"), "code": "forbidden"},
                            status=status.HTTP_403_FORBIDDEN)
        try:
            project = services.project_create(actor=request.user, enterprise=enterprise,
                                              **data.validated_data)
        except ApprovalError as exc:
            if exc.code == "duplicate":  # the code is taken: the caller's input, named by field
                raise exceptions.ValidationError({"code": [exc.text]}) from exc
            return refused(exc)
        return Response(self._detail(project.pk), status=status.HTTP_201_CREATED)

    def _act(self, request, pk, service):
        project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            service(project=project, actor=request.user, **_seen(data.validated_data))
        except ApprovalError as exc:
            return refused(exc)
        return Response(self._detail(pk))

    @extend_schema(request=CommentSerializer, responses={200: ProjectSerializer, **ACTION_ERRORS})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None, **kwargs):
        """提交审批: refused (409, condition) while stage 1 lacks a key material."""
        return self._act(request, pk, services.project_submit)

    @extend_schema(request=CommentSerializer, responses={200: ProjectSerializer, **ACTION_ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None, **kwargs):
        """撤回: the project and its open stages end."""
        return self._act(request, pk, services.project_withdraw)


# --- stages --------------------------------------------------------------------------------------

# action key -> (the transition it runs, its input, the service)
STAGE_ACTIONS = {
    "accept": ("accept", AcceptSerializer, services.stage_accept),
    "review": ("record_review", ReviewInputSerializer, services.stage_review_submit),
    "supplement": ("request_supplement", SupplementSerializer, services.stage_request_supplement),
    "resubmit": ("resubmit", CommentSerializer, services.stage_resubmit),
    "pause": ("pause", PauseInputSerializer, services.stage_pause),
    "resume": ("resume", CommentSerializer, services.stage_resume),
    "approve": ("approve", CommentSerializer, services.stage_approve),
    "reject": ("reject", RejectSerializer, services.stage_reject),
}


def stage_actions_for(stage, user):
    """The actions the user may take now (the stage page shows these buttons). 提交补正材料 is
    offered while its files are still missing: the refusal names the items that lack one."""
    names = {t.name for t in stage.get_available_user_status_transitions(user)}
    resubmit = stage.resubmit
    if can_proceed(resubmit, check_conditions=False) and transitions.holds_permission(resubmit, user):
        names.add("resubmit")
    return [key for key, (transition, _input, _service) in STAGE_ACTIONS.items() if transition in names]


class StageFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(min_value=1, max_value=2**31 - 1,
                                          help_text="The stages of one project, in order.")
    queue = BooleanFilter(help_text="The caller's approval queue, earliest deadline first.")
    q = django_filters.CharFilter(max_length=100, help_text="With queue: project name or code, enterprise.")
    kind = django_filters.ChoiceFilter(choices=StageKind.choices)
    status = django_filters.ChoiceFilter(choices=StageStatus.choices)
    overdue = BooleanFilter(help_text="With queue: only stages past their due date.")

    class Meta:
        model = ApprovalStage
        fields = []


def _stage_detail(user, pk, *, today=None):
    try:
        stage = selectors.stage_for(user, pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    context = {"actions": stage_actions_for(stage, user), "today": today or timezone.localdate(),
               "user": user}
    return StageDetailSerializer(stage, context=context).data


def _stage_action(key):
    transition, input_serializer, service = STAGE_ACTIONS[key]

    def act(self, request, pk=None, **kwargs):
        stage = get_object_or_404(self.get_queryset().select_related("project", "policy"), pk=pk)
        data = input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = _seen(data.validated_data)
        if key == "review":
            values["department"] = Department.objects.filter(pk=values["department"]).first()
            if values["department"] is None:
                raise exceptions.ValidationError({"department": [_("该部门不存在")]})
        try:
            service(stage=stage, actor=request.user, **values)
        except ApprovalError as exc:
            return refused(exc)
        return Response(_stage_detail(request.user, stage.pk))

    act.__name__ = key  # the router maps the POST to this attribute name
    act = action(detail=True, methods=["post"], url_path=key, url_name=key)(act)
    return extend_schema(request=input_serializer, summary=f"Stage action: {key}",
                         responses={200: StageDetailSerializer, **ACTION_ERRORS})(act)


class StageApi(SelectorFilters, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Stages by project (?project=) or the caller's queue (?queue=true); the detail names the
    actions the caller may take now, each of which is a POST here."""

    lookup_value_regex = r"[0-9]+"
    serializer_class = StageSerializer
    filterset_class = StageFilter
    pagination_class = NumberPage

    def get_queryset(self):
        return ApprovalStage.objects.filter(project__in=Project.objects.visible_to(self.request.user))

    def select(self, params):
        user = self.request.user
        if params.get("queue"):
            return selectors.approver_queue(user, q=params.get("q") or "", kind=params.get("kind") or "",
                                            status=params.get("status") or "",
                                            overdue=bool(params.get("overdue")))
        stages = (self.get_queryset().select_related("policy")
                  .prefetch_related(selectors.open_pause_prefetch()))
        if params.get("project"):
            stages = stages.filter(project_id=params["project"])
        if params.get("kind"):
            stages = stages.filter(kind=params["kind"])
        if params.get("status"):
            stages = stages.filter(status=params["status"])
        if params.get("overdue"):
            stages = stages.overdue(timezone.localdate())
        return stages.order_by("project_id", "order")

    @extend_schema(responses=StageDetailSerializer)
    def retrieve(self, request, pk=None, **kwargs):
        return Response(_stage_detail(request.user, pk))

    accept = _stage_action("accept")
    review = _stage_action("review")
    supplement = _stage_action("supplement")
    resubmit = _stage_action("resubmit")
    pause = _stage_action("pause")
    resume = _stage_action("resume")
    approve = _stage_action("approve")
    reject = _stage_action("reject")

    @extend_schema(methods=["GET"], responses=MaterialSerializer(many=True))
    @extend_schema(methods=["POST"], request={"multipart/form-data": MaterialUploadSerializer},
                   responses={201: MaterialSerializer, **errors(403, 409)})
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser],
            pagination_class=None)
    def materials(self, request, pk=None, **kwargs):
        """GET: the stage's files. POST (multipart: requirement_key or supplement_item, file): upload
        one for a line of the stage's checklist, or for an item of its open 补正 request (each item
        needs one before resubmit), checked by type and size (enterprise users of the project)."""
        stage = get_object_or_404(self.get_queryset().select_related("project", "policy"), pk=pk)
        if request.method == "GET":
            rows = stage.materials.select_related("uploaded_by").order_by("requirement_key", "-uploaded_at")
            return Response(MaterialSerializer(rows, many=True).data)
        data = MaterialUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            if "supplement_item" in values:
                material = services.supplement_upload(stage=stage, actor=request.user,
                                                      item=values["supplement_item"], upload=values["file"])
            else:
                material = services.material_upload(stage=stage, actor=request.user,
                                                    requirement_key=values["requirement_key"],
                                                    upload=values["file"])
        except ApprovalError as exc:
            return refused(exc)
        return Response(MaterialSerializer(material).data, status=status.HTTP_201_CREATED)


class MaterialApi(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A material's record and its file, for whoever may see its project."""

    lookup_value_regex = r"[0-9]+"
    serializer_class = MaterialSerializer

    def get_queryset(self):
        return (Material.objects.filter(stage__project__in=Project.objects.visible_to(self.request.user))
                .select_related("uploaded_by"))

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None, **kwargs):
        material = self.get_object()
        try:
            handle = material.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=material.original_name,
                            content_type=material.content_type)
