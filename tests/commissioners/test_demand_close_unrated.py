"""The thin tasks: ids in, one service each; a demand rated meanwhile is left alone."""

from commissioners.models.demands import DemandStatus, Rating
from commissioners.services import (
    demand_answer_first_contact,
    demand_rate,
    demand_submit,
)
from commissioners.tasks import close_unrated_demands, demand_close_unrated_task

from .conftest import on


def test_overdue_unrated_demands_are_closed_by_the_task(personas, categories):
    p = personas
    with on(2026, 9, 30):
        waiting, rated = (demand_submit(enterprise=p.enterprise_a, actor=p.alice,
                                        category=categories["legal"], title=title) for title in ("a", "b"))
        for demand in (waiting, rated):
            demand_answer_first_contact(demand=demand, actor=p.carol, answer="已答复")
        demand_rate(demand=rated, actor=p.alice, level=Rating.SATISFIED)
    # The window (3 working days after 09-30) ends Sat 10-10 (调休); on 10-12 it is over.
    with on(2026, 10, 10):
        assert close_unrated_demands() == 0
    with on(2026, 10, 12):
        assert close_unrated_demands() == 1
        assert demand_close_unrated_task(rated.pk) is False
    waiting.refresh_from_db()
    assert waiting.status == DemandStatus.CLOSED and waiting.rating == Rating.UNRATED
