"""The calendar page: one year's holidays and adjusted working days, for anyone logged in."""

import pytest
from django.urls import reverse

URL = reverse("workdays:year")


@pytest.fixture
def alice_client(client, personas):
    client.force_login(personas.alice)
    return client


def test_the_2026_page_lists_holidays_and_adjusted_working_days(alice_client):
    response = alice_client.get(URL, {"year": 2026})
    assert response.status_code == 200
    body = response.content.decode()
    assert "全年工作日 248 天" in body
    assert "国庆节" in body and "2026-10-10" in body
    assert "暂按周一至周五计算" not in body


def test_a_provisional_year_says_so(alice_client):
    body = alice_client.get(URL, {"year": 2027}).content.decode()
    assert "暂按周一至周五计算" in body
    assert "全年工作日 261 天" in body


def test_a_year_beyond_the_stored_range_is_counted_by_the_weekday_rule(alice_client):
    body = alice_client.get(URL, {"year": 2035}).content.decode()
    assert "全年工作日 261 天" in body and "暂按周一至周五计算" in body


@pytest.mark.parametrize("year", ["abc", "2026.5", "0", "-3", "10000"])
def test_a_bad_year_is_not_found(alice_client, year):
    assert alice_client.get(URL, {"year": year}).status_code == 404


def test_the_page_needs_a_login(client, db):
    response = client.get(URL, {"year": 2026})
    assert response.status_code == 302
    assert reverse("login") in response.url
