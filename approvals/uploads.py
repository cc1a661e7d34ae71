"""What an enterprise may upload as project material (portal.uploads does the checking)."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from portal.uploads import CONTENT_TYPES, UploadRejected, extension
from portal.uploads import check_upload as _check

from .errors import ApprovalError

ALLOWED = CONTENT_TYPES
ALLOWED_LABEL = "PDF、JPG/PNG 图片、Word、Excel、CAD 图纸(DWG/DXF)"
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
        return "请选择要上传的文件"
    if rejected.reason == "type":
        return f"不支持的文件类型「.{ext or '无扩展名'}」; 允许: {ALLOWED_LABEL}"
    if rejected.reason == "size":
        return f"文件过大({filesizeformat(upload.size)}), 上限为 {filesizeformat(settings.UPLOAD_MAX_BYTES)}"
    if rejected.reason == "empty":
        return "文件为空"
    return f"文件内容与扩展名「.{ext}」不符, 请上传真实的 {ext.upper()} 文件"


__all__ = ["ACCEPT_ATTR", "ALLOWED", "ALLOWED_LABEL", "check_upload", "extension"]
