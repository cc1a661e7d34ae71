"""core.pagination.keyset: cursor pages over any total order (ties, NULLs, expressions), a bad
cursor is page 1, the links keep the other GET parameters, the count stops at the cap."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Case, F, IntegerField, Value, When
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.pagination import KeysetPaginator, keyset

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def people():
    """23 users: names in three tie groups, a last_login that is NULL for every third one."""
    start = timezone.make_aware(dt.datetime(2026, 1, 1, 9, 0, 0, 123456))
    for n in range(23):
        User.objects.create(username=f"kp{n:02d}", display_name=f"组{n % 3}",
                            last_login=None if n % 3 == 0 else start + dt.timedelta(hours=n % 5))
    return User.objects.filter(username__startswith="kp")


ORDERS = {
    "name, id": ("display_name", "id"),
    "name desc, id desc": ("-display_name", "-id"),
    "login nulls last": (F("last_login").asc(nulls_last=True), "display_name", "id"),
    "login nulls first, desc": (F("last_login").desc(nulls_first=True), "-display_name", "id"),
    "login, database's own NULL place": ("last_login", "id"),
    "login desc, database's own NULL place": ("-last_login", "-id"),
    "an expression": (Case(When(last_login__isnull=True, then=Value(0)), default=Value(1),
                           output_field=IntegerField()).asc(), "-id"),
}


def _page(rows, per_page=5, **params):
    return keyset(RequestFactory().get("/", params), rows, per_page)


def _walk_forward(rows, per_page=5):
    page, pages = _page(rows, per_page), []
    while True:
        pages.append([row.pk for row in page])
        if not page.has_next():
            return pages, page
        page = _page(rows, per_page, after=page.next_cursor)


@pytest.mark.parametrize("order", ORDERS, ids=list(ORDERS))
def test_pages_forward_and_back_read_the_whole_order_once(people, order):
    rows = people.order_by(*ORDERS[order])
    everything = list(rows.values_list("pk", flat=True))
    pages, last = _walk_forward(rows)
    assert [pk for page in pages for pk in page] == everything
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    assert not last.has_next() and last.start_index() == 21 and last.end_index() == 23
    back, page = [], last
    while page.has_previous():
        page = _page(rows, before=page.previous_cursor)
        back.insert(0, [row.pk for row in page])
    assert back == pages[:-1] and not page.has_previous() and page.number == 1


def test_a_reversed_queryset_pages_in_its_own_order(people):
    rows = people.order_by(F("last_login").asc(nulls_last=True), "id").reverse()
    pages, _last = _walk_forward(rows, per_page=4)
    assert [pk for page in pages for pk in page] == list(rows.values_list("pk", flat=True))


@pytest.mark.parametrize("cursor", [
    "", "x", "!!!", "e30", "eyJ2IjpbXX0", "W10", "eyJ2IjpbMSwyXSwibiI6LTF9",
    "eyJ2IjpbIm5vdCBhIGRhdGUiLCLnu4QwIiwxXSwibiI6NX0", "A" * 5000,
])
def test_a_bad_cursor_is_page_one(people, cursor):
    rows = people.order_by(F("last_login").asc(nulls_last=True), "display_name", "id")
    first = [row.pk for row in _page(rows)]
    for name in ("after", "before"):
        page = _page(rows, **{name: cursor})
        assert [row.pk for row in page] == first and not page.has_previous()


def test_first_and_only_page(people):
    rows = people.order_by("id")
    with CaptureQueriesContext(connection) as queries:
        page = _page(rows, per_page=50)
        assert page.paginator.count == 23 and page.paginator.num_pages == 1
    assert len(queries) == 2 and "LIMIT 10001" in queries[1]["sql"]  # the page, the capped COUNT
    assert not page.has_previous() and not page.has_next() and page.next_cursor is None


def test_the_count_stops_at_the_cap(people):
    rows = people.order_by("id")
    paginator = KeysetPaginator(rows, 5, cap=10)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 11 and paginator.capped and paginator.total == "10+"
    assert "LIMIT 11" in queries[0]["sql"] and "ORDER BY" not in queries[0]["sql"]
    assert paginator.num_pages is None
    exact = KeysetPaginator(rows, 5, cap=100)
    assert exact.count == 23 and not exact.capped and exact.total == 23 and exact.num_pages == 5


def test_a_page_past_the_cap_needs_no_count(people):
    rows = people.order_by("id")
    paginator = KeysetPaginator(rows, 5, cap=10)
    page = paginator.page_for({"after": paginator.cursor_at(10)})
    with CaptureQueriesContext(connection) as queries:
        assert page.paginator.total == "10+" and page.start_index() == 11
    assert not queries


def test_the_links_keep_the_other_parameters(people):
    rows = people.order_by("display_name", "id")
    second = _page(rows, q="组", status="open", page="3",
                   after=_page(rows).next_cursor)
    request = RequestFactory().get("/", {"q": "组", "status": "open", "page": "3", "after": "old"})
    html = render_to_string("snippets/pagination.html", {"page": second}, request=request)
    assert f"after={second.next_cursor}" in html and f"before={second.previous_cursor}" in html
    assert html.count("q=%E7%BB%84") == 3 and html.count("status=open") == 3  # 首页, 上一页, 下一页
    assert "page=3" not in html and "after=old" not in html
    assert "第 6–10 条, 共 23 条" in html and "2 / 5" in html


def test_an_order_must_end_in_a_key():
    from django.core.exceptions import ImproperlyConfigured

    for rows in (User.objects.all(), User.objects.order_by("id", "display_name")):
        with pytest.raises(ImproperlyConfigured):
            KeysetPaginator(rows, 5)
    KeysetPaginator(User.objects.order_by("display_name", F("pk").desc()), 5)


def _forged(values, position=5):
    import base64
    import json

    text = json.dumps({"v": values, "n": position}).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


@pytest.mark.parametrize("values", [
    [None, "组1", 10**30], [None, "组1", -(10**30)], [None, "组\x001", 3], ["2026-13-40", "组1", 3],
    [None, ["组1"], 3], [None, {"a": 1}, 3],
])
def test_a_forged_cursor_out_of_range_is_page_one_not_an_error(people, values):
    """Also hostile JSON: 1e999 and Infinity (OverflowError in int()), brackets nested past the
    parser's recursion limit, a float position."""
    rows = people.order_by(F("last_login").asc(nulls_last=True), "display_name", "id")
    first = [row.pk for row in _page(rows)]
    assert [row.pk for row in _page(rows, after=_forged(values))] == first
    assert [row.pk for row in _page(rows, after=_forged([None, "组1", 3], 10**12))] == first


@pytest.mark.parametrize("text", [
    '{"v":[],"n":1e999}', '{"v":[null,"组1",Infinity],"n":5}', '{"v":[null,"组1",1e999],"n":5}',
    '{"v":[null,"组1",3],"n":5.5}', '{"v":"abc","n":5}', "[" * 1200,
])
def test_hostile_json_in_a_cursor_is_page_one(people, text):
    import base64

    rows = people.order_by(F("last_login").asc(nulls_last=True), "display_name", "id")
    first = [row.pk for row in _page(rows)]
    token = base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")
    for name in ("after", "before"):
        assert [row.pk for row in _page(rows, **{name: token})] == first
