"""Deadlines stored elsewhere, recomputed when the calendar changes.

workdays knows no domain app: each app that stores working-day deadlines registers a
recompute function in its AppConfig.ready():

    from workdays.hooks import register_deadline_source
    register_deadline_source("approvals.stage", recompute_stage_deadlines)

`recompute(*, since, dry_run)` must find the open deadlines a change of the calendar from the
date `since` on can move — those due on or after `since`, provisional or not: a counting window
that ends before `since` never counts a changed day — recompute them with the calendar as it is
now, update them set-based unless `dry_run`, and return the MovedDeadline list of those whose
date changed. A notice may move 300,000 of them, so a source reads its rows a batch at a time as
value tuples (recount_batches), writes each batch's changed rows with one statement
(write_recounted; in a loop, batch_writes: sent a batch behind the reads, so the server writes
one batch while Python recounts the next) and names the people to tell once per batch and kind,
sharing one object per group of people among their deadlines (MovedDeadline.see_all). Every
write to the calendar that turns a working day into a rest day or back (a notice loaded, a day
corrected by hand, sync_calendar taking a year from a newer package) calls every source inside
its own transaction.

Who hears about the moves (notifications, which workdays may not import) registers a listener:

    register_moved_listener("notifications", lambda *, reason, moved: ...)

Listeners are called once the calendar's transaction has committed (never for a dry run), with
a Chinese sentence saying what changed the calendar and recompute_deadlines()'s answer.
"""

import contextlib
import datetime as dt
import gc
import json
import sqlite3
from dataclasses import dataclass, field
from enum import Enum

from django.db import connection
from django.db.models.expressions import RawSQL

_sources = {}
_listeners = {}

# Rows a source reads, recounts and writes per statement: a notice may move 300,000 deadlines.
RECOUNT_BATCH = 5000


@dataclass(frozen=True, slots=True)
class MovedDeadline:
    """One stored deadline that moved: `url` is its page; `notify_user_ids` the people to tell,
    each once; `see_all` the same people in parts, each with where they find all their
    deadlines, as ((url, user ids), …) — an enterprise's users and its project list, the
    approvers and their queue — for a notice that lists only the first few. The parts are
    disjoint and together hold every one of notify_user_ids; without them, the people are told
    without such a place.

    A source builds thousands of these: it shares each part's object among the deadlines of the
    same people (the listener gathers the deadlines by part)."""

    label: str
    old_due_on: dt.date
    new_due_on: dt.date
    url: str = ""
    notify_user_ids: tuple = field(default_factory=tuple)
    see_all: tuple = field(default_factory=tuple)


def register_deadline_source(name, recompute):
    _sources[name] = recompute


def unregister_deadline_source(name):
    """Forget a source (tests register fakes and must leave the registry as they found it)."""
    _sources.pop(name, None)


def deadline_sources():
    return dict(_sources)


def recompute_deadlines(*, since, dry_run=False):
    """Every registered source's moved deadlines, keyed by source name."""
    with collector_paused():
        return {name: list(recompute(since=since, dry_run=dry_run)) for name, recompute in _sources.items()}


@contextlib.contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused while a notice is recounted and told (reference
    counting still frees whatever is not in a cycle): the work holds hundreds of thousands of
    small tuples, and each of the collector's passes over the oldest generation walks all of them
    — measured at 1M stages, more than half of the time spent naming and telling the moves."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def recount_batches(queryset, fields, size=RECOUNT_BATCH):
    """A source's rows as value tuples (`fields`, the first the pk), `size` at a time in pk
    order (WHERE pk > last … LIMIT size: each batch one query, with the queryset's row locks).
    No model instance per row: a recount reads a few dates and numbers of each."""
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page.order_by("pk").values_list(*fields)[:size])
        if rows:
            yield rows
        if len(rows) < size:
            return
        last = rows[-1][0]


def write_recounted(model, rows, fields):
    """Write `fields` of the recounted rows (objects or named tuples with the pk column's and the
    fields' attribute names) in one statement. PostgreSQL: UPDATE … FROM unnest(one array per
    column), each array one text parameter (a VALUES list of 5,000 rows is 30,000 parameters to
    adapt and a query string to scan); SQLite (3.33+): UPDATE … FROM a VALUES CTE, as many rows
    per statement as its parameter limit allows. For the plain columns a clock has (numbers,
    dates, booleans, short text)."""
    statements = _recounted_statements(model, list(rows), fields)
    if statements:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)


def _recounted_statements(model, rows, fields):
    """write_recounted's statements, as (sql, params)."""
    if not rows:
        return []
    meta, qn = model._meta, connection.ops.quote_name
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    names = ", ".join(qn(f.column) for f in columns)
    assignments = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in columns[1:])
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{f.cast_db_type(connection)}[]" for f in columns)
        return [(f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS v ({names}) "
                 f"WHERE {table}.{pk} = v.{pk}",
                 [array_literal(values) for values in _columns(rows, columns)])]
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per_statement = max(limit // len(columns), 1)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    return [(f"WITH v ({names}) AS (VALUES {', '.join([one] * len(chunk))}) "
             f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{pk} = v.{pk}",
             [f.get_db_prep_save(getattr(row, f.attname), connection) for row in chunk for f in columns])
            for chunk in (rows[start:start + per_statement] for start in range(0, len(rows), per_statement))]


class BatchWrites:
    """A source's writes, a batch behind its reads: `add` prepares a batch's UPDATEs (write_recounted's),
    `send` sends those prepared so far. A source calls send() once it has read the next batch, then
    recounts that batch: in PostgreSQL's pipeline mode (batch_writes) a statement sent does not
    wait for its answer, so the server writes batch N while Python recounts batch N+1 (measured
    at 1M: the stages' UPDATEs, each row a new entry in every index of the table, are the largest
    part of a notice, and the recount's Python about a third of it). A read waits for the writes
    sent before it, so every read sees the rows as written; whatever the server refuses is raised
    by the next read or at the end of batch_writes, and rolls the calendar change back."""

    def __init__(self):
        self._prepared = []

    def add(self, model, rows, fields):
        self._prepared += _recounted_statements(model, list(rows), fields)

    def send(self):
        prepared, self._prepared = self._prepared, []
        if prepared:
            with connection.cursor() as cursor:
                for sql, params in prepared:
                    cursor.execute(sql, params)


@contextlib.contextmanager
def batch_writes():
    """A source's batch loop with its writes a batch behind (BatchWrites), in psycopg's pipeline
    mode on PostgreSQL; every write is sent, and answered, before it ends."""
    writes = BatchWrites()
    if connection.vendor != "postgresql":
        yield writes
        writes.send()
        return
    connection.ensure_connection()
    # A refusal answered at the pipeline's end is psycopg's error: raised as Django's, as any other.
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield writes
        writes.send()


def _columns(rows, columns):
    """The rows' values column by column. Named tuples whose fields are the columns' attribute
    names, in order (a source's own write tuples), are transposed at C speed (zip); anything
    else is read attribute by attribute."""
    names = tuple(f.attname for f in columns)
    kinds = set(map(type, rows))
    if len(kinds) == 1 and getattr(kinds.pop(), "_fields", None) == names:
        return list(zip(*rows, strict=True))
    return [[getattr(row, name) for row in rows] for name in names]


def array_literal(values):
    """PostgreSQL's text form of an array of plain values ('{1,2026-12-08,NULL,"green"}'), built
    in one pass: the driver's own array adaptation goes value by value in Python."""
    if not isinstance(values, (list, tuple)):
        values = list(values)
    if set(map(type, values)) <= _AS_STR:  # numbers and dates: str() is their form
        return "{" + ",".join(map(str, values)) + "}"
    return "{" + ",".join(map(_element, values)) + "}"


_AS_STR = {int, bool, dt.date}


def _element(value):
    if value is None:
        return "NULL"
    if isinstance(value, Enum):  # a choices enum (WarningLevel): its value
        value = value.value
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)  # int, bool (True/False), date (ISO)


def ids_in(ids):
    """`filter(pk__in=ids_in(ids))`: many ids as one parameter (an array on PostgreSQL, a JSON
    list on SQLite), not one placeholder each for Django to prepare and the driver to scan."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [array_literal(ids)])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


def register_moved_listener(name, listener):
    _listeners[name] = listener


def unregister_moved_listener(name):
    _listeners.pop(name, None)


def deadlines_moved(*, reason, moved):
    """Tell every listener which deadlines moved, and why (a sentence such as "2027 年节假日安排已导入")."""
    with collector_paused():
        for listener in list(_listeners.values()):
            listener(reason=reason, moved=moved)
