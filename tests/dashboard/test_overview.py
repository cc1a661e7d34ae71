"""The overview tab (总览) under the command centre's filters, and every number of the command centre
a link to exactly the rows it counts: each Link of the overview's and the six sections' tables, and
each bar and slice of the overview's charts, opens a list holding that many rows."""

import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from approvals.models import ApprovalStage, Project
from dashboard.sections import SECTIONS, Link
from notifications.levels import WarningLevel

YEAR = {"period": "year"}
URL = reverse("dashboard:index")


def _count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    banner = response.context["figure_banner"]
    assert banner and not banner.get("error"), url
    return response.context["page"].paginator.count


def _links(tables):
    for table in tables:
        for row in table.rows:
            for cell in row:
                if isinstance(cell, Link) and isinstance(cell.value, int):
                    yield table.key, row[0], cell


def _chart(response):
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    return json.loads(match.group(1))


@pytest.fixture
def running(personas, zone):
    """Besides the zone: a running stage past due (red today), one on yellow, one escalated."""
    from tests.approvals import factories as af

    stages = []
    for code, level in (("R-RED", WarningLevel.GREEN), ("R-YELLOW", WarningLevel.YELLOW),
                        ("R-ESC", WarningLevel.ESCALATED)):
        project = af.make_project(actor=personas.bob, enterprise=personas.enterprise_b, code=code,
                                  category_code="social")
        Project.objects.filter(pk=project.pk).update(status="in_approval", submitted_on=dt.date(2026, 11, 2))
        stage = ApprovalStage.objects.get(project=project, order=1)
        due = dt.date(2026, 11, 20) if code == "R-RED" else dt.date(2026, 12, 20)
        ApprovalStage.objects.filter(pk=stage.pk).update(status="in_review", accepted_on=dt.date(2026, 11, 2),
                                                         due_on=due,
                                                         warning_level=level)
        stages.append(stage)
    return stages


def test_every_number_links_to_exactly_the_rows_it_counts(client, personas, zone, answered, running):
    client.force_login(personas.leo)
    checked = 0
    overview = client.get(URL, YEAR)
    sources = [("overview", overview.context["tables"])]
    for section in SECTIONS:
        sources.append((section, client.get(URL, {"section": section, **YEAR}).context["tables"]))
    for section, tables in sources:
        for key, label, cell in _links(tables):
            assert _count(client, cell.url) == cell.value, (section, key, str(label), cell.url)
            checked += 1
    data = _chart(overview)
    for series in ("stage_levels", "satisfaction", "demands_by_status", "projects_by_status"):
        for row in data[series]:
            assert _count(client, row["url"]) == row["value"], (series, row)
            checked += 1
    for row in data["stage_durations"]:
        assert _count(client, row["url"]) == row["n"], row
    by_category = data["projects_by_category"]
    for index, series in enumerate(by_category["series"]):
        for position, value in enumerate(series["data"]):
            assert _count(client, by_category["urls"][index][position]) == value
    assert checked > 60
    # The figures are not all zero: the zone's own numbers come through.
    levels = {row["key"]: row["value"] for row in data["stage_levels"]}
    assert levels == {"green": 0, "yellow": 1, "red": 1, "escalated": 1}
    assert data["kpi"]["projects_total"] == 9  # 5 small and G-55 finished this year, the three running
    assert {row["key"]: row["value"] for row in data["satisfaction"]} == {
        "satisfied": 1, "unsatisfied": 1, "unrated": 0}


def test_the_overview_honours_every_filter(client, personas, zone, answered, running):
    client.force_login(personas.leo)
    whole = _chart(client.get(URL, YEAR))["kpi"]
    small = _chart(client.get(URL, {**YEAR, "category": "small"}))["kpi"]
    assert small["projects_total"] == 5 and whole["projects_total"] == 9
    assert small["stages_overdue"] == 0 and whole["stages_overdue"] == 1  # the red one is 'social'
    outside = _chart(client.get(URL, {**YEAR, "list_status": "outside"}))
    assert outside["kpi"]["projects_total"] == 4  # S-26 and the three running, all B's
    assert {row["key"]: row["value"] for row in outside["satisfaction"]}["unsatisfied"] == 1
    assert {row["key"]: row["value"] for row in outside["satisfaction"]}["satisfied"] == 0
    # A period before everything: no flow at all, but today's states stand.
    before = client.get(URL, {"period": "custom", "from": "2020-01-01", "to": "2020-12-31"})
    kpi = _chart(before)["kpi"]
    assert kpi["projects_total"] == 0 and kpi["demands_closed_rate"] is None
    assert kpi["stages_overdue"] == 1
    assert before.context["scope"].start == dt.date(2020, 1, 1)
    # Links carry the filters, so a shared link shows the same rows.
    assert all("category=small" in card["url"] for card in client.get(URL, {**YEAR, "category": "small"})
               .context["cards"])


def test_bad_filters_on_the_overview_say_so_and_fall_back(client, personas, frozen):
    client.force_login(personas.leo)
    response = client.get(URL, {"period": "custom", "from": "2026-12-31", "to": "2026-01-01",
                                "category": "nope"})
    assert response.status_code == 200
    assert set(response.context["errors"]) == {"period", "category"}
    body = response.content.decode()
    assert "结束日期早于开始日期" in body and "未知的项目类别「nope」" in body
    assert response.context["scope"].period.key == "year"


def test_the_overview_reads_in_at_most_15_queries(client, personas, zone, answered, running,
                                                   django_assert_max_num_queries):
    client.force_login(personas.leo)
    with django_assert_max_num_queries(15):
        assert client.get(URL, {**YEAR, "category": "small", "list_status": "above_scale"}).status_code == 200


def test_the_export_and_the_api_carry_the_overview(client, personas, zone, answered, running):
    client.force_login(personas.leo)
    response = client.get(reverse("dashboard:export"), YEAR)
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "总览"
    rows = [[cell for cell in row if cell is not None] for row in book["总览"].iter_rows(values_only=True)]
    assert ["项目总数(期间提交)", 9] in rows and ["超期审批阶段(当前)", 1] in rows
    summary = reverse("api-dashboard-summary", args=["v1"])
    api = client.get(summary, {**YEAR, "category": "small"})
    assert api.status_code == 200 and api.json()["projects"]["total"] == 5
    bad = client.get(summary, {"period": "custom", "from": "x", "to": "y"})
    assert bad.status_code == 400 and "period" in bad.json()
