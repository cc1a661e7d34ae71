"""Every role's lists on a phone (390 px) and a desk (1366 px), in Chinese and in English: no
sideways scrolling on a phone, no Chinese left in the English interface chrome, and axe-core
(from npm) finds no serious or critical accessibility violation. Screenshots under
var/screenshots/<role>/."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from approvals import services
from commissioners.models import DemandCategory
from commissioners.services import demand_submit
from tests.approvals import factories as af
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
HAN = re.compile(r"[\u4e00-\u9fff]")
PAGES = {
    "alice": ["approvals:project_list", "commissioners:demand_list"],
    "carol": ["commissioners:demand_queue", "enterprises:directory"],
    "adam": ["approvals:queue"],
    "betty": ["commissioners:demand_queue", "commissioners:demand_list"],
    "wendy": ["commissioners:demand_queue"],
    "leo": ["approvals:project_list", "commissioners:demand_list", "notifications:escalations",
            "notifications:supervisions"],
}


@pytest.fixture
def zone(personas):
    from tests.sweeps.conftest import restore_seeds

    restore_seeds()
    for department in af.all_departments():
        department.members.add(personas.adam)
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code="PHONE-1",
                              name="甲公司新材料生产基地二期扩建工程")
    af.upload_materials(af.stage_of(project, 1), personas.alice)
    services.project_submit(project=project, actor=personas.alice)
    demand_submit(enterprise=personas.enterprise_a, actor=personas.alice,
                  category=DemandCategory.objects.get(code="approval"), title="厂房扩建施工许可办理咨询")
    return project


def _login(page, live_server, username, language):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def _chrome_text(page):
    """The interface's own words: navigation (not the user menu's toggle, which shows the person's
    own name), headings, table headers, labels and buttons."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        'nav .nav-link:not(.dropdown-toggle), h1, thead th, label, button, .btn')).map(e => e.innerText)
        .join(' | ')""")


def _axe(page):
    # Evaluated through the DevTools protocol: the page's Content-Security-Policy forbids an
    # injected <script>, and the test must not loosen the policy it runs under.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' +
                 (n.any[0] ? n.any[0].message : '')).join(', '));
    }""")
    return result


@pytest.mark.parametrize("username", list(PAGES))
def test_lists_work_on_a_phone_in_both_languages(live_server, page, screenshot, personas, zone, username):
    problems = []
    for language in ("zh-hans", "en"):
        _login(page, live_server, username, language)
        for name in PAGES[username]:
            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(f"{live_server.url}{reverse(name)}")
            page.wait_for_load_state("networkidle")
            where = f"{language} {name}"
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 1:
                problems.append(f"{where}: scrolls sideways by {overflow}px at 390 px")
            if language == "en":
                leftover = [t for t in _chrome_text(page).split(" | ") if HAN.search(t)]
                if leftover:
                    problems.append(f"{where}: untranslated {leftover[:5]}")
            problems += [f"{where}: axe {v}" for v in _axe(page)]
            screenshot(username, f"{name.replace(':', '-')}-{language}")
    assert problems == []


def test_the_visit_form_picks_policies_by_touch(live_server, page, screenshot, personas, zone):
    import datetime as dt

    from commissioners.models import Policy

    for title in ("高新技术企业认定奖励办法", "工业企业技术改造补助细则", "稳岗就业补贴政策"):
        Policy.objects.create(title=title, issuing_body="高新区管委会", valid_from=dt.date(2026, 1, 1))
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    _login(page, live_server, "carol", "zh-hans")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{reverse('commissioners:visit_create')}")
    picker = page.locator(".ts-control").first
    picker.click()
    page.keyboard.type("补助")
    page.locator(".ts-dropdown .option", has_text="工业企业技术改造补助细则").click()
    assert page.locator("#id_policies option:checked").all_inner_texts() == ["工业企业技术改造补助细则"]
    screenshot("carol", "visit-form-policies")
    assert [text for text in errors if "Content Security Policy" in text] == []


@pytest.mark.parametrize("username", ["alice", "carol", "gary", "betty", "wendy", "adam", "leo"])
def test_the_navbar_keeps_to_one_line_at_1366_in_both_languages(live_server, page, personas, zone, username):
    """At 1366 px the navbar's links sit on one line and the language box shows its whole name
    (it wrapped to two lines in English and cut the box to 'E(')."""
    problems = []
    for language in ("zh-hans", "en"):
        _login(page, live_server, username, language)
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(f"{live_server.url}/")
        page.wait_for_load_state("networkidle")
        tops = page.evaluate("""() => Array.from(document.querySelectorAll('#mainnav > ul > li.nav-item'))
            .filter(li => li.offsetParent !== null).map(li => Math.round(li.getBoundingClientRect().top))""")
        if tops and max(tops) - min(tops) > 20:  # the form centres itself a few px lower: same line
            problems.append(f"{language}: navbar items on several lines (tops {sorted(set(tops))})")
        cut = page.evaluate("""() => { const s = document.querySelector('#mainnav select[name=language]');
            if (!s) return 'no language box';
            const probe = document.createElement('span'); probe.style.font = getComputedStyle(s).font;
            probe.textContent = s.options[s.selectedIndex].text; document.body.appendChild(probe);
            const need = probe.getBoundingClientRect().width; probe.remove();
            return need + 24 <= s.clientWidth ? ''
                : `box ${s.clientWidth}px for text ${Math.round(need)}px`; }""")
        if cut:
            problems.append(f"{language}: language box cut: {cut}")
    assert problems == []
