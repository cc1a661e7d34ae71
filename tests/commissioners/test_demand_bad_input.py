"""Refused actions: a clear Chinese message and nothing changed."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioners.choices import DemandStatus, Rating
from commissioners.models import Demand, DemandAttachment, DemandDispatch, DemandEvent, DemandRating
from commissioners.services import (
    DemandError,
    DemandPermissionError,
    demand_accept,
    demand_answer,
    demand_answer_first_contact,
    demand_dispatch,
    demand_rate,
    demand_redispatch,
    demand_review,
    demand_send_back,
    demand_start,
    demand_submit,
)

from .conftest import on, pdf, png


def _submit(p, categories, **kwargs):
    kwargs.setdefault("title", "用电增容")
    return demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["factors"], **kwargs)


def _snapshot(demand):
    demand.refresh_from_db()
    return (demand.status, demand.due_on, demand.events.count(), demand.dispatches.count(),
            demand.ratings.count())


@pytest.fixture
def submitted(personas, categories):
    with on(2026, 9, 30):
        return _submit(personas, categories)


@pytest.fixture
def answered(personas, categories):
    p = personas
    with on(2026, 9, 30):
        demand = _submit(p, categories)
        demand_accept(demand=demand, actor=p.carol)
        demand_review(demand=demand, actor=p.gary)
        demand = demand_dispatch(demand=demand, actor=p.betty, working_groups=[p.working_group])
        dispatch = demand.dispatches.get()
        demand_start(dispatch=dispatch, actor=p.wendy)
        return demand_answer(dispatch=dispatch, actor=p.wendy, answer="已办")


@pytest.mark.parametrize("title", ["", "   ", None])
def test_empty_title_is_refused_and_nothing_is_created(personas, categories, title):
    with pytest.raises(DemandError, match="请填写诉求标题"):
        _submit(personas, categories, title=title)
    assert not Demand.objects.exists() and not DemandEvent.objects.exists()


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("病毒.exe", b"MZ\x90\x00" + b"\0" * 100), "类型不允许"),
    (SimpleUploadedFile("伪装.pdf", b"MZ\x90\x00" + b"\0" * 100), "内容与扩展名 .pdf 不符"),
    (SimpleUploadedFile("图片.pdf", bytes.fromhex("89504E470D0A1A0A") + b"\0" * 64), "内容与扩展名"),
    (SimpleUploadedFile("空.pdf", b""), "空文件"),
])
def test_bad_attachment_is_refused_and_nothing_is_created(personas, categories, upload, message):
    with pytest.raises(DemandError, match=message):
        _submit(personas, categories, files=[pdf(), upload])
    assert not Demand.objects.exists() and not DemandAttachment.objects.exists()


def test_attachment_over_the_size_limit_is_refused(personas, categories, settings):
    settings.UPLOAD_MAX_BYTES = 40
    with pytest.raises(DemandError, match="超过"):
        _submit(personas, categories, files=[pdf()])
    assert not Demand.objects.exists()


def test_good_attachments_are_stored_under_random_names(personas, categories, settings):
    demand = _submit(personas, categories, files=[pdf("营业执照.pdf"), png()])
    names = sorted(demand.attachments.values_list("original_name", flat=True))
    assert names == ["现场.png", "营业执照.pdf"]
    stored = demand.attachments.get(original_name="营业执照.pdf")
    assert stored.file.name.startswith("demands/") and "营业执照" not in stored.file.name
    assert stored.content_type == "application/pdf"
    assert (settings.MEDIA_ROOT / stored.file.name).exists()


def test_enterprise_cannot_raise_a_demand_for_another_enterprise(personas, categories):
    with pytest.raises(DemandPermissionError):
        demand_submit(enterprise=personas.enterprise_b, actor=personas.alice, category=categories["legal"],
                      title="x")
    assert not Demand.objects.exists()


@pytest.mark.parametrize(("action", "actor"), [
    (lambda d, u: demand_review(demand=d, actor=u), "gary"),
    (lambda d, u: demand_dispatch(demand=d, actor=u, working_groups=[]), "betty"),
    (lambda d, u: demand_rate(demand=d, actor=u, level=Rating.SATISFIED), "alice"),
])
def test_skipping_a_node_is_refused(personas, submitted, action, actor):
    before = _snapshot(submitted)
    with pytest.raises(DemandError, match="不能跳过环节|尚未答复"):
        action(submitted, getattr(personas, actor))
    assert _snapshot(submitted) == before


def test_only_the_enterprises_own_commissioner_may_accept(personas, submitted):
    before = _snapshot(submitted)
    with pytest.raises(DemandPermissionError, match="营商环境专员"):
        demand_accept(demand=submitted, actor=personas.dave)
    with pytest.raises(DemandPermissionError):
        demand_accept(demand=submitted, actor=personas.alice)
    assert _snapshot(submitted) == before


def test_dispatching_to_no_working_group_is_refused(personas, submitted):
    p = personas
    demand_accept(demand=submitted, actor=p.carol)
    demand_review(demand=submitted, actor=p.gary)
    before = _snapshot(submitted)
    with pytest.raises(DemandError, match="请至少选择一个专业服务工作组"):
        demand_dispatch(demand=submitted, actor=p.betty, working_groups=[])
    assert _snapshot(submitted) == before and not DemandDispatch.objects.exists()
    with pytest.raises(DemandPermissionError, match="经济运行局"):
        demand_dispatch(demand=submitted, actor=p.gary, working_groups=[p.working_group])
    assert _snapshot(submitted) == before


def test_send_back_needs_a_reason(personas, submitted):
    demand_accept(demand=submitted, actor=personas.carol)
    before = _snapshot(submitted)
    with pytest.raises(DemandError, match="请填写退回原因"):
        demand_send_back(demand=submitted, actor=personas.gary, reason="  ")
    with pytest.raises(DemandPermissionError):
        demand_send_back(demand=submitted, actor=personas.grace, reason="不归我管")
    assert _snapshot(submitted) == before


def test_rating_twice_is_refused(personas, answered):
    demand_rate(demand=answered, actor=personas.alice, level=Rating.SATISFIED)
    before = _snapshot(answered)
    with pytest.raises(DemandError, match="不能重复评价"):
        demand_rate(demand=answered, actor=personas.alice, level=Rating.VERY_UNSATISFIED)
    assert _snapshot(answered) == before and DemandRating.objects.count() == 1


def test_rating_someone_elses_demand_is_refused(personas, answered):
    before = _snapshot(answered)
    for outsider in (personas.bob, personas.carol, personas.betty):
        with pytest.raises(DemandPermissionError, match="只能评价本企业的诉求"):
            demand_rate(demand=answered, actor=outsider, level=Rating.VERY_UNSATISFIED)
    assert _snapshot(answered) == before


def test_rating_needs_a_known_level(personas, answered):
    for level in ("", "unrated", "excellent"):
        with pytest.raises(DemandError, match="请选择评价等级"):
            demand_rate(demand=answered, actor=personas.alice, level=level)
    assert answered.ratings.count() == 0


def test_working_group_must_sign_for_a_dispatch_before_answering(personas, submitted):
    p = personas
    demand_accept(demand=submitted, actor=p.carol)
    demand_review(demand=submitted, actor=p.gary)
    demand_dispatch(demand=submitted, actor=p.betty, working_groups=[p.working_group])
    dispatch = submitted.dispatches.get()
    before = _snapshot(submitted)
    with pytest.raises(DemandError, match="请先签收"):
        demand_answer(dispatch=dispatch, actor=p.wendy, answer="好")
    with pytest.raises(DemandPermissionError):
        demand_start(dispatch=dispatch, actor=p.carol)
    assert _snapshot(submitted) == before


def test_first_contact_answer_needs_text(personas, submitted):
    before = _snapshot(submitted)
    with pytest.raises(DemandError, match="请填写答复内容"):
        demand_answer_first_contact(demand=submitted, actor=personas.carol, answer="")
    assert _snapshot(submitted) == before


def test_bureau_redispatches_to_another_group(personas, submitted, talent_group):
    p = personas
    with on(2026, 9, 30):
        demand_accept(demand=submitted, actor=p.carol)
        demand_review(demand=submitted, actor=p.gary)
        demand_dispatch(demand=submitted, actor=p.betty, working_groups=[p.working_group])
    dispatch = submitted.dispatches.get()
    with pytest.raises(DemandError, match="尚未承办"):
        demand_redispatch(dispatch=dispatch, actor=p.betty, to_group=p.working_group, reason="x")
    # Redispatched Fri 10-09: a fresh 5 working days → 10-10 (调休), 12, 13, 14, 15 → Thu 10-15.
    with on(2026, 10, 9):
        demand = demand_redispatch(dispatch=dispatch, actor=p.betty, to_group=talent_group,
                                   reason="属于人才政策")
    dispatch.refresh_from_db()
    new = demand.dispatches.get(working_group=talent_group)
    assert dispatch.status == "withdrawn" and new.status == "pending"
    assert new.due_on == demand.due_on == dt.date(2026, 10, 15)
    assert demand.status == DemandStatus.DISPATCHED
    # The first group no longer sees it; the new one does.
    assert not Demand.objects.visible_to(p.wendy).exists()
    assert Demand.objects.visible_to(talent_group.tom).get() == demand
