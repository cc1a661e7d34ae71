"""The results as a table: each figure beside its floor, then issue 12's targets, each met or
missed by how much (also in the results file, `targets`)."""

# (what, measured, limit, unit): met when measured <= limit, or >= for the "at least" ones.
PAGE_P95_MS, PAGE_VS_REPLAY, DASHBOARD_STATEMENTS = 150, 3.0, 15


def targets(r):
    """Issue 12's targets against the results: [{target, measured, met, missed_by}], where
    missed_by is measured / limit (limit / measured for an "at least") when not met, else None."""
    w, s, n = r["workdays"], r["sweep"], r["notice"]
    found = []

    def at_most(what, measured, limit, unit=""):
        met = measured <= limit
        found.append({"target": f"{what} ≤ {limit:g}{unit}", "measured": round(measured, 3), "met": met,
                      "missed_by": None if met else round(measured / max(limit, 1e-9), 2)})

    def at_least(what, measured, limit, unit=""):
        met = measured >= limit
        found.append({"target": f"{what} ≥ {limit:g}{unit}", "measured": round(measured, 3), "met": met,
                      "missed_by": None if met else round(limit / max(measured, 1e-9), 2)})

    at_least("add_workdays vs numpy.busday_offset", w["vs_numpy"], 10, "×")
    at_least("add_workdays vs chinese_calendar.find_workday", w["vs_find_workday"], 1000, "×")
    at_most("first sweep vs its bare UPDATEs", s["first_vs_floor"], 20, "×")
    at_most("first sweep, 300,000 level changes at this rate",
            s["first_s"] * 300_000 / max(s["backlog_level_changes"], 1), 10, " s")
    at_most("steady sweep", s["steady_s"] * 1e3, 100, " ms")
    at_most("notice, 300,000 deadlines at this rate", n["s_for_300k_at_this_rate"], 15, " s")
    for name, page in r["reads"].items():
        at_most(f"{name} p95", page["p95_ms"], PAGE_P95_MS, " ms")
        at_most(f"{name} vs its replayed statements", page["vs_replay"], PAGE_VS_REPLAY, "×")
    dashboard = r["reads"].get("leader dashboard")
    if dashboard:
        at_most("leader dashboard statements", dashboard["statements"], DASHBOARD_STATEMENTS)
    for level in r["load"]:
        who = f"{level['clients']} {'people' if level.get('think_s') else 'clients without pause'}"
        at_most(f"load errors, {who}", level["errors"], 0)
        if level["clients"] == 16 and level.get("think_s"):
            at_most(f"load p95, {who}", level["p95_ms"], 200, " ms")
    return found


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
    lines += ["", "| target (issue 12, at SCALE=1m) | measured | |", "|---|---|---|"]
    for t in r.get("targets") or targets(r):
        verdict = "met" if t["met"] else f"missed by {t['missed_by']:g}×"
        measured = t["measured"]
        lines.append(f"| {t['target']} | {measured:,.0f} | {verdict} |" if abs(measured) >= 100
                     else f"| {t['target']} | {measured:.3g} | {verdict} |")
    return "\n".join(lines)
