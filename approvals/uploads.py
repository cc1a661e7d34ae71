"""What an enterprise may upload as project material (core.uploads does the checking)."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.uploads import CONTENT_TYPES, UploadRejected, extension
from core.uploads import check_upload as _check

from .errors import ApprovalError

ALLOWED = CONTENT_TYPES
ALLOWED_LABEL = _("PDF、JPG/PNG 图片、Word、Excel、CAD 图纸(DWG/DXF)")
ACCEPT_ATTR = ",".join(f".{ext}" for ext in ALLOWED)


def check_upload(upload):
    """Return the content type to store, or raise ApprovalError saying what is wrong."""
    try:
        return _check(upload)
    except UploadRejected as rejected:
        raise ApprovalError(_message(rejected, upload), code="upload") from None


def _message(rejected, upload):
    ext = rejected.ext
    if rejected.reason == "missing":
        return gettext("请选择要上传的文件")
    if rejected.reason == "type":
        return gettext("不支持的文件类型「.%(ext)s」; 允许: %(allowed)s") % {
            "ext": ext or gettext("无扩展名"), "allowed": ALLOWED_LABEL}
    if rejected.reason == "size":
        return gettext("文件过大(%(size)s), 上限为 %(limit)s") % {
            "size": filesizeformat(upload.size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
    if rejected.reason == "empty":
        return gettext("文件为空")
    return gettext("文件内容与扩展名「.%(ext)s」不符, 请上传真实的 %(kind)s 文件") % {
        "ext": ext, "kind": ext.upper()}


__all__ = ["ACCEPT_ATTR", "ALLOWED", "ALLOWED_LABEL", "check_upload", "extension"]
