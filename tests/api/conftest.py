"""The API's world: a token per persona, two enterprises each with a project and a demand."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.tokens import token_issue
from approvals import services as approvals
from commissioners.models import DemandCategory
from commissioners.services import demand_submit
from tests import factories as f
from tests.approvals import factories as af

PASSWORD = "s3cret-护商通"


@pytest.fixture(autouse=True)
def _media_and_throttle(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # the token endpoint's throttle counts in the cache
    yield
    cache.clear()


def client_for(user):
    """An API client that authenticates as `user` with a fresh token, as another system would."""
    client = APIClient()
    if user is not None:
        _token, key = token_issue(user=user, name="test")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api(personas):
    """api("alice") → a token-authenticated client for that persona (None: anonymous)."""
    clients = {}

    def get(name):
        if name not in clients:
            clients[name] = client_for(getattr(personas, name) if name else None)
        return clients[name]

    return get


@pytest.fixture
def approvers(personas):
    amy = f.UserFactory(username="amy", roles=["approver"])
    for department in af.all_departments():
        department.members.add(personas.adam, amy)
    return personas.adam, amy


@pytest.fixture
def world(personas, approvers):
    """A's project submitted and accepted (stage 1 in review), B's a draft; a demand of each."""
    project_a = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a,
                                name="甲公司新材料生产基地", code="A-0001")
    af.upload_materials(af.stage_of(project_a, 1), personas.alice)
    approvals.project_submit(project=project_a, actor=personas.alice)
    stage_a = approvals.stage_accept(stage=af.stage_of(project_a, 1), actor=personas.adam)
    project_b = af.make_project(actor=personas.bob, enterprise=personas.enterprise_b,
                                name="乙公司电子信息产业园", code="B-0001", category_code="social")
    category = DemandCategory.objects.filter(is_active=True).order_by("order", "id").first()
    demand_a = demand_submit(enterprise=personas.enterprise_a, actor=personas.alice, category=category,
                             title="甲的诉求")
    demand_b = demand_submit(enterprise=personas.enterprise_b, actor=personas.bob, category=category,
                             title="乙的诉求")
    return {"project_a": project_a, "stage_a": stage_a, "project_b": project_b,
            "stage_b": af.stage_of(project_b, 1),
            "material_a": stage_a.materials.first(), "demand_a": demand_a, "demand_b": demand_b,
            "category": category}
