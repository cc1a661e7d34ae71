"""Each endpoint's success path, called with a token as another system calls it."""

import datetime as dt

import pytest

from approvals.models import ApprovalStage
from commissioners.choices import DemandStatus
from notifications.services import notify
from tests import factories as f
from tests.approvals import factories as af

V1 = "/api/v1"


def test_project_create_upload_submit_withdraw(api, personas, approvers, world):
    alice = api("alice")
    created = alice.post(f"{V1}/projects/", {"name": "新项目", "code": "A-0002",
                                             "category": world["project_a"].category_id,
                                             "total_investment": "1000.00"}, format="json")
    assert created.status_code == 201, created.json()
    project = created.json()
    assert project["status"] == "draft" and len(project["stages"]) == 4
    stage_id = project["stages"][0]["id"]
    detail = alice.get(f"{V1}/stages/{stage_id}/").json()
    keys = [r["key"] for r in detail["requirements"] if r["is_key"]]
    refused = alice.post(f"{V1}/projects/{project['id']}/submit/", {}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "condition"
    for key in keys:
        uploaded = alice.post(f"{V1}/stages/{stage_id}/materials/",
                              {"requirement_key": key, "file": af.pdf(f"{key}.pdf")}, format="multipart")
        assert uploaded.status_code == 201, uploaded.json()
    materials = alice.get(f"{V1}/stages/{stage_id}/materials/").json()
    assert {m["requirement_key"] for m in materials} == set(keys)
    download = alice.get(f"{V1}/materials/{materials[0]['id']}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    submitted = alice.post(f"{V1}/projects/{project['id']}/submit/", {"expected_status": "draft"},
                           format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["stages"][0]["status"] == "pending"
    withdrawn = alice.post(f"{V1}/projects/{project['id']}/withdraw/", {"comment": "不建了"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_duplicate_project_code_is_a_field_error(api, world):
    response = api("alice").post(f"{V1}/projects/", {"name": "重复", "code": "A-0001",
                                                     "category": world["project_a"].category_id,
                                                     "total_investment": "1"}, format="json")
    assert response.status_code == 400 and "A-0001" in response.json()["code"][0]


def test_only_an_enterprise_creates_projects(api, world):
    response = api("adam").post(f"{V1}/projects/", {"name": "x", "code": "X-1",
                                                    "category": world["project_a"].category_id,
                                                    "total_investment": "1"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_stage_detail_has_the_clock_and_the_callers_actions(api, world):
    stage = world["stage_a"]
    body = api("adam").get(f"{V1}/stages/{stage.pk}/").json()
    assert body["status"] == "accepted" and body["accepted_on"] and body["due_on"]
    assert isinstance(body["used"], int) and isinstance(body["budget_workdays"], int)
    assert body["paused_workdays"] == 0 and body["provisional"] in (True, False)
    assert body["level"] in ("green", "yellow", "red", "escalated") and body["open_pauses"] == []
    assert {r["opinion"] for r in body["reviews"]} == {"pending"}
    assert {"review", "supplement", "pause",
            "reject"} <= set(body["actions"]) and "approve" not in body["actions"]
    assert api("alice").get(f"{V1}/stages/{stage.pk}/").json()["actions"] == []


def test_stage_lists_by_project_and_queue(api, world):
    stage = world["stage_a"]
    by_project = api("alice").get(f"{V1}/stages/?project={stage.project_id}").json()
    assert [s["order"] for s in by_project["results"]] == [1, 2, 3, 4]
    queue = api("adam").get(f"{V1}/stages/?queue=true").json()
    assert [s["id"] for s in queue["results"]] == [stage.pk]
    assert api("adam").get(f"{V1}/stages/?queue=true&overdue=true").json()["results"] == []


def test_every_stage_action(api, personas, world):
    adam, alice, stage = api("adam"), api("alice"), world["stage_a"]
    url = f"{V1}/stages/{stage.pk}"
    body = adam.post(f"{url}/supplement/", {"items": ["补充用地红线图"]}, format="json").json()
    assert body["status"] == "supplement_requested" and body["open_pauses"][0]["kind"] == "supplement"
    assert "resubmit" in alice.get(f"{url}/").json()["actions"]
    # 提交补正材料 needs a file for each requested item, filed under the item.
    assert alice.post(f"{url}/materials/", {"supplement_item": 0, "file": af.pdf()},
                      format="multipart").status_code == 201
    assert alice.post(f"{url}/resubmit/", {}, format="json").json()["status"] == "in_review"
    paused = adam.post(f"{url}/pause/", {"kind": "hearing", "legal_basis": "行政许可法第四十七条"},
                       format="json")
    assert paused.json()["status"] == "paused"
    assert adam.post(f"{url}/resume/", {}, format="json").json()["status"] == "in_review"
    for department in stage.policy.departments.all():
        reviewed = adam.post(f"{url}/review/", {"department": department.pk, "opinion": "agree"},
                             format="json")
        assert reviewed.status_code == 200, reviewed.json()
    approved = adam.post(f"{url}/approve/", {"expected_status": "in_review"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    second = ApprovalStage.objects.get(project=stage.project, order=2)
    af.upload_materials(af.stage_of(stage.project, 2), personas.alice)
    accepted = adam.post(f"{V1}/stages/{second.pk}/accept/", {"commitment_workdays": 5}, format="json")
    assert accepted.status_code == 200, accepted.json()
    rejected = adam.post(f"{V1}/stages/{second.pk}/reject/", {"reason": "不符合规划"}, format="json")
    assert rejected.json()["status"] == "rejected" and rejected.json()["decision_reason"] == "不符合规划"


def test_demand_raise_and_every_node_action(api, personas, world):
    p = personas
    raised = api("alice").post(f"{V1}/demands/", {"category": world["category"].pk, "title": "用电增容"},
                               format="json")
    assert raised.status_code == 201 and raised.json()["status"] == DemandStatus.SUBMITTED
    url = f"{V1}/demands/{raised.json()['id']}"
    assert api("carol").get(f"{url}/").json()["actions"]["accept"] is True
    refused = api("carol").post(f"{url}/send-back/", {"reason": "x"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert api("carol").post(f"{url}/accept/", {}, format="json").json()["status"] == DemandStatus.ACCEPTED
    assert api("gary").post(f"{url}/send-back/", {"reason": "请补充"}, format="json").status_code == 200
    assert api("carol").post(f"{url}/accept/", {}, format="json").status_code == 200
    assert api("gary").post(f"{url}/review/", {}, format="json").json()["status"] == DemandStatus.REVIEWED
    other = f.WorkingGroupFactory(code="land", name="土地规划工作组", leader=p.leader)
    body = api("betty").post(f"{url}/dispatch/", {"working_groups": [p.working_group.pk]},
                             format="json").json()
    share = body["dispatches"][0]["id"]
    moved = api("betty").post(f"{url}/redispatch/",
                              {"dispatch": share, "to_group": other.pk, "reason": "职责"}, format="json")
    assert moved.status_code == 200, moved.json()
    other.members.add(p.wendy)
    share = next(d["id"] for d in moved.json()["dispatches"] if d["status"] == "pending")
    assert api("wendy").post(f"{url}/start/", {"dispatch": share}, format="json").status_code == 200
    answered = api("wendy").post(f"{url}/answer/", {"dispatch": share, "answer": "已办结"}, format="json")
    assert answered.json()["status"] == DemandStatus.ANSWERED
    rated = api("alice").post(f"{url}/rate/", {"level": "satisfied"}, format="json")
    assert rated.json()["status"] == DemandStatus.CLOSED


def test_first_contact_answer(api, world):
    url = f"{V1}/demands/{world['demand_a'].pk}"
    answered = api("carol").post(f"{url}/answer-first-contact/", {"answer": "政策已解释"}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == DemandStatus.ANSWERED


def test_enterprises_for_officials(api, personas, world):
    carol = api("carol").get(f"{V1}/enterprises/").json()
    assert [e["name"] for e in carol["results"]] == [personas.enterprise_a.name]
    assert len(api("betty").get(f"{V1}/enterprises/").json()["results"]) == 2
    assert api("alice").get(f"{V1}/enterprises/").status_code == 403
    own = api("alice").get(f"{V1}/enterprises/{personas.enterprise_a.pk}/")
    assert own.status_code == 200 and own.json()["credit_code"] == personas.enterprise_a.credit_code


def test_visits_record_and_read(api, personas, world):
    response = api("carol").post(f"{V1}/visits/", {
        "enterprise": personas.enterprise_a.pk, "visited_on": "2026-11-20", "notes": "了解用工",
        "demands": [{"category": world["category"].pk, "title": "招工难"}]}, format="json")
    assert response.status_code == 201, response.json()
    visit = response.json()
    assert len(visit["demands"]) == 1
    assert [v["id"] for v in api("alice").get(f"{V1}/visits/").json()["results"]] == [visit["id"]]
    assert api("betty").get(f"{V1}/visits/{visit['id']}/").status_code == 200


def test_policies_add_and_read(api, world):
    created = api("betty").post(f"{V1}/policies/", {"title": "稳岗补贴", "issuing_body": "人社局",
                                                    "valid_from": "2026-01-01",
                                                    "link": "https://example.org/p/1"}, format="json")
    assert created.status_code == 201, created.json()
    assert api("alice").get(f"{V1}/policies/").json()["results"][0]["title"] == "稳岗补贴"
    assert api("alice").get(f"{V1}/policies/{created.json()['id']}/").status_code == 200
    assert api("alice").post(f"{V1}/policies/", {}, format="json").status_code == 403


def test_notifications(api, personas, world):
    (note,) = notify(recipients=[personas.alice], title="提醒", body="")
    client = api("alice")
    assert client.get(f"{V1}/notifications/?unread=true").json()["results"][0]["id"] == note.pk
    assert client.post(f"{V1}/notifications/{note.pk}/read/").json()["is_read"] is True
    assert client.get(f"{V1}/notifications/?unread=false").json()["results"][0]["id"] == note.pk


def test_supervision_loop(api, personas, world):
    opened = api("leo").post(f"{V1}/supervisions/", {"matter": "demand", "matter_id": world["demand_a"].pk,
                                                     "instruction": "请加快办理"}, format="json")
    assert opened.status_code == 201, opened.json()
    supervision = opened.json()
    assert supervision["matter"] == "demand" and supervision["due_on"]
    mine = api("carol").get(f"{V1}/supervisions/").json()["results"]
    assert [s["id"] for s in mine] == [supervision["id"]]
    url = f"{V1}/supervisions/{supervision['id']}"
    assert api("alice").post(f"{url}/reply/", {"text": "x"}, format="json").status_code == 404
    replied = api("carol").post(f"{url}/reply/", {"text": "已联系企业"}, format="json")
    assert replied.json()["status"] == "answered" and replied.json()["replies"][0]["text"] == "已联系企业"
    again = api("leo").post(f"{url}/continue/", {"instruction": "本周内办结"}, format="json")
    assert again.status_code == 200 and again.json()["id"] != supervision["id"]
    closed = api("leo").post(f"{V1}/supervisions/{again.json()['id']}/close/", {}, format="json")
    assert closed.json()["status"] == "closed"
    assert api("carol").post(f"{url}/reply/", {"text": "晚了"}, format="json").status_code == 409


def test_calendar_is_public_and_cached(api, db):
    anonymous = api(None)
    added = anonymous.get(f"{V1}/calendar/add/?date=2026-09-30&n=1")
    assert added.status_code == 200 and added.json()["result"] == "2026-10-08"
    assert "public" in added["Cache-Control"] and added["ETag"]
    assert anonymous.get(f"{V1}/calendar/add/?date=2026-09-30&n=1",
                         HTTP_IF_NONE_MATCH=added["ETag"]).status_code == 304
    between = anonymous.get(f"{V1}/calendar/between/?from=2026-09-30&to=2026-10-09").json()
    assert between["workdays"] == 2  # 10-08 and 10-09, after National Day
    days = anonymous.get(f"{V1}/calendar/days/?from=2026-10-01&to=2026-10-10").json()
    assert [d["is_workday"] for d in days][-1] is True and days[0]["kind"] == "holiday"


def test_dashboard_summary_for_leaders(api, world):
    body = api("leo").get(f"{V1}/dashboard/summary/").json()
    assert body["projects"]["total"] == 1 and body["demands"]["total"] == 2
    assert body["today"] == dt.date.today().isoformat() or body["today"]
    assert api("alice").get(f"{V1}/dashboard/summary/").status_code == 403


@pytest.mark.parametrize("path", ["projects/", "stages/", "demands/", "visits/", "policies/",
                                  "notifications/",
                                  "supervisions/", "enterprises/", "auth/tokens/", "dashboard/summary/"])
def test_without_credentials_is_401(api, path):
    response = api(None).get(f"{V1}/{path}")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"
