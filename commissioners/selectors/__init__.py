"""Reads of the commissioner organisation. Other apps (approvals, dashboard) ask through here."""

from .demands import (  # noqa: F401, E402
    demand_actions_for,
    demand_get_for,
    demand_holder,
    demand_list_for,
    demand_queue,
    demand_rating_summary,
    demand_timeline_items,
    demand_urgent_leaders,
    demands_rating_overdue,
    enterprise_demands_visits,
    policy_list_for,
    queue_roles_for,
    visit_get_for,
    visit_list_for,
)
from .org import (  # noqa: F401
    enterprise_leaders,
    enterprise_visible_ids,
    enterprises_visible_to,
    responsible_for,
    working_group_leader_users,
)
