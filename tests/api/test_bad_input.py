"""Bad input is a 400 with a message, never a 500 — on SQLite and PostgreSQL alike."""

import pytest

V1 = "/api/v1"
HUGE = 2**70


@pytest.mark.parametrize("query", [
    "projects/?status=AAA", "projects/?category=999999", "projects/?major=maybe", "demands/?status=AAA",
    "stages/?kind=AAA", "stages/?project=abc", f"stages/?project={HUGE}", "stages/?queue=sometimes",
    "notifications/?unread=perhaps", "supervisions/?scope=everyone", "enterprises/?list_status=AAA",
    "policies/?industry=x", "visits/?enterprise=-1", "projects/?cursor=not-a-cursor", "stages/?page=999",
    "stages/?page=abc", "projects/?page_size=0", "projects/?page_size=100000",
    "projects/?q=%00", "demands/?q=a%00b", "enterprises/?q=%00", "policies/?q=%00",
                                   "stages/?q=%00&queue=true",
])
def test_unknown_filter_values_bad_pages_and_nul_bytes_are_400(api, world, query):
    response = api("betty").get(f"{V1}/{query}")
    assert response.status_code == 400, response.content
    assert response.json()  # a message per field


@pytest.mark.parametrize("path,body", [
    ("stages/{stage}/review/", {"department": HUGE, "opinion": "agree"}),
    ("stages/{stage}/review/", {"department": "one", "opinion": "agree"}),
    ("stages/{stage}/accept/", {"commitment_workdays": HUGE}),
    ("stages/{stage}/supplement/", {"items": "not a list"}),
    ("stages/{stage}/supplement/", {"items": []}),
    ("stages/{stage}/pause/", {"kind": "supplement", "legal_basis": "x"}),
    ("stages/{stage}/approve/", {"comment": "a\x00b"}),
    ("stages/{stage}/approve/", {"unknown": 1}),
    ("demands/{demand}/dispatch/", {"working_groups": [HUGE]}),
    ("demands/{demand}/redispatch/", {"dispatch": HUGE, "to_group": HUGE, "reason": "x"}),
    ("demands/{demand}/start/", {"dispatch": -1}),
    ("demands/{demand}/rate/", {"level": "unrated"}),
    ("demands/{demand}/accept/", {"expected_status": "AAA"}),
    ("demands/", {"category": HUGE, "title": "x"}),
    ("demands/", {"category": 1, "title": "x", "extra": True}),
    ("projects/", {"name": "x", "code": "y", "category": 1, "total_investment": "1e30"}),
    ("visits/", {"enterprise": HUGE, "visited_on": "2026-01-01"}),
    ("visits/", {"enterprise": 1, "visited_on": "yesterday"}),
    ("supervisions/", {"matter": "stage", "matter_id": HUGE, "instruction": "x"}),
    ("auth/token/", {}),
    ("auth/token/", {"username": "a\x00", "password": "b"}),
])
def test_wrong_types_oversized_numbers_nul_bytes_unknown_fields_are_400(api, world, path, body):
    url = f"{V1}/" + path.format(stage=world["stage_a"].pk, demand=world["demand_a"].pk)
    response = api("root").post(url, body, format="json")
    assert response.status_code == 400, response.content


def test_malformed_json_is_400(api, world):
    response = api("root").post(f"{V1}/stages/{world['stage_a'].pk}/approve/", "{not json",
                                content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


@pytest.mark.parametrize("path", [f"projects/{HUGE}/", f"stages/{HUGE}/", f"demands/{HUGE}/",
                                  f"visits/{HUGE}/",
                                  f"materials/{HUGE}/", f"supervisions/{HUGE}/", f"enterprises/{HUGE}/"])
def test_an_oversized_id_in_the_path_is_not_found(api, world, path):
    assert api("root").get(f"{V1}/{path}").status_code == 404


@pytest.mark.parametrize("query", ["add/?date=2026-13-01&n=1", f"add/?date=2026-01-01&n={HUGE}",
                                   "add/?date=9999-12-31&n=1000", "between/?from=2026-02-01&to=2026-01-01",
                                   "days/?from=2020-01-01&to=2026-01-01", "add/?date=%00&n=1"])
def test_calendar_bad_queries_are_400(api, db, query):
    assert api(None).get(f"{V1}/calendar/{query}").status_code == 400
