"""一企一档's timeline: by month, newest first; a project's events of one month folded into one
entry that opens (<details>); demands, visits and service changes alongside; paged with ?page= at
the same number of queries for 10 events as for 300; only what the viewer may see."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from approvals import services
from approvals.models import EventAction, StageEvent, StageStatus
from approvals.selectors import project_timeline_source
from commissioners.models import DemandCategory, OrgEvent
from commissioners.selectors.demands import demand_timeline_source
from commissioners.selectors.org import org_timeline_source
from commissioners.services import demand_submit, leader_pair, visit_record
from enterprises.timeline import PER_PAGE, timeline_page
from tests import factories as f
from tests.approvals import factories as af

pytestmark = pytest.mark.django_db
PROFILE_QUERIES = 25  # the whole profile, as tests/commissioners/test_org_queries.py bounds it


def at(year, month, day, hour=9, minute=0):
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def submitted(personas, name, code):
    """A project carol may see (a draft is the enterprise's own), handed in on 2026-09-01."""
    with time_machine.travel(at(2026, 9, 1), tick=False):
        project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, name=name,
                                  code=code)
        af.upload_materials(af.stage_of(project, 1), personas.alice)
        services.project_submit(project=project, actor=personas.alice)
    return project


def add_events(project, when, n, *, to_status=""):
    """n review events of the project's first stage at `when` (history rows, written directly)."""
    stage = af.stage_of(project, 1)
    rows = StageEvent.objects.bulk_create(
        [StageEvent(project=project, stage=stage, action=EventAction.REVIEW_SUBMITTED, to_status=to_status)
         for _ in range(n)])
    StageEvent.objects.filter(pk__in=[row.pk for row in rows]).update(created_at=when)


def timeline(enterprise, user, number=1):
    """The page as the profile's template tag builds it (dashboard_tags.enterprise_timeline)."""
    sources = [project_timeline_source(enterprise=enterprise, user=user),
               demand_timeline_source(enterprise=enterprise, user=user), org_timeline_source(enterprise)]
    return timeline_page(sources, number)


def profile(client, user, enterprise, query=""):
    client.force_login(user)
    return client.get(reverse("enterprises:profile", args=[enterprise.pk]) + query)


@pytest.fixture
def history(personas):
    """Fifteen review events of one project on 11-10, two in October, a demand, a visit and a
    leader paired (a service change)."""
    p = personas
    project = submitted(p, "甲公司新厂房", "TL-001")
    add_events(project, at(2026, 11, 10, 9), 14)
    add_events(project, at(2026, 11, 10, 15), 1, to_status=StageStatus.APPROVED)
    add_events(project, at(2026, 10, 12), 2, to_status=StageStatus.IN_REVIEW)
    with time_machine.travel(at(2026, 11, 20), tick=False):
        demand_submit(enterprise=p.enterprise_a, actor=p.alice, title="申请用电增容",
                      category=DemandCategory.objects.filter(is_active=True).first())
    with time_machine.travel(at(2026, 10, 6), tick=False):
        visit_record(actor=p.carol, enterprise=p.enterprise_a, visited_on=dt.date(2026, 10, 5))
    with time_machine.travel(at(2026, 11, 25), tick=False):
        leader_pair(leader=f.LeaderFactory(user__display_name="王副主任"), enterprises=[p.enterprise_a],
                    actor=p.root)
    return project


# --- grouping and folding ----------------------------------------------------------------------

def test_months_newest_first_with_a_projects_events_folded(personas, history):
    months = timeline(personas.enterprise_a, personas.carol).months
    assert [m.month for m in months][:3] == [dt.date(2026, 11, 1), dt.date(2026, 10, 1), dt.date(2026, 9, 1)]
    november, october = months[0].entries, months[1].entries
    assert [(e.kind, e.count) for e in november] == [("org", 1), ("demand", 1), ("approval", 15)]
    folded = november[2]
    assert folded.title == "甲公司新厂房" and folded.url == f"/projects/{history.pk}/"
    assert len(folded.events) == 15 and folded.folded
    assert folded.status == "已通过"  # the latest event's status, not an earlier one
    assert folded.at == at(2026, 11, 10, 15)
    assert [(e.kind, e.count) for e in october] == [("approval", 2), ("visit", 1)]
    assert october[0].status == "审查中" and october[0].events[0]["step"].endswith("出具审查意见")


def test_the_page_shows_the_folded_entry_as_details(client, personas, history):
    body = profile(client, personas.carol, personas.enterprise_a).content.decode()
    assert "服务时间线" in body and "2026年11月" in body and "2026年10月" in body
    assert body.index("2026年11月") < body.index("2026年10月") < body.index("2026年9月")
    assert '<details class="timeline-fold">' in body and "15 条记录" in body and "最新: 已通过" in body
    assert "诉求: 申请用电增容" in body and "走访:" in body and "挂钩委领导 王副主任" in body
    # The fifteen events are inside the entry, not fifteen rows of the list.
    november = body[body.index("2026年11月"):body.index("2026年10月")]
    assert november.count('class="list-group-item timeline-entry"') == 3
    assert november.count("出具审查意见") == 15
    assert "style=" not in body[body.index('id="timeline"'):]  # CSP: no inline style


def test_the_timeline_reads_in_english(client, personas, history):
    client.cookies["django_language"] = "en"
    body = profile(client, personas.carol, personas.enterprise_a).content.decode()
    assert "November 2026" in body and "15 records" in body and "Latest:" in body


# --- paging ---------------------------------------------------------------------------------------

def test_paged_over_the_grouped_entries(client, personas, history):
    for month in range(1, 25):  # one more folded entry per month of 2024 and 2025, two events each
        add_events(history, at(2024 + (month - 1) // 12, (month - 1) % 12 + 1, 3), 2)
    everything = timeline(personas.enterprise_a, personas.carol).paginator.count
    assert everything == 5 + 24 + OrgEvent.objects.filter(enterprise=personas.enterprise_a).count()
    seen = []
    for number in range(1, timeline(personas.enterprise_a, personas.carol).paginator.num_pages + 1):
        page = timeline(personas.enterprise_a, personas.carol, number)
        assert len(page.object_list) == min(PER_PAGE, everything - (number - 1) * PER_PAGE)
        seen += [(e.kind, e.key, e.month) for m in page.months for e in m.entries]
    assert len(seen) == len(set(seen)) == everything
    months = [month for _kind, _key, month in seen]
    assert months == sorted(months, reverse=True)

    body = profile(client, personas.carol, personas.enterprise_a, "?page=2").content.decode()
    assert "2 / 2" in body and "2024年1月" in body and "2026年11月" not in body
    assert 'href="?page=1#timeline"' in body
    last = profile(client, personas.carol, personas.enterprise_a, "?page=99").content.decode()
    assert "2 / 2" in last  # past the end: the last page
    first = profile(client, personas.carol, personas.enterprise_a, "?page=x").content.decode()
    assert "1 / 2" in first and "2026年11月" in first


def test_an_empty_history_says_so(client, personas):
    OrgEvent.objects.filter(enterprise=personas.enterprise_b).delete()
    body = profile(client, personas.bob, personas.enterprise_b).content.decode()
    assert "暂无项目审批、走访或诉求记录。" in body and "timeline-fold" not in body


# --- scoping -------------------------------------------------------------------------------------

def test_only_what_the_viewer_may_see(client, personas, history):
    p = personas
    draft = af.make_project(actor=p.alice, enterprise=p.enterprise_a, name="甲公司未提交草稿", code="TL-D")
    add_events(draft, at(2026, 11, 11), 3)
    other = af.make_project(actor=p.bob, enterprise=p.enterprise_b, name="乙公司项目", code="TL-B")
    add_events(other, at(2026, 11, 11), 3)

    carol = profile(client, p.carol, p.enterprise_a).content.decode()
    assert "甲公司新厂房" in carol and "甲公司未提交草稿" not in carol and "乙公司项目" not in carol
    alice = profile(client, p.alice, p.enterprise_a).content.decode()
    assert "甲公司未提交草稿" in alice and "乙公司项目" not in alice
    leader_sees = [e.title for m in timeline(p.enterprise_a, p.leo).months for e in m.entries]
    assert "甲公司新厂房" in leader_sees and "甲公司未提交草稿" not in leader_sees
    # Another commissioner's, another enterprise's user: the profile is not theirs to see.
    assert profile(client, p.dave, p.enterprise_a).status_code == 404
    assert profile(client, p.bob, p.enterprise_a).status_code == 404
    # A demand is the enterprise's and its commissioners'; a working group sees it only once dispatched.
    assert "申请用电增容" not in profile(client, p.wendy, p.enterprise_a).content.decode()


# --- queries ---------------------------------------------------------------------------------------

def _count(client, user, enterprise, query, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    url = reverse("enterprises:profile", args=[enterprise.pk]) + query
    with django_assert_max_num_queries(PROFILE_QUERIES), CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_same_bounded_number_of_queries_for_10_and_300_events(client, personas,
                                                                    django_assert_max_num_queries):
    p = personas
    first = submitted(p, "甲公司一号项目", "TL-Q1")
    add_events(first, at(2026, 11, 2), 8 - StageEvent.objects.filter(project=first)
               .exclude(action=EventAction.MATERIAL_UPLOADED).count())
    with time_machine.travel(at(2026, 11, 3), tick=False):
        demand_submit(enterprise=p.enterprise_a, actor=p.alice, title="申请用电增容",
                      category=DemandCategory.objects.filter(is_active=True).first())
        visit_record(actor=p.carol, enterprise=p.enterprise_a, visited_on=dt.date(2026, 11, 3))
    assert StageEvent.objects.exclude(action=EventAction.MATERIAL_UPLOADED).count() == 8  # + 2: ten
    small = _count(client, p.carol, p.enterprise_a, "", django_assert_max_num_queries)

    second = submitted(p, "甲公司二号项目", "TL-Q2")
    for project in (first, second):  # 290 more over 29 months: 58 more folded entries, four pages
        for month in range(29):
            year, index = divmod(month, 12)
            add_events(project, at(2023 + year, index + 1, 7), 5)
    for n in range(5):
        with time_machine.travel(at(2026, 6, 1 + n), tick=False):
            visit_record(actor=p.carol, enterprise=p.enterprise_a, visited_on=dt.date(2026, 6, 1 + n))
    assert StageEvent.objects.exclude(action=EventAction.MATERIAL_UPLOADED).count() >= 300
    large = _count(client, p.carol, p.enterprise_a, "", django_assert_max_num_queries)
    later = _count(client, p.carol, p.enterprise_a, "?page=2", django_assert_max_num_queries)
    assert small == large  # the same kinds on page 1: the very same queries
    assert later <= large  # a page without demands or visits skips fetching them


# --- in a browser: 1366 and 390 px, Chinese and English ----------------------------------------

@pytest.fixture
def seeded(personas):
    from tests.sweeps.conftest import restore_seeds

    restore_seeds()  # a transactional test starts from empty tables: the project categories back
    return personas


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_timeline_on_a_phone_and_a_desk_in_both_languages(live_server, page, screenshot, seeded):
    from tests.test_phone_and_english import HAN, _axe, _login

    p = seeded
    project = submitted(p, "甲公司新材料生产基地二期扩建工程", "TL-BR")
    add_events(project, at(2026, 11, 10, 9), 14)
    add_events(project, at(2026, 11, 10, 15), 1, to_status=StageStatus.APPROVED)
    with time_machine.travel(at(2026, 11, 20), tick=False):
        demand_submit(enterprise=p.enterprise_a, actor=p.alice, title="厂房扩建施工许可办理咨询",
                      category=DemandCategory.objects.filter(is_active=True).first())
    for month in range(1, 25):
        add_events(project, at(2024 + (month - 1) // 12, (month - 1) % 12 + 1, 3), 2)
    problems = []
    for language in ("zh-hans", "en"):
        _login(page, live_server, "carol", language)
        page.goto(f"{live_server.url}{reverse('enterprises:profile', args=[p.enterprise_a.pk])}")
        page.wait_for_load_state("networkidle")
        fold = page.locator("#timeline details.timeline-fold").first
        assert not fold.locator(".timeline-events").is_visible()
        fold.locator("summary").click()
        assert fold.locator(".timeline-events li").count() == 15
        assert fold.locator(".timeline-events").is_visible()
        for width in (390, 1366):
            page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 1:
                problems.append(f"{language} {width}: scrolls sideways by {overflow}px")
        if language == "en":
            chrome = page.evaluate("""() => Array.from(document.querySelectorAll(
                '#timeline h2, #timeline h3, #timeline .badge, #timeline nav,' +
                '#timeline summary > .timeline-line > .small')).map(e => e.innerText)""")
            problems += [f"en: untranslated {text!r}" for text in chrome if HAN.search(text)]
        problems += [f"{language}: axe {v}" for v in _axe(page)]
        screenshot("carol", f"enterprise-profile-timeline-{language}")
        page.click("#timeline a[rel=next]")
        page.wait_for_load_state("networkidle")
        assert "page=2" in page.url and page.locator("#timeline .pagination .active").inner_text() == "2 / 2"
    assert problems == []
