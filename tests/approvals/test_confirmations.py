"""Every irreversible action on the approvals pages asks first (data-confirm, static/js/portal.js):
受理, 审批通过, 不予许可 on the stage page, 撤回项目 on the project page."""

import re

from django.urls import reverse

from approvals import services

from . import factories as af

IRREVERSIBLE = ("accept", "approve", "reject")


def _forms(body):
    """{action path's last part: the form's opening tag} for every POST form of the page."""
    return {m.group(2): m.group(0) for m in
            re.finditer(r'<form[^>]*action="([^"]*/)([a-z_-]+)/"[^>]*>', body)}


def _confirm(tag):
    found = re.search(r'data-confirm="([^"]+)"', tag)
    return found.group(1) if found else ""


def _stage_page(client, stage):
    return _forms(client.get(reverse("approvals:stage_detail", args=[stage.pk])).content.decode())


def test_each_irreversible_stage_action_asks_first(client, personas, approvers, project_a):
    adam = approvers[0]
    af.upload_materials(af.stage_of(project_a, 1), personas.alice)
    services.project_submit(project=project_a, actor=personas.alice)
    client.force_login(adam)
    seen = {}
    pending = _stage_page(client, af.stage_of(project_a, 1))
    seen["accept"] = pending["accept"]
    stage = services.stage_accept(stage=af.stage_of(project_a, 1), actor=adam)
    accepted = _stage_page(client, stage)
    seen["reject"] = accepted["reject"]
    for reversible in ("review", "supplement", "pause"):  # undone by the next step: no question
        assert reversible in accepted
    stage = af.approve_all_reviews(stage, adam)
    seen["approve"] = _stage_page(client, stage)["approve"]
    assert sorted(seen) == sorted(IRREVERSIBLE)
    for key, tag in seen.items():
        assert "不能撤销" in _confirm(tag), key
    assert "不予许可将终止整个项目的审批" in _confirm(seen["reject"])


def test_withdrawing_the_project_asks_first(client, personas, project_a):
    client.force_login(personas.alice)
    body = client.get(reverse("approvals:project_detail", args=[project_a.pk])).content.decode()
    assert _confirm(_forms(body)["withdraw"]) == "确定撤回该项目? 撤回后审批终止。"


def test_the_confirm_is_a_data_attribute_not_an_inline_script(client, personas, approvers, project_a):
    af.upload_materials(af.stage_of(project_a, 1), personas.alice)
    services.project_submit(project=project_a, actor=personas.alice)
    client.force_login(approvers[0])
    body = client.get(reverse("approvals:stage_detail", args=[af.stage_of(project_a, 1).pk])).content.decode()
    assert "onsubmit" not in body and "onclick" not in body and "confirm(" not in body


def test_closing_a_supervision_on_the_stage_page_asks_first(client, personas, approvers, project_a):
    from notifications.supervisions import supervision_open, supervision_reply

    af.upload_materials(af.stage_of(project_a, 1), personas.alice)
    services.project_submit(project=project_a, actor=personas.alice)
    stage = services.stage_accept(stage=af.stage_of(project_a, 1), actor=approvers[0])
    supervision = supervision_open(matter=stage, actor=personas.leo, instruction="请两个工作日内出具意见")
    supervision_reply(supervision=supervision, actor=approvers[0], text="已会审")
    client.force_login(personas.leo)
    body = client.get(reverse("approvals:stage_detail", args=[stage.pk])).content.decode()
    close = re.search(r'<button[^>]*name="outcome" value="close"[^>]*>', body).group(0)
    assert "不能撤销" in _confirm(close)
    # 继续督办 is not final: it sends without a question.
    again = re.search(r'<button[^>]*name="outcome" value="continue"[^>]*>', body).group(0)
    assert "data-confirm" not in again
