"""Role × endpoint × owner: an enterprise's token never reads or changes another enterprise's
objects — a foreign object is a 404, never a 403 that would confirm it exists."""

import pytest

from notifications.services import notify

V1 = "/api/v1"

READS = ["projects/{project}/", "stages/{stage}/", "stages/{stage}/materials/", "materials/{material}/",
         "materials/{material}/download/", "demands/{demand}/", "enterprises/{enterprise}/"]
WRITES = [("projects/{project}/submit/", {}), ("projects/{project}/withdraw/", {}),
          ("stages/{stage}/approve/", {}), ("stages/{stage}/resubmit/", {}),
          ("demands/{demand}/accept/", {}), ("demands/{demand}/rate/", {"level": "satisfied"}),
          ("demands/{demand}/review/", {})]


def _ids(world, personas):
    return {"project": world["project_a"].pk, "stage": world["stage_a"].pk,
            "material": world["material_a"].pk,
            "demand": world["demand_a"].pk, "enterprise": personas.enterprise_a.pk}


@pytest.mark.parametrize("path", READS)
def test_bob_cannot_read_alices_objects(api, personas, world, path):
    url = f"{V1}/" + path.format(**_ids(world, personas))
    assert api("alice").get(url).status_code == 200
    response = api("bob").get(url)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("path,body", WRITES)
def test_bob_cannot_change_alices_objects(api, personas, world, path, body):
    for row in (world["project_a"], world["demand_a"]):
        row.refresh_from_db()
    before = (world["project_a"].status, world["demand_a"].status)
    response = api("bob").post(f"{V1}/" + path.format(**_ids(world, personas)), body, format="json")
    assert response.status_code == 404
    world["project_a"].refresh_from_db()
    world["demand_a"].refresh_from_db()
    assert (world["project_a"].status, world["demand_a"].status) == before


@pytest.mark.parametrize("persona,projects,demands", [
    ("alice", {"A-0001"}, {"甲的诉求"}), ("bob", {"B-0001"}, {"乙的诉求"}),
    ("carol", {"A-0001"}, {"甲的诉求"}), ("dave", set(), {"乙的诉求"}),  # B's project is a draft
    ("betty", {"A-0001"}, {"甲的诉求", "乙的诉求"}), ("leo", {"A-0001"}, {"甲的诉求", "乙的诉求"}),
    ("adam", {"A-0001"}, set()), ("root", {"A-0001", "B-0001"}, {"甲的诉求", "乙的诉求"}),
])
def test_lists_are_scoped_like_the_pages(api, world, persona, projects, demands):
    client = api(persona)
    assert {p["code"] for p in client.get(f"{V1}/projects/").json()["results"]} == projects
    assert {d["title"] for d in client.get(f"{V1}/demands/").json()["results"]} == demands


def test_a_draft_is_the_enterprises_own(api, world):
    url = f"{V1}/projects/{world['project_b'].pk}/"
    assert api("bob").get(url).status_code == 200
    for persona in ("alice", "dave", "betty", "leo", "adam"):
        assert api(persona).get(url).status_code == 404, persona


def test_another_users_notification_and_token_are_not_found(api, personas, world):
    (note,) = notify(recipients=[personas.bob], title="乙", body="")
    assert api("alice").post(f"{V1}/notifications/{note.pk}/read/").status_code == 404
    bobs = api("bob").get(f"{V1}/auth/tokens/").json()[0]["id"]
    assert api("alice").delete(f"{V1}/auth/tokens/{bobs}/").status_code == 404


def test_enterprise_cannot_upload_to_another_enterprises_stage(api, world):
    from tests.approvals import factories as af

    response = api("bob").post(f"{V1}/stages/{world['stage_a'].pk}/materials/",
                               {"requirement_key": "x", "file": af.pdf()}, format="multipart")
    assert response.status_code == 404


def test_an_official_without_the_permission_is_told_403(api, world):
    response = api("alice").post(f"{V1}/stages/{world['stage_a'].pk}/approve/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
