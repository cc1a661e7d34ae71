from django.utils import timezone
from rest_framework import serializers

from . import clock, selectors
from .models import ApprovalStage, Project


class StageSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    used = serializers.SerializerMethodField()
    sentence = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalStage
        fields = ["id", "order", "kind", "kind_display", "status", "status_display", "budget_workdays",
                  "accepted_on", "due_on", "provisional", "paused_workdays", "used_workdays", "finished_on",
                  "warning_level", "used", "sentence"]

    def get_used(self, stage):
        return clock.used(stage, today=timezone.localdate())

    def get_sentence(self, stage):
        return selectors.stage_sentence(stage, today=timezone.localdate())


class ProjectSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name", read_only=True)
    category = serializers.CharField(source="category.name", read_only=True)
    limit_workdays = serializers.IntegerField(source="category.limit_workdays", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = ["id", "code", "name", "enterprise", "category", "limit_workdays", "status",
                  "status_display",
                  "is_major", "total_investment", "signed_amount", "submitted_on", "finished_on", "stages"]


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    expected_status = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField()
    expected_status = serializers.CharField(required=False, allow_blank=True, default="")
