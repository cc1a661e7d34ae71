"""The demand API: scoped reads, actions through the same services, clear refusals."""

import pytest
from django.urls import reverse

from commissioners.choices import DemandStatus
from commissioners.services import demand_submit


@pytest.fixture
def demand(personas, categories):
    return demand_submit(enterprise=personas.enterprise_a, actor=personas.alice,
                         category=categories["approval"], title="接口提交的诉求")


def _url(name, action=None, **kwargs):
    # One route per action since issue 13 (each with its own input schema): api-demands-<action>.
    return reverse(f"api-demands-{action}" if action else name, kwargs={"version": "v1", **kwargs})


def test_list_is_scoped_and_paginated(client, personas, demand):
    client.force_login(personas.alice)
    body = client.get(_url("api-demands-list")).json()
    assert len(body["results"]) == 1 and body["results"][0]["title"] == "接口提交的诉求"
    assert body["results"][0]["holder"] == "营商环境专员"
    client.force_login(personas.bob)
    assert client.get(_url("api-demands-list")).json()["results"] == []
    assert client.get(_url("api-demands-detail", pk=demand.pk)).status_code == 404


def test_anonymous_gets_nothing(client, demand):
    # 401 since issue 13: token authentication comes first and names its scheme.
    assert client.get(_url("api-demands-list")).status_code == 401


def test_actions_walk_the_route_and_refuse_clearly(client, personas, demand):
    p = personas

    def act(user, action, **data):
        client.force_login(user)
        return client.post(_url(None, pk=demand.pk, action=action), data,
                           content_type="application/json")

    response = act(p.gary, "review")
    # The status does not allow it: 409 with the code, as the approvals API answers (one runner).
    assert response.status_code == 409 and "不能跳过环节" in response.json()["detail"]
    assert response.json()["code"] == "state"
    response = act(p.alice, "accept")
    assert response.status_code == 403 and "营商环境专员" in response.json()["detail"]
    assert response.json()["code"] == "forbidden"
    assert act(p.bob, "accept").status_code == 404
    assert act(p.carol, "accept").json()["status"] == DemandStatus.ACCEPTED
    assert act(p.gary, "review", comment="同意").status_code == 200
    response = act(p.betty, "dispatch", working_groups=[])
    assert response.status_code == 400 and "请至少选择一个专业服务工作组" in response.json()["detail"]
    body = act(p.betty, "dispatch", working_groups=[p.working_group.pk]).json()
    dispatch_id = body["dispatches"][0]["id"]
    assert act(p.wendy, "start", dispatch=dispatch_id).json()["status"] == DemandStatus.IN_PROGRESS
    answered = act(p.wendy, "answer", dispatch=dispatch_id, answer="已办").json()
    assert answered["status"] == DemandStatus.ANSWERED
    assert act(p.alice, "rate", level="satisfied").json()["status"] == DemandStatus.CLOSED
    response = act(p.alice, "rate", level="satisfied")
    assert response.status_code == 409 and "不能重复评价" in response.json()["detail"]
    detail = client.get(_url("api-demands-detail", pk=demand.pk)).json()
    assert [e["action"] for e in detail["events"]][-1] == "rated"


def _list_queries(client, user, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["alice", "carol", "betty"])
def test_list_uses_the_same_bounded_number_of_queries(client, personas, categories, persona,
                                                       django_assert_max_num_queries):
    def raise_demands(n):
        for i in range(n):
            demand_submit(enterprise=personas.enterprise_a, actor=personas.alice,
                          category=categories["approval"], title=f"诉求{i}")

    url, user = _url("api-demands-list"), getattr(personas, persona)
    raise_demands(2)
    few = _list_queries(client, user, url)
    raise_demands(25)
    with django_assert_max_num_queries(12):
        client.get(url)
    assert _list_queries(client, user, url) == few
