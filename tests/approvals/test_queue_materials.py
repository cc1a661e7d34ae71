"""审批待办: a stage whose key materials are not all uploaded is marked 材料不全 with a neutral 查看,
not the 办理 of a stage ready for 受理; the mark comes from the queue's own query (no query per row)."""

import re

import pytest
from django.urls import reverse

from approvals import services
from approvals.models import Material

from . import factories as af


def _pending(personas, code, *, complete):
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code=code,
                              name=f"项目{code}")
    stage = af.stage_of(project, 1)
    af.upload_materials(stage, personas.alice)
    services.project_submit(project=project, actor=personas.alice)
    if not complete:  # a key file gone since (as stage 2 opens with none of its own yet)
        key = stage.policy.requirements.filter(is_key=True).first().key
        Material.objects.filter(stage=stage, requirement_key=key).delete()
    return af.stage_of(project, 1)


def _rows(body):
    rows = re.finditer(r'<tr[^>]*>.*?href="/projects/(\d+)/".*?</tr>', body, re.S)
    return {m.group(1): m.group(0) for m in rows}


def test_incomplete_stage_reads_materials_incomplete_with_a_neutral_view(client, personas, approvers):
    ready = _pending(personas, "R-1", complete=True)
    short = _pending(personas, "S-1", complete=False)
    client.force_login(personas.adam)
    rows = _rows(client.get(reverse("approvals:queue")).content.decode())
    short_row, ready_row = rows[str(short.project_id)], rows[str(ready.project_id)]
    assert "材料不全" in short_row and ">查看</a>" in short_row and ">办理</a>" not in short_row
    assert 'class="btn btn-sm btn-outline-secondary"' in short_row
    assert "材料不全" not in ready_row and ">办理</a>" in ready_row and ">查看</a>" not in ready_row


def test_an_accepted_stage_is_not_marked(client, personas, approvers):
    stage = services.stage_accept(stage=_pending(personas, "A-1", complete=True), actor=approvers[0])
    client.force_login(personas.adam)
    row = _rows(client.get(reverse("approvals:queue")).content.decode())[str(stage.project_id)]
    assert "材料不全" not in row and ">办理</a>" in row


@pytest.mark.parametrize("more", [50])
def test_the_mark_costs_no_query_per_row(client, personas, approvers, django_assert_max_num_queries, more):
    for n in range(10):
        _pending(personas, f"T-{n}", complete=n % 2 == 0)
    client.force_login(personas.adam)
    with django_assert_max_num_queries(12) as ten:
        body = client.get(reverse("approvals:queue")).content.decode()
    assert body.count("材料不全") == 5
    for n in range(10, more):
        _pending(personas, f"T-{n}", complete=n % 2 == 0)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        response = client.get(reverse("approvals:queue"))
    assert len(response.context["rows"]) == 25  # a full page of the 50
