"""Two approvers on one stage at once: one wins, the other is told someone else acted."""

import threading

import pytest
from django.db import close_old_connections, connection

from approvals import services
from approvals.errors import ApprovalError
from approvals.models import ApprovalStage, EventAction, StageEvent

from . import factories as af


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvers_approve_at_once(personas, approvers):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code="RACE-1")
    af.upload_materials(af.stage_of(project, 1), personas.alice)
    services.project_submit(project=project, actor=personas.alice)
    stage = services.stage_accept(stage=af.stage_of(project, 1), actor=approvers[0])
    af.approve_all_reviews(stage, approvers[0])

    # Both load the stage (status in_review) before either acts, as two open browser tabs would.
    seen = [ApprovalStage.objects.select_related("project", "policy").get(pk=stage.pk) for _ in approvers]
    barrier = threading.Barrier(2)
    outcomes = []

    def act(user, instance):
        try:
            barrier.wait()
            services.stage_approve(stage=instance, actor=user)
            outcomes.append("ok")
        except ApprovalError as exc:
            outcomes.append(exc.message)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=act, args=pair) for pair in zip(approvers, seen, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["ok", "已被他人处理,请刷新"]
    assert StageEvent.objects.filter(stage=stage, action=EventAction.STAGE_APPROVED).count() == 1
    assert ApprovalStage.objects.get(pk=stage.pk).status == "approved"
    assert StageEvent.objects.filter(stage__project=project, action=EventAction.STAGE_OPENED).count() == 2
