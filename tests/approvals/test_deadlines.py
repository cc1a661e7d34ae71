"""A calendar change moves the stage deadlines counted across it, and says which."""

import datetime as dt

import pytest
import time_machine
from django.db import connection  # noqa: F401  (skipif conditions read connection)

from approvals import services
from approvals.deadlines import recompute_stage_deadlines
from workdays import add_workdays
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

    [dry] = recompute_deadlines(since=dt.date(2028, 1, 1), dry_run=True)["approvals.stage"]
    assert dry.new_due_on == dt.date(2028, 1, 18)
    assert af.stage_of(project_a, 1).due_on == dt.date(2028, 1, 17)  # dry run wrote nothing

    moved = recompute_stage_deadlines(since=dt.date(2028, 1, 1))
    assert [(m.old_due_on, m.new_due_on) for m in moved] == [(dt.date(2028, 1, 17), dt.date(2028, 1, 18))]
    assert moved[0].url.endswith(f"/projects/stages/{stage.pk}/")
    # The enterprise's users and the stage's approvers (defect fix: the approvers were left out).
    assert set(moved[0].notify_user_ids) == {personas.alice.pk, *(a.pk for a in approvers)}
    stage = af.stage_of(project_a, 1)
    assert (stage.due_on, stage.provisional) == (dt.date(2028, 1, 18), False)
    assert recompute_stage_deadlines(since=dt.date(2028, 1, 1)) == []  # counted already


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


def test_a_day_corrected_by_hand_moves_an_official_deadline_and_tells_the_enterprise(
        personas, approvers, project_a, project_b, django_capture_on_commit_callbacks):
    """2026 is official (not provisional): a correction must still find the deadlines by date."""
    from notifications.models import Notification
    from workdays.services import calendar_day_correct

    accepted = dt.date(2026, 9, 18)  # Friday; 24 working days later is 2026-10-28
    for project, owner in ((project_a, personas.alice), (project_b, personas.bob)):
        af.upload_materials(af.stage_of(project, 1), owner, today=accepted)
        services.project_submit(project=project, actor=owner, today=accepted)
    crossing = services.stage_accept(stage=af.stage_of(project_a, 1), actor=approvers[0], today=accepted)
    # Accepted after the corrected day: its window does not count 2026-10-21.
    later = services.stage_accept(stage=af.stage_of(project_b, 1), actor=approvers[0],
                                  today=dt.date(2026, 10, 22))
    assert not crossing.provisional
    before_later = later.due_on

    with django_capture_on_commit_callbacks(execute=True):
        correction = calendar_day_correct(date=dt.date(2026, 10, 21), kind=DayKind.HOLIDAY, name="临时休假")

    assert correction.status_changed and correction.moved_count == 1
    assert af.stage_of(project_a, 1).due_on == add_workdays(crossing.due_on, 1)
    assert af.stage_of(project_b, 1).due_on == before_later
    notice = Notification.objects.get(recipient=personas.alice, title__startswith="期限调整")
    assert notice.body.startswith("工作日历 2026-10-21 已更正为法定节假日, 期限由 ")


def test_renaming_a_day_moves_nothing(personas, approvers, project_a):
    from workdays.services import calendar_day_correct

    correction = calendar_day_correct(date=dt.date(2026, 10, 1), kind=DayKind.HOLIDAY, name="国庆")
    assert (correction.status_changed, correction.moved) == (False, {})


def test_a_finished_pause_is_recounted_with_the_corrected_day(personas, approvers, project_a):
    """A day corrected inside a finished pause: the pause holds one working day fewer, the window
    one working day fewer too, so the deadline stays where it was and nobody is told it moved."""
    from approvals.models import ClockPause, PauseKind
    from workdays.services import calendar_day_correct

    stage = _accepted(personas, approvers, project_a, dt.date(2026, 9, 1))
    stage = services.stage_pause(stage=stage, actor=approvers[0], kind=PauseKind.HEARING,
                                 legal_basis="《行政许可法》第四十八条", today=dt.date(2026, 9, 7))
    stage = services.stage_resume(stage=stage, actor=approvers[0], today=dt.date(2026, 9, 14))
    assert stage.paused_workdays == 5  # 09-08..09-11, 09-14
    due = stage.due_on

    correction = calendar_day_correct(date=dt.date(2026, 9, 10), kind=DayKind.HOLIDAY, name="临时休假")

    stage = af.stage_of(project_a, 1)
    assert (stage.paused_workdays, stage.due_on) == (4, due)
    assert ClockPause.objects.get(stage=stage).paused_workdays == 4
    assert correction.moved["approvals.stage"] == []


def test_a_stage_no_longer_overdue_drops_from_red_to_green(personas, approvers, project_a):
    from approvals.models import ApprovalStage
    from notifications.levels import WarningLevel
    from workdays.services import calendar_day_correct

    stage = _accepted(personas, approvers, project_a, dt.date(2026, 9, 1))
    later = add_workdays(stage.due_on, 1)
    ApprovalStage.objects.filter(pk=stage.pk).update(warning_level=WarningLevel.RED)
    with time_machine.travel(dt.datetime(later.year, later.month, later.day, 10, 0), tick=False):
        calendar_day_correct(date=dt.date(2026, 9, 2), kind=DayKind.HOLIDAY, name="临时休假")
    stage = af.stage_of(project_a, 1)
    assert (stage.due_on, stage.warning_level) == (later, WarningLevel.GREEN)


def _accepted(personas, approvers, project, on):
    af.upload_materials(af.stage_of(project, 1), personas.alice, today=on)
    services.project_submit(project=project, actor=personas.alice, today=on)
    return services.stage_accept(stage=af.stage_of(project, 1), actor=approvers[0], today=on)


@pytest.mark.postgres
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the version row lock is PostgreSQL's")
def test_a_service_waits_for_a_calendar_change_in_progress(personas, approvers, project_a):
    """While a calendar change holds the version row, a service that counts a deadline waits for
    it (here: gives up after the lock timeout) instead of counting with the calendar it replaces."""
    import threading

    from django.db import OperationalError, connections, transaction

    from workdays.models import CalendarVersion

    locked, release = threading.Event(), threading.Event()

    def calendar_writer():
        try:
            with transaction.atomic():
                CalendarVersion.objects.select_for_update().get(id=1)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    writer = threading.Thread(target=calendar_writer)
    writer.start()
    try:
        assert locked.wait(10)
        with pytest.raises(OperationalError, match="lock timeout"), transaction.atomic():
            connection.cursor().execute("SET LOCAL lock_timeout = '300ms'")
            services.project_submit(project=project_a, actor=personas.alice, today=dt.date(2026, 9, 1))
    finally:
        release.set()
        writer.join(10)
    project_a.refresh_from_db()
    assert project_a.status == "draft"


def _accepted_with_commitment(personas, approvers):
    """Stage 1 accepted Mon 2026-11-02 without its non-key material, 5 working days to bring it."""
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a)
    af.upload_materials(af.stage_of(project, 1), personas.alice, key_only=True)
    services.project_submit(project=project, actor=personas.alice)
    return services.stage_accept(stage=af.stage_of(project, 1), actor=approvers[0], commitment_workdays=5,
                                 today=dt.date(2026, 11, 2))


def test_a_commitment_date_follows_a_corrected_day(personas, approvers):
    from workdays.services import calendar_day_correct

    project = _accepted_with_commitment(personas, approvers).project
    assert af.stage_of(project, 1).commitment_due_on == dt.date(2026, 11, 9)  # Mon + 5 working days

    correction = calendar_day_correct(date=dt.date(2026, 11, 4), kind=DayKind.HOLIDAY, name="临时休假")

    assert af.stage_of(project, 1).commitment_due_on == dt.date(2026, 11, 10)
    [moved] = [m for m in correction.moved["approvals.stage"] if "容缺" in m.label]
    assert (moved.old_due_on, moved.new_due_on) == (dt.date(2026, 11, 9), dt.date(2026, 11, 10))


def test_a_stage_whose_deadline_and_commitment_both_move_is_written_once(personas, approvers):
    """The commitment's date is written with the stage's (one UPDATE of the stage table: a second
    would write every one of its indexes again) and still reported after the stage deadlines."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workdays.services import calendar_day_correct

    stage = _accepted_with_commitment(personas, approvers)
    due_on = stage.due_on
    with CaptureQueriesContext(connection) as queries:
        correction = calendar_day_correct(date=dt.date(2026, 11, 4), kind=DayKind.HOLIDAY, name="临时休假")

    stage = af.stage_of(stage.project, 1)
    assert stage.due_on == add_workdays(dt.date(2026, 11, 2), stage.budget_workdays) != due_on
    assert stage.commitment_due_on == dt.date(2026, 11, 10)
    moved = correction.moved["approvals.stage"]
    assert [(m.old_due_on, m.new_due_on, "容缺" in m.label) for m in moved] == [
        (due_on, stage.due_on, False), (dt.date(2026, 11, 9), dt.date(2026, 11, 10), True)]
    table = "approvals_approvalstage"
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(f'UPDATE "{table}"')
               or (q["sql"].startswith('WITH v ("id"') and f'UPDATE "{table}"' in q["sql"])]
    assert len(updates) == 1
    assert '"commitment_due_on" = v."commitment_due_on"' in updates[0]


def test_an_english_admin_still_stores_chinese_labels_and_notices(
        personas, approvers, project_a, django_capture_on_commit_callbacks):
    from django.utils import translation

    from notifications.models import Notification
    from workdays.services import calendar_day_correct

    _accepted(personas, approvers, project_a, dt.date(2026, 9, 18))
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        correction = calendar_day_correct(date=dt.date(2026, 10, 21), kind=DayKind.HOLIDAY, name="临时休假")
    [moved] = correction.moved["approvals.stage"]
    assert moved.label == "甲公司新材料生产基地 · 立项用地规划许可"
    notice = Notification.objects.get(recipient=personas.alice, title__startswith="期限调整")
    assert notice.body.startswith("工作日历 2026-10-21 已更正为法定节假日, ")


def test_a_withdrawn_projects_commitment_does_not_move_and_nobody_is_told(
        personas, approvers, django_capture_on_commit_callbacks):
    from notifications.models import Notification
    from workdays.services import calendar_day_correct

    project = _accepted_with_commitment(personas, approvers).project
    services.project_withdraw(project=project, actor=personas.alice, today=dt.date(2026, 11, 3))
    with django_capture_on_commit_callbacks(execute=True):
        correction = calendar_day_correct(date=dt.date(2026, 11, 4), kind=DayKind.HOLIDAY, name="临时休假")
    assert correction.moved["approvals.stage"] == []
    assert af.stage_of(project, 1).commitment_due_on == dt.date(2026, 11, 9)
    assert not Notification.objects.filter(title__startswith="期限调整").exists()


def test_a_moved_stage_deadline_tells_the_enterprise_and_the_stages_approvers(
        personas, approvers, project_a, django_capture_on_commit_callbacks):
    """The enterprise's users and the active members of the stage's departments (stage 1: 发改 and
    自然资源和规划) hear that the deadline moved; an inactive approver and one of another
    department do not. The approvers are read in one query for all the moved stages."""
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    from approvals.deadlines import Told, _Projects
    from approvals.models import Department
    from notifications.models import Notification
    from tests import factories as f
    from workdays.services import calendar_day_correct

    adam, amy = approvers
    retired = f.UserFactory(username="ivan", roles=["approver"], is_active=False)
    elsewhere = f.UserFactory(username="zoe", roles=["approver"])
    Department.objects.get(code="fgw").members.add(retired)
    Department.objects.get(code="sthj").members.add(elsewhere)
    accepted = dt.date(2026, 9, 18)
    stages = {}
    project_b = af.make_project(actor=personas.bob, enterprise=personas.enterprise_b, name="乙公司厂房")
    for project, owner in ((project_a, personas.alice), (project_b, personas.bob)):
        af.upload_materials(af.stage_of(project, 1), owner, today=accepted)
        services.project_submit(project=project, actor=owner, today=accepted)
        stages[owner] = services.stage_accept(stage=af.stage_of(project, 1), actor=adam, today=accepted)

    with django_capture_on_commit_callbacks(execute=True):
        correction = calendar_day_correct(date=dt.date(2026, 10, 21), kind=DayKind.HOLIDAY, name="临时休假")

    told = {m.url: set(m.notify_user_ids) for m in correction.moved["approvals.stage"]}
    assert told == {f"/projects/stages/{stages[owner].pk}/": {owner.pk, adam.pk, amy.pk}
                    for owner in (personas.alice, personas.bob)}
    assert all(len(m.notify_user_ids) == len(set(m.notify_user_ids))
               for m in correction.moved["approvals.stage"])
    # One notice per person for the correction (a digest): the approvers' lists both stages.
    notices = Notification.objects.filter(title__startswith="期限调整")
    assert sorted(notices.values_list("recipient__username", flat=True)) == sorted(
        ["alice", "bob", "adam", "amy"])
    assert notices.get(recipient=adam).title == "期限调整: 您的 2 个期限随工作日历调整"
    listed = notices.get(recipient=amy).body
    assert all(f"/projects/stages/{stage.pk}/" in listed for stage in stages.values())

    def told(moved_stages):
        day = dt.date(2026, 10, 28)
        return Told().deadlines([(stage.pk, day, day, stage.project_id, stage.kind, stage.policy_id)
                                 for stage in moved_stages], _Projects({s.project_id for s in moved_stages}))

    with CaptureQueriesContext(db) as one:
        told([stages[personas.alice]])
    with CaptureQueriesContext(db) as both:
        told(stages.values())
    assert len(both) == len(one)
