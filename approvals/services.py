"""Every write of the approvals app: one function per action, used by pages, API, admin and tests.

Each locks the project row and then the stage row (always in this order, so two services never
deadlock), checks that the row is still in the status the caller saw, that the actor may run
the transition, that it is allowed in that status and that its conditions hold — in that order,
so the message names the first thing that is wrong — then runs the transition, saves, writes a
StageEvent and schedules the notification hook after commit.

`today` defaults to the Asia/Shanghai local date; only the demo seed passes another one.
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from core import transitions
from workdays.calendar import hold_calendar

from . import clock, notify, rules, uploads
from .choices import FINISHED, STAGE_ORDER, ProjectStatus
from .errors import ApprovalError
from .models import (
    ApprovalStage,
    ClockPause,
    EventAction,
    Material,
    Opinion,
    PauseKind,
    Project,
    StageEvent,
    StageKind,
    StagePolicy,
    StageReview,
)

# Stored with each 补正 pause (ClockPause.legal_basis), so it stays in the site language.
SUPPLEMENT_BASIS = ("《中华人民共和国行政许可法》第三十二条: "
                    "申请材料不齐全或者不符合法定形式的, 一次告知需要补正的全部内容")


# --- helpers ---------------------------------------------------------------------------------

def _today(today):
    return today or timezone.localdate()


def _stored(label):
    """A choice label written into an event comment: stored text stays in the site language,
    whatever language the request that wrote it uses."""
    with override(settings.LANGUAGE_CODE):
        return str(label)


def _lock_project(project, expected_status=None):
    hold_calendar()  # before any row lock: stage clocks are counted under it
    locked = Project.objects.select_for_update().get(pk=project.pk)
    transitions.expect_status(locked, expected_status, error=ApprovalError)
    return locked


def _lock_stage(stage, expected_status=None):
    """The project row, then the stage row; refuse if the stage moved since the caller saw it."""
    project = _lock_project(stage.project)
    locked = ApprovalStage.objects.select_for_update(of=("self",)).select_related("policy").get(pk=stage.pk)
    locked.project = project
    transitions.expect_status(locked, expected_status or stage.status, error=ApprovalError)
    return locked


def _check(bound, actor, verb):
    """Permission, then status, then each named condition (core.transitions); the first failure
    is the message. verb is already translated (pgettext "verb": "受理" -> "accept")."""
    transitions.check(bound, actor, wording=rules.WORDING, verb=verb, error=ApprovalError)


def _record(*, project, actor, action, stage=None, from_status="", to_status="", comment="", today=None):
    event = StageEvent.objects.create(
        project=project, stage=stage, actor=actor, action=action, from_status=from_status,
        to_status=to_status, comment=comment,
        workdays_used_so_far=clock.used(stage, today=_today(today)) if stage and stage.accepted_on else None,
    )
    event_id = event.pk
    # After commit: a rolled-back transition must not notify anyone.
    transaction.on_commit(lambda: notify.stage_event_recorded(event_id=event_id))
    return event


def _run(instance, bound, actor, verb, action, *, comment="", today=None, stage=None, **kwargs):
    """Check, transition, save, record (core.transitions.run): the body of every state change."""
    project = instance if isinstance(instance, Project) else instance.project
    if stage is None and isinstance(instance, ApprovalStage):
        stage = instance
    return transitions.run(
        bound, actor, wording=rules.WORDING, verb=verb, error=ApprovalError,
        record=lambda before: _record(project=project, stage=stage, actor=actor, action=action,
                                      from_status=before, to_status=instance.status, comment=comment,
                                      today=today),
        **kwargs)


def _required_text(value, message):
    value = (value or "").strip()
    if not value:
        raise ApprovalError(message, code="invalid")
    return value


# --- policy ----------------------------------------------------------------------------------

def check_category_budgets(*, limit, budgets):
    """The four stage budgets of a category add up to its limit (the reform's promise)."""
    budgets = list(budgets)
    if len(budgets) != len(StageKind.values):
        raise ApprovalError(_("须为四个审批阶段各设一条审批规则"), code="invalid")
    total = sum(budgets)
    if total != limit:
        raise ApprovalError(_("四个阶段时限之和为 %(total)s 个工作日, 应等于类别时限 %(limit)s 个工作日")
                            % {"total": total, "limit": limit}, code="invalid")


# --- projects --------------------------------------------------------------------------------

def _decimal(value, label):
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation as exc:
        raise ApprovalError(_("%(label)s不是有效金额") % {"label": label}, code="invalid") from exc
    if amount < 0:
        raise ApprovalError(_("%(label)s不能为负数") % {"label": label}, code="invalid")
    return amount


@transaction.atomic
def project_create(*, actor, enterprise, name, code, category, total_investment, signed_amount=0,
                   industry=None, location="", is_major=False, introduced_on=None,
                   construction_started_on=None, task_force=()):
    project = Project(
        enterprise=enterprise, name=_required_text(name, _("请填写项目名称")),
        code=_required_text(code, _("请填写项目代码")), category=category,
        industry=industry or enterprise.industry, location=location, is_major=is_major,
        total_investment=_decimal(total_investment, _("总投资")),
        signed_amount=_decimal(signed_amount, _("签约金额")),
        introduced_on=introduced_on, construction_started_on=construction_started_on, created_by=actor,
    )
    if not rules.may_act_for_enterprise(project, actor):
        raise ApprovalError(_("您无权为该企业创建项目"), code="forbidden")
    if Project.objects.filter(code=project.code).exists():
        raise ApprovalError(_("项目代码「%(code)s」已被使用") % {"code": project.code}, code="duplicate")
    policies = list(StagePolicy.objects.filter(category=category))
    if len(policies) != len(StageKind.values):
        raise ApprovalError(_("项目类别「%(category)s」的审批规则不完整, 请联系管理员")
                            % {"category": category}, code="invalid")
    try:
        with transaction.atomic():  # a savepoint: a concurrent insert of the same code loses here
            project.save()
    except IntegrityError as exc:
        raise ApprovalError(_("项目代码「%(code)s」已被使用") % {"code": project.code},
                            code="duplicate") from exc
    if task_force:
        project.task_force.set(task_force)
    ApprovalStage.objects.bulk_create([
        ApprovalStage(project=project, policy=p, kind=p.kind, order=STAGE_ORDER[p.kind],
                      budget_workdays=p.budget_workdays)
        for p in sorted(policies, key=lambda p: STAGE_ORDER[p.kind])
    ])
    _record(project=project, actor=actor, action=EventAction.PROJECT_CREATED, to_status=project.status)
    return project


@transaction.atomic
def project_submit(*, project, actor, comment="", today=None, expected_status=None):
    """提交审批 opens stage 1 for 受理, which refuses a stage without its key materials: refuse
    now, naming them, rather than let the enterprise learn it from the approver."""
    today = _today(today)
    project = _lock_project(project, expected_status)
    verb = pgettext("verb", "提交审批")
    _check(project.submit, actor, verb)
    missing = rules.missing_for_submit(project)
    if missing:
        message = _("不能提交审批: 第一阶段尚缺关键材料%(names)s, 请上传后再提交(非关键材料可容缺受理)")
        raise ApprovalError(message % {"names": rules.material_names(missing)}, code="condition")
    _run(project, project.submit, actor, verb, EventAction.PROJECT_SUBMITTED, comment=comment,
         today=today, on=today)
    _open_stage(project=project, order=1, actor=actor, today=today)
    return project


def _open_stage(*, project, order, actor, today):
    stage = ApprovalStage.objects.select_for_update(of=("self",)).get(project=project, order=order)
    stage.project = project
    _run(stage, stage.open, actor, pgettext("verb", "开始该阶段"), EventAction.STAGE_OPENED,
         today=today, on=today)
    return stage


@transaction.atomic
def project_withdraw(*, project, actor, comment="", today=None, expected_status=None):
    today = _today(today)
    project = _lock_project(project, expected_status)
    _run(project, project.withdraw, actor, pgettext("verb", "撤回项目"), EventAction.PROJECT_WITHDRAWN,
         comment=comment, today=today, on=today)
    _cancel_open_stages(project=project, actor=actor, today=today)
    return project


def _cancel_open_stages(*, project, actor, today, after_order=0):
    stages = (ApprovalStage.objects.select_for_update(of=("self",)).select_related("policy")
              .filter(project=project, order__gt=after_order)
              .exclude(status__in=FINISHED))
    for stage in stages:
        stage.project = project
        _run(stage, stage.cancel, actor, pgettext("verb", "终止该阶段"), EventAction.STAGE_CANCELLED,
             today=today, on=today)
        _end_open_pause(stage, actor=actor, today=today)


# --- stages ----------------------------------------------------------------------------------

@transaction.atomic
def stage_accept(*, stage, actor, missing_items=None, commitment_workdays=None, comment="",
                 today=None, expected_status=None):
    """受理: the clock starts; non-key materials may be missing (容缺) with a commitment date."""
    today = _today(today)
    stage = _lock_stage(stage, expected_status)
    verb = pgettext("verb", "受理")
    _check(stage.accept, actor, verb)
    missing = _missing_for_acceptance(stage, missing_items)
    if missing:
        commitment_workdays = _commitment_workdays(commitment_workdays, missing)
    _run(stage, stage.accept, actor, verb, EventAction.STAGE_ACCEPTED, comment=comment, today=today,
         on=today, by=actor, missing_items=missing, commitment_workdays=commitment_workdays)
    StageReview.objects.bulk_create([StageReview(stage=stage,
                                                 department=d) for d in stage.policy.departments.all()])
    project = stage.project
    if project.status == ProjectStatus.SUBMITTED:
        _run(project, project.begin_approval, actor, pgettext("verb", "开始审批"),
             EventAction.PROJECT_IN_APPROVAL, today=today)
    return stage


def _commitment_workdays(value, missing):
    """The working days granted for the missing non-key materials: a whole number 1–60."""
    try:
        workdays = int(value)
    except (TypeError, ValueError):
        workdays = 0
    if not 1 <= workdays <= clock.COMMITMENT_MAX_WORKDAYS:
        names = _("、").join(item["name"] for item in missing)
        raise ApprovalError(_("缺少非关键材料(%(names)s), 容缺受理须约定补齐期限(1–%(max)s 个工作日)")
                            % {"names": names, "max": clock.COMMITMENT_MAX_WORKDAYS}, code="invalid")
    return workdays


def _missing_for_acceptance(stage, missing_items):
    """Non-key requirements not uploaded, plus those the approver lists as insufficient."""
    by_key = {r.key: r for r in stage.requirements()}
    listed = list(missing_items or ())
    for key in listed:
        if key not in by_key:
            raise ApprovalError(_("未知的申报材料「%(key)s」") % {"key": key}, code="invalid")
        if by_key[key].is_key:
            raise ApprovalError(_("「%(name)s」是关键材料, 不能容缺受理") % {"name": by_key[key].name},
                                code="invalid")
    keys = {r.key for r in stage.missing_requirements()} | set(listed)
    return [{"key": r.key, "name": r.name} for r in by_key.values() if r.key in keys]


@transaction.atomic
def stage_review_submit(*, stage, actor, department, opinion, comment="", today=None, expected_status=None):
    """One department's opinion (并联审批); a department may revise it until the stage is decided."""
    stage = _lock_stage(stage, expected_status)
    if opinion not in (Opinion.AGREE, Opinion.DISAGREE):
        raise ApprovalError(_("请选择同意或不同意"), code="invalid")
    if opinion == Opinion.DISAGREE:
        comment = _required_text(comment, _("不同意须说明理由"))
    verb = pgettext("verb", "出具审查意见")
    _check(stage.record_review, actor, verb)
    review = StageReview.objects.select_for_update().filter(stage=stage, department=department).first()
    if review is None:
        raise ApprovalError(_("「%(department)s」不参与本阶段审批") % {"department": department},
                            code="invalid")
    if not (rules._is_admin(actor) or department.pk in rules.department_ids(actor)):
        raise ApprovalError(_("您不是「%(department)s」的审批人员") % {"department": department},
                            code="forbidden")
    review.opinion, review.comment, review.reviewer, review.at = opinion, comment, actor, timezone.now()
    review.save()
    label = _stored(Opinion(opinion).label)
    _run(stage, stage.record_review, actor, verb, EventAction.REVIEW_SUBMITTED,
         comment=f"{department}: {label}" + (f" — {comment}" if comment else ""), today=today)
    return stage


@transaction.atomic
def stage_request_supplement(*, stage, actor, items, comment="", today=None, expected_status=None):
    """补正: the clock stops on the day after today until the enterprise resubmits."""
    today = _today(today)
    items = [item.strip() for item in (items or []) if item and item.strip()]
    if not items:
        raise ApprovalError(_("请逐项列出需要补正的内容"), code="invalid")
    stage = _lock_stage(stage, expected_status)
    _run(stage, stage.request_supplement, actor, pgettext("verb", "要求补正"),
         EventAction.SUPPLEMENT_REQUESTED, comment="; ".join(items) + (f" — {comment}" if comment else ""),
         today=today, on=today, items=items)
    ClockPause.objects.create(stage=stage, kind=PauseKind.SUPPLEMENT, legal_basis=SUPPLEMENT_BASIS,
                              items=items,
                              comment=comment, started_on=today, started_by=actor)
    return stage


@transaction.atomic
def stage_resubmit(*, stage, actor, comment="", today=None, expected_status=None):
    today = _today(today)
    stage = _lock_stage(stage, expected_status)
    _run(stage, stage.resubmit, actor, pgettext("verb", "提交补正材料"), EventAction.RESUBMITTED,
         comment=comment, today=today, on=today)
    _end_open_pause(stage, actor=actor, today=today)
    return stage


@transaction.atomic
def stage_pause(*, stage, actor, kind, legal_basis, comment="", today=None, expected_status=None):
    """听证 / 检测 / 专家评审: time the law does not count, with the rule that says so."""
    today = _today(today)
    if kind not in (PauseKind.HEARING, PauseKind.TESTING, PauseKind.EXPERT_REVIEW):
        raise ApprovalError(_("暂停类型须为听证、检验检测或专家评审(补正请用「要求补正」)"), code="invalid")
    legal_basis = _required_text(legal_basis, _("请填写暂停计时的法律依据"))
    stage = _lock_stage(stage, expected_status)
    _run(stage, stage.pause, actor, pgettext("verb", "暂停计时"), EventAction.PAUSED,
         comment=f"{_stored(PauseKind(kind).label)}({legal_basis})" + (f" — {comment}" if comment else ""),
         today=today, on=today)
    ClockPause.objects.create(stage=stage, kind=kind, legal_basis=legal_basis, comment=comment,
                              started_on=today, started_by=actor)
    return stage


@transaction.atomic
def stage_resume(*, stage, actor, comment="", today=None, expected_status=None):
    today = _today(today)
    stage = _lock_stage(stage, expected_status)
    _run(stage, stage.resume, actor, pgettext("verb", "恢复计时"), EventAction.RESUMED,
         comment=comment, today=today, on=today)
    _end_open_pause(stage, actor=actor, today=today)
    return stage


def _end_open_pause(stage, *, actor, today):
    """Close the stage's open pause, if any, counting the working days it held."""
    pause = stage.pauses.filter(ended_on__isnull=True).first()
    if pause is None:
        return
    pause.ended_on, pause.ended_by = today, actor
    pause.paused_workdays = clock.pause_length(started_on=pause.started_on, ended_on=today)
    pause.save(update_fields=["ended_on", "ended_by", "paused_workdays"])


@transaction.atomic
def stage_approve(*, stage, actor, comment="", today=None, expected_status=None):
    """Approving stage k opens stage k+1; approving the last completes the project."""
    today = _today(today)
    stage = _lock_stage(stage, expected_status)
    _run(stage, stage.approve, actor, pgettext("verb", "审批通过"), EventAction.STAGE_APPROVED,
         comment=comment, today=today, on=today)
    project = stage.project
    if stage.order < len(StageKind.values):
        _open_stage(project=project, order=stage.order + 1, actor=actor, today=today)
    else:
        _run(project, project.complete, actor, pgettext("verb", "完成项目审批"),
             EventAction.PROJECT_COMPLETED, today=today, on=today)
    return stage


@transaction.atomic
def stage_reject(*, stage, actor, reason, today=None, expected_status=None):
    """不予许可: a reason is required; the project is refused and its later stages end."""
    today = _today(today)
    reason = _required_text(reason, _("不予许可必须说明理由"))
    stage = _lock_stage(stage, expected_status)
    _run(stage, stage.reject, actor, pgettext("verb", "作出不予许可决定"), EventAction.STAGE_REJECTED,
         comment=reason, today=today, on=today, reason=reason)
    project = stage.project
    _run(project, project.reject, actor, pgettext("verb", "不予许可"), EventAction.PROJECT_REJECTED,
         comment=reason, today=today, on=today)
    _cancel_open_stages(project=project, actor=actor, today=today, after_order=stage.order)
    return stage


# --- materials -------------------------------------------------------------------------------

@transaction.atomic
def material_upload(*, stage, actor, requirement_key, upload, today=None):
    """An enterprise file for one line of the stage's checklist, checked by type and size.

    The file is written under a random name when the row is saved; if the transaction then
    rolls back the file stays on disk without a row (harmless: it is never served).
    """
    today = _today(today)
    if not rules.may_act_for_enterprise(stage, actor):
        raise ApprovalError(_("您无权为该项目上传材料"), code="forbidden")
    stage = _lock_stage(stage, stage.status)
    if stage.is_finished or not stage.project.is_open:
        raise ApprovalError(_("该阶段已办结, 不能再上传材料"), code="state")
    requirement = stage.policy.requirements.filter(key=requirement_key).first()
    if requirement is None:
        raise ApprovalError(_("请选择材料清单中的一项"), code="invalid")
    material = _store_material(stage, actor, upload, requirement.name, today, requirement_key=requirement.key)
    _note_commitment(stage, today)
    return material


def _store_material(stage, actor, upload, label, today, **fields):
    """Check the file (type, content, size), store it as a Material of the stage and record it."""
    content_type = uploads.check_upload(upload)
    material = Material(stage=stage, original_name=upload.name[:200], size=upload.size,
                        content_type=content_type, uploaded_by=actor, **fields)
    material.file.save(upload.name, upload, save=False)
    material.save()
    _record(project=stage.project, stage=stage, actor=actor, action=EventAction.MATERIAL_UPLOADED,
            from_status=stage.status, to_status=stage.status,
            comment=f"{label}: {material.original_name}", today=today)
    return material


@transaction.atomic
def supplement_upload(*, stage, actor, item, upload, today=None):
    """A file for one item of the stage's open 补正 request: each requested item has its own slot,
    apart from the checklist, checked like any material (type, content, size)."""
    today = _today(today)
    if not rules.may_act_for_enterprise(stage, actor):
        raise ApprovalError(_("您无权为该项目上传材料"), code="forbidden")
    stage = _lock_stage(stage, stage.status)
    pause = rules.open_supplement(stage)
    if pause is None:
        raise ApprovalError(_("该阶段当前没有待补正的事项"), code="state")
    if not (isinstance(item, int) and 0 <= item < len(pause.items)):
        raise ApprovalError(_("请选择补正通知中的一项"), code="invalid")
    return _store_material(stage, actor, upload, pause.items[item], today, pause=pause, supplement_item=item,
                           requirement_key="")


def stage_answer_supplement(*, stage, actor, files, comment="", today=None, expected_status=None):
    """提交补正材料 from the 补正 card: file each upload under its requested item, then resubmit.

    Deliberately not one transaction: each file is stored by its own (atomic) upload, so a file
    that was accepted stays stored when the resubmit is then refused (another item still has no
    file, or another file was refused). Nothing the enterprise sent is lost; the card lists it.
    """
    transitions.expect_status(stage, expected_status, error=ApprovalError)
    problems = []
    for item, upload in sorted(files.items()):
        try:
            supplement_upload(stage=stage, actor=actor, item=item, upload=upload, today=today)
        except ApprovalError as exc:
            if exc.code not in ("upload", "invalid"):
                raise
            problems.append(_("第 %(n)s 项: %(message)s") % {"n": item + 1, "message": exc.message})
    if problems:
        raise ApprovalError(_("未能保存以下文件, 请重新选择后提交: %(problems)s")
                            % {"problems": "; ".join(problems)}, code="upload")
    return stage_resubmit(stage=stage, actor=actor, comment=comment, today=today,
                          expected_status=expected_status)


def _note_commitment(stage, today):
    """容缺: the day the last missing item arrives is the day the commitment is met."""
    if not stage.missing_items or stage.commitment_met_on:
        return
    uploaded = set(stage.materials.values_list("requirement_key", flat=True))
    if all(item["key"] in uploaded for item in stage.missing_items):
        ApprovalStage.objects.filter(pk=stage.pk).update(commitment_met_on=today)
