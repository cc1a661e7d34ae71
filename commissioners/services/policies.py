"""惠企政策: the bureau (or an admin) adds policies to the library."""

import os

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import ADMIN, BUREAU

from ..models.policies import Policy
from .demands import DemandError, DemandPermissionError, check_upload

__all__ = ["policy_create"]


@transaction.atomic
def policy_create(*, actor, title, issuing_body, valid_from, valid_to=None, summary="", document_number="",
                  industries=(), link="", file=None):
    if not (actor and actor.is_authenticated and actor.has_role(BUREAU, ADMIN)):
        raise DemandPermissionError(_("只有经济运行局或管理员可以录入惠企政策"))
    title = (title or "").strip()
    if not title:
        raise DemandError(_("请填写政策名称"))
    if not (issuing_body or "").strip():
        raise DemandError(_("请填写发文单位"))
    if valid_from is None or (valid_to is not None and valid_to < valid_from):
        raise DemandError(_("失效日期不能早于生效日期"))
    if not link and file is None:
        raise DemandError(_("请填写原文链接或上传政策文件"))
    if file is not None:
        check_upload(file)
    policy = Policy.objects.create(
        title=title, issuing_body=issuing_body.strip(), document_number=(document_number or "").strip(),
        summary=(summary or "").strip(), valid_from=valid_from, valid_to=valid_to, link=link or "",
        file=file or "", file_name=os.path.basename(file.name)[:200] if file else "", created_by=actor)
    policy.industries.set(industries)
    return policy
