"""Deadlines stored elsewhere, recomputed when the calendar changes.

workdays knows no domain app: each app that stores working-day deadlines registers a
recompute function in its AppConfig.ready():

    from workdays.hooks import register_deadline_source
    register_deadline_source("approvals.stage", recompute_stage_deadlines)

`recompute(*, year, dry_run)` must find the stored deadlines that depend on `year` being
counted by the weekday rule (provisional ones), recompute them with the calendar as it is now,
update them set-based unless `dry_run`, and return the MovedDeadline list of those whose date
changed. Loading a holiday notice calls every source inside the notice's transaction.

Who hears about the moves (notifications, which workdays may not import) registers a listener:

    register_notice_listener("notifications", lambda *, year, moved: ...)

Listeners are called once the notice's transaction has committed (never for a dry run), with the
year and recompute_deadlines()'s answer.
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


def recompute_deadlines(*, year, dry_run=False):
    """Every registered source's moved deadlines, keyed by source name."""
    return {name: list(recompute(year=year, dry_run=dry_run)) for name, recompute in _sources.items()}


def register_notice_listener(name, listener):
    _listeners[name] = listener


def unregister_notice_listener(name):
    _listeners.pop(name, None)


def notice_loaded(*, year, moved):
    """Tell every listener that `year`'s notice is loaded and which deadlines moved."""
    for listener in list(_listeners.values()):
        listener(year=year, moved=moved)
