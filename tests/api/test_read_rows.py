"""The API lists' rows (core.api.PlainRead, DisplayField) are what DRF's own field dispatch and
get_<field>_display() give, key for key, in Chinese and English; and a list costs the same
statements with 2 or 8 projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework import serializers

from approvals import services as approvals
from approvals.models import ApprovalStage, Material, Project
from approvals.serializers import MaterialSerializer, ProjectSerializer, StageSerializer
from commissioners.models import Demand, Visit
from commissioners.serializers_demands import DemandSerializer, DispatchSerializer, EventSerializer
from commissioners.serializers_service import EnterpriseSerializer, VisitSerializer
from commissioners.services import demand_accept
from tests import factories as f
from tests.approvals import factories as af

V1 = "/api/v1"


def _drf(serializer, instance):
    """The row as DRF's Serializer.to_representation builds it (field by field)."""
    return serializers.Serializer.to_representation(serializer, instance)


def _same(serializer_class, instances, **context):
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for instance in instances:
                serializer = serializer_class(context=context)
                plain = serializer.to_representation(instance)
                assert list(plain.items()) == list(_drf(serializer, instance).items())


def test_rows_are_what_drf_gives(world, personas):
    demand_accept(demand=world["demand_a"], actor=personas.carol, comment="收到")
    projects = list(Project.objects.select_related("enterprise", "category").order_by("pk"))
    stages = list(ApprovalStage.objects.select_related("policy").order_by("pk"))
    assert {s.status for s in stages} > {"accepted"}
    _same(ProjectSerializer, projects, user=personas.leo)
    _same(StageSerializer, stages, user=personas.alice)  # the applicant's sentences
    _same(StageSerializer, stages, user=personas.adam)
    demands = list(Demand.objects.select_related("enterprise", "category").order_by("pk"))
    _same(DemandSerializer, demands)
    _same(EventSerializer, [e for d in demands for e in d.events.all()])
    _same(EnterpriseSerializer, [personas.enterprise_a, personas.enterprise_b])
    _same(MaterialSerializer, list(Material.objects.select_related("uploaded_by")))


def test_rows_with_missing_relations_and_unknown_choices(world, personas):
    stage = ApprovalStage(project=world["project_a"], order=9, kind="elsewhere", status="odd",
                          budget_workdays=3)
    row = StageSerializer(context={"user": personas.adam}).to_representation(stage)
    assert row["status_display"] == "odd" and row["kind_display"] == "elsewhere"
    visit = Visit(enterprise=personas.enterprise_a, commissioner=personas.carol.commissioner_profile,
                  visited_on=world["stage_a"].accepted_on)
    _same(VisitSerializer, [visit])
    _same(DispatchSerializer, list(world["demand_a"].dispatches.all()))


def test_labels_follow_the_language(world):
    stage = world["stage_a"]
    rows = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            rows[language] = StageSerializer(context={}).to_representation(stage)
            assert rows[language]["status_display"] == stage.get_status_display()
            assert rows[language]["kind_display"] == stage.get_kind_display()
    assert rows["en"]["status_display"] != rows["zh-hans"]["status_display"]


def _statements(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.json()


@pytest.mark.parametrize("url", [f"{V1}/projects/", f"{V1}/demands/", f"{V1}/enterprises/"])
def test_lists_cost_the_same_statements_with_more_rows(api, world, personas, url):
    client = api("leo")
    client.get(url)  # the token's first use is recorded once
    few, body = _statements(client, url)
    for i in range(6):
        project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a,
                                  name=f"甲公司项目{i}", code=f"A-1{i:03}")
        af.upload_materials(af.stage_of(project, 1), personas.alice)
        approvals.project_submit(project=project, actor=personas.alice)
        f.EnterpriseFactory()
    many, more = _statements(client, url)
    assert many == few
    if "projects" in url:
        assert len(more["results"]) == len(body["results"]) + 6
