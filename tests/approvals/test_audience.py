"""The applicant's instructions (what to upload, when to submit) are for the enterprise: officials
read where the file stands, on the queue, the stage page and the lists."""

import pytest
from django.urls import reverse

from approvals import selectors, services

from . import factories as af

FOR_APPLICANT = "请按清单上传材料"


@pytest.fixture
def pending(personas, approvers, project_a):
    af.upload_materials(af.stage_of(project_a, 1), personas.alice)
    services.project_submit(project=project_a, actor=personas.alice)
    return af.stage_of(project_a, 1)


def test_approvers_do_not_read_the_applicants_instructions(client, personas, pending):
    client.force_login(personas.adam)
    for url in (reverse("approvals:queue"), reverse("approvals:stage_detail", args=[pending.pk]),
                reverse("approvals:project_detail", args=[pending.project_id]),
                reverse("approvals:project_list")):
        body = client.get(url).content.decode()
        assert FOR_APPLICANT not in body, url
        assert "待受理: 等待审批部门受理" in body, url
    assert "允许: " not in client.get(reverse("approvals:stage_detail", args=[pending.pk])).content.decode()


def test_other_officials_neither(client, personas, pending):
    for who in (personas.carol, personas.leo):
        client.force_login(who)
        for url in (reverse("approvals:project_list"),
                    reverse("approvals:project_detail", args=[pending.project_id])):
            assert FOR_APPLICANT not in client.get(url).content.decode()


def test_the_enterprise_reads_them(client, personas, pending):
    client.force_login(personas.alice)
    for url in (reverse("approvals:stage_detail", args=[pending.pk]),
                reverse("approvals:project_detail", args=[pending.project_id]),
                reverse("approvals:project_list")):
        assert "待受理: 请按清单上传材料, 等待审批部门受理" in client.get(url).content.decode(), url


def test_a_draft_reads_for_whom_it_is(personas, project_a):
    stage = af.stage_of(project_a, 1)
    today = stage.project.created_at.date()
    assert FOR_APPLICANT in selectors.stage_sentence(stage, today=today, for_enterprise=True)
    assert selectors.stage_sentence(stage, today=today) == "尚未提交: 企业正在准备申报材料"


def test_the_api_words_the_sentence_for_its_caller(client, personas, pending):
    url = f"/api/v1/stages/{pending.pk}/"
    client.force_login(personas.alice)
    assert FOR_APPLICANT in client.get(url).json()["sentence"]
    client.force_login(personas.adam)
    assert client.get(url).json()["sentence"] == "待受理: 等待审批部门受理"
    listed = client.get("/api/v1/stages/?queue=true").json()["results"]
    assert [row["sentence"] for row in listed] == ["待受理: 等待审批部门受理"]
