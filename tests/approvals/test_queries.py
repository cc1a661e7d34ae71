"""The queue and the project pages read in a bounded number of queries, however many rows."""

import pytest
from django.urls import reverse

from approvals import services

from . import factories as af


def _projects(personas, adam, count, start=0):
    for n in range(start, start + count):
        project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code=f"Q-{n}",
                                  name=f"项目{n}")
        af.upload_materials(af.stage_of(project, 1), personas.alice)
        services.project_submit(project=project, actor=personas.alice)
        if n % 2:
            services.stage_accept(stage=af.stage_of(project, 1), actor=adam)


@pytest.mark.parametrize(("who", "url_name"), [
    ("adam", "approvals:queue"),
    ("adam", "approvals:project_list"),
    ("alice", "approvals:project_list"),
    ("carol", "approvals:project_list"),
])
def test_lists_are_bounded(client, personas, approvers, django_assert_max_num_queries, who, url_name):
    client.force_login(getattr(personas, who))
    _projects(personas, approvers[0], 2)
    # session, user, roles, visibility, count, rows, prefetches
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse(url_name)).status_code == 200
    _projects(personas, approvers[0], 12, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200


def test_project_and_stage_pages_are_bounded(client, personas, approvers, django_assert_max_num_queries):
    _projects(personas, approvers[0], 2)
    project = personas.enterprise_a.projects.get(code="Q-1")
    stage = af.stage_of(project, 1)
    for user in (personas.alice, approvers[0]):
        client.force_login(user)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("approvals:project_detail", args=[project.pk])).status_code == 200
        with django_assert_max_num_queries(18):
            assert client.get(reverse("approvals:stage_detail", args=[stage.pk])).status_code == 200
