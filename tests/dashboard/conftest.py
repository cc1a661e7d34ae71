"""Dashboard fixtures: approvers in every department, uploads kept out of the project tree."""

import pytest

from tests import factories as f
from tests.approvals import factories as af


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def adam(personas):
    """adam approves for every department (the approvals tests' `approvers`, reduced to one)."""
    for department in af.all_departments():
        department.members.add(personas.adam)
    return personas.adam


@pytest.fixture
def other_approver(db):
    return f.UserFactory(username="amy", roles=["approver"])
