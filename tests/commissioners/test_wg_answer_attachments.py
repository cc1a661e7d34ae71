"""A working group's answer with files: stored through the service, shown to whoever may see the
demand, downloadable only by them; a refused file keeps the answer's text and stores nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioners.choices import DemandAction, DemandStatus, DispatchStatus
from commissioners.models import DemandAttachment, DemandEvent
from commissioners.services import (
    DemandError,
    demand_accept,
    demand_answer,
    demand_dispatch,
    demand_review,
    demand_start,
    demand_submit,
)

from .conftest import PDF, on, pdf, png

# Everyone who may see A's demand once it is with wendy's group, and some who may not.
SEES = ("alice", "carol", "gary", "betty", "wendy", "leo", "root")
FOREIGN = ("bob", "dave", "grace", "adam")


@pytest.fixture
def started(personas, categories):
    """A's demand, dispatched to wendy's group and signed for: waiting for the group's answer."""
    p = personas
    with on(2026, 9, 30):
        demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["approval"],
                               title="施工许可咨询")
        demand_accept(demand=demand, actor=p.carol)
        demand_review(demand=demand, actor=p.gary)
        demand = demand_dispatch(demand=demand, actor=p.betty, working_groups=[p.working_group])
        dispatch = demand.dispatches.get()
        demand_start(dispatch=dispatch, actor=p.wendy)
    dispatch.refresh_from_db()
    return dispatch


def _answer(client, dispatch, user, **data):
    client.force_login(user)
    url = reverse("commissioners:demand_action", args=[dispatch.demand_id, "answer"])
    return client.post(url, {"dispatch": dispatch.pk, **data})


def test_a_working_group_answers_with_several_files(client, personas, started):
    response = _answer(client, started, personas.wendy, answer="已协调住建局办理, 附批复。",
                       attachments=[pdf("批复.pdf"), png("现场照片.png")])
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == DispatchStatus.ANSWERED
    files = list(started.attachments.order_by("original_name"))
    assert [(a.original_name, a.content_type, a.demand_id, a.uploaded_by) for a in files] == [
        ("批复.pdf", "application/pdf", started.demand_id, personas.wendy),
        ("现场照片.png", "image/png", started.demand_id, personas.wendy)]
    event = DemandEvent.objects.get(demand=started.demand, action=DemandAction.GROUP_ANSWERED)
    assert event.detail["attachments"] == 2
    # The demand's own files are a separate list: the answer's files are not shown as the enterprise's.
    assert not DemandAttachment.objects.filter(demand=started.demand, dispatch__isnull=True).exists()


def test_the_answers_files_are_shown_and_downloadable_to_whoever_sees_the_demand(client, personas, started):
    _answer(client, started, personas.wendy, answer="已办结", attachments=[pdf("批复.pdf")])
    attachment = started.attachments.get()
    detail = reverse("commissioners:demand_detail", args=[started.demand_id])
    download = reverse("commissioners:demand_attachment", args=[attachment.pk])
    for name in SEES:
        client.force_login(getattr(personas, name))
        body = client.get(detail).content.decode()
        answers = body[body.index("bi-diagram-3"):body.index("bi-clock-history")]
        assert "批复.pdf" in answers and download in answers, name
        response = client.get(download)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]
    for name in FOREIGN:
        client.force_login(getattr(personas, name))
        assert client.get(download).status_code == 404, name


def test_a_bad_file_is_refused_with_the_answer_text_kept(client, personas, started):
    lying = SimpleUploadedFile("批复.pdf", b"MZ" + b"\0" * 64)  # an executable named .pdf
    response = _answer(client, started, personas.wendy, answer="已协调, 详见附件", attachments=[pdf(), lying])
    assert response.status_code == 200
    body = response.content.decode()
    assert "附件“批复.pdf”的内容与扩展名 .pdf 不符" in body
    form = body[body.index(f'id="answer-{started.pk}"'):]
    form = form[:form.index("</form>")]
    assert "内容与扩展名 .pdf 不符" in form and "已协调, 详见附件</textarea>" in form
    started.refresh_from_db()
    assert started.status == DispatchStatus.IN_PROGRESS and started.answer == ""
    assert not DemandAttachment.objects.exists()
    assert not DemandEvent.objects.filter(action=DemandAction.GROUP_ANSWERED).exists()


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("工具.exe", b"MZ" + b"\0" * 64), "附件“工具.exe”的类型不允许上传"),
    (SimpleUploadedFile("空.pdf", b""), "附件“空.pdf”是空文件"),
])
def test_a_refused_file_names_itself(client, personas, started, upload, message):
    body = _answer(client, started, personas.wendy, answer="答复正文", attachments=[upload]).content.decode()
    assert message in body and "答复正文</textarea>" in body
    assert not DemandAttachment.objects.exists()


def test_an_answer_without_text_keeps_nothing_and_says_so(client, personas, started):
    body = _answer(client, started, personas.wendy, answer="  ", attachments=[pdf()]).content.decode()
    assert "请填写答复内容" in body
    assert not DemandAttachment.objects.exists()


def test_a_file_over_the_limit_is_a_413_and_stores_nothing(client, personas, started, settings):
    settings.UPLOAD_MAX_BYTES = 1_000
    response = _answer(client, started, personas.wendy, answer="答复",
                       attachments=[pdf("大.pdf")] + [SimpleUploadedFile("大2.pdf", PDF + b"0" * 5_000)])
    assert response.status_code == 413 and "超过了" in response.content.decode()
    started.refresh_from_db()
    assert started.status == DispatchStatus.IN_PROGRESS and not DemandAttachment.objects.exists()


def test_the_answer_form_warns_of_the_limit_before_sending(client, personas, started, settings):
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    client.force_login(personas.wendy)
    body = client.get(reverse("commissioners:demand_detail", args=[started.demand_id])).content.decode()
    form = body[body.rindex("<form", 0, body.index(f'id="answer-{started.pk}"')):]
    form = form[:form.index("</form>")]
    assert 'enctype="multipart/form-data"' in form
    assert f'data-max-bytes="{5 * 1024 * 1024}"' in form and "multiple" in form
    assert f'<label class="form-label small mb-0" for="answer-files-{started.pk}">' in form
    assert "js/uploads.js" in body


def test_someone_outside_the_group_cannot_answer_with_files(client, personas, started):
    response = _answer(client, started, personas.carol, answer="越权", attachments=[pdf()])
    assert response.status_code == 403
    assert not DemandAttachment.objects.exists()


def test_the_service_refuses_the_whole_answer_for_one_bad_file(personas, started):
    with pytest.raises(DemandError, match="类型不允许上传"):
        demand_answer(dispatch=started, actor=personas.wendy, answer="答复",
                      files=[pdf(), SimpleUploadedFile("a.txt", b"hello")])
    started.refresh_from_db()
    assert started.status == DispatchStatus.IN_PROGRESS and not DemandAttachment.objects.exists()
    assert started.demand.status == DemandStatus.IN_PROGRESS


def test_the_demand_page_reads_answer_files_in_a_bounded_number_of_queries(
        client, personas, categories, talent_group, django_assert_max_num_queries):
    p = personas
    with on(2026, 9, 30):
        demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["approval"],
                               title="并联办理", files=[pdf()])
        demand_accept(demand=demand, actor=p.carol)
        demand_review(demand=demand, actor=p.gary)
        demand = demand_dispatch(demand=demand, actor=p.betty, working_groups=[p.working_group, talent_group])
        ours, theirs = demand.dispatches.order_by("working_group__code")
        demand_start(dispatch=ours, actor=p.wendy)
        demand_answer(dispatch=ours, actor=p.wendy, answer="一", files=[pdf("1.pdf")])
    url = reverse("commissioners:demand_detail", args=[demand.pk])
    client.force_login(p.leo)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    with on(2026, 9, 30):
        demand_start(dispatch=theirs, actor=talent_group.tom)
        demand_answer(dispatch=theirs, actor=talent_group.tom, answer="二",
                      files=[pdf(f"{n}.pdf") for n in range(2, 7)])
    with django_assert_max_num_queries(len(few)):
        body = client.get(url).content.decode()
    assert all(f"{n}.pdf" in body for n in range(1, 7))
