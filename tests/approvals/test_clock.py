"""A project of each category through all four stages on the working-day clock.

The dates cross 2026's Mid-Autumn Festival (Fri 09-25) and National Day (10-01..10-07), with
the adjusted working days Sun 09-20 and Sat 10-10. Working days after Mon 2026-09-14, numbered
as the law counts them (the day of acceptance is not counted):

     1 09-15   2 09-16   3 09-17   4 09-18   5 09-20*  6 09-21   7 09-22   8 09-23   9 09-24
    10 09-28  11 09-29  12 09-30  13 10-08  14 10-09  15 10-10*  16 10-12  17 10-13  18 10-14
    19 10-15  20 10-16  21 10-19  22 10-20  23 10-21  24 10-22  25 10-23  26 10-26
    (* adjusted working weekend; 09-25 and 10-01..10-07 are holidays)

Stage 1, accepted Mon 09-14:
  - supplement requested Tue 09-22, resubmitted Mon 09-28: holds workdays_between = 09-23,
    09-24, 09-28 = 3 (09-25 holiday, 09-26/27 weekend);
  - expert review Tue 09-29 .. Fri 10-09: holds 09-30, 10-08, 10-09 = 3 (National Day);
  - approved Wed 10-14: workdays_between(09-14, 10-14) = 18 (#18 above), used = 18 - 6 = 12.
    Counted days: 09-15..09-22 (7), 09-29 (8), 10-10 (9), 10-12, 10-13, 10-14 (12).
  - due_on = add_workdays(09-14, budget + paused): before any pause #budget, after the
    supplement #(budget + 3), after the expert review #(budget + 6).
Stage 2, accepted Thu 10-15, approved Thu 10-29: 10-16, 10-19..23, 10-26..29 = 10.
Stage 3, accepted Fri 10-30, approved Wed 11-11: 11-02..06, 11-09..11 = 8.
Stage 4, accepted Thu 11-12, approved Thu 11-26: 11-13, 11-16..20, 11-23..26 = 10.
Project total = 12 + 10 + 8 + 10 = 40 working days.
"""

import datetime as dt
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import time_machine

from approvals import clock, selectors, services
from approvals.models import EventAction, PauseKind, ProjectStatus, StageEvent, StageStatus

from . import factories as af

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date


@contextmanager
def on(day):
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI), tick=False):
        yield


# category: stage-1 due_on (initial, after supplement, after expert review), stages 2-4 due_on
EXPECTED = {
    # budgets 20/15/10/15: #20, #23, #26; stage 2 #15 after 10-15; stage 3 #10 after 10-30;
    # stage 4 #15 after 11-12
    "government": ((D(2026, 10, 16), D(2026, 10, 21), D(2026, 10, 26)),
                   D(2026, 11, 5), D(2026, 11, 13), D(2026, 12, 3)),
    # budgets 15/12/8/15: #15 is the adjusted Saturday 10-10; stage 2 11-02 (10-16, 19-23, 26-30, 11-02)
    "social": ((D(2026, 10, 10), D(2026, 10, 14), D(2026, 10, 19)),
               D(2026, 11, 2), D(2026, 11, 11), D(2026, 12, 3)),
    # budgets 6/6/4/8: #6 09-21, #9 09-24, #12 09-30; stage 2 10-23; stage 3 11-05; stage 4 11-24
    "small": ((D(2026, 9, 21), D(2026, 9, 24), D(2026, 9, 30)),
              D(2026, 10, 23), D(2026, 11, 5), D(2026, 11, 24)),
}
LIMITS = {"government": 60, "social": 50, "small": 24}


def _accept_and_agree(stage, alice, adam, accepted, reviewed=None):
    with on(accepted):
        af.upload_materials(stage, alice)
        stage = services.stage_accept(stage=af.stage_of(stage.project, stage.order), actor=adam)
    with on(reviewed or accepted):
        return af.approve_all_reviews(stage, adam)


@pytest.mark.parametrize("category_code", ["government", "social", "small"])
def test_project_walks_four_stages_with_pauses_across_holidays(personas, approvers, category_code):
    adam, _ = approvers
    alice = personas.alice
    stage1_due, due2, due3, due4 = EXPECTED[category_code]
    with on(D(2026, 9, 11)):
        project = af.make_project(actor=alice, enterprise=personas.enterprise_a, category_code=category_code)
        af.upload_materials(af.stage_of(project, 1), alice)
        services.project_submit(project=project, actor=alice)

    # Stage 1: accepted Monday 09-14, the clock starts the next working day.
    with on(D(2026, 9, 14)):
        stage = services.stage_accept(stage=af.stage_of(project, 1), actor=adam)
    assert (stage.status, stage.accepted_on, stage.due_on) == (StageStatus.ACCEPTED, D(2026, 9, 14),
                                                               stage1_due[0])
    assert stage.provisional is False
    with on(D(2026, 9, 22)):
        stage = services.stage_request_supplement(stage=stage, actor=adam, items=["补充用地红线图坐标"])
    with on(D(2026, 9, 24)):
        frozen = af.stage_of(project, 1)
        # 09-15..09-22 count (7); the day of the request counts, nothing after it.
        assert clock.used(frozen, today=D(2026, 9, 24)) == 7
        assert selectors.stage_sentence(frozen, today=D(2026, 9,
                                                        24)) == "审批已暂停: 等待补正材料, 自 9月22日起"
        assert frozen.due_on == stage1_due[0]  # unchanged while the pause is open
    with on(D(2026, 9, 28)):
        af.answer_supplement(frozen, alice)
        stage = services.stage_resubmit(stage=frozen, actor=alice)
    assert (stage.status, stage.paused_workdays, stage.due_on) == (StageStatus.IN_REVIEW, 3, stage1_due[1])

    with on(D(2026, 9, 29)):
        stage = services.stage_pause(stage=stage, actor=adam, kind=PauseKind.EXPERT_REVIEW,
                                     legal_basis="《行政许可法》第四十五条")
    with on(D(2026, 10, 5)):
        frozen = af.stage_of(project, 1)
        # workdays_between(09-14, 09-29) = 11, minus the 3 of the closed supplement pause = 8.
        assert clock.used(frozen, today=D(2026, 10, 5)) == 8
        assert selectors.stage_sentence(frozen, today=D(2026, 10, 5)) == "审批已暂停: 专家评审, 自 9月29日起"
    with on(D(2026, 10, 9)):
        stage = services.stage_resume(stage=frozen, actor=adam)
    assert (stage.paused_workdays, stage.due_on) == (6, stage1_due[2])
    pauses = list(stage.pauses.order_by("started_on").values_list("kind", "paused_workdays"))
    assert pauses == [(PauseKind.SUPPLEMENT, 3), (PauseKind.EXPERT_REVIEW, 3)]

    with on(D(2026, 10, 12)):
        stage = af.approve_all_reviews(stage, adam)
    with on(D(2026, 10, 14)):
        stage = services.stage_approve(stage=stage, actor=adam)
    assert (stage.status, stage.finished_on, stage.used_workdays) == (StageStatus.APPROVED, D(2026, 10, 14),
                                                                      12)
    assert StageEvent.objects.get(stage=stage, action=EventAction.STAGE_APPROVED).workdays_used_so_far == 12
    assert af.stage_of(project, 2).status == StageStatus.PENDING

    # Stages 2-4 without pauses.
    for order, accepted, approved, due, used in [
        (2, D(2026, 10, 15), D(2026, 10, 29), due2, 10),
        (3, D(2026, 10, 30), D(2026, 11, 11), due3, 8),
        (4, D(2026, 11, 12), D(2026, 11, 26), due4, 10),
    ]:
        stage = _accept_and_agree(af.stage_of(project, order), alice, adam, accepted)
        assert stage.due_on == due, order
        with on(approved):
            stage = services.stage_approve(stage=stage, actor=adam)
        assert stage.used_workdays == used, order

    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    assert project.finished_on == D(2026, 11, 26)
    progress = selectors.project_progress(project, today=D(2026, 12, 1))
    assert (progress.used, progress.limit) == (40, LIMITS[category_code])
    assert progress.overrun == max(0, 40 - LIMITS[category_code])


def test_running_stage_counts_today_and_turns_yellow_then_red(personas, approvers, project_a):
    """Small category stage 1: budget 6, warning threshold 2 (seed)."""
    adam, _ = approvers
    alice = personas.alice
    project = af.make_project(actor=alice, enterprise=personas.enterprise_a, category_code="small")
    with on(D(2026, 11, 2)):
        af.upload_materials(af.stage_of(project, 1), alice)
        services.project_submit(project=project, actor=alice)
        stage = services.stage_accept(stage=af.stage_of(project, 1), actor=adam)
    # Mon 11-02 + 6 working days: 11-03..06 (4), 11-09 (5), 11-10 (6).
    assert stage.due_on == D(2026, 11, 10)
    stage = af.stage_of(project, 1)
    assert selectors.live_level(stage, today=D(2026, 11, 4)) == "green"  # used 2, remaining 4
    assert selectors.live_level(stage, today=D(2026, 11, 6)) == "yellow"  # used 4, remaining 2
    assert selectors.live_level(stage, today=D(2026, 11, 11)) == "red"  # used 7
    assert selectors.stage_sentence(stage, today=D(2026, 11, 11)) == "已超期 1 个工作日: 应于 11月10日前办结"
