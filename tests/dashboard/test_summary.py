"""The overview's summary table (dashboard.summary): after a refresh the overview reads its
aggregates from the table and says as of when, with exactly the figures it counts live, under
every filter and period; the days since the refresh are counted live; the refresh costs the same
number of statements whatever the rows."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from approvals.models import ApprovalStage, Project
from commissioners.models import WorkingGroup
from core.periods import parse_scope
from dashboard import filters, sections, selectors
from dashboard.models import SummaryRefresh, SummaryRow
from dashboard.summary import summary_refresh
from notifications.levels import WarningLevel
from tests.sweeps.conftest import at

from . import builders as b

TODAY = dt.date(2026, 11, 30)  # conftest's `frozen`
URL = reverse("dashboard:index")
PERIODS = [
    {}, {"period": "month"}, {"period": "week"}, {"period": "quarter"},
    {"period": "custom", "from": "2026-06-15", "to": "2026-11-30"},  # a month's edge on each side
    {"period": "custom", "from": "2026-06-30", "to": "2026-06-30"},  # one day
    {"period": "custom", "from": "2025-01-01", "to": "2026-12-31"},  # two years
    {"period": "custom", "from": "2020-01-01", "to": "2020-12-31"},  # before everything
]


@pytest.fixture
def more(personas, adam, zone, answered, frozen):
    """Besides the command centre's zone: stages running, red, yellow and escalated, decided ones,
    demands open, urgent, under attention, dispatched to a working group, some of them today."""
    for code, level, accepted in (("R-1", WarningLevel.GREEN, dt.date(2026, 6, 1)),
                                  ("R-2", WarningLevel.YELLOW, dt.date(2026, 11, 20)),
                                  ("R-3", WarningLevel.ESCALATED, dt.date(2026, 6, 2))):
        project = b.running_project(personas, adam, code=code, accepted_on=accepted, category="social")
        ApprovalStage.objects.filter(project=project, order=1).update(warning_level=level)
    decided = b.running_project(personas, adam, code="R-4", accepted_on=dt.date(2026, 9, 1))
    b.approve_stage_one(decided, adam, on=dt.date(2026, 9, 8))
    b.submitted_project(personas, code="R-5", on=TODAY, is_major=True, signed_amount=2 * b.YI)
    b.demand(personas, urgency="urgent", title="重大紧急")
    b.dispatched_demand(personas, title="交办")
    b.closed_demand(personas, level="satisfied", title="办结")
    b.overdue_demand(personas, due_on=dt.date(2026, 11, 2), title="超期", leader_attention=True)


def _scopes(personas):
    groups = list(WorkingGroup.objects.values_list("code", flat=True))
    served = str(personas.carol.commissioner_profile.group_id)
    cuts = [{}, {"category": "small"}, {"category": "social"}, {"list_status": "outside"},
            {"industry": str(personas.enterprise_a.industry_id)},
            {"commissioner_group": served},
            *[{"working_group": code} for code in groups],
            {"working_group": groups[0], "commissioner_group": served, "list_status": "above_scale"}]
    for period in PERIODS:
        for cut in cuts:
            yield parse_scope({**period, **cut}, TODAY)[0]


def _figures(scope, flows_only=False):
    options = filters.choices()
    categories = [(code, name, options["limits"][code]) for code, name in options["category"]]
    if scope.category:
        categories = [row for row in categories if row[0] == scope.category]
    figures = selectors._flows_and_states(scope, today=TODAY, categories=categories,
                                          groups=options["working_group"])
    figures.pop("as_of")
    if flows_only:
        figures.pop("stage_levels")
        for key in ("urgent_open", "overdue", "attention"):
            figures["demands"].pop(key)
    return figures


def test_the_summary_gives_the_live_figures_under_every_filter_and_period(personas, more):
    scopes = list(_scopes(personas))
    live = [_figures(scope) for scope in scopes]
    whole = live[0]
    assert whole["projects"]["total"] and whole["stage_levels"]["red"] and whole["demands"]["urgent_open"]
    summary_refresh()
    assert SummaryRow.objects.exists()
    for scope, expected in zip(scopes, live, strict=True):
        assert _figures(scope) == expected, scope


def test_the_days_since_an_older_refresh_are_counted_live(personas, more):
    scopes = list(_scopes(personas))
    live = [_figures(scope, flows_only=True) for scope in scopes]
    summary_refresh(now=at("2026-11-03 08:00"))  # the beat stopped for four weeks: live from 3 November
    assert SummaryRefresh.objects.get().cut == dt.date(2026, 11, 3)
    for scope, expected in zip(scopes, live, strict=True):
        assert _figures(scope, flows_only=True) == expected, scope


def test_what_is_handed_in_after_the_refresh_counts_at_once(client, personas, adam, more):
    summary_refresh()
    client.force_login(personas.leo)
    before = client.get(URL).context["projects"]["total"]
    b.submitted_project(personas, code="NEW", on=TODAY)
    response = client.get(URL)
    assert response.context["projects"]["total"] == before + 1
    assert response.context["as_of"] == SummaryRefresh.objects.get().as_of


def test_a_status_changed_since_the_refresh_shows_at_the_next(personas, more):
    """The summary's statuses are as of the refresh (the page says when); the next refresh
    catches up."""
    scope = parse_scope({}, TODAY)[0]

    def statuses():
        return {key: n for key, _name, n in _figures(scope)["projects_by_status"]}

    summary_refresh()
    stale = statuses()
    Project.objects.filter(code="S-20").update(status="in_approval")  # handed in on 30 June
    assert statuses() == stale
    summary_refresh()
    fresh = statuses()
    assert fresh["in_approval"] == stale["in_approval"] + 1 and fresh["completed"] == stale["completed"] - 1


def test_the_page_says_as_of_when(client, personas, more):
    client.force_login(personas.leo)
    assert "统计截至" not in client.get(URL).content.decode()  # never refreshed: all counted now
    with time_machine.travel(at("2026-11-30 09:55"), tick=False):
        summary_refresh()
    body = client.get(URL).content.decode()
    assert "统计截至 09:55" in body
    client.cookies["django_language"] = "en"
    assert "Figures as of 09:55" in client.get(URL).content.decode()


def _refresh_statements():
    with CaptureQueriesContext(connection) as statements:
        summary_refresh()
    return len(statements.captured_queries)


def test_the_refresh_costs_the_same_statements_whatever_the_rows(personas, adam, frozen):
    b.running_project(personas, adam, code="F-0", accepted_on=dt.date(2026, 6, 1))
    b.dispatched_demand(personas, title="诉求0")
    summary_refresh()  # the first also creates its SummaryRefresh row
    few = _refresh_statements()
    for n in range(1, 13):
        b.running_project(personas, adam, code=f"F-{n}", accepted_on=dt.date(2026, 6, 1 + n))
        b.dispatched_demand(personas, title=f"诉求{n}")
        b.closed_demand(personas, title=f"办结{n}")
    rows = SummaryRow.objects.count()
    assert _refresh_statements() == few
    assert SummaryRow.objects.count() > rows


def test_the_overview_reads_the_summary_in_at_most_15_queries(client, personas, more,
                                                              django_assert_max_num_queries):
    summary_refresh()
    client.force_login(personas.leo)
    for params in ({}, {"category": "small", "working_group": "admin", "period": "custom",
                        "from": "2026-03-15", "to": "2026-11-30"}):
        with django_assert_max_num_queries(15):
            assert client.get(URL, params).status_code == 200


def test_the_command_the_task_and_the_beat(personas, more, capsys):
    call_command("refresh_dashboard")
    assert "统计汇总已更新" in capsys.readouterr().out
    from dashboard.tasks import summary_refresh as task

    assert task() == SummaryRow.objects.count() > 0
    beat = PeriodicTask.objects.get(name="dashboard.summary_refresh")
    assert beat.task == "dashboard.summary_refresh" and beat.interval.every == 5


def test_a_refresh_landing_during_a_read_neither_counts_a_day_twice_nor_drops_it(personas, more):
    """The refresh's cut and its rows are read in one statement: a refresh that commits while a
    request reads (here the next day's, right after the request's first read of the summary)
    cannot pair one refresh's cut with the other's rows. Read in two statements, the old cut
    (30 November, counted live) met the new rows (which hold 30 November): counted twice."""
    scope = parse_scope({}, TODAY)[0]
    live = _figures(scope, flows_only=True)
    assert live["projects"]["total"] and live["demands"]["total"]
    summary_refresh()  # at 10:00 on the 30th: the 30th counted live
    landed = []

    def a_refresh_lands(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not landed and SummaryRefresh._meta.db_table in sql and sql.lstrip().upper().startswith("SELECT"):
            landed.append(True)  # once: the refresh's own statements pass straight through
            summary_refresh(now=at("2026-12-01 00:01"))  # just after midnight: the 30th stored
        return result

    with connection.execute_wrapper(a_refresh_lands):
        figures = _figures(scope, flows_only=True)
    assert landed and SummaryRefresh.objects.get().cut == dt.date(2026, 12, 1)
    assert figures == live
    assert _figures(scope, flows_only=True) == live  # and the next request reads the new refresh


# --- 诉求办理's node spans (the summary's node family) ---------------------------------------------

HISTORIES = [  # (enterprise, urgency, [(action, Shanghai time)]): across holidays, weekends, years
    ("enterprise_a", "normal", [("submitted", "2026-09-30 09:00"), ("accepted", "2026-10-09 10:00"),
                                ("reviewed", "2026-10-12 11:00"), ("dispatched", "2026-10-13 16:00")]),
    ("enterprise_b", "normal", [("submitted", "2026-06-29 09:00"), ("accepted", "2026-06-30 09:00"),
                                ("sent_back", "2026-07-06 09:00"), ("accepted", "2026-07-07 09:00"),
                                ("reviewed", "2026-07-08 09:00"), ("dispatched", "2026-07-20 09:00")]),
    # out of order: the dispatch neither ends the review nor starts a node; the review still ends
    ("enterprise_a", "urgent", [("submitted", "2026-05-01 09:00"), ("accepted", "2026-05-06 09:00"),
                                ("dispatched", "2026-05-07 09:00"), ("reviewed", "2026-05-08 09:00")]),
    # accepted twice: the second restarts the review
    ("enterprise_b", "urgent", [("submitted", "2026-03-02 09:00"), ("accepted", "2026-03-03 09:00"),
                                ("accepted", "2026-03-04 09:00"), ("reviewed", "2026-03-10 09:00")]),
    ("enterprise_a", "normal", [("submitted", "2025-12-31 23:30"), ("accepted", "2026-01-04 08:00")]),
    ("enterprise_b", "normal", [("submitted", "2026-08-03 10:00"), ("accepted", "2026-08-03 10:00")]),
    # one working day used (the limit), ended on a Saturday: after the limit's day, so late
    ("enterprise_b", "normal", [("submitted", "2026-11-05 09:00"), ("accepted", "2026-11-07 09:00")]),
    ("enterprise_a", "urgent", [("submitted", "2026-11-28 09:00"),
                                ("answered_first_contact", "2026-11-30 09:00")]),  # today
    ("enterprise_b", "normal", [("submitted", "2026-11-27 09:00")]),  # accepted later (titled 新)
]


@pytest.fixture
def histories(personas, more, answered):
    from commissioners.models import DemandEvent
    from tests.commissioners.factories_demands import DemandFactory

    for enterprise, urgency, events in HISTORIES:
        demand = DemandFactory(enterprise=getattr(personas, enterprise), urgency=urgency,
                               **({"title": "新"} if len(events) == 1 else {}))
        for action, when in events:
            with time_machine.travel(at(when), tick=False):
                DemandEvent.objects.create(demand=demand, action=action)


def _nodes(scope):
    """node_figures() with each node's days written out (stored as counts, walked as ones), and
    answer_days() (同等对待) the same way."""
    found = sections.node_figures(scope, TODAY)
    nodes = {node: (stats["n"], stats["in_time"],
                    sorted(days for days, n in stats["days"] for _ in range(n) if n))
             for node, stats in found.items() if stats["n"]}
    answers = {key: sorted(days for days, n in found for _ in range(n))
               for key, found in sections.answer_days(scope, TODAY).items()}
    return {**nodes, "answers": {key: days for key, days in answers.items() if days}}


def test_the_node_spans_from_the_summary_are_the_walked_ones_under_every_filter_and_period(
        personas, histories):
    scopes = list(_scopes(personas))
    live = [_nodes(scope) for scope in scopes]
    assert len(live[0]["answers"]) == 2 and len(live[0]) == 4
    assert sum(live[0][node][0] for node in ("accept", "review", "dispatch")) >= 10
    summary_refresh()
    assert {"node", "answer"} <= set(SummaryRow.objects.values_list("family", flat=True))
    for scope, expected in zip(scopes, live, strict=True):
        assert _nodes(scope) == expected, scope
    summary_refresh(now=at("2026-10-09 09:30"))  # an old refresh: counted live from mid-morning
    for scope, expected in zip(scopes, live, strict=True):
        assert _nodes(scope) == expected, scope
    summary_refresh(now=at("2025-11-01 08:00"))  # older than its stored calendar: walked live
    for scope, expected in zip(scopes, live, strict=True):
        assert _nodes(scope) == expected, scope


def test_the_nodes_and_equality_tables_are_the_same_from_the_summary(personas, histories):
    scope = parse_scope({}, TODAY)[0]
    live = sections.demands(scope, TODAY)[0].rows, sections.equality(scope, TODAY)[0].rows
    summary_refresh()
    assert (sections.demands(scope, TODAY)[0].rows, sections.equality(scope, TODAY)[0].rows) == live


def test_spans_ended_after_the_refresh_count_at_once(personas, histories):
    """The node rows are as of the refresh's time: a span that ends later the same day, or whose
    start was stored before the refresh, is counted live, once."""
    from commissioners.models import Demand, DemandEvent

    summary_refresh(now=at("2026-11-30 09:30"))  # between today's two events below
    accepted = _nodes(parse_scope({}, TODAY)[0])["accept"][0]
    demand = Demand.objects.get(title="新")
    with time_machine.travel(at("2026-11-30 11:00"), tick=False):
        DemandEvent.objects.create(demand=demand, action="accepted")
        DemandEvent.objects.create(demand=demand, action="answered_first_contact")
    scopes = list(_scopes(personas))
    stored = [_nodes(scope) for scope in scopes]
    SummaryRefresh.objects.all().delete()  # never built: every span walked
    for scope, expected in zip(scopes, stored, strict=True):
        assert _nodes(scope) == expected, scope
    assert _nodes(scopes[0])["accept"][0] == accepted + 1


def test_a_refresh_before_the_first_demand_still_counts_the_spans_after_it(personas):
    """A new site's refresh finds no demand: its calendar table still starts today, so the spans
    of the demands raised afterwards are counted live (an empty table dropped them)."""
    from commissioners.models import DemandEvent
    from dashboard.models import SummaryWorkday
    from tests.commissioners.factories_demands import DemandFactory

    DemandEvent.objects.all().delete()
    summary_refresh(now=at("2026-11-30 08:00"))
    assert SummaryWorkday.objects.filter(day=TODAY).exists()
    with time_machine.travel(at("2026-11-30 10:00"), tick=False):
        demand = DemandFactory(enterprise=personas.enterprise_a)
        DemandEvent.objects.create(demand=demand, action="submitted")
    with time_machine.travel(at("2026-11-30 11:00"), tick=False):
        DemandEvent.objects.create(demand=demand, action="accepted")
    scope = parse_scope({}, TODAY)[0]
    counted = _nodes(scope)
    assert counted["accept"][0] == 1
    SummaryRefresh.objects.all().delete()  # never built: every span walked
    assert _nodes(scope) == counted


def _demands_statements(client):
    with CaptureQueriesContext(connection) as statements:
        assert client.get(URL, {"section": "demands"}).status_code == 200
    return len(statements.captured_queries)


def test_the_demands_section_reads_the_same_statements_for_few_and_many_spans(client, personas, adam,
                                                                              frozen):
    client.force_login(personas.leo)
    b.dispatched_demand(personas, title="诉求0")
    summary_refresh()
    few = _demands_statements(client)
    from commissioners.models import DemandEvent
    from tests.commissioners.factories_demands import DemandFactory

    for n in range(12):
        demand = DemandFactory(enterprise=personas.enterprise_a)
        for action, day in (("submitted", 2), ("accepted", 3), ("reviewed", 4), ("dispatched", 5)):
            with time_machine.travel(at(f"2026-{n + 1:02d}-{day + 10} 09:00"), tick=False):
                DemandEvent.objects.create(demand=demand, action=action)
    summary_refresh()
    assert SummaryRow.objects.filter(family="node").count() > 12
    assert _demands_statements(client) == few <= 15


# --- 承诺兑现 and 同等对待's approval times (the summary's approved and finished families) ---------

def _promises(scope):
    from approvals.models import ProjectCategory

    categories = list(ProjectCategory.objects.all())
    projects, stages, used = sections._promise_counts(scope, categories)
    used = {kind: sorted(days for days, n in counts for _ in range(n)) for kind, counts in used.items()}
    return projects, stages, used, sections._approval_by_list(scope)


def test_the_promise_figures_from_the_summary_are_the_live_ones_under_every_filter_and_period(personas,
                                                                                             more):
    scopes = list(_scopes(personas))
    live = [_promises(scope) for scope in scopes]
    projects, stages, _used, by_list = live[0]
    assert projects["small"]["n"] >= 5 and stages and by_list
    summary_refresh()
    assert {"approved", "finished"} <= set(SummaryRow.objects.values_list("family", flat=True))
    for scope, expected in zip(scopes, live, strict=True):
        assert _promises(scope) == expected, scope
    summary_refresh(now=at("2026-06-30 08:00"))  # an old refresh: from 30 June counted live
    for scope, expected in zip(scopes, live, strict=True):
        assert _promises(scope) == expected, scope


def test_the_promises_and_equality_pages_are_the_same_from_the_summary(client, personas, more):
    client.force_login(personas.leo)

    def tables(section):
        response = client.get(URL, {"section": section})
        return [(table.key, table.rows) for table in response.context["tables"]
                if table.key != "promises_risk"]  # as of the refresh, by design

    live = [*tables("promises"), *tables("equality")]
    summary_refresh()
    for found, expected in zip([*tables("promises"), *tables("equality")], live, strict=True):
        assert found == expected
