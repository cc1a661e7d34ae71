"""Who holds a demand, looked up once per enterprise (and once for the bureau) in a batch: the
sweep warns them, the calendar hook tells them a deadline moved, a 督办 is addressed to them."""

from django.contrib.auth import get_user_model

from accounts.roles import BUREAU

from .choices import Node
from .selectors.org import responsible_for


class People:
    """Recipients looked up once per enterprise (or for the bureau) during one sweep."""

    def __init__(self):
        self._responsible, self._groups, self._bureau = {}, {}, None

    def responsible(self, enterprise):
        if enterprise.pk not in self._responsible:
            self._responsible[enterprise.pk] = responsible_for(enterprise)
        return self._responsible[enterprise.pk]

    def leaders(self, enterprise):
        return self.responsible(enterprise).leader_users

    def working_group(self, category):
        """The working group a category maps to (one lookup per category in a sweep)."""
        if category.pk not in self._groups:
            self._groups[category.pk] = category.working_group()
        return self._groups[category.pk]

    def bureau(self):
        if self._bureau is None:
            self._bureau = list(get_user_model().objects.filter(groups__name=BUREAU, is_active=True))
        return self._bureau


def group_leader(group):
    return [group.leader.user] if group is not None else []


def node_holders(demand, people):
    """Who holds a node on the demand's own clock (its handler): accept → the enterprise's
    commissioner, review → the commissioner's group leader, dispatch → the bureau staff, rate →
    the enterprise's users. The sweep warns them; the calendar hook tells them a deadline moved."""
    node = demand.current_node
    if node == Node.RATE:
        return list(enterprise_users(demand))
    if node == Node.DISPATCH:
        return people.bureau()
    responsible = people.responsible(demand.enterprise)
    return {Node.ACCEPT: [responsible.commissioner_user],
            Node.REVIEW: [responsible.group_leader_user]}.get(node, [])


def enterprise_users(demand):
    return (member.user for member in demand.enterprise.members.all())  # prefetched by the caller
