"""Role × page matrix with the personas, plus what each page shows."""

import pytest
from django.urls import reverse

from approvals import services

from . import factories as af

SEE_A = {"alice", "carol", "gary", "betty", "wendy", "adam", "leo", "root"}
SEE_B = {"bob", "dave", "grace", "betty", "wendy", "adam", "leo", "root"}
EVERYONE = ("alice", "bob", "carol", "dave", "gary", "grace", "betty", "wendy", "adam", "leo", "root")


@pytest.fixture
def world(personas, approvers, project_a, project_b):
    alice, bob, adam = personas.alice, personas.bob, approvers[0]
    for project, user in ((project_a, alice), (project_b, bob)):
        af.upload_materials(af.stage_of(project, 1), user)
        services.project_submit(project=project, actor=user)
    stage_a = services.stage_accept(stage=af.stage_of(project_a, 1), actor=adam)
    material = stage_a.materials.first()
    return {"a": project_a, "b": project_b, "stage_a": stage_a, "stage_b": af.stage_of(project_b, 1),
            "material": material}


@pytest.mark.parametrize("who", EVERYONE)
def test_role_page_matrix(client, personas, world, who):
    user = personas.all_users()[who]
    client.force_login(user)
    a, b = world["a"], world["b"]

    listing = client.get(reverse("approvals:project_list"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert (a.name in body) == (who in SEE_A)
    assert (b.name in body) == (who in SEE_B)

    expect_a = 200 if who in SEE_A else 404
    expect_b = 200 if who in SEE_B else 404
    assert client.get(reverse("approvals:project_detail", args=[a.pk])).status_code == expect_a
    assert client.get(reverse("approvals:project_detail", args=[b.pk])).status_code == expect_b
    assert client.get(reverse("approvals:stage_detail", args=[world["stage_a"].pk])).status_code == expect_a
    assert client.get(reverse("approvals:stage_detail", args=[world["stage_b"].pk])).status_code == expect_b
    assert client.get(reverse("approvals:material_download",
                              args=[world["material"].pk])).status_code == expect_a
    notice = reverse("approvals:stage_notice", args=[world["stage_a"].pk, "acceptance"])
    assert client.get(notice).status_code == expect_a

    queue = client.get(reverse("approvals:queue"))
    assert queue.status_code == (200 if who in ("adam", "root") else 403)

    # Acting on A's stage: only its approvers (and the admin) may; the rest are refused, A untouched.
    reject = client.post(reverse("approvals:stage_action", args=[world["stage_a"].pk, "reject"]),
                         {"reason": "测试", "seen_status": "accepted"})
    if who in ("adam", "root"):
        assert reject.status_code == 302
    else:
        assert reject.status_code == (403 if who in SEE_A else 404)
        assert af.stage_of(a, 1).status == "accepted"

    submit_b = client.post(reverse("approvals:project_action", args=[b.pk, "withdraw"]))
    if who in ("bob", "root"):
        assert submit_b.status_code == 302
    else:
        assert submit_b.status_code == (403 if who in SEE_B else 404)


def test_enterprise_creates_a_project_and_sees_category_limits(client, personas, approvers):
    client.force_login(personas.alice)
    page = client.get(reverse("approvals:project_create")).content.decode()
    assert "政府投资项目: 60个工作日" in page and "小型社会投资及园区项目: 24个工作日" in page
    category = af.category("small")
    data = {"name": "园区仓储项目", "code": "P-1", "category": category.pk, "total_investment": "5000000",
            "signed_amount": "4000000"}
    response = client.post(reverse("approvals:project_create"), data)
    assert response.status_code == 302
    duplicate = client.post(reverse("approvals:project_create"), data).content.decode()
    assert "已被使用" in duplicate
    negative = client.post(reverse("approvals:project_create"), {**data, "code": "P-2",
                                                                 "total_investment": "-1"})
    assert "-1" in negative.content.decode() and negative.status_code == 200


def test_officials_cannot_open_the_create_page(client, personas):
    client.force_login(personas.carol)
    assert client.get(reverse("approvals:project_create")).status_code == 403


def test_stage_page_shows_only_allowed_buttons(client, personas, world):
    url = reverse("approvals:stage_detail", args=[world["stage_a"].pk])
    client.force_login(personas.adam)
    body = client.get(url).content.decode()
    for allowed in ("review", "supplement", "reject"):
        assert f'data-action="{allowed}"' in body
    assert 'data-action="approve"' not in body and 'data-action="accept"' not in body
    assert 'data-action="resubmit"' not in body
    client.force_login(personas.alice)
    body = client.get(url).content.decode()
    assert "data-action=" not in body
    client.force_login(personas.carol)
    assert "data-action=" not in client.get(url).content.decode()


def test_supplement_round_trip_through_the_pages(client, personas, world):
    stage = world["stage_a"]
    client.force_login(personas.adam)
    client.post(reverse("approvals:stage_action", args=[stage.pk, "supplement"]),
                {"items": "补充用地红线图\n补充法人授权书", "seen_status": "accepted"})
    client.force_login(personas.alice)
    body = client.get(reverse("approvals:project_detail", args=[world["a"].pk])).content.decode()
    assert "审批已暂停: 等待补正材料, 自" in body
    notice = client.get(reverse("approvals:stage_notice", args=[stage.pk, "supplement"])).content.decode()
    assert "补充法人授权书" in notice and "暂停计时" in notice
    body = client.get(reverse("approvals:stage_detail", args=[stage.pk])).content.decode()
    assert 'data-action="resubmit"' in body
    client.post(reverse("approvals:stage_action", args=[stage.pk, "resubmit"]),
                {"seen_status": "supplement_requested", "item_0": af.pdf("红线图.pdf"),
                 "item_1": af.pdf("授权书.pdf")})
    assert af.stage_of(world["a"], 1).status == "in_review"


def test_late_click_says_someone_else_acted(client, personas, world):
    stage = world["stage_a"]
    client.force_login(personas.adam)
    response = client.post(reverse("approvals:stage_action", args=[stage.pk, "supplement"]),
                           {"items": "x", "seen_status": "pending"}, follow=True)
    assert "已被他人处理,请刷新" in response.content.decode()
    assert af.stage_of(world["a"], 1).status == "accepted"


def test_refusal_notice_carries_the_reason(client, personas, world):
    stage = world["stage_a"]
    client.force_login(personas.adam)
    url = reverse("approvals:stage_notice", args=[stage.pk, "refusal"])
    assert client.get(url).status_code == 404
    client.post(reverse("approvals:stage_action", args=[stage.pk, "reject"]),
                {"reason": "选址位于生态红线内"})
    body = client.get(url).content.decode()
    assert "不予许可决定书" in body and "选址位于生态红线内" in body


def test_queue_lists_earliest_deadline_first_and_unaccepted_last(client, personas, approvers, world):
    stage_b = services.stage_accept(stage=world["stage_b"], actor=approvers[0])
    assert stage_b.due_on < world["stage_a"].due_on  # B is social (15 days), A government (20)
    third = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, name="甲公司二期",
                            code="A-2")
    af.upload_materials(af.stage_of(third, 1), personas.alice)
    services.project_submit(project=third, actor=personas.alice)
    client.force_login(personas.adam)
    body = client.get(reverse("approvals:queue")).content.decode()
    assert body.index(world["b"].name) < body.index(world["a"].name) < body.index("甲公司二期")


def test_history_is_on_project_and_stage_pages(client, personas, world):
    client.force_login(personas.alice)
    for url in (reverse("approvals:project_detail", args=[world["a"].pk]),
                reverse("approvals:stage_detail", args=[world["stage_a"].pk])):
        body = client.get(url).content.decode()
        assert "审批记录" in body and "受理" in body


def test_a_refused_action_form_comes_back_open_with_its_error_and_input(client, personas, world):
    stage = world["stage_a"]
    client.force_login(personas.adam)
    response = client.post(reverse("approvals:stage_action", args=[stage.pk, "reject"]),
                           {"reason": "", "comment": "内部备注"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="act-reject" class="accordion-collapse collapse show"' in body
    assert '<div class="invalid-feedback d-block">' in body  # the reason's error, next to it
    assert "内部备注</textarea>" in body  # what was typed is kept
    assert af.stage_of(world["a"], 1).status == "accepted"  # nothing changed
