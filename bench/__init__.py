"""`make bench`: the hot paths measured on their own PostgreSQL database, each beside its floor.

    python -m bench --scale tiny|100k|1m        (make bench SCALE=100k)

Creates BENCH_DATABASE_URL's database (dropped first if it exists, and at the end), migrates it,
generates data by COPY in batches (bench.data), then measures (bench.measure, bench.load) and
prints a table, also written to var/bench/results.json with the machine, versions and date.
"""

import math

SCALES = {"tiny": 2_000, "100k": 100_000, "1m": 1_000_000}
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hst_bench"


def percentile(values, q):
    """The nearest-rank percentile (the smallest value with at least q of them at or below it),
    the one definition every figure of the bench uses: p50 of [a, b] is a, p95 is b."""
    values = sorted(values)
    if not values:
        return 0.0
    return values[min(max(math.ceil(q * len(values)) - 1, 0), len(values) - 1)]
