"""The benchmark's data: `stages` approval stages over ten years with their projects, reviews,
pauses and events, and a quarter as many demands with their node events and shares, written by
COPY in batches (a progress bar on stderr). Realistic proportions, and one rule the sweep needs:
about 10% of open clocks are past due, none of them swept yet (every stored level is green), so
the first sweep meets a backlog.
"""

import datetime as dt
import json
import random
import sys
import time
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from accounts.roles import APPROVER, BUREAU, COMMISSIONER, ENTERPRISE, GROUP_LEADER, LEADER, WORKING_GROUP
from approvals.choices import STAGE_ORDER, EventAction, ProjectStatus, StageStatus
from approvals.models import (
    ApprovalStage,
    ClockPause,
    Department,
    Project,
    ProjectCategory,
    StageEvent,
    StagePolicy,
    StageReview,
)
from commissioners.choices import DemandAction, DemandStatus, DispatchStatus, Node, Rating
from commissioners.models import (
    Assignment,
    Commissioner,
    CommissionerGroup,
    Demand,
    DemandCategory,
    DemandDispatch,
    DemandEvent,
    DemandPolicy,
    Leader,
    WorkingGroup,
)
from enterprises.models import Enterprise, EnterpriseMember, Industry
from workdays import add_workdays, workdays_back, workdays_between

BATCH = 20_000
YEARS = 10
LIVE_SHARE = 0.5  # projects still in approval (the rest finished over ten years)
OPEN_DEMANDS = 0.5
PASSWORD = "bench-password"  # the bench database is created and dropped by the run


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, label, total):
        self.label, self.total, self.done, self.started = label, max(total, 1), 0, time.monotonic()

    def add(self, n):
        self.done += n
        width = 30
        filled = int(width * self.done / self.total)
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        sys.stderr.write(
            f"\r  {self.label:<22} [{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done:>9,}/{self.total:,} {rate:,.0f}/s"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


class Ids:
    """Primary keys handed out before COPY (the sequences are set after)."""

    def __init__(self):
        self.next = {}

    def take(self, model, n=1):
        if model not in self.next:
            self.next[model] = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        first = self.next[model]
        self.next[model] += n
        return range(first, first + n)


def copy_rows(model, rows, progress=None):
    """COPY dict rows (attnames; missing fields take their default) into the model's table."""
    fields = model._meta.concrete_fields
    qn = connection.ops.quote_name
    now = timezone.now()
    columns = ", ".join(qn(f.column) for f in fields)
    defaults = {f.attname: _default(f, now) for f in fields}
    rows = iter(rows)
    while True:
        chunk = [row for _, row in zip(range(BATCH), rows, strict=False)]
        if not chunk:
            return
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in chunk:
                copy.write_row(
                    [_db(row[f.attname]) if f.attname in row else defaults[f.attname] for f in fields]
                )
        if progress:
            progress.add(len(chunk))


def _default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return _db(field.get_default())  # "" for a text field without a default, else None


def _db(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


def reset_sequences(models):
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
            )


# --- the organisation -------------------------------------------------------------------------


def _users(prefix, n, role, ids):
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    password = make_password(PASSWORD)
    users = [
        User(
            username=f"{prefix}{i}",
            password=password,
            email=f"{prefix}{i}@bench.local",
            display_name=f"{prefix}{i}",
            is_active=True,
        )
        for i in range(n)
    ]
    users = User.objects.bulk_create(users)
    Group.objects.get(name=role).user_set.add(*users)
    return users


def organisation(n_enterprises, rng):
    """Users of every role, departments' approvers and heads, leaders, commissioners, working
    groups, and the enterprises with their users and commissioners."""
    org = {"approvers": _users("approver", 3 * Department.objects.count(), APPROVER, None)}
    for i, department in enumerate(Department.objects.order_by("pk")):
        members = org["approvers"][3 * i : 3 * i + 3]
        department.members.add(*members)
        department.head = members[0]
        department.save(update_fields=["head"])
    leader_users = _users("leader", 8, LEADER, None)
    leaders = Leader.objects.bulk_create(
        Leader(user=u, title="副主任", order=i) for i, u in enumerate(leader_users)
    )
    org["leader"] = leader_users[0]
    org["bureau"] = _users("bureau", 3, BUREAU, None)
    group_leaders = _users("groupleader", 4, GROUP_LEADER, None)
    groups = CommissionerGroup.objects.bulk_create(
        CommissionerGroup(name=f"专员小组{i}", leader=u) for i, u in enumerate(group_leaders)
    )
    commissioner_users = _users("commissioner", max(n_enterprises // 30, 4), COMMISSIONER, None)
    commissioners = Commissioner.objects.bulk_create(
        Commissioner(user=u, group=groups[i % len(groups)]) for i, u in enumerate(commissioner_users)
    )
    wg_users = _users("wg", 3 * 7, WORKING_GROUP, None)
    working_groups = []
    for i, category in enumerate(DemandCategory.objects.exclude(working_group_code="").order_by("pk")):
        group = WorkingGroup.objects.create(
            code=category.working_group_code,
            name=f"{category.name}工作组",
            leader=leaders[i % len(leaders)],
            order=i,
        )
        group.members.add(*wg_users[3 * i : 3 * i + 3])
        working_groups.append(group)
    org["working_groups"] = working_groups
    industries = Industry.objects.bulk_create(Industry(name=f"行业{i}", order=i) for i in range(12))
    for i, leader in enumerate(leaders):
        leader.industries.add(industries[i % len(industries)], industries[(i + 6) % len(industries)])
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"基准企业{i:07d}有限公司",
            credit_code=f"91510300{i:09d}X",
            industry=industries[i % len(industries)],
        )
        for i in range(n_enterprises)
    )
    enterprise_users = _users("ent", n_enterprises, ENTERPRISE, None)
    EnterpriseMember.objects.bulk_create(
        EnterpriseMember(user=u, enterprise=e) for u, e in zip(enterprise_users, enterprises, strict=True)
    )
    started = timezone.localdate() - dt.timedelta(days=365 * YEARS)
    Assignment.objects.bulk_create(
        Assignment(
            commissioner=commissioners[i % len(commissioners)],
            enterprise=e,
            started_on=started,
            is_primary=True,
        )
        for i, e in enumerate(enterprises)
    )
    Through = Leader.paired_enterprises.through
    Through.objects.bulk_create(
        Through(leader_id=leaders[i % len(leaders)].pk, enterprise_id=e.pk)
        for i, e in enumerate(enterprises)
        if rng.random() < 0.3
    )
    org["enterprises"] = enterprises
    org["enterprise_user"] = enterprise_users[0]
    org["approver"] = org["approvers"][0]
    org["commissioner"] = commissioner_users[0]
    return org


# --- approvals --------------------------------------------------------------------------------


def approvals(n_stages, org, today, rng):
    """Projects of four stages: finished ones over ten years, live ones with one stage running (or
    paused), about 10% of the running past due, some with an open 容缺 commitment."""
    ids = Ids()
    categories = list(ProjectCategory.objects.all())
    policies = {
        (p.category_id, STAGE_ORDER[p.kind]): p for p in StagePolicy.objects.prefetch_related("departments")
    }
    n_projects = n_stages // 4
    project_ids = ids.take(Project, n_projects)
    enterprises = org["enterprises"]
    projects, stages, reviews, events, pauses = [], [], [], [], []
    progress = Progress("projects and stages", n_projects)
    for count, pk in enumerate(project_ids, start=1):
        category = categories[pk % len(categories)]
        enterprise = enterprises[pk % len(enterprises)]
        live = rng.random() < LIVE_SHARE
        created = today - dt.timedelta(days=rng.randrange(60 if live else 200, 365 * YEARS))
        running_order = rng.randrange(1, 5) if live else 5
        status = ProjectStatus.IN_APPROVAL if live else ProjectStatus.COMPLETED
        projects.append(
            {
                "id": pk,
                "enterprise_id": enterprise.pk,
                "name": f"基准项目{pk}",
                "code": f"B-{pk:09d}",
                "category_id": category.pk,
                "industry_id": enterprise.industry_id,
                "total_investment": Decimal("100000000"),
                "status": status,
                "submitted_on": created,  # handed in the day it was made (the overview's flows)
                "created_at": _aware(created),
            }
        )
        day = workdays_back(today, rng.randrange(5, 40)) if live else created
        for order in range(1, 5):
            policy = policies[(category.pk, order)]
            stage_id = ids.take(ApprovalStage)[0]
            stage = {
                "id": stage_id,
                "project_id": pk,
                "policy_id": policy.pk,
                "kind": policy.kind,
                "order": order,
                "budget_workdays": policy.budget_workdays,
            }
            if order < running_order:
                used = max(1, int(policy.budget_workdays * rng.uniform(0.5, 1.15)))
                accepted = day if not live else workdays_back(day, used + 2)
                finished = add_workdays(accepted, used)
                stage.update(
                    status=StageStatus.APPROVED,
                    opened_on=accepted,
                    accepted_on=accepted,
                    due_on=add_workdays(accepted, policy.budget_workdays),
                    used_workdays=used,
                    finished_on=finished,
                )
                day = finished if not live else day
            elif order == running_order:
                elapsed = int(policy.budget_workdays * rng.uniform(0, 1.1))  # ~10% past due
                accepted = workdays_back(today, elapsed) if elapsed else today
                paused = rng.random() < 0.1
                stage.update(
                    status=StageStatus.PAUSED
                    if paused
                    else rng.choice([StageStatus.ACCEPTED, StageStatus.IN_REVIEW]),
                    opened_on=accepted,
                    accepted_on=accepted,
                    due_on=add_workdays(accepted, policy.budget_workdays),
                    paused_since=today if paused else None,
                )
                if paused:
                    pauses.append(
                        {
                            "id": ids.take(ClockPause)[0],
                            "stage_id": stage_id,
                            "kind": "testing",
                            "started_on": today,
                        }
                    )
                if rng.random() < 0.05:
                    stage.update(
                        missing_items=[{"key": "site_plan", "name": "项目选址红线图"}],
                        commitment_workdays=5,
                        commitment_due_on=add_workdays(accepted, 5),
                    )
            else:
                stage.update(status=StageStatus.WAITING)
            stages.append(stage)
            if stage.get("accepted_on"):
                events.append(
                    {
                        "id": ids.take(StageEvent)[0],
                        "project_id": pk,
                        "stage_id": stage_id,
                        "action": EventAction.STAGE_ACCEPTED,
                        "to_status": StageStatus.ACCEPTED,
                        "created_at": _aware(stage["accepted_on"]),
                    }
                )
                for department in policy.departments.all():
                    opinion = (
                        "agree"
                        if stage["status"] == StageStatus.APPROVED or rng.random() < 0.5
                        else "pending"
                    )
                    reviews.append(
                        {
                            "id": ids.take(StageReview)[0],
                            "stage_id": stage_id,
                            "department_id": department.pk,
                            "opinion": opinion,
                        }
                    )
        if count % BATCH == 0 or count == n_projects:
            copy_rows(Project, projects)
            copy_rows(ApprovalStage, stages)
            copy_rows(StageReview, reviews)
            copy_rows(StageEvent, events)
            copy_rows(ClockPause, pauses)
            progress.add(len(projects))
            projects, stages, reviews, events, pauses = [], [], [], [], []
    reset_sequences([Project, ApprovalStage, StageReview, StageEvent, ClockPause])


# --- demands ----------------------------------------------------------------------------------

NODE_OF = {
    DemandStatus.SUBMITTED: Node.ACCEPT,
    DemandStatus.ACCEPTED: Node.REVIEW,
    DemandStatus.REVIEWED: Node.DISPATCH,
    DemandStatus.DISPATCHED: Node.ANSWER,
    DemandStatus.IN_PROGRESS: Node.ANSWER,
    DemandStatus.ANSWERED: Node.RATE,
}
START_OF = {
    Node.ACCEPT: DemandAction.SUBMITTED,
    Node.REVIEW: DemandAction.ACCEPTED,
    Node.DISPATCH: DemandAction.REVIEWED,
    Node.ANSWER: DemandAction.DISPATCHED,
    Node.RATE: DemandAction.ANSWERED,
}


def demands(n_demands, org, today, rng):
    ids = Ids()
    categories = list(DemandCategory.objects.all())
    policy = {(p.node, p.urgency): p for p in DemandPolicy.objects.all()}
    groups = {g.code: g for g in org["working_groups"]}
    enterprises = org["enterprises"]
    rows, events, dispatches = [], [], []
    progress = Progress("demands", n_demands)
    open_statuses = list(NODE_OF)
    for count, pk in enumerate(ids.take(Demand, n_demands), start=1):
        category = categories[pk % len(categories)]
        enterprise = enterprises[pk % len(enterprises)]
        created = today - dt.timedelta(days=rng.randrange(1, 365 * YEARS))
        row = {
            "id": pk,
            "enterprise_id": enterprise.pk,
            "category_id": category.pk,
            "title": f"基准诉求{pk}",
            "urgency": "normal",
            "created_at": _aware(created),
        }
        if rng.random() >= OPEN_DEMANDS:
            row.update(status=DemandStatus.CLOSED, rating=Rating.SATISFIED, closed_at=_aware(created))
        else:
            status = rng.choice(open_statuses)
            node = NODE_OF[status]
            limit = policy[(node, "normal")]
            elapsed = int(limit.limit_workdays * rng.uniform(0, 1.1)) + (1 if rng.random() < 0.03 else 0)
            started = workdays_back(today, elapsed) if elapsed else today
            due = add_workdays(started, limit.limit_workdays)
            row.update(
                status=status,
                current_node=node,
                started_on=started,
                limit_workdays=limit.limit_workdays,
                warning_threshold=limit.warning_threshold,
                due_on=due,
            )
            events.append(
                {
                    "id": ids.take(DemandEvent)[0],
                    "demand_id": pk,
                    "action": START_OF[node],
                    "to_status": status,
                    "created_at": _aware(started),
                }
            )
            if node == Node.ANSWER:
                group = groups.get(category.working_group_code) or org["working_groups"][0]
                dispatches.append(
                    {
                        "id": ids.take(DemandDispatch)[0],
                        "demand_id": pk,
                        "working_group_id": group.pk,
                        "status": DispatchStatus.IN_PROGRESS
                        if status == DemandStatus.IN_PROGRESS
                        else DispatchStatus.PENDING,
                        "started_on": started,
                        "limit_workdays": limit.limit_workdays,
                        "warning_threshold": limit.warning_threshold,
                        "due_on": due,
                    }
                )
        rows.append(row)
        if count % BATCH == 0 or count == n_demands:
            copy_rows(Demand, rows)
            copy_rows(DemandEvent, events)
            copy_rows(DemandDispatch, dispatches)
            progress.add(len(rows))
            rows, events, dispatches = [], [], []
    reset_sequences([Demand, DemandEvent, DemandDispatch])


def _aware(day):
    """10:00 on `day`, or for today a minute ago if that is earlier: nothing happens in the future
    (a run before 10:00 had today's events after the summary's refresh, counted live on every read)."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    if day >= timezone.localdate():
        moment = min(moment, timezone.now() - dt.timedelta(minutes=1))
    return moment


def generate(n_stages, seed=12):
    rng = random.Random(seed)
    today = timezone.localdate()
    org = organisation(max(n_stages // 100, 20), rng)
    approvals(n_stages, org, today, rng)
    demands(n_stages // 4, org, today, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    assert workdays_between(today, today) == 0
    return org
