"""Moving warning levels set-based, acting only on rows this call moved (healthchecks style).

A domain sweep never loops over every open row: it asks the database which rows cross a line,
moves them with one conditional UPDATE, and raises escalations for exactly those rows. Two
sweeps at once cannot both move (and so both notify for) the same row.
"""

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from workdays import add_workdays, workdays_back, workdays_between

# Rows per statement in a sweep: the statements of a run grow with batches, never with rows.
BATCH = 2000


def escalate_after():
    """Working days a clock may stay red before the committee leaders hear of it."""
    return settings.ESCALATE_AFTER_WORKDAYS


class WarningLevel(models.TextChoices):
    """The level a watched clock (a stage, a demand node) stands at; the sweep moves it."""

    GREEN = "green", _("正常")
    YELLOW = "yellow", _("黄牌预警")
    RED = "red", _("红牌超期")
    ESCALATED = "escalated", _("提级督办")


def move_level(*, queryset, to_level, from_levels, field="warning_level", values=None):
    """UPDATE queryset's rows whose `field` is in `from_levels` to `to_level`; return their pks.

    `values` sets more fields in the same UPDATE (e.g. {"red_since": today}). The rows are moved
    batch by batch (move_batches); a sweep that raises escalations should walk the batches itself,
    so that it never holds more than one batch in memory.
    """
    return [pk for batch in move_batches(queryset=queryset, to_level=to_level, from_levels=from_levels,
                                         field=field, values=values) for pk in batch]


def move_batches(*, queryset, to_level, from_levels, field="warning_level", values=None, batch=BATCH):
    """Move queryset's rows at `from_levels` to `to_level`, `batch` rows per statement; yield the
    pks each statement moved (healthchecks' conditional UPDATE, set-based).

    Inside a transaction (a sweep): one SELECT pk … FOR UPDATE OF the table SKIP LOCKED finds the rows
    crossing the line, then one UPDATE … WHERE pk = ANY(batch) AND level IN (from_levels) RETURNING
    pk per batch. Rows another transaction holds locked (a user acting on them right now) are
    skipped on PostgreSQL and picked up by the next sweep; on SQLite writers are serialised (BEGIN
    IMMEDIATE), so the same statements without the lock clause are exact. The conditional UPDATE
    returns only rows still at `from_levels`: what this call moved. Alone (autocommit), each batch
    is UPDATE … WHERE pk IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED), its own transaction, until a
    batch comes back short. Call it inside the transaction that also raises the escalations, so
    both happen or neither does.
    """
    model = queryset.model
    meta, qn = model._meta, connection.ops.quote_name
    from_levels = [str(level) for level in from_levels]
    changes = {field: to_level, **(values or {})}
    sets = [(meta.get_field(name), value) for name, value in changes.items()]
    level_column = qn(meta.get_field(field).column)
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    assignments = ", ".join(f"{qn(f.column)} = %s" for f, _ in sets)
    set_params = [f.get_db_prep_save(value, connection) for f, value in sets]
    in_levels = ", ".join(["%s"] * len(from_levels))
    # ORDER BY pk + 0, not pk: with a bare pk order and a LIMIT, PostgreSQL walks the primary key
    # hoping to meet the rows early, and when none crosses the line (the steady state) it reads the
    # whole table (0.8 s at 1M stages); pk + 0 keeps it on the partial index of the line (due_on,
    # limit_due_on) and sorts the rows found.
    candidates = (queryset.filter(**{f"{field}__in": from_levels}).order_by(F("pk") + 0)
                  .values_list("pk", flat=True))
    if connection.features.has_select_for_update_skip_locked:
        candidates = candidates.select_for_update(skip_locked=True, of=("self",))
    if connection.in_atomic_block:
        # In the caller's transaction: the rows crossing the line are found (and locked) once, then
        # moved `batch` at a time by id; before, each batch searched the line again (a backlog's
        # yellow window at 1M: 19 scans of 60,000 rows).
        try:
            found = list(candidates)
        except EmptyResultSet:  # e.g. filter(pk__in=[]): nothing can move
            return
        for start in range(0, len(found), batch):
            params = [*set_params]
            where = _ids_in(pk, found[start:start + batch], params)
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET {assignments} WHERE {where} "
                               f"AND {level_column} IN ({in_levels}) RETURNING {pk}", [*params, *from_levels])
                ids = sorted(row[0] for row in cursor.fetchall())
            if ids:
                yield ids
        return
    while True:
        # Alone (autocommit), each batch is its own transaction (FOR UPDATE needs one).
        with transaction.atomic():
            try:
                inner, inner_params = candidates[:batch].query.sql_with_params()
            except EmptyResultSet:
                return
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET {assignments} WHERE {pk} IN ({inner}) "
                               f"AND {level_column} IN ({in_levels}) RETURNING {pk}",
                               [*set_params, *inner_params, *from_levels])
                ids = sorted(row[0] for row in cursor.fetchall())
        if ids:
            yield ids
        if len(ids) < batch:
            return


def _ids_in(column, ids, params):
    from .services import _ids_in

    return _ids_in(column, ids, params)


def warning_due(rows, today, threshold_field, thresholds=None, due=None):
    """Rows not overdue with workdays_between(today, due_on) <= their threshold (yellow).

    For a threshold t that is today <= due_on < add_workdays(today, t + 1). add_workdays needs
    the in-memory calendar, which SQL cannot see, so it is computed once per distinct threshold (a
    handful: the policy tables' values) and the rows are filtered in SQL, one range of due_on per
    threshold. `thresholds` may name them: any superset of the values the rows hold is exact (a
    threshold no row holds adds a range that matches nothing), e.g. read from a small table or
    with distinct_values() from an index; or a mapping {threshold: Q of the rows holding it} when
    the threshold is not a column of the rows (e.g. Q(policy__in=[…]): no join per row, and an
    index on (policy, due_on) bounds each range). Otherwise they are read from the rows.

    `due` is an expression equal to due_on on the rows (by default due_on itself) that the lines
    compare instead, so that an index over that expression alone serves them (approvals.sweep).
    """
    if due is not None:
        rows = rows.alias(sweep_due_on=due)
    due = "sweep_due_on" if due is not None else "due_on"
    rows = rows.filter(**{f"{due}__gte": today})
    if thresholds is None:
        thresholds = rows.order_by().values_list(threshold_field, flat=True).distinct()
    if not isinstance(thresholds, dict):
        thresholds = {t: Q(**{threshold_field: t}) for t in set(thresholds)}
    lines = {t: add_workdays(today, t + 1) for t in thresholds}
    if not lines:
        return rows.none()
    within = Q(pk__in=[])
    for t, holding in thresholds.items():
        # Each range bounded on both sides, so that an index on (threshold, due_on) reads only it.
        within |= holding & Q(**{f"{due}__gte": today, f"{due}__lt": lines[t]})
    # The farthest line bounds the index range on due_on; the OR alone would not.
    return rows.filter(within, **{f"{due}__lt": max(lines.values())})


def distinct_values(queryset, field):
    """The distinct non-null values of `field` over queryset's rows, in one statement.

    A loose index scan (PostgreSQL 15 has no skip scan): a recursive query asks for the smallest
    value above the last one found, so that with an index leading with `field` (partial on the
    queryset's filter) it reads one index entry per distinct value, not every row. Exact on any
    database; only its cost needs the index.
    """
    inner = queryset.order_by().annotate(sweep_value=F(field)).values_list("sweep_value")
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE found(v) AS ("
            f"SELECT MIN(q.sweep_value) FROM ({sql}) q "
            f"UNION ALL SELECT (SELECT MIN(q.sweep_value) FROM ({sql}) q WHERE q.sweep_value > found.v) "
            f"FROM found WHERE found.v IS NOT NULL) "
            f"SELECT v FROM found WHERE v IS NOT NULL", [*params, *params])
        rows = cursor.fetchall()
    field = inner.query.annotations["sweep_value"].output_field
    return [field.to_python(row[0]) for row in rows]  # e.g. SQLite's dates come back as text


def drop_moved_entries(queryset):
    """Once the transaction that moved rows out of a partial index on green clocks (a yellow step)
    has committed, read `queryset` (that index's ranges) by a plain index scan: it marks the moved
    rows' old entries dead in the index. The steps' own reads are bitmap scans, which never do, so
    each following sweep would fetch every one of them from the heap until VACUUM (at 1M, after a
    backlog: 0.45 s for the stage yellow step, 3 ms once they are gone). PostgreSQL only. The
    caller registers it with transaction.on_commit, after a run that moved rows."""
    if connection.vendor != "postgresql":
        return
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")  # nor a scan of the table,
        cursor.execute("SET LOCAL enable_seqscan = off")  # which leaves the index as it is
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) moved", params)


def long_overdue(overdue_rows, today):
    """Of rows already overdue (each domain's queryset.overdue(today): its one definition of
    red), those red for escalate_after() working days or more (escalated)."""
    return overdue_rows.filter(due_on__lte=workdays_back(today, escalate_after()))


def describe_due(due_on, today):
    """The sentence a warning reads: how many working days are left, or how many are over."""
    due = f"{due_on:%Y-%m-%d}"
    if today <= due_on:
        return f"剩余 {workdays_between(today, due_on)} 个工作日, 应于 {due} 前办结。"
    over = workdays_between(due_on, today)
    return (f"已超期 {over} 个工作日" if over else "已超过办结期限") + f"(应于 {due} 前办结)。"
