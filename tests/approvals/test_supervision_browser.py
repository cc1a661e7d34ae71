"""The 督办 loop on a stage in a real browser: the leader supervises from 预警与督办, the approver
sees it in 我的督办 and on the stage page and replies, the leader reads the reply and closes it.
Screenshots at 1366 and 390 px, in Chinese and English, under var/screenshots/."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from approvals import services
from notifications.models import Level, Supervision, SupervisionStatus
from notifications.services import escalation_raise
from tests.factories import PASSWORD

from . import factories as af

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login/$"))


def test_the_stage_loop_in_the_browser(live_server, page, screenshot, personas, project_a, approvers):
    monday = dt.date(2026, 11, 2)
    af.upload_materials(af.stage_of(project_a, 1), personas.alice, today=monday)
    services.project_submit(project=project_a, actor=personas.alice, today=monday)
    stage = services.stage_accept(stage=af.stage_of(project_a, 1), actor=approvers[0], today=monday)
    stage_url = reverse("approvals:stage_detail", args=[stage.pk])
    escalation_raise(obj=stage, level=Level.ESCALATED, recipients=[personas.leo, personas.carol],
                     title=f"提级督办: {project_a.name} · 立项用地规划许可", body="超期",
                     link=stage_url, reason="超期 2 个工作日未办结")

    _login(page, live_server, "leo")
    page.goto(f"{live_server.url}/notifications/escalations/")
    row = page.locator(".list-group-item", has_text=project_a.name)
    expect(row).to_contain_text("提级督办")
    screenshot("leader", "escalations")
    row.locator("a.btn-danger").click()
    page.fill("#id_comment", "请两个工作日内出具审查意见")
    screenshot("leader", "supervise-form")
    page.get_by_role("button", name="发出督办").click()
    expect(page.locator(".supervision-panel")).to_contain_text("请两个工作日内出具审查意见")
    screenshot("leader", "stage-supervised")

    _login(page, live_server, "adam")
    expect(page.locator("#nav-supervisions [data-supervisions]")).to_have_text(re.compile(r"^1"))
    page.goto(f"{live_server.url}/notifications/supervisions/")
    screenshot("approver", "my-supervisions")
    page.locator(".list-group-item", has_text=project_a.name).click()
    panel = page.locator(".supervision-panel")
    expect(panel).to_contain_text("请两个工作日内出具审查意见")
    screenshot("approver", "stage-with-supervision")
    panel.get_by_label("办理情况回复").fill("已组织会审, 周三出具意见")
    panel.get_by_role("button", name="回复办理情况").click()
    expect(page.locator(".alert-success")).to_contain_text("已回复办理情况")

    _login(page, live_server, "leo")
    page.goto(f"{live_server.url}{stage_url}")
    panel = page.locator(".supervision-panel")
    expect(panel).to_contain_text("已组织会审, 周三出具意见")
    screenshot("leader", "stage-replied")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()
    expect(page.locator(".supervision-panel")).to_contain_text("Leader's supervision")
    screenshot("leader", "stage-replied-en")
    asked = []  # closing a 督办 asks first (data-confirm on that button only)
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Satisfied, close").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert len(asked) == 1
    assert Supervision.objects.get().status == SupervisionStatus.CLOSED
    screenshot("leader", "stage-closed-en")
