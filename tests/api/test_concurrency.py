"""A transition refused now, or lost to a race, is a 409 with its code."""

import pytest
from django.db import connection

from tests.approvals import factories as af
from tests.threads import in_threads

from .conftest import client_for


def test_an_illegal_transition_is_409_state(api, world):
    response = api("adam").post(f"/api/v1/stages/{world['stage_a'].pk}/resume/", {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "state"


def test_a_stale_page_is_409_stale(api, world):
    response = api("adam").post(f"/api/v1/stages/{world['stage_a'].pk}/supplement/",
                                {"items": ["x"], "expected_status": "in_review"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "stale"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_systems_approving_at_once_one_wins_one_gets_409(personas, approvers, world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    stage = af.approve_all_reviews(world["stage_a"], personas.adam)
    clients = [client_for(user) for user in approvers]
    url = f"/api/v1/stages/{stage.pk}/approve/"

    def approve(i):
        response = clients[i].post(url, {"expected_status": "in_review"}, format="json")
        return response.status_code, response.json().get("code")

    outcomes = sorted(in_threads(approve))
    assert outcomes[0][0] == 200 and outcomes[1] == (409, "stale")
    assert stage.events.filter(action="stage_approved").count() == 1
