"""承诺兑现's 在办项目预计超时 (approvals.figures.projects_at_risk), worked out by hand: the working
days finished stages used + the budgets of the stages still to run + the working days a running
stage is past its due_on (on the clocks' calendar, not calendar days), against the category's
limit (small: 24). The section's number and the list it links to hold the same projects."""

import datetime as dt

import pytest
from django.urls import reverse

from approvals import figures as af
from approvals.choices import StageStatus
from approvals.models import ApprovalStage, Project, ProjectStatus
from core.periods import parse_scope
from dashboard.sections import Link
from dashboard.summary import summary_refresh

from . import builders as b

TODAY = dt.date(2026, 11, 30)  # a Monday (conftest's `frozen`)


def _project(personas, adam, code, *, first, rest=0, category="small"):
    """A running project: stage 1 as `first` (fields), the stages after it pending with `rest`
    working days of budget between them (the first of them holds it)."""
    project = b.running_project(personas, adam, code=code, accepted_on=dt.date(2026, 11, 2),
                                category=category)
    stages = ApprovalStage.objects.filter(project=project)
    stages.filter(order__gt=1).update(budget_workdays=0, used_workdays=None, status=StageStatus.WAITING)
    stages.filter(order=2).update(budget_workdays=rest)
    stages.filter(order=1).update(**first)
    return project


@pytest.fixture
def risky(personas, adam, frozen):
    running = {"status": StageStatus.IN_REVIEW, "used_workdays": None}
    done = {"status": StageStatus.APPROVED, "used_workdays": 20, "due_on": dt.date(2026, 11, 20)}
    made = {
        "over": _project(personas, adam, "K-OVER", first=done, rest=5),  # 20 + 5 = 25 > 24
        "at_limit": _project(personas, adam, "K-EDGE", first=done, rest=4),  # 24: not over
        # Due Wednesday 25 November: past it by 3 working days (26, 27, 30) today.
        "late": _project(personas, adam, "K-LATE",
                         first={**running, "budget_workdays": 22, "due_on": dt.date(2026, 11, 25)}),  # 25
        "late_in_time": _project(personas, adam, "K-LATE-OK",
                                 first={**running, "budget_workdays": 21, "due_on": dt.date(2026, 11, 25)}),
        # Due Friday 27 November: one working day past it (the weekend does not count), not three.
        "weekend": _project(personas, adam, "K-WEEKEND",
                            first={**running, "budget_workdays": 23, "due_on": dt.date(2026, 11, 27)}),
        # Paused (a clock stopped for 补正): its budget counts, no overrun.
        "paused": _project(personas, adam, "K-PAUSED", first={"status": StageStatus.SUPPLEMENT,
                                                              "used_workdays": None, "budget_workdays": 24,
                                                              "due_on": dt.date(2026, 11, 2)}),
        # Over, but no longer open.
        "closed": _project(personas, adam, "K-CLOSED", first=done, rest=30),
        # Government (limit 60): 20 + 30 + 4 past its due_on = 54.
        "government": _project(personas, adam, "K-GOV", category="government",
                               first={**running, "budget_workdays": 30, "used_workdays": None,
                                      "due_on": dt.date(2026, 11, 24)}, rest=20),
    }
    Project.objects.filter(pk=made["closed"].pk).update(status=ProjectStatus.REJECTED)
    return made


def test_at_risk_by_hand(personas, risky):
    found = set(af.projects_at_risk(parse_scope({}, TODAY)[0], TODAY).values_list("pk", flat=True))
    assert found == {risky["over"].pk, risky["late"].pk}
    cut = parse_scope({"category": "government"}, TODAY)[0]
    assert not af.projects_at_risk(cut, TODAY).exists()


def test_the_section_and_its_list_agree(client, personas, risky):
    client.force_login(personas.leo)
    response = client.get(reverse("dashboard:index"), {"section": "promises"})
    tables = {table.key: table for table in response.context["tables"]}
    cell = tables["promises_risk"].rows[0][0]
    assert isinstance(cell, Link) and cell.value == 2
    listed = client.get(cell.url).context["page"].paginator.object_list
    assert {project.pk for project in listed} == {risky["over"].pk, risky["late"].pk}


def test_the_figure_costs_the_same_queries_whatever_the_projects(personas, adam, risky,
                                                                  django_assert_max_num_queries):
    """The days past due_on, the calendar's stamp when its check is due, the count."""
    scope = parse_scope({}, TODAY)[0]
    with django_assert_max_num_queries(3):
        assert af.projects_at_risk(scope, TODAY).count() == 2
    for n in range(5):
        _project(personas, adam, f"K-MORE-{n}",
                 first={"status": StageStatus.IN_REVIEW, "used_workdays": None, "budget_workdays": 30,
                        "due_on": dt.date(2026, 11, 2 + n)})
    with django_assert_max_num_queries(3):
        assert af.projects_at_risk(scope, TODAY).count() == 7


def _risk_cell(client, **params):
    response = client.get(reverse("dashboard:index"), {"section": "promises", **params})
    tables = {table.key: table for table in response.context["tables"]}
    return tables["promises_risk"]


def test_after_a_refresh_the_figure_is_the_summary_s_as_of_then(client, personas, adam, risky):
    """The summary holds the figure per dimension as of its refresh (the page says when): the
    same number under every cut; a project at risk since then counts at the next refresh."""
    client.force_login(personas.leo)
    served = str(personas.carol.commissioner_profile.group_id)
    cuts = [{}, {"category": "small"}, {"category": "government"}, {"list_status": "outside"},
            {"list_status": personas.enterprise_a.list_status},
            {"industry": str(personas.enterprise_a.industry_id)}, {"commissioner_group": served}]
    live = [_risk_cell(client, **cut).rows[0][0].value for cut in cuts]
    assert live[0] == 2 and live[2] == 0
    summary_refresh()
    for cut, expected in zip(cuts, live, strict=True):
        table = _risk_cell(client, **cut)
        assert table.rows[0][0].value == expected, cut
        assert "统计截至 10:00" in table.note
        scope = parse_scope(cut, TODAY)[0]
        assert af.projects_at_risk(scope, TODAY).count() == expected, cut
    _project(personas, adam, "K-NEW", first={"status": StageStatus.APPROVED, "used_workdays": 30})
    assert _risk_cell(client).rows[0][0].value == 2  # as of 10:00
    summary_refresh()
    assert _risk_cell(client).rows[0][0].value == 3
