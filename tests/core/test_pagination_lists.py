"""The big lists page by keyset: following 下一页 reads every row once, in the list's order, in the
same few queries on every page, with no OFFSET and no COUNT past the cap."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import services
from tests import factories as f
from tests.approvals import factories as af
from tests.commissioners.factories_demands import DemandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_zone(personas):
    """30 projects of A submitted (30 stages pending for adam, every tenth accepted) and 45 demands of A."""
    for department in af.all_departments():
        department.members.add(personas.adam)
    for n in range(30):
        project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code=f"K-{n}",
                                  name=f"项目{n}")
        af.upload_materials(af.stage_of(project, 1), personas.alice)
        services.project_submit(project=project, actor=personas.alice)
        if n % 10 == 0:
            services.stage_accept(stage=af.stage_of(project, 1), actor=personas.adam)
    for _ in range(45):
        DemandFactory(enterprise=personas.enterprise_a)
    f.EnterpriseFactory()  # someone else's rows stay out
    return personas


def _walk(client, url, params=None):
    """Follow 下一页 from page 1; each page's rows (ids), and every statement run."""
    pages, statements, params = [], [], dict(params or {})
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        page = response.context["page"]
        pages.append(([row.pk for row in page], len(queries)))
        statements += [query["sql"] for query in queries]
        if not page.has_next():
            return [ids for ids, _n in pages], [n for _ids, n in pages], statements, response
        params["after"] = page.next_cursor
        assert f"after={page.next_cursor}" in response.content.decode()


def _no_offset_no_open_count(statements):
    for sql in statements:
        assert not re.search(r"\bOFFSET\b", sql), sql
        if "COUNT(" in sql.upper():
            assert re.search(r"\bLIMIT \d+\) subquery", sql), sql  # capped (the list's 10,001, the badge's)


@pytest.mark.parametrize(("who", "url_name", "params", "size"), [
    ("adam", "approvals:queue", {}, 25),
    ("adam", "approvals:queue", {"q": "项目"}, 25),
    ("leo", "approvals:project_list", {}, 20),
    ("alice", "commissioners:demand_list", {}, 20),
    ("leo", "commissioners:demand_list", {"status": "submitted"}, 20),
])
def test_following_the_next_link_reads_the_whole_list_once(client, busy_zone, who, url_name, params, size):
    client.force_login(getattr(busy_zone, who))
    url = reverse(url_name)
    whole = client.get(url, params).context["page"].paginator.object_list
    pages, queries, statements, last = _walk(client, url, params)
    assert [pk for ids in pages for pk in ids] == list(whole.values_list("pk", flat=True))
    assert len(pages) > 1 and all(len(ids) == size for ids in pages[:-1])
    # The same queries on every page (the last one may skip the capped COUNT it already knows).
    assert max(queries) == queries[0] and min(queries) >= queries[0] - 1
    _no_offset_no_open_count(statements)
    body = last.content.decode()
    total = whole.count()
    assert f"共 {total} 条" in body and last.context["page"].paginator.count == total
    for key, value in params.items():
        assert f"{key}=" in body and value  # the filters ride along in 首页 and 上一页


def test_a_deep_page_of_the_queue_reads_no_further_than_its_rows(client, busy_zone):
    """The SQL of a page past the first: the cursor's range in WHERE, LIMIT page + 1, no OFFSET."""
    client.force_login(busy_zone.adam)
    first = client.get(reverse("approvals:queue")).context["page"]
    with CaptureQueriesContext(connection) as queries:
        second = client.get(reverse("approvals:queue"), {"after": first.next_cursor})
    rows = [q["sql"] for q in queries
            if 'FROM "approvals_approvalstage"' in q["sql"] and "COUNT(" not in q["sql"]]
    assert rows and all(" LIMIT 26" in sql and "OFFSET" not in sql for sql in rows[:1])
    assert len(second.context["page"]) == 5 and second.context["page"].start_index() == 26
    _no_offset_no_open_count([q["sql"] for q in queries])


@pytest.mark.postgres
def test_the_queue_pages_past_its_cursor_by_one_row_comparison(client, busy_zone):
    """On PostgreSQL the queue's sort terms are not nullable and all ascending, so the rows past a
    cursor are one ROW(…) > ROW(…), which the index stage_queue_rank starts its range at (the
    nested form's OR branches are filters); the pages read the same rows as the nested form."""
    if connection.vendor != "postgresql":
        pytest.skip("the row comparison is PostgreSQL's")
    from approvals.models import ApprovalStage, WarningLevel
    from approvals.selectors import approver_queue
    from core.pagination import KeysetPaginator, _past

    escalated = ApprovalStage.objects.filter(status="pending").order_by("-id").first()
    ApprovalStage.objects.filter(pk=escalated.pk).update(warning_level=WarningLevel.ESCALATED)
    client.force_login(busy_zone.adam)
    first = client.get(reverse("approvals:queue")).context["page"]
    assert first.object_list[0].pk == escalated.pk  # the stored level leads
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("approvals:queue"), {"after": first.next_cursor})
    assert any("ROW(CASE WHEN" in q["sql"] for q in queries)
    paginator = KeysetPaginator(approver_queue(busy_zone.adam), 25)
    assert paginator.row_compare
    cursor = paginator.values(first.object_list[-1])
    nested = paginator.rows.filter(_past(paginator.terms, cursor)).values_list("pk", flat=True)
    rowwise = paginator.rows.filter(paginator._past(paginator.terms, cursor)).values_list("pk", flat=True)
    assert list(rowwise) == list(nested) and len(nested) == 5


def test_the_done_list_and_queues_page_by_cursor_too(client, busy_zone):
    client.force_login(busy_zone.carol)
    response = client.get(reverse("commissioners:demand_queue"), {"after": "not-a-cursor"})
    assert response.status_code == 200 and response.context["page"].number == 1


def test_the_inbox_pages_unread_first_by_cursor(client, personas):
    from notifications.models import Notification
    from notifications.services import notify

    for i in range(25):
        notify(recipients=[personas.alice], title=f"消息 {i}", body="")
    Notification.objects.filter(title__in=[f"消息 {i}" for i in range(0, 25, 4)]).update(
        read_at="2026-11-20T10:00:00+08:00")
    client.force_login(personas.alice)
    url = reverse("notifications:inbox")
    whole = client.get(url).context["page"].paginator.object_list
    pages, _queries, statements, _last = _walk(client, url)
    assert [pk for ids in pages for pk in ids] == list(whole.values_list("pk", flat=True))
    assert len(pages) == 2
    _no_offset_no_open_count(statements)



@pytest.mark.browser
def test_the_cursor_links_on_a_phone_and_a_laptop_in_both_languages(live_server, page, screenshot, busy_zone):
    from tests.test_phone_and_english import _login

    words = {"zh-hans": ("下一页", "上一页", "共 30 条"), "en": ("Next", "Previous", "of 30")}
    for language, (next_word, previous_word, total) in words.items():
        _login(page, live_server, "adam", language)
        for width, height in ((390, 844), (1366, 900)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{live_server.url}{reverse('approvals:queue')}?q=%E9%A1%B9%E7%9B%AE")
            page.get_by_role("link", name=next_word).click()
            page.wait_for_load_state("networkidle")
            assert "after=" in page.url and "q=" in page.url
            nav = page.locator("nav.mt-2").inner_text()
            assert total in nav and "2 / 2" in nav
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{language} {width}: scrolls sideways by {overflow}px"
            page.get_by_role("link", name=previous_word).click()
            page.wait_for_load_state("networkidle")
            assert "before=" in page.url and "1 / 2" in page.locator("nav.mt-2").inner_text()
        page.goto(f"{live_server.url}{reverse('approvals:queue')}?q=%E9%A1%B9%E7%9B%AE")
        page.get_by_role("link", name=next_word).click()
        page.wait_for_load_state("networkidle")
        screenshot("adam", f"approvals-queue-page-2-{language}")
