"""一企一档 shows projects, visits and demands on one timeline, scoped to the viewer."""

import pytest
from django.urls import reverse

from approvals.models import ProjectCategory
from approvals.services import project_create, project_submit
from commissioners.models import DemandCategory
from commissioners.services import demand_submit
from tests.approvals.factories import stage_of, upload_materials


@pytest.fixture
def history(personas):
    category = ProjectCategory.objects.order_by("limit_workdays").first()
    project = project_create(
        actor=personas.alice, enterprise=personas.enterprise_a, name="甲公司新厂房", code="XM-T-001",
        category=category, industry=personas.enterprise_a.industry, location="开发区一路",
        total_investment=1000000, signed_amount=0,
    )
    upload_materials(stage_of(project, 1), personas.alice)
    project_submit(project=project, actor=personas.alice)  # a draft is the enterprise's own
    demand_submit(enterprise=personas.enterprise_a, actor=personas.alice,
                  category=DemandCategory.objects.filter(is_active=True).first(), title="申请用电增容")
    return project


def test_profile_timeline_merges_projects_and_demands(client, personas, history):
    client.force_login(personas.carol)
    body = client.get(reverse("enterprises:profile", args=[personas.enterprise_a.pk])).content.decode()
    assert "服务时间线" in body and "甲公司新厂房" in body and "诉求: 申请用电增容" in body


def test_timeline_never_shows_another_enterprise(client, personas, history):
    client.force_login(personas.bob)
    response = client.get(reverse("enterprises:mine"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲公司新厂房" not in body and "申请用电增容" not in body
