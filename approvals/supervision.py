"""督办 on an approval stage (notifications.supervisions): who holds it, how it is named, and
where each step of the loop goes in the stage's history."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commissioners.selectors import responsible_for

from . import sweep
from .choices import FINISHED, EventAction, StageStatus
from .models import ApprovalStage, ProjectCategory, StageEvent

STEP_ACTIONS = {
    "supervised": EventAction.SUPERVISED,
    "replied": EventAction.SUPERVISION_REPLIED,
    "closed": EventAction.SUPERVISION_CLOSED,
    "continued": EventAction.SUPERVISION_CONTINUED,
}


def handlers(stage):
    """The approvers of the departments still to give their opinion (all the stage's departments
    if none is pending), and the enterprise's commissioner."""
    commissioner = responsible_for(stage.project.enterprise).commissioner_user
    return [*sweep.handlers(stage), *([commissioner] if commissioner else [])]


def record(stage, *, actor, step, comment):
    StageEvent.objects.create(project=stage.project, stage=stage, actor=actor, action=STEP_ACTIONS[step],
                              from_status=stage.status, to_status=stage.status, comment=comment)


def describe(stage):
    return (f"{stage.project.name} · {stage.get_kind_display()}",
            reverse("approvals:stage_detail", args=[stage.pk]))


def is_open(stage):
    """Not finished, or approved with a 容缺 commitment still open."""
    if stage.status not in FINISHED:
        return stage.status != StageStatus.WAITING and stage.project.is_live
    commitment_open = stage.commitment_due_on is not None and stage.commitment_met_on is None
    return stage.status == StageStatus.APPROVED and commitment_open


def _told(stage, level):
    """Whom the sweep tells of a stage going yellow or red (a digest may have told them): its
    handlers, and for red the heads of their departments. Escalated ones are single messages."""
    from notifications.models import Level

    return sweep.recipients(stage, level, None) if level in (Level.YELLOW, Level.RED) else []


def _by_category(code):
    return ApprovalStage.objects.filter(project__category__code=code).values("pk")


def _by_working_group(code):
    """Stages answer to the administrative-approval working group (APPROVALS_WORKING_GROUP)."""
    if code == getattr(settings, "APPROVALS_WORKING_GROUP", sweep.DEFAULT_WORKING_GROUP):
        return ApprovalStage.objects.values("pk")
    return ApprovalStage.objects.none().values("pk")


def register():
    from notifications.supervisions import register_matter, register_stands_for

    register_matter(ApprovalStage, key="stage", label=_("审批阶段"), handlers=handlers, record=record,
                    describe=describe, is_open=is_open,
                    reply_workdays=lambda stage: stage.project.category.supervision_reply_workdays,
                    urgent=lambda stage: False,
                    categories=lambda: list(ProjectCategory.objects.values_list("code", "name")),
                    by_category=_by_category, by_working_group=_by_working_group, told=_told)
    # A 容缺 commitment's escalation hangs on the acceptance event: it concerns the stage.
    register_stands_for(StageEvent, lambda event: event.stage)
