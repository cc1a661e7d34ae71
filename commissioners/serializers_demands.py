"""Read shapes of the demand API, and the inputs its action endpoints accept."""

from rest_framework import serializers

from .choices import RATING_LEVELS, DemandStatus
from .models import Demand, DemandDispatch, DemandEvent


class DispatchSerializer(serializers.ModelSerializer):
    working_group = serializers.CharField(source="working_group.name")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = DemandDispatch
        fields = ("id", "working_group", "status", "status_label", "started_on", "due_on", "answer",
                  "answered_at")


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.__str__", default=None)
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = DemandEvent
        fields = ("id", "created_at", "action", "action_label", "actor", "from_status", "to_status",
                  "comment")


class DemandSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name")
    category = serializers.CharField(source="category.name")
    status_label = serializers.CharField(source="get_status_display")
    holder = serializers.CharField(source="holder_label")
    # The API's name since v1; the model's clock field is started_on (notifications.clocks).
    node_started_on = serializers.DateField(source="started_on", read_only=True, allow_null=True)

    class Meta:
        model = Demand
        fields = ("id", "title", "enterprise", "enterprise_id", "category", "urgency", "raised_via", "status",
                  "status_label", "current_node", "holder", "node_started_on", "due_on", "due_provisional",
                  "warning_level", "leader_attention", "rating", "created_at", "closed_at")


class DemandDetailSerializer(DemandSerializer):
    dispatches = DispatchSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)

    class Meta(DemandSerializer.Meta):
        fields = (*DemandSerializer.Meta.fields, "description", "answer", "sent_back_reason", "dispatches",
                  "events")


class ActionInputSerializer(serializers.Serializer):
    """Every field any action may use; each action reads the ones it needs."""

    comment = serializers.CharField(required=False, allow_blank=True, default="")
    answer = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    level = serializers.ChoiceField(required=False, choices=[r.value for r in RATING_LEVELS])
    working_groups = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    dispatch = serializers.IntegerField(required=False)
    to_group = serializers.IntegerField(required=False)
    expected_status = serializers.ChoiceField(
        required=False, allow_blank=True, default="", choices=DemandStatus.choices,
        help_text="The demand's status as the caller last saw it; another one answers 409 (stale).")
