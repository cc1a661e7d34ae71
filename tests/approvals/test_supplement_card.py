"""补正 as the enterprise sees it: a card at the top of its project page listing each requested item
with the legal basis in full and the item's own file input, 提交补正材料 in plain view, refused
(keeping what was sent) while an item has no file; the approver sees which file answers which item."""

import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from approvals import clock, services
from approvals.errors import ApprovalError
from approvals.models import ClockPause, Material, StageEvent, StageStatus

from . import factories as af

ITEMS = ["补充用地红线图坐标", "补充法定代表人授权委托书"]


@pytest.fixture
def paused(personas, approvers, project_a):
    af.upload_materials(af.stage_of(project_a, 1), personas.alice)
    services.project_submit(project=project_a, actor=personas.alice)
    stage = services.stage_accept(stage=af.stage_of(project_a, 1), actor=approvers[0])
    return services.stage_request_supplement(stage=stage, actor=approvers[0], items=ITEMS,
                                             comment="坐标须为 CGCS2000")


def _card(body):
    match = re.search(r'<section class="alert alert-warning supplement-card.*?</section>', body, re.S)
    assert match, "no 补正 card on the page"
    return match.group(0)


def _item(card, index):
    return re.search(rf'<li class="supplement-item[^"]*" data-item="{index}">.*?</li>', card, re.S).group(0)


def _post(client, stage, back="project", **files):
    return client.post(reverse("approvals:stage_action", args=[stage.pk, "resubmit"]),
                       {"seen_status": StageStatus.SUPPLEMENT, "back": back, "comment": "已按要求补正",
                        **files})


def test_the_card_is_at_the_top_with_each_item_its_basis_in_full_and_its_own_upload(client, personas, paused):
    client.force_login(personas.alice)
    body = client.get(reverse("approvals:project_detail", args=[paused.project_id])).content.decode()
    card = _card(body)
    assert body.index("supplement-card") < body.index("<h1")  # above everything else on the page
    assert services.SUPPLEMENT_BASIS in card and "…" not in card  # the legal basis in full
    assert "坐标须为 CGCS2000" in card
    for index, item in enumerate(ITEMS):
        slot = _item(card, index)
        assert item in slot
        assert f'type="file" name="item_{index}"' in slot and "未上传" in slot
    # 提交补正材料 is a plain button of the card's form, not inside a collapsed accordion.
    assert re.search(r'<button class="btn btn-primary" type="submit" data-action="resubmit">', card)
    assert "collapse" not in card
    # The paused clock: no date that no longer holds.
    used = clock.used(af.stage_of(paused.project, 1), today=timezone.localdate())
    assert f"<dd class=\"col-sm-9 col-lg-10\">暂停计时中(已用 {used} 个工作日)</dd>" in card
    assert paused.due_on.isoformat() not in body


def test_the_stage_page_carries_the_same_card_and_no_accordion_resubmit(client, personas, paused):
    client.force_login(personas.alice)
    body = client.get(reverse("approvals:stage_detail", args=[paused.pk])).content.decode()
    card = _card(body)
    assert 'name="item_1"' in card and body.count('data-action="resubmit"') == 1
    assert 'id="act-resubmit"' not in body
    ids = Counter(re.findall(r'\sid="([^"]+)"', body))
    assert [name for name, n in ids.items() if n > 1] == []  # the card's inputs beside the upload form
    # The pause table gives the basis in full too (it was cut at 40 characters with "…").
    table = re.search(r'<table class="table table-sm table-stack mb-0 small pause-table">.*?</table>',
                      body, re.S)
    assert services.SUPPLEMENT_BASIS in table.group(0) and "…" not in table.group(0)


def test_an_item_without_a_file_is_refused_and_what_was_sent_is_kept(client, personas, paused):
    client.force_login(personas.alice)
    response = _post(client, paused, item_0=af.pdf("红线图坐标.pdf"))
    assert response.status_code == 400
    body = response.content.decode()
    card = _card(body)
    assert "以下补正事项尚未上传文件: 「补充法定代表人授权委托书」" in card
    assert "已按要求补正</textarea>" in card  # the note typed is kept
    assert "红线图坐标.pdf" in _item(card, 0) and "已上传" in _item(card, 0)  # the file is kept
    assert "未上传" in _item(card, 1)
    stage = af.stage_of(paused.project, 1)
    assert stage.status == StageStatus.SUPPLEMENT and stage.paused_since is not None
    material = Material.objects.get(original_name="红线图坐标.pdf")
    assert (material.pause.items, material.supplement_item, material.requirement_key) == (ITEMS, 0, "")

    response = _post(client, stage, item_1=af.pdf("授权委托书.pdf"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "approvals:project_detail", args=[paused.project_id])
    stage = af.stage_of(paused.project, 1)
    assert stage.status == StageStatus.IN_REVIEW
    assert ClockPause.objects.get(stage=stage).ended_on is not None


def test_a_refused_file_is_named_and_the_accepted_one_kept(client, personas, paused):
    client.force_login(personas.alice)
    lying = af.upload("授权书.pdf", af.PNG_BYTES)
    response = _post(client, paused, back="stage", item_0=af.pdf("坐标.pdf"), item_1=lying)
    assert response.status_code == 400
    card = _card(response.content.decode())
    assert "第 2 项: 文件内容与扩展名「.pdf」不符" in card
    assert "坐标.pdf" in _item(card, 0)
    stored = Material.objects.filter(pause__isnull=False).values_list("original_name", flat=True)
    assert list(stored) == ["坐标.pdf"]
    assert af.stage_of(paused.project, 1).status == StageStatus.SUPPLEMENT


def test_the_approver_sees_which_file_answers_which_item(client, personas, paused):
    af.answer_supplement(paused, personas.alice)
    services.supplement_upload(stage=paused, actor=personas.alice, item=1, upload=af.pdf("委托书补充页.pdf"))
    client.force_login(personas.adam)
    body = client.get(reverse("approvals:stage_detail", args=[paused.pk])).content.decode()
    assert "supplement-card" not in body  # the enterprise's card is not the approver's
    answers = re.search(r'<div class="card shadow-sm mb-3 supplement-answers".*?</ol>', body, re.S).group(0)
    first = re.search(r'data-item="0">.*?</li>', answers, re.S).group(0)
    second = re.search(r'data-item="1">.*?</li>', answers, re.S).group(0)
    assert ITEMS[0] in first and "补正1.pdf" in first and "补正2.pdf" not in first
    assert ITEMS[1] in second and "补正2.pdf" in second and "委托书补充页.pdf" in second
    assert "等待企业补正" in answers
    # The checklist does not count a 补正 file as one of its lines.
    assert af.stage_of(paused.project, 1).uploaded_keys() == {
        r.key for r in paused.policy.requirements.all()}


def test_officials_see_no_card(client, personas, paused):
    for who in (personas.adam, personas.carol):
        client.force_login(who)
        body = client.get(reverse("approvals:project_detail", args=[paused.project_id])).content.decode()
        assert "supplement-card" not in body and 'name="item_0"' not in body


def test_only_the_enterprise_files_under_an_item(client, personas, approvers, paused):
    with pytest.raises(ApprovalError) as refused:
        services.supplement_upload(stage=paused, actor=approvers[0], item=0, upload=af.pdf())
    assert refused.value.code == "forbidden"
    client.force_login(personas.bob)
    assert _post(client, paused, item_0=af.pdf()).status_code == 404
    client.force_login(personas.adam)
    assert _post(client, paused, item_0=af.pdf()).status_code == 403
    assert not Material.objects.filter(pause__isnull=False).exists()


@pytest.mark.parametrize(("item", "code", "text"), [(2, "invalid", "请选择补正通知中的一项"),
                                                    (-1, "invalid", "请选择补正通知中的一项")])
def test_an_item_outside_the_request_is_refused(personas, paused, item, code, text):
    events = StageEvent.objects.count()
    with pytest.raises(ApprovalError) as refused:
        services.supplement_upload(stage=paused, actor=personas.alice, item=item, upload=af.pdf())
    assert (refused.value.code, text in refused.value.message) == (code, True)
    assert StageEvent.objects.count() == events and not Material.objects.filter(pause__isnull=False).exists()


def test_no_upload_to_an_item_once_resubmitted(personas, paused):
    af.answer_supplement(paused, personas.alice)
    stage = services.stage_resubmit(stage=paused, actor=personas.alice)
    with pytest.raises(ApprovalError) as refused:
        services.supplement_upload(stage=stage, actor=personas.alice, item=0, upload=af.pdf())
    assert refused.value.code == "state" and "没有待补正的事项" in refused.value.message


def test_resubmit_names_every_item_still_without_a_file(personas, paused):
    events = StageEvent.objects.count()
    with pytest.raises(ApprovalError) as refused:
        services.stage_resubmit(stage=paused, actor=personas.alice)
    assert refused.value.code == "condition"
    assert "「补充用地红线图坐标」、「补充法定代表人授权委托书」" in refused.value.message
    assert StageEvent.objects.count() == events


def test_the_api_files_under_an_item_then_resubmits(client, personas, paused):
    client.force_login(personas.alice)
    url = f"/api/v1/stages/{paused.pk}"
    assert client.post(f"{url}/resubmit/", {}, content_type="application/json").status_code == 409
    for index in range(len(ITEMS)):
        response = client.post(f"{url}/materials/",
                               {"supplement_item": index, "file": af.pdf(f"{index}.pdf")})
        assert response.status_code == 201 and response.json()["supplement_item"] == index
    both = client.post(f"{url}/materials/", {"supplement_item": 0, "requirement_key": "x", "file": af.pdf()})
    assert both.status_code == 400
    done = client.post(f"{url}/resubmit/", {}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == StageStatus.IN_REVIEW


def test_the_project_page_with_a_card_is_bounded(client, personas, paused, django_assert_max_num_queries):
    client.force_login(personas.alice)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("approvals:project_detail", args=[paused.project_id])).status_code == 200
