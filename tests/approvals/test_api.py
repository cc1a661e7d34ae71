import pytest

from approvals import services

from . import factories as af


@pytest.fixture
def accepted_a(personas, approvers, project_a, project_b):
    af.upload_materials(af.stage_of(project_a, 1), personas.alice)
    services.project_submit(project=project_a, actor=personas.alice)
    return services.stage_accept(stage=af.stage_of(project_a, 1), actor=approvers[0])


def test_project_list_is_scoped_and_paginated(client, personas, accepted_a, django_assert_max_num_queries):
    client.force_login(personas.alice)
    with django_assert_max_num_queries(10):
        data = client.get("/api/v1/projects/").json()
    # Cursor pagination (issue 13): no count; one page holding the one visible project.
    assert len(data["results"]) == 1 and data["next"] is None and data["results"][0]["code"] == "A-0001"
    assert [s["kind"] for s in data["results"][0]["stages"]] == [
        "land_planning", "engineering", "construction", "acceptance"]
    client.force_login(personas.bob)
    assert client.get(f"/api/v1/projects/{accepted_a.project_id}/").status_code == 404


def test_approve_endpoint_uses_the_service_rules(client, personas, approvers, accepted_a):
    url = f"/api/v1/stages/{accepted_a.pk}/approve/"
    client.force_login(personas.alice)
    assert client.post(url, {}).status_code == 403
    client.force_login(personas.adam)
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 409 and "不能审批通过" in response.json()["detail"]
    stage = af.approve_all_reviews(accepted_a, approvers[0])
    response = client.post(url, {"expected_status": "in_review"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert client.post(url, {"expected_status": "in_review"}).json()["detail"] == "已被他人处理,请刷新"
    assert stage.project.stages.get(order=2).status == "pending"


def test_reject_endpoint_needs_a_reason(client, personas, accepted_a):
    client.force_login(personas.adam)
    response = client.post(f"/api/v1/stages/{accepted_a.pk}/reject/", {}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
