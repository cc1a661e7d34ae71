"""A person in a real browser: log in, land on the role's start page, switch language."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_user_logs_in_and_lands_on_its_start_page(live_server, page, personas):
    page.goto(f"{live_server.url}/")
    assert "登录" in page.title()
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    # expect() retries until the new page is there; reading the page right after the click
    # races the navigation and sometimes reads an empty document.
    expect(page).to_have_url(re.compile(re.escape(f"{live_server.url}/projects/")))
    nav = page.locator("nav").inner_text()
    assert "我的项目" in nav and "审批待办" not in nav


def test_wrong_password_shows_a_clear_message(live_server, page, personas):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    expect(page.locator(".alert-danger")).to_contain_text("用户名或密码不正确")
    assert page.url == f"{live_server.url}/login/"
