"""The layering rules of docs/architecture.md, checked on the source: imports point one way, and
statuses are spelled only in the choices modules."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ["accounts", "workdays", "notifications", "enterprises", "commissioners", "approvals", "dashboard"]
# app -> the apps of ours it may import (core is the ground floor; portal is the top).
MAY_IMPORT = {
    "core": set(),
    "accounts": {"core"},
    "audit": {"core"},  # security events from signals and responses; no app imports it
    "workdays": {"core", "accounts"},
    "notifications": {"core", "accounts", "workdays"},
    "enterprises": {"core", "accounts", "workdays", "notifications"},
    "commissioners": {"core", "accounts", "workdays", "notifications", "enterprises"},
    "approvals": {"core", "accounts", "workdays", "notifications", "enterprises", "commissioners"},
    "dashboard": {"core", "accounts", "workdays", "notifications", "enterprises", "commissioners",
                  "approvals"},
}
OURS = set(MAY_IMPORT) | {"portal"}


def _sources(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _imported_apps(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in OURS:
                yield top, node.lineno


def test_imports_point_one_way_and_no_app_imports_portal():
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {top}"
             for app, allowed in MAY_IMPORT.items() for path in _sources(app)
             for top, line in _imported_apps(path) if top != app and top not in allowed]
    assert wrong == []


STATUS_VALUES = ("draft|submitted|in_approval|completed|rejected|withdrawn|waiting|pending|accepted|"
                 "in_review|"
                 "supplement_requested|paused|approved|cancelled|returned|reviewed|dispatched|in_progress|"
                 "answered|closed|superseded|agree|disagree")
# A status compared, filtered on or assigned as a literal: `status == "closed"`, `status="x"`,
# `status__in=["a", …]`, `opinion != "agree"`.
LITERAL = re.compile(rf"""(status|opinion)\w*\s*(==|!=|=|\s+in)\s*[\[(]?\s*["']({STATUS_VALUES})["']""")


def test_no_status_is_spelled_outside_the_choices_modules():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for app in ("approvals", "commissioners", "dashboard", "notifications", "portal", "core")
             for path in _sources(app) if path.name != "choices.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if LITERAL.search(line)]
    assert found == []
