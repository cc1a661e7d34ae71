"""The 护商通 pages: who may open what (a 404 otherwise), buttons, follow-up, bounded queues."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioners.choices import DemandStatus, Rating, Urgency
from commissioners.models import Demand, DemandDispatch
from commissioners.services import (
    demand_accept,
    demand_dispatch,
    demand_review,
    demand_submit,
    visit_record,
)

from .conftest import on, pdf
from .factories_demands import DemandFactory, PolicyFactory

EVERYONE = ("alice", "bob", "carol", "dave", "gary", "grace", "betty", "wendy", "adam", "leo", "root")


@pytest.fixture
def world(personas, categories):
    """A's demand, dispatched to wendy's group, with an attachment; a visit of carol to A."""
    p = personas
    with on(2026, 9, 30):
        demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["approval"],
                               title="施工许可咨询", files=[pdf()])
        demand_accept(demand=demand, actor=p.carol)
        demand_review(demand=demand, actor=p.gary)
        demand_dispatch(demand=demand, actor=p.betty, working_groups=[p.working_group])
        visit = visit_record(actor=p.carol, enterprise=p.enterprise_a, visited_on=on_day(), people_met="张总")
    PolicyFactory(title="通用政策")
    return {"demand": demand, "visit": visit, "attachment": demand.attachments.get()}


def on_day():
    import datetime as dt

    return dt.date(2026, 9, 29)


def _urls(world):
    return {
        "demand_list": reverse("commissioners:demand_list"),
        "demand_create": reverse("commissioners:demand_create"),
        "demand_queue": reverse("commissioners:demand_queue"),
        "demand_done": reverse("commissioners:demand_done"),
        "demand_detail": reverse("commissioners:demand_detail", args=[world["demand"].pk]),
        "attachment": reverse("commissioners:demand_attachment", args=[world["attachment"].pk]),
        "visit_list": reverse("commissioners:visit_list"),
        "visit_create": reverse("commissioners:visit_create"),
        "visit_detail": reverse("commissioners:visit_detail", args=[world["visit"].pk]),
        "policy_list": reverse("commissioners:policy_list"),
        "policy_create": reverse("commissioners:policy_create"),
    }


# page → the personas who get a 200; everyone else gets a 404.
MATRIX = {
    "demand_list": set(EVERYONE) - {"adam"},
    "demand_create": {"alice", "bob"},
    "demand_queue": {"carol", "dave", "gary", "grace", "betty", "wendy", "leo"},
    "demand_done": {"carol", "dave", "gary", "grace", "betty", "wendy"},
    "demand_detail": {"alice", "carol", "gary", "betty", "wendy", "leo", "root"},
    "attachment": {"alice", "carol", "gary", "betty", "wendy", "leo", "root"},
    "visit_list": set(EVERYONE) - {"adam", "wendy"},
    "visit_create": {"carol", "dave"},
    "visit_detail": {"alice", "carol", "gary", "betty", "leo", "root"},
    "policy_list": set(EVERYONE),
    "policy_create": {"betty", "root"},
}


@pytest.mark.parametrize("page", sorted(MATRIX))
def test_role_page_matrix(client, personas, world, page):
    url = _urls(world)[page]
    got = {}
    for name in EVERYONE:
        client.force_login(getattr(personas, name))
        got[name] = client.get(url).status_code
    assert got == {name: 200 if name in MATRIX[page] else 404 for name in EVERYONE}


def test_anonymous_is_sent_to_login(client, world):
    for url in _urls(world).values():
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response.url


def test_enterprise_follows_who_holds_it_and_the_working_days_left(client, personas, categories):
    p = personas
    with on(2026, 9, 30):
        demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["talent"],
                               title="招工难")
        client.force_login(p.alice)
        body = client.get(reverse("commissioners:demand_list")).content.decode()
        # Wed 09-30 → due Thu 10-08: one working day left, the holiday week in between.
        assert "招工难" in body and "营商环境专员" in body and "剩余 1 个工作日" in body
        body = client.get(reverse("commissioners:demand_detail", args=[demand.pk])).content.decode()
        assert str(p.carol) in body and "2026-10-08" in body and "剩余 1 个工作日" in body
        assert "受理并报小组长审核" not in body  # alice may not accept
    with on(2026, 10, 9):
        client.force_login(p.alice)  # nine days later: the session from 09-30 has ended (30 min idle)
        body = client.get(reverse("commissioners:demand_detail", args=[demand.pk])).content.decode()
        assert "已超期 1 个工作日" in body and "红牌超期" in body


def test_enterprise_raises_a_demand_through_the_form(client, personas, categories):
    client.force_login(personas.alice)
    url = reverse("commissioners:demand_create")
    response = client.post(url, {"category": categories["legal"].pk, "urgency": Urgency.URGENT,
                                 "title": "  合同纠纷  ", "description": "对方拖欠货款",
                                 "attachments": [pdf("合同.pdf")]})
    demand = Demand.objects.get()
    assert response.status_code == 302 and response.url == reverse("commissioners:demand_detail",
                                                                   args=[demand.pk])
    assert demand.title == "合同纠纷" and demand.is_urgent and demand.attachments.count() == 1
    assert demand.events.filter(action="urgent_reported").exists()


def test_demand_form_shows_clear_errors_and_creates_nothing(client, personas, categories):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(personas.alice)
    url = reverse("commissioners:demand_create")
    body = client.post(url, {"category": categories["legal"].pk, "urgency": "normal", "title": "  "}
                       ).content.decode()
    assert "请填写诉求标题" in body
    bad = SimpleUploadedFile("x.pdf", b"MZ" + b"\0" * 50)
    body = client.post(url, {"category": categories["legal"].pk, "urgency": "normal", "title": "t",
                             "attachments": [bad]}).content.decode()
    assert "内容与扩展名 .pdf 不符" in body
    assert not Demand.objects.exists()


def test_buttons_follow_the_route_and_actions_post_through_services(client, personas, categories):
    p = personas
    demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["approval"],
                           title="t")
    detail = reverse("commissioners:demand_detail", args=[demand.pk])

    def act(user, action, **data):
        client.force_login(user)
        url = reverse("commissioners:demand_action", args=[demand.pk, action])
        return client.post(url, data, follow=True)

    client.force_login(p.carol)
    body = client.get(detail).content.decode()
    assert "受理并报小组长审核" in body and "首接答复" in body and "审核通过" not in body
    body = act(p.alice, "accept").content.decode()
    assert "只有该企业的营商环境专员可以办理这一步" in body
    assert act(p.bob, "accept").status_code == 404
    act(p.carol, "accept")
    client.force_login(p.gary)
    body = client.get(detail).content.decode()
    assert "审核通过" in body and "退回专员" in body and "受理并报小组长审核" not in body
    assert "请填写退回原因" in act(p.gary, "send_back", reason="").content.decode()
    act(p.gary, "review", comment="同意")
    body = act(p.betty, "dispatch", working_groups=[]).content.decode()
    assert "请至少选择一个专业服务工作组" in body
    act(p.betty, "dispatch", working_groups=[p.working_group.pk])
    dispatch = DemandDispatch.objects.get()
    act(p.wendy, "start", dispatch=dispatch.pk)
    act(p.wendy, "answer", dispatch=dispatch.pk, answer="已办")
    client.force_login(p.alice)
    assert "提交评价" in client.get(detail).content.decode()
    body = act(p.alice, "rate", level=Rating.VERY_SATISFIED, comment="好").content.decode()
    assert "诉求已办结" in body
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED
    assert "不能重复评价" in act(p.alice, "rate", level=Rating.SATISFIED).content.decode()
    assert act(p.alice, "nonsense").status_code == 404


def test_attachment_download_is_the_stored_file(client, personas, world):
    client.force_login(personas.alice)
    response = client.get(reverse("commissioners:demand_attachment", args=[world["attachment"].pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def _make_queue_rows(personas, categories, n, talent_group=None):
    p = personas
    for i in range(n):
        for status in (DemandStatus.SUBMITTED, DemandStatus.ACCEPTED, DemandStatus.REVIEWED):
            DemandFactory(enterprise=p.enterprise_a, status=status, urgency=Urgency.URGENT,
                          title=f"{status}{i}")
        demand = DemandFactory(enterprise=p.enterprise_a, status=DemandStatus.DISPATCHED, title=f"d{i}")
        DemandDispatch.objects.create(demand=demand, working_group=p.working_group, started_on=demand.due_on,
                                      limit_workdays=5, due_on=demand.due_on)


@pytest.mark.parametrize(("persona", "role"), [
    ("carol", "commissioner"), ("gary", "group_leader"), ("betty", "bureau"), ("wendy", "working_group"),
    ("leo", "leader"),
])
def test_queues_use_a_bounded_number_of_queries(client, personas, categories, persona, role,
                                                django_assert_max_num_queries):
    url = reverse("commissioners:demand_queue") + f"?role={role}"
    client.force_login(getattr(personas, persona))
    _make_queue_rows(personas, categories, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _make_queue_rows(personas, categories, 15)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200 and response.context["page"].paginator.count >= 17


def test_queue_is_sorted_by_due_date_with_badges(client, personas, categories):
    import datetime as dt

    p = personas
    late = DemandFactory(enterprise=p.enterprise_a, title="晚到期", due_on=dt.date(2026, 10, 20))
    early = DemandFactory(enterprise=p.enterprise_a, title="早到期", due_on=dt.date(2026, 10, 8))
    client.force_login(p.carol)
    with on(2026, 10, 9):
        response = client.get(reverse("commissioners:demand_queue"))
    rows = list(response.context["page"])
    assert rows == [early, late]
    body = response.content.decode()
    assert "红牌超期" in body and body.index("早到期") < body.index("晚到期")


def test_a_role_cannot_open_another_roles_queue(client, personas):
    client.force_login(personas.carol)
    assert client.get(reverse("commissioners:demand_queue") + "?role=bureau").status_code == 404
