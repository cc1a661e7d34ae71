"""Schemathesis against the live test server: every operation, with a seeded token for each role
and anonymously. No 5xx, and every response conforms to the schema (status code, content type,
body). Bounded: a few examples per operation and role (FUZZ_EXAMPLES, default 4)."""

import os
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

from accounts.tokens import token_issue

ROLES = ("alice", "bob", "carol", "gary", "betty", "wendy", "adam", "leo", "root")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
# Revoking tokens at random would only revoke the run's own credentials (tests/api/test_auth.py).
SKIP = {("DELETE", "/api/v1/auth/tokens/{id}/")}


def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [not_a_server_error, status_code_conformance, content_type_conformance,
            response_schema_conformance]


def _run(operation, base_url, headers, checks, failures, who, seen):
    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        seen[response.status_code // 100 * 100] += 1
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except Exception as exc:  # collected: one report for the whole run
            failures.append(f"{who} {operation.method.upper()} {operation.path}: {exc}"[:2000])

    check()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_5xx_and_no_schema_violation(live_server, client, personas, approvers, world,
                                                           settings, tmp_path):
    import schemathesis

    settings.MEDIA_ROOT = tmp_path / "media"
    schema = schemathesis.openapi.from_dict(client.get("/api/schema/?format=json").json())
    tokens = {role: token_issue(user=getattr(personas, role), name="fuzz")[1] for role in ROLES}
    who = {None: {}, **{role: {"Authorization": f"Token {key}"} for role, key in tokens.items()}}
    checks, failures, started, operations, seen = _checks(), [], time.monotonic(), 0, Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        operations += 1
        for role, headers in who.items():
            _run(operation, live_server.url, headers, checks, failures, role or "anonymous", seen)
    print(f"schemathesis: {operations} operations, responses by class {dict(seen)}, "
          f"{time.monotonic() - started:.0f} s")
    assert operations > 40 and seen[200] > 200 and seen[500] == 0
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:20])
