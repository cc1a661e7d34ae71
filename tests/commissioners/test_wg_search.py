"""?q= on the working group's queue and done list, the other queues and the demand list: title,
enterprise name or number; the form keeps the query; no input makes a 500."""

import pytest
from django.urls import reverse

from commissioners.choices import DemandStatus, DispatchStatus
from commissioners.models import DemandDispatch
from tests import factories as f

from .factories_demands import DemandFactory

QUEUE = reverse("commissioners:demand_queue")
DONE = reverse("commissioners:demand_done")
LIST = reverse("commissioners:demand_list")


@pytest.fixture
def shares(personas):
    """Three demands with wendy's group (two of A, one of a third enterprise C), open and answered."""
    p = personas
    c = f.EnterpriseFactory(name="丙生物医药有限公司")
    rows = {}
    a = p.enterprise_a
    for title, enterprise in (("用电增容", a), ("施工许可咨询", a), ("排污许可", c)):
        demand = DemandFactory(enterprise=enterprise, status=DemandStatus.DISPATCHED, title=title)
        rows[title] = demand
        DemandDispatch.objects.create(demand=demand, working_group=p.working_group, started_on=demand.due_on,
                                      limit_workdays=5, due_on=demand.due_on)
        answered = DemandFactory(enterprise=enterprise, status=DemandStatus.ANSWERED, title=f"{title}(已答)")
        rows[answered.title] = answered
        DemandDispatch.objects.create(demand=answered, working_group=p.working_group,
                                      status=DispatchStatus.ANSWERED, answer="已办", answered_by=p.wendy,
                                      answered_at=answered.created_at)
    return rows


def _titles(response):
    return sorted(getattr(row, "demand", row).title for row in response.context["page"])


@pytest.mark.parametrize(("q", "queue", "done"), [
    ("许可", ["排污许可", "施工许可咨询"], ["排污许可(已答)", "施工许可咨询(已答)"]),
    ("丙生物", ["排污许可"], ["排污许可(已答)"]),
    ("  甲新材料  ", ["施工许可咨询", "用电增容"], ["施工许可咨询(已答)", "用电增容(已答)"]),
    ("没有这个", [], []),
])
def test_the_working_group_searches_its_queue_and_done_list(client, personas, shares, q, queue, done):
    client.force_login(personas.wendy)
    assert _titles(client.get(QUEUE, {"q": q})) == queue
    assert _titles(client.get(DONE, {"q": q})) == done


def test_a_demand_is_found_by_its_number(client, personas, shares):
    demand, answered = shares["用电增容"], shares["用电增容(已答)"]
    client.force_login(personas.wendy)
    for q in (str(demand.pk), f"#{demand.pk}", f"＃{demand.pk}"):
        assert _titles(client.get(QUEUE, {"q": q})) == ["用电增容"], q
    assert _titles(client.get(DONE, {"q": f"#{answered.pk}"})) == ["用电增容(已答)"]
    body = client.get(QUEUE).content.decode()
    assert f"#{demand.pk}</span>" in body  # the number is printed beside the title, to be searched for
    client.force_login(personas.alice)
    assert _titles(client.get(LIST, {"q": f"#{demand.pk}"})) == ["用电增容"]


def test_the_form_keeps_the_query_and_the_role(client, personas, shares):
    client.force_login(personas.wendy)
    for url in (QUEUE, DONE):
        body = client.get(url, {"q": "许可 <b>"}).content.decode()
        assert 'name="q" id="id_q" value="许可 &lt;b&gt;"' in body
        assert '<input type="hidden" name="role" value="working_group">' in body
        assert 'href="?role=working_group">清除</a>' in body
    body = client.get(QUEUE, {"q": "没有这个"}).content.decode()
    assert "没有与“没有这个”匹配的待办诉求。" in body
    client.force_login(personas.alice)
    body = client.get(LIST, {"q": "用电"}).content.decode()
    assert 'value="用电"' in body


def test_the_other_queues_search_too(client, personas):
    p = personas
    DemandFactory(enterprise=p.enterprise_a, status=DemandStatus.SUBMITTED, title="融资对接")
    DemandFactory(enterprise=p.enterprise_a, status=DemandStatus.SUBMITTED, title="用工招聘")
    client.force_login(p.carol)
    assert _titles(client.get(QUEUE, {"q": "融资"})) == ["融资对接"]
    assert _titles(client.get(QUEUE, {"q": "甲新材料"})) == ["用工招聘", "融资对接"]


def test_search_never_reaches_what_the_user_may_not_see(client, personas, shares):
    other = DemandFactory(enterprise=personas.enterprise_b, status=DemandStatus.DISPATCHED, title="乙的许可")
    client.force_login(personas.wendy)
    assert "乙的许可" not in _titles(client.get(QUEUE, {"q": "许可"}))
    assert _titles(client.get(QUEUE, {"q": str(other.pk)})) == []
    client.force_login(personas.bob)
    assert _titles(client.get(LIST, {"q": str(shares["用电增容"].pk)})) == []


BAD = ["\x00", "许可\x00可", "x" * 10_000, "99999999999999999999999", "#", "＃", "²", "%", "_", "' OR 1=1 --",
       "\\", "１２３", "-1", "1e5", "\u202e", "%00", "<script>"]


@pytest.mark.parametrize("q", BAD)
def test_bad_input_is_never_a_500(client, personas, shares, q):
    client.force_login(personas.wendy)
    for url in (QUEUE, DONE, LIST):
        response = client.get(url, {"q": q, "page": "x"})
        assert response.status_code == 200, (url, q)
        kept = response.context["q"]
        assert "\x00" not in kept and len(kept) <= 100
    assert client.get(QUEUE, {"q": "%"}).context["page"].paginator.count == 0  # a literal %, no wildcard
