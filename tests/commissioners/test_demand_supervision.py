"""督办 on an urgent demand held by two working groups: it reaches both groups' members and the
leaders on its escalation, a reply comes back to the leader, who closes it — through the
services and through the pages."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from commissioners.choices import DemandAction, DemandStatus, Node, Urgency
from commissioners.services import (
    demand_accept,
    demand_close_unrated,
    demand_dispatch,
    demand_review,
    demand_submit,
)
from notifications.models import Escalation, Notification, Supervision, SupervisionStatus
from notifications.services import escalation_supervise
from notifications.supervisions import (
    SupervisionError,
    supervision_close,
    supervision_continue,
    supervision_open,
    supervision_reply,
)

from .conftest import on


@pytest.fixture
def urgent(personas, categories, talent_group, django_capture_on_commit_callbacks):
    p = personas
    with on(2026, 10, 8), django_capture_on_commit_callbacks(execute=True):  # the urgent report to leaders
        demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["talent"],
                               urgency=Urgency.URGENT, title="核心技术人才流失")
        demand_accept(demand=demand, actor=p.carol)
        demand_review(demand=demand, actor=p.gary)
        demand_dispatch(demand=demand, actor=p.betty, working_groups=[p.working_group, talent_group])
    demand.refresh_from_db()
    assert demand.current_node == Node.ANSWER and demand.dispatches.open().count() == 2
    return demand


def _steps(demand):
    return list(demand.events.filter(action__startswith="supervis").values_list("action", flat=True))


def test_the_urgent_loop_through_the_services(personas, urgent, talent_group):
    p = personas
    escalation = Escalation.objects.get(level="urgent")  # raised at submission, to leo and lena
    with on(2026, 10, 9):
        escalation_supervise(escalation=escalation, actor=p.leo, comment="两个工作组当日会商, 明日答复")
    supervision = Supervision.objects.get()
    # Urgent: one working day to reply. Addressees: both groups' members and lena (on the escalation).
    assert supervision.urgent and supervision.limit_workdays == 1
    assert supervision.due_on == dt.date(2026, 10, 10)  # Sat 10-10 is a working day (调休)
    assert set(supervision.addressees.values_list("username", flat=True)) == {"wendy", "tom", "lena"}
    told = Notification.objects.filter(title__startswith="督办")
    recipients = list(told.values_list("recipient__username", flat=True))
    assert sorted(recipients) == sorted(set(recipients))  # each person once
    assert {"wendy", "tom", "lena"} <= set(recipients) and "leo" not in recipients

    with on(2026, 10, 9):
        supervision_reply(supervision=supervision, actor=p.wendy, text="已会商, 由人才组牵头")
        supervision_reply(supervision=supervision, actor=talent_group.tom, text="人才组明日上门对接")
    assert supervision.replies.count() == 2
    with on(2026, 10, 9):
        new = supervision_continue(supervision=supervision, actor=p.leo, instruction="请把对接结果报我")
    supervision.refresh_from_db()
    assert supervision.status == SupervisionStatus.CONTINUED and new.previous == supervision
    with on(2026, 10, 10):
        supervision_reply(supervision=new, actor=p.wendy, text="已对接, 企业满意")
        supervision_close(supervision=new, actor=p.leo)
    assert _steps(urgent) == [DemandAction.SUPERVISED, DemandAction.SUPERVISION_REPLIED,
                              DemandAction.SUPERVISION_REPLIED, DemandAction.SUPERVISION_CONTINUED,
                              DemandAction.SUPERVISED, DemandAction.SUPERVISION_REPLIED,
                              DemandAction.SUPERVISION_CLOSED]


def test_a_demand_node_is_supervised_at_its_holder(personas, categories):
    p = personas
    with on(2026, 10, 8):
        demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["legal"],
                               title="合同纠纷")
        assert set(supervision_open(matter=demand, actor=p.leo, instruction="请受理")
                   .addressees.values_list("username", flat=True)) == {"carol"}
        demand_accept(demand=demand, actor=p.carol)
        assert set(supervision_open(matter=demand, actor=p.leo, instruction="请审核")
                   .addressees.values_list("username", flat=True)) == {"gary"}
        demand_review(demand=demand, actor=p.gary)
        assert set(supervision_open(matter=demand, actor=p.leo, instruction="请交办")
                   .addressees.values_list("username", flat=True)) == {"betty"}


def test_a_closed_demand_cannot_be_supervised(personas, categories):
    from commissioners.services import demand_answer_first_contact

    p = personas
    with on(2026, 9, 30):
        demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["legal"],
                               title="咨询")
        demand_answer_first_contact(demand=demand, actor=p.carol, answer="已答复")
    with on(2026, 10, 12):
        demand_close_unrated(demand=demand)
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED
    with pytest.raises(SupervisionError, match="已办结"):
        supervision_open(matter=demand, actor=p.leo, instruction="请办理")


def test_the_urgent_loop_through_the_pages(client, personas, urgent, talent_group):
    p = personas
    page = reverse("commissioners:demand_detail", args=[urgent.pk])
    escalation = Escalation.objects.get(level="urgent")
    content_type = ContentType.objects.get_for_model(urgent)
    form_url = reverse("notifications:supervise_matter", args=[content_type.pk, urgent.pk])
    client.force_login(p.leo)
    with on(2026, 10, 9):
        client.post(f"{form_url}?escalation={escalation.pk}", {"comment": "请两组当日会商"})
    supervision = Supervision.objects.get()
    for member in (p.wendy, talent_group.tom):
        client.force_login(member)
        with on(2026, 10, 9):
            body = client.get(page).content.decode()
            assert "请两组当日会商" in body and "回复办理情况" in body
            assert "核心技术人才流失" in client.get(reverse("notifications:supervisions")).content.decode()
    client.force_login(p.bob)
    assert client.get(page).status_code == 404
    client.force_login(talent_group.tom)
    with on(2026, 10, 9):
        client.post(reverse("notifications:supervision_reply", args=[supervision.pk]), {"text": "已会商"})
    client.force_login(p.leo)
    with on(2026, 10, 9):
        assert "已会商" in client.get(page).content.decode()
        client.post(reverse("notifications:supervision_close", args=[supervision.pk]), {"outcome": "close"})
    supervision.refresh_from_db()
    assert supervision.status == SupervisionStatus.CLOSED
    assert "督办办结" in client.get(page).content.decode()
