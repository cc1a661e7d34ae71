"""The approvals vocabulary: project and stage statuses, pause kinds, opinions, event actions, and
the named status lists. The only module where these values are spelled; rules.py, the models,
services, views and the sweep import them from here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StageKind(models.TextChoices):
    LAND_PLANNING = "land_planning", _("立项用地规划许可")
    ENGINEERING = "engineering", _("工程建设许可")
    CONSTRUCTION = "construction", _("施工许可")
    ACCEPTANCE = "acceptance", _("竣工验收")


# The four stages in the order the law runs them.
STAGE_ORDER = {kind: index for index, kind in enumerate(StageKind.values, start=1)}


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    IN_APPROVAL = "in_approval", _("审批中")
    COMPLETED = "completed", _("审批完成")
    REJECTED = "rejected", _("不予许可")
    WITHDRAWN = "withdrawn", _("已撤回")


# Handed in and not decided: the stages run (审批中 in the broad sense).
LIVE = [ProjectStatus.SUBMITTED, ProjectStatus.IN_APPROVAL]
# Not finished: the enterprise may still upload and withdraw.
OPEN = [ProjectStatus.DRAFT, *LIVE]


class StageStatus(models.TextChoices):
    WAITING = "waiting", _("未开始")
    PENDING = "pending", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    IN_REVIEW = "in_review", _("审查中")
    SUPPLEMENT = "supplement_requested", _("待补正")
    PAUSED = "paused", _("暂停计时")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("不予许可")
    CANCELLED = "cancelled", _("已终止")


S = StageStatus
# The clock runs in these; the breach sweep reads them through the partial index on due_on.
RUNNING = [S.ACCEPTED, S.IN_REVIEW]
# Accepted and not finished: a due_on is stored (it stands still while paused).
CLOCK_OPEN = [S.ACCEPTED, S.IN_REVIEW, S.SUPPLEMENT, S.PAUSED]
FINISHED = [S.APPROVED, S.REJECTED, S.CANCELLED]


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("补正材料")
    HEARING = "hearing", _("听证")
    TESTING = "testing", _("检验检测")
    EXPERT_REVIEW = "expert_review", _("专家评审")


class Opinion(models.TextChoices):
    PENDING = "pending", _("待出具")
    AGREE = "agree", _("同意")
    DISAGREE = "disagree", _("不同意")


class EventAction(models.TextChoices):
    PROJECT_CREATED = "project_created", _("创建项目")
    PROJECT_SUBMITTED = "project_submitted", _("提交审批")
    PROJECT_WITHDRAWN = "project_withdrawn", _("撤回项目")
    PROJECT_IN_APPROVAL = "project_in_approval", _("进入审批")
    PROJECT_COMPLETED = "project_completed", _("审批完成")
    PROJECT_REJECTED = "project_rejected", _("项目不予许可")
    STAGE_OPENED = "stage_opened", _("阶段开始申报")
    STAGE_ACCEPTED = "stage_accepted", _("受理")
    REVIEW_SUBMITTED = "review_submitted", _("出具审查意见")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("要求补正")
    RESUBMITTED = "resubmitted", _("提交补正材料")
    PAUSED = "paused", _("暂停计时")
    RESUMED = "resumed", _("恢复计时")
    STAGE_APPROVED = "stage_approved", _("审批通过")
    STAGE_REJECTED = "stage_rejected", _("不予许可")
    STAGE_CANCELLED = "stage_cancelled", _("阶段终止")
    MATERIAL_UPLOADED = "material_uploaded", _("上传材料")
    SUPERVISED = "supervised", _("领导督办")
    SUPERVISION_REPLIED = "supervision_replied", _("办理情况回复")
    SUPERVISION_CLOSED = "supervision_closed", _("督办办结")
    SUPERVISION_CONTINUED = "supervision_continued", _("继续督办")


