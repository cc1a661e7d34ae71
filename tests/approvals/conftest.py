import pytest

from tests import factories as f

from . import factories as af


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approvers(personas):
    """adam and amy approve for every department; adam is the one the personas know."""
    amy = f.UserFactory(username="amy", roles=["approver"])
    for department in af.all_departments():
        department.members.add(personas.adam, amy)
    return personas.adam, amy


@pytest.fixture
def project_a(personas, approvers):
    return af.make_project(actor=personas.alice, enterprise=personas.enterprise_a,
                           name="甲公司新材料生产基地",
                           code="A-0001")


@pytest.fixture
def project_b(personas, approvers):
    return af.make_project(actor=personas.bob, enterprise=personas.enterprise_b, name="乙公司电子信息产业园",
                           code="B-0001", category_code="social")
