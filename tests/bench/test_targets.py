"""Issue 12's targets read off a results file: met, or missed by how much."""

import json

from bench.report import table, targets

RESULTS = {
    "scale": "1m", "stages": 1_000_000, "date": "2026-12-02T09:00:00+08:00", "generate_s": 1.0,
    "machine": {"cpus": 2, "postgresql": "15", "python": "3.11", "django": "5.2"},
    "workdays": {"add_workdays_us": 0.4, "numpy_busday_offset_us": 5.0, "vs_numpy": 12.5,
                 "workdays_between_us": 0.4, "numpy_busday_count_us": 8.0, "find_workday_us": 800.0,
                 "vs_find_workday": 2000.0, "answers_identical": True},
    "sweep": {"backlog_level_changes": 75_000, "first_s": 25.0, "first_statements": 377, "first_floor_s": 3.0,
              "first_vs_floor": 25 / 3, "steady_s": 0.120, "steady_statements": 29, "steady_floor_s": 0.1,
              "steady_vs_floor": 1.2},
    "notice": {"moved": 100_000, "s": 12.0, "statements": 222, "s_for_300k_at_this_rate": 36.0},
    "reads": {"leader dashboard": {"status": 200, "statements": 16, "p50_ms": 60.0, "p95_ms": 80.0,
                                   "replay_p50_ms": 30.0, "vs_replay": 2.0}},
    "load": [{"clients": 16, "think_s": [1.0, 5.0], "seconds": 18.0, "rps": 5.0, "p95_ms": 150.0,
              "errors": 1, "requests": 90}],
}


def test_each_target_met_or_missed_by_how_much():
    found = {t["target"]: t for t in targets(RESULTS)}
    numpy = "add_workdays vs numpy.busday_offset ≥ 10×"
    assert found[numpy] == {"target": numpy, "measured": 12.5, "met": True, "missed_by": None}
    assert found["first sweep vs its bare UPDATEs ≤ 20×"]["met"]
    assert found["first sweep, 300,000 level changes at this rate ≤ 10 s"]["missed_by"] == 10.0  # 100 s
    assert found["steady sweep ≤ 100 ms"]["missed_by"] == 1.2
    assert found["notice, 300,000 deadlines at this rate ≤ 15 s"]["missed_by"] == 2.4
    assert found["leader dashboard statements ≤ 15"]["met"] is False
    assert found["load p95, 16 people ≤ 200 ms"]["met"]
    assert found["load errors, 16 people ≤ 0"]["met"] is False


def test_the_table_says_it():
    text = table(json.loads(json.dumps(RESULTS)))  # as read back from the results file
    assert "| steady sweep ≤ 100 ms | 120 | missed by 1.2× |" in text
    assert "| add_workdays vs chinese_calendar.find_workday ≥ 1000× | 2,000 | met |" in text
