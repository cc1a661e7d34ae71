"""Read shapes of the demand API, and the inputs its action endpoints accept."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import DisplayField, IdField, PlainRead, Strict

from .choices import RATING_LEVELS, DemandStatus, Urgency
from .models import Demand, DemandCategory, DemandDispatch, DemandEvent


class DispatchSerializer(PlainRead, serializers.ModelSerializer):
    working_group = serializers.CharField(source="working_group.name")
    status_label = DisplayField(source="status")

    class Meta:
        model = DemandDispatch
        fields = ("id", "working_group", "status", "status_label", "started_on", "due_on", "answer",
                  "answered_at")


class EventSerializer(PlainRead, serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.__str__", default=None)
    action_label = DisplayField(source="action")

    class Meta:
        model = DemandEvent
        fields = ("id", "created_at", "action", "action_label", "actor", "from_status", "to_status",
                  "comment")


class DemandSerializer(PlainRead, serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name")
    category = serializers.CharField(source="category.name")
    status_label = DisplayField(source="status")
    holder = serializers.CharField(source="holder_label")
    # The API's name since v1; the model's clock field is started_on (notifications.clocks).
    node_started_on = serializers.DateField(source="started_on", read_only=True, allow_null=True)

    class Meta:
        model = Demand
        fields = ("id", "title", "enterprise", "enterprise_id", "category", "urgency", "raised_via", "status",
                  "status_label", "current_node", "holder", "node_started_on", "due_on", "due_provisional",
                  "warning_level", "leader_attention", "rating", "created_at", "closed_at")


class DemandActionsSerializer(serializers.Serializer):
    """What the caller may do now (the demand page shows these buttons and only these)."""

    accept = serializers.BooleanField()
    answer_first_contact = serializers.BooleanField()
    review = serializers.BooleanField()
    send_back = serializers.BooleanField()
    dispatch = serializers.BooleanField()
    redispatch = serializers.BooleanField()
    rate = serializers.BooleanField()
    start = serializers.ListField(child=serializers.IntegerField(), help_text="Dispatch ids to sign for.")
    answer = serializers.ListField(child=serializers.IntegerField(), help_text="Dispatch ids to answer.")


class DemandDetailSerializer(DemandSerializer):
    dispatches = DispatchSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(DemandSerializer.Meta):
        fields = (*DemandSerializer.Meta.fields, "description", "answer", "sent_back_reason", "dispatches",
                  "events", "actions")

    @extend_schema_field(DemandActionsSerializer)
    def get_actions(self, demand):
        actions = self.context.get("actions")
        if actions is None:
            return None
        return {**{k: v for k, v in actions.items() if k not in ("start", "answer", "any")},
                "start": [d.pk for d in actions["start"]], "answer": [d.pk for d in actions["answer"]]}


class DemandCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = DemandCategory
        fields = ("id", "code", "name")
        read_only_fields = fields


class DemandCreateSerializer(Strict, serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=DemandCategory.objects.filter(is_active=True))
    title = serializers.CharField(max_length=200)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.NORMAL)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


SEEN = {"required": False, "allow_blank": True, "default": "", "choices": DemandStatus.choices,
        "help_text": "The demand's status as the caller last saw it; another one answers 409 (stale)."}


class SeenSerializer(Strict, serializers.Serializer):
    expected_status = serializers.ChoiceField(**SEEN)


class CommentInputSerializer(SeenSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AnswerInputSerializer(SeenSerializer):
    answer = serializers.CharField(allow_blank=True, max_length=5000)


class ReasonInputSerializer(SeenSerializer):
    reason = serializers.CharField(allow_blank=True, max_length=2000)


class DispatchInputSerializer(CommentInputSerializer):
    working_groups = serializers.ListField(child=IdField(), default=list, max_length=20)


class RedispatchInputSerializer(ReasonInputSerializer):
    dispatch = IdField()
    to_group = IdField()


class ShareInputSerializer(SeenSerializer):
    dispatch = IdField()


class ShareAnswerInputSerializer(ShareInputSerializer):
    answer = serializers.CharField(allow_blank=True, max_length=5000)


class RateInputSerializer(CommentInputSerializer):
    level = serializers.ChoiceField(choices=[(r.value, r.label) for r in RATING_LEVELS])
