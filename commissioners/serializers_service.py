"""Read shapes of enterprises, visits and policies in the API, and the inputs that create them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import DisplayField, IdField, PlainRead, Strict
from enterprises.models import Enterprise, Industry

from .choices import Urgency
from .models import DemandCategory, Policy, Visit


class EnterpriseSerializer(PlainRead, serializers.ModelSerializer):
    industry = serializers.CharField(source="industry.name", read_only=True)
    list_status_display = DisplayField(source="list_status", read_only=True)
    commissioner = serializers.SerializerMethodField(help_text="The current primary commissioner (定点服务).")

    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "industry", "industry_id", "list_status",
                  "list_status_display",
                  "is_leading", "address", "commissioner"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_commissioner(self, enterprise):
        assignments = getattr(enterprise, "active_assignments", None)
        if assignments is None:
            current = getattr(enterprise, "current_assignment", None)
            assignments = [current] if current else []
        return str(assignments[0].commissioner.user) if assignments else None


class EnterpriseDetailSerializer(EnterpriseSerializer):
    leaders = serializers.SerializerMethodField(help_text="Paired committee leaders (else the industry's).")

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "contact_name", "contact_phone", "leaders"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_leaders(self, enterprise):
        return [str(leader) for leader in (enterprise.leaders or enterprise.industry_leaders)]


class VisitSerializer(PlainRead, serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.name", read_only=True)
    commissioner = serializers.CharField(source="commissioner.user.__str__", read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "enterprise_id", "enterprise", "commissioner", "visited_on", "people_met", "notes",
                  "output_value", "employees", "orders", "created_at"]
        read_only_fields = fields


class VisitDetailSerializer(VisitSerializer):
    policies = serializers.SerializerMethodField()
    demands = serializers.SerializerMethodField()

    class Meta(VisitSerializer.Meta):
        fields = [*VisitSerializer.Meta.fields, "policies", "demands"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_policies(self, visit):
        return [policy.pk for policy in visit.policies.all()]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_demands(self, visit):
        return [demand.pk for demand in visit.demands.all()]


class VisitDemandInputSerializer(Strict, serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=DemandCategory.objects.filter(is_active=True))
    title = serializers.CharField(max_length=200)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.NORMAL)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": 0, "required": False, "allow_null": True,
          "default": None}


class VisitCreateSerializer(Strict, serializers.Serializer):
    enterprise = IdField()
    visited_on = serializers.DateField()
    people_met = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    output_value = serializers.DecimalField(**AMOUNT)
    employees = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False, allow_null=True,
                                         default=None)
    orders = serializers.DecimalField(**AMOUNT)
    policies = serializers.PrimaryKeyRelatedField(queryset=Policy.objects.all(), many=True, required=False,
                                                  default=list)
    demands = VisitDemandInputSerializer(many=True, required=False, default=list)


class PolicySerializer(serializers.ModelSerializer):
    industries = serializers.SerializerMethodField()
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Policy
        fields = ["id", "title", "issuing_body", "document_number", "summary", "industries", "valid_from",
                  "valid_to", "link", "has_file", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_industries(self, policy):
        return [industry.name for industry in policy.industries.all()]

    @extend_schema_field(serializers.BooleanField())
    def get_has_file(self, policy):
        return bool(policy.file)


class PolicyCreateSerializer(Strict, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    issuing_body = serializers.CharField(max_length=100)
    document_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    summary = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    industries = serializers.PrimaryKeyRelatedField(queryset=Industry.objects.all(), many=True,
                                                    required=False, default=list)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)
    link = serializers.URLField(max_length=200)
