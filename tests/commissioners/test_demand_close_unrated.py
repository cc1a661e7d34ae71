"""The sweep closes answered demands whose rating window ran out as 未评价; a demand rated meanwhile
is left alone. (These ran through two Celery tasks that only tests called; the sweep is the caller.)"""

import datetime as dt

import pytest

from commissioners.choices import DemandStatus, Rating
from commissioners.services import (
    DemandError,
    demand_answer_first_contact,
    demand_close_unrated,
    demand_rate,
    demand_submit,
)
from commissioners.sweep import close_unrated

from .conftest import on


def test_overdue_unrated_demands_are_closed_by_the_sweep(personas, categories):
    p = personas
    with on(2026, 9, 30):
        waiting, rated = (demand_submit(enterprise=p.enterprise_a, actor=p.alice,
                                        category=categories["legal"], title=title) for title in ("a", "b"))
        for demand in (waiting, rated):
            demand_answer_first_contact(demand=demand, actor=p.carol, answer="已答复")
        demand_rate(demand=rated, actor=p.alice, level=Rating.SATISFIED)
    # The window (3 working days after 09-30) ends Sat 10-10 (调休); on 10-12 it is over.
    with on(2026, 10, 10):
        assert close_unrated(dt.date(2026, 10, 10)) == 0
    with on(2026, 10, 12):
        assert close_unrated(dt.date(2026, 10, 12)) == 1
        with pytest.raises(DemandError):
            demand_close_unrated(demand=rated, today=dt.date(2026, 10, 12))
    waiting.refresh_from_db()
    assert waiting.status == DemandStatus.CLOSED and waiting.rating == Rating.UNRATED
