"""A draft stays the enterprise's own, also once withdrawn without ever being submitted (issue 15)."""

import pytest
from django.urls import reverse

from approvals import services
from approvals.models import Project

from . import factories as af

OFFICIALS = ("betty", "wendy", "leo", "carol", "gary", "adam")


def _withdrawn_draft(personas):
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code="A-DRAFT")
    af.upload_materials(af.stage_of(project, 1), personas.alice, key_only=True)
    return services.project_withdraw(project=project, actor=personas.alice)


def test_a_withdrawn_draft_is_seen_by_its_enterprise_only(client, personas, approvers):
    project = _withdrawn_draft(personas)
    material = af.stage_of(project, 1).materials.first()
    assert project.status == "withdrawn" and project.submitted_on is None
    for name in OFFICIALS:
        user = getattr(personas, name)
        assert not Project.objects.visible_to(user).filter(pk=project.pk).exists(), name
        client.force_login(user)
        assert client.get(reverse("approvals:project_detail", args=[project.pk])).status_code == 404, name
        assert client.get(reverse("approvals:material_download", args=[material.pk])).status_code == 404, name
    client.force_login(personas.alice)
    assert client.get(reverse("approvals:project_detail", args=[project.pk])).status_code == 200


def test_a_project_withdrawn_after_submission_stays_visible_to_officials(personas, approvers):
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code="A-SUB")
    af.upload_materials(af.stage_of(project, 1), personas.alice)
    services.project_submit(project=project, actor=personas.alice)
    services.project_withdraw(project=project, actor=personas.alice)
    for name in ("betty", "leo", "carol"):
        assert Project.objects.visible_to(getattr(personas, name)).filter(pk=project.pk).exists(), name


@pytest.mark.parametrize("name", ["betty", "leo"])
def test_handed_in_excludes_drafts_and_withdrawn_drafts(personas, approvers, name):
    draft = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code="A-D1")
    _withdrawn_draft(personas)
    assert not Project.objects.handed_in().exists()
    assert not Project.objects.visible_to(getattr(personas, name)).filter(pk=draft.pk).exists()
