"""The 护商通 route, node by node, with every clock checked against the calendar.

The dates straddle National Day 2026: 10-01..10-07 are holidays, 10-08 (Thu) and 10-09 (Fri)
are working days, 10-10 (Sat) is an adjusted working day (调休), 10-11 (Sun) is off. As the law
counts periods, the start day is not counted: day 1 is the first working day after it.
"""

import datetime as dt

import pytest

from commissioners.choices import DemandStatus, DispatchStatus, Node, Rating, Urgency
from commissioners.models import DemandEvent
from commissioners.selectors import demand_rating_summary, demand_urgent_leaders
from commissioners.services import (
    DemandError,
    demand_accept,
    demand_answer,
    demand_answer_first_contact,
    demand_close_unrated,
    demand_dispatch,
    demand_rate,
    demand_review,
    demand_send_back,
    demand_start,
    demand_submit,
)

from .conftest import on

D = dt.date


def _submit(p, category, *, urgency=Urgency.NORMAL, title="施工许可办理咨询"):
    return demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=category, title=title,
                         urgency=urgency, description="希望尽快答复。")


def _to_answered(p, category, *, groups=None):
    """Walk a demand from 09-30 to answered on 10-16 (see the module docstring)."""
    with on(2026, 9, 30):
        demand = _submit(p, category)
    with on(2026, 10, 8):
        demand = demand_accept(demand=demand, actor=p.carol)
    with on(2026, 10, 9):
        demand = demand_review(demand=demand, actor=p.gary)
    with on(2026, 10, 10):
        demand = demand_dispatch(demand=demand, actor=p.betty, working_groups=groups or [p.working_group])
    dispatch = demand.dispatches.get(working_group=p.working_group)
    with on(2026, 10, 12):
        demand_start(dispatch=dispatch, actor=p.wendy)
    with on(2026, 10, 16):
        demand = demand_answer(dispatch=dispatch, actor=p.wendy, answer="已协调审批局, 下周可办。")
    return demand


def _actions(demand):
    return list(DemandEvent.objects.filter(demand=demand).values_list("action", flat=True))


def test_normal_demand_walks_every_node_with_working_day_clocks(personas, categories):
    p = personas
    # Submitted Wed 09-30: the commissioner's 1 working day skips 10-01..10-07 → due Thu 10-08.
    with on(2026, 9, 30):
        demand = _submit(p, categories["approval"], title="  施工许可办理咨询  ")
    assert demand.title == "施工许可办理咨询"
    assert (demand.status, demand.current_node, demand.started_on, demand.due_on) == (
        DemandStatus.SUBMITTED, Node.ACCEPT, D(2026, 9, 30), D(2026, 10, 8))

    # Accepted 10-08: the group leader's 1 working day → Fri 10-09.
    with on(2026, 10, 8):
        demand = demand_accept(demand=demand, actor=p.carol)
    assert (demand.status, demand.current_node, demand.due_on) == (DemandStatus.ACCEPTED, Node.REVIEW,
                                                                     D(2026, 10, 9))

    # Reviewed 10-09: the bureau's 1 working day → Sat 10-10, the adjusted working Saturday.
    with on(2026, 10, 9):
        demand = demand_review(demand=demand, actor=p.gary)
    assert (demand.status, demand.current_node, demand.due_on) == (DemandStatus.REVIEWED, Node.DISPATCH,
                                                                     D(2026, 10, 10))

    # Dispatched Sat 10-10: 5 working days, Sun 10-11 off → 10-12, 13, 14, 15, 16 → Fri 10-16.
    with on(2026, 10, 10):
        demand = demand_dispatch(demand=demand, actor=p.betty, working_groups=[p.working_group])
    dispatch = demand.dispatches.get()
    assert (demand.status, demand.current_node, demand.due_on) == (DemandStatus.DISPATCHED, Node.ANSWER,
                                                                     D(2026, 10, 16))
    assert (dispatch.status, dispatch.started_on, dispatch.due_on) == (DispatchStatus.PENDING,
                                                                       D(2026, 10, 10), D(2026, 10, 16))

    with on(2026, 10, 12):
        demand = demand_start(dispatch=dispatch, actor=p.wendy)
    assert demand.status == DemandStatus.IN_PROGRESS and demand.due_on == D(2026, 10, 16)

    # Answered Fri 10-16: the enterprise's 3 working days → Mon 19, Tue 20, Wed 21.
    with on(2026, 10, 16):
        demand = demand_answer(dispatch=dispatch, actor=p.wendy, answer="已协调, 下周可办。")
    assert (demand.status, demand.current_node, demand.due_on) == (DemandStatus.ANSWERED, Node.RATE,
                                                                     D(2026, 10, 21))

    with on(2026, 10, 20):
        demand = demand_rate(demand=demand, actor=p.alice, level=Rating.SATISFIED, comment="效率很高")
    assert (demand.status, demand.rating, demand.current_node, demand.due_on) == (
        DemandStatus.CLOSED, Rating.SATISFIED, "", None)
    assert demand.closed_at is not None
    assert _actions(demand) == ["submitted", "accepted", "reviewed", "dispatched", "started",
                                "group_answered", "answered", "rated"]
    assert demand_rating_summary() == {"satisfied": 1, "unsatisfied": 0, "unrated": 0}


def test_urgent_demand_reaches_leaders_at_submission_and_answers_in_two_days(
        personas, categories, talent_group, django_capture_on_commit_callbacks):
    p = personas
    with on(2026, 9, 30), django_capture_on_commit_callbacks(execute=True) as callbacks:
        demand = _submit(p, categories["talent"], urgency=Urgency.URGENT, title="核心技术人才流失")
    urgent = demand.events.get(action="urgent_reported")
    # leo is paired with enterprise A, lena heads the talent group the category maps to.
    assert set(urgent.detail["leader_user_ids"]) == {p.leo.pk, talent_group.leader.user_id}
    assert {u.username for u in demand_urgent_leaders(demand)} == {"leo", "lena"}
    assert "李主任" in urgent.comment and "刘主任" in urgent.comment
    # The urgent report is handed over after commit, at once.
    names = [getattr(callback, "func", callback).__name__ for callback in callbacks]
    assert names[0] == "urgent_demand_reported"

    with on(2026, 10, 8):
        demand_accept(demand=demand, actor=p.carol)
    with on(2026, 10, 9):
        demand_review(demand=demand, actor=p.gary)
    # Dispatched Sat 10-10, urgent limit 2 working days → Mon 10-12, Tue 10-13.
    with on(2026, 10, 10):
        demand = demand_dispatch(demand=demand, actor=p.betty, working_groups=[talent_group])
    assert demand.due_on == D(2026, 10, 13) and demand.dispatches.get().due_on == D(2026, 10, 13)


def test_group_leader_sends_back_with_reason_and_commissioner_passes_it_up_again(personas, categories):
    p = personas
    with on(2026, 9, 30):
        demand = _submit(p, categories["approval"])
    with on(2026, 10, 8):
        demand = demand_accept(demand=demand, actor=p.carol)
    with on(2026, 10, 9):
        demand = demand_send_back(demand=demand, actor=p.gary, reason="请补充企业用地现状")
    # Back with the commissioner, whose 1-day clock restarts: Fri 10-09 → Sat 10-10 (调休).
    assert (demand.status, demand.current_node, demand.due_on) == (DemandStatus.RETURNED, Node.ACCEPT,
                                                                     D(2026, 10, 10))
    assert demand.sent_back_reason == "请补充企业用地现状"
    with on(2026, 10, 10):
        demand = demand_accept(demand=demand, actor=p.carol, comment="已补充")
    # Sat 10-10 → Mon 10-12 (Sun 10-11 is off).
    assert demand.status == DemandStatus.ACCEPTED and demand.due_on == D(2026, 10, 12)
    assert _actions(demand) == ["submitted", "accepted", "sent_back", "accepted"]
    assert demand.events.get(action="sent_back").comment == "请补充企业用地现状"


def test_commissioner_answers_a_simple_matter_at_first_contact(personas, categories):
    p = personas
    with on(2026, 9, 30):
        demand = _submit(p, categories["finance_tax"], title="研发费用加计扣除怎么申报")
        demand = demand_answer_first_contact(demand=demand, actor=p.carol, answer="已当面讲解申报流程。")
    # The enterprise rates within 3 working days of Wed 09-30: 10-08, 10-09, 10-10.
    assert (demand.status, demand.current_node, demand.due_on) == (DemandStatus.ANSWERED, Node.RATE,
                                                                     D(2026, 10, 10))
    assert demand.answer == "已当面讲解申报流程。" and not demand.dispatches.exists()
    with on(2026, 10, 9):
        demand = demand_rate(demand=demand, actor=p.alice, level=Rating.VERY_SATISFIED)
    assert demand.status == DemandStatus.CLOSED
    assert _actions(demand) == ["submitted", "answered_first_contact", "rated"]


def test_unsatisfied_rating_reopens_to_the_same_working_group_with_a_new_limit(personas, categories):
    p = personas
    demand = _to_answered(p, categories["approval"])
    with on(2026, 10, 19):
        demand = demand_rate(demand=demand, actor=p.alice, level=Rating.UNSATISFIED, comment="没有解决")
    first, dispatch = demand.dispatches.order_by("id")
    # The first share keeps its answer as history; a fresh share of the same group takes over.
    assert (first.status, first.working_group) == (DispatchStatus.SUPERSEDED, p.working_group)
    assert first.answer and first.answered_at
    # Reopened Mon 10-19, 5 working days: 20, 21, 22, 23, 26 (24/25 are a weekend) → 10-26.
    assert (demand.status, demand.current_node, demand.due_on) == (DemandStatus.IN_PROGRESS, Node.ANSWER,
                                                                     D(2026, 10, 26))
    assert (dispatch.status, dispatch.working_group, dispatch.due_on) == (
        DispatchStatus.IN_PROGRESS, p.working_group, D(2026, 10, 26))
    assert demand.leader_attention and demand.reopen_count == 1 and demand.rating == Rating.UNSATISFIED

    with on(2026, 10, 22):
        demand = demand_answer(dispatch=dispatch, actor=p.wendy, answer="已现场办结。")
        demand = demand_rate(demand=demand, actor=p.alice, level=Rating.BASIC)
    assert demand.status == DemandStatus.CLOSED and demand.rating == Rating.BASIC
    assert list(demand.ratings.values_list("round", "level")) == [(0, "unsatisfied"), (1, "basic")]
    assert _actions(demand)[-4:] == ["reopened", "group_answered", "answered", "rated"]


def test_unsatisfied_first_contact_answer_takes_the_full_route(personas, categories):
    p = personas
    with on(2026, 9, 30):
        demand = _submit(p, categories["legal"])
        demand_answer_first_contact(demand=demand, actor=p.carol, answer="建议走诉讼程序。")
    with on(2026, 10, 8):
        demand = demand_rate(demand=demand, actor=p.alice, level=Rating.VERY_UNSATISFIED)
    # To the group leader's review, 1 working day from Thu 10-08 → Fri 10-09.
    assert (demand.status, demand.current_node, demand.due_on) == (DemandStatus.ACCEPTED, Node.REVIEW,
                                                                     D(2026, 10, 9))
    assert demand.leader_attention


def test_unrated_demand_closes_as_unrated_and_counts_neither_way(personas, categories):
    p = personas
    demand = _to_answered(p, categories["approval"])
    assert demand.due_on == D(2026, 10, 21)
    # 10-21 is the last day of the window: still open to rating.
    with on(2026, 10, 21), pytest.raises(DemandError, match="评价期限未满"):
        demand_close_unrated(demand=demand)
    with on(2026, 10, 22):
        demand = demand_close_unrated(demand=demand)
    assert (demand.status, demand.rating, demand.due_on) == (DemandStatus.CLOSED, Rating.UNRATED, None)
    assert _actions(demand)[-1] == "closed_unrated"
    assert demand.events.last().actor is None
    assert demand_rating_summary() == {"satisfied": 0, "unsatisfied": 0, "unrated": 1}


def test_parallel_dispatch_is_answered_when_every_group_has_answered(personas, categories, talent_group):
    p = personas
    with on(2026, 9, 30):
        demand = _submit(p, categories["other"])
    with on(2026, 10, 8):
        demand_accept(demand=demand, actor=p.carol)
        demand_review(demand=demand, actor=p.gary)
        demand = demand_dispatch(demand=demand, actor=p.betty, working_groups=[p.working_group, talent_group])
    ours, theirs = demand.dispatches.get(working_group=p.working_group), demand.dispatches.get(
        working_group=talent_group)
    with on(2026, 10, 9):
        demand_start(dispatch=ours, actor=p.wendy)
        demand_start(dispatch=theirs, actor=talent_group.tom)
        demand = demand_answer(dispatch=ours, actor=p.wendy, answer="审批部分已办。")
    assert demand.status == DemandStatus.IN_PROGRESS
    with on(2026, 10, 10):
        demand = demand_answer(dispatch=theirs, actor=talent_group.tom, answer="人才部分已办。")
    assert demand.status == DemandStatus.ANSWERED and demand.due_on == D(2026, 10, 14)
