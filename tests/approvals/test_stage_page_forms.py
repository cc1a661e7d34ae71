"""The stage page's action forms: each has its own ids, and 不予许可 asks before it is sent."""

import re
from collections import Counter

from django.urls import reverse

from approvals import services

from . import factories as af


def test_action_forms_have_unique_ids_and_refusal_asks_first(client, personas, approvers, project_a):
    adam = approvers[0]
    af.upload_materials(af.stage_of(project_a, 1), personas.alice)
    services.project_submit(project=project_a, actor=personas.alice)
    stage = services.stage_accept(stage=af.stage_of(project_a, 1), actor=adam)
    client.force_login(adam)
    body = client.get(reverse("approvals:stage_detail", args=[stage.pk])).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', body))
    assert [name for name, n in ids.items() if n > 1] == []
    assert 'data-confirm="不予许可将终止整个项目的审批, 且不能撤销。确定作出不予许可决定?"' in body
    assert "onsubmit=" not in body


def test_withdrawing_asks_first(client, personas, project_a):
    client.force_login(personas.alice)
    body = client.get(reverse("approvals:project_detail", args=[project_a.pk])).content.decode()
    assert 'data-confirm="确定撤回该项目? 撤回后审批终止。"' in body


def test_an_approved_stage_prints_its_approval_decision(client, personas, approvers, project_a):
    adam = approvers[0]
    af.upload_materials(af.stage_of(project_a, 1), personas.alice)
    services.project_submit(project=project_a, actor=personas.alice)
    stage = services.stage_accept(stage=af.stage_of(project_a, 1), actor=adam)
    notice = reverse("approvals:stage_notice", args=[stage.pk, "approval"])
    client.force_login(personas.alice)
    assert client.get(notice).status_code == 404  # not approved yet
    stage = services.stage_approve(stage=af.approve_all_reviews(stage, adam), actor=adam)
    assert notice in client.get(reverse("approvals:stage_detail", args=[stage.pk])).content.decode()
    body = client.get(notice).content.decode()
    assert "准予许可决定书" in body and "准予许可" in body and project_a.name in body
