"""The one transition runner: every state change of a project, a stage and a demand goes through it.

A service locks its rows, then calls `run(bound_transition, actor, ...)`, which

1. checks, in this fixed order, that the actor holds the transition's permission (whatever the
   status: a user who may never do this is told so, not that the status is wrong), that the
   current status allows it, and that each named condition holds — the first failure is the
   message, taken from the guard itself (`guard(message)`);
2. runs the transition (django-fsm-2: it only changes fields);
3. saves under ConcurrentTransitionMixin (a lost race is `stale`);
4. writes the event row through the `record(from_status)` callback the domain passes.

Every refusal is a TransitionError with a `code`, mapped the same way by every API and page:
forbidden → 403; state, stale, condition → 409; anything else (bad input) → 400.

Conditions are predicates of the instance alone (django-fsm calls them so). One that needs the
date reads `instance.as_of`, which `run`/`check` set from the service's `today`: no condition
reads the clock on the wall.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django_fsm import ConcurrentTransition, can_proceed

# Marked here, translated where it is raised, so the constant stays the Chinese msgid.
STALE = gettext_noop("已被他人处理,请刷新")

FORBIDDEN, STATE, STALE_CODE, CONDITION, INVALID = "forbidden", "state", "stale", "condition", "invalid"
HTTP_STATUS = {FORBIDDEN: 403, STATE: 409, STALE_CODE: 409, CONDITION: 409}


class TransitionError(ValidationError):
    """A refused action: the message says why in the user's language; nothing was changed.

    code: "forbidden" (not this user's to do), "state" (not possible in the current status),
    "stale" (someone else acted first), "condition" (a rule refused it), or a bad-input code
    ("invalid", "duplicate", "upload").
    """

    default_code = INVALID

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code=code or self.default_code, params=params)

    @property
    def text(self):
        return ";".join(self.messages)

    @property
    def http_status(self):
        return HTTP_STATUS.get(self.code, 400)


def guard(message):
    """Attach to a permission or condition predicate the sentence its refusal reads: text, or a
    callable (instance) -> text when it names what is wrong."""

    def attach(predicate):
        predicate.message = message
        return predicate

    return attach


def guard_message(predicate, instance):
    message = getattr(predicate, "message", None)
    if message is None:
        return ""
    if callable(message) and not isinstance(message, str | Promise):
        return str(message(instance))
    return str(message)


@dataclass(frozen=True)
class Wording:
    """How a domain words its refusals; %(verb)s, %(status)s and %(reason)s are filled in
    (reason: the guard's own message). Templates are msgids, translated when raised."""

    forbidden: str
    state: str
    condition: str
    fallback_reason: str = gettext_noop("不满足办理条件")

    def say(self, template, instance, *, verb, reason=""):
        return gettext(template) % {"verb": verb, "status": instance.get_status_display(),
                                    "reason": reason or gettext(self.fallback_reason)}


def expect_status(instance, seen, *, error=TransitionError):
    """The locked row must still be in the status the caller's page showed (None: not asked)."""
    if seen and instance.status != seen:
        raise error(gettext(STALE), code=STALE_CODE)


def holds_permission(bound, actor):
    """Whether the actor holds the transition's permission at all, whatever the current status."""
    instance = bound.__self__
    return any(t.has_perm(instance, actor) for t in bound._django_fsm.transitions.values())


def _permission_reason(bound, instance):
    for transition in bound._django_fsm.transitions.values():
        reason = guard_message(transition.permission, instance)
        if reason:
            return reason
    return ""


def check(bound, actor, *, wording, verb="", state=None, conditions=True, today=None,
          error=TransitionError):
    """Permission, then status, then each condition; raise `error` for the first that fails.

    `state` replaces the wording's status sentence for this call; `conditions=False` checks only
    the first two (a service that creates what a condition looks for, then runs the transition).
    """
    instance = bound.__self__
    if today is not None:
        instance.as_of = today
    if not holds_permission(bound, actor):
        raise error(wording.say(wording.forbidden, instance, verb=verb,
                                reason=_permission_reason(bound, instance)), code=FORBIDDEN)
    if not can_proceed(bound, check_conditions=False):
        raise error(state or wording.say(wording.state, instance, verb=verb), code=STATE)
    if not conditions:
        return
    for condition in bound._django_fsm.get_transition(instance.status).conditions:
        if not condition(instance):
            raise error(wording.say(wording.condition, instance, verb=verb,
                                    reason=guard_message(condition, instance)), code=CONDITION)


def save(instance, *, error=TransitionError):
    try:
        instance.save()
    except ConcurrentTransition as exc:
        raise error(gettext(STALE), code=STALE_CODE) from exc


def run(bound, actor, *, wording, record, verb="", state=None, today=None, error=TransitionError,
        **kwargs):
    """Check, transition, save, record: the body of every state change. Returns the event."""
    instance = bound.__self__
    check(bound, actor, wording=wording, verb=verb, state=state, today=today, error=error)
    before = instance.status
    bound(**kwargs)
    save(instance, error=error)
    return record(before)
