"""A stage's clock watched day by day: who hears what at yellow, red and escalated.

A small-project stage 1 (budget 6 working days, warning threshold 2) accepted Tue 09-22:
day 1 09-23, 2 09-24, (09-25 Mid-Autumn, 09-26/27 weekend), 3 09-28, 4 09-29, 5 09-30,
(10-01..10-07 National Day), 6 10-08 → due_on Thu 10-08.
- Mon 09-28: left = 09-29, 09-30, 10-08 = 3 > 2 → green.
- Tue 09-29: left = 09-30, 10-08 = 2 → yellow: the approvers of its departments.
- Sat 10-03 (holiday), Thu 10-08 (due day, left 0): nothing new.
- Fri 10-09 20:00: today > due_on → red: approvers + department heads; after 17:30, so the
  e-mails wait for the next working day, the adjusted working Saturday 10-10 at 08:30.
- Sat 10-10: workdays_between(10-08, 10-10) = 10-09, 10-10 = 2 → escalated: leo (paired with A
  and heading the administrative-approval group) and carol (A's commissioner).
"""

import pytest

from approvals import services
from approvals.models import ApprovalStage, EventAction, StageEvent
from notifications import tasks
from notifications.models import Channel, Delivery, DeliveryStatus, Escalation, Notification
from tests.approvals import factories as af
from workdays import add_workdays, workdays_back, workdays_between

from .conftest import D, at, clock, inbox, mailed, recipients

APPROVERS = {"adam", "amy"}
HEADS = {"hank", "hana"}  # heads of 发改 and 自然资源和规划, the departments of stage 1
LEADERS = {"leo", "carol"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def accepted_stage(p, approvers, *, on="2026-09-22 10:00", key_only=False, commitment_workdays=None):
    with clock(on):
        project = af.make_project(actor=p.alice, enterprise=p.enterprise_a, category_code="small")
        af.upload_materials(af.stage_of(project, 1), p.alice, key_only=key_only)
        services.project_submit(project=project, actor=p.alice)
        return services.stage_accept(stage=af.stage_of(project, 1), actor=approvers[0],
                                     commitment_workdays=commitment_workdays)


def _level(stage):
    return ApprovalStage.objects.get(pk=stage.pk).warning_level


def test_the_expected_dates_follow_the_calendar(db):
    assert add_workdays(D(2026, 9, 22), 6) == D(2026, 10, 8)
    assert workdays_between(D(2026, 9, 28), D(2026, 10, 8)) == 3
    assert workdays_between(D(2026, 9, 29), D(2026, 10, 8)) == 2
    assert workdays_between(D(2026, 10, 8), D(2026, 10, 10)) == 2
    # Escalated from the 2nd working day after due_on: on Sat 10-10 every due_on up to 10-08.
    assert workdays_back(D(2026, 10, 10), 2) == D(2026, 10, 8)
    assert workdays_back(D(2026, 10, 12), 2) == D(2026, 10, 9)  # Mon: back over Sun 10-11


def test_stage_walks_green_yellow_red_escalated_across_the_holidays(personas, approvers, sweep, mailoutbox):
    stage = accepted_stage(personas, approvers)
    assert stage.due_on == D(2026, 10, 8)

    with clock("2026-09-28 10:00"):
        sweep()
    assert _level(stage) == "green" and not Escalation.objects.exists()

    with clock("2026-09-29 10:00"):
        counts = sweep()
    assert counts["approvals.stages"]["yellow"] == 1 and _level(stage) == "yellow"
    yellow = Escalation.objects.for_object(stage).get(level="yellow")
    assert recipients(yellow) == APPROVERS
    assert "剩余 2 个工作日" in yellow.notifications.first().body
    assert yellow.link == f"/projects/stages/{stage.pk}/"
    assert set(mailed(mailoutbox)) == APPROVERS  # office hours: at once
    assert mailed(mailoutbox)["adam"] == [f"[护商通] 黄色预警: {stage}"]

    for moment in ("2026-10-03 10:00", "2026-10-08 10:00"):  # a holiday; the due day itself
        with clock(moment):
            sweep()
    assert _level(stage) == "yellow" and Escalation.objects.count() == 1
    mailoutbox.clear()

    with clock("2026-10-09 20:00"):
        counts = sweep()
    assert counts["approvals.stages"]["red"] == 1 and _level(stage) == "red"
    red = Escalation.objects.for_object(stage).get(level="red")
    assert recipients(red) == APPROVERS | HEADS
    assert "已超期 1 个工作日" in red.notifications.first().body
    # Friday 20:00 is quiet: in the inbox now, by e-mail at 08:30 on the adjusted working Saturday.
    assert mailoutbox == []
    emails = Delivery.objects.filter(notification__escalation=red, channel=Channel.EMAIL)
    assert set(emails.values_list("status", "next_attempt_at")) == {(DeliveryStatus.HELD,
                                                                     at("2026-10-10 08:30"))}
    assert all(f"红色超期: {stage}" in inbox(user) for user in (personas.adam, approvers[1]))

    with clock("2026-10-10 08:45"):
        tasks.digests_send()
        assert set(mailed(mailoutbox)) == APPROVERS | HEADS
        mailoutbox.clear()
        counts = sweep()
    assert counts["approvals.stages"]["escalated"] == 1 and _level(stage) == "escalated"
    escalated = Escalation.objects.for_object(stage).get(level="escalated")
    assert recipients(escalated) == LEADERS
    assert escalated.reason == "超期 2 个工作日未办结"
    assert set(mailed(mailoutbox)) == LEADERS  # a working Saturday in office hours: at once

    with clock("2026-10-12 10:00"):
        counts = sweep()
    assert counts["approvals.stages"] == {"yellow": 0, "red": 0, "escalated": 0, "commitments": 0}
    assert Escalation.objects.count() == 3


def test_a_long_overdue_stage_seen_first_goes_red_and_escalated_in_one_sweep(personas, approvers, sweep):
    stage = accepted_stage(personas, approvers)
    with clock("2026-10-13 10:00"):
        counts = sweep()["approvals.stages"]
    assert counts == {"yellow": 0, "red": 1, "escalated": 1, "commitments": 0}
    assert set(Escalation.objects.for_object(stage).values_list("level", flat=True)) == {"red", "escalated"}


def test_a_paused_stage_is_not_swept_and_resumes_with_its_new_due_on(personas, approvers, sweep):
    adam = approvers[0]
    stage = accepted_stage(personas, approvers)
    with clock("2026-09-24 10:00"):  # day 2: supplement requested
        stage = services.stage_request_supplement(stage=stage, actor=adam, items=["用地红线图坐标"])
    with clock("2026-10-12 10:00"):  # long past the old due_on, still waiting for the enterprise
        sweep()
    assert _level(stage) == "green" and not Escalation.objects.exists()

    with clock("2026-10-12 11:00"):
        af.answer_supplement(stage, personas.alice)  # 提交补正材料 needs a file per requested item
        stage = services.stage_resubmit(stage=ApprovalStage.objects.get(pk=stage.pk), actor=personas.alice)
    # Paused 09-24..10-12 holds workdays_between = 09-28, 09-29, 09-30, 10-08, 10-09, 10-10, 10-12 = 7;
    # due_on = add_workdays(09-22, 6 + 7) = #13: 10-08 #6, 10-09 #7, 10-10 #8, 10-12 #9, 10-13 #10,
    # 10-14 #11, 10-15 #12, 10-16 #13.
    assert stage.due_on == add_workdays(D(2026, 9, 22), 13) == D(2026, 10, 16)
    with clock("2026-10-15 10:00"):  # left: 10-16 = 1 <= 2
        counts = sweep()["approvals.stages"]
    assert counts["yellow"] == 1 and counts["red"] == 0


def test_project_limit_exceeded_escalates_a_stage_still_inside_its_own_budget(personas, approvers, sweep):
    """Stage 1 of a small project (limit 24) took 20 working days; stage 2 has 6 of its own
    but only 24 - 20 = 4 left of the project's: its 5th working day breaks the promise."""
    adam = approvers[0]
    stage1 = accepted_stage(personas, approvers, on="2026-11-02 10:00")
    with clock("2026-11-30 10:00"):  # 11-03..11-06, 11-09..13, 16..20, 23..27, 11-30 = 4+5+5+5+1 = 20
        af.approve_all_reviews(ApprovalStage.objects.get(pk=stage1.pk), adam)
        services.stage_approve(stage=ApprovalStage.objects.get(pk=stage1.pk), actor=adam)
        stage2 = af.stage_of(stage1.project, 2)
        af.upload_materials(stage2, personas.alice)
        stage2 = services.stage_accept(stage=af.stage_of(stage1.project, 2), actor=adam)
    assert ApprovalStage.objects.get(pk=stage1.pk).used_workdays == 20
    with clock("2026-12-04 10:00"):  # used 12-01..12-04 = 4: the whole 24, not over
        assert sweep()["approvals.stages"]["escalated"] == 0
    with clock("2026-12-07 10:00"):  # used 5 > 4; stage 2 is due 12-08 (yellow, not red)
        counts = sweep()["approvals.stages"]
    assert counts["escalated"] == 1 and _level(stage2) == "escalated"
    escalated = Escalation.objects.for_object(stage2).get(level="escalated")
    assert escalated.reason == "项目审批总用时超过类别时限 24 个工作日"
    assert recipients(escalated) == LEADERS


def test_a_broken_rongque_commitment_reaches_the_enterprise_and_the_approvers(personas, approvers, sweep):
    # Accepted Tue 09-22 without the non-key 项目选址红线图, promised within 3 working days:
    # 09-23, 09-24, 09-28 → commitment_due_on Mon 09-28; overdue from Tue 09-29.
    stage = accepted_stage(personas, approvers, key_only=True, commitment_workdays=3)
    assert stage.commitment_due_on == D(2026, 9, 28)
    with clock("2026-09-28 10:00"):
        assert sweep()["approvals.stages"]["commitments"] == 0
    with clock("2026-09-29 10:00"):
        assert sweep()["approvals.stages"]["commitments"] == 1
        assert sweep()["approvals.stages"]["commitments"] == 0
    accepted = StageEvent.objects.get(stage=stage, action=EventAction.STAGE_ACCEPTED)
    commitment = Escalation.objects.for_object(accepted).get()
    assert commitment.level == "red" and recipients(commitment) == {"alice"} | APPROVERS
    assert "项目选址红线图" in commitment.notifications.first().body
    # The stage's own clock is untouched: yellow (left 2) on the stage itself, not on the event.
    assert set(Escalation.objects.for_object(stage).values_list("level", flat=True)) == {"yellow"}


def test_a_commitment_met_in_time_raises_nothing(personas, approvers, sweep):
    stage = accepted_stage(personas, approvers, key_only=True, commitment_workdays=3)
    with clock("2026-09-24 10:00"):
        af.upload_materials(stage, personas.alice)
    assert ApprovalStage.objects.get(pk=stage.pk).commitment_met_on == D(2026, 9, 24)
    with clock("2026-09-29 10:00"):
        assert sweep()["approvals.stages"]["commitments"] == 0


def test_event_notices_reach_the_enterprise_and_the_approvers(personas, approvers,
                                                                django_capture_on_commit_callbacks):
    adam = approvers[0]
    with django_capture_on_commit_callbacks(execute=True):
        stage = accepted_stage(personas, approvers)
    assert f"{stage.project.name} · 立项用地规划许可: 已受理" in inbox(personas.alice)
    with clock("2026-09-24 10:00"), django_capture_on_commit_callbacks(execute=True):
        stage = services.stage_request_supplement(stage=stage, actor=adam, items=["用地红线图坐标"])
    notice = Notification.objects.get(recipient=personas.alice, title__endswith="需要补正材料(计时暂停)")
    assert "用地红线图坐标" in notice.body
    with clock("2026-09-28 10:00"), django_capture_on_commit_callbacks(execute=True):
        af.answer_supplement(stage, personas.alice)  # 提交补正材料 needs a file per requested item
        services.stage_resubmit(stage=stage, actor=personas.alice)
    resubmitted = Notification.objects.filter(title__endswith="企业已提交补正材料(恢复计时)")
    assert {n.recipient.username for n in resubmitted} == APPROVERS


def test_a_stage_escalated_for_the_project_limit_still_goes_red_on_its_own_due_date(personas, approvers,
                                                                                  sweep):
    """Stage 2 is escalated on 12-07 because the project ran over; its own due_on 12-08 passes
    on 12-09: red, to its approvers and its departments' heads (engineering: zrzy → hana), once,
    however often the sweep runs — and its stored level stays escalated."""
    adam = approvers[0]
    stage1 = accepted_stage(personas, approvers, on="2026-11-02 10:00")
    with clock("2026-11-30 10:00"):
        af.approve_all_reviews(ApprovalStage.objects.get(pk=stage1.pk), adam)
        services.stage_approve(stage=ApprovalStage.objects.get(pk=stage1.pk), actor=adam)
        stage2 = af.stage_of(stage1.project, 2)
        af.upload_materials(stage2, personas.alice)
        stage2 = services.stage_accept(stage=af.stage_of(stage1.project, 2), actor=adam)
    assert stage2.due_on == D(2026, 12, 8)
    with clock("2026-12-07 10:00"):
        assert sweep()["approvals.stages"]["escalated"] == 1
    assert _level(stage2) == "escalated"
    assert not Escalation.objects.for_object(stage2).filter(level="red").exists()

    with clock("2026-12-09 10:00"):
        first, second = sweep()["approvals.stages"], sweep()["approvals.stages"]
    assert (first["red"], second["red"]) == (1, 0)
    assert (first["escalated"], second["escalated"]) == (0, 0)
    assert _level(stage2) == "escalated"
    red = Escalation.objects.for_object(stage2).get(level="red")
    assert recipients(red) == APPROVERS | {"hana"}
    assert red.notifications.count() == len(APPROVERS | {"hana"})
    assert "已超期 1 个工作日" in red.notifications.first().body
    with clock("2026-12-10 10:00"):
        assert sweep()["approvals.stages"] == {"yellow": 0, "red": 0, "escalated": 0, "commitments": 0}
    assert Escalation.objects.for_object(stage2).filter(level="red").count() == 1


def test_stages_of_one_batch_each_read_their_own_due_date(personas, approvers, sweep):
    """One sweep moves two stages due on different days to yellow in one batch: each message says
    its own stage's working days left and due date (read from one joined parameter table)."""
    first = accepted_stage(personas, approvers)  # due Thu 10-08
    second = accepted_stage(personas, approvers, on="2026-09-23 10:00")  # due Fri 10-09
    assert (first.due_on, second.due_on) == (D(2026, 10, 8), D(2026, 10, 9))

    with clock("2026-09-30 10:00"):
        counts = sweep()
    assert counts["approvals.stages"]["yellow"] == 2
    bodies = {stage.pk: {n.body for n in Escalation.objects.for_object(stage).get().notifications.all()}
              for stage in (first, second)}
    assert bodies[first.pk] == {f"{first}: 剩余 1 个工作日, 应于 2026-10-08 前办结。"}
    assert bodies[second.pk] == {f"{second}: 剩余 2 个工作日, 应于 2026-10-09 前办结。"}
