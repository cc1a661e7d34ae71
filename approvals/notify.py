"""Where approval events leave the transaction: plain notices to whoever must act next.

Services call stage_event_recorded through transaction.on_commit, with the event id only, so
nothing is sent for a transition that rolled back. The StageEvent is the outbox (STYLE.md 8):
each notice is keyed by the event, so a hook called twice notifies each person once. Clock
warnings and escalations are not here: approvals/sweep.py raises those.
"""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from notifications.services import notify

from .models import EventAction, StageEvent

log = logging.getLogger(__name__)

# action -> (who, title); "enterprise" = the enterprise's users, "approvers" = the departments'.
NOTICES = {
    EventAction.STAGE_ACCEPTED: ("enterprise", "已受理"),
    EventAction.SUPPLEMENT_REQUESTED: ("enterprise", "需要补正材料(计时暂停)"),
    EventAction.STAGE_APPROVED: ("enterprise", "审批通过"),
    EventAction.STAGE_REJECTED: ("enterprise", "不予许可"),
    EventAction.RESUBMITTED: ("approvers", "企业已提交补正材料(恢复计时)"),
}


def stage_event_recorded(*, event_id):
    """A StageEvent was committed: tell the enterprise or the approvers when it is theirs to act."""
    try:
        # Titles and bodies are stored for every recipient: written in the site language, not in
        # the language of the request whose commit runs this hook (stage kinds are translatable).
        with override(settings.LANGUAGE_CODE):
            return _notify_event(event_id)
    except Exception:
        # The user's action is committed already; a notice that fails must not turn it into an
        # error page. The event stays in the history for anyone to read.
        log.exception("could not notify for stage event %s", event_id)
        return []


def _notify_event(event_id):
    event = (StageEvent.objects.select_related("stage__project__enterprise", "stage__policy")
             .filter(pk=event_id, stage__isnull=False).first())
    if event is None or event.action not in NOTICES:
        return []
    who, what = NOTICES[event.action]
    stage = event.stage
    label = f"{stage.project.name} · {stage.get_kind_display()}"
    return notify(recipients=_recipients(stage, who), title=f"{label}: {what}", body=_body(event),
                  link=reverse("approvals:stage_detail", args=[stage.pk]), obj=stage,
                  key=f"approvals.event:{event.pk}")


def _recipients(stage, who):
    if who == "enterprise":
        return list(stage.project.enterprise.members.values_list("user_id", flat=True))
    return list(stage.policy.departments.filter(members__is_active=True)
                .values_list("members", flat=True).distinct())


def _body(event):
    stage, lines = event.stage, []
    if event.comment:
        lines.append(event.comment)
    if event.action in (EventAction.STAGE_ACCEPTED, EventAction.RESUBMITTED) and stage.due_on:
        lines.append(f"办结期限: {stage.due_on:%Y-%m-%d}(工作日计)。")
    if event.action == EventAction.STAGE_ACCEPTED and stage.missing_items:
        names = "、".join(item.get("name", "") for item in stage.missing_items)
        lines.append(f"容缺受理: 请于 {stage.commitment_due_on:%Y-%m-%d} 前补齐 {names}。")
    return "\n".join(lines)
