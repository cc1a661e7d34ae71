"""The shell every role sees: login, home redirect, navigation."""

import pytest
from django.urls import reverse


def test_login_page_is_styled_and_chinese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "护商通" in body and "用户名" in body and "bootstrap.min.css" in body


def test_anonymous_home_goes_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "start"),
    [
        ("alice", "approvals:project_list"),
        # Officials start on their to-do list (issue 14: the commissioner landed on 我的企业).
        ("carol", "commissioners:demand_queue"),
        ("gary", "commissioners:demand_queue"),
        ("betty", "commissioners:demand_queue"),
        ("wendy", "commissioners:demand_queue"),
        ("adam", "approvals:queue"),
        ("leo", "dashboard:index"),
        ("root", "dashboard:index"),
    ],
)
def test_home_sends_each_role_to_its_start_page(client, personas, persona, start):
    client.force_login(getattr(personas, persona))
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse(start)


def test_navigation_shows_each_role_its_own_entries(client, personas):
    client.force_login(personas.alice)
    body = client.get(reverse("workdays:year")).content.decode()
    assert "我的项目" in body and "审批待办" not in body and "企业名录" not in body
    client.force_login(personas.adam)
    body = client.get(reverse("workdays:year")).content.decode()
    assert "审批待办" in body and "项目总览" in body and "我的项目" not in body


def test_english_is_available(client, personas):
    client.force_login(personas.alice)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"


def test_chinese_unless_english_is_chosen_whatever_the_browser_asks(client, db):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "用户名" in body
    client.cookies["django_language"] = "en"
    assert "用户名" not in client.get(reverse("login")).content.decode()
