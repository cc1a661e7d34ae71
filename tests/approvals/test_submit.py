"""提交审批 needs stage 1's key materials: the service refuses without them, naming them; the
pages list them before the click; the API answers the same; non-key items (容缺) never block."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from approvals import rules, services
from approvals.errors import ApprovalError
from approvals.models import Project, ProjectStatus, StageEvent, StageStatus
from tests.factories import PASSWORD

from . import factories as af

APPLICATION = "项目审批(核准、备案)申请文件"  # key
PREEXAM = "用地预审与选址意见申请表"  # key
SITE_PLAN = "项目选址红线图"  # non-key: may be missing at acceptance (容缺)


def _upload(project, key, actor):
    services.material_upload(stage=af.stage_of(project, 1), actor=actor, requirement_key=key,
                             upload=af.pdf())


def _still_draft(project, events):
    project = Project.objects.get(pk=project.pk)
    assert project.status == ProjectStatus.DRAFT and project.submitted_on is None
    assert af.stage_of(project, 1).status == StageStatus.WAITING
    assert StageEvent.objects.count() == events


# --- the service -----------------------------------------------------------------------------

def test_submit_without_key_materials_is_refused_naming_them(personas, project_a):
    events = StageEvent.objects.count()
    with pytest.raises(ApprovalError) as info:
        services.project_submit(project=project_a, actor=personas.alice)
    assert info.value.code == "condition"
    assert info.value.message.startswith("不能提交审批: 第一阶段尚缺关键材料")
    assert f"「{APPLICATION}」、「{PREEXAM}」" in info.value.message
    assert SITE_PLAN not in info.value.message
    _still_draft(project_a, events)


def test_submit_names_only_what_is_still_missing(personas, project_a):
    _upload(project_a, "approval_report", personas.alice)
    events = StageEvent.objects.count()
    with pytest.raises(ApprovalError, match=f"尚缺关键材料「{PREEXAM}」,") as info:
        services.project_submit(project=project_a, actor=personas.alice)
    assert APPLICATION not in info.value.message
    _still_draft(project_a, events)


def test_submit_is_allowed_once_the_key_materials_are_there(personas, project_a):
    af.upload_materials(af.stage_of(project_a, 1), personas.alice)
    project = services.project_submit(project=project_a, actor=personas.alice)
    assert project.status == ProjectStatus.SUBMITTED
    assert af.stage_of(project, 1).status == StageStatus.PENDING


def test_missing_non_key_materials_do_not_block_submit(personas, approvers, project_a):
    stage = af.stage_of(project_a, 1)
    af.upload_materials(stage, personas.alice, key_only=True)
    assert [r.name for r in stage.missing_requirements()] == [SITE_PLAN]
    assert rules.missing_for_submit(project_a) == []
    services.project_submit(project=project_a, actor=personas.alice)
    # ...and the approver accepts it with a commitment to bring the non-key item (容缺受理).
    stage = services.stage_accept(stage=af.stage_of(project_a, 1), actor=approvers[0], commitment_workdays=5)
    assert stage.missing_items == [{"key": "site_plan", "name": SITE_PLAN}]


def test_permission_and_status_are_checked_before_the_materials(personas, project_a):
    with pytest.raises(ApprovalError) as info:
        services.project_submit(project=project_a, actor=personas.bob)
    assert info.value.code == "forbidden"
    af.upload_materials(af.stage_of(project_a, 1), personas.alice)
    services.project_submit(project=project_a, actor=personas.alice)
    with pytest.raises(ApprovalError) as info:
        services.project_submit(project=Project.objects.get(pk=project_a.pk), actor=personas.alice)
    assert info.value.code == "state"


def test_a_draft_takes_uploads_for_every_stage(personas, project_a):
    """The enterprise prepares while the project is a draft (stages still waiting)."""
    for order in (1, 2):
        stage = af.stage_of(project_a, order)
        assert stage.status == StageStatus.WAITING
        af.upload_materials(stage, personas.alice)
        assert stage.missing_requirements() == []


# --- the pages -------------------------------------------------------------------------------

def _submit_url(project):
    return reverse("approvals:project_action", args=[project.pk, "submit"])


def test_project_page_lists_missing_key_materials_and_has_no_working_submit(client, personas, project_a):
    client.force_login(personas.alice)
    body = client.get(reverse("approvals:project_detail", args=[project_a.pk])).content.decode()
    assert "尚缺以下关键材料, 暂不能提交审批" in body
    assert f"<li>{APPLICATION}</li>" in body and f"<li>{PREEXAM}</li>" in body
    assert f"<li>{SITE_PLAN}</li>" not in body
    assert _submit_url(project_a) not in body  # no form that posts 提交审批
    assert re.search(r'<button class="btn btn-primary" type="button" disabled[^>]*>'
                     r'<i class="bi bi-send"></i> 提交审批</button>', body)
    stage_url = reverse("approvals:stage_detail", args=[af.stage_of(project_a, 1).pk])
    assert f'<a href="{stage_url}">前往「立项用地规划许可」上传材料</a>' in body

    af.upload_materials(af.stage_of(project_a, 1), personas.alice, key_only=True)
    body = client.get(reverse("approvals:project_detail", args=[project_a.pk])).content.decode()
    assert "尚缺以下关键材料" not in body and "disabled aria-describedby" not in body
    assert f'action="{_submit_url(project_a)}"' in body


def test_a_submit_posted_anyway_shows_the_refusal_and_changes_nothing(client, personas, project_a):
    events = StageEvent.objects.count()
    client.force_login(personas.alice)
    response = client.post(_submit_url(project_a), {"seen_status": "draft"}, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("approvals:project_detail", args=[project_a.pk])
    assert f"不能提交审批: 第一阶段尚缺关键材料「{APPLICATION}」、「{PREEXAM}」" in body
    _still_draft(project_a, events)


def test_stage_one_of_a_draft_is_where_the_enterprise_prepares_and_submits(client, personas, project_a):
    stage = af.stage_of(project_a, 1)
    url = reverse("approvals:stage_detail", args=[stage.pk])
    client.force_login(personas.alice)
    body = client.get(url).content.decode()
    assert "尚未提交: 请按清单上传材料, 关键材料齐全后提交审批" in body
    assert reverse("approvals:material_upload", args=[stage.pk]) in body  # the upload form
    assert f"<li>{APPLICATION}</li>" in body and _submit_url(project_a) not in body

    for key in ("approval_report", "land_preexam"):
        response = client.post(reverse("approvals:material_upload", args=[stage.pk]),
                               {"requirement_key": key, "file": af.pdf(f"{key}.pdf")})
        assert response.status_code == 302
    body = client.get(url).content.decode()
    assert "关键材料已齐全, 可以提交审批" in body and f'action="{_submit_url(project_a)}"' in body
    client.post(_submit_url(project_a), {"seen_status": "draft"})
    assert Project.objects.get(pk=project_a.pk).status == ProjectStatus.SUBMITTED
    body = client.get(url).content.decode()
    assert "关键材料已齐全" not in body and _submit_url(project_a) not in body


# --- the API ---------------------------------------------------------------------------------

def test_api_submit_refuses_with_the_message_then_submits(client, personas, approvers, project_a):
    url = f"/api/v1/projects/{project_a.pk}/submit/"
    events = StageEvent.objects.count()
    client.force_login(personas.alice)
    response = client.post(url, {}, content_type="application/json")
    # A rule refusing a transition is 409, as every refusal of a transition (issue: one runner).
    assert response.status_code == 409
    assert response.json()["code"] == "condition"
    assert f"尚缺关键材料「{APPLICATION}」、「{PREEXAM}」" in response.json()["detail"]
    _still_draft(project_a, events)

    client.force_login(personas.bob)
    assert client.post(url, {}, content_type="application/json").status_code == 404  # not visible

    af.upload_materials(af.stage_of(project_a, 1), personas.alice, key_only=True)
    client.force_login(personas.alice)
    response = client.post(url, {"expected_status": "draft"}, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "submitted" and data["stages"][0]["status"] == "pending"
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 409 and "不能提交审批" in again.json()["detail"]


# --- in a real browser -----------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enterprise_prepares_materials_then_submits_in_the_browser(live_server, page, personas,
                                                                  project_a):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(f"{live_server.url}/projects/")))

    page.goto(f"{live_server.url}{reverse('approvals:project_detail', args=[project_a.pk])}")
    expect(page.locator("#submit-missing")).to_contain_text(PREEXAM)
    expect(page.get_by_role("button", name="提交审批")).to_be_disabled()

    page.get_by_role("link", name="前往「立项用地规划许可」上传材料").click()
    for key in ("approval_report", "land_preexam"):
        page.select_option("#id_requirement_key", key)
        page.set_input_files("#id_file", files=[{"name": f"{key}.pdf", "mimeType": "application/pdf",
                                                 "buffer": af.PDF_BYTES}])
        page.get_by_role("button", name="上传", exact=True).click()
        expect(page.locator(".alert-success")).to_contain_text(f"{key}.pdf")
    expect(page.locator("#submit-missing")).to_have_count(0)

    page.get_by_role("button", name="提交审批").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交审批, 第一阶段等待受理")
    assert Project.objects.get(pk=project_a.pk).status == ProjectStatus.SUBMITTED
