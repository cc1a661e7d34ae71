"""审批待办 says where each clock stands: a paused clock reads 暂停计时中 (已用 N 个工作日), not a
past due date; an overdue one 已超期 N 个工作日, not 剩余 -N; red and escalated rows are tinted
alike, and the list reads escalated, red, yellow, then by deadline."""

import datetime as dt

from django.urls import reverse

from approvals import services
from approvals.models import ApprovalStage, PauseKind
from notifications.levels import WarningLevel
from tests.sweeps.conftest import clock

from . import factories as af

MON = dt.date(2026, 11, 2)


def _accepted(personas, adam, code, on=MON):
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code=code,
                              category_code="small")
    af.upload_materials(af.stage_of(project, 1), personas.alice, today=on)
    services.project_submit(project=project, actor=personas.alice, today=on)
    return services.stage_accept(stage=af.stage_of(project, 1), actor=adam, today=on)


def test_paused_and_overdue_clocks_read_in_words(client, personas, approvers):
    adam = approvers[0]
    paused = _accepted(personas, adam, "P-1")
    services.stage_pause(stage=paused, actor=adam, kind=PauseKind.EXPERT_REVIEW, legal_basis="专家评审办法",
                         today=dt.date(2026, 11, 4))
    late = _accepted(personas, adam, "L-1")  # small stage 1: 6 working days → due 11-10
    client.force_login(adam)
    with clock("2026-11-12 10:00"):  # two working days past 11-10
        body = client.get(reverse("approvals:queue")).content.decode()
        assert "暂停计时中(已用 2 个工作日)" in body
        assert "已超期 2 个工作日" in body and "剩余 -" not in body
        stage_page = client.get(reverse("approvals:stage_detail", args=[paused.pk])).content.decode()
        assert "暂停计时中, 恢复后重新计算" in stage_page
        late_page = client.get(reverse("approvals:stage_detail", args=[late.pk])).content.decode()
        assert "已超期 2 个工作日" in late_page


def test_escalated_rows_are_tinted_and_come_first(client, personas, approvers):
    adam = approvers[0]
    first = _accepted(personas, adam, "A-1", on=MON)
    later = _accepted(personas, adam, "A-2", on=dt.date(2026, 11, 6))
    ApprovalStage.objects.filter(pk=later.pk).update(warning_level=WarningLevel.ESCALATED)
    client.force_login(adam)
    with clock("2026-11-05 10:00"):
        response = client.get(reverse("approvals:queue"))
    rows = [row.stage.pk for row in response.context["rows"]]
    assert rows.index(later.pk) < rows.index(first.pk)
    assert response.content.decode().count('class="table-danger"') == 1
