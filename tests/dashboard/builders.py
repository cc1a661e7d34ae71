"""Data for the dashboard tests, made through the real services (as the product would)."""

from decimal import Decimal

from approvals import services as approval_services
from commissioners import services as demand_services
from commissioners.models import DemandCategory
from notifications import services as notification_services
from tests.approvals import factories as af
from tests.commissioners.factories_demands import DemandFactory

YI = Decimal(100_000_000)


def submitted_project(personas, *, code, on, category="government", **extra):
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code=code,
                              category_code=category, **extra)
    af.upload_materials(af.stage_of(project, 1), personas.alice, today=on)
    approval_services.project_submit(project=project, actor=personas.alice, today=on)
    return project


def running_project(personas, adam, *, code, accepted_on, **extra):
    """Submitted and stage 1 accepted on `accepted_on`: its clock runs from then."""
    project = submitted_project(personas, code=code, on=accepted_on, **extra)
    approval_services.stage_accept(stage=af.stage_of(project, 1), actor=adam, today=accepted_on)
    return project


def approve_stage_one(project, adam, *, on):
    stage = af.approve_all_reviews(af.stage_of(project, 1), adam, today=on)
    return approval_services.stage_approve(stage=stage, actor=adam, today=on)


def category():
    return DemandCategory.objects.get(code="approval")


def demand(personas, **extra):
    title = extra.pop("title", "申请用电增容")
    return demand_services.demand_submit(enterprise=personas.enterprise_a, actor=personas.alice,
                                         category=category(), title=title, **extra)


def dispatched_demand(personas, **extra):
    d = demand(personas, **extra)
    d = demand_services.demand_accept(demand=d, actor=personas.carol)
    d = demand_services.demand_review(demand=d, actor=personas.gary)
    return demand_services.demand_dispatch(demand=d, actor=personas.betty,
                                           working_groups=[personas.working_group])


def closed_demand(personas, *, level="satisfied", **extra):
    d = dispatched_demand(personas, **extra)
    dispatch = d.dispatches.get()
    demand_services.demand_start(dispatch=dispatch, actor=personas.wendy)
    d = demand_services.demand_answer(dispatch=dispatch, actor=personas.wendy, answer="已协调解决")
    return demand_services.demand_rate(demand=d, actor=personas.alice, level=level)


def overdue_demand(personas, *, due_on, **extra):
    """A submitted demand whose acceptance clock ran out on `due_on`."""
    return DemandFactory(enterprise=personas.enterprise_a, due_on=due_on, **extra)


def escalation(obj, personas, *, level="red", title="超期: 测试事项", link="/projects/"):
    return notification_services.escalation_raise(obj=obj, level=level, recipients=[personas.leo],
                                                  title=title, body="", link=link)

