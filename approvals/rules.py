"""Who may run a transition (permission=) and when it may run (conditions=).

Permissions are callables (instance, user) -> bool that deny by default: an anonymous user,
a user without the role, or a user outside the project's enterprise or the stage's
departments gets False. Conditions are named predicates, each carrying the sentence its refusal reads
(core.transitions.guard), so that a refused transition says which rule refused it. The runner
(core.transitions) asks them in a fixed order: permission, status, conditions.
"""

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN, APPROVER, ENTERPRISE
from core.transitions import Wording, guard

from .choices import Opinion, PauseKind, StageStatus

# How the runner words an approvals refusal; verb is already translated (pgettext "verb").
WORDING = Wording(forbidden=gettext_noop("您无权%(verb)s"),
                  state=gettext_noop("当前状态为「%(status)s」, 不能%(verb)s"),
                  condition=gettext_noop("不能%(verb)s: %(reason)s"))


def _is_admin(user):
    return bool(user and user.is_authenticated and user.has_role(ADMIN))


def department_ids(user):
    """The approval departments a user belongs to; cached on the user for the request."""
    if not (user and user.is_authenticated):
        return frozenset()
    cached = user.__dict__.get("_approval_department_ids")
    if cached is None:
        cached = frozenset(user.approval_departments.values_list("id", flat=True))
        user.__dict__["_approval_department_ids"] = cached
    return cached


def holding_departments(stage):
    """The departments holding the stage: those whose opinion is still pending, else all of the
    stage's departments (its warnings and its 督办 go to their approvers)."""
    departments = list(stage.policy.departments.all())
    pending = {r.department_id for r in stage.reviews.all() if r.opinion == Opinion.PENDING}
    return [d for d in departments if d.pk in pending] or departments


def policy_department_ids(policy):
    return {department.pk for department in policy.departments.all()}


def _enterprise_id(user):
    # The reverse one-to-one raises an AttributeError subclass when absent; Django caches both.
    membership = getattr(user, "enterprise_membership", None)
    return membership.enterprise_id if membership else None


def is_enterprise_member(obj, user):
    """A user of the project's own enterprise (obj is a project or one of its stages)."""
    if not (user and user.is_authenticated and user.has_role(ENTERPRISE)):
        return False
    project = getattr(obj, "project", obj)
    return _enterprise_id(user) == project.enterprise_id


def is_stage_approver(stage, user):
    """An approver of one of the departments that review this stage."""
    if not (user and user.is_authenticated and user.has_role(APPROVER)):
        return False
    return bool(department_ids(user) & policy_department_ids(stage.policy))


def is_project_approver(project, user):
    if not (user and user.is_authenticated and user.has_role(APPROVER)):
        return False
    ids = department_ids(user)
    return bool(ids) and project.stages.filter(policy__departments__in=ids).exists()


# --- permissions ---------------------------------------------------------------------------

def may_act_for_enterprise(obj, user):
    return _is_admin(user) or is_enterprise_member(obj, user)


def may_approve_stage(stage, user):
    return _is_admin(user) or is_stage_approver(stage, user)


def may_drive_project(project, user):
    """Moves of the project that follow from a stage decision, made by that stage's approver."""
    return _is_admin(user) or is_project_approver(project, user)


def takes_part(stage, user):
    """Opening or ending a stage follows from an enterprise action or from an approver's."""
    return may_act_for_enterprise(stage, user) or may_drive_project(stage.project, user)


# --- conditions ----------------------------------------------------------------------------

@guard(_("项目未处于审批中"))
def project_is_live(stage):
    return stage.project.is_live


@guard(_("上一阶段尚未通过"))
def previous_stage_approved(stage):
    if stage.order == 1:
        return True
    return stage.project.stages.filter(order=stage.order - 1, status=StageStatus.APPROVED).exists()


def missing_key_materials(stage):
    """The key items of the stage's checklist without a file: the one completeness check.

    受理 refuses a stage that has any (key_materials_complete); 提交审批 refuses a project whose
    stage 1 has any (missing_for_submit), since submitting hands stage 1 over for 受理;
    the pages list them. Non-key items never count: they may be missing at 受理 (容缺).
    """
    return stage.missing_requirements(key_only=True)


def _key_materials_message(stage):
    return (gettext("关键材料不全, 缺少%(names)s(非关键材料可容缺受理)")
            % {"names": material_names(missing_key_materials(stage))})


@guard(_key_materials_message)
def key_materials_complete(stage):
    return not missing_key_materials(stage)


def missing_for_submit(project):
    """What stage 1 still lacks before the project may be submitted (empty: it may)."""
    first = min(project.stages.all(), key=lambda stage: stage.order, default=None)
    return missing_key_materials(first) if first else []


def material_names(requirements):
    return gettext("、").join(gettext("「%(name)s」") % {"name": requirement.name}
                              for requirement in requirements)


@guard(_("尚有部门未出具同意意见, 不能通过"))
def all_departments_agree(stage):
    opinions = [review.opinion for review in stage.reviews.all()]
    return bool(opinions) and all(opinion == Opinion.AGREE for opinion in opinions)


@guard(_("当前没有进行中的暂停计时"))
def has_open_pause(stage):
    return stage.paused_since is not None


def open_supplement(stage):
    """The stage's open 补正 request (a ClockPause of kind supplement), read from stage.pauses."""
    return next((pause for pause in stage.pauses.all()
                 if pause.ended_on is None and pause.kind == PauseKind.SUPPLEMENT), None)


def unanswered_supplement_items(stage):
    """The items of the open 补正 request that no file answers yet (each item has its own slot)."""
    pause = open_supplement(stage)
    if pause is None:
        return []
    answered = {material.supplement_item for material in pause.materials.all()}
    return [item for index, item in enumerate(pause.items) if index not in answered]


def _supplement_message(stage):
    names = gettext("、").join(gettext("「%(name)s」") % {"name": item}
                               for item in unanswered_supplement_items(stage))
    return gettext("以下补正事项尚未上传文件: %(items)s。请为每一项上传文件后再提交") % {"items": names}


@guard(_supplement_message)
def supplement_items_answered(stage):
    return not unanswered_supplement_items(stage)


@guard(_("项目缺少审批阶段"))
def has_four_stages(project):
    return project.stages.count() == 4


@guard(_("尚有审批阶段未通过"))
def all_stages_approved(project):
    return not project.stages.exclude(status=StageStatus.APPROVED).exists()
