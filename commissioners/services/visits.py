"""走访记录: a commissioner records a visit and the demands raised during it, in one go."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import RaisedVia, Urgency
from ..models.demands import Demand
from ..models.org import Commissioner
from ..models.visits import Visit
from ..rules import is_commissioner_of
from .demands import DemandError, DemandPermissionError, demand_accept, demand_submit

__all__ = ["visit_record"]


def _numbers(output_value, employees, orders):
    for label, value in ((_("产值"), output_value), (_("从业人数"), employees), (_("在手订单"), orders)):
        if value is not None and value < 0:
            raise DemandError(_("%(label)s不能为负数") % {"label": label})


@transaction.atomic
def visit_record(*, actor, enterprise, visited_on, people_met="", notes="", output_value=None,
                 employees=None, orders=None, policies=(), demands=()):
    """Create the visit and, in the same transaction, each demand raised on it.

    `demands` is a list of dicts (category, urgency, title, description). A demand the
    commissioner collected in person is accepted by them at once (submitted → accepted, both
    events recorded), so it goes straight to the group leader. Any bad demand undoes the visit.
    """
    commissioner = Commissioner.objects.filter(user=actor, is_active=True).first()
    if commissioner is None or not is_commissioner_of(Demand(enterprise=enterprise), actor):
        raise DemandPermissionError(_("只能为本人定点服务的企业录入走访记录"))
    if visited_on is None or visited_on > timezone.localdate():
        raise DemandError(_("走访日期不能为空, 也不能晚于今天"))
    _numbers(output_value, employees, orders)
    visit = Visit.objects.create(
        commissioner=commissioner, enterprise=enterprise, visited_on=visited_on,
        people_met=(people_met or "").strip(), notes=(notes or "").strip(), output_value=output_value,
        employees=employees, orders=orders, created_by=actor)
    visit.policies.set(policies)
    for raised in demands:
        demand = demand_submit(enterprise=enterprise, actor=actor, category=raised.get("category"),
                               title=raised.get("title"), urgency=raised.get("urgency") or Urgency.NORMAL,
                               description=raised.get("description", ""), via=RaisedVia.VISIT, visit=visit)
        demand_accept(demand=demand, actor=actor, comment="走访时收集, 专员当场受理")
    return visit
