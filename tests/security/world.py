"""The authorization matrix's world: enterprise A's objects in every state that matters (draft,
withdrawn draft, live, refused), and everything else a route can name, owned by someone."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile

from accounts.tokens import token_issue
from approvals import services as approvals
from approvals.models import Department
from commissioners.models import DemandAttachment, DemandCategory, Policy
from commissioners.services import demand_submit
from commissioners.services.visits import visit_record
from dashboard.models import Report
from notifications.models import Level
from notifications.services import escalation_raise, notify
from notifications.supervisions import supervision_open
from tests import factories as f
from tests.approvals import factories as af

MON = dt.date(2026, 11, 2)


def _approvers(personas):
    """adam sits in every department; ann approves for a department no stage of A's projects uses."""
    ann = f.UserFactory(username="ann", roles=["approver"])
    for department in af.all_departments():
        department.members.add(personas.adam)
    Department.objects.create(code="civil_defence", name="人防审批科").members.add(ann)
    return ann


def _project(personas, code, *, submit=False):
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code=code)
    af.upload_materials(af.stage_of(project, 1), personas.alice, today=MON)
    if submit:
        approvals.project_submit(project=project, actor=personas.alice, today=MON)
    return project


def build(personas):
    ann = _approvers(personas)
    live = _project(personas, "A-LIVE", submit=True)
    stage = approvals.stage_accept(stage=af.stage_of(live, 1), actor=personas.adam, today=MON)
    draft = _project(personas, "A-DRAFT")
    withdrawn = approvals.project_withdraw(project=_project(personas, "A-WDRAFT"), actor=personas.alice,
                                           today=MON)
    refused = _project(personas, "A-REFUSED", submit=True)
    refused_stage = approvals.stage_accept(stage=af.stage_of(refused, 1), actor=personas.adam, today=MON)
    approvals.stage_reject(stage=refused_stage, actor=personas.adam, reason="不符合规划条件", today=MON)
    category = DemandCategory.objects.filter(is_active=True).order_by("order", "id").first()
    demand = demand_submit(enterprise=personas.enterprise_a, actor=personas.alice, category=category,
                           title="甲的诉求")
    attachment = DemandAttachment(demand=demand, original_name="说明.pdf", content_type="application/pdf",
                                  size=len(af.PDF_BYTES), uploaded_by=personas.alice)
    attachment.file.save("说明.pdf", ContentFile(af.PDF_BYTES), save=True)
    visit = visit_record(actor=personas.carol, enterprise=personas.enterprise_a, visited_on=MON, notes="走访")
    policy = Policy(title="技改补贴", issuing_body="经发局", valid_from=dt.date(2026, 1, 1))
    policy.file.save("policy.pdf", ContentFile(af.PDF_BYTES), save=True)
    escalation = escalation_raise(obj=stage, level=Level.ESCALATED, recipients=[personas.leo, personas.carol],
                                  title="提级督办", body="超期", link="/x/")
    supervision = supervision_open(matter=stage, actor=personas.leo, instruction="请加快办理")
    notification = notify(recipients=[personas.alice], title="甲的通知", body="正文")
    report = Report(week="2026-W45", start=MON, end=MON + dt.timedelta(days=6))
    report.file.save("w45.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    token, _key = token_issue(user=personas.alice, name="甲的系统")
    return {
        "ann": ann, "project": live, "stage": stage, "material": stage.materials.first(), "draft": draft,
        "draft_stage": af.stage_of(draft, 1), "draft_material": af.stage_of(draft, 1).materials.first(),
        "withdrawn": withdrawn, "withdrawn_stage": af.stage_of(withdrawn, 1),
        "withdrawn_material": af.stage_of(withdrawn, 1).materials.first(),
        "refused": refused, "refused_stage": refused_stage, "demand": demand, "attachment": attachment,
        "visit": visit, "policy": policy, "escalation": escalation, "supervision": supervision,
        "notification": _first(notification), "report": report, "token": token,
        "stage_type": ContentType.objects.get_for_model(stage),
    }


def _first(value):
    if isinstance(value, list | tuple):
        return value[0]
    return value
