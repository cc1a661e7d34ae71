"""Every write of the 护商通 procedure: one function per action.

Each service locks the demand (select_for_update), checks the node, the actor and the
transition's conditions in that order, runs the transition, saves, writes the DemandEvent and
schedules notification with transaction.on_commit. Any DemandError leaves nothing changed.
"""

import functools
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import uploads
from workdays import add_workdays, is_provisional
from workdays.calendar import hold_calendar
from workdays.hooks import MovedDeadline

from .. import notify
from ..models.demands import (
    DEFAULT_LIMITS,
    DEFAULT_URGENT_LIMITS,
    RATING_LEVELS,
    UNSATISFIED_RATINGS,
    Demand,
    DemandAction,
    DemandAttachment,
    DemandDispatch,
    DemandEvent,
    DemandPolicy,
    DemandRating,
    DemandStatus,
    DispatchStatus,
    Node,
    NodeClock,
    RaisedVia,
    Rating,
    Urgency,
    WarningLevel,
    is_commissioner_of,
    is_enterprise_member,
    warning_level_on,
)

__all__ = [
    "DemandError", "DemandPermissionError", "check_upload", "node_clock", "demand_submit",
    "demand_accept", "demand_answer_first_contact", "demand_review", "demand_send_back",
    "demand_dispatch", "demand_redispatch", "demand_start", "demand_answer", "demand_rate",
    "demand_close_unrated", "recompute_demand_deadlines",
]


class DemandError(ValidationError):
    """A refused action, with a message the user can act on. Nothing was changed."""

    @property
    def text(self):
        return ";".join(self.messages)


class DemandPermissionError(DemandError):
    """The actor may not take this step (the API answers 403)."""


# --- attachments -------------------------------------------------------------------------------

def check_upload(upload):
    """The same checks as project materials (portal.uploads), for documents and pictures only.

    Returns the content type to store, or raises DemandError naming the file.
    """
    name = os.path.basename(upload.name or "")
    try:
        return uploads.check_upload(upload, allowed=uploads.DOCUMENTS)
    except uploads.UploadRejected as rejected:
        raise DemandError(_upload_message(rejected, name)) from None


def _upload_message(rejected, name):
    if rejected.reason == "type":
        return _("附件“%(name)s”的类型不允许上传, 仅限 PDF、JPG、PNG、Word、Excel 文件") % {"name": name}
    if rejected.reason == "size":
        return _("附件“%(name)s”超过 %(limit)s MB 的大小限制") % {
            "name": name, "limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
    if rejected.reason == "empty":
        return _("附件“%(name)s”是空文件") % {"name": name}
    return _("附件“%(name)s”的内容与扩展名 .%(ext)s 不符") % {"name": name, "ext": rejected.ext}


def _save_attachments(demand, files, actor):
    for upload, mime in files:
        DemandAttachment.objects.create(
            demand=demand, file=upload, original_name=os.path.basename(upload.name)[:200],
            content_type=mime, size=upload.size, uploaded_by=actor)


# --- clocks ------------------------------------------------------------------------------------

def _today():
    return timezone.localdate()


def node_clock(*, node, urgency, start):
    """The node's clock from `start`: due on the limit-th working day after it (start not counted)."""
    policy = DemandPolicy.objects.filter(node=node, urgency=urgency).first()
    if policy is not None:
        limit, threshold = policy.limit_workdays, policy.warning_threshold
    else:
        limit, threshold = (DEFAULT_URGENT_LIMITS if urgency == Urgency.URGENT else DEFAULT_LIMITS)[node]
    due_on = add_workdays(start, limit)
    return NodeClock(node=node, started_on=start, limit_workdays=limit, warning_threshold=threshold,
                     due_on=due_on, provisional=is_provisional(due_on),
                     warning_level=warning_level_on(due_on, threshold, start))


def _clock(demand, node):
    return node_clock(node=node, urgency=demand.urgency, start=_today())


def _dispatch_clock_fields(clock):
    return {"started_on": clock.started_on, "limit_workdays": clock.limit_workdays,
            "warning_threshold": clock.warning_threshold, "due_on": clock.due_on,
            "due_provisional": clock.provisional, "warning_level": clock.warning_level}


def _earliest_dispatch_clock(demand, fallback):
    """A demand with several groups shows the earliest open deadline among them."""
    first = demand.dispatches.open().order_by("due_on").first()
    if first is None:
        return fallback
    return NodeClock(node=Node.ANSWER, started_on=first.started_on, limit_workdays=first.limit_workdays,
                     warning_threshold=first.warning_threshold, due_on=first.due_on,
                     provisional=first.due_provisional, warning_level=first.warning_level)


# --- the common steps --------------------------------------------------------------------------

def _lock(demand):
    hold_calendar()  # before the row lock: a node's clock is counted under it
    return Demand.objects.select_for_update().select_related("enterprise", "category").get(pk=demand.pk)


def _check(demand, method_name, actor, refused, *, conditions=True):
    """Node, then actor, then conditions: the first that fails gives the message."""
    bound = getattr(demand, method_name)
    meta = bound._django_fsm
    if not meta.has_transition(demand.status):
        raise DemandError(refused or _("诉求当前为“%(status)s”, 不能跳过环节办理")
                          % {"status": demand.get_status_display()})
    transition_ = meta.get_transition(demand.status)
    if not transition_.has_perm(demand, actor):
        raise DemandPermissionError(str(getattr(transition_.permission, "message", _("无权办理这一步"))))
    for condition in transition_.conditions if conditions else ():
        if not condition(demand):
            raise DemandError(str(getattr(condition, "message", _("不满足办理条件"))))


def _transit(demand, method_name, actor, *, refused=None, **kwargs):
    _check(demand, method_name, actor, refused)
    from_status = demand.status
    getattr(demand, method_name)(**kwargs)
    demand.save()
    return from_status


def _record(demand, *, actor, action, from_status="", comment="", detail=None):
    event = DemandEvent.objects.create(
        demand=demand, actor=actor, action=action, from_status=from_status, to_status=demand.status,
        comment=comment, detail=detail or {})
    # Delivery runs only once the change is committed: a rolled-back action must notify nobody.
    transaction.on_commit(functools.partial(notify.demand_event_recorded, event.pk))
    return event


def _required(text, message):
    text = (text or "").strip()
    if not text:
        raise DemandError(message)
    return text


# --- submission --------------------------------------------------------------------------------

def _urgent_leaders(demand):
    from ..selectors.demands import demand_urgent_leaders

    return demand_urgent_leaders(demand)


def _check_raiser(enterprise, actor, via):
    probe = Demand(enterprise=enterprise)
    allowed = is_commissioner_of if via == RaisedVia.VISIT else is_enterprise_member
    if not allowed(probe, actor):
        raise DemandPermissionError(_("只能为本企业(或本人服务的企业)提出诉求"))


@transaction.atomic
def demand_submit(*, enterprise, actor, category, title, urgency=Urgency.NORMAL, description="",
                  files=(), via=RaisedVia.BROWSER, visit=None):
    title = _required(title, _("请填写诉求标题"))
    if urgency not in Urgency.values:
        raise DemandError(_("紧急程度不正确"))
    if category is None or not category.is_active:
        raise DemandError(_("请选择诉求类别"))
    _check_raiser(enterprise, actor, via)
    checked = [(upload, check_upload(upload)) for upload in files]
    hold_calendar()
    demand = Demand(enterprise=enterprise, raised_by=actor, raised_via=via, visit=visit, category=category,
                    urgency=urgency, title=title[:200], description=(description or "").strip())
    demand._start(_clock(demand, Node.ACCEPT))
    demand.save()
    _save_attachments(demand, checked, actor)
    _record(demand, actor=actor, action=DemandAction.SUBMITTED,
            detail={"attachments": len(checked), "via": via})
    if demand.is_urgent:
        _report_urgent(demand, actor)
    return demand


def _report_urgent(demand, actor):
    leaders = _urgent_leaders(demand)
    event = _record(demand, actor=actor, action=DemandAction.URGENT_REPORTED,
                    comment="、".join(str(user) for user in leaders),
                    detail={"leader_user_ids": [user.pk for user in leaders]})
    transaction.on_commit(functools.partial(notify.urgent_demand_reported, event.pk))


# --- commissioner, group leader ----------------------------------------------------------------

@transaction.atomic
def demand_accept(*, demand, actor, comment=""):
    demand = _lock(demand)
    from_status = _transit(demand, "accept", actor, clock=_clock(demand, Node.REVIEW))
    _record(demand, actor=actor, action=DemandAction.ACCEPTED, from_status=from_status, comment=comment)
    return demand


@transaction.atomic
def demand_answer_first_contact(*, demand, actor, answer):
    answer = _required(answer, _("请填写答复内容"))
    demand = _lock(demand)
    from_status = _transit(demand, "answer_first_contact", actor, answer=answer,
                           clock=_clock(demand, Node.RATE))
    _record(demand, actor=actor, action=DemandAction.ANSWERED_FIRST_CONTACT, from_status=from_status,
            comment=answer)
    return demand


@transaction.atomic
def demand_review(*, demand, actor, comment=""):
    demand = _lock(demand)
    from_status = _transit(demand, "review", actor, clock=_clock(demand, Node.DISPATCH))
    _record(demand, actor=actor, action=DemandAction.REVIEWED, from_status=from_status, comment=comment)
    return demand


@transaction.atomic
def demand_send_back(*, demand, actor, reason):
    reason = _required(reason, _("请填写退回原因"))
    demand = _lock(demand)
    from_status = _transit(demand, "send_back", actor, reason=reason, clock=_clock(demand, Node.ACCEPT))
    _record(demand, actor=actor, action=DemandAction.SENT_BACK, from_status=from_status, comment=reason)
    return demand


# --- bureau ------------------------------------------------------------------------------------

@transaction.atomic
def demand_dispatch(*, demand, actor, working_groups, comment=""):
    groups = list({group.pk: group for group in working_groups or ()}.values())
    demand = _lock(demand)
    # The dispatch rows the transition's condition looks for are created after this check.
    _check(demand, "dispatch", actor, None, conditions=False)
    if not groups:
        raise DemandError(_("请至少选择一个专业服务工作组"))
    clock = _clock(demand, Node.ANSWER)
    for group in groups:
        DemandDispatch.objects.create(demand=demand, working_group=group, dispatched_by=actor,
                                      **_dispatch_clock_fields(clock))
    from_status = _transit(demand, "dispatch", actor, clock=clock)
    _record(demand, actor=actor, action=DemandAction.DISPATCHED, from_status=from_status, comment=comment,
            detail={"working_groups": [group.name for group in groups]})
    return demand


@transaction.atomic
def demand_redispatch(*, dispatch, actor, to_group, reason):
    reason = _required(reason, _("请填写改派原因"))
    demand = _lock(dispatch.demand)
    dispatch = DemandDispatch.objects.select_for_update().select_related("working_group").get(pk=dispatch.pk)
    _check(demand, "redispatch", actor, None)
    if not dispatch.is_open:
        raise DemandError(_("该工作组已答复或已被改派, 不能再改派"))
    if to_group is None or demand.dispatches.open_or_answered().filter(working_group=to_group).exists():
        raise DemandError(_("请选择一个尚未承办该诉求的工作组"))
    dispatch.status = DispatchStatus.WITHDRAWN
    dispatch.save(update_fields=["status"])
    clock = _clock(demand, Node.ANSWER)
    DemandDispatch.objects.create(demand=demand, working_group=to_group, dispatched_by=actor,
                                  **_dispatch_clock_fields(clock))
    any_in_progress = demand.dispatches.filter(status=DispatchStatus.IN_PROGRESS).exists()
    from_status = _transit(demand, "redispatch", actor, clock=_earliest_dispatch_clock(demand, clock),
                           any_in_progress=any_in_progress)
    _record(demand, actor=actor, action=DemandAction.REDISPATCHED, from_status=from_status, comment=reason,
            detail={"from": dispatch.working_group.name, "to": to_group.name})
    return demand


# --- working group -----------------------------------------------------------------------------

def _lock_dispatch(dispatch, actor):
    demand = _lock(dispatch.demand)
    dispatch = DemandDispatch.objects.select_for_update().select_related("working_group").get(pk=dispatch.pk)
    if not dispatch.working_group.members.filter(pk=getattr(actor, "pk", None)).exists():
        raise DemandPermissionError(_("只有承办该诉求的专业服务工作组成员可以办理这一步"))
    return demand, dispatch


@transaction.atomic
def demand_start(*, dispatch, actor):
    demand, dispatch = _lock_dispatch(dispatch, actor)
    if dispatch.status != DispatchStatus.PENDING:
        raise DemandError(_("该工作组已签收, 不能重复签收"))
    dispatch.status = DispatchStatus.IN_PROGRESS
    dispatch.save(update_fields=["status"])
    from_status = demand.status
    if demand.status == DemandStatus.DISPATCHED:
        _transit(demand, "start", actor)
    _record(demand, actor=actor, action=DemandAction.STARTED, from_status=from_status,
            detail={"working_group": dispatch.working_group.name})
    return demand


@transaction.atomic
def demand_answer(*, dispatch, actor, answer):
    answer = _required(answer, _("请填写答复内容"))
    demand, dispatch = _lock_dispatch(dispatch, actor)
    if dispatch.status == DispatchStatus.PENDING:
        raise DemandError(_("请先签收, 再答复"))
    if dispatch.status != DispatchStatus.IN_PROGRESS:
        raise DemandError(_("该工作组已答复或已被改派"))
    dispatch.status, dispatch.answer = DispatchStatus.ANSWERED, answer
    dispatch.answered_by, dispatch.answered_at = actor, timezone.now()
    dispatch.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    _record(demand, actor=actor, action=DemandAction.GROUP_ANSWERED, from_status=demand.status,
            comment=answer, detail={"working_group": dispatch.working_group.name})
    if demand.status == DemandStatus.IN_PROGRESS and not demand.dispatches.open().exists():
        from_status = _transit(demand, "answer_all", actor, clock=_clock(demand, Node.RATE))
        _record(demand, actor=actor, action=DemandAction.ANSWERED, from_status=from_status)
    elif demand.dispatches.open().exists():
        demand._start(_earliest_dispatch_clock(demand, None))
        demand.save(update_fields=["current_node", "node_started_on", "node_limit_workdays",
                                   "node_warning_threshold", "due_on", "due_provisional", "warning_level"])
    return demand


# --- the enterprise's rating -------------------------------------------------------------------

@transaction.atomic
def demand_rate(*, demand, actor, level, comment=""):
    if level not in RATING_LEVELS:
        raise DemandError(_("请选择评价等级"))
    demand = _lock(demand)
    _check_rater(demand, actor)
    if demand.status == DemandStatus.CLOSED and demand.rating == Rating.UNRATED:
        raise DemandError(_("该诉求已逾期未评价并办结, 不能再评价"))
    if demand.status == DemandStatus.CLOSED or demand.ratings.filter(round=demand.reopen_count).exists():
        raise DemandError(_("该诉求已评价, 不能重复评价"))
    unsatisfied = level in UNSATISFIED_RATINGS
    _check(demand, "reopen" if unsatisfied else "close_rated", actor, _("诉求尚未答复, 暂不能评价"))
    comment = (comment or "").strip()
    DemandRating.objects.create(demand=demand, round=demand.reopen_count, level=level, comment=comment,
                                rated_by=actor)
    if unsatisfied:
        return _reopen(demand, actor, level, comment)
    from_status = _transit(demand, "close_rated", actor, level=level, now=timezone.now())
    _record(demand, actor=actor, action=DemandAction.RATED, from_status=from_status,
            comment=comment, detail={"level": level, "label": str(Rating(level).label)})
    return demand


def _check_rater(demand, actor):
    if not is_enterprise_member(demand, actor):
        raise DemandPermissionError(str(is_enterprise_member.message))


def _reopen(demand, actor, level, comment):
    """不满意: back to the same working group(s) with a fresh limit, flagged for the leaders."""
    answered = list(demand.dispatches.filter(status=DispatchStatus.ANSWERED).select_related("working_group"))
    if answered:
        clock = _clock(demand, Node.ANSWER)
        for dispatch in answered:
            # A new share, not the old one reopened: the first answer stays in the history, and
            # the new clock can warn and escalate again (escalations are unique per object).
            DemandDispatch.objects.filter(pk=dispatch.pk).update(status=DispatchStatus.SUPERSEDED)
            DemandDispatch.objects.create(demand=demand, working_group=dispatch.working_group,
                                          dispatched_by=dispatch.dispatched_by,
                                          status=DispatchStatus.IN_PROGRESS, **_dispatch_clock_fields(clock))
    else:
        # Answered at first contact: no working group yet, so the full route starts at review.
        clock = _clock(demand, Node.REVIEW)
    from_status = _transit(demand, "reopen", actor, level=level, clock=clock,
                           to_working_groups=bool(answered))
    _record(demand, actor=actor, action=DemandAction.REOPENED, from_status=from_status, comment=comment,
            detail={"level": level, "label": str(Rating(level).label),
                    "working_groups": [d.working_group.name for d in answered]})
    return demand


@transaction.atomic
def demand_close_unrated(*, demand, actor=None):
    """The rating window ran out: closed as 未评价 (the sweep calls this, actor None)."""
    demand = _lock(demand)
    from_status = _transit(demand, "close_unrated", actor, now=timezone.now())
    _record(demand, actor=actor, action=DemandAction.CLOSED_UNRATED, from_status=from_status)
    return demand


# --- the calendar hook -------------------------------------------------------------------------

def recompute_demand_deadlines(*, since, dry_run=False):
    """Open node and dispatch deadlines due on or after `since`, recounted with the calendar as
    it is now (workdays.hooks). The rows read are locked until the calendar change commits, so a
    node moving on meanwhile is not overwritten with a stale recount."""
    demands = (Demand.objects.open().select_for_update()
               .filter(due_on__gte=since, node_started_on__isnull=False, node_limit_workdays__isnull=False))
    dispatches = (DemandDispatch.objects.open().select_for_update(of=("self",)).filter(due_on__gte=since)
                  .select_related("demand", "working_group").prefetch_related("working_group__members"))
    return [*_recount(demands, "node_started_on", "node_limit_workdays", _demand_moved, dry_run=dry_run),
            *_recount(dispatches, "started_on", "limit_workdays", _dispatch_moved, dry_run=dry_run)]


def _recount(rows, start_field, limit_field, moved_deadline, *, dry_run):
    """Set each row's due_on / due_provisional from the in-memory calendar; write the rows that
    changed with bulk_update (unless dry_run); return moved_deadline(row, old) for each that moved.
    A row no longer overdue drops from yellow or red to green: the next sweep sets the level the
    new date calls for (an escalation stands)."""
    today = timezone.localdate()
    changed, moved = [], []
    for row in rows:
        old = (row.due_on, row.due_provisional, row.warning_level)
        row.due_on = add_workdays(getattr(row, start_field), getattr(row, limit_field))
        row.due_provisional = is_provisional(row.due_on)
        if row.due_on != old[0]:
            moved.append(moved_deadline(row, old[0]))
            if row.due_on >= today and row.warning_level in (WarningLevel.YELLOW, WarningLevel.RED):
                row.warning_level = WarningLevel.GREEN
        if (row.due_on, row.due_provisional, row.warning_level) != old:
            changed.append(row)
    if changed and not dry_run:
        rows.model.objects.bulk_update(changed, ["due_on", "due_provisional", "warning_level"],
                                       batch_size=500)
    return moved


def _demand_moved(demand, old):
    return MovedDeadline(label=f"诉求“{demand.title}”", old_due_on=old, new_due_on=demand.due_on,
                         url=reverse("commissioners:demand_detail", args=[demand.pk]))


def _dispatch_moved(dispatch, old):
    return MovedDeadline(label=f"诉求“{dispatch.demand.title}”({dispatch.working_group.name})",
                         old_due_on=old, new_due_on=dispatch.due_on,
                         url=reverse("commissioners:demand_detail", args=[dispatch.demand_id]),
                         notify_user_ids=tuple(m.pk for m in dispatch.working_group.members.all()))
