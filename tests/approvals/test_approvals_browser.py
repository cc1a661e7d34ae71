"""The approvals pages of issue 14 in a real browser, at 1366 and 390 px, in Chinese and English:
the enterprise answers a 补正 from the card at the top of its project page, one file per requested
item; the approver reads which file answers which item, sees 材料不全 in 审批待办, and is asked
before 不予许可. No sideways scroll at 390 px, no Chinese left in the English interface, axe clean.
Screenshots under var/screenshots/<role>/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from approvals import services
from approvals.models import Material, StageStatus
from tests.test_phone_and_english import HAN, _axe, _chrome_text, _login

from . import factories as af

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ITEMS = ["补充建设用地红线图(须标注 CGCS2000 坐标, 并加盖自然资源部门核实章)", "补充法定代表人授权委托书"]


@pytest.fixture
def zone(personas, approvers):
    alice, adam = personas.alice, approvers[0]
    project = af.make_project(actor=alice, enterprise=personas.enterprise_a, code="SUPP-1",
                              name="Plant Phase II")
    af.upload_materials(af.stage_of(project, 1), alice)
    services.project_submit(project=project, actor=alice)
    stage = services.stage_accept(stage=af.stage_of(project, 1), actor=adam)
    stage = services.stage_request_supplement(stage=stage, actor=adam, items=ITEMS, comment="一次性告知")
    short = af.make_project(actor=alice, enterprise=personas.enterprise_a, code="SUPP-2", name="Warehouse")
    first = af.stage_of(short, 1)
    af.upload_materials(first, alice)
    services.project_submit(project=short, actor=alice)
    key = first.policy.requirements.filter(is_key=True).first().key
    Material.objects.filter(stage=first, requirement_key=key).delete()
    return stage


def _look(page, where, language, problems):
    """Sideways scroll at 390 px, Chinese in the English chrome, axe's serious/critical findings."""
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        problems.append(f"{where}: scrolls sideways by {overflow}px at 390 px")
    if language == "en":
        leftover = [t for t in _chrome_text(page).split(" | ") if HAN.search(t)]
        if leftover:
            problems.append(f"{where}: untranslated {leftover[:5]}")
    problems += [f"{where}: axe {v}" for v in _axe(page)]
    page.set_viewport_size({"width": 1366, "height": 900})


def _file(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": af.PDF_BYTES}


def test_the_enterprise_answers_a_supplement_from_its_project_page(live_server, page, screenshot, personas,
                                                                    zone):
    project_url = f"{live_server.url}{reverse('approvals:project_detail', args=[zone.project_id])}"
    problems = []
    for language in ("en", "zh-hans"):
        _login(page, live_server, "alice", language)
        page.goto(project_url)
        card = page.locator(".supplement-card")
        expect(card).to_be_visible()
        expect(card.get_by_role("button", name="提交补正材料" if language == "zh-hans" else
                                "Submit supplementary materials")).to_be_visible()
        _look(page, f"{language} project", language, problems)
        screenshot("alice", f"supplement-card-{language}")
        page.goto(f"{live_server.url}{reverse('approvals:stage_detail', args=[zone.pk])}")
        expect(page.locator(".supplement-card")).to_be_visible()
        _look(page, f"{language} stage", language, problems)
        screenshot("alice", f"stage-supplement-card-{language}")
        page.goto(project_url)
    assert problems == []

    # The legal basis in full, and a paused clock in words, not a date.
    expect(page.locator(".supplement-basis")).to_have_text(services.SUPPLEMENT_BASIS)
    expect(page.locator(".supplement-card")).to_contain_text("暂停计时中(已用")
    # One item's file only: refused, naming the other; the file sent stays under its item.
    page.set_input_files("#id_resubmit_item_0", files=[_file("红线图.pdf")])
    page.get_by_role("button", name="提交补正材料").click()
    expect(page.locator(".supplement-card .alert-danger")).to_contain_text("「补充法定代表人授权委托书」")
    expect(page.locator('.supplement-item[data-item="0"]')).to_contain_text("红线图.pdf")
    screenshot("alice", "supplement-card-refused")
    assert af.stage_of(zone.project, 1).status == StageStatus.SUPPLEMENT
    page.set_input_files("#id_resubmit_item_1", files=[_file("授权委托书.pdf")])
    page.get_by_role("button", name="提交补正材料").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交补正材料")
    expect(page.locator(".supplement-card")).to_have_count(0)
    assert af.stage_of(zone.project, 1).status == StageStatus.IN_REVIEW


def test_the_approver_reads_the_answers_and_the_queue_and_is_asked_before_refusing(
        live_server, page, screenshot, personas, zone):
    af.answer_supplement(zone, personas.alice)
    stage_url = f"{live_server.url}{reverse('approvals:stage_detail', args=[zone.pk])}"
    problems = []
    for language in ("en", "zh-hans"):
        _login(page, live_server, "adam", language)
        page.goto(stage_url)
        expect(page.locator(".supplement-answers")).to_contain_text("补正2.pdf")
        _look(page, f"{language} stage", language, problems)
        screenshot("adam", f"stage-supplement-answers-{language}")
        page.goto(f"{live_server.url}{reverse('approvals:queue')}")
        badge = "材料不全" if language == "zh-hans" else "Materials incomplete"
        expect(page.locator("tr", has_text="Warehouse")).to_contain_text(badge)
        _look(page, f"{language} queue", language, problems)
        screenshot("adam", f"queue-materials-{language}")
    assert problems == []

    stage = services.stage_resubmit(stage=af.stage_of(zone.project, 1), actor=personas.alice)
    page.goto(stage_url)
    page.locator('button[data-bs-target="#act-reject"]').click()
    page.fill("#id_reject_reason", "选址位于生态保护红线内")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator('button[data-action="reject"]').click()
    page.wait_for_timeout(300)
    assert af.stage_of(zone.project, 1).status == StageStatus.IN_REVIEW  # dismissed: nothing sent
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.locator('button[data-action="reject"]').click()
    expect(page.locator(".alert-success")).to_contain_text("已不予许可")
    assert "不能撤销" in messages[0]
    assert af.stage_of(stage.project, 1).status == StageStatus.REJECTED
