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
