"""The results as a table: each figure beside its floor (or its target)."""


def table(r):
    w, s, n = r["workdays"], r["sweep"], r["notice"]
    m = r["machine"]
    lines = [
        f"护商通 bench · scale {r['scale']} ({r['stages']:,} stages) · {r['date']} · {m['cpus']} CPUs · "
        f"PostgreSQL {m['postgresql']} · Python {m['python']} · Django {m['django']}",
        f"data generated in {r['generate_s']:.0f} s",
        "",
        "| figure | measured | floor | ratio |",
        "|---|---|---|---|",
    ]

    def row(name, value, floor="", ratio=""):
        lines.append(f"| {name} | {value} | {floor} | {ratio} |")

    row(
        "add_workdays µs/call",
        f"{w['add_workdays_us']:.2f}",
        f"numpy.busday_offset {w['numpy_busday_offset_us']:.2f}",
        f"{w['vs_numpy']:.1f}× faster",
    )
    row(
        "workdays_between µs/call",
        f"{w['workdays_between_us']:.2f}",
        f"numpy.busday_count {w['numpy_busday_count_us']:.2f}",
        f"{w['numpy_busday_count_us'] / w['workdays_between_us']:.1f}× faster",
    )
    row(
        "add_workdays vs find_workday",
        f"{w['add_workdays_us']:.2f}",
        f"chinese_calendar.find_workday {w['find_workday_us']:.0f}",
        f"{w['vs_find_workday']:,.0f}× faster",
    )
    row("answers identical", str(w["answers_identical"]))
    row(
        f"sweep, first after a backlog ({s['backlog_level_changes']:,} level changes)",
        f"{s['first_s']:.2f} s, {s['first_statements']} statements",
        f"bare UPDATEs {s['first_floor_s']:.3f} s",
        f"{s['first_vs_floor']:.0f}×",
    )
    row(
        "sweep, steady state",
        f"{s['steady_s'] * 1e3:.0f} ms, {s['steady_statements']} statements",
        f"bare UPDATEs {s['steady_floor_s'] * 1e3:.0f} ms",
        f"{s['steady_vs_floor']:.1f}×",
    )
    written = (f" ({n['notifications']:,} notifications, {n['deliveries']:,} deliveries)"
               if "notifications" in n else "")
    at_300k = n.get("s_for_300k_at_this_rate")
    row(f"notice moving {n['moved']:,} deadlines{written}", f"{n['s']:.2f} s, {n['statements']} statements",
        "", f"300,000 at this rate: {at_300k:.1f} s" if at_300k is not None else "")
    if "summary" in r:
        row(f"dashboard summary rebuilt ({r['summary']['rows']:,} rows)", f"{r['summary']['s']:.2f} s")
    for name, p in r["reads"].items():
        row(
            f"{name} ({p['status']}, {p['statements']} statements)",
            f"p50 {p['p50_ms']:.0f} ms / p95 {p['p95_ms']:.0f} ms",
            f"replay {p['replay_p50_ms']:.0f} ms",
            f"{p['vs_replay']:.1f}×",
        )
    if "load_warm_up" in r:
        warm = r["load_warm_up"]
        row(f"load warm-up, not measured, {warm['seconds']:.0f} s",
            f"{warm['requests']} requests, {warm['errors']} errors")
    for level in r["load"]:
        think = level.get("think_s")
        who = (f"{level['clients']} people reading {think[0]:g}–{think[1]:g} s between pages" if think
               else f"{level['clients']} clients that never pause (capacity)")
        row(
            f"load, {who}, {level['seconds']:.0f} s",
            f"{level['rps']:.1f} req/s, p95 {level['p95_ms']:.0f} ms, {level['errors']} errors "
            f"of {level['requests']}",
        )
    return "\n".join(lines)
