"""已办: the demands a working group (and each other handler) has dealt with, newest first, paginated,
in a bounded number of queries, each user seeing only their own; reached by a tab from the queue."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioners.choices import DemandStatus, DispatchStatus
from commissioners.models import DemandDispatch
from commissioners.services import (
    demand_accept,
    demand_answer,
    demand_dispatch,
    demand_review,
    demand_start,
    demand_submit,
)

from .conftest import on
from .factories_demands import DemandFactory

DONE = reverse("commissioners:demand_done")


def _through_the_bureau(p, categories, title, groups, day=(2026, 9, 30)):
    with on(*day):
        demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["approval"],
                               title=title)
        demand_accept(demand=demand, actor=p.carol)
        demand_review(demand=demand, actor=p.gary)
        return demand_dispatch(demand=demand, actor=p.betty, working_groups=groups)


def _answer(demand, group, user, day):
    dispatch = demand.dispatches.get(working_group=group)
    with on(*day):
        demand_start(dispatch=dispatch, actor=user)
        demand_answer(dispatch=dispatch, actor=user, answer=f"{demand.title}已答复")


def _titles(response):
    return [getattr(row, "demand", row).title for row in response.context["page"]]


def test_a_working_group_sees_its_answers_newest_first(client, personas, categories, talent_group):
    p = personas
    first = _through_the_bureau(p, categories, "先答复的", [p.working_group])
    second = _through_the_bureau(p, categories, "后答复的", [p.working_group, talent_group])
    _through_the_bureau(p, categories, "还在办的", [p.working_group])  # signed for by no one yet
    _answer(first, p.working_group, p.wendy, (2026, 10, 9))
    _answer(second, p.working_group, p.wendy, (2026, 10, 12))
    _answer(second, talent_group, talent_group.tom, (2026, 10, 13))
    client.force_login(p.wendy)
    response = client.get(DONE)
    assert response.status_code == 200
    assert _titles(response) == ["后答复的", "先答复的"]  # newest first; the open share is not done
    body = response.content.decode()
    assert "2026-10-12" in body and "后答复的已答复" not in body  # the list shows when, not the text
    assert str(p.wendy) in body  # who answered
    # tom's group answered "后答复的" too, on its own share: tom sees only his group's answer.
    client.force_login(talent_group.tom)
    rows = list(client.get(DONE).context["page"])
    assert [(r.demand.title, r.working_group) for r in rows] == [("后答复的", talent_group)]


def test_a_superseded_answer_stays_in_the_done_list(client, personas, categories):
    from commissioners.choices import Rating
    from commissioners.services import demand_rate

    p = personas
    demand = _through_the_bureau(p, categories, "不满意的", [p.working_group])
    _answer(demand, p.working_group, p.wendy, (2026, 10, 9))
    with on(2026, 10, 10):
        demand_rate(demand=demand, actor=p.alice, level=Rating.UNSATISFIED, comment="没解决")
    client.force_login(p.wendy)
    response = client.get(DONE)
    rows = list(response.context["page"])
    assert [r.status for r in rows] == [DispatchStatus.SUPERSEDED]
    assert "企业不满意, 已重新交办" in response.content.decode()
    # …and the fresh share is back in the queue.
    queue = client.get(reverse("commissioners:demand_queue")).context["page"]
    assert [r.demand.title for r in queue] == ["不满意的"]


def test_the_other_handlers_see_the_demands_they_handled(client, personas, categories):
    p = personas
    _through_the_bureau(p, categories, "交办过的", [p.working_group])
    with on(2026, 10, 9):
        demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["approval"],
                      title="还没受理的")
    for user, role in ((p.carol, "commissioner"), (p.gary, "group_leader"), (p.betty, "bureau")):
        client.force_login(user)
        response = client.get(DONE)
        assert response.status_code == 200, user
        assert _titles(response) == ["交办过的"], user
        assert response.context["role"] == role
    for user in (p.dave, p.grace):  # B's commissioner and group leader handled nothing of A's
        client.force_login(user)
        assert _titles(client.get(DONE)) == []


def test_roles_without_a_done_list_get_a_404(client, personas):
    for user in (personas.alice, personas.adam, personas.leo, personas.root):
        client.force_login(user)
        assert client.get(DONE).status_code == 404, user
    client.force_login(personas.wendy)
    assert client.get(DONE + "?role=bureau").status_code == 404


def test_the_queue_and_the_done_list_link_to_each_other_by_tabs(client, personas):
    client.force_login(personas.wendy)
    queue = client.get(reverse("commissioners:demand_queue")).content.decode()
    done = client.get(DONE).content.decode()
    assert f'href="{DONE}?role=working_group">已办(工作组)</a>' in queue
    assert 'aria-current="page">待答复(工作组)</a>' in queue
    assert 'aria-current="page">已办(工作组)</a>' in done
    assert f'href="{reverse("commissioners:demand_queue")}?role=working_group">待答复(工作组)</a>' in done


def _answered_rows(p, n):
    """n demands of A answered by wendy's group, written directly (the page reads, not the flow)."""
    now = timezone.now()
    for i in range(n):
        demand = DemandFactory(enterprise=p.enterprise_a, status=DemandStatus.ANSWERED, title=f"已答{i}")
        DemandDispatch.objects.create(demand=demand, working_group=p.working_group,
                                      status=DispatchStatus.ANSWERED, answer="好", answered_by=p.wendy,
                                      answered_at=now - dt.timedelta(minutes=i))


def test_the_done_list_is_paginated(client, personas):
    _answered_rows(personas, 25)
    client.force_login(personas.wendy)
    first = client.get(DONE)
    assert _titles(first) == [f"已答{i}" for i in range(20)]
    # Keyset pages (issue 12): the next page starts after the last row shown, by its cursor.
    second = client.get(DONE, {"after": first.context["page"].next_cursor})
    assert _titles(second) == [f"已答{i}" for i in range(20, 25)]
    assert not second.context["page"].has_next()
    assert _titles(client.get(DONE, {"before": second.context["page"].previous_cursor})) == _titles(first)
    assert client.get(DONE + "?page=abc").status_code == 200
    assert _titles(client.get(DONE + "?after=abc")) == _titles(first)  # a bad cursor is page 1


@pytest.mark.parametrize(("persona", "role"), [
    ("wendy", "working_group"), ("carol", "commissioner"), ("gary", "group_leader"), ("betty", "bureau"),
])
def test_the_done_list_uses_a_bounded_number_of_queries(client, personas, categories, persona, role,
                                                        django_assert_max_num_queries):
    p = personas
    url = f"{DONE}?role={role}"
    client.force_login(getattr(p, persona))

    def more(n, start):
        for i in range(start, start + n):
            _through_the_bureau(p, categories, f"第{i}件", [p.working_group], day=(2026, 9, 30))
        _answered_rows(p, n)

    more(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    more(15, 2)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.context["page"].paginator.count >= 17
