"""`make bench` cannot rot: a tiny run (2,000 stages, seconds) end to end on its own PostgreSQL
database — data, every figure, the load test's gunicorn — skipped when PostgreSQL is unreachable.
It starts real processes and creates its own database, so it runs once per suite, not per
database the suite runs on (marked integration)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ.get("BENCH_SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hst_bench_smoke")


def _reachable():
    try:
        import psycopg

        with psycopg.connect(URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


@pytest.mark.integration
@pytest.mark.skipif(not _reachable(), reason="PostgreSQL is unreachable")
def test_a_tiny_bench_runs_to_the_end_and_writes_every_figure(tmp_path):
    output = tmp_path / "results.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PORTAL_TESTING")}
    env.update(BENCH_DATABASE_URL=URL, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--scale", "tiny", "--output", str(output)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    results = json.loads(output.read_text())
    assert results["workdays"]["answers_identical"]
    assert results["sweep"]["backlog_level_changes"] > 0 and results["sweep"]["first_statements"] > 0
    assert all(page["status"] == 200 for page in results["reads"].values()), results["reads"]
    # 4 and 16 people reading between pages (locust's between(1, 5)), then 16 that never pause.
    assert [(level["clients"], level["think_s"]) for level in results["load"]] == [
        (4, [1.0, 5.0]), (16, [1.0, 5.0]), (16, None)]
    assert all(level["requests"] > 0 and level["errors"] == 0 for level in results["load"]), results["load"]
    # The server is warmed before the levels (not measured), without errors either.
    assert results["load_warm_up"]["requests"] > 0 and results["load_warm_up"]["errors"] == 0
    assert "| sweep, steady state |" in done.stdout
    # issue 12's targets, each met or missed by how much, in the file and the table
    assert results["targets"] and all(set(t) == {"target", "measured", "met", "missed_by"}
                                      for t in results["targets"])
    assert "| target (issue 12, at SCALE=1m) |" in done.stdout
