"""A sweep's statements grow with its batches, never with its rows: 10 and 1,000 newly overdue
stages (or demand nodes) cost the same statements, each level raised with its notifications.

The rows are copies of one made through the services (a stage accepted Tue 09-22, due Thu 10-08;
a demand submitted Wed 09-30, due Thu 10-08), spread over enterprises A and B; swept on Tue 10-13
they go red and escalated in one run (see test_idempotency).
"""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalStage, Project
from approvals.sweep import sweep_stages
from commissioners.models import Demand, DemandCategory, DemandEvent
from commissioners.sweep import sweep_demands
from notifications import services
from notifications.models import Channel, Delivery, Escalation, Notification
from notifications.moved import DIGEST_ITEMS
from notifications.services import notify_each
from workdays import calendar
from workdays.models import DayKind
from workdays.services import calendar_day_correct

from .conftest import clock
from .test_demand_sweep import submit
from .test_stage_sweep import accepted_stage


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _calendar_checked_once(monkeypatch):
    """The calendar re-reads its version stamp every VERSION_CHECK_SECONDS of a long loop: a
    statement per elapsed interval, not per row; held still so the counts compare rows alone."""
    monkeypatch.setattr(calendar, "VERSION_CHECK_SECONDS", 3600)


def _copies(row, n, enterprises, **change):
    copies = []
    for i in range(n):
        copy = type(row).objects.get(pk=row.pk)
        copy.pk = copy.id = None
        for name, value in change.items():
            setattr(copy, name, value(i))
        copies.append(copy)
    return copies


def _stages(template, n, enterprises):
    project = template.project
    projects = Project.objects.bulk_create(_copies(
        project, n, enterprises, code=lambda i: f"{project.code}-{Project.objects.count()}-{i}",
        enterprise_id=lambda i: enterprises[i % 2].pk))
    return ApprovalStage.objects.bulk_create(_copies(template, n, enterprises,
                                                     warning_level=lambda i: "green",
                                                     project_id=lambda i: projects[i].pk))


def _demands(template, n, enterprises):
    demands = Demand.objects.bulk_create(_copies(template, n, enterprises, warning_level=lambda i: "green",
                                                 enterprise_id=lambda i: enterprises[i % 2].pk))
    DemandEvent.objects.bulk_create(DemandEvent(demand=d, action="submitted", to_status=d.status)
                                    for d in demands)
    return demands


def _statements(sweep):
    with clock("2026-10-13 10:00"), transaction.atomic(), CaptureQueriesContext(connection) as queries:
        counts = sweep(timezone.now())
    return len(queries), counts


@pytest.mark.parametrize("digest_after", [10_000, None])
def test_the_stage_sweep_costs_the_same_statements_for_10_and_1000_overdue_stages(
        personas, approvers, settings, digest_after):
    """Told one by one (a digest threshold above the rows), and with the default threshold: each
    holder of the 10 and of the 1,000 stages gets one digest of the run instead (adam, amy, hank and
    hana hold them all); every stage keeps its escalation either way."""
    if digest_after is not None:
        settings.SWEEP_DIGEST_AFTER = digest_after
    enterprises = [personas.enterprise_a, personas.enterprise_b]
    template = accepted_stage(personas, approvers)
    _statements(sweep_stages)  # the template itself; warms the content-type cache
    runs = {}
    for n in (10, 1000):
        _stages(template, n, enterprises)
        runs[n] = _statements(sweep_stages)
        assert runs[n][1] == {"yellow": 0, "red": n, "escalated": n, "commitments": 0}
    assert runs[10][0] == runs[1000][0], runs
    assert Escalation.objects.count() == 2 * 1011
    if digest_after is not None:  # adam, amy, hank, hana
        assert Notification.objects.filter(escalation__level="red").count() == 4 * 1011
    else:
        assert Notification.objects.filter(escalation__level="red").count() == 4  # the template, one by one
        digests = Notification.objects.filter(level="red", escalation=None)
        assert sorted(digests.values_list("recipient__username", "title")) == sorted(
            (name, f"红色超期: {n} 个审批阶段")
            for name in ("adam", "amy", "hank", "hana") for n in (10, 1000))
        assert set(digests.values_list("link", flat=True)) == {"/projects/queue/?overdue=on"}
        body = digests.get(recipient__username="hana", title="红色超期: 1000 个审批阶段").body
        assert body.startswith("本次巡检共有 1000 个审批阶段已超过办结期限, 包括 ")
        assert body.endswith("等。请在审批待办中查看。")
        assert body.count("测试工程建设项目 · 立项用地规划许可") == 3  # the first three stages, by name
    _each_notification_delivered_in_app_and_by_email()


def _each_notification_delivered_in_app_and_by_email():
    """The deliveries written by INSERT … SELECT: exactly one per notification and channel."""
    notifications = Notification.objects.count()
    for channel in (Channel.IN_APP, Channel.EMAIL):
        assert Delivery.objects.filter(channel=channel).count() == notifications
    assert not Delivery.objects.filter(channel=Channel.WEBHOOK).exists()  # NOTIFY_WEBHOOK_URL unset


def test_the_demand_sweep_costs_the_same_statements_for_10_and_1000_overdue_nodes(personas, seeded):
    enterprises = [personas.enterprise_a, personas.enterprise_b]
    template = submit(personas, DemandCategory.objects.get(code="approval"))
    _statements(sweep_demands)
    runs = {}
    for n in (10, 1000):
        _demands(template, n, enterprises)
        runs[n] = _statements(sweep_demands)
        assert (runs[n][1]["demand_red"], runs[n][1]["demand_escalated"]) == (n, n)
    assert runs[10][0] == runs[1000][0], runs
    assert Escalation.objects.filter(level="red").count() == 1011


def test_notify_each_costs_the_same_statements_for_10_and_1000_messages(personas,
                                                                       django_capture_on_commit_callbacks):
    people = [personas.carol, personas.gary, personas.alice]
    with django_capture_on_commit_callbacks(execute=False):
        notify_each([{"recipients": people, "title": "warm", "body": ""}])  # the quiet-hours calendar
    runs = {}
    for n in (10, 1000):
        before = Notification.objects.count()
        messages = [{"recipients": people, "title": f"期限调整 {i}", "body": "b", "link": f"/x/{i}/"}
                    for i in range(n)]
        with django_capture_on_commit_callbacks(execute=False), CaptureQueriesContext(connection) as queries:
            ids = notify_each(messages)
        runs[n] = len(queries)
        assert len(ids) == Notification.objects.count() - before == 3 * n
    assert runs[10] == runs[1000], runs
    _each_notification_delivered_in_app_and_by_email()
    last = Notification.objects.filter(title="期限调整 999")
    assert set(last.values_list("recipient__username", "link")) == {
        ("carol", "/x/999/"), ("gary", "/x/999/"), ("alice", "/x/999/")}


def test_a_calendar_correction_costs_the_same_statements_for_10_and_1000_moved_deadlines(
        personas, approvers, django_capture_on_commit_callbacks, monkeypatch):
    """A working day before the stages' due_on (Thu 10-08) corrected into a holiday moves every
    one of them a working day later; the recount and the notices to their holders cost the
    same statements for 10 and 1,000 deadlines (the e-mails' tasks, a few per batch, are held)."""
    queued = []
    monkeypatch.setattr(services, "_enqueue_now", queued.extend)
    enterprises = [personas.enterprise_a, personas.enterprise_b]
    template = accepted_stage(personas, approvers)
    runs, total, told = {}, 1, 0
    for n, day in ((10, "2026-09-28"), (1000, "2026-09-29")):
        _stages(template, n, enterprises)
        runs[n], correction = _corrected(day, django_capture_on_commit_callbacks)
        total += n
        assert correction.moved_count == ApprovalStage.objects.exclude(due_on=None).count() == total
        told += len({pk for found in correction.moved.values() for moved in found
                     for pk in moved.notify_user_ids})
    assert runs[10] == runs[1000], runs
    due = set(ApprovalStage.objects.exclude(due_on=None).values_list("due_on", flat=True))
    assert due == {dt.date(2026, 10, 10)}
    # each holder of a moved deadline is told once per correction (a digest of their deadlines)
    assert Notification.objects.filter(title__startswith="期限调整").count() == told
    emails = Delivery.objects.filter(channel=Channel.EMAIL).values_list("pk", flat=True)
    assert sorted(queued) == sorted(emails)
    _each_notification_delivered_in_app_and_by_email()


def test_a_person_with_10_or_1000_moved_deadlines_gets_one_notice_for_the_same_statements(
        personas, approvers, django_capture_on_commit_callbacks, monkeypatch):
    """All the stages are enterprise A's: alice holds 10, then 1,010 moved deadlines; each
    correction tells her once (how many, the first ten, her project list), for the same
    statements."""
    monkeypatch.setattr(services, "_enqueue_now", lambda ids: None)
    template = accepted_stage(personas, approvers)
    runs = {}
    for n, day in ((10, "2026-09-28"), (1000, "2026-09-29")):
        _stages(template, n, [personas.enterprise_a, personas.enterprise_a])
        before = Notification.objects.filter(recipient=personas.alice).count()
        runs[n], correction = _corrected(day, django_capture_on_commit_callbacks)
        [notice] = Notification.objects.filter(recipient=personas.alice).order_by("pk")[before:]
        held = ApprovalStage.objects.filter(project__enterprise=personas.enterprise_a).exclude(
            due_on=None).count()
        assert correction.moved_count == held
        assert notice.title == f"期限调整: 您的 {held} 个期限随工作日历调整"
        assert notice.link == reverse("approvals:project_list")
        assert notice.body.count("\n· ") == DIGEST_ITEMS
        assert notice.body.endswith(f"及另外 {held - DIGEST_ITEMS} 项, 全部见 {notice.link}")
    assert runs[10] == runs[1000], runs


def _corrected(day, capture_on_commit):
    """A working day corrected into a holiday: its statements, the notices after the commit included."""
    with clock("2026-09-23 10:00"), CaptureQueriesContext(connection) as queries, \
            capture_on_commit(execute=True):
        correction = calendar_day_correct(date=dt.date.fromisoformat(day), kind=DayKind.HOLIDAY, name="更正")
    return len(queries), correction


def test_a_head_told_by_a_red_digest_hears_of_the_supervision_of_one_of_its_stages(personas, approvers):
    """A digest sums up the run's escalations without a link to each; a leader's 督办 on one of
    them still reaches everyone the red rule told — the department heads hank and hana too."""
    template = accepted_stage(personas, approvers)
    _stages(template, 7, [personas.enterprise_a, personas.enterprise_b])
    _statements(sweep_stages)
    assert Notification.objects.filter(level="red", escalation=None, recipient__username="hana").exists()
    red = Escalation.objects.filter(level="red").exclude(object_id=template.pk).first()
    assert not red.notifications.exists()  # told by the digests only
    with clock("2026-10-14 10:00"):
        services.escalation_supervise(escalation=red, actor=personas.leo, comment="请本周内办结")
    told = set(Notification.objects.filter(title__startswith="督办")
               .values_list("recipient__username", flat=True))
    assert {"adam", "amy", "hank", "hana"} <= told
