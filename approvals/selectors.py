"""Reads for pages, the API, the enterprise profile and dashboards. Bounded queries, no N+1.

Working-day arithmetic uses the in-memory calendar (no query per row), so per-row figures such
as remaining working days are computed in Python after one prefetch.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import get_language, gettext

from accounts.roles import ADMIN
from enterprises.timeline import Entry, Source, month_bounds, month_of

from . import clock, rules
from .choices import CLOCK_OPEN, RUNNING, EventAction, PauseKind, ProjectStatus
from .models import (
    ApprovalStage,
    ClockPause,
    Material,
    MaterialRequirement,
    Project,
    StageEvent,
    StagePolicy,
    StageReview,
    StageStatus,
    WarningLevel,
)
from .models.stage import queue_order


def md(day):
    return _md(day, get_language()) if day else ""


@lru_cache(maxsize=2048)
def _md(day, language):
    # Per language (the one active, which gettext reads): a list formats a date or two per row.
    return dateformat.format(day, gettext("n月j日"))


# --- per stage -------------------------------------------------------------------------------

OPEN_PAUSES = "open_pauses"  # where open_pause_prefetch() puts a listed stage's open pause


def open_pause(stage):
    """The open ClockPause, read from a list's prefetch (stage.open_pauses: open_pause_prefetch)
    or from stage.pauses (prefetched by the pages of one stage or project)."""
    pauses = getattr(stage, OPEN_PAUSES, None)
    if pauses is None:
        pauses = stage.pauses.all()
    return next((p for p in pauses if p.ended_on is None), None)


def live_level(stage, *, today):
    """The badge a page shows now; the stored warning_level is what the sweep has acted on."""
    if stage.status not in CLOCK_OPEN or stage.due_on is None:
        return WarningLevel.GREEN
    if stage.warning_level == WarningLevel.ESCALATED:
        return WarningLevel.ESCALATED
    # Overdue as the sweep counts it: the due day has passed while the clock runs (a Friday
    # deadline is overdue on Saturday, though no working day has been used since).
    if stage.status in RUNNING and today > stage.due_on:
        return WarningLevel.RED
    left = clock.remaining(stage, today=today)
    if left < 0:
        return WarningLevel.RED
    if stage.status in RUNNING and left <= stage.policy.warning_threshold_workdays:
        return WarningLevel.YELLOW
    return WarningLevel(stage.warning_level)


def stage_sentence(stage, *, today, for_enterprise=False):
    """One plain sentence: where the file is and how long is left. The instructions meant for the
    applicant (what to upload, when to submit) are for the enterprise's own users only
    (for_enterprise); officials read where the file stands."""
    status = stage.status
    if status == StageStatus.WAITING:
        if stage.order == 1:
            return (gettext("尚未提交: 请按清单上传材料, 关键材料齐全后提交审批") if for_enterprise
                    else gettext("尚未提交: 企业正在准备申报材料"))
        return gettext("尚未开始: 上一阶段通过后开始申报")
    if status == StageStatus.PENDING:
        return (gettext("待受理: 请按清单上传材料, 等待审批部门受理") if for_enterprise
                else gettext("待受理: 等待审批部门受理"))
    if status == StageStatus.SUPPLEMENT:
        return gettext("审批已暂停: 等待补正材料, 自 %(day)s起") % {"day": md(stage.paused_since)}
    if status == StageStatus.PAUSED:
        pause = open_pause(stage)
        what = pause.get_kind_display() if pause else gettext("暂停计时")
        return gettext("审批已暂停: %(what)s, 自 %(day)s起") % {"what": what, "day": md(stage.paused_since)}
    if status in (StageStatus.ACCEPTED, StageStatus.IN_REVIEW):
        return _running_sentence(stage, today=today)
    if status == StageStatus.APPROVED:
        return gettext("已通过: 用时 %(n)s 个工作日, %(day)s办结") % {
            "n": stage.used_workdays or 0, "day": md(stage.finished_on)}
    if status == StageStatus.REJECTED:
        return gettext("不予许可: %(reason)s") % {"reason": stage.decision_reason}
    return gettext("已终止")


def _running_sentence(stage, *, today):
    left = clock.remaining(stage, today=today)
    tentative = gettext("(期限暂定)") if stage.provisional else ""
    values = {"n": abs(left), "day": md(stage.due_on), "tentative": tentative}
    if left < 0:
        return gettext("已超期 %(n)s 个工作日: 应于 %(day)s前办结%(tentative)s") % values
    return gettext("审查中: 剩余 %(n)s 个工作日, 应于 %(day)s前办结%(tentative)s") % values


@dataclass
class StageRow:
    stage: object
    used: int
    remaining: int
    level: str
    sentence: str
    percent: int

    @property
    def paused(self):
        return self.stage.status in (StageStatus.SUPPLEMENT, StageStatus.PAUSED)

    @property
    def incomplete(self):
        """A key checklist item has no file (with_key_materials_state annotates the queue's rows)."""
        return bool(getattr(self.stage, "key_materials_missing", False))

    @property
    def clock_text(self):
        """Where the clock stands, in words: paused (its due date does not hold), overdue, or left."""
        if self.paused:
            return gettext("暂停计时中(已用 %(n)s 个工作日)") % {"n": self.used}
        if self.remaining < 0:
            return gettext("已超期 %(n)s 个工作日") % {"n": -self.remaining}
        return gettext("剩余 %(n)s 个工作日") % {"n": self.remaining}


def stage_row(stage, *, today, for_enterprise=False):
    used = clock.used(stage, today=today)
    budget = stage.budget_workdays or 1
    return StageRow(stage=stage, used=used, remaining=stage.budget_workdays - used,
                    level=live_level(stage, today=today),
                    sentence=stage_sentence(stage, today=today, for_enterprise=for_enterprise),
                    percent=min(100, round(100 * used / budget)))


@dataclass
class Progress:
    rows: list
    used: int
    limit: int
    current: object

    @property
    def remaining(self):
        return self.limit - self.used

    @property
    def overrun(self):
        return max(0, self.used - self.limit)

    @property
    def percent(self):
        return min(100, round(100 * self.used / (self.limit or 1)))


def project_progress(project, *, today=None, for_enterprise=False):
    """The four stages and the project's own clock: the sum of its stages' working days."""
    today = today or timezone.localdate()
    stages = sorted(project.stages.all(), key=lambda stage: stage.order)  # prefetched or not
    rows = [stage_row(stage, today=today, for_enterprise=for_enterprise) for stage in stages]
    started = [row for row in rows if not row.stage.is_finished and row.stage.status != StageStatus.WAITING]
    current = started[0] if started else None
    return Progress(rows=rows, used=sum(row.used for row in rows), limit=project.category.limit_workdays,
                    current=current)


# --- 补正: each requested item with the files that answer it ---------------------------------

@dataclass
class SupplementItem:
    index: int
    text: str
    files: list
    field: object = None  # its file input in the enterprise's form


@dataclass
class SupplementRequest:
    stage: object
    pause: object
    items: list
    row: object = None  # the stage's StageRow: where its clock stands while paused
    form: object = None  # the enterprise's 提交补正材料 form (forms.ResubmitForm)
    allowed: str = ""  # the file types the inputs take


def _supplement_request(stage, pause, materials):
    by_item = {}
    for material in materials:
        by_item.setdefault(material.supplement_item, []).append(material)
    items = [SupplementItem(index, text, by_item.get(index, [])) for index, text in enumerate(pause.items)]
    return SupplementRequest(stage=stage, pause=pause, items=items)


def open_supplements(stages):
    """The open 补正 requests among the given stages (their pauses prefetched, as the project page
    has them), each item with its files: one query for the files, none per item."""
    pauses = [(stage, rules.open_supplement(stage)) for stage in stages]
    pauses = [(stage, pause) for stage, pause in pauses if pause is not None]
    if not pauses:
        return []
    files = {}
    for material in (Material.objects.filter(pause__in=[pause for _stage, pause in pauses])
                     .select_related("uploaded_by").order_by("uploaded_at", "id")):
        files.setdefault(material.pause_id, []).append(material)
    return [_supplement_request(stage, pause, files.get(pause.pk, [])) for stage, pause in pauses]


def supplement_history(stage):
    """Every 补正 request of a stage, each item with the files that answer it: what the approver
    reads on the stage page (pauses and materials prefetched by stage_for: no query)."""
    files = {}
    for material in stage.materials.all():
        if material.pause_id is not None:
            files.setdefault(material.pause_id, []).append(material)
    return [_supplement_request(stage, pause, sorted(files.get(pause.pk, []), key=lambda m: m.uploaded_at))
            for pause in stage.pauses.all() if pause.kind == PauseKind.SUPPLEMENT]


# --- lists -----------------------------------------------------------------------------------

def _stages_prefetch(*, listed=False):
    """A project's stages in order, each with its open pause: as stage.open_pauses in a list
    (listed), as stage.pauses on the pages of one project, which read it there."""
    pause = open_pause_prefetch() if listed else Prefetch("pauses", queryset=_open_pauses())
    return Prefetch(
        "stages",
        queryset=ApprovalStage.objects.select_related("policy").prefetch_related(pause).order_by("order"),
    )


def _open_pauses():
    return ClockPause.objects.filter(ended_on__isnull=True)


def open_pause_prefetch():
    """The stage's open pause, if any (the clock stands still since its first day), as a list in
    stage.open_pauses, which open_pause() reads: a prefetch into stage.pauses would make a
    queryset (a clone and a filter) per row of the list, a cost the rows' own values do not have."""
    return Prefetch("pauses", queryset=_open_pauses(), to_attr=OPEN_PAUSES)


def _project_matches(q, prefix=""):
    """Search by project name, project code or enterprise name."""
    return (Q(**{f"{prefix}name__icontains": q}) | Q(**{f"{prefix}code__icontains": q})
            | Q(**{f"{prefix}enterprise__name__icontains": q}))


def project_list_for(user, *, q="", status="", category="", major=""):
    projects = (Project.objects.visible_to(user).select_related("enterprise", "category")
                .prefetch_related(_stages_prefetch(listed=True)))
    if q:
        projects = projects.filter(_project_matches(q))
    if status:
        projects = projects.filter(status=status)
    if category:
        projects = projects.filter(category_id=category)
    if major in ("1", "0"):
        projects = projects.filter(is_major=major == "1")
    return projects.order_by("-created_at", "-id")


def project_detail_for(user, pk):
    return (Project.objects.visible_to(user).select_related("enterprise", "category", "industry")
            .prefetch_related(_stages_prefetch(), "task_force").get(pk=pk))


def stage_for(user, pk):
    return (ApprovalStage.objects.filter(project__in=Project.objects.visible_to(user))
            .select_related("project__enterprise", "project__category", "policy", "accepted_by")
            .prefetch_related("policy__departments", "policy__requirements", "pauses",
                              Prefetch("reviews", queryset=StageReview.objects.select_related(
                                  "department", "reviewer")),
                              "materials__uploaded_by")
            .get(pk=pk))


def stages_visible_to(user):
    """Every stage of the projects the user may see, earliest deadline first."""
    return (ApprovalStage.objects.filter(project__in=Project.objects.visible_to(user))
            .select_related("project__enterprise", "project__category", "policy")
            .prefetch_related(open_pause_prefetch())
            .order_by(F("due_on").asc(nulls_last=True), "opened_on", "id"))


def approver_queue(user, *, q="", kind="", status="", overdue=False, today=None):
    """Stages waiting on the user's departments, earliest deadline first (not yet accepted last)."""
    stages = (ApprovalStage.objects.actionable()
              .select_related("project__enterprise", "project__category", "policy")
              .prefetch_related(open_pause_prefetch()))
    if not user.has_role(ADMIN):
        policies = StagePolicy.objects.filter(departments__in=rules.department_ids(user)).values("pk")
        stages = stages.filter(policy_id__in=policies)
    if q:
        stages = stages.filter(_project_matches(q, "project__"))
    if kind:
        stages = stages.filter(kind=kind)
    if status:
        stages = stages.filter(status=status)
    today = today or timezone.localdate()
    if overdue:
        stages = stages.overdue(today)
    # Escalated, red, yellow, then the earliest deadline; not yet accepted (no due_on) last. The
    # level is the one the sweep stored (every ten minutes), which the index stage_queue_rank
    # holds in this order: a stage that fell overdue since the last sweep already shows 已超期 and
    # leads its level by its earlier due_on, and joins the red ones at the next sweep.
    return stages.order_by(*(term.asc() for term in queue_order()))


def with_key_materials_state(stages):
    """Annotate key_materials_missing: a key item of the stage's checklist has no file. One EXISTS
    in the list's own query, so the queue tells a stage not ready for 受理 without a query per row."""
    has_file = Material.objects.filter(stage_id=OuterRef(OuterRef("pk")), requirement_key=OuterRef("key"))
    missing = MaterialRequirement.objects.filter(policy_id=OuterRef("policy_id"), is_key=True).filter(
        ~Exists(has_file))
    return stages.annotate(key_materials_missing=Exists(missing))


def events_for(*, project=None, stage=None):
    events = StageEvent.objects.select_related("actor", "stage")
    events = events.filter(stage=stage) if stage is not None else events.filter(project=project)
    return events.order_by("-created_at", "-id")


# --- for other apps --------------------------------------------------------------------------

def enterprise_projects_for(*, enterprise, user):
    return (Project.objects.visible_to(user).filter(enterprise=enterprise)
            .select_related("category").prefetch_related(_stages_prefetch()).order_by("-created_at"))


def project_timeline_items(*, enterprise, user, limit=50, groups=None):
    """Dicts (date, at, kind, title, status, url, project_id) of the enterprise's approval history the
    user may see, newest first, at most `limit`. With `groups` ([(project id, first day of a month)]),
    only the events of those projects in those months: what a folded timeline entry expands to."""
    visible = Project.objects.visible_to(user).filter(enterprise=enterprise)
    events = (StageEvent.objects.filter(project__in=visible)
              .exclude(action=EventAction.MATERIAL_UPLOADED)
              .select_related("project", "stage").order_by("-created_at", "-id"))
    if groups is not None:
        if not groups:
            return []
        wanted = Q()
        for project_id, month in groups:
            start, end = month_bounds(month)
            wanted |= Q(project_id=project_id, created_at__gte=start, created_at__lt=end)
        events = events.filter(wanted)
    if limit is not None:
        events = events[:limit]
    return [
        {
            "date": timezone.localdate(event.created_at),
            "at": event.created_at,
            "kind": "approval",
            "title": _event_title(event),
            "step": _event_step(event),
            "status": _event_status(event),
            "url": reverse("approvals:project_detail", args=[event.project_id]),
            "project_id": event.project_id,
        }
        for event in events
    ]


def project_timeline_source(*, enterprise, user):
    """The approval part of 一企一档's timeline: one entry per project and month, its events folded
    (counted in SQL; the page's entries are filled in with two more queries)."""
    visible = Project.objects.visible_to(user).filter(enterprise=enterprise)

    def entries():
        groups = (StageEvent.objects.filter(project__in=visible)
                  .exclude(action=EventAction.MATERIAL_UPLOADED)
                  .annotate(month=TruncMonth("created_at")).order_by()
                  .values("project_id", "month").annotate(count=Count("id"), at=Max("created_at")))
        return [Entry("approval", row["project_id"], row["at"], count=row["count"],
                      month=month_of(row["month"]))
                for row in groups]

    def fill(page_entries):
        names = dict(Project.objects.filter(pk__in={e.key for e in page_entries}).values_list("pk", "name"))
        events = project_timeline_items(enterprise=enterprise, user=user, limit=None,
                                        groups=[(e.key, e.month) for e in page_entries])
        for entry in page_entries:
            entry.title = names.get(entry.key, "")
            entry.url = reverse("approvals:project_detail", args=[entry.key])
            entry.events = [item for item in events
                            if item["project_id"] == entry.key and month_of(item["at"]) == entry.month]
            entry.status = next((item["status"] for item in entry.events if item["status"]), "")

    return Source(entries, fill)


def _event_title(event):
    return f"{event.project.name}{' · ' if event.stage else ': '}{_event_step(event)}"


def _event_step(event):
    """The event without its project's name (a folded entry already shows the name)."""
    return f"{event.stage.get_kind_display()}: {event.get_action_display()}" if event.stage \
        else str(event.get_action_display())


def _event_status(event):
    """The status the event left its stage (or, without a stage, its project) in, as a label."""
    if not event.to_status:
        return ""
    choices = StageStatus if event.stage_id else ProjectStatus
    try:
        return str(choices(event.to_status).label)
    except ValueError:
        return event.to_status
