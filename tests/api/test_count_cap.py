"""Page-number lists count no further than core.pagination.COUNT_CAP: past it `count` is the cap,
`count_capped` is true and only the pages within the cap exist; under it the count is exact."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

V1 = "/api/v1"


@pytest.fixture
def stages_of_a(api, world):
    """alice's four stages (project A's), ?page_size=2: two pages."""
    return f"{V1}/stages/?project={world['project_a'].pk}&page_size=2"


def test_a_list_longer_than_the_cap_counts_the_cap_and_says_so(api, stages_of_a, monkeypatch):
    monkeypatch.setattr("core.pagination.COUNT_CAP", 3)
    client = api("alice")
    first = client.get(stages_of_a).json()
    assert first["count"] == 3 and first["count_capped"] is True
    assert [s["order"] for s in first["results"]] == [1, 2]
    assert "page=2&" in first["next"] and first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["count"] == 3 and second["count_capped"] is True
    assert [s["order"] for s in second["results"]] == [3]  # the page within the cap, cut at it
    assert second["next"] is None and second["previous"]
    assert client.get(stages_of_a + "&page=last").json()["results"] == second["results"]
    past = client.get(stages_of_a + "&page=3")  # past the cap: the same 400 as past the end
    assert past.status_code == 400 and "page" in past.json()


def test_a_list_within_the_cap_counts_exactly(api, stages_of_a, monkeypatch):
    monkeypatch.setattr("core.pagination.COUNT_CAP", 4)
    client = api("alice")
    first = client.get(stages_of_a).json()
    assert first["count"] == 4 and first["count_capped"] is False
    second = client.get(first["next"]).json()
    assert [s["order"] for s in second["results"]] == [3, 4] and second["next"] is None
    assert client.get(stages_of_a + "&page=3").status_code == 400
    monkeypatch.setattr("core.pagination.COUNT_CAP", 10_000)
    assert client.get(stages_of_a).json() | {"next": None} == first | {"next": None}


def test_the_count_is_a_bounded_statement(api, stages_of_a, monkeypatch):
    monkeypatch.setattr("core.pagination.COUNT_CAP", 3)
    with CaptureQueriesContext(connection) as queries:
        assert api("alice").get(stages_of_a).status_code == 200
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert counts, [q["sql"] for q in queries]
    for sql in counts:
        assert re.search(r"\bLIMIT 4\) subquery", sql), sql  # cap + 1 bare pks, never the whole list


def test_the_schema_documents_count_capped(client, db):
    schema = client.get("/api/schema/?format=json").json()
    paginated = schema["components"]["schemas"]["PaginatedStageList"]
    assert paginated["properties"]["count_capped"]["type"] == "boolean"
    assert "count_capped" in paginated["required"]
    assert list(paginated["properties"])[:2] == ["count", "count_capped"]
    assert "10,000" in paginated["properties"]["count"]["description"]
