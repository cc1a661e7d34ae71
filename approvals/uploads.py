"""What an enterprise may upload: checked by extension AND by content, and by size.

A file must look like what its name says: a PNG renamed to .pdf is refused ("lying
extension"), as is anything whose bytes match no allowed kind. Office files are checked by
container (OLE2 for doc/xls, ZIP with the right part for docx/xlsx), CAD drawings by the
DWG version header ("AC10xx") or the DXF section marker.
"""

import io
import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .errors import ApprovalError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# extension -> (content type stored, check on the first bytes / the whole file)
ALLOWED = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "dwg": "image/vnd.dwg",
    "dxf": "image/vnd.dxf",
}
ALLOWED_LABEL = "PDF、JPG/PNG 图片、Word、Excel、CAD 图纸(DWG/DXF)"
ACCEPT_ATTR = ",".join(f".{ext}" for ext in ALLOWED)


def _guess_is(head, *mimes):
    kind = filetype.guess(head)
    return kind is not None and kind.mime in mimes


def _zip_has(upload, part):
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
            return any(name.startswith(part) for name in archive.namelist())
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def _dxf(head):
    text = head.lstrip()
    return head.startswith(b"AutoCAD Binary DXF") or (text.startswith(b"0") and b"SECTION" in text[:64])


CONTENT_CHECKS = {
    "pdf": lambda head, upload: _guess_is(head, "application/pdf"),
    "jpg": lambda head, upload: _guess_is(head, "image/jpeg"),
    "jpeg": lambda head, upload: _guess_is(head, "image/jpeg"),
    "png": lambda head, upload: _guess_is(head, "image/png"),
    "doc": lambda head, upload: head.startswith(OLE_MAGIC),
    "xls": lambda head, upload: head.startswith(OLE_MAGIC),
    "docx": lambda head, upload: head.startswith(ZIP_MAGIC) and _zip_has(upload, "word/"),
    "xlsx": lambda head, upload: head.startswith(ZIP_MAGIC) and _zip_has(upload, "xl/"),
    "dwg": lambda head, upload: head.startswith(b"AC10"),
    "dxf": lambda head, upload: _dxf(head),
}


def extension(name):
    return PurePath(name or "").suffix.lower().lstrip(".")


def check_upload(upload):
    """Return the content type to store, or raise ApprovalError saying what is wrong."""
    if upload is None:
        raise ApprovalError("请选择要上传的文件", code="upload")
    ext = extension(upload.name)
    if ext not in ALLOWED:
        raise ApprovalError(f"不支持的文件类型「.{ext or '无扩展名'}」; 允许: {ALLOWED_LABEL}", code="upload")
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ApprovalError(f"文件过大({filesizeformat(upload.size)}), 上限为 {filesizeformat(limit)}",
                            code="upload")
    if upload.size == 0:
        raise ApprovalError("文件为空", code="upload")
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if not CONTENT_CHECKS[ext](head, upload):
        raise ApprovalError(f"文件内容与扩展名「.{ext}」不符, 请上传真实的 {ext.upper()} 文件", code="upload")
    return ALLOWED[ext]
