"""Demand transitions through the one runner: permission before status, a stale page refused on
the page and in the API (409), and history that cannot be changed."""

import datetime as dt

import pytest
from django.urls import reverse

from commissioners.choices import DemandStatus
from commissioners.models import DemandEvent
from commissioners.services import (
    DemandError,
    DemandPermissionError,
    demand_accept,
    demand_review,
    demand_submit,
)


@pytest.fixture
def demand(personas, categories):
    return demand_submit(enterprise=personas.enterprise_a, actor=personas.alice,
                         category=categories["approval"], title="厂房用电增容")


def test_a_demand_refuses_an_outsider_at_the_wrong_status_as_forbidden_not_state(personas, demand):
    events = DemandEvent.objects.count()
    # 审核 is not possible at 已提交, and the bureau may never review: forbidden comes first.
    with pytest.raises(DemandPermissionError) as info:
        demand_review(demand=demand, actor=personas.betty)
    assert info.value.code == "forbidden" and "小组长" in info.value.text
    with pytest.raises(DemandError) as info:
        demand_review(demand=demand, actor=personas.gary)  # may review; the status refuses
    assert info.value.code == "state" and "不能跳过环节" in info.value.text
    assert DemandEvent.objects.count() == events
    demand.refresh_from_db()
    assert demand.status == DemandStatus.SUBMITTED


def test_a_stale_demand_page_is_refused_and_changes_nothing(personas, demand):
    demand_accept(demand=demand, actor=personas.carol, today=dt.date(2026, 11, 30))
    events = DemandEvent.objects.count()
    with pytest.raises(DemandError) as info:
        demand_review(demand=demand, actor=personas.gary, expected_status=DemandStatus.SUBMITTED)
    assert info.value.code == "stale" and info.value.text == "已被他人处理,请刷新"
    assert DemandEvent.objects.count() == events


def test_the_demand_api_answers_409_on_a_stale_expected_status(client, personas, demand):
    demand_accept(demand=demand, actor=personas.carol)
    client.force_login(personas.gary)
    url = f"/api/v1/demands/{demand.pk}/review/"
    response = client.post(url, {"expected_status": "submitted"}, content_type="application/json")
    assert response.status_code == 409
    assert response.json() == {"detail": "已被他人处理,请刷新", "code": "stale"}
    response = client.post(url, {"expected_status": "accepted"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == DemandStatus.REVIEWED


def test_the_demand_page_shows_a_stale_page_the_same_message(client, personas, demand):
    demand_accept(demand=demand, actor=personas.carol)
    client.force_login(personas.gary)
    url = reverse("commissioners:demand_action", args=[demand.pk, "review"])
    response = client.post(url, {"seen_status": "submitted"}, follow=True)
    assert "已被他人处理,请刷新" in response.content.decode()
    demand.refresh_from_db()
    assert demand.status == DemandStatus.ACCEPTED


def test_demand_events_cannot_be_updated_or_deleted(demand):
    event = demand.events.first()
    event.comment = "改过"
    with pytest.raises(ValueError, match="只能追加"):
        event.save()
    with pytest.raises(ValueError, match="只能追加"):
        event.delete()
    assert DemandEvent.objects.get(pk=event.pk).comment == ""
