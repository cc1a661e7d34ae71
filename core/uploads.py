"""What may be uploaded anywhere in the portal: checked by extension AND by content, and by size.

A file must look like what its name says: a PNG renamed to .pdf is refused ("lying
extension"), as is anything whose bytes match no allowed kind. Office files are checked by
container (OLE2 for doc/xls, ZIP with the right part for docx/xlsx), CAD drawings by the
DWG version header ("AC10xx") or the DXF section marker. Domain-free: approvals and the
demands procedure each word the refusal in their own terms.
"""

import io
import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# extension -> content type stored
CONTENT_TYPES = {
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
DOCUMENTS = ("pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx")


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


class UploadRejected(Exception):
    """reason: "missing", "type", "size", "empty" or "content"; ext: the file's extension."""

    def __init__(self, reason, ext=""):
        super().__init__(reason)
        self.reason, self.ext = reason, ext


def extension(name):
    return PurePath(name or "").suffix.lower().lstrip(".")


def check_upload(upload, *, allowed=tuple(CONTENT_TYPES)):
    """Return the content type to store, or raise UploadRejected saying why not."""
    if upload is None:
        raise UploadRejected("missing")
    ext = extension(upload.name)
    if ext not in allowed:
        raise UploadRejected("type", ext)
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise UploadRejected("size", ext)
    if upload.size == 0:
        raise UploadRejected("empty", ext)
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if not CONTENT_CHECKS[ext](head, upload):
        raise UploadRejected("content", ext)
    return CONTENT_TYPES[ext]


# --- the size limit, while the body streams in -------------------------------------------------

TOO_LARGE = "upload_too_large"


class UploadLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts each file's bytes as they arrive and stops reading
    the request once one passes UPLOAD_MAX_BYTES, so an oversized file is never stored whole,
    in memory or on disk. The request is marked; UploadLimitMiddleware answers 413."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            if self.request is not None:
                setattr(self.request, TOO_LARGE, True)
            # connection_reset: the rest of the body is not read (the reverse proxy bounds it).
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


class UploadLimitMiddleware:
    """Parses a multipart POST up front (CSRF would, a moment later) and refuses it with 413 and a
    clear message when UploadLimitHandler stopped it: no view runs, nothing changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.POST  # noqa: B018 - reading it runs the upload handlers
            if getattr(request, TOO_LARGE, False):
                return upload_too_large(request)
        return self.get_response(request)


def upload_too_large(request):
    message = _("上传的文件超过了 %(limit)s 的上限, 已拒绝, 未保存任何内容。") % {
        "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "upload"}, status=413)
    return render(request, "413.html", {"message": message}, status=413)
