"""Every write of the notifications app: one function per action, keyword-only arguments.

Notifications and their deliveries are written in the caller's transaction, so a request or a
sweep that rolls back notifies nobody, and one that commits has its messages on record even
when the broker is down. The delivery tasks are queued after the commit; a failure to queue is
logged and `deliveries_retry_pending` queues the rows later.
"""

import json
import logging
import sqlite3
import uuid
from dataclasses import dataclass, field

from celery.exceptions import Retry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext

from accounts.roles import ADMIN, LEADER

from .channels import CHANNELS
from .models import Channel, Delivery, DeliveryStatus, Escalation, Level, Notification
from .quiet import hold_until

log = logging.getLogger(__name__)


def _recipient_ids(recipients):
    ids = []
    for recipient in recipients:
        pk = getattr(recipient, "pk", recipient)
        if pk is not None and pk not in ids:
            ids.append(pk)
    return ids


def _target(obj):
    if obj is None:
        return {}
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}

# A statement's parameters: PostgreSQL (client-side binding) has no limit; SQLite's is read from
# the connection. Django's bulk_create assumes 999 on SQLite, which would split a sweep's batch
# into dozens of INSERTs.
MAX_PARAMS = 200_000


def _max_params():
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return MAX_PARAMS


def insert_rows(objs, *, ignore_conflicts=False, returning=("pk",)):
    """INSERT unsaved rows of one model in as few statements as the database allows (one for a
    sweep's batch), setting each inserted row's pk from RETURNING. With ignore_conflicts (ON
    CONFLICT DO NOTHING), the rows a unique constraint refused are left out of the answer: the
    answer is exactly the rows this call wrote. Returns the inserted objects, in order."""
    objs = list(objs)
    if not objs:
        return []
    model = type(objs[0])
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.generated and f is not meta.pk]
    returning_fields = [meta.get_field(name) if name != "pk" else meta.pk for name in returning]
    if connection.vendor == "postgresql":
        return _insert_unnest(model, objs, fields, returning, ignore_conflicts)
    per_statement = max(_max_params() // len(fields), 1)
    inserted = []
    for start in range(0, len(objs), per_statement):
        chunk = objs[start:start + per_statement]
        for obj in chunk:
            obj._prepare_related_fields_for_save(operation_name="insert_rows")
        query = InsertQuery(model, on_conflict=OnConflict.IGNORE if ignore_conflicts else None)
        query.insert_values(fields, chunk, raw=False)
        rows = query.get_compiler(connection=connection).execute_sql(returning_fields)
        if not ignore_conflicts:
            for obj, row in zip(chunk, rows, strict=True):
                obj.pk = row[0]
                obj._state.adding, obj._state.db = False, connection.alias
            inserted += chunk
            continue
        inserted += _match_returned(chunk, rows, returning)
    return inserted


# Plain values go into the arrays as they are; these need the field's own conversion.
_CONVERTED = {"JSONField", "DecimalField"}


def _insert_unnest(model, objs, fields, returning, ignore_conflicts):
    """PostgreSQL: INSERT … SELECT * FROM unnest(one array per column) … RETURNING, one statement
    whatever the number of rows, the values read from the attributes (Django's own path prepares
    each value through its field, which costs more than the INSERT for a sweep's batch)."""
    meta, qn = model._meta, connection.ops.quote_name
    now = timezone.now()
    columns = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for obj in objs:
                setattr(obj, f.attname, now)
        if f.get_internal_type() in _CONVERTED:
            values = [f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in objs]
        else:
            values = [getattr(obj, f.attname) for obj in objs]
        columns.append(values)
    names = ", ".join(qn(f.column) for f in fields)
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    returned = ", ".join(qn(meta.pk.column if name == "pk" else meta.get_field(name).column)
                         for name in returning)
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {qn(meta.db_table)} ({names}) SELECT * FROM unnest({arrays}){conflict} "
                       f"RETURNING {returned}", columns)
        rows = cursor.fetchall()
    if ignore_conflicts:
        return _match_returned(objs, rows, returning)
    for obj, row in zip(objs, rows, strict=True):
        obj.pk = row[0]
        obj._state.adding, obj._state.db = False, connection.alias
    return objs


def _match_returned(chunk, rows, returning):
    """The objects of `chunk` that RETURNING named (by the other returned fields, a unique key)."""
    by_key = {tuple(getattr(obj, name) for name in returning[1:]): obj for obj in chunk}
    matched = []
    for pk, *key in filter(None, rows):  # a single ignored row comes back as None
        obj = by_key[tuple(key)]
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
        matched.append(obj)
    return matched


# --- writing notifications and deliveries without a model instance per row ----------------------
#
# A sweep's batch or a holiday notice writes tens of thousands of notifications and twice as many
# deliveries. The notifications go in with one INSERT … SELECT from a JSON document of the
# messages, each with its recipients' ids (json_to_recordset on PostgreSQL, json_each on SQLite:
# one parameter, so no parameter limit and no per-value quoting), and the deliveries with one
# INSERT … SELECT from the new notifications' ids, each channel's choice said in SQL.

NOTIFICATION_COLUMNS = ("recipient_id", "title", "body", "link", "level", "urgent", "content_type_id",
                        "object_id", "escalation_id", "batch", "key")
_MESSAGE_TYPES = {"title": "text", "body": "text", "link": "text", "level": "text", "urgent": "boolean",
                  "content_type_id": "integer", "object_id": "bigint", "escalation_id": "bigint",
                  "batch": "uuid", "key": "text"}


class NotificationRows:
    """The notifications to write, as messages: add() one message (one batch) to its recipients."""

    def __init__(self):
        self.messages = []

    def add(self, *, recipients, title, body="", link="", level=Level.INFO, urgent=False,
            content_type=None, content_type_id=None, object_id=None, escalation=None, escalation_id=None,
            key=""):
        ids = _recipient_ids(recipients)
        if not ids:
            return 0
        self.messages.append({
            "recipients": ids, "title": title, "body": body or "", "link": link or "", "level": str(level),
            "urgent": bool(urgent or level == Level.URGENT),
            "content_type_id": content_type.pk if content_type is not None else content_type_id,
            "object_id": object_id,
            "escalation_id": escalation.pk if escalation is not None else escalation_id,
            "batch": uuid.uuid4(), "key": key or ""})
        return len(ids)

    def document(self):
        """The messages as one JSON parameter (uuids as PostgreSQL and SQLite store them)."""
        hex_uuid = connection.vendor != "postgresql"
        return json.dumps([{**m, "batch": m["batch"].hex if hex_uuid else str(m["batch"])}
                           for m in self.messages], ensure_ascii=False)

    def instances(self, written, now):
        """Notification objects for the rows written ([(id, recipient_id)]) of a single message:
        for notify()'s few rows, whose callers read them."""
        out = []
        for pk, recipient in written:
            message = next(m for m in self.messages if recipient in m["recipients"])
            fields = {name: message[name] for name in NOTIFICATION_COLUMNS if name != "recipient_id"}
            obj = Notification(pk=pk, recipient_id=recipient, created_at=now, **fields)
            obj._state.adding, obj._state.db = False, connection.alias
            out.append(obj)
        return out


def _notifications_insert(rows, *, ignore_conflicts=False, now=None):
    """INSERT the rows with one statement; returns [(id, recipient_id)] of the rows written (with
    ignore_conflicts, a row a unique constraint refused is left out)."""
    if not rows.messages:
        return []
    now = now or timezone.now()
    meta, qn = Notification._meta, connection.ops.quote_name
    columns = ", ".join(qn(meta.get_field(name).column)  # get_field knows attnames (recipient_id)
                        for name in [*NOTIFICATION_COLUMNS, "created_at"])
    fields = [name for name in NOTIFICATION_COLUMNS if name != "recipient_id"]
    conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    if connection.vendor == "postgresql":
        record = ", ".join(f"{qn(name)} {_MESSAGE_TYPES[name]}" for name in fields)
        select = (f"SELECT r.value::bigint, {', '.join('m.' + qn(name) for name in fields)}, %s "
                  f"FROM json_to_recordset(%s::json) AS m (recipients json, {record}) "
                  f"CROSS JOIN LATERAL json_array_elements_text(m.recipients) AS r (value)")
    else:
        values = ", ".join(f"json_extract(m.value, '$.{name}')" for name in fields)
        select = (f"SELECT r.value, {values}, %s FROM json_each(%s) AS m, "
                  f"json_each(json_extract(m.value, '$.recipients')) AS r WHERE 1")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {qn(meta.db_table)} ({columns}) {select}{conflict} "
                       f"RETURNING {qn('id')}, {qn('recipient_id')}",
                       [connection.ops.adapt_datetimefield_value(now), rows.document()])
        return cursor.fetchall()


def _deliveries_insert(notification_ids, *, now=None):
    """Every wanted channel's delivery of the notifications `notification_ids`, with one INSERT …
    SELECT from their rows; returns the ids of those to send now (pending), for the tasks.

    What each channel wants is asked of the channel itself, for each level and urgency
    (wanted_for and _delivery_for of such a notification), so the SQL says what they say; a
    once_per_batch channel takes the first notification of each batch."""
    if not notification_ids:
        return []
    now = now or timezone.now()
    qn, stamp = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
    table = qn(Notification._meta.db_table)
    selects, params = [], []
    for code, channel in CHANNELS.items():
        wanted, where_params = [], []
        rows = {}
        for urgent in (False, True):
            levels = [str(level) for level in Level if channel.wanted_for(
                Notification(level=level, urgent=urgent or level == Level.URGENT))]
            rows[urgent] = _delivery_for(Notification(urgent=urgent), code, now)
            if levels:
                among = ", ".join(["%s"] * len(levels))
                wanted.append(f"({'' if urgent else 'NOT '}n.urgent AND n.level IN ({among}))")
                where_params += levels
        if not wanted:
            continue
        select_params = [code]
        for column in ("status", "attempts", "next_attempt_at", "sent_at"):
            urgent, normal = (getattr(rows[u], column) for u in (True, False))
            if column in ("next_attempt_at", "sent_at"):
                urgent, normal = stamp(urgent), stamp(normal)
            select_params += [urgent, normal]
        select_params.append(stamp(now))
        ids_params = []
        where = [_ids_in("n.id", notification_ids, ids_params), "(" + " OR ".join(wanted) + ")"]
        where_params = ids_params + where_params
        if channel.once_per_batch:
            where.append(f"n.id IN (SELECT MIN(m.id) FROM {table} m WHERE "
                         f"{_ids_in('m.id', notification_ids, where_params)} GROUP BY m.batch)")
        case = "CASE WHEN n.urgent THEN %s ELSE %s END"
        moment = f"CASE WHEN n.urgent THEN {_stamp_param()} ELSE {_stamp_param()} END"
        selects.append(f"SELECT n.id, %s, {case}, {case}, {moment}, {moment}, '', {_stamp_param()} "
                       f"FROM {table} n WHERE {' AND '.join(where)}")
        params += select_params + where_params
    meta = Delivery._meta
    columns = ", ".join(qn(meta.get_field(name).column) for name in
                        ("notification", "channel", "status", "attempts", "next_attempt_at", "sent_at",
                         "last_error", "created_at"))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {qn(meta.db_table)} ({columns}) {' UNION ALL '.join(selects)} "
                       f"ON CONFLICT DO NOTHING RETURNING {qn('id')}, {qn('status')}", params)
        return sorted(pk for pk, status in cursor.fetchall() if status == DeliveryStatus.PENDING)


def _stamp_param():
    """A timestamp parameter, typed on PostgreSQL (a CASE of two NULLs would be text there)."""
    return "%s::timestamptz" if connection.vendor == "postgresql" else "%s"


def _ids_in(column, ids, params):
    """`column` among `ids`, as one parameter: an array on PostgreSQL, a JSON list on SQLite."""
    if connection.vendor == "postgresql":  # an array literal: one string to quote, not one per id
        params.append("{" + ",".join(map(str, ids)) + "}")
        return f"{column} = ANY(%s::bigint[])"
    params.append(json.dumps(list(ids)))
    return f"{column} IN (SELECT value FROM json_each(%s))"


@transaction.atomic
def notify(*, recipients, title, body, link="", level=Level.INFO, urgent=False, obj=None, key=""):
    """Notify each recipient once; returns the notifications written.

    With `key`, a recipient who already has a notification with that key gets nothing new, so
    a retried caller (or a weekly reminder run every ten minutes) notifies once.
    """
    return _notify(recipients=recipients, title=title, body=body, link=link, level=level,
                   urgent=urgent, key=key, **_target(obj))


@transaction.atomic
def notify_each(messages):
    """Many notify() calls at once (no key, no obj): `messages` is an iterable of dicts with
    recipients, title, body and optionally link, level, urgent. Each message is its own batch;
    all their notifications are written with one INSERT and their deliveries with one INSERT …
    SELECT, whatever their number (a holiday notice may move thousands of deadlines), without a
    model instance per row. Returns the ids of the notifications written."""
    rows = NotificationRows()
    for message in messages:
        rows.add(**message)
    now = timezone.now()
    ids = [pk for pk, _recipient in _notifications_insert(rows, now=now)]
    deliveries_enqueue(_deliveries_insert(ids, now=now))
    return ids


def _notify(*, recipients, key="", **fields):
    """One message to its recipients (with `key`, once per recipient and key: ON CONFLICT DO
    NOTHING on the unique (recipient, key)); returns the Notification objects written."""
    rows = NotificationRows()
    rows.add(recipients=recipients, key=key, **fields)
    now = timezone.now()
    written = _notifications_insert(rows, ignore_conflicts=bool(key), now=now)
    deliveries_enqueue(_deliveries_insert([pk for pk, _recipient in written], now=now))
    return rows.instances(written, now)


def _delivery_for(notification, code, now):
    if code == Channel.IN_APP:
        return Delivery(notification=notification, channel=code, status=DeliveryStatus.SENT,
                        attempts=1, sent_at=now)
    held_until = hold_until(now, urgent=notification.urgent)
    if held_until:
        return Delivery(notification=notification, channel=code, status=DeliveryStatus.HELD,
                        next_attempt_at=held_until)
    return Delivery(notification=notification, channel=code, status=DeliveryStatus.PENDING,
                    next_attempt_at=now)


def deliveries_enqueue(delivery_ids):
    """Queue the deliveries `delivery_ids` once the current transaction commits: one task per
    TASK_BATCH of them (tasks.deliver_batch), not one per e-mail."""
    if delivery_ids:
        transaction.on_commit(lambda: _enqueue_now(list(delivery_ids)))


# Deliveries per deliver_batch task: a sweep's thousands of e-mails are a few dozen tasks.
TASK_BATCH = 200


def _enqueue_now(delivery_ids):
    from .tasks import deliver_batch

    for start in range(0, len(delivery_ids), TASK_BATCH):
        chunk = delivery_ids[start:start + TASK_BATCH]
        try:
            deliver_batch.delay(chunk)
        except Retry:
            continue  # eager mode (tests): the failed attempt is recorded and will be retried
        except Exception:
            if deliver_batch.app.conf.task_always_eager:
                raise  # no broker involved: a bug in the task, not an outage
            # The broker is down: the rows stay pending and deliveries_retry_pending queues them.
            log.exception("could not queue deliveries %s…; they stay pending", chunk[:5])
            return


def deliveries_retry_pending(*, now=None):
    """Queue again the deliveries whose task was lost (broker down, worker killed)."""
    from .delivery import deliveries_due

    ids = deliveries_due(now=now)
    _enqueue_now(ids)
    return len(ids)


@transaction.atomic
def escalation_raise(*, obj, level, recipients, title, body, link="", urgent=False, reason=""):
    """Record that `obj` reached `level` and notify `recipients` — once, whoever calls first.

    Returns the new Escalation, or None when this (object, level) was raised before, in which
    case nobody is notified again. Safe against concurrent callers: the insert races on the
    unique constraint (ON CONFLICT DO NOTHING) and only the winner writes notifications.
    """
    raised = escalations_raise([Raise(obj=obj, level=level, recipients=recipients, title=title, body=body,
                                      link=link, urgent=urgent, reason=reason)])
    return raised[0][1] if raised else None


@dataclass
class Raise:
    """One escalation_raise() call, for escalations_raise(): `obj` is the row it hangs on. A sweep's
    batch may name it by ids instead (obj=None, target=(content type id, object id), matter=(content
    type id, id) of notifications.supervisions.matter_for(obj)), without an instance per row."""

    obj: object
    level: str
    recipients: list = field(default_factory=list)
    title: str = ""
    body: str = ""
    link: str = ""
    urgent: bool = False
    reason: str = ""
    target: tuple = None
    matter: tuple = None


ESCALATION_KEY = ("pk", "content_type_id", "object_id", "level")


@transaction.atomic
def escalations_raise(raises):
    """Many escalation_raise() at once (a sweep's batch): one INSERT … ON CONFLICT DO NOTHING …
    RETURNING for the escalations, then one INSERT for the notifications of exactly those this
    call inserted, and one for their deliveries. The unique (object, level) stays the guard: an
    escalation raised before, or by a concurrent sweep, is left out and notifies nobody.

    The matter (notifications.supervisions.matter_for) is read from each object as given, so the
    caller passes objects whose relations are loaded (a stage's event with its stage set).
    Returns [(raise, escalation)] for the escalations written.
    """
    from .supervisions import matter_for

    wanted = {}
    for item in raises:
        if item.obj is None:  # named by ids (Raise.target, Raise.matter): no instance to read
            target = {"content_type_id": item.target[0], "object_id": item.target[1]}
            matter_type_id, matter_id = item.matter or (None, None)
        else:
            target = _target(item.obj)
            target = {"content_type_id": target["content_type"].pk, "object_id": target["object_id"]}
            matter = matter_for(item.obj)
            matter_type_id = ContentType.objects.get_for_model(matter).pk if matter else None
            matter_id = matter.pk if matter else None
        key = (target["content_type_id"], target["object_id"], str(item.level))
        if key in wanted:
            continue
        wanted[key] = (item, Escalation(
            level=item.level, urgent=item.urgent or item.level == Level.URGENT, title=item.title,
            link=item.link, reason=item.reason, **target, matter_type_id=matter_type_id, matter_id=matter_id))
    created = insert_rows([row for _, row in wanted.values()], ignore_conflicts=True,
                          returning=ESCALATION_KEY)
    pairs = [(wanted[(e.content_type_id, e.object_id, str(e.level))][0], e) for e in created]
    rows = NotificationRows()
    for item, escalation in pairs:
        rows.add(recipients=item.recipients, title=item.title, body=item.body, link=item.link,
                 level=item.level, urgent=escalation.urgent, escalation_id=escalation.pk,
                 content_type_id=escalation.content_type_id, object_id=escalation.object_id)
    now = timezone.now()
    ids = [pk for pk, _recipient in _notifications_insert(rows, now=now)]
    deliveries_enqueue(_deliveries_insert(ids, now=now))
    return pairs


def can_supervise(user):
    return user.is_authenticated and user.has_role(LEADER, ADMIN)


@transaction.atomic
def escalation_supervise(*, escalation, actor, comment, recipients=()):
    """督办 on an escalation: a leader takes it up; everyone it notified (and `recipients`) hears so.

    When the escalation concerns a supervised matter (notifications.supervisions: a stage, a
    demand), this opens a tracked 督办 on it, addressed to its current handlers with a reply
    clock; each person is notified once either way.
    """
    from .supervisions import matter_for, reached_by, supervision_open

    if not can_supervise(actor):
        raise PermissionDenied(gettext("只有委领导和系统管理员可以督办"))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": gettext("请填写督办意见")})
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    escalation.supervised_by, escalation.supervised_at = actor, timezone.now()
    escalation.supervision_comment = comment
    escalation.save(update_fields=["supervised_by", "supervised_at", "supervision_comment"])
    notified = [*reached_by(escalation), *recipients]
    matter = matter_for(escalation.related_object)
    if matter is not None:
        supervision_open(matter=matter, actor=actor, instruction=comment, escalation=escalation,
                         also_tell=notified)
        return escalation
    others = [pk for pk in _recipient_ids(notified) if pk != actor.pk]
    _notify(recipients=others, title=f"督办: {escalation.title}", body=f"{actor} 督办意见: {comment}",
            link=escalation.link, level=escalation.level, urgent=escalation.urgent,
            content_type_id=escalation.content_type_id, object_id=escalation.object_id)
    return escalation


@transaction.atomic
def notification_mark_read(*, notification):
    """Mark read (once: a second call keeps the first time)."""
    now = timezone.now()
    if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
        notification.read_at = now
    return notification


@transaction.atomic
def notification_mark_all_read(*, user):
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


@transaction.atomic
def delivery_retry(*, delivery):
    """Send a failed or held delivery now (an admin's action)."""
    updated = Delivery.objects.filter(
        pk=delivery.pk, status__in=[DeliveryStatus.FAILED, DeliveryStatus.HELD]
    ).update(status=DeliveryStatus.PENDING, next_attempt_at=timezone.now())
    if updated:
        deliveries_enqueue([delivery.pk])
    return bool(updated)
