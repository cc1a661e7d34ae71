"""A leader in a real browser: opens the command centre, changes the period and the category,
clicks a bar and lands on the list behind it; screenshots in Chinese and English."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_drills_from_a_bar_to_the_projects(live_server, page, screenshot, personas, zone):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "leo")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    # The overview takes the same filters; its bars open the projects behind them.
    page.select_option("#f-category", "small")
    page.get_by_role("button", name="统计").click()
    expect(page).to_have_url(re.compile(r"category=small"))
    expect(page.locator('[data-kpi="projects_total"] .kpi-value')).to_have_text("5")
    page.wait_for_selector("#chart-projects canvas")
    screenshot("leader", "overview-small")
    box = page.locator("#chart-projects canvas").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.6)
    expect(page).to_have_url(re.compile(r"/projects/\?.*figure=handed_in.*status=completed"))
    expect(page.locator(".alert-info")).to_contain_text("统计口径")
    page.go_back()
    page.get_by_role("link", name="承诺兑现").click()
    expect(page.locator("#table-promises_projects")).to_contain_text("小型社会投资及园区项目")
    screenshot("leader", "command-centre-promises")

    page.select_option("#f-period", "quarter")
    page.get_by_role("button", name="统计").click()
    expect(page).to_have_url(re.compile(r"period=quarter"))
    page.select_option("#f-period", "year")
    page.select_option("#f-category", "small")
    page.get_by_role("button", name="统计").click()
    expect(page).to_have_url(re.compile(r"category=small"))
    expect(page.locator("#table-promises_projects tbody tr")).to_have_count(1)
    page.wait_for_selector("#chart-promises_projects canvas")
    screenshot("leader", "command-centre-small")

    # The on-time bar of the one category: ECharts draws it in the chart's lower half.
    box = page.locator("#chart-promises_projects canvas").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.7)
    expect(page).to_have_url(re.compile(r"/projects/\?.*figure=on_time"))
    expect(page.locator(".alert-info")).to_contain_text("统计口径")
    assert page.locator("main, body").first.inner_text().count("S-") >= 0
    screenshot("leader", "command-centre-drilled")

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/dashboard/?section=coverage")
    expect(page.locator("#table-coverage_visits")).to_be_visible()
    screenshot("leader", "command-centre-coverage-en")
    assert errors == []
