"""Uploads are checked by extension, content and size; downloads go through an access check."""

import pytest
from django.urls import reverse

from approvals import services
from approvals.errors import ApprovalError
from approvals.models import Material

from . import factories as af

OLE_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
DXF_BYTES = b"  0\nSECTION\n  2\nHEADER\n  0\nENDSEC\n  0\nEOF\n"


@pytest.fixture
def stage(project_a):
    return af.stage_of(project_a, 1)


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("报告.pdf", af.PDF_BYTES, "application/pdf"),
    ("照片.PNG", af.PNG_BYTES, "image/png"),
    ("申请表.doc", OLE_BYTES, "application/msword"),
    ("清单.xls", OLE_BYTES, "application/vnd.ms-excel"),
    ("方案.docx", af.docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("预算.xlsx", af.docx_bytes("xl/workbook.xml"),
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("总图.dwg", af.DWG_BYTES, "image/vnd.dwg"),
    ("总图.dxf", DXF_BYTES, "image/vnd.dxf"),
])
def test_allowed_files_are_stored_under_a_random_name(stage, personas, name, content, content_type):
    material = services.material_upload(stage=stage, actor=personas.alice, requirement_key="approval_report",
                                        upload=af.upload(name, content))
    assert material.content_type == content_type
    assert material.original_name == name and material.size == len(content)
    assert material.file.name.startswith("materials/") and name.split(".")[0] not in material.file.name
    with material.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(("name", "content", "message"), [
    ("病毒.exe", b"MZ\x90\x00" + b"\x00" * 60, "不支持的文件类型"),
    ("无扩展名", af.PDF_BYTES, "不支持的文件类型"),
    ("伪装.pdf", af.PNG_BYTES, "文件内容与扩展名「.pdf」不符"),
    ("伪装.png", af.PDF_BYTES, "文件内容与扩展名「.png」不符"),
    ("伪装.docx", af.docx_bytes("other/x.xml"), "不符"),
    ("伪装.dwg", b"PK\x03\x04" + b"\x00" * 40, "不符"),
    ("空.pdf", b"", "文件为空"),
])
def test_bad_uploads_are_refused(stage, personas, name, content, message):
    with pytest.raises(ApprovalError, match=message):
        services.material_upload(stage=stage, actor=personas.alice, requirement_key="approval_report",
                                 upload=af.upload(name, content))
    assert not Material.objects.exists()


def test_too_large_upload_is_refused(stage, personas, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ApprovalError, match="文件过大"):
        services.material_upload(stage=stage, actor=personas.alice, requirement_key="approval_report",
                                 upload=af.pdf(content=af.PDF_BYTES + b"0" * 2000))
    assert not Material.objects.exists()


def test_unknown_requirement_and_other_enterprise_are_refused(stage, personas):
    with pytest.raises(ApprovalError, match="材料清单"):
        services.material_upload(stage=stage, actor=personas.alice, requirement_key="nope", upload=af.pdf())
    with pytest.raises(ApprovalError, match="无权"):
        services.material_upload(stage=stage, actor=personas.bob, requirement_key="approval_report",
                                 upload=af.pdf())


def test_upload_page_shows_the_reason_and_stores_nothing(client, stage, personas):
    client.force_login(personas.alice)
    response = client.post(reverse("approvals:material_upload", args=[stage.pk]),
                           {"requirement_key": "approval_report", "file": af.upload("伪装.pdf",
                                                                                    af.PNG_BYTES)},
                           follow=True)
    assert "文件内容与扩展名「.pdf」不符" in response.content.decode()
    assert not Material.objects.exists()


def test_download_returns_the_original_name_to_those_who_may_see(client, stage, personas, approvers):
    material = services.material_upload(stage=stage, actor=personas.alice, requirement_key="approval_report",
                                        upload=af.pdf("可研报告.pdf"))
    url = reverse("approvals:material_download", args=[material.pk])
    client.force_login(personas.alice)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == af.PDF_BYTES
    assert "attachment" in response["Content-Disposition"]
    client.force_login(personas.bob)
    assert client.get(url).status_code == 404
