"""Stage transitions through the one runner: permission before status, and history that cannot
be changed."""

import pytest

from approvals import services
from approvals.errors import ApprovalError
from approvals.models import StageEvent

from . import factories as af


def test_a_stage_refuses_an_outsider_at_the_wrong_status_as_forbidden_not_state(personas, project_a):
    stage = af.stage_of(project_a, 1)  # waiting: 受理 is not possible now, and bob may never do it
    with pytest.raises(ApprovalError) as info:
        services.stage_accept(stage=stage, actor=personas.bob)
    assert info.value.code == "forbidden"
    with pytest.raises(ApprovalError) as info:
        services.stage_accept(stage=stage, actor=personas.adam)  # may; the status refuses
    assert info.value.code == "state"
    assert not StageEvent.objects.filter(stage=stage).exists()


def test_stage_events_cannot_be_updated_or_deleted(project_a):
    event = StageEvent.objects.filter(project=project_a).first()
    with pytest.raises(ValueError, match="只能追加"):
        event.save()
    with pytest.raises(ValueError, match="只能追加"):
        event.delete()
