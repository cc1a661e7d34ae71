"""督办 on an escalated stage reaches the approver and comes back: through the services and the pages."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from approvals import services
from approvals.models import EventAction, StageEvent
from notifications.models import Escalation, Level, Notification, Supervision, SupervisionStatus
from notifications.services import escalation_raise
from notifications.supervisions import (
    SupervisionError,
    supervision_close,
    supervision_open,
    supervision_reply,
)
from tests import factories as f

from . import factories as af

MON = dt.date(2026, 11, 2)


@pytest.fixture
def stage(personas, project_a, approvers):
    af.upload_materials(af.stage_of(project_a, 1), personas.alice, today=MON)
    services.project_submit(project=project_a, actor=personas.alice, today=MON)
    return services.stage_accept(stage=af.stage_of(project_a, 1), actor=approvers[0], today=MON)


@pytest.fixture
def escalated(stage, personas):
    """The stage went 提级督办: its leaders and the commissioner were told."""
    lena = f.LeaderFactory(user__username="lena").user
    return escalation_raise(obj=stage, level=Level.ESCALATED, recipients=[personas.leo, lena, personas.carol],
                            title="提级督办: 甲公司 · 立项用地规划许可", body="超期 2 个工作日", link="/x/")


def _steps(stage):
    return list(StageEvent.objects.filter(stage=stage, action__startswith="supervis")
                .values_list("action", flat=True))


def test_the_loop_through_the_services(personas, stage, escalated, approvers):
    adam, amy = approvers
    supervision = supervision_open(matter=stage, actor=personas.leo, instruction="请两日内办结",
                                   escalation=escalated, today=MON)
    # Addressees: the approvers of the departments still to give their opinion, the commissioner,
    # and the other leader already on the escalation; not the leader who supervised.
    addressed = set(supervision.addressees.values_list("username", flat=True))
    assert addressed == {"adam", "amy", "carol", "lena"}
    assert supervision.due_on == dt.date(2026, 11, 4) and supervision.status == SupervisionStatus.OPEN
    told = Notification.objects.filter(key=f"supervision:{supervision.pk}")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["adam", "amy", "carol", "lena"]
    assert all(n.urgent for n in told)  # bypasses quiet hours
    escalated.refresh_from_db()
    assert escalated.supervised_by == personas.leo

    supervision_reply(supervision=supervision, actor=adam, text="已组织会审, 明日出具意见", today=MON)
    supervision.refresh_from_db()
    assert supervision.status == SupervisionStatus.ANSWERED and supervision.answered_at
    assert Notification.objects.filter(recipient=personas.leo, title__startswith="督办已回复").exists()

    supervision_close(supervision=supervision, actor=personas.leo, today=MON)
    supervision.refresh_from_db()
    assert supervision.status == SupervisionStatus.CLOSED
    assert _steps(stage) == [EventAction.SUPERVISED, EventAction.SUPERVISION_REPLIED,
                             EventAction.SUPERVISION_CLOSED]


def test_bad_input_records_nothing(personas, stage, escalated, approvers):
    adam = approvers[0]
    with pytest.raises(SupervisionError, match="请填写督办意见"):
        supervision_open(matter=stage, actor=personas.leo, instruction="  ")
    with pytest.raises(SupervisionError) as info:
        supervision_open(matter=stage, actor=adam, instruction="x")
    assert info.value.code == "forbidden"
    assert not Supervision.objects.exists() and _steps(stage) == []

    supervision = supervision_open(matter=stage, actor=personas.leo, instruction="请办理")
    with pytest.raises(SupervisionError, match="请填写办理情况"):
        supervision_reply(supervision=supervision, actor=adam, text="")
    with pytest.raises(SupervisionError) as info:
        supervision_reply(supervision=supervision, actor=personas.bob, text="不是我的事")
    assert info.value.code == "forbidden"
    supervision_close(supervision=supervision, actor=personas.leo)
    with pytest.raises(SupervisionError) as info:
        supervision_reply(supervision=supervision, actor=adam, text="晚了")
    assert info.value.code == "state"
    assert _steps(stage) == [EventAction.SUPERVISED, EventAction.SUPERVISION_CLOSED]


def test_a_finished_stage_cannot_be_supervised(personas, stage, approvers):
    services.stage_reject(stage=stage, actor=approvers[0], reason="不符合规划", today=MON)
    stage.refresh_from_db()
    with pytest.raises(SupervisionError, match="已办结"):
        supervision_open(matter=stage, actor=personas.leo, instruction="请办理")


def test_two_leaders_at_once_get_two_supervisions_and_each_person_is_told_once_each(personas, stage):
    lena = f.LeaderFactory(user__username="lena").user
    first = supervision_open(matter=stage, actor=personas.leo, instruction="请加快")
    second = supervision_open(matter=stage, actor=lena, instruction="请今日答复")
    assert Supervision.objects.count() == 2
    for supervision in (first, second):
        keys = Notification.objects.filter(key=f"supervision:{supervision.pk}")
        recipients = list(keys.values_list("recipient_id", flat=True))
        assert len(recipients) == len(set(recipients))


def test_the_loop_through_the_pages(client, personas, stage, escalated, approvers):
    adam = approvers[0]
    stage_url = reverse("approvals:stage_detail", args=[stage.pk])
    content_type = ContentType.objects.get_for_model(stage)
    form_url = reverse("notifications:supervise_matter", args=[content_type.pk, stage.pk])

    client.force_login(personas.leo)
    assert "督办" in client.get(stage_url).content.decode()  # the leader's 督办 button
    page = client.get(form_url + f"?escalation={escalated.pk}")
    assert page.status_code == 200 and "发出督办" in page.content.decode()
    response = client.post(form_url + f"?escalation={escalated.pk}", {"comment": "请两个工作日内出具意见"})
    assert response.status_code == 302 and response.url == stage_url
    supervision = Supervision.objects.get()

    client.force_login(adam)
    body = client.get(stage_url).content.decode()
    assert "请两个工作日内出具意见" in body and "回复办理情况" in body
    mine = client.get(reverse("notifications:supervisions")).content.decode()
    assert stage.project.name in mine
    assert 'data-supervisions="1"' in client.get(reverse("notifications:supervision_badge")).content.decode()
    client.post(reverse("notifications:supervision_reply", args=[supervision.pk]),
                {"text": "已会审, 周三出具意见", "seen_status": "open"})
    assert "已会审, 周三出具意见" in client.get(stage_url).content.decode()

    client.force_login(personas.leo)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "督办已回复" in inbox
    client.post(reverse("notifications:supervision_close", args=[supervision.pk]),
                {"outcome": "close", "seen_status": "answered"})
    supervision.refresh_from_db()
    assert supervision.status == SupervisionStatus.CLOSED
    history = client.get(reverse("approvals:project_detail", args=[stage.project_id])).content.decode()
    assert "领导督办" in history and "办理情况回复" in history and "督办办结" in history


def test_pages_are_scoped(client, personas, stage):
    supervision = supervision_open(matter=stage, actor=personas.leo, instruction="请办理")
    content_type = ContentType.objects.get_for_model(stage)
    form_url = reverse("notifications:supervise_matter", args=[content_type.pk, stage.pk])
    client.force_login(personas.carol)  # the commissioner is an addressee, but may not supervise
    assert client.get(form_url).status_code == 403
    client.force_login(personas.bob)
    response = client.post(reverse("notifications:supervision_reply", args=[supervision.pk]), {"text": "x"})
    assert response.status_code == 404
    client.force_login(personas.leo)
    missing = reverse("notifications:supervise_matter", args=[content_type.pk, 999999])
    assert client.get(missing).status_code == 404
    assert Escalation.objects.count() == 0
