"""Approvals test data: projects made through the services, files with real magic bytes."""

import io
import zipfile
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals import services
from approvals.models import ApprovalStage, Department, ProjectCategory, StagePolicy

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
DWG_BYTES = b"AC1032" + b"\x00" * 64


def pdf(name="材料.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def docx_bytes(part="word/document.xml"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def category(code):
    return ProjectCategory.objects.get(code=code)


class ProjectCodes(factory.Factory):
    class Meta:
        model = dict

    code = factory.Sequence(lambda n: f"2026-510300-48-01-{n:06d}")


def make_project(*, actor, enterprise, category_code="government", code=None, **extra):
    values = {"name": "测试工程建设项目", "total_investment": Decimal("120000000"),
              "signed_amount": Decimal("100000000"), **extra}
    return services.project_create(actor=actor, enterprise=enterprise, category=category(category_code),
                                   code=code or ProjectCodes()["code"], **values)


def stage_of(project, order):
    return ApprovalStage.objects.select_related("project", "policy").get(project=project, order=order)


def upload_materials(stage, actor, *, key_only=False, today=None):
    for requirement in stage.policy.requirements.all():
        if key_only and not requirement.is_key:
            continue
        content = (upload(f"{requirement.key}.dwg", DWG_BYTES) if requirement.key == "as_built"
                   else pdf(f"{requirement.name}.pdf"))
        services.material_upload(stage=stage, actor=actor, requirement_key=requirement.key, upload=content,
                                 today=today)


def approve_all_reviews(stage, actor, today=None):
    for department in stage.policy.departments.all():
        stage = services.stage_review_submit(stage=stage, actor=actor, department=department,
                                             opinion="agree", today=today)
    return stage


def all_departments():
    return list(Department.objects.all())


def policy(category_code, kind):
    return StagePolicy.objects.get(category__code=category_code, kind=kind)


def answer_supplement(stage, actor, today=None):
    """A file for every item of the stage's open 补正 request (提交补正材料 needs one per item)."""
    pause = stage.pauses.get(kind="supplement", ended_on__isnull=True)
    for index in range(len(pause.items)):
        services.supplement_upload(stage=stage, actor=actor, item=index, upload=pdf(f"补正{index + 1}.pdf"),
                                   today=today)
