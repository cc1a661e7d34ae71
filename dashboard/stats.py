"""Medians and 90th percentiles counted in SQL where the database can (PostgreSQL's
percentile_cont), exactly in Python where it cannot (SQLite), with the same interpolation, so the
figures are equal on both."""

from decimal import Decimal

from django.db import connection
from django.db.models import Aggregate, FloatField

POINTS = (0.5, 0.9)


class PercentileCont(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def percentile_of(values, fraction):
    """percentile_cont over sorted values: linear interpolation between the closest ranks."""
    if not values:
        return None
    position = fraction * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return float(values[low] + (values[high] - values[low]) * (position - low))


def percentiles(rows, field, group=None):
    """{group value: (median, p90)} of `field` over the queryset `rows` (None values left out);
    one query. Without `group`, the key is None."""
    rows = rows.filter(**{f"{field}__isnull": False}).order_by()
    if connection.vendor == "postgresql":
        points = {"p50": PercentileCont(field, 0.5), "p90": PercentileCont(field, 0.9)}
        if group:
            found = [(row[group], row["p50"], row["p90"]) for row in rows.values(group).annotate(**points)]
        else:
            row = rows.aggregate(**points)
            found = [(None, row["p50"], row["p90"])] if row["p50"] is not None else []
        return {key: (one_decimal(p50), one_decimal(p90)) for key, p50, p90 in found}
    values = {}
    for key, value in rows.values_list(group or "pk", field):
        values.setdefault(key if group else None, []).append(value)
    return {key: percentiles_in_python(found) for key, found in values.items()}


def with_percentiles(rows, field, group, **aggregates):
    """{group value: {**aggregates, "p50": median, "p90": 90th percentile of `field`}} over the
    queryset `rows`: on PostgreSQL one grouped statement (the counts beside the percentiles, one
    pass over the rows), on SQLite the counts and then percentiles() (two)."""
    rows = rows.order_by()
    if connection.vendor == "postgresql":
        found = rows.values(group).annotate(**aggregates, p50=PercentileCont(field, 0.5),
                                            p90=PercentileCont(field, 0.9))
        return {row.pop(group): {**row, "p50": one_decimal(row["p50"]), "p90": one_decimal(row["p90"])}
                for row in found}
    spread, found = percentiles(rows, field, group), {}
    for row in rows.values(group).annotate(**aggregates):
        key = row.pop(group)
        found[key] = {**row, "p50": spread.get(key, (None, None))[0], "p90": spread.get(key, (None, None))[1]}
    return found


def percentiles_of_counts(counts):
    """(median, p90) of values given as [(value, how many times)], as percentiles_in_python gives
    them for the values written out (a small integer's distribution, read grouped by value, sorts
    nothing)."""
    ordered = sorted((value, n) for value, n in counts if value is not None and n)
    total = sum(n for _value, n in ordered)
    if not total:
        return None, None

    def at(rank):  # the value at this 0-based rank of the sorted values
        seen = 0
        for value, n in ordered:
            seen += n
            if rank < seen:
                return value
        return ordered[-1][0]

    found = []
    for fraction in POINTS:
        position = fraction * (total - 1)
        low = int(position)
        high = min(low + 1, total - 1)
        found.append(one_decimal(float(at(low) + (at(high) - at(low)) * (position - low))))
    return tuple(found)


def percentiles_in_python(values):
    """(median, p90) of numbers already in memory (figures counted on the working-day calendar)."""
    ordered = sorted(values)
    return one_decimal(percentile_of(ordered, 0.5)), one_decimal(percentile_of(ordered, 0.9))


def one_decimal(value):
    return None if value is None else round(float(value), 1)


def rate(part, whole):
    """part / whole in percent, one decimal; None (shown "—") when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


YI = Decimal(100_000_000)  # 亿元


def yi(amount):
    """An amount in yuan as 亿元, two decimals (nothing counts as 0)."""
    return float(round((amount or Decimal(0)) / YI, 2))
