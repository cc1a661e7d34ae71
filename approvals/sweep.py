"""The approvals sweep: stage clocks and 容缺 commitments, watched every ten minutes.

Registered in ApprovalsConfig.ready() as "approvals.stages"; notifications.sweep runs it in its
own transaction under the sweep lock. Each step asks the database which open stages cross a
line (stored due_on, the partial index on running stages), moves their warning_level with one
conditional UPDATE (notifications.levels.move_level) and raises an Escalation only for the rows
that call moved. escalation_raise is itself unique per (object, level): a second sweep, a
retried task or two workers never notify twice.

    yellow     working days left <= the policy's threshold    the approvers (handlers)
    red        today > due_on                                  handlers + department heads
    escalated  red for N working days, or the project's        the enterprise's leaders, the
               whole category limit exceeded                   administrative-approval group's
                                                               leader, the enterprise's commissioner

A stage escalated because the project ran over still goes red when its own due_on passes (its
stored level stays escalated). A paused stage (supplement, hearing, testing, expert review) is
not running, so not swept.
"""


import datetime as dt
import json
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, Min, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from commissioners.holders import People
from commissioners.selectors import working_group_leader_users
from core.links import url_parts
from enterprises.models import EnterpriseMember
from notifications.levels import (
    BATCH,
    describe_due,
    drop_moved_entries,
    escalate_after,
    long_overdue,
    move_batches,
    warning_due,
)
from notifications.models import Escalation, Level, Notification, SweepRun
from notifications.services import (
    NOTIFICATION_COLUMNS,
    Raise,
    _deliveries_insert,
    _ids_in,
    _stamp_param,
    deliveries_enqueue,
    escalations_raise,
)
from workdays import add_workdays, workdays_between

from . import clock, rules
from .choices import RUNNING, Opinion
from .models import (
    ApprovalStage,
    Department,
    EventAction,
    Project,
    StageEvent,
    StageKind,
    StagePolicy,
    StageReview,
    WarningLevel,
)
from .models.stage import sweep_due

W = WarningLevel
# The working group that answers for approvals (行政审批工作组).
DEFAULT_WORKING_GROUP = "approval"
SWEEP_NAME = "approvals.stages"


def sweep_stages(now):
    """Each step walks its rows a batch at a time: one UPDATE moves a batch. Yellow and red (the
    bulk of a backlog) raise the batch's escalations with one INSERT … SELECT from the moved ids
    and write the run's notifications at the end, a digest for whoever would get more than a
    handful (_Notices); escalated (a few) and 容缺 build their messages per stage (_raise)."""
    today = timezone.localdate(now)
    people = _People()
    running = _running()
    notices = _Notices(today)
    counts = {
        "yellow": notices.step(_yellow_due(today), W.YELLOW, [W.GREEN], Level.YELLOW),
        "red": (notices.step(running.overdue(today), W.RED, [W.GREEN, W.YELLOW], Level.RED)
                + notices.raise_ids(_escalated_without_red(today), Level.RED)),
    }
    notices.notify()
    escalated = _step(long_overdue(running.overdue(today), today), W.ESCALATED, [W.RED], Level.ESCALATED,
                      today, people)
    escalated += _step(_over_project_limit(today), W.ESCALATED, [W.GREEN, W.YELLOW, W.RED],
                       Level.ESCALATED, today, people)
    counts["escalated"] = escalated
    counts["commitments"] = sweep_commitments(today, people)
    if counts["yellow"]:
        transaction.on_commit(lambda: drop_moved_entries(_green_window(today)))
    return counts


def _step(queryset, to_level, from_levels, level, today, people):
    """Move the rows batch by batch; raise `level` for exactly the rows each batch moved."""
    return sum(_raise(ids, level, today, people)
               for ids in move_batches(queryset=queryset, to_level=to_level, from_levels=from_levels))


# --- which stages cross a line (set-based) ---------------------------------------------------

def _running():
    return ApprovalStage.objects.filter(status__in=RUNNING, due_on__isnull=False)


def _yellow_due(today):
    """Running stages within their policy's warning threshold. The threshold is the policy's (as
    it stands today), so each threshold's range names the policies holding it (policy_id IN …:
    no join per row), and the partial index stage_green_policy_due on green running stages holds
    each range to the stages that may still turn yellow (the step moves green ones only; the
    yellow ones, most of the window, are not read). The ranges compare sweep_due() (due_on for a
    running stage), which only that index holds: on due_on itself the planner, which takes
    running and due-soon for independent, read the whole window by stage_queue_open (0.15–0.3 s
    at 1M)."""
    policies = {}
    for pk, threshold in StagePolicy.objects.values_list("pk", "warning_threshold_workdays"):
        policies.setdefault(threshold, []).append(pk)
    return warning_due(_running(), today, "policy__warning_threshold_workdays",
                       {threshold: Q(policy__in=pks) for threshold, pks in policies.items()}, due=sweep_due())


def _green_window(today):
    """The ranges of stage_green_policy_due the yellow step reads, as one range per policy (a
    plain index scan, for drop_moved_entries)."""
    policies = dict(StagePolicy.objects.values_list("pk", "warning_threshold_workdays"))
    if not policies:
        return ApprovalStage.objects.none()
    line = add_workdays(today, max(policies.values()) + 1)
    return (ApprovalStage.objects.filter(status__in=RUNNING, warning_level=W.GREEN, policy__in=policies)
            .alias(sweep_due_on=sweep_due()).filter(sweep_due_on__gte=today, sweep_due_on__lt=line))


def _over_project_limit(today):
    """Running stages whose project has used more working days than its category allows.

    Each running stage stores the last day its project stays within the limit (limit_due_on,
    clock.limit_due_on, set with due_on and recounted with it): the project is over once a
    working day has passed after it, an index range on stage_limit_running."""
    return _running().filter(limit_due_on__lte=clock.over_limit_line(today))


def _escalated_without_red(today):
    """Overdue running stages already escalated (the project ran over) that never went red.

    _over_project_limit moves a stage straight to escalated, so the red step, which moves rows
    from green or yellow, would never warn its departments when its own due_on passes. Their
    stored level stays escalated; the Exists keeps the query to stages not yet raised red, and
    the unique (object, level) keeps a racing sweep from notifying twice."""
    red = Escalation.objects.filter(content_type=ContentType.objects.get_for_model(ApprovalStage),
                                    object_id=OuterRef("pk"), level=Level.RED)
    return list(_running().overdue(today).filter(warning_level=W.ESCALATED).exclude(Exists(red))
                .order_by("pk").values_list("pk", flat=True))


# --- who hears of it -------------------------------------------------------------------------

class _People(People):
    """Recipients, looked up once per batch of enterprises, and the group's leader once a sweep."""

    def __init__(self):
        super().__init__()
        self._group_leader = None

    def escalate_to(self, enterprise):
        """The enterprise's paired leaders and its commissioner (primed for the batch)."""
        return [*self.leaders(enterprise), self.responsible(enterprise).commissioner_user]

    def working_group_leader(self):
        if self._group_leader is None:
            code = getattr(settings, "APPROVALS_WORKING_GROUP", DEFAULT_WORKING_GROUP)
            self._group_leader = working_group_leader_users(code)
        return self._group_leader


def handlers(stage):
    """The approvers of the departments holding the stage (rules.holding_departments)."""
    return [member for department in rules.holding_departments(stage)
            for member in department.members.all() if member.is_active]


def supervisors(stage):
    return [d.head for d in rules.holding_departments(stage) if d.head is not None]


def recipients(stage, level, people):
    if level == Level.YELLOW:
        return handlers(stage)
    if level == Level.RED:
        return [*handlers(stage), *supervisors(stage)]
    return [*people.escalate_to(stage.project.enterprise), *people.working_group_leader()]


def _stages(ids, *, enterprise_users=False):
    """The batch's stages with what their messages and recipients read, in a fixed number of
    queries (the departments with their heads and active members, the reviews)."""
    prefetch = ["reviews"]
    if enterprise_users:
        prefetch.append(Prefetch("project__enterprise__members",
                                 queryset=EnterpriseMember.objects.select_related("user")))
    stages = list(ApprovalStage.objects.filter(pk__in=ids)
                  .select_related("project__enterprise", "project__category")
                  .prefetch_related(*prefetch).order_by("pk"))
    # A policy (a handful per sweep) with its departments and their people is loaded once and
    # shared by its stages, not copied into each stage's own prefetch.
    departments = Department.objects.select_related("head").prefetch_related(
        Prefetch("members", queryset=get_user_model().objects.filter(is_active=True)))
    policies = StagePolicy.objects.filter(pk__in={stage.policy_id for stage in stages}).prefetch_related(
        Prefetch("departments", queryset=departments))
    policies = {policy.pk: policy for policy in policies}
    for stage in stages:
        stage.policy = policies[stage.policy_id]
    return stages


# --- what they read --------------------------------------------------------------------------

def link(stage):
    return reverse("approvals:stage_detail", args=[stage.pk])


_KINDS = {}


def _label(stage):
    kind = _KINDS.get((stage.kind, get_language()))
    if kind is None:  # get_kind_display translates on each call: once per kind and language
        kind = _KINDS[(stage.kind, get_language())] = stage.get_kind_display()
    return f"{stage.project.name} · {kind}"


def _reason(stage, level, today):
    if level != Level.ESCALATED:
        return ""
    over = workdays_between(stage.due_on, today) if today > stage.due_on else 0
    if over >= escalate_after():
        return f"超期 {over} 个工作日未办结"
    return f"项目审批总用时超过类别时限 {stage.project.category.limit_workdays} 个工作日"


def _raise(ids, level, today, people):
    stages = _stages(ids)
    if level == Level.ESCALATED:
        people.prime(stage.project.enterprise for stage in stages)
    raises = []
    for stage in stages:
        body = f"{_label(stage)}: {describe_due(stage.due_on, today)}"
        reason = _reason(stage, level, today)
        if reason:
            body += f" 督办原因: {reason}。"
        raises.append(Raise(obj=stage, level=level, recipients=recipients(stage, level, people),
                            title=f"{Level(level).label}: {_label(stage)}", body=body, link=link(stage),
                            reason=reason))
    return len(escalations_raise(raises))


# --- yellow and red in SQL: escalations per batch, the run's notifications at the end ------------

class _Notices:
    """The yellow and red steps, without a model instance per stage.

    Each moved batch raises its escalations with one INSERT … SELECT … ON CONFLICT DO NOTHING
    RETURNING from the moved ids (the title and link built in SQL from the stage's project and
    kind); the unique (object, level) stays the guard, and only the escalations this insert wrote
    are told. At the end of the run (same transaction), one INSERT … SELECT per level writes the
    notifications of all of them, joining the escalations to their stages' holding departments'
    active members (and, for red, the departments' heads), as handlers() and supervisors() do;
    then one INSERT … SELECT their deliveries. Whoever would get more than DIGEST_AFTER messages
    of one level from the run gets one digest instead (the count, the first few stages, a link to
    the queue); each stage keeps its own Escalation either way."""

    def __init__(self, today):
        self.today = today
        self.now = timezone.now()
        self.content_type = ContentType.objects.get_for_model(ApprovalStage).pk
        self.raised = {Level.YELLOW: [], Level.RED: []}

    def step(self, queryset, to_level, from_levels, level):
        return sum(self.raise_ids(ids, level)
                   for ids in move_batches(queryset=queryset, to_level=to_level, from_levels=from_levels))

    def raise_ids(self, ids, level):
        raised = 0
        for start in range(0, len(ids), BATCH):
            new = _escalations_insert(ids[start:start + BATCH], level, self.content_type, self.now)
            self.raised[level] += new
            raised += len(new)
        return raised

    def notify(self):
        for level, raised in self.raised.items():
            if raised:
                ids = _notifications_insert(raised, level, self.today, self.content_type, self.now)
                deliveries_enqueue(_deliveries_insert(ids, now=self.now))


def digest_after():
    """Messages of one level from one run a person gets one by one; past this, one digest."""
    return getattr(settings, "SWEEP_DIGEST_AFTER", DIGEST_AFTER)


DIGEST_AFTER = 5
DIGEST_SHOWS = 3  # stages a digest names


def _kind_sql(alias, params):
    """The stage kind's label in the current language (as _label), a CASE in SQL."""
    whens = []
    for value, label in StageKind.choices:
        whens.append("WHEN %s THEN %s")
        params += [value, str(label)]
    return f"CASE {alias}.kind {' '.join(whens)} ELSE {alias}.kind END"


def _label_sql(stage, project, params):
    return f"{project}.name || ' · ' || {_kind_sql(stage, params)}"


def _link_sql(params):
    params += url_parts("approvals:stage_detail")
    return "%s || CAST(s.id AS TEXT) || %s"


def _escalations_insert(ids, level, content_type, now):
    """The escalations of the moved stages `ids` at `level`, as escalations_raise() writes them
    (matter: the stage itself); returns [(escalation id, stage id)] of those this call wrote."""
    qn = connection.ops.quote_name
    meta = Escalation._meta
    params = [content_type, content_type, str(level), False, f"{Level(level).label}: "]
    title = f"SUBSTR(%s || {_label_sql('s', 'p', params)}, 1, {meta.get_field('title').max_length})"
    link_ = _link_sql(params)
    params.append(connection.ops.adapt_datetimefield_value(now))
    where = _ids_in("s.id", ids, params)
    columns = ", ".join(qn(meta.get_field(name).column) for name in (
        "content_type", "object_id", "matter_type", "matter_id", "level", "urgent", "title", "link", "reason",
        "created_at", "supervised_by", "supervised_at", "supervision_comment"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(meta.db_table)} ({columns}) "
            f"SELECT %s, s.id, %s, s.id, %s, %s, {title}, {link_}, '', %s, NULL, NULL, '' "
            f"FROM {qn(ApprovalStage._meta.db_table)} s JOIN {qn(Project._meta.db_table)} p "
            f"ON p.id = s.project_id "
            f"WHERE {where} ORDER BY s.id ON CONFLICT DO NOTHING RETURNING {qn('id')}, {qn('object_id')}",
            params)
        return cursor.fetchall()


def _batch_sql(column, salt, params):
    """A batch uuid per value of `column` (an escalation's or a person's id) in this run."""
    params.append(salt)
    if connection.vendor == "postgresql":
        return f"CAST(%s || lpad(to_hex({column}), 16, '0') AS uuid)"
    return f"%s || printf('%%016x', {column})"


def _notifications_insert(raised, level, today, content_type, now):
    """One INSERT … SELECT of the notifications of the escalations `raised` ([(id, stage id)]):
    each holder once per stage, or one digest per holder past digest_after(). Returns their ids."""
    qn = connection.ops.quote_name
    t = {model: qn(model._meta.db_table) for model in (ApprovalStage, Project, Escalation, Department)}
    reviews, policy_departments = (qn(StageReview._meta.db_table),
                                   qn(StagePolicy.departments.through._meta.db_table))
    members, users = qn(Department.members.through._meta.db_table), qn(get_user_model()._meta.db_table)
    stage_ids = [stage_id for _pk, stage_id in raised]
    params = []
    where = _ids_in("x.id", [pk for pk, _stage in raised], params)
    params.append(Opinion.PENDING)
    heads = (f" UNION SELECT h.stage_id, d.head_id FROM holding h JOIN {t[Department]} d "
             f"ON d.id = h.department_id WHERE d.head_id IS NOT NULL") if level == Level.RED else ""
    ctes = (
        f"WITH e AS (SELECT x.id AS escalation_id, x.object_id AS stage_id FROM "
        f"{t[Escalation]} x WHERE {where}), "
        f"pending AS (SELECT r.stage_id, r.department_id FROM e JOIN {reviews} r ON r.stage_id = e.stage_id "
        f"JOIN {t[ApprovalStage]} s ON s.id = e.stage_id JOIN {policy_departments} pd "
        f"ON pd.stagepolicy_id = s.policy_id AND pd.department_id = r.department_id WHERE r.opinion = %s), "
        f"holding AS (SELECT stage_id, department_id FROM pending UNION SELECT e.stage_id, pd.department_id "
        f"FROM e JOIN {t[ApprovalStage]} s ON s.id = e.stage_id JOIN {policy_departments} pd "
        f"ON pd.stagepolicy_id = s.policy_id WHERE NOT EXISTS (SELECT 1 FROM pending q "
        f"WHERE q.stage_id = e.stage_id)), "
        f"people AS (SELECT h.stage_id, m.user_id FROM holding h JOIN {members} m ON "
        f"m.department_id = h.department_id "
        f"JOIN {users} u ON u.id = m.user_id WHERE u.is_active{heads}), "
        f"pairs AS (SELECT DISTINCT e.escalation_id, e.stage_id, people.user_id FROM e "
        f"JOIN people ON people.stage_id = e.stage_id), "
        f"counts AS (SELECT user_id, COUNT(*) AS n FROM pairs GROUP BY user_id), "
        f"firsts AS (SELECT user_id, stage_id, "
        f"ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY stage_id) AS k FROM pairs), ")
    # the stages a digest names: each holder's first DIGEST_SHOWS, joined once (no subquery per person)
    first = _label_sql("s2", "p2", params)
    shown = (f"SELECT f.user_id, {first} AS label, f.stage_id FROM firsts f JOIN {t[ApprovalStage]} s2 "
             f"ON s2.id = f.stage_id JOIN {t[Project]} p2 ON p2.id = s2.project_id "
             f"WHERE f.k <= {DIGEST_SHOWS}")
    if connection.vendor == "postgresql":
        ctes += (f"shown AS (SELECT user_id, string_agg(label, '、' ORDER BY stage_id) AS names "
                 f"FROM ({shown}) g GROUP BY user_id) ")
    else:
        ctes += (f"shown AS (SELECT user_id, group_concat(label, '、') AS names "
                 f"FROM ({shown} ORDER BY f.user_id, f.stage_id) g GROUP BY user_id) ")
    # each stage's own message: its label and where its clock stands (describe_due, per due date,
    # joined from one parameter: the statement is the same size however many dates a batch holds)
    label = _label_sql("s", "p", params)
    body = f"{label} || ': ' || COALESCE(dd.says, '')"
    params += [str(level), False, content_type]
    batch = _batch_sql("pairs.escalation_id", uuid.uuid4().hex[:16], params)
    stamp = connection.ops.adapt_datetimefield_value(now)
    params.append(stamp)
    says = _due_says_sql({day: describe_due(day, today) for day in _due_dates(stage_ids)}, params)
    params.append(digest_after())
    single = (f"SELECT pairs.user_id, x.title, {body}, x.link, %s, %s, %s, pairs.stage_id, "
              f"pairs.escalation_id, {batch}, '', {_stamp_param()} FROM pairs JOIN counts c ON "
              f"c.user_id = pairs.user_id "
              f"JOIN {t[Escalation]} x ON x.id = pairs.escalation_id "
              f"JOIN {t[ApprovalStage]} s ON s.id = pairs.stage_id "
              f"JOIN {t[Project]} p ON p.id = s.project_id "
              f"LEFT JOIN {says} dd ON dd.day = s.due_on WHERE c.n <= %s")
    # the digest: "黄色预警: 12 个审批阶段", the first few stages named, the queue as its link
    params += [f"{Level(level).label}: ", " 个审批阶段", "本次巡检共有 ",
               f" 个审批阶段{_DIGEST_SAYS[level]}, 包括 "]
    digest_title = "%s || CAST(c.n AS TEXT) || %s"
    names = "sh.names"
    params += ["等", "。请在审批待办中查看。"]
    digest_body = (f"%s || CAST(c.n AS TEXT) || %s || {names} || "
                   f"CASE WHEN c.n > {DIGEST_SHOWS} THEN %s ELSE '' END || %s")
    queue = reverse("approvals:queue") + ("?overdue=on" if level == Level.RED else "")
    params += [queue, str(level), False]
    digest_batch = _batch_sql("c.user_id", uuid.uuid4().hex[:16], params)
    params += [stamp, digest_after()]
    digest = (f"SELECT c.user_id, {digest_title}, {digest_body}, %s, %s, %s, NULL, NULL, NULL, "
              f"{digest_batch}, '', {_stamp_param()} FROM counts c JOIN shown sh ON sh.user_id = c.user_id "
              f"WHERE c.n > %s")
    meta = Notification._meta
    columns = ", ".join(qn(meta.get_field(name).column) for name in (*NOTIFICATION_COLUMNS, "created_at"))
    with connection.cursor() as cursor:
        cursor.execute(f"{ctes}INSERT INTO {qn(meta.db_table)} ({columns}) {single} UNION ALL {digest} "
                       f"RETURNING {qn('id')}", params)
        return [row[0] for row in cursor.fetchall()]


_DIGEST_SAYS = {Level.YELLOW: "进入黄色预警(剩余工作日不多)", Level.RED: "已超过办结期限"}


def _due_says_sql(says, params):
    """A derived table dd(day, says) of {due date: what describe_due says of it}, as one parameter
    (two arrays on PostgreSQL, a JSON list of pairs on SQLite, where dates are ISO text)."""
    if connection.vendor == "postgresql":
        params += [list(says), list(says.values())]
        return "(SELECT * FROM unnest(%s::date[], %s::text[]) AS u (day, says))"
    params.append(json.dumps([[day.isoformat(), text] for day, text in says.items()], ensure_ascii=False))
    return ("(SELECT json_extract(value, '$[0]') AS day, json_extract(value, '$[1]') AS says "
            "FROM json_each(%s))")


def _due_dates(stage_ids):
    """The distinct due dates of the stages (a handful: a batch's clocks cluster on a few days)."""
    table = connection.ops.quote_name(ApprovalStage._meta.db_table)
    params = []
    where = _ids_in("s.id", stage_ids, params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT s.due_on FROM {table} s WHERE {where}", params)
        return sorted(ApprovalStage._meta.get_field("due_on").to_python(row[0]) for row in cursor.fetchall())


# --- 容缺 commitments --------------------------------------------------------------------------

def sweep_commitments(today, people=None):
    """Stages accepted with missing non-key materials whose commitment date has passed.

    The escalation hangs on the acceptance StageEvent (the record of the 容缺 commitment), not
    on the stage, so it never collides with the stage clock's own red. There is no level field
    to move: the commitments past due are read from the partial index (stage_commitment_open),
    those already raised are left out in the same query (by the escalation's matter, the stage)
    and again per batch by the acceptance event, and the unique (object, level) keeps a racing
    sweep from raising twice.

    The index range is bounded: a run that finished before has raised every commitment due
    before its day, so only those due since (with a month's margin, for a calendar change that
    moved a date earlier) are read again; without such a run, all of them.
    """
    due = ApprovalStage.objects.commitments_open().filter(commitment_due_on__lt=today)
    since = _last_swept_on()
    if since is not None:
        due = due.filter(commitment_due_on__gte=since - RECHECK_MARGIN)
    # Those already raised are left out at once, by one probe each of escalation_matter_idx: the
    # commitment's escalation names its stage as the matter. The batches still check the
    # acceptance event itself (_raise_commitments), so an escalation without a matter (raised
    # before matters were recorded) is found there as before.
    raised = Escalation.objects.filter(
        matter_type=ContentType.objects.get_for_model(ApprovalStage), matter_id=OuterRef("pk"),
        content_type=ContentType.objects.get_for_model(StageEvent), level=Level.RED)
    ids = list(due.exclude(Exists(raised)).order_by("pk").values_list("pk", flat=True))
    return sum(_raise_commitments(ids[start:start + BATCH], today) for start in range(0, len(ids), BATCH))


# How far before the last finished run's day commitments are read again (see sweep_commitments).
RECHECK_MARGIN = dt.timedelta(days=31)


def _last_swept_on():
    """The local day of the latest run in which this sweep finished without an error, or None."""
    started = (SweepRun.objects.filter(finished_at__isnull=False, counts__has_key=SWEEP_NAME)
               .order_by("-started_at").values_list("started_at", flat=True).first())
    return timezone.localdate(started) if started else None


def _raise_commitments(ids, today):
    """One batch: each stage's acceptance event (the first), minus those already raised red."""
    accepted = dict(StageEvent.objects.filter(stage_id__in=ids, action=EventAction.STAGE_ACCEPTED)
                    .order_by().values("stage_id").annotate(first=Min("pk")).values_list("stage_id", "first"))
    raised = set(Escalation.objects.filter(content_type=ContentType.objects.get_for_model(StageEvent),
                                           object_id__in=accepted.values(), level=Level.RED)
                 .values_list("object_id", flat=True))
    todo = {stage: event for stage, event in accepted.items() if event not in raised}
    if not todo:
        return 0
    raises = [_commitment(stage, StageEvent(pk=todo[stage.pk], stage=stage, project=stage.project), today)
              for stage in _stages(todo, enterprise_users=True)]
    return len(escalations_raise(raises))


def _commitment(stage, event, today):
    names = "、".join(item.get("name", item.get("key", "")) for item in stage.missing_items)
    enterprise_users = [m.user for m in stage.project.enterprise.members.all()]
    over = workdays_between(stage.commitment_due_on, today)
    return Raise(
        obj=event, level=Level.RED, recipients=[*enterprise_users, *handlers(stage)],
        title=f"容缺承诺逾期: {_label(stage)}",
        body=(f"{_label(stage)} 容缺受理时承诺于 {stage.commitment_due_on:%Y-%m-%d} 前补齐 {names}, "
              f"至今未补齐" + (f"(已逾期 {over} 个工作日)" if over else "") + "。"),
        link=link(stage), reason="容缺材料逾期未补齐")
