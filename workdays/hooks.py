"""Deadlines stored elsewhere, recomputed when the calendar changes.

workdays knows no domain app: each app that stores working-day deadlines registers a
recompute function in its AppConfig.ready():

    from workdays.hooks import register_deadline_source
    register_deadline_source("approvals.stage", recompute_stage_deadlines)

`recompute(*, since, dry_run)` must find the open deadlines a change of the calendar from the
date `since` on can move — those due on or after `since`, provisional or not: a counting window
that ends before `since` never counts a changed day — recompute them with the calendar as it is
now, update them set-based unless `dry_run`, and return the MovedDeadline list of those whose
date changed. Every write to the calendar that turns a working day into a rest day or back (a
notice loaded, a day corrected by hand, sync_calendar taking a year from a newer package) calls
every source inside its own transaction.

Who hears about the moves (notifications, which workdays may not import) registers a listener:

    register_moved_listener("notifications", lambda *, reason, moved: ...)

Listeners are called once the calendar's transaction has committed (never for a dry run), with
a Chinese sentence saying what changed the calendar and recompute_deadlines()'s answer.
"""

import datetime as dt
from dataclasses import dataclass, field

_sources = {}
_listeners = {}


@dataclass(frozen=True)
class MovedDeadline:
    label: str
    old_due_on: dt.date
    new_due_on: dt.date
    url: str = ""
    notify_user_ids: tuple = field(default_factory=tuple)


def register_deadline_source(name, recompute):
    _sources[name] = recompute


def unregister_deadline_source(name):
    """Forget a source (tests register fakes and must leave the registry as they found it)."""
    _sources.pop(name, None)


def deadline_sources():
    return dict(_sources)


def recompute_deadlines(*, since, dry_run=False):
    """Every registered source's moved deadlines, keyed by source name."""
    return {name: list(recompute(since=since, dry_run=dry_run)) for name, recompute in _sources.items()}


def register_moved_listener(name, listener):
    _listeners[name] = listener


def unregister_moved_listener(name):
    _listeners.pop(name, None)


def deadlines_moved(*, reason, moved):
    """Tell every listener which deadlines moved, and why (a sentence such as "2027 年节假日安排已导入")."""
    for listener in list(_listeners.values()):
        listener(reason=reason, moved=moved)
