"""An unanswered 督办 is swept like every clock: yellow on its reply deadline's day (its addressees),
red the day after (they and the leader who supervised), escalated after ESCALATE_AFTER_WORKDAYS
(the committee's leaders) — each level once, also when the sweep runs twice. A reply stops it.

Supervised Tue 09-29 with 2 working days to reply: 09-30, 10-08 → due Thu 10-08.
"""

from django.contrib.contenttypes.models import ContentType

from notifications.levels import WarningLevel
from notifications.models import Escalation, Supervision
from notifications.supervisions import supervision_open, supervision_reply
from tests import factories as f

from .conftest import D, clock, recipients
from .test_stage_sweep import accepted_stage


def _escalations(supervision):
    content_type = ContentType.objects.get_for_model(Supervision)
    rows = Escalation.objects.filter(content_type=content_type, object_id=supervision.pk)
    return {escalation.level: escalation for escalation in rows}


def _supervise(personas, approvers):
    stage = accepted_stage(personas, approvers)
    with clock("2026-09-29 10:00"):
        return supervision_open(matter=stage, actor=personas.leo, instruction="请两日内出具意见")


def test_an_unanswered_supervision_goes_yellow_red_escalated_once_each(personas, approvers, sweep):
    lena = f.LeaderFactory(user__username="lena").user
    supervision = _supervise(personas, approvers)
    assert supervision.due_on == D(2026, 10, 8)
    addressees = {"adam", "amy", "carol"}
    assert set(supervision.addressees.values_list("username", flat=True)) == addressees

    with clock("2026-09-30 10:00"):
        sweep(), sweep()
    assert _escalations(supervision) == {}
    with clock("2026-10-08 10:00"):  # the last day
        sweep(), sweep()
    assert set(_escalations(supervision)) == {"yellow"}
    assert recipients(_escalations(supervision)["yellow"]) == addressees
    with clock("2026-10-09 10:00"):
        sweep(), sweep()
    assert recipients(_escalations(supervision)["red"]) == {*addressees, "leo"}
    with clock("2026-10-10 10:00"):  # red for 2 working days (10-09, 10-10 调休)
        sweep(), sweep()
    escalated = _escalations(supervision)["escalated"]
    assert recipients(escalated) == {"leo", lena.username}  # every committee leader
    assert "未回复" in escalated.title and escalated.link == supervision.link
    assert Supervision.objects.get(pk=supervision.pk).warning_level == WarningLevel.ESCALATED
    assert len(_escalations(supervision)) == 3


def test_a_reply_stops_the_clock(personas, approvers, sweep):
    supervision = _supervise(personas, approvers)
    with clock("2026-10-08 10:00"):
        sweep()
        supervision_reply(supervision=supervision, actor=approvers[0], text="已出具意见")
    with clock("2026-10-12 10:00"):
        sweep()
    assert set(_escalations(supervision)) == {"yellow"}
