"""领导驾驶舱: who may open it, what its figures say, and that it reads in bounded queries."""

import datetime as dt
import json
import re
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from approvals.models import ApprovalStage
from core.periods import parse_scope
from dashboard import selectors

from . import builders as b

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 9, 15)  # a Tuesday
URL = reverse("dashboard:index")
YEAR = parse_scope({}, TODAY)[0]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, tzinfo=SHANGHAI), tick=False):
        yield


def _stage_one(project):
    return ApprovalStage.objects.filter(project=project, order=1)


@pytest.fixture
def zone(personas, adam):
    """Six submitted projects (two major: 3 + 2.4 亿), a draft, five demands, two escalations."""
    overdue = b.running_project(personas, adam, code="D-1", accepted_on=dt.date(2026, 6, 1), is_major=True,
                                signed_amount=3 * b.YI, name="甲公司新材料基地")
    decided = b.running_project(personas, adam, code="D-2", accepted_on=dt.date(2026, 9, 1),
                                category="social")
    b.approve_stage_one(decided, adam, on=dt.date(2026, 9, 8))
    b.submitted_project(personas, code="D-3", on=dt.date(2026, 9, 14), category="small", is_major=True,
                        signed_amount=Decimal("2.4") * b.YI)
    b.af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code="D-4", is_major=True,
                      signed_amount=10 * b.YI)  # a draft: counts nowhere
    yellow = b.running_project(personas, adam, code="D-5", accepted_on=dt.date(2026, 9, 14))
    _stage_one(yellow).update(warning_level="yellow")  # as the sweep would have left it
    b.running_project(personas, adam, code="D-6", accepted_on=dt.date(2026, 9, 14))
    escalated = b.running_project(personas, adam, code="D-7", accepted_on=dt.date(2026, 6, 2))
    _stage_one(escalated).update(warning_level="escalated")

    b.demand(personas, urgency="urgent", title="重大紧急: 厂区停电")
    b.closed_demand(personas, level="satisfied", title="已办结诉求")
    late = b.overdue_demand(personas, due_on=dt.date(2026, 9, 1), title="迟迟未受理的诉求")
    b.dispatched_demand(personas, title="交办中的诉求")
    b.closed_demand(personas, level="unsatisfied", title="不满意重办的诉求")

    b.escalation(_stage_one(overdue).get(), personas, title="红牌: 甲公司新材料基地")
    supervised = b.escalation(late, personas, title="红牌: 迟迟未受理的诉求")
    from notifications.services import escalation_supervise

    escalation_supervise(escalation=supervised, actor=personas.leo, comment="请三日内办结")
    return {"overdue": overdue}


def _page(client, user):
    client.force_login(user)
    return client.get(URL)


def _data(response):
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    assert match, "the page embeds its chart data with json_script"
    return json.loads(match.group(1))


# --- who may open it --------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["leo", "root"])
def test_leaders_and_admins_open_the_dashboard(client, personas, who):
    response = _page(client, getattr(personas, who))
    assert response.status_code == 200
    assert "领导驾驶舱" in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "gary", "grace", "betty", "wendy", "adam"])
def test_everyone_else_gets_a_friendly_403(client, personas, zone, who):
    response = _page(client, getattr(personas, who))
    assert response.status_code == 403
    body = response.content.decode()
    assert "领导驾驶舱仅向委领导开放" in body
    assert "dashboard-data" not in body and "甲公司新材料基地" not in body


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_leader_lands_on_the_dashboard(client, personas):
    client.force_login(personas.leo)
    assert client.get(reverse("home"))["Location"] == URL


# --- what it says -----------------------------------------------------------------------------

def test_kpis_match_the_data(client, personas, zone):
    kpi = _data(_page(client, personas.leo))["kpi"]
    assert kpi == {
        "projects_total": 6, "projects_open": 6, "stages_overdue": 2, "major_count": 2,
        "major_signed_yi": 5.4, "demands_closed_rate": 20.0, "satisfaction_rate": 50.0,
    }


def test_kpi_cards_show_the_numbers(client, personas, zone):
    body = _page(client, personas.leo).content.decode()
    for key, shown in [("projects_total", "6"), ("stages_overdue", "2"), ("major_signed", "5.4"),
                       ("demands_closed_rate", "20"), ("satisfaction_rate", "50")]:
        card = re.search(rf'data-kpi="{key}".*?<span class="kpi-value">(.*?)</span>', body, re.S)
        assert card and card.group(1) == shown, key
    assert "重大项目 2 个" in body


def test_chart_data_holds_the_counts(client, personas, zone):
    data = _data(_page(client, personas.leo))
    levels = {row["key"]: row["value"] for row in data["stage_levels"]}
    assert levels == {"green": 1, "yellow": 1, "red": 1, "escalated": 1}
    statuses = {row["key"]: row["value"] for row in data["projects_by_status"]}
    assert statuses == {"submitted": 1, "in_approval": 5, "completed": 0, "rejected": 0, "withdrawn": 0}
    by_category = {s["key"]: sum(s["data"]) for s in data["projects_by_category"]["series"]}
    assert sum(by_category.values()) == 6
    assert len(data["projects_by_category"]["categories"]) == 3
    groups = data["working_groups"]
    assert groups["names"] == ["行政审批工作组"] and groups["open"] == [2] and groups["answered"] == [1]
    satisfaction = {row["key"]: row["value"] for row in data["satisfaction"]}
    assert satisfaction == {"satisfied": 1, "unsatisfied": 1, "unrated": 0}
    demand_status = {row["key"]: row["value"] for row in data["demands_by_status"]}
    assert demand_status["closed"] == 1 and sum(demand_status.values()) == 5
    land = next(row for row in data["stage_durations"] if row["kind"] == "land_planning")
    assert land["n"] == 1 and land["budget"] == 15.0 and land["used"] == 5.0  # 9月1日受理, 9月8日办结


def test_overdue_lists_and_pending_supervision(client, personas, zone):
    body = _page(client, personas.leo).content.decode()
    stages = body.split('id="overdue-stages"')[1].split("</table>")[0]
    assert stages.index("甲公司新材料基地") < stages.index("测试工程建设项目")  # due earliest first
    stage = _stage_one(zone["overdue"]).get()
    assert reverse("approvals:stage_detail", args=[stage.pk]) in stages
    demands = body.split('id="overdue-demands"')[1].split("</table>")[0]
    assert "迟迟未受理的诉求" in demands and "厂区停电" not in demands
    pending = body.split('id="pending-supervision"')[1].split("</table>")[0]
    assert "红牌: 甲公司新材料基地" in pending and "迟迟未受理的诉求" not in pending


def test_an_empty_zone_shows_dashes_not_errors(client, personas):
    data = _data(_page(client, personas.leo))
    assert data["kpi"]["projects_total"] == 0
    assert data["kpi"]["satisfaction_rate"] is None and data["kpi"]["demands_closed_rate"] is None


def test_running_stage_past_due_counts_red_before_the_sweep(personas, adam):
    b.running_project(personas, adam, code="R-1", accepted_on=dt.date(2026, 6, 1))
    levels, _durations = selectors.stages(YEAR, today=TODAY)
    assert levels["red"] == 1 and levels["overdue"] == 1 and levels["green"] == 0


# --- bounded ----------------------------------------------------------------------------------

def _more(personas, adam, count, start):
    for n in range(start, start + count):
        project = b.running_project(personas, adam, code=f"M-{n}", accepted_on=dt.date(2026, 6, 3),
                                    is_major=bool(n % 2), signed_amount=b.YI)
        late = b.overdue_demand(personas, due_on=dt.date(2026, 9, 2), title=f"超期诉求{n}")
        b.dispatched_demand(personas, title=f"交办诉求{n}")
        b.escalation(_stage_one(project).get(), personas, title=f"红牌{n}")
        b.escalation(late, personas, title=f"诉求红牌{n}")


def test_the_dashboard_reads_in_bounded_queries(client, personas, adam, django_assert_max_num_queries):
    client.force_login(personas.leo)
    _more(personas, adam, 2, start=0)
    with django_assert_max_num_queries(15) as few:  # session, user, roles, the filters, eight reads
        assert client.get(URL).status_code == 200
    _more(personas, adam, 12, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(URL)
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries), len(few.captured_queries)
    assert _data(response)["kpi"]["stages_overdue"] == 14


def test_english_charts_and_money_read_english(client, personas):
    client.cookies["django_language"] = "en"
    client.force_login(personas.leo)
    response = client.get(reverse("dashboard:index"))
    labels = response.context["chart_data"]["labels"]
    assert not [text for text in labels.values() if re.search(r"[\u4e00-\u9fff]", str(text))]
    card = next(card for card in response.context["cards"] if card["key"] == "major_signed")
    assert card["unit"] in ("", "bn") and "亿" not in str(card["unit"])


def test_a_draft_withdrawn_before_submission_counts_nowhere(client, personas):
    from approvals.models import Project, ProjectStatus
    from tests.approvals import factories as af

    draft = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code="W-1")
    Project.objects.filter(pk=draft.pk).update(status=ProjectStatus.WITHDRAWN)  # never submitted
    totals, _statuses, _categories = selectors.projects(YEAR, [])
    assert totals["total"] == 0
