"""The working group's pages in a real browser (Chromium), at 1366 and 390 px, in Chinese and
English: the queue and 已办 with search, answering with files (a bad one refused, the text kept),
the answer's file on the enterprise's demand page. No sideways scroll, no interface Chinese left
in English, axe-core clean; screenshots under var/screenshots/<role>/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from commissioners.models import DemandAttachment, DemandCategory
from commissioners.services import (
    demand_accept,
    demand_answer,
    demand_dispatch,
    demand_review,
    demand_start,
    demand_submit,
)
from tests.test_phone_and_english import HAN, _axe, _chrome_text, _login

from .conftest import PDF, pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("zh-hans", "en")


@pytest.fixture
def shares(personas):
    """Two demands of A signed for by wendy's group (one to answer per language), one answered."""
    p = personas
    category = DemandCategory.objects.get(code="approval")

    def dispatched(title):
        demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=category, title=title)
        demand_accept(demand=demand, actor=p.carol)
        demand_review(demand=demand, actor=p.gary)
        demand = demand_dispatch(demand=demand, actor=p.betty, working_groups=[p.working_group])
        return demand.dispatches.get()

    rows = {lang: dispatched(f"厂房扩建施工许可咨询({lang})") for lang in LANGUAGES}
    for share in rows.values():
        demand_start(dispatch=share, actor=p.wendy)
    done = dispatched("排污许可证延续")
    demand_start(dispatch=done, actor=p.wendy)
    demand_answer(dispatch=done, actor=p.wendy, answer="已协调生态环境分局办理。",
                  files=[pdf("approval.pdf")])
    return rows


def _stored(personas, shares):
    """Stored content the pages show (titles, names): not interface text."""
    return [s.demand.title for s in shares.values()] + [
        "排污许可证延续", personas.enterprise_a.name, personas.working_group.name, str(personas.wendy)]


def _check(page, where, language, stored):
    """No sideways scroll at 390 px, no interface Chinese in English, axe clean."""
    problems = []
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        problems.append(f"{where}: scrolls sideways by {overflow}px at 390 px")
    if language == "en":
        texts = []
        for text in _chrome_text(page).split(" | "):
            for content in stored:
                text = text.replace(content, "")
            texts.append(text)
        leftover = [t for t in texts if HAN.search(t)]
        if leftover:
            problems.append(f"{where}: untranslated {leftover[:5]}")
    problems += [f"{where}: axe {v}" for v in _axe(page)]
    page.set_viewport_size({"width": 1366, "height": 900})
    return problems


def test_a_working_group_member_finds_answers_with_files_and_sees_what_it_has_done(
        live_server, page, screenshot, personas, shares, tmp_path):
    good, bad = tmp_path / "reply.pdf", tmp_path / "fake.pdf"
    good.write_bytes(PDF)
    bad.write_bytes(b"MZ" + b"\0" * 64)
    stored = _stored(personas, shares)
    problems = []
    for language in LANGUAGES:
        share = shares[language]
        _login(page, live_server, "wendy", language)
        page.goto(f"{live_server.url}{reverse('commissioners:demand_queue')}")
        problems += _check(page, f"{language} queue", language, stored)
        screenshot("wendy", f"wg-queue-{language}")

        page.fill("#id_q", f"({language})")
        page.locator("form[role=search] button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        rows = page.locator("table.table-stack tbody tr")
        expect(rows).to_have_count(1)
        expect(page.locator("#id_q")).to_have_value(f"({language})")
        screenshot("wendy", f"wg-queue-search-{language}")

        rows.first.locator("a").first.click()
        page.wait_for_load_state("networkidle")
        form = page.locator(f"#answer-{share.pk}")
        form.locator("textarea").fill("已与住建局会商, 意见见附件。")
        form.locator("input[type=file]").set_input_files([str(good), str(bad)])
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        form = page.locator(f"#answer-{share.pk}")
        expect(form.locator("[role=alert]")).to_contain_text("fake.pdf")
        expect(form.locator("textarea")).to_have_value("已与住建局会商, 意见见附件。")
        problems += _check(page, f"{language} refused answer", language, stored)
        screenshot("wendy", f"wg-answer-refused-{language}")

        form.locator("input[type=file]").set_input_files([str(good)])
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".answer-files a")).to_contain_text(["reply.pdf"])
        problems += _check(page, f"{language} answered", language, stored)
        screenshot("wendy", f"wg-demand-answered-{language}")

        page.goto(f"{live_server.url}{reverse('commissioners:demand_done')}")
        expect(page.locator("table.table-stack tbody tr")).to_have_count(2 if language == "zh-hans" else 3)
        problems += _check(page, f"{language} done", language, stored)
        screenshot("wendy", f"wg-done-{language}")
    assert problems == []
    assert DemandAttachment.objects.filter(dispatch__isnull=False).count() == 3


def test_the_enterprise_sees_and_downloads_the_answers_file_and_no_one_else(
        live_server, page, screenshot, personas, shares):
    attachment = DemandAttachment.objects.get(original_name="approval.pdf")
    detail = f"{live_server.url}{reverse('commissioners:demand_detail', args=[attachment.demand_id])}"
    download = f"{live_server.url}{reverse('commissioners:demand_attachment', args=[attachment.pk])}"
    problems = []
    for language in LANGUAGES:
        _login(page, live_server, "alice", language)
        page.goto(detail)
        link = page.locator(".answer-files a")
        expect(link).to_contain_text(["approval.pdf"])
        assert page.request.get(download).body() == PDF
        problems += _check(page, f"{language} alice demand", language, _stored(personas, shares))
        screenshot("alice", f"demand-answer-files-{language}")
    _login(page, live_server, "bob", "zh-hans")
    assert page.request.get(download).status == 404
    assert problems == []


@pytest.mark.parametrize("username", ["carol", "gary", "betty"])
def test_the_other_handlers_done_lists_and_search(live_server, page, screenshot, personas, shares, username):
    problems = []
    for language in LANGUAGES:
        _login(page, live_server, username, language)
        page.goto(f"{live_server.url}{reverse('commissioners:demand_queue')}")
        page.locator(".nav-tabs a", has_text="已办" if language == "zh-hans" else "Done").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("table.table-stack tbody tr")).to_have_count(3)
        page.fill("#id_q", "排污")
        page.locator("form[role=search] button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("table.table-stack tbody tr")).to_have_count(1)
        problems += _check(page, f"{language} {username} done", language, _stored(personas, shares))
        screenshot(username, f"demand-done-{language}")
    assert problems == []
