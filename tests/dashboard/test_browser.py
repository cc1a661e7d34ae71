"""A leader opens the dashboard in a real browser and ECharts draws into every chart box."""

import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_sees_the_charts_drawn(live_server, page, personas):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "leo")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#chart-projects canvas")
    assert page.locator(".dashboard-chart").count() == 6
    assert page.locator(".dashboard-chart canvas").count() == 6
    assert "项目总数" in page.locator("[data-kpi=projects_total]").inner_text()
    assert errors == []


def test_the_overview_from_the_summary_says_as_of_when(live_server, page, screenshot, personas, zone):
    from dashboard.summary import summary_refresh

    summary_refresh()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "leo")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#chart-projects canvas")
    assert "统计截至" in page.locator("[data-as-of]").inner_text()
    screenshot("leader", "overview-summary")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#chart-projects canvas")
    assert "Figures as of" in page.locator("[data-as-of]").inner_text()
    screenshot("leader", "overview-summary-en")
