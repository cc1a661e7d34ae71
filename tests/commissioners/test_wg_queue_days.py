"""The working group's queue says, per row, how many working days are left or how many it is
overdue; the demand page shows the route as steps with the working group's step current."""

import pytest
from django.urls import reverse

from commissioners.choices import Rating
from commissioners.services import (
    demand_accept,
    demand_answer,
    demand_dispatch,
    demand_rate,
    demand_review,
    demand_start,
    demand_submit,
)

from .conftest import on

QUEUE = reverse("commissioners:demand_queue")


@pytest.fixture
def dispatched(personas, categories):
    """Dispatched on Mon 2026-11-02: the normal answer limit runs from there in working days."""
    p = personas
    with on(2026, 11, 2):
        demand = demand_submit(enterprise=p.enterprise_a, actor=p.alice, category=categories["approval"],
                               title="施工许可咨询")
        demand_accept(demand=demand, actor=p.carol)
        demand_review(demand=demand, actor=p.gary)
        return demand_dispatch(demand=demand, actor=p.betty, working_groups=[p.working_group])


def _row(client, day):
    with on(*day):
        response = client.get(QUEUE)
    body = response.content.decode()
    row = body[body.index("<tbody>"):body.index("</tbody>")]
    return response.context["page"].object_list[0], row


def test_each_row_says_the_working_days_left_then_the_days_overdue(client, personas, dispatched):
    from workdays import add_workdays, workdays_between

    share = dispatched.dispatches.get()
    client.force_login(personas.wendy)
    assert share.limit_workdays >= 3
    before = add_workdays(share.started_on, share.limit_workdays - 2)
    row, html = _row(client, (before.year, before.month, before.day))
    assert row.left == 2 and "剩余 2 个工作日" in html
    due = share.due_on
    assert "今日到期" in _row(client, (due.year, due.month, due.day))[1]
    late = add_workdays(due, 3)
    row, html = _row(client, (late.year, late.month, late.day))
    assert row.left == -3 == -workdays_between(due, late)
    assert "已超期 3 个工作日" in html and "红牌超期" in html
    assert "table-danger" in html  # the overdue row is tinted


def test_the_demand_page_shows_the_working_group_step_as_current(client, personas, dispatched):
    client.force_login(personas.wendy)
    with on(2026, 11, 3):
        body = client.get(reverse("commissioners:demand_detail", args=[dispatched.pk])).content.decode()
    steps = body[body.index('class="route-steps'):body.index("</ol>")]
    current = steps[steps.index('aria-current="step"'):]
    assert "工作组办理" in current[:200]
    assert steps.count("(已完成)") == 3  # 专员受理, 小组长审核, 经济运行局交办
    assert "剩余" in body[body.index("bi-diagram-3"):body.index("bi-clock-history")]


def test_a_closed_demand_shows_every_step_done(client, personas, dispatched):
    p = personas
    share = dispatched.dispatches.get()
    with on(2026, 11, 3):
        demand_start(dispatch=share, actor=p.wendy)
        demand_answer(dispatch=share, actor=p.wendy, answer="已办")
        demand_rate(demand=dispatched, actor=p.alice, level=Rating.SATISFIED)
        client.force_login(p.alice)
        body = client.get(reverse("commissioners:demand_detail", args=[dispatched.pk])).content.decode()
    steps = body[body.index('class="route-steps'):body.index("</ol>")]
    assert 'aria-current="step"' not in steps and steps.count("(已完成)") == 5
