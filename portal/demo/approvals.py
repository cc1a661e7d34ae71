"""Seed step for approvals: the 18 major projects of the first half-year (5.4 billion yuan signed,
as the zone reported) and a dozen ordinary ones, at every point of the four stages.

Projects are walked through the real services by the enterprise's own user and the demo
approvers, with `today=` set to dates in the past, so the history, the clocks and the warnings
are what the product would have recorded. Keyed by project code: a second run creates nothing.
Deterministic: each project draws from its own generator, seeded from `rng` in a fixed order.
"""

import contextlib
import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import roles
from accounts.models import User
from approvals import services
from approvals.choices import Opinion, PauseKind, ProjectStatus, StageStatus
from approvals.models import (
    ApprovalStage,
    Department,
    Material,
    Project,
    ProjectCategory,
    StageEvent,
)
from enterprises.models import Enterprise, EnterpriseMember, ListStatus
from portal.demo.users import ensure_users
from workdays import add_workdays

YI = Decimal(100_000_000)  # 亿元

# Where a walk stops. Most are the status the stop leaves behind (a stage's, or the project's for
# DRAFT and WITHDRAWN); these four are demo scenarios, not statuses:
DONE = "done"  # all four stages approved
REVIEW = "review"  # accepted and reviewed by all departments but one
SUPPLEMENT = "supplement"  # accepted, then 补正 requested (the stage is then StageStatus.SUPPLEMENT)
EXPERT = "expert"  # accepted, then paused for 专家评审 (PauseKind.EXPERT_REVIEW)
S, P = StageStatus, ProjectStatus

# name, signed (亿元), category, where it stops: (stage order, state)
MAJOR = [
    ("长盈精密轻量化材料及精密结构件生产基地项目", "16", "small", (4, DONE)),
    ("天钧动力电池包精密结构件项目", "6", "small", (4, REVIEW)),
    ("高性能锂电池隔膜生产线项目", "4.5", "social", (3, REVIEW)),
    ("新型氟化工材料产业园项目", "4", "social", (2, EXPERT)),
    ("精密数控机床再制造项目", "3.5", "social", (2, REVIEW)),
    ("工业固废资源化综合利用项目", "3", "social", (1, SUPPLEMENT)),
    ("5G通信模组智能制造项目", "2.5", "small", (3, REVIEW)),
    ("生物医药中间体研发生产基地项目", "2.2", "social", (2, S.ACCEPTED)),
    ("高端阀门铸锻件智能工厂项目", "2", "small", (4, DONE)),
    ("光伏玻璃深加工项目", "1.8", "small", (4, S.ACCEPTED)),
    ("盐化工绿色循环改造项目", "1.6", "social", (1, REVIEW)),
    ("半导体封装材料项目", "1.5", "small", (2, REVIEW)),
    ("节能环保装备产业化项目", "1.2", "small", (1, S.PENDING)),
    ("医用耗材无菌生产线项目", "1", "small", (1, S.ACCEPTED)),
    ("新能源汽车零部件配套产业园项目", "1", "social", (1, REVIEW)),
    ("智能仓储物流中心项目", "0.9", "small", (4, DONE)),
    ("电子级化学品项目", "0.7", "social", (3, SUPPLEMENT)),
    ("碳纤维复合材料制品项目", "0.6", "small", (1, S.PENDING)),
]
ORDINARY = [
    ("二期厂房扩建项目", "small", (1, SUPPLEMENT)),
    ("研发检测中心建设项目", "social", (4, DONE)),
    ("成品仓库改造项目", "small", (2, REVIEW)),
    ("污水预处理设施升级工程", "small", (3, EXPERT)),
    ("职工宿舍楼建设项目", "social", (1, P.DRAFT)),
    ("园区配套道路及管网工程", "government", (2, REVIEW)),
    ("生产线智能化技术改造项目", "small", (2, S.REJECTED)),
    ("屋顶分布式光伏项目", "small", (1, P.WITHDRAWN)),
    ("综合办公楼建设项目", "social", (3, REVIEW)),
    ("危化品仓储设施改造项目", "small", (1, S.ACCEPTED)),
    ("园区标准化厂房(三期)工程", "government", (1, REVIEW)),
    ("员工食堂及活动中心项目", "small", (4, REVIEW)),
]
# How far back a walk starts (calendar days, only to place demo data in time).
START_BACK = {1: (4, 14), 2: (16, 30), 3: (32, 48), 4: (50, 66)}
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
DWG = b"AC1032" + b"\x00" * 122
# approver -> department codes (None: every department)
APPROVERS = {"demo_approver": None, "sp02": ["fgw", "zrzy"], "sp03": ["zj", "xf", "yjgl"],
             "sp04": ["sthj", "rf"]}


def step(*, rng, progress):
    plans = [(name, Decimal(signed) * YI, category, stop, True) for name, signed, category, stop in MAJOR]
    plans += [(name, Decimal(0), category, stop, False) for name, category, stop in ORDINARY]
    seeds = [rng.random() for _ in plans]  # drawn for every plan, created or not
    approvers = _approvers()
    targets = _enterprises(len(plans))
    if not targets:
        progress("工程建设项目(没有企业, 跳过)", 0, 0)
        return
    existing = set(Project.objects.filter(code__in=[_code(n) for n in range(len(plans))])
                   .values_list("code", flat=True))
    for n, (plan, seed, (enterprise, user)) in enumerate(zip(plans, seeds, targets, strict=True)):
        if _code(n) not in existing:
            _project(n, plan, random.Random(seed), enterprise, user, approvers)
        progress("工程建设项目", n + 1, len(plans))


projects = step  # the name seed_demo's STEPS may use: "portal.demo.approvals.projects"


def _code(n):
    return f"2026-510399-04-01-{n + 1:06d}"


def _approvers():
    """The demo approvers (org's staff step makes them; made here when run alone), in departments."""
    users = {u.username: u for u in User.objects.filter(username__in=APPROVERS)}
    missing = [u for u in APPROVERS if u not in users]
    if missing:
        specs = [{"username": u, "display_name": f"审批员{u[-2:]}", "roles": [roles.APPROVER]}
                 for u in missing]
        users.update(ensure_users(specs))
    departments = {d.code: d for d in Department.objects.all()}
    for username, codes in APPROVERS.items():
        for code in codes or departments:
            departments[code].members.add(users[username])
    return users


def _enterprises(count):
    """(enterprise, acting user) per plan: demo log-ins' enterprises first, then attracted ones."""
    members = {m.enterprise_id: m.user for m in EnterpriseMember.objects.select_related("user")}
    first = [m.enterprise for m in EnterpriseMember.objects.filter(
        user__username__in=["demo_enterprise", "demo_enterprise2"]).select_related("enterprise")
        .order_by("user__username")]
    pool = list(Enterprise.objects.filter(list_status=ListStatus.ATTRACTED).order_by("credit_code"))
    pool += list(Enterprise.objects.exclude(list_status=ListStatus.ATTRACTED).order_by("credit_code")[:count])
    pool = [e for e in pool if e not in first]
    # Majors go to attracted (招商引资) enterprises; the demo log-ins get ordinary ones.
    if not pool:
        return []
    majors = (pool * len(MAJOR))[:len(MAJOR)]
    # With fewer enterprises than projects (a small demo), some get several projects.
    ordinary = (first * 2 + pool[len(MAJOR):] + pool * len(ORDINARY))[:len(ORDINARY)]
    chosen = majors + ordinary
    missing = list(dict.fromkeys(e for e in chosen if e.pk not in members))
    if missing:
        users = ensure_users([{"username": f"qy{e.pk:04d}", "roles": [roles.ENTERPRISE],
                               "display_name": e.contact_name or f"{e.name}经办人"} for e in missing])
        for e in missing:
            EnterpriseMember.objects.get_or_create(user=users[f"qy{e.pk:04d}"], defaults={"enterprise": e})
            members[e.pk] = users[f"qy{e.pk:04d}"]
    return [(e, members[e.pk]) for e in chosen]


def _project(n, plan, rng, enterprise, user, approvers):
    name, signed, category_code, (order, state), major = plan
    today = timezone.localdate()
    start = today - dt.timedelta(days=rng.randint(*START_BACK[order]) + (30 if state == DONE else 0))
    investment = signed * Decimal("1.2") if signed else Decimal(rng.randint(8, 300)) * 1_000_000
    project = services.project_create(
        actor=user, enterprise=enterprise, name=name, code=_code(n), is_major=major,
        category=ProjectCategory.objects.get(code=category_code), total_investment=investment or signed,
        signed_amount=signed, location=f"自贡高新区板仓工业园区{rng.randint(1, 30)}号地块",
        introduced_on=start - dt.timedelta(days=rng.randint(10, 40)) if major else None)
    # The project was created on its start day, like everything that follows it.
    created = timezone.make_aware(dt.datetime.combine(start, dt.time(9)))
    Project.objects.filter(pk=project.pk).update(created_at=created)
    StageEvent.objects.filter(project=project).update(created_at=created)
    Walk(project=project, user=user, approvers=approvers, rng=rng, today=today).run(start, order, state)


def _last_pk(model):
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


class _Future(Exception):
    """The next step of a walk would happen after today."""


class Walk:
    """One project's path through the stages; stops early rather than act in the future."""

    def __init__(self, *, project, user, approvers, rng, today):
        self.project, self.user, self.rng, self.today = project, user, rng, today
        self.moments = 0
        self.approver = approvers["demo_approver"]
        self.reviewers = {code: approvers[u] for u, codes in APPROVERS.items() for code in codes or ()}

    def stage(self, order):
        stages = ApprovalStage.objects.select_related("project", "policy")
        return stages.get(project=self.project, order=order)

    def act(self, day, service, **kwargs):
        """Run one service as on `day`: its clock counts from then, and so do its records
        (events and uploads would otherwise carry the moment the seed ran)."""
        marks = _last_pk(StageEvent), _last_pk(Material)
        result = service(today=day, **kwargs)
        self.moments += 1  # keeps the order of one day's records
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        moment += dt.timedelta(minutes=self.moments)
        StageEvent.objects.filter(pk__gt=marks[0], project=self.project).update(created_at=moment)
        Material.objects.filter(pk__gt=marks[1], stage__project=self.project).update(uploaded_at=moment)
        return result

    def later(self, day, low, high):
        day = add_workdays(day, self.rng.randint(low, max(low, high)))
        if day > self.today:
            raise _Future
        return day

    def run(self, day, stop_order, state):
        with contextlib.suppress(_Future):  # the rest of the path lies in the future
            self._run(day, stop_order, state)

    def _run(self, day, stop_order, state):
        self.upload(self.stage(1), day)
        if state == P.DRAFT:
            return
        self.act(day, services.project_submit, project=self.project, actor=self.user)
        for order in range(1, 5):
            stage = self.stage(order)
            if order > 1:
                self.upload(stage, day)
            last = order == stop_order
            if last and state == S.PENDING:
                return
            day = self.later(day, 1, 2)
            stage = self.act(day, services.stage_accept, stage=stage, actor=self.approver,
                             commitment_workdays=5)
            if last and state in (S.ACCEPTED, SUPPLEMENT, EXPERT, P.WITHDRAWN):
                return self.stop(stage, day, state)
            if self.rng.random() < 0.25:
                stage, day = self.supplement_round(stage, day)
            day = self.later(day, 2, stage.budget_workdays // 2)
            stage = self.review(stage, day, partial=last and state == REVIEW)
            if last and state == REVIEW:
                return
            if last and state == S.REJECTED:
                self.act(day, services.stage_reject, stage=stage, actor=self.approver,
                         reason="项目选址与园区控制性详细规划不符, 建议调整选址后重新申报")
                return
            self.act(day, services.stage_approve, stage=stage, actor=self.approver)

    def upload(self, stage, day):
        for requirement in stage.policy.requirements.all():
            if not requirement.is_key and self.rng.random() < 0.2:
                continue  # left for 容缺受理
            ext, content = ("dwg", DWG) if requirement.key == "as_built" else ("pdf", PDF)
            self.act(day, services.material_upload, stage=stage, actor=self.user,
                     requirement_key=requirement.key,
                     upload=SimpleUploadedFile(f"{requirement.name}.{ext}", content))

    def stop(self, stage, day, state):
        if state == SUPPLEMENT:
            day = self.later(day, 1, 3)
            self.act(day, services.stage_request_supplement, stage=stage, actor=self.approver,
                     items=["总平面图缺少经纬度坐标", "法定代表人授权委托书"])
        elif state == EXPERT:
            day = self.later(day, 1, 3)
            self.act(day, services.stage_pause, stage=stage, actor=self.approver,
                     kind=PauseKind.EXPERT_REVIEW, legal_basis="《中华人民共和国行政许可法》第四十五条")
        elif state == P.WITHDRAWN:
            self.act(self.later(day, 1, 2), services.project_withdraw, project=self.project,
                     actor=self.user, comment="企业调整投资计划")

    def supplement_round(self, stage, day):
        day = self.later(day, 1, 2)
        stage = self.act(day, services.stage_request_supplement, stage=stage, actor=self.approver,
                         items=["补充提交建设用地规划条件核实意见"])
        day = self.later(day, 1, 4)
        self.act(day, services.supplement_upload, stage=stage, actor=self.user, item=0,  # one file per item
                 upload=SimpleUploadedFile("建设用地规划条件核实意见.pdf", PDF))
        return self.act(day, services.stage_resubmit, stage=stage, actor=self.user), day

    def review(self, stage, day, *, partial):
        departments = list(stage.policy.departments.all())
        for index, department in enumerate(departments):
            if partial and index == len(departments) - 1:
                break  # one department still to give its opinion
            reviewer = self.reviewers.get(department.code, self.approver)
            stage = self.act(day, services.stage_review_submit, stage=stage, actor=reviewer,
                             department=department, opinion=Opinion.AGREE, comment="符合要求")
        return stage
