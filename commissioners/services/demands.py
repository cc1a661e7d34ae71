"""Every write of the 护商通 procedure: one function per action.

Each service locks the demand (select_for_update), refuses a page that showed another status
(expected_status: "已被他人处理，请刷新"), then runs the transition through the one runner
(core.transitions: permission, status, conditions, in that order), saves, writes the DemandEvent
and schedules notification with transaction.on_commit. Any DemandError leaves nothing changed.
`today` defaults to the Asia/Shanghai local date; the sweep and tests pass their own.
"""

import functools
import os
from collections import namedtuple

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import transitions, uploads
from core.links import url_maker
from enterprises.models import Enterprise, EnterpriseMember
from notifications.clocks import CLOCK_FIELDS, level_after_move
from workdays import add_workdays, is_provisional
from workdays.calendar import hold_calendar
from workdays.hooks import MovedDeadline, batch_writes, ids_in, recount_batches

from .. import notify
from ..choices import (
    RATING_LEVELS,
    UNSATISFIED_RATINGS,
    DemandAction,
    DemandStatus,
    DispatchStatus,
    Node,
    RaisedVia,
    Rating,
    Urgency,
)
from ..clock import NodeClock, node_clock
from ..holders import People, node_holders
from ..models.demands import Demand, DemandAttachment, DemandDispatch, DemandEvent, DemandRating
from ..models.org import WorkingGroup
from ..rules import WORDING, is_commissioner_of, is_enterprise_member

__all__ = [
    "DemandError", "DemandPermissionError", "check_upload", "node_clock", "demand_submit",
    "demand_accept", "demand_answer_first_contact", "demand_review", "demand_send_back",
    "demand_dispatch", "demand_redispatch", "demand_start", "demand_answer", "demand_rate",
    "demand_close_unrated", "recompute_demand_deadlines",
]


class DemandError(transitions.TransitionError):
    """A refused action, with a message the user can act on. Nothing was changed."""


class DemandPermissionError(DemandError):
    """The actor may not take this step (the API answers 403)."""

    default_code = transitions.FORBIDDEN


def _error(message, code=None):
    """The runner's refusals as the demand's own classes (a forbidden one is a permission error)."""
    cls = DemandPermissionError if code == transitions.FORBIDDEN else DemandError
    return cls(message, code=code)


# --- attachments -------------------------------------------------------------------------------

def check_upload(upload):
    """The same checks as project materials (core.uploads), for documents and pictures only.

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


def _save_attachments(demand, files, actor, dispatch=None):
    for upload, mime in files:
        DemandAttachment.objects.create(
            demand=demand, dispatch=dispatch, file=upload, original_name=os.path.basename(upload.name)[:200],
            content_type=mime, size=upload.size, uploaded_by=actor)


# --- clocks ------------------------------------------------------------------------------------

def _today(today):
    return today or timezone.localdate()


def _clock(demand, node, today):
    return node_clock(node=node, urgency=demand.urgency, start=today)


def _earliest_dispatch_clock(demand, fallback):
    """A demand with several groups shows the earliest open deadline among them."""
    first = demand.dispatches.open().order_by("due_on").first()
    if first is None:
        return fallback
    return NodeClock(node=Node.ANSWER, values=first.clock_values())


# --- the common steps --------------------------------------------------------------------------

def _lock(demand, expected_status=None):
    hold_calendar()  # before the row lock: a node's clock is counted under it
    locked = Demand.objects.select_for_update().select_related("enterprise", "category").get(pk=demand.pk)
    transitions.expect_status(locked, expected_status, error=DemandError)
    return locked


def _check(demand, method_name, actor, *, today, refused=None, conditions=True):
    """Permission, then node (status), then conditions: the first that fails gives the message."""
    transitions.check(getattr(demand, method_name), actor, wording=WORDING, state=refused,
                      conditions=conditions, today=today, error=_error)


def _transit(demand, method_name, actor, *, today, action, comment="", detail=None, refused=None,
             **kwargs):
    """Run one transition through the runner and write its event; returns the event."""
    return transitions.run(
        getattr(demand, method_name), actor, wording=WORDING, state=refused, today=today, error=_error,
        record=lambda from_status: _record(demand, actor=actor, action=action, from_status=from_status,
                                           comment=comment, detail=detail),
        **kwargs)


def _record(demand, *, actor, action, from_status="", comment="", detail=None):
    event = DemandEvent.objects.create(
        demand=demand, actor=actor, action=action, from_status=from_status, to_status=demand.status,
        comment=comment, detail=detail or {})
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
                  files=(), via=RaisedVia.BROWSER, visit=None, today=None):
    today = _today(today)
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
    demand._start(_clock(demand, Node.ACCEPT, today))
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
def demand_accept(*, demand, actor, comment="", today=None, expected_status=None):
    today = _today(today)
    demand = _lock(demand, expected_status)
    _transit(demand, "accept", actor, today=today, action=DemandAction.ACCEPTED, comment=comment,
             clock=_clock(demand, Node.REVIEW, today))
    return demand


@transaction.atomic
def demand_answer_first_contact(*, demand, actor, answer, today=None, expected_status=None):
    today = _today(today)
    answer = _required(answer, _("请填写答复内容"))
    demand = _lock(demand, expected_status)
    _transit(demand, "answer_first_contact", actor, today=today, action=DemandAction.ANSWERED_FIRST_CONTACT,
             comment=answer, answer=answer, clock=_clock(demand, Node.RATE, today))
    return demand


@transaction.atomic
def demand_review(*, demand, actor, comment="", today=None, expected_status=None):
    today = _today(today)
    demand = _lock(demand, expected_status)
    _transit(demand, "review", actor, today=today, action=DemandAction.REVIEWED, comment=comment,
             clock=_clock(demand, Node.DISPATCH, today))
    return demand


@transaction.atomic
def demand_send_back(*, demand, actor, reason, today=None, expected_status=None):
    today = _today(today)
    reason = _required(reason, _("请填写退回原因"))
    demand = _lock(demand, expected_status)
    _transit(demand, "send_back", actor, today=today, action=DemandAction.SENT_BACK, comment=reason,
             reason=reason, clock=_clock(demand, Node.ACCEPT, today))
    return demand


# --- bureau ------------------------------------------------------------------------------------

def _open_share(demand, group, actor, clock, status=DispatchStatus.PENDING):
    share = DemandDispatch(demand=demand, working_group=group, dispatched_by=actor, status=status)
    share.start_clock(clock.values)
    share.save()
    return share


@transaction.atomic
def demand_dispatch(*, demand, actor, working_groups, comment="", today=None, expected_status=None):
    today = _today(today)
    groups = list({group.pk: group for group in working_groups or ()}.values())
    demand = _lock(demand, expected_status)
    # The dispatch rows the transition's condition looks for are created after this check.
    _check(demand, "dispatch", actor, today=today, conditions=False)
    if not groups:
        raise DemandError(_("请至少选择一个专业服务工作组"))
    clock = _clock(demand, Node.ANSWER, today)
    for group in groups:
        _open_share(demand, group, actor, clock)
    _transit(demand, "dispatch", actor, today=today, action=DemandAction.DISPATCHED, comment=comment,
             detail={"working_groups": [group.name for group in groups]}, clock=clock)
    return demand


@transaction.atomic
def demand_redispatch(*, dispatch, actor, to_group, reason, today=None, expected_status=None):
    today = _today(today)
    reason = _required(reason, _("请填写改派原因"))
    demand = _lock(dispatch.demand, expected_status)
    dispatch = DemandDispatch.objects.select_for_update().select_related("working_group").get(pk=dispatch.pk)
    _check(demand, "redispatch", actor, today=today)
    if not dispatch.is_open:
        raise DemandError(_("该工作组已答复或已被改派, 不能再改派"))
    if to_group is None or demand.dispatches.open_or_answered().filter(working_group=to_group).exists():
        raise DemandError(_("请选择一个尚未承办该诉求的工作组"))
    dispatch.status = DispatchStatus.WITHDRAWN
    dispatch.save(update_fields=["status"])
    clock = _clock(demand, Node.ANSWER, today)
    _open_share(demand, to_group, actor, clock)
    any_in_progress = demand.dispatches.filter(status=DispatchStatus.IN_PROGRESS).exists()
    _transit(demand, "redispatch", actor, today=today, action=DemandAction.REDISPATCHED, comment=reason,
             detail={"from": dispatch.working_group.name, "to": to_group.name},
             clock=_earliest_dispatch_clock(demand, clock), any_in_progress=any_in_progress)
    return demand


# --- working group -----------------------------------------------------------------------------

def _lock_dispatch(dispatch, actor, expected_status):
    demand = _lock(dispatch.demand, expected_status)
    dispatch = DemandDispatch.objects.select_for_update().select_related("working_group").get(pk=dispatch.pk)
    if not dispatch.working_group.members.filter(pk=getattr(actor, "pk", None)).exists():
        raise DemandPermissionError(_("只有承办该诉求的专业服务工作组成员可以办理这一步"))
    return demand, dispatch


@transaction.atomic
def demand_start(*, dispatch, actor, today=None, expected_status=None):
    today = _today(today)
    demand, dispatch = _lock_dispatch(dispatch, actor, expected_status)
    if dispatch.status != DispatchStatus.PENDING:
        raise DemandError(_("该工作组已签收, 不能重复签收"), code=transitions.STATE)
    dispatch.status = DispatchStatus.IN_PROGRESS
    dispatch.save(update_fields=["status"])
    detail = {"working_group": dispatch.working_group.name}
    if demand.status == DemandStatus.DISPATCHED:
        _transit(demand, "start", actor, today=today, action=DemandAction.STARTED, detail=detail)
    else:
        _record(demand, actor=actor, action=DemandAction.STARTED, from_status=demand.status, detail=detail)
    return demand


@transaction.atomic
def demand_answer(*, dispatch, actor, answer, files=(), today=None, expected_status=None):
    """The group's answer, with its files (checked as the demand's own: core.uploads). A refused
    file refuses the whole answer: nothing is stored and the share stays in progress."""
    today = _today(today)
    answer = _required(answer, _("请填写答复内容"))
    checked = [(upload, check_upload(upload)) for upload in files]
    demand, dispatch = _lock_dispatch(dispatch, actor, expected_status)
    if dispatch.status == DispatchStatus.PENDING:
        raise DemandError(_("请先签收, 再答复"), code=transitions.STATE)
    if dispatch.status != DispatchStatus.IN_PROGRESS:
        raise DemandError(_("该工作组已答复或已被改派"), code=transitions.STATE)
    dispatch.status, dispatch.answer = DispatchStatus.ANSWERED, answer
    dispatch.answered_by, dispatch.answered_at = actor, timezone.now()
    dispatch.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    _save_attachments(demand, checked, actor, dispatch=dispatch)
    _record(demand, actor=actor, action=DemandAction.GROUP_ANSWERED, from_status=demand.status,
            comment=answer,
            detail={"working_group": dispatch.working_group.name, "attachments": len(checked)})
    if demand.status == DemandStatus.IN_PROGRESS and not demand.dispatches.open().exists():
        _transit(demand, "answer_all", actor, today=today, action=DemandAction.ANSWERED,
                 clock=_clock(demand, Node.RATE, today))
    elif demand.dispatches.open().exists():
        demand._start(_earliest_dispatch_clock(demand, None))
        demand.save(update_fields=["current_node", *CLOCK_FIELDS])
    return demand


# --- the enterprise's rating -------------------------------------------------------------------

@transaction.atomic
def demand_rate(*, demand, actor, level, comment="", today=None, expected_status=None):
    today = _today(today)
    if level not in RATING_LEVELS:
        raise DemandError(_("请选择评价等级"))
    demand = _lock(demand, expected_status)
    _check_rater(demand, actor)
    if demand.status == DemandStatus.CLOSED and demand.rating == Rating.UNRATED:
        raise DemandError(_("该诉求已逾期未评价并办结, 不能再评价"), code=transitions.STATE)
    if demand.status == DemandStatus.CLOSED or demand.ratings.filter(round=demand.reopen_count).exists():
        raise DemandError(_("该诉求已评价, 不能重复评价"), code=transitions.STATE)
    unsatisfied = level in UNSATISFIED_RATINGS
    not_answered = _("诉求尚未答复, 暂不能评价")
    _check(demand, "reopen" if unsatisfied else "close_rated", actor, today=today, refused=not_answered)
    comment = (comment or "").strip()
    DemandRating.objects.create(demand=demand, round=demand.reopen_count, level=level, comment=comment,
                                rated_by=actor)
    if unsatisfied:
        return _reopen(demand, actor, level, comment, today)
    _transit(demand, "close_rated", actor, today=today, action=DemandAction.RATED, comment=comment,
             detail={"level": level, "label": str(Rating(level).label)}, refused=not_answered,
             level=level, now=timezone.now())
    return demand


def _check_rater(demand, actor):
    if not is_enterprise_member(demand, actor):
        raise DemandPermissionError(str(is_enterprise_member.message))


def _reopen(demand, actor, level, comment, today):
    """不满意: back to the same working group(s) with a fresh limit, flagged for the leaders."""
    answered = list(demand.dispatches.filter(status=DispatchStatus.ANSWERED).select_related("working_group"))
    if answered:
        clock = _clock(demand, Node.ANSWER, today)
        for dispatch in answered:
            # A new share, not the old one reopened: the first answer stays in the history, and
            # the new clock can warn and escalate again (escalations are unique per object).
            DemandDispatch.objects.filter(pk=dispatch.pk).update(status=DispatchStatus.SUPERSEDED)
            _open_share(demand, dispatch.working_group, dispatch.dispatched_by, clock,
                        status=DispatchStatus.IN_PROGRESS)
    else:
        # Answered at first contact: no working group yet, so the full route starts at review.
        clock = _clock(demand, Node.REVIEW, today)
    _transit(demand, "reopen", actor, today=today, action=DemandAction.REOPENED, comment=comment,
             detail={"level": level, "label": str(Rating(level).label),
                     "working_groups": [d.working_group.name for d in answered]},
             level=level, clock=clock, to_working_groups=bool(answered))
    return demand


@transaction.atomic
def demand_close_unrated(*, demand, actor=None, today=None):
    """The rating window ran out: closed as 未评价 (the sweep calls this, actor None)."""
    today = _today(today)
    demand = _lock(demand)
    _transit(demand, "close_unrated", actor, today=today, action=DemandAction.CLOSED_UNRATED,
             now=timezone.now())
    return demand


# --- the calendar hook -------------------------------------------------------------------------

# What the recount reads of a clock row, as values (no model instance per row); the first six
# are its clock (WorkdayClock), the rest what the notice names and whom it tells.
DEMAND_READ = ("pk", "started_on", "limit_workdays", "due_on", "due_provisional", "warning_level",
               "current_node", "title", "enterprise_id")
DISPATCH_READ = ("pk", "started_on", "limit_workdays", "due_on", "due_provisional", "warning_level",
                 "demand_id", "demand__title", "working_group_id", "working_group__name")
ClockWrite = namedtuple("ClockWrite", ["id", "due_on", "due_provisional", "warning_level"])


def recompute_demand_deadlines(*, since, dry_run=False, today=None):
    """Open node and dispatch deadlines due on or after `since`, recounted with the calendar as
    it is now (workdays.hooks). The rows are read as values a batch at a time (keyset on pk) and
    locked until the calendar change commits, so a node moving on meanwhile is not overwritten
    with a stale recount; each batch is written with one UPDATE and its holders read once per
    kind (an enterprise's once, the bureau once, a working group's members once)."""
    today = _today(today)
    demands = Demand.objects.open().select_for_update(of=("self",)).filter(due_on__gte=since)
    dispatches = DemandDispatch.objects.open().select_for_update(of=("self",)).filter(due_on__gte=since)
    told = _Told()
    # Each answer kept for its arguments while the recount runs (the calendar cannot change under
    # it): thousands of clocks share a few hundred (start, working days) pairs.
    counted = (functools.cache(add_workdays), functools.cache(is_provisional))
    moved = []
    # Each batch's UPDATE is sent once the next batch is read, and written while it is recounted
    # (workdays.hooks.BatchWrites).
    with batch_writes() as writes:
        for batch in recount_batches(demands, DEMAND_READ):
            writes.send()
            moved += told.demands(_recount(Demand, batch, writes, today=today, dry_run=dry_run,
                                           counted=counted))
        for batch in recount_batches(dispatches, DISPATCH_READ):
            writes.send()
            moved += told.dispatches(_recount(DemandDispatch, batch, writes, today=today, dry_run=dry_run,
                                              counted=counted))
    return moved


def _recount(model, rows, writes, *, today, dry_run, counted=(add_workdays, is_provisional)):
    """Recount each row's clock as WorkdayClock.recount does (a clock never started is left
    alone); add the rows that changed to `writes`, one UPDATE (unless dry_run); return (pk, old,
    new, *the rest of the row) for each whose date moved."""
    count, provisional_on = counted
    changed, moved = [], []
    for pk, started_on, limit, due_on, provisional, level, *named in rows:
        if started_on is None or limit is None:
            continue
        new_due_on = count(started_on, limit)
        new = ClockWrite(pk, new_due_on, provisional_on(new_due_on),
                         level if new_due_on == due_on else level_after_move(level, new_due_on, today))
        if new_due_on != due_on:
            moved.append((pk, due_on, new_due_on, *named))
        if new[1:] != (due_on, provisional, level):
            changed.append(new)
    if changed and not dry_run:
        writes.add(model, changed, ClockWrite._fields[1:])
    return moved


class _Told:
    """Who hears that a demand's deadline moved, looked up for a batch at once and shared by
    every deadline with the same holders (the notice groups deadlines by them): a node on the
    demand's own clock tells its holder (commissioners.holders.node_holders, once per node and
    enterprise), a working group's share that group's members (once per group)."""

    def __init__(self):
        self.people, self.holders, self.groups = People(), {}, {}
        self.demand_url = url_maker("commissioners:demand_detail")
        self.queue = reverse("commissioners:demand_queue")
        self.own_list = reverse("commissioners:demand_list")

    def demands(self, moved):
        """At the answer node a demand's clock only mirrors its earliest open share, which reports
        itself: left out, so each real deadline is named once."""
        moved = [row for row in moved if row[3] != Node.ANSWER]
        self._read_holders({(node, enterprise) for _pk, _old, _new, node, _title, enterprise in moved})
        return [MovedDeadline(f"诉求“{title}”", old, new, self.demand_url(pk),
                              *self.holders[(node, enterprise)])
                for pk, old, new, node, title, enterprise in moved]

    def dispatches(self, moved):
        self._read_groups({group for *_, group, _name in moved})
        return [MovedDeadline(f"诉求“{title}”({group_name})", old, new, self.demand_url(demand),
                              *self.groups[group])
                for _pk, old, new, demand, title, group, group_name in moved]

    def _read_holders(self, keys):
        keys = {key for key in keys if key not in self.holders}
        rating = {enterprise for node, enterprise in keys if node == Node.RATE}
        users = {enterprise: [] for enterprise in rating}
        if rating:  # at the rating node the holders are the enterprise's users (node_holders), as ids
            for enterprise, user in (EnterpriseMember.objects.filter(enterprise_id__in=ids_in(rating))
                                     .order_by("pk").values_list("enterprise_id", "user_id")):
                users[enterprise].append(user)
        others = {enterprise for node, enterprise in keys if node != Node.RATE}
        enterprises = {enterprise.pk: enterprise for enterprise in Enterprise.objects.filter(
            pk__in=ids_in(others)).only("pk", "industry_id")} if others else {}
        self.people.prime(enterprises[e] for node, e in keys if node in (Node.ACCEPT, Node.REVIEW))
        for node, enterprise in keys:
            if node == Node.RATE:
                ids = tuple(users[enterprise])
            else:  # node_holders reads the node and, for its commissioner or group leader, the enterprise
                stub = Demand(current_node=node, enterprise=enterprises[enterprise])
                holders = node_holders(stub, self.people)
                ids = tuple(dict.fromkeys(user.pk for user in holders if user is not None))
            where = self.own_list if node == Node.RATE else self.queue
            self.holders[(node, enterprise)] = (ids, ((where, ids),) if ids else ())

    def _read_groups(self, groups):
        groups = [pk for pk in groups if pk not in self.groups]
        members = {pk: [] for pk in groups}
        for group, user in (WorkingGroup.members.through.objects.filter(workinggroup_id__in=groups)
                            .order_by("pk").values_list("workinggroup_id", "user_id")):
            members[group].append(user)
        for pk, ids in members.items():
            self.groups[pk] = (tuple(ids), ((self.queue, tuple(ids)),) if ids else ())
