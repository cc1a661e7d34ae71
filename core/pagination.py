"""Pages of a list: plain page numbers for the small lists, keyset (cursor) pages for the big ones.

`paginate` is Django's Paginator: ?page=N, an exact COUNT and an OFFSET. Both grow with the rows,
so at a province's millions of stages the big lists use `keyset` instead: ?after= / ?before=
carry the sort values of the row a page ends (starts) at, and the next page is the rows past it,
read through the same index as page 1 — no OFFSET, so page 500 costs what page 1 costs. The count
beside it stops at COUNT_CAP + 1 rows ("共 10,000+ 条"); under the cap it is exact, and a page
past the cap needs no COUNT at all.

A keyset list's order_by must be a total order: its last term a unique key (the pk). Any term may
be an expression (the to-do lists' urgency rank) or nullable (a stage not yet accepted has no
due_on); NULLs sort where the list puts them (nulls_first / nulls_last, else the database's
default). A cursor is opaque to users, not a secret: it only says where in their own, already
scoped, list a page starts, so a forged one shows them their own rows; a bad one is page 1.
"""

import base64
import binascii
import datetime as dt
import json
import math
from decimal import Decimal

from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Case, F, Func, IntegerField, OrderBy, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThan

COUNT_CAP = 10_000
_MAX_POSITION = 10**9
_NEVER = Q(pk__in=[])


def paginate(request, rows, per_page):
    """The page of `rows` that ?page= asks for (the last one when it is past the end)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def keyset(request, rows, per_page, *, cap=COUNT_CAP):
    """The page of `rows` that ?after= / ?before= asks for; page 1 without (or with a bad) cursor."""
    return KeysetPaginator(rows, per_page, cap=cap).page_for(request.GET)


def capped_count(rows, cap=COUNT_CAP):
    """How many rows, counting no further than cap + 1: a LIMITed subquery of bare pks."""
    return rows.order_by().values("pk")[:cap + 1].count()


class _Term:
    """One order_by term: its expression (annotated as `alias`), direction and where NULLs go."""

    def __init__(self, alias, expression, descending, nulls_after):
        self.alias, self.expression = alias, expression
        self.descending, self.nulls_after = descending, nulls_after
        self.nullable, self.field = True, None

    def after(self, value):
        """Rows strictly past `value` in this term's order."""
        if value is None:
            return _NEVER if self.nulls_after else Q(**{f"{self.alias}__isnull": False})
        past = Q(**{f"{self.alias}__{'lt' if self.descending else 'gt'}": value})
        return past | Q(**{f"{self.alias}__isnull": True}) if self.nulls_after and self.nullable else past

    def not_before(self, value):
        """Rows at or past `value`: the bound that lets an index range start at the cursor."""
        if value is None:
            return Q(**{f"{self.alias}__isnull": True}) if self.nulls_after else Q()
        at = Q(**{f"{self.alias}__{'lte' if self.descending else 'gte'}": value})
        return at | Q(**{f"{self.alias}__isnull": True}) if self.nulls_after and self.nullable else at

    def reversed(self):
        return _Term(self.alias, self.expression, not self.descending, not self.nulls_after)


def _past(terms, values):
    """Rows past the cursor row, nested so that each level carries its own range bound:
    k0 ≥ v0 AND (k0 > v0 OR (k1 ≥ v1 AND (k1 > v1 OR …)))."""
    (term, *rest), (value, *more) = terms, values
    if not rest:
        return term.after(value)
    return term.not_before(value) & (term.after(value) | _past(rest, more))


def _nulls_large(vendor):
    """Where the database puts NULLs when the order does not say: PostgreSQL and Oracle sort them
    as the largest value, SQLite and MySQL as the smallest."""
    return vendor in ("postgresql", "oracle")


def _row_past(terms, values):
    """The rows past the cursor as one row comparison, (k0, k1, …) > (v0, v1, …), for PostgreSQL
    when every term sorts one way and none can be NULL: an index holding the terms in that order
    starts its range at the cursor, where the nested form's OR branches are only filters."""
    row = Func(*(F(term.alias) for term in terms), function="ROW", output_field=IntegerField())
    cursor = Func(*(Value(value, output_field=term.field) for term, value in zip(terms, values, strict=True)),
                  function="ROW", output_field=IntegerField())
    return LessThan(row, cursor) if terms[0].descending else GreaterThan(row, cursor)


def _nullable(expression):
    """Whether a sort value may be NULL: a column as its field says, a constant when it is None, a
    CASE of constants when one of them is NULL (the to-do lists' urgency rank is not), a COALESCE
    when each of its parts may be, anything else to be safe."""
    target = getattr(expression, "target", None)
    if target is not None:
        return target.null
    if isinstance(expression, Value):
        return expression.value is None
    if isinstance(expression, Coalesce):
        return all(_nullable(part) for part in expression.get_source_expressions())
    if isinstance(expression, Case):
        results = [when.result for when in expression.cases] + [expression.default]
        return not all(isinstance(result, Value) and result.value is not None for result in results)
    return True


def _terms(rows):
    query = rows.query
    if not query.order_by:
        raise ImproperlyConfigured("keyset pagination needs an explicit order_by ending in a unique key")
    large = _nulls_large(connections[rows.db].vendor)
    last = query.order_by[-1]
    last_name = getattr(getattr(last, "expression", last), "name", last)
    if last_name.lstrip("-") not in ("pk", rows.model._meta.pk.name):
        raise ImproperlyConfigured("keyset pagination needs an order_by whose last term is the pk")
    terms = []
    for index, term in enumerate(query.order_by):
        if isinstance(term, str):
            name = term.lstrip("-")
            term = OrderBy(F(rows.model._meta.pk.name if name == "pk" else name),
                           descending=term.startswith("-"))
        elif not isinstance(term, OrderBy):
            term = OrderBy(term)
        if term.nulls_first or term.nulls_last:
            nulls_after = bool(term.nulls_last)
        else:
            nulls_after = large != term.descending
        made = _Term(f"_keyset_{index}", term.expression, term.descending, nulls_after)
        terms.append(made if query.standard_ordering else made.reversed())
    return terms


def _no_constant(name):
    raise ValueError(f"{name} is not a cursor value")  # json.loads would take NaN and Infinity


class _Cursor:
    """Where a page starts or ends: the sort values of that row and its position in the list."""

    @staticmethod
    def encode(values, position):
        plain = [value.isoformat() if isinstance(value, (dt.date, dt.datetime, dt.time)) else
                 str(value) if isinstance(value, Decimal) else value for value in values]
        text = json.dumps({"v": plain, "n": position}, separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @staticmethod
    def decode(token, terms):
        """(values, position), or None for anything that is not a cursor of this list."""
        if not token or len(token) > 2000:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)),
                              parse_constant=_no_constant)
            values, position = data["v"], data["n"]
            if (not isinstance(values, list) or type(position) is not int or len(values) != len(terms)
                    or not 0 <= position <= _MAX_POSITION):
                return None
            return [None if value is None else _Cursor._value(term.field, value)
                    for term, value in zip(terms, values, strict=False)], position
        except (binascii.Error, ValueError, TypeError, KeyError, AttributeError, ValidationError,
                OverflowError, RecursionError):  # 1e999 or Infinity; a token of nested brackets
            return None

    @staticmethod
    def _value(field, value):
        """A cursor's value as its column's type, within the column's range: a forged one must not
        reach the database as an out-of-range integer or a NUL byte (a 500, not page 1)."""
        if (not isinstance(value, (str, int, float))
                or isinstance(value, float) and not math.isfinite(value)
                or isinstance(value, str) and "\x00" in value):
            raise ValueError("not a cursor value")
        value = field.to_python(value)
        field.run_validators(value)
        return value


class KeysetPaginator:
    """What the snippet reads as `page.paginator`: the capped count, and the whole list as
    object_list (what a test or a drill-down compares against; never read by the page itself)."""

    def __init__(self, rows, per_page, *, cap=COUNT_CAP):
        self.object_list, self.per_page, self.cap = rows, per_page, cap
        self.terms = _terms(rows)
        self.rows = rows.annotate(**{term.alias: term.expression for term in self.terms})
        for term in self.terms:
            try:
                field = self.rows.query.annotations[term.alias]
                term.field = field.output_field
            except (FieldError, AttributeError) as error:
                raise ImproperlyConfigured(f"keyset pagination cannot read {term.expression!r}") from error
            term.nullable = _nullable(field)
        self.row_compare = (connections[rows.db].vendor == "postgresql"
                            and len({term.descending for term in self.terms}) == 1
                            and not any(term.nullable for term in self.terms))
        self._count = None

    def _past(self, terms, values):
        return _row_past(terms, values) if self.row_compare else _past(terms, values)

    @property
    def count(self):
        """Exact up to the cap; cap + 1 means "more than the cap" (capped is then true)."""
        if self._count is None:
            self._count = capped_count(self.object_list, self.cap)
        return self._count

    @property
    def capped(self):
        return self.count > self.cap

    @property
    def total(self):
        """The count as the page shows it: exact, or "10,000+" past the cap."""
        return f"{self.cap:,}+" if self.capped else self.count

    @property
    def num_pages(self):
        """Known when the count is exact; None past the cap."""
        return None if self.capped else max(1, math.ceil(self.count / self.per_page))

    def cursor_at(self, position):
        """The ?after= of the page starting at `position` (0-based): found once with an OFFSET, for a
        link into the middle of a list (the benchmark's deep page), never by the pages themselves."""
        if position <= 0:
            return None
        found = list(self.rows[position - 1:position])
        return _Cursor.encode(self.values(found[0]), position) if found else None

    def page_for(self, params):
        before = _Cursor.decode(params.get("before"), self.terms)
        if before is not None:
            page = self._before(*before)
            if page is not None:
                return page
        after = _Cursor.decode(params.get("after"), self.terms) if before is None else None
        if after is not None:
            return self._after(*after)
        return self._first()

    def values(self, row):
        return [getattr(row, term.alias) for term in self.terms]

    def _first(self):
        # A one-page list still runs its (small) COUNT: a page's statements do not vary with its rows.
        found = list(self.rows[:self.per_page + 1])
        return KeysetPage(self, found[:self.per_page], start=0, has_previous=False,
                          has_next=len(found) > self.per_page)

    def _seen(self, page):
        """A page past the cap already proves the list is longer than the cap: no COUNT then."""
        if page.end_index() + page.has_next() > self.cap:
            self._count = self.cap + 1
        return page

    def _after(self, values, position):
        found = list(self.rows.filter(self._past(self.terms, values))[:self.per_page + 1])
        return self._seen(KeysetPage(self, found[:self.per_page], start=position, has_previous=True,
                                     has_next=len(found) > self.per_page))

    def _before(self, values, position):
        """The page ending just before the cursor row, read backwards; None when fewer rows than a
        page precede it (rows went away, or a forged position): then the caller shows page 1."""
        backwards = [term.reversed() for term in self.terms]
        found = list(self.rows.reverse().filter(self._past(backwards, values))[:self.per_page + 1])
        if len(found) < self.per_page:
            return None
        rows = list(reversed(found[:self.per_page]))
        has_previous = len(found) > self.per_page
        start = max(0, position - self.per_page) if has_previous else 0
        return self._seen(KeysetPage(self, rows, start=start,
                                     has_previous=has_previous, has_next=True))


class KeysetPage:
    """One page, shaped like Django's Page where the templates read it (object_list, number,
    start_index, end_index, has_next…), with cursors instead of page numbers for the links."""

    keyset = True

    def __init__(self, paginator, object_list, *, start, has_previous, has_next):
        self.paginator, self.object_list = paginator, object_list
        self.start, self._has_previous, self._has_next = start, has_previous, has_next
        # Taken now: a view may swap object_list for its own row objects.
        end = start + len(object_list)
        self.next_cursor = _Cursor.encode(paginator.values(object_list[-1]), end) if has_next else None
        self.previous_cursor = (_Cursor.encode(paginator.values(object_list[0]), start)
                                if has_previous and object_list else None)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self._has_previous

    def has_other_pages(self):
        return self._has_next or self._has_previous

    @property
    def number(self):
        return self.start // self.paginator.per_page + 1

    def start_index(self):
        return self.start + 1 if self.object_list else 0

    def end_index(self):
        return self.start + len(self.object_list)
