"""Read shapes of the approvals API and the inputs of its actions (each action its own)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.roles import ENTERPRISE
from core.api import DisplayField, IdField, PlainRead, Strict

from . import clock, selectors
from .choices import Opinion, PauseKind
from .models import ApprovalStage, ClockPause, Material, Project, ProjectCategory, StageReview


def _today(serializer):
    """One day for the whole response, kept in the (shared) context after the first row asks."""
    context = serializer.context
    if not context.get("today"):
        context["today"] = timezone.localdate()
    return context["today"]


def _for_enterprise(serializer):
    """The applicant's instructions go to enterprise users only (they see only their own projects);
    asked once per response."""
    context = serializer.context
    if "for_enterprise" not in context:
        user = context.get("user") or getattr(context.get("request"), "user", None)
        context["for_enterprise"] = bool(user and user.is_authenticated and user.has_role(ENTERPRISE))
    return context["for_enterprise"]


class PauseSerializer(PlainRead, serializers.ModelSerializer):
    kind_display = DisplayField(source="kind", read_only=True)

    class Meta:
        model = ClockPause
        fields = ["id", "kind", "kind_display", "legal_basis", "items", "comment", "started_on", "ended_on",
                  "paused_workdays"]
        read_only_fields = fields


class ReviewSerializer(PlainRead, serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", read_only=True)
    department_id = serializers.IntegerField(read_only=True)
    opinion_display = DisplayField(source="opinion", read_only=True)
    reviewer = serializers.CharField(source="reviewer.__str__", default=None, read_only=True)

    class Meta:
        model = StageReview
        fields = ["id", "department_id", "department", "opinion", "opinion_display", "comment", "reviewer",
                  "at"]
        read_only_fields = fields


class StageSerializer(PlainRead, serializers.ModelSerializer):
    kind_display = DisplayField(source="kind", read_only=True)
    status_display = DisplayField(source="status", read_only=True)
    used = serializers.SerializerMethodField(help_text="Working days used so far (the clock's reading).")
    remaining = serializers.SerializerMethodField(help_text="Working days left of the budget (negative: "
                                                            "over).")
    level = serializers.SerializerMethodField(help_text="The warning level a page shows now.")
    sentence = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalStage
        fields = ["id", "project_id", "order", "kind", "kind_display", "status", "status_display",
                  "budget_workdays", "accepted_on", "due_on", "provisional", "paused_workdays",
                  "paused_since", "used_workdays", "finished_on", "warning_level", "level", "used",
                  "remaining",
                  "sentence"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_used(self, stage) -> int:
        return clock.used(stage, today=_today(self))

    @extend_schema_field(serializers.IntegerField())
    def get_remaining(self, stage) -> int:
        return clock.remaining(stage, today=_today(self))

    @extend_schema_field(serializers.CharField())
    def get_level(self, stage) -> str:
        return str(selectors.live_level(stage, today=_today(self)))

    @extend_schema_field(serializers.CharField())
    def get_sentence(self, stage) -> str:
        return selectors.stage_sentence(stage, today=_today(self), for_enterprise=_for_enterprise(self))


class RequirementSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    is_key = serializers.BooleanField()
    uploaded = serializers.BooleanField()


class StageDetailSerializer(StageSerializer):
    project = serializers.CharField(source="project.name", read_only=True)
    open_pauses = serializers.SerializerMethodField()
    pauses = PauseSerializer(many=True, read_only=True)
    reviews = ReviewSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField(help_text="The actions the caller may take now.")
    requirements = serializers.SerializerMethodField()

    class Meta(StageSerializer.Meta):
        fields = [*StageSerializer.Meta.fields, "project", "supplement_items", "decision_reason",
                  "missing_items", "commitment_due_on", "commitment_met_on", "open_pauses", "pauses",
                  "reviews", "requirements", "actions"]
        read_only_fields = fields

    @extend_schema_field(PauseSerializer(many=True))
    def get_open_pauses(self, stage):
        return PauseSerializer([p for p in stage.pauses.all() if p.ended_on is None], many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, stage):
        return self.context.get("actions", [])

    @extend_schema_field(RequirementSerializer(many=True))
    def get_requirements(self, stage):
        uploaded = {m.requirement_key for m in stage.materials.all()}
        return [{"key": r.key, "name": r.name, "is_key": r.is_key, "uploaded": r.key in uploaded}
                for r in stage.policy.requirements.all()]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectCategory
        fields = ["id", "code", "name", "limit_workdays", "description"]
        read_only_fields = fields


class ProjectSerializer(PlainRead, serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name", read_only=True)
    category = serializers.CharField(source="category.name", read_only=True)
    category_id = serializers.IntegerField(read_only=True)
    limit_workdays = serializers.IntegerField(source="category.limit_workdays", read_only=True)
    status_display = DisplayField(source="status", read_only=True)
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = ["id", "code", "name", "enterprise", "enterprise_id", "category", "category_id",
                  "limit_workdays",
                  "status", "status_display", "location", "is_major", "total_investment", "signed_amount",
                  "submitted_on", "finished_on", "created_at", "stages"]
        read_only_fields = fields


class ProjectCreateSerializer(Strict, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=50, help_text="The investment platform's project code, unique.")
    category = serializers.PrimaryKeyRelatedField(queryset=ProjectCategory.objects.all())
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    total_investment = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    signed_amount = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=0, required=False,
                                             default=0)
    is_major = serializers.BooleanField(required=False, default=False)
    introduced_on = serializers.DateField(required=False, allow_null=True, default=None)
    construction_started_on = serializers.DateField(required=False, allow_null=True, default=None)


SEEN = {"required": False, "allow_blank": True, "default": "", "max_length": 30,
        "help_text": "The status the caller last saw; another one answers 409 (stale)."}


class CommentSerializer(Strict, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    expected_status = serializers.CharField(**SEEN)


class RejectSerializer(Strict, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    expected_status = serializers.CharField(**SEEN)


class AcceptSerializer(CommentSerializer):
    missing_items = serializers.ListField(child=serializers.SlugField(max_length=40), required=False,
                                          default=list, max_length=50,
                                          help_text="Non-key requirements accepted as missing (容缺).")
    commitment_workdays = serializers.IntegerField(required=False, allow_null=True, default=None,
                                                   min_value=1, max_value=clock.COMMITMENT_MAX_WORKDAYS)


class ReviewInputSerializer(CommentSerializer):
    department = IdField()
    opinion = serializers.ChoiceField(choices=[Opinion.AGREE, Opinion.DISAGREE])


class SupplementSerializer(CommentSerializer):
    items = serializers.ListField(child=serializers.CharField(max_length=500), min_length=1, max_length=50)


# 补正 has its own action (supplement): a pause is a hearing, a test or an expert review.
PAUSE_KINDS = [(k.value, k.label) for k in PauseKind if k != PauseKind.SUPPLEMENT]


class PauseInputSerializer(CommentSerializer):
    kind = serializers.ChoiceField(choices=PAUSE_KINDS)
    legal_basis = serializers.CharField(max_length=300)


class MaterialSerializer(PlainRead, serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.__str__", default=None, read_only=True)

    class Meta:
        model = Material
        fields = ["id", "stage_id", "requirement_key", "pause_id", "supplement_item", "original_name", "size",
                  "content_type", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class MaterialUploadSerializer(Strict, serializers.Serializer):
    requirement_key = serializers.SlugField(max_length=40, required=False,
                                            help_text="A line of the stage's checklist.")
    supplement_item = serializers.IntegerField(min_value=0, max_value=99, required=False,
                                               help_text="Or: the index of an item of the open 补正 request.")
    file = serializers.FileField()

    def validate(self, attrs):
        if ("requirement_key" in attrs) == ("supplement_item" in attrs):
            raise serializers.ValidationError(_("请指定 requirement_key 或 supplement_item 之一"))
        return attrs
