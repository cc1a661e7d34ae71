"""The shape of dashboard/summary: dashboard.selectors.dashboard_figures, as JSON."""

from rest_framework import serializers


def _shape(component, /, **fields):
    return type(component, (serializers.Serializer,), fields)


Count = _shape("DashboardCount", key=serializers.CharField(), name=serializers.CharField(),
               count=serializers.IntegerField())
Late = _shape("DashboardLate", title=serializers.CharField(), who=serializers.CharField(),
              due_on=serializers.DateField(), overdue_workdays=serializers.IntegerField(),
              url=serializers.CharField())
Projects = _shape("DashboardProjects", total=serializers.IntegerField(), open=serializers.IntegerField(),
                  completed=serializers.IntegerField(), major=serializers.IntegerField(),
                  major_signed_yi=serializers.FloatField(help_text="Signed amount of major projects, 亿元."))
StageLevels = _shape("DashboardStageLevels", **{key: serializers.IntegerField() for key in (
    "open", "green", "yellow", "red", "escalated", "overdue")})
StageDuration = _shape("DashboardStageDuration", kind=serializers.CharField(), name=serializers.CharField(),
                       n=serializers.IntegerField(), used=serializers.FloatField(allow_null=True),
                       budget=serializers.FloatField(allow_null=True))
Demands = _shape("DashboardDemands", **{key: serializers.IntegerField() for key in (
    "total", "closed", "open", "urgent_open", "overdue", "attention")},
    closed_rate=serializers.FloatField(allow_null=True, help_text="Percent closed."))
GroupLoad = _shape("DashboardWorkingGroup", name=serializers.CharField(), total=serializers.IntegerField(),
                   open=serializers.IntegerField(), answered=serializers.IntegerField())
Satisfaction = _shape("DashboardSatisfaction", satisfied=serializers.IntegerField(),
                      unsatisfied=serializers.IntegerField(), unrated=serializers.IntegerField(),
                      rate=serializers.FloatField(allow_null=True,
                                                  help_text="Percent satisfied of those rated."))
PendingRow = _shape("DashboardPendingEscalation", id=serializers.IntegerField(),
                    level=serializers.CharField(),
                    title=serializers.CharField(), link=serializers.CharField(allow_blank=True),
                    urgent=serializers.BooleanField(), created_at=serializers.DateTimeField())
Pending = _shape("DashboardPendingSupervision", count=serializers.IntegerField(), rows=PendingRow(many=True))


class CategoryCountSerializer(serializers.Serializer):
    categories = serializers.ListField(child=serializers.CharField())
    series = _shape("DashboardCategorySeries", key=serializers.CharField(), name=serializers.CharField(),
                    data=serializers.ListField(child=serializers.IntegerField()))(many=True)


class DashboardSummarySerializer(serializers.Serializer):
    today = serializers.DateField()
    projects = Projects()
    projects_by_status = Count(many=True)
    projects_by_category = CategoryCountSerializer()
    stage_levels = StageLevels()
    stage_durations = StageDuration(many=True)
    overdue_stages = Late(many=True)
    demands = Demands()
    demands_by_status = Count(many=True)
    demands_by_working_group = GroupLoad(many=True)
    satisfaction = Satisfaction()
    overdue_demands = Late(many=True)
    supervision = Pending()
