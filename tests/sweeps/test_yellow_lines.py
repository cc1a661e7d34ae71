"""The yellow steps' predicates, checked row by row against the clock's own rule (level_on).

The steps read their rows through partial indexes on green clocks: the stages per policy over
sweep_due() (approvals.sweep._yellow_due), the demands and shares per stored threshold, whose
distinct values come from a loose index scan (notifications.levels.distinct_values). Whatever the
index, the set must be exactly the rows the rule calls yellow that are still green, and the same
set the plain formulation (thresholds read from the rows, one range per threshold) gives: random
rows over the National Day holidays, thresholds 0..6 (the demands' stored ones differing from
today's policy), every status, node and level, due dates on rest days and before today.
"""

import datetime as dt
import random

import pytest

from approvals.choices import RUNNING
from approvals.models import ApprovalStage, StagePolicy
from approvals.sweep import _green_window, _running, _yellow_due
from commissioners.choices import OPEN_DISPATCH
from commissioners.models import Demand, DemandCategory, DemandDispatch
from commissioners.sweep import CLOCK_NODES, _demand_green, _demand_rows, _dispatch_green, _dispatch_rows
from notifications.clocks import level_on
from notifications.levels import WarningLevel, distinct_values, drop_moved_entries, warning_due

from .test_demand_sweep import submit
from .test_stage_sweep import accepted_stage
from .test_statement_count import _demands, _stages

W = WarningLevel
LEVELS = [W.GREEN, W.YELLOW, W.RED, W.ESCALATED]
# Mon 09-28, the working day before the National Day holidays (10-01..10-07; Sat 10-10 worked).
TODAY = dt.date(2026, 9, 28)
DAYS = [TODAY + dt.timedelta(days=d) for d in range(-4, 19)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approval(seeded):
    return DemandCategory.objects.get(code="approval")


def _yellow(due_on, threshold):
    return level_on(due_on, threshold, TODAY) == W.YELLOW


def _green_pks(queryset):
    return set(queryset.filter(warning_level__in=[W.GREEN]).values_list("pk", flat=True))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_stage_yellow_set_is_the_rule_and_the_joined_formulation(personas, approvers, seed):
    rng = random.Random(seed)
    policies = list(StagePolicy.objects.order_by("pk"))
    for i, policy in enumerate(policies):  # thresholds 0..6, several policies sharing one
        StagePolicy.objects.filter(pk=policy.pk).update(warning_threshold_workdays=(i + seed) % 7)
    thresholds = dict(StagePolicy.objects.values_list("pk", "warning_threshold_workdays"))
    template = accepted_stage(personas, approvers)
    stages = _stages(template, 60, [personas.enterprise_a, personas.enterprise_b])
    statuses = [*RUNNING, "paused", "supplement_requested", "pending", "approved"]
    expected = set()
    for stage in [template, *stages]:
        status, level = rng.choice(statuses), rng.choice(LEVELS)
        due_on = rng.choice([*DAYS, None])
        policy = rng.choice(policies).pk
        ApprovalStage.objects.filter(pk=stage.pk).update(status=status, warning_level=level, due_on=due_on,
                                                         policy_id=policy)
        if (status in RUNNING and level == W.GREEN and due_on is not None
                and _yellow(due_on, thresholds[policy])):
            expected.add(stage.pk)
    assert expected  # the draw has some of each
    assert _green_pks(_yellow_due(TODAY)) == expected
    joined = warning_due(_running(), TODAY, "policy__warning_threshold_workdays")
    assert _green_pks(joined) == expected


def test_a_stage_due_today_is_yellow_even_at_threshold_zero(personas, approvers):
    StagePolicy.objects.update(warning_threshold_workdays=0)
    stage = accepted_stage(personas, approvers)
    ApprovalStage.objects.filter(pk=stage.pk).update(due_on=TODAY, warning_level=W.GREEN)
    assert _green_pks(_yellow_due(TODAY)) == {stage.pk}
    ApprovalStage.objects.filter(pk=stage.pk).update(due_on=TODAY + dt.timedelta(days=1))
    assert _green_pks(_yellow_due(TODAY)) == set()
    ApprovalStage.objects.filter(pk=stage.pk).update(due_on=TODAY - dt.timedelta(days=1))
    assert _green_pks(_yellow_due(TODAY)) == set()  # overdue: red, not yellow


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_demand_and_share_yellow_sets_read_the_stored_thresholds(personas, approval, seed):
    rng = random.Random(seed)
    template = submit(personas, approval)
    demands = [template, *_demands(template, 60, [personas.enterprise_a, personas.enterprise_b])]
    statuses = ["submitted", "accepted", "reviewed", "dispatched", "in_progress", "answered", "closed"]
    nodes = [*CLOCK_NODES, "answer", ""]
    expected_demands, expected_shares = set(), set()
    for demand in demands:
        status, node, level = rng.choice(statuses), rng.choice(nodes), rng.choice(LEVELS)
        due_on, threshold = rng.choice([*DAYS, None]), rng.randrange(7)
        Demand.objects.filter(pk=demand.pk).update(status=status, current_node=node, warning_level=level,
                                                   due_on=due_on, warning_threshold=threshold)
        if (status != "closed" and node in CLOCK_NODES and level == W.GREEN and due_on is not None
                and _yellow(due_on, threshold)):
            expected_demands.add(demand.pk)
        share_status, share_level = rng.choice([*OPEN_DISPATCH, "answered", "withdrawn"]), rng.choice(LEVELS)
        share_due, share_threshold = rng.choice(DAYS), rng.randrange(7)
        share = DemandDispatch.objects.create(
            demand_id=demand.pk, working_group=personas.working_group, status=share_status,
            warning_level=share_level, due_on=share_due, warning_threshold=share_threshold)
        if (share_status in OPEN_DISPATCH and status != "closed" and share_level == W.GREEN
                and _yellow(share_due, share_threshold)):
            expected_shares.add(share.pk)
    assert expected_demands and expected_shares
    for rows, green, expected in ((_demand_rows(), _demand_green(), expected_demands),
                                  (_dispatch_rows(), _dispatch_green(), expected_shares)):
        thresholds = distinct_values(green, "warning_threshold")
        assert sorted(thresholds) == sorted(set(green.values_list("warning_threshold", flat=True)))
        assert _green_pks(warning_due(rows, TODAY, "warning_threshold", thresholds)) == expected
        assert _green_pks(warning_due(rows, TODAY, "warning_threshold")) == expected


def test_distinct_values_leaves_out_nulls_and_reads_nothing_for_no_rows(personas, approval):
    demand = submit(personas, approval)
    _demands(demand, 4, [personas.enterprise_a, personas.enterprise_b])
    Demand.objects.update(due_on=None)
    assert distinct_values(Demand.objects.all(), "due_on") == []
    Demand.objects.filter(pk=demand.pk).update(due_on=TODAY)
    assert distinct_values(Demand.objects.all(), "due_on") == [TODAY]
    assert distinct_values(Demand.objects.none(), "warning_threshold") == []
    assert distinct_values(Demand.objects.filter(pk__in=[]), "warning_threshold") == []
    Demand.objects.update(warning_threshold=3)
    Demand.objects.filter(pk=demand.pk).update(warning_threshold=0)
    assert distinct_values(Demand.objects.all(), "warning_threshold") == [0, 3]


def test_the_tidy_read_after_a_move_reads_the_green_window_and_changes_nothing(personas, approvers):
    stage = accepted_stage(personas, approvers)
    ApprovalStage.objects.filter(pk=stage.pk).update(due_on=TODAY, warning_level=W.GREEN)
    window = _green_window(TODAY)
    assert set(window.values_list("pk", flat=True)) == {stage.pk}
    before = list(ApprovalStage.objects.values_list("pk", "warning_level", "due_on"))
    drop_moved_entries(window)
    drop_moved_entries(ApprovalStage.objects.none())
    assert list(ApprovalStage.objects.values_list("pk", "warning_level", "due_on")) == before
    ApprovalStage.objects.filter(pk=stage.pk).update(warning_level=W.YELLOW)
    assert not _green_window(TODAY).exists()
