"""督办 in the API: what a handler or a leader reads, and the inputs of each step."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import IdField, Strict

from . import supervisions
from .models import Supervision, SupervisionReply, SupervisionStatus


class SupervisionReplySerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.__str__", default=None, read_only=True)

    class Meta:
        model = SupervisionReply
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = fields


class SupervisionSerializer(serializers.ModelSerializer):
    matter = serializers.SerializerMethodField(help_text="The kind of matter: stage or demand.")
    matter_id = serializers.IntegerField(source="object_id", read_only=True)
    leader = serializers.CharField(source="leader.__str__", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    level = serializers.SerializerMethodField(help_text="The reply clock's level now (open ones).")
    workdays_left = serializers.SerializerMethodField()

    class Meta:
        model = Supervision
        fields = ["id", "matter", "matter_id", "title", "link", "leader", "instruction", "urgent", "status",
                  "status_display", "started_on", "limit_workdays", "due_on", "due_provisional", "level",
                  "workdays_left", "created_at", "answered_at", "closed_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_matter(self, supervision):
        model = supervision.content_type.model_class()
        kind = supervisions.matter_kinds().get(model)
        return kind.key if kind else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_level(self, supervision):
        if supervision.status != SupervisionStatus.OPEN:
            return None
        return str(supervision.level_on(timezone.localdate()))

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_workdays_left(self, supervision):
        return supervision.workdays_left(timezone.localdate())


class SupervisionDetailSerializer(SupervisionSerializer):
    replies = SupervisionReplySerializer(many=True, read_only=True)
    addressees = serializers.SerializerMethodField()

    class Meta(SupervisionSerializer.Meta):
        fields = [*SupervisionSerializer.Meta.fields, "addressees", "replies"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_addressees(self, supervision):
        return [str(user) for user in supervision.addressees.all()]


SEEN = {"required": False, "allow_blank": True, "default": "", "choices": SupervisionStatus.choices,
        "help_text": "The status the caller last saw; another one answers 409 (stale)."}


class SupervisionOpenSerializer(Strict, serializers.Serializer):
    matter = serializers.ChoiceField(choices=["stage", "demand"])
    matter_id = IdField()
    instruction = serializers.CharField(max_length=2000)


class SupervisionReplyInputSerializer(Strict, serializers.Serializer):
    text = serializers.CharField(max_length=4000)
    expected_status = serializers.ChoiceField(**SEEN)


class SupervisionCloseInputSerializer(Strict, serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    expected_status = serializers.ChoiceField(**SEEN)


class SupervisionContinueInputSerializer(Strict, serializers.Serializer):
    instruction = serializers.CharField(max_length=2000)
    expected_status = serializers.ChoiceField(**SEEN)
