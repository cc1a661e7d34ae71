"""督办 that reaches the handler and comes back: the registry of supervised matters, the services
of the loop, and the sweep of its reply clock.

A domain registers, in its AppConfig.ready(), each model a leader may supervise (a "matter": an
approval stage, a demand) with how to find its current handlers, how to word and link it, how
many working days a reply may take, and how to write a step into the matter's own history; and
the models its escalations hang on that stand for a matter (a stage's acceptance event, a demand's
node event or share). notifications stays free of domain imports.

The loop: supervision_open (a leader's instruction, addressees notified at once, bypassing quiet
hours) → supervision_reply (办理情况回复 by an addressee; the leader is told) → supervision_close
(满意) or supervision_continue (继续督办: this one ends, a new one starts with a fresh clock). Every
step is an event in the matter's history. The reply clock is swept like every other clock:
yellow on the last day, red after, escalated to the committee's leaders after
ESCALATE_AFTER_WORKDAYS — once per level.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.roles import LEADER
from core import transitions
from workdays import workdays_between
from workdays.calendar import hold_calendar

from . import supervision_rules as rules
from .clocks import clock_values
from .levels import WarningLevel, describe_due, long_overdue, move_batches, warning_due
from .models import Escalation, Level, Supervision, SupervisionReply
from .services import Raise, _notify, _recipient_ids, escalations_raise

URGENT_REPLY_WORKDAYS = 1


class SupervisionError(transitions.TransitionError):
    """A refused 督办 step; nothing was recorded."""


# --- the registry -------------------------------------------------------------------------------

class Step:
    SUPERVISED, REPLIED, CLOSED, CONTINUED = "supervised", "replied", "closed", "continued"


@dataclass(frozen=True)
class MatterKind:
    key: str  # "stage", "demand": the 督办 page's kind filter
    label: str
    handlers: Callable  # (matter) -> users or ids now holding it
    record: Callable  # (matter, *, actor, step, comment) -> None: an event in the matter's history
    reply_workdays: Callable  # (matter) -> int
    describe: Callable  # (matter) -> (title, link)
    is_open: Callable  # (matter) -> bool
    urgent: Callable  # (matter) -> bool
    categories: Callable = lambda: []  # () -> [(code, label)] of the matter's own categories
    by_category: Callable = lambda code: None  # (code) -> queryset of matter pks, for the filter
    by_working_group: Callable = lambda code: None  # (working group code) -> queryset of pks, or None
    # (matter, level) -> users the sweep's rule tells of the matter's own escalation at `level`
    told: Callable = lambda matter, level: []


_kinds, _stands_for, _working_groups = {}, {}, []


def register_matter(model, **kind):
    _kinds[model] = MatterKind(**kind)


def register_working_groups(choices):
    """choices() -> [(code, name)] of the working groups (the 督办 page's filter)."""
    _working_groups[:] = [choices]


def matter_kinds():
    """{model: MatterKind} of every registered kind."""
    return dict(_kinds)


def working_group_choices():
    return _working_groups[0]() if _working_groups else []


def register_stands_for(model, matter_of):
    """Escalations on `model` rows concern matter_of(row) (e.g. a stage's acceptance event)."""
    _stands_for[model] = matter_of


def matter_for(obj):
    """The supervised matter an object stands for, or None."""
    if obj is None:
        return None
    if type(obj) in _kinds:
        return obj
    matter_of = _stands_for.get(type(obj))
    return matter_of(obj) if matter_of else None


def reached_by(escalation):
    """Everyone an escalation reached, who hears of its 督办 too: the recipients of its own
    notifications and, for an escalation on the matter itself, the people the sweep's rule names
    for its level — a sweep sends one digest instead of many messages to someone with more than a
    handful of one level, and a digest sums up many escalations without being linked to each."""
    if escalation is None:
        return []
    reached = list(escalation.notifications.values_list("recipient_id", flat=True).distinct())
    obj = escalation.related_object
    if obj is not None and type(obj) in _kinds:
        reached += _recipient_ids(_kinds[type(obj)].told(obj, escalation.level))
    return reached


def describe(matter):
    """(title, link) of a registered matter."""
    return _kind(matter).describe(matter)


def _kind(matter):
    kind = _kinds.get(type(matter))
    if kind is None:
        raise SupervisionError(gettext("该事项不能督办"))
    return kind


def _locked_matter(matter):
    """The matter's row locked (two leaders at once each get their 督办, in turn)."""
    return type(matter)._base_manager.select_for_update().get(pk=matter.pk)


# --- services -----------------------------------------------------------------------------------

def _required(text, message):
    text = (text or "").strip()
    if not text:
        raise SupervisionError(message)
    return text


def _leaders_on(escalation):
    if escalation is None:
        return []
    return list(escalation.notifications.filter(recipient__groups__name=LEADER)
                .values_list("recipient_id", flat=True).distinct())


@transaction.atomic
def supervision_open(*, matter, actor, instruction, escalation=None, previous=None, also_tell=(),
                     today=None):
    """督办: record the instruction with a reply clock and tell the addressees at once.

    Addressees: the matter's current handlers and the leaders already on the escalation. `also_tell`
    (e.g. everyone the escalation reached) hears of it too; each person is notified once.
    """
    today = today or timezone.localdate()
    if not rules.can_supervise(actor):
        raise SupervisionError(gettext("只有委领导和系统管理员可以督办"), code=transitions.FORBIDDEN)
    instruction = _required(instruction, gettext("请填写督办意见"))
    kind = _kind(matter)
    hold_calendar()  # before the row lock: the reply clock is counted under it
    matter = _locked_matter(matter)
    if not kind.is_open(matter):
        raise SupervisionError(gettext("该事项已办结, 不能督办"), code=transitions.STATE)
    title, link = kind.describe(matter)
    urgent = bool(kind.urgent(matter) or (escalation and escalation.urgent))
    limit = URGENT_REPLY_WORKDAYS if urgent else kind.reply_workdays(matter)
    addressees = [pk for pk in _recipient_ids([*kind.handlers(matter), *_leaders_on(escalation)])
                  if pk != actor.pk]
    supervision = Supervision(content_type=ContentType.objects.get_for_model(matter), object_id=matter.pk,
                              escalation=escalation, previous=previous, leader=actor,
                              instruction=instruction, title=title[:200], link=link, urgent=urgent)
    supervision.start_clock(clock_values(started_on=today, limit_workdays=limit, warning_threshold=0))
    supervision.save()
    supervision.addressees.set(addressees)
    if escalation is not None:  # supervised from its escalation: the 督办 page lists it as taken up
        Escalation.objects.filter(pk=escalation.pk, supervised_at__isnull=True).update(
            supervised_by=actor, supervised_at=timezone.now(), supervision_comment=instruction)
    kind.record(matter, actor=actor, step=Step.SUPERVISED, comment=instruction)
    told = [pk for pk in _recipient_ids([*addressees, *also_tell]) if pk != actor.pk]
    _notify(recipients=told, title=f"督办: {escalation.title if escalation else title}",
            body=(f"{actor} 督办意见: {instruction}\n"
                  f"请于 {supervision.due_on:%Y-%m-%d} 前回复办理情况(督办期限 {limit} 个工作日)。"),
            link=link, level=Level.URGENT if urgent else Level.ESCALATED, urgent=True,
            key=f"supervision:{supervision.pk}", **_target(supervision))
    return supervision


def _target(supervision):
    return {"content_type_id": supervision.content_type_id, "object_id": supervision.object_id}


def _lock(supervision, expected_status=None):
    locked = Supervision.objects.select_for_update().get(pk=supervision.pk)
    transitions.expect_status(locked, expected_status, error=SupervisionError)
    return locked


def _run(supervision, method, actor, verb, step, comment, today):
    matter = supervision.matter
    return transitions.run(
        getattr(supervision, method), actor, wording=rules.WORDING, verb=verb, today=today,
        error=SupervisionError, now=timezone.now(),
        record=lambda _before: _kind(matter).record(matter, actor=actor, step=step, comment=comment))


@transaction.atomic
def supervision_reply(*, supervision, actor, text, today=None, expected_status=None):
    """办理情况回复 by an addressee: the reply clock stops and the leader is told."""
    text = _required(text, gettext("请填写办理情况"))
    supervision = _lock(supervision, expected_status)
    _run(supervision, "reply", actor, gettext("回复"), Step.REPLIED, text, today)
    SupervisionReply.objects.create(supervision=supervision, author=actor, text=text)
    _notify(recipients=[supervision.leader_id], title=f"督办已回复: {supervision.title}",
            body=f"{actor} 办理情况: {text}", link=supervision.link, level=Level.INFO, urgent=True,
            key=f"supervision-reply:{supervision.pk}:{supervision.replies.count()}", **_target(supervision))
    return supervision


@transaction.atomic
def supervision_close(*, supervision, actor, comment="", today=None, expected_status=None):
    """满意: the leader closes the 督办; the addressees are told."""
    supervision = _lock(supervision, expected_status)
    _run(supervision, "close", actor, gettext("办结督办"), Step.CLOSED, (comment or "").strip(), today)
    _notify(recipients=list(supervision.addressees.values_list("pk", flat=True)),
            title=f"督办已办结: {supervision.title}", body=(comment or "").strip() or "领导满意, 督办办结。",
            link=supervision.link, level=Level.INFO, **_target(supervision))
    return supervision


@transaction.atomic
def supervision_continue(*, supervision, actor, instruction, today=None, expected_status=None):
    """继续督办: this 督办 ends and a new one starts on the same matter, with a fresh reply clock."""
    instruction = _required(instruction, gettext("请填写督办意见"))
    supervision = _lock(supervision, expected_status)
    _run(supervision, "continue_", actor, gettext("继续督办"), Step.CONTINUED, instruction, today)
    return supervision_open(matter=supervision.matter, actor=actor, instruction=instruction,
                            escalation=supervision.escalation, previous=supervision, today=today)


# --- the sweep of the reply clock ---------------------------------------------------------------

def escalate_to():
    """Who hears of a 督办 left unanswered past ESCALATE_AFTER_WORKDAYS: the committee's leaders
    (every active user with the leader role; SUPERVISION_ESCALATE_TO may list usernames)."""
    users = get_user_model().objects.filter(is_active=True)
    usernames = getattr(settings, "SUPERVISION_ESCALATE_TO", None)
    if usernames:
        return list(users.filter(username__in=usernames).values_list("pk", flat=True))
    return list(users.filter(groups__name=LEADER).values_list("pk", flat=True))


def sweep_supervisions(now):
    """Unanswered 督办: yellow on the reply deadline's day, red after it, escalated after N
    working days red; each level raised once per 督办 (the unique (object, level) of Escalation).
    Each step walks its rows a batch at a time: one UPDATE moves a batch, one INSERT each writes
    its escalations, notifications and deliveries."""
    today = timezone.localdate(now)
    rows = Supervision.objects.awaiting_reply().filter(due_on__isnull=False)
    W = WarningLevel
    steps = (
        (Level.YELLOW, warning_due(rows, today, "warning_threshold"), [W.GREEN], W.YELLOW),
        (Level.RED, rows.overdue(today), [W.GREEN, W.YELLOW], W.RED),
        (Level.ESCALATED, long_overdue(rows.overdue(today), today), [W.RED], W.ESCALATED),
    )
    leaders, counts = [], {}
    for level, queryset, from_levels, to_level in steps:
        counts[level] = 0
        for ids in move_batches(queryset=queryset, to_level=to_level, from_levels=from_levels):
            if level == Level.ESCALATED and not leaders:
                leaders = escalate_to()
            counts[level] += _raise(ids, level, today, leaders)
    return counts


def _raise(ids, level, today, leaders):
    # The matter is prefetched (one query per kind of matter) so matter_for reads no row per 督办.
    supervisions = (Supervision.objects.filter(pk__in=ids).prefetch_related("addressees", "matter")
                    .order_by("pk"))
    raises = []
    for supervision in supervisions:
        addressees = [user.pk for user in supervision.addressees.all() if user.is_active]
        recipients = {Level.YELLOW: addressees, Level.RED: [*addressees, supervision.leader_id],
                      Level.ESCALATED: [*leaders, supervision.leader_id]}[level]
        label = f"督办未回复: {supervision.title}"
        raises.append(Raise(
            obj=supervision, level=level, recipients=recipients, title=f"{Level(level).label}: {label}",
            body=f"{supervision.instruction}\n{describe_due(supervision.due_on, today)}",
            link=supervision.link, urgent=supervision.urgent,
            reason=(f"督办超期 {workdays_between(supervision.due_on, today)} 个工作日未回复"
                    if level == Level.ESCALATED else "")))
    return len(escalations_raise(raises))
