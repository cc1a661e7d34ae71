"""The 容缺 recheck leaves raised commitments out by their escalation's matter (the stage), and
still finds one raised before escalations recorded a matter by its acceptance event."""

import pytest

from approvals.models import EventAction, StageEvent
from notifications.models import Escalation

from .conftest import D, clock
from .test_stage_sweep import accepted_stage


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_raised_commitment_is_raised_once_with_or_without_its_matter(personas, approvers, sweep):
    stage = accepted_stage(personas, approvers, key_only=True, commitment_workdays=3)
    assert stage.commitment_due_on == D(2026, 9, 28)
    accepted = StageEvent.objects.get(stage=stage, action=EventAction.STAGE_ACCEPTED)
    with clock("2026-09-29 10:00"):
        assert sweep()["approvals.stages"]["commitments"] == 1
    commitment = Escalation.objects.for_object(accepted).get()
    assert (commitment.matter_type.model_class(), commitment.matter_id) == (type(stage), stage.pk)
    notified = commitment.notifications.count()
    with clock("2026-09-30 10:00"):
        assert sweep()["approvals.stages"]["commitments"] == 0
    # An escalation written before matters were recorded: the acceptance event still tells.
    Escalation.objects.filter(pk=commitment.pk).update(matter_type=None, matter_id=None)
    with clock("2026-10-08 10:00"):
        assert sweep()["approvals.stages"]["commitments"] == 0
    assert Escalation.objects.for_object(accepted).count() == 1
    assert commitment.notifications.count() == notified
    # And one not raised at all is found (the recheck does not leave out every stage).
    Escalation.objects.filter(pk=commitment.pk).delete()
    with clock("2026-10-09 10:00"):
        assert sweep()["approvals.stages"]["commitments"] == 1
