"""Request limits (issue 15): uploads stop while streaming, formsets are bounded."""

import io
import time

import pytest
from django.conf import settings
from django.contrib import admin
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from approvals.models import Material
from commissioners.forms_demands import VisitDemandFormSet
from commissioners.models import Visit
from core.uploads import UploadLimitHandler
from tests.approvals import factories as af


class CountingStream(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.consumed = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk


def test_the_handler_stops_reading_once_a_file_passes_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 100_000
    body = encode_multipart(BOUNDARY, {"file": io.BytesIO(b"x" * 5_000_000), "name": "a"})
    stream = CountingStream(body)
    request = RequestFactory().get("/")
    handler = UploadLimitHandler(request)
    parser = MultiPartParser({"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))},
                             stream, [handler])
    post, files = parser.parse()  # StopUpload ends the parse; what came before it is kept
    assert "file" not in files and request.upload_too_large
    # Stopped within a few chunks of the limit: the 5 MB body was never read whole.
    assert stream.consumed < settings.UPLOAD_MAX_BYTES + 4 * UploadLimitHandler.chunk_size


@pytest.fixture
def stage(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code="A-UP")
    return af.stage_of(project, 1)


def test_an_oversized_upload_is_refused_with_413_and_stores_nothing(client, personas, stage, settings):
    settings.UPLOAD_MAX_BYTES = 50_000
    client.force_login(personas.alice)
    key = stage.policy.requirements.first().key
    big = af.pdf("大文件.pdf", af.PDF_BYTES + b"0" * 200_000)
    response = client.post(reverse("approvals:material_upload", args=[stage.pk]),
                           {"requirement_key": key, "file": big})
    assert response.status_code == 413
    assert "超过了" in response.content.decode() and "48.8" in response.content.decode()
    assert not Material.objects.exists()
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.pdf"))


def test_an_upload_under_the_limit_still_works(client, personas, stage, settings):
    settings.UPLOAD_MAX_BYTES = 50_000
    client.force_login(personas.alice)
    key = stage.policy.requirements.first().key
    response = client.post(reverse("approvals:material_upload", args=[stage.pk]),
                           {"requirement_key": key, "file": af.pdf()})
    assert response.status_code == 302 and Material.objects.count() == 1


def test_the_api_answers_413_in_json(client, personas, stage, settings):
    settings.UPLOAD_MAX_BYTES = 1_000
    client.force_login(personas.alice)
    response = client.post(f"/api/v1/stages/{stage.pk}/materials/",
                           {"requirement_key": "x", "file": af.pdf("a.pdf", af.PDF_BYTES + b"0" * 5_000)})
    assert response.status_code == 413 and response.json()["code"] == "upload"


def test_visit_formset_builds_at_most_ten_forms_whatever_total_forms_says(client, personas):
    assert VisitDemandFormSet.absolute_max == 10
    client.force_login(personas.carol)
    data = {"demands-TOTAL_FORMS": "100000", "demands-INITIAL_FORMS": "0",
            "enterprise": personas.enterprise_a.pk, "visited_on": "2026-03-02"}
    started = time.monotonic()
    response = client.post(reverse("commissioners:visit_create"), data)
    assert time.monotonic() - started < 5
    assert response.status_code == 200 and not Visit.objects.exists()
    assert len(response.context["formset"].forms) == 10


def test_every_admin_inline_is_bounded(rf, personas):
    request = rf.get("/admin/")
    request.user = personas.root
    inlines = [inline for model_admin in admin.site._registry.values()
               for inline in model_admin.get_inline_instances(request)]
    assert inlines
    for inline in inlines:
        formset = inline.get_formset(request, None)
        assert formset.absolute_max == settings.FORMSET_ABSOLUTE_MAX, type(inline).__name__


def test_request_limits_are_set():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 20
    assert settings.FILE_UPLOAD_HANDLERS[0] == "core.uploads.UploadLimitHandler"
