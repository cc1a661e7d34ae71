"""Loading next year's holiday notice moves provisional stage deadlines, and says which."""

import datetime as dt

from approvals import services
from approvals.deadlines import recompute_stage_deadlines
from workdays.calendar import reset_cache
from workdays.hooks import deadline_sources, recompute_deadlines
from workdays.models import CalendarDay, DayKind, DaySource
from workdays.services import calendar_changed

from . import factories as af

ACCEPTED = dt.date(2027, 12, 20)  # Monday; 2027 and 2028 are counted by the weekday rule


def test_hook_is_registered(db):
    assert deadline_sources()["approvals.stage"] is recompute_stage_deadlines


def test_provisional_due_on_moves_when_the_notice_is_loaded(personas, approvers, project_a):
    af.upload_materials(af.stage_of(project_a, 1), personas.alice, today=ACCEPTED)
    services.project_submit(project=project_a, actor=personas.alice, today=ACCEPTED)
    stage = services.stage_accept(stage=af.stage_of(project_a, 1), actor=approvers[0], today=ACCEPTED)
    # Weekday rule: 12-21..24 (4), 12-27..31 (9), 01-03..07 (14), 01-10..14 (19), 01-17 (20).
    assert (stage.due_on, stage.provisional) == (dt.date(2028, 1, 17), True)

    # The 2028 notice: every day official, Monday 01-03 a holiday (New Year).
    CalendarDay.objects.filter(date__year=2028).update(source=DaySource.NOTICE)
    CalendarDay.objects.filter(date=dt.date(2028, 1, 3)).update(is_workday=False, kind=DayKind.HOLIDAY,
                                                                  name="元旦")
    calendar_changed()
    reset_cache()

    assert recompute_deadlines(year=2028, dry_run=True)["approvals.stage"][0].new_due_on == dt.date(2028, 1,
                                                                                                    18)
    assert af.stage_of(project_a, 1).due_on == dt.date(2028, 1, 17)  # dry run wrote nothing

    moved = recompute_stage_deadlines(year=2028)
    assert [(m.old_due_on, m.new_due_on) for m in moved] == [(dt.date(2028, 1, 17), dt.date(2028, 1, 18))]
    assert moved[0].url.endswith(f"/projects/stages/{stage.pk}/")
    assert moved[0].notify_user_ids == (personas.alice.pk,)
    stage = af.stage_of(project_a, 1)
    assert (stage.due_on, stage.provisional) == (dt.date(2028, 1, 18), False)
    assert recompute_stage_deadlines(year=2028) == []  # no longer provisional


def test_loading_the_notice_tells_the_handlers_whose_deadlines_moved(
        personas, approvers, project_a, django_capture_on_commit_callbacks):
    from notifications.models import Notification
    from workdays.services import notice_load

    af.upload_materials(af.stage_of(project_a, 1), personas.alice, today=ACCEPTED)
    services.project_submit(project=project_a, actor=personas.alice, today=ACCEPTED)
    services.stage_accept(stage=af.stage_of(project_a, 1), actor=approvers[0], today=ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        notice_load(rows=[["2028-01-03", "holiday", "元旦"]])
    assert af.stage_of(project_a, 1).due_on == dt.date(2028, 1, 18)
    notice = Notification.objects.get(recipient=personas.alice)
    assert notice.title.startswith("期限调整")
    assert "由 2028-01-17 调整为 2028-01-18" in notice.body
