"""Where the 护商通 procedure hands events to delivery.

Called after commit (transaction.on_commit) with event ids only: urgent_demand_reported raises the
"urgent" Escalation (notifications), whose deliveries ignore quiet hours. Node clocks are watched
by commissioners/sweep.py.
"""

from django.urls import reverse

from notifications.models import Level
from notifications.services import escalation_raise

from .models import DemandEvent


def urgent_demand_reported(event_id):
    """A 重大紧急 demand was submitted: reach the leaders listed in the event's detail at once.

    Unique per (demand, "urgent"): a hook run twice notifies the leaders once.
    """
    events = DemandEvent.objects.select_related("demand__enterprise", "demand__category")
    event = events.filter(pk=event_id).first()
    if event is None:
        return None
    demand = event.demand
    return escalation_raise(
        obj=demand, level=Level.URGENT, urgent=True,
        recipients=event.detail.get("leader_user_ids", []),
        title=f"重大紧急诉求: {demand.title}({demand.enterprise.name})",
        body=(f"{demand.enterprise.name}提出重大紧急诉求“{demand.title}”({demand.category.name})。"
              f"{demand.description}").strip(),
        link=reverse("commissioners:demand_detail", args=[demand.pk]),
        reason="重大紧急诉求提交即直报委领导")
