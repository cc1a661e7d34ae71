"""Illegal transitions and bad input: a clear message, the state unchanged."""

import datetime as dt
from decimal import Decimal

import pytest

from approvals import services
from approvals.errors import STALE, ApprovalError
from approvals.models import (
    ApprovalStage,
    ClockPause,
    Department,
    EventAction,
    Project,
    ProjectStatus,
    StageEvent,
    StageStatus,
)

from . import factories as af

MON = dt.date(2026, 11, 2)


@pytest.fixture
def submitted(personas, project_a):
    af.upload_materials(af.stage_of(project_a, 1), personas.alice, today=MON)
    services.project_submit(project=project_a, actor=personas.alice, today=MON)
    return project_a


@pytest.fixture
def accepted(submitted, approvers):
    return services.stage_accept(stage=af.stage_of(submitted, 1), actor=approvers[0], today=MON)


def _unchanged(stage, status):
    fresh = ApprovalStage.objects.get(pk=stage.pk)
    assert fresh.status == status
    return fresh


def _refused(call, code, text):
    events = StageEvent.objects.count()
    with pytest.raises(ApprovalError) as info:
        call()
    assert info.value.code == code
    assert text in info.value.message
    assert StageEvent.objects.count() == events


def test_submit_opens_stage_one_and_records_events(submitted):
    assert submitted.stages.get(order=1).status == StageStatus.PENDING
    assert set(submitted.stages.filter(order__gt=1).values_list("status", flat=True)) == {StageStatus.WAITING}
    actions = list(StageEvent.objects.filter(project=submitted).values_list("action", flat=True))
    assert actions[:1] == [EventAction.PROJECT_CREATED]
    assert EventAction.PROJECT_SUBMITTED in actions and EventAction.STAGE_OPENED in actions


def test_accept_starts_project_approval_and_creates_one_review_per_department(accepted):
    assert accepted.project.status == ProjectStatus.IN_APPROVAL
    assert accepted.reviews.count() == accepted.policy.departments.count() == 2


def test_approve_before_all_reviews_is_refused(accepted, approvers):
    adam = approvers[0]
    first = accepted.policy.departments.first()
    stage = services.stage_review_submit(stage=accepted, actor=adam, department=first, opinion="agree")
    _refused(lambda: services.stage_approve(stage=stage, actor=adam), "condition", "尚有部门未出具同意意见")
    _unchanged(stage, StageStatus.IN_REVIEW)


def test_disagreement_blocks_approval_and_needs_a_reason(accepted, approvers):
    adam = approvers[0]
    departments = list(accepted.policy.departments.all())
    _refused(lambda: services.stage_review_submit(stage=accepted, actor=adam, department=departments[0],
                                                  opinion="disagree"), "invalid", "不同意须说明理由")
    stage = af.approve_all_reviews(accepted, adam)
    stage = services.stage_review_submit(stage=stage, actor=adam, department=departments[1],
                                         opinion="disagree", comment="选址与规划不符")
    _refused(lambda: services.stage_approve(stage=stage, actor=adam), "condition", "尚有部门未出具同意意见")


def test_accept_twice_is_refused(accepted, approvers):
    stale = af.stage_of(accepted.project, 1)  # loaded after the first acceptance
    _refused(lambda: services.stage_accept(stage=stale, actor=approvers[0]), "state", "不能受理")
    assert _unchanged(accepted, StageStatus.ACCEPTED).accepted_on == MON


def test_acting_on_an_outdated_page_says_someone_else_acted(submitted, approvers):
    seen = af.stage_of(submitted, 1)
    services.stage_accept(stage=af.stage_of(submitted, 1), actor=approvers[1])
    _refused(lambda: services.stage_accept(stage=seen, actor=approvers[0]), "stale", STALE)


def test_resubmit_with_nothing_requested_is_refused(accepted, personas):
    _refused(lambda: services.stage_resubmit(stage=accepted, actor=personas.alice), "state",
             "不能提交补正材料")
    _unchanged(accepted, StageStatus.ACCEPTED)


def test_reject_needs_a_reason(accepted, approvers):
    _refused(lambda: services.stage_reject(stage=accepted, actor=approvers[0], reason="  "), "invalid",
             "不予许可必须说明理由")
    _unchanged(accepted, StageStatus.ACCEPTED)


def test_reject_refuses_the_project_and_ends_later_stages(accepted, approvers):
    services.stage_reject(stage=accepted, actor=approvers[0], reason="不符合园区产业规划", today=MON)
    project = Project.objects.get(pk=accepted.project_id)
    assert project.status == ProjectStatus.REJECTED
    statuses = list(project.stages.order_by("order").values_list("status", flat=True))
    assert statuses == [StageStatus.REJECTED] + [StageStatus.CANCELLED] * 3
    assert project.stages.get(order=1).used_workdays == 0


def test_supplement_needs_items_and_pause_needs_a_legal_basis(accepted, approvers):
    adam = approvers[0]
    _refused(lambda: services.stage_request_supplement(stage=accepted, actor=adam, items=["", " "]),
             "invalid",
             "请逐项列出")
    _refused(lambda: services.stage_pause(stage=accepted, actor=adam, kind="hearing", legal_basis=""),
             "invalid",
             "法律依据")
    _refused(lambda: services.stage_pause(stage=accepted, actor=adam, kind="supplement", legal_basis="x"),
             "invalid", "补正请用")
    assert not ClockPause.objects.exists()


def test_enterprise_cannot_approve_and_approver_cannot_resubmit(accepted, personas, approvers):
    _refused(lambda: services.stage_reject(stage=accepted, actor=personas.alice, reason="x"), "forbidden",
             "无权")
    stage = services.stage_request_supplement(stage=accepted, actor=approvers[0], items=["补充图纸"])
    _refused(lambda: services.stage_resubmit(stage=stage, actor=approvers[0]), "forbidden", "无权")
    _refused(lambda: services.stage_resubmit(stage=stage, actor=personas.bob), "forbidden", "无权")


def test_approver_outside_the_stage_departments_is_refused(accepted, personas):
    from tests import factories as f

    outsider = f.UserFactory(username="ollie", roles=["approver"])
    Department.objects.get(code="xf").members.add(outsider)  # 消防 does not review stage 1
    _refused(lambda: services.stage_accept(stage=af.stage_of(accepted.project, 2), actor=outsider),
             "forbidden",
             "无权受理")
    _refused(lambda: services.stage_reject(stage=accepted, actor=outsider, reason="x"), "forbidden", "无权")
    fgw = Department.objects.get(code="fgw")
    _refused(lambda: services.stage_review_submit(stage=accepted, actor=outsider, department=fgw,
                                                  opinion="agree"), "forbidden", "无权")


def test_accept_needs_key_materials(accepted, approvers):
    # Stage 2 opens when stage 1 is approved, before the enterprise has uploaded its materials.
    services.stage_approve(stage=af.approve_all_reviews(accepted, approvers[0], today=MON),
                           actor=approvers[0], today=MON)
    stage = af.stage_of(accepted.project, 2)
    _refused(lambda: services.stage_accept(stage=stage, actor=approvers[0]), "condition",
             "关键材料不全, 缺少「建设工程设计方案」")
    _unchanged(stage, StageStatus.PENDING)


def test_accept_with_missing_non_key_materials_records_the_commitment(personas, approvers):
    alice, adam = personas.alice, approvers[0]
    project = af.make_project(actor=alice, enterprise=personas.enterprise_a)
    af.upload_materials(af.stage_of(project, 1), alice, key_only=True)
    services.project_submit(project=project, actor=alice)
    stage = af.stage_of(project, 1)
    _refused(lambda: services.stage_accept(stage=stage, actor=adam, today=MON), "invalid",
             "容缺受理须约定补齐期限(1–60 个工作日)")
    _refused(lambda: services.stage_accept(stage=stage, actor=adam, commitment_workdays=99999, today=MON),
             "invalid", "容缺受理须约定补齐期限")
    _refused(lambda: services.stage_accept(stage=stage, actor=adam, commitment_workdays="五", today=MON),
             "invalid", "容缺受理须约定补齐期限")
    _refused(lambda: services.stage_accept(stage=stage, actor=adam, missing_items=["approval_report"],
                                           commitment_workdays=5, today=MON), "invalid", "关键材料, 不能容缺")
    stage = services.stage_accept(stage=stage, actor=adam, commitment_workdays=5, today=MON)
    assert stage.missing_items == [{"key": "site_plan", "name": "项目选址红线图"}]
    # Mon 11-02 + 5 working days = Mon 11-09.
    assert (stage.commitment_workdays, stage.commitment_due_on) == (5, dt.date(2026, 11, 9))
    services.material_upload(stage=stage, actor=alice, requirement_key="site_plan", upload=af.pdf(),
                             today=dt.date(2026, 11, 6))
    assert af.stage_of(project, 1).commitment_met_on == dt.date(2026, 11, 6)


def test_negative_investment_is_refused(personas, approvers):
    with pytest.raises(ApprovalError, match="总投资不能为负数"):
        af.make_project(actor=personas.alice, enterprise=personas.enterprise_a,
                        total_investment=Decimal("-1"))
    with pytest.raises(ApprovalError, match="签约金额不能为负数"):
        af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, signed_amount="-5")
    assert not Project.objects.exists()


def test_duplicate_project_code_is_refused(project_a, personas):
    with pytest.raises(ApprovalError) as info:
        af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code="A-0001")
    assert info.value.code == "duplicate" and info.value.message == "项目代码「A-0001」已被使用"
    assert Project.objects.count() == 1


def test_enterprise_cannot_create_a_project_for_another(personas, approvers):
    with pytest.raises(ApprovalError, match="无权"):
        af.make_project(actor=personas.alice, enterprise=personas.enterprise_b)


def test_withdraw_ends_open_stages_and_closes_an_open_pause(accepted, personas, approvers):
    stage = services.stage_request_supplement(stage=accepted, actor=approvers[0], items=["补充"], today=MON)
    services.project_withdraw(project=stage.project, actor=personas.alice, today=dt.date(2026, 11, 4))
    project = Project.objects.get(pk=stage.project_id)
    assert project.status == ProjectStatus.WITHDRAWN
    assert set(project.stages.values_list("status", flat=True)) == {StageStatus.CANCELLED}
    pause = ClockPause.objects.get()
    assert (pause.ended_on, pause.paused_workdays) == (dt.date(2026, 11, 4), 2)  # 11-03, 11-04


def test_submit_twice_is_refused(submitted, personas):
    with pytest.raises(ApprovalError, match="不能提交审批"):
        services.project_submit(project=Project.objects.get(pk=submitted.pk), actor=personas.alice)


def test_notification_hook_runs_after_commit_only(accepted, approvers, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    seen = []
    monkeypatch.setattr("approvals.notify.stage_event_recorded", lambda *, event_id: seen.append(event_id))
    with django_capture_on_commit_callbacks(execute=True):
        services.stage_request_supplement(stage=accepted, actor=approvers[0], items=["补充"])
    assert seen == [StageEvent.objects.latest("id").pk]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApprovalError):
        services.stage_approve(stage=af.stage_of(accepted.project, 1), actor=approvers[0])
    assert len(seen) == 1
