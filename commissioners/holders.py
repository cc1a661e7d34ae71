"""Who holds a demand, looked up once per enterprise (and once for the bureau) in a batch: the
sweep warns them, the calendar hook tells them a deadline moved, a 督办 is addressed to them."""

from collections import defaultdict

from django.contrib.auth import get_user_model

from accounts.roles import BUREAU

from .choices import Node
from .models import Assignment, Leader
from .selectors.org import Responsible, responsible_for


class People:
    """Recipients looked up once per enterprise (or for the bureau) during one sweep."""

    def __init__(self):
        self._responsible, self._groups, self._bureau = {}, {}, None

    def prime(self, enterprises):
        """Look up who answers for many enterprises at once (a sweep's batch): one query for their
        primary commissioners, one for their paired leaders, one for their industries' leaders —
        what responsible_for() asks per enterprise, with the same answers."""
        todo = {e.pk: e for e in enterprises if e is not None and e.pk not in self._responsible}
        if not todo:
            return
        primary = {}
        for assignment in (Assignment.objects.active().filter(enterprise_id__in=todo, is_primary=True)
                           .select_related("commissioner__user", "commissioner__group__leader")):
            primary.setdefault(assignment.enterprise_id, assignment)  # the newest, as .first()
        leaders = _leaders_by(Leader.paired_enterprises.through, "enterprise_id", todo)
        unpaired = [e for pk, e in todo.items() if not leaders.get(pk)]
        by_industry = _leaders_by(Leader.industries.through, "industry_id",
                                  {e.industry_id for e in unpaired if e.industry_id is not None})
        if any(e.industry_id is None for e in unpaired):  # filter(industries=None): leaders without one
            by_industry[None] = list(Leader.objects.filter(industries=None).select_related("user"))
        for pk, enterprise in todo.items():
            assignment = primary.get(pk)
            chosen = leaders.get(pk) or by_industry.get(enterprise.industry_id, [])
            self._responsible[pk] = Responsible(
                commissioner_user=assignment.commissioner.user if assignment else None,
                group_leader_user=assignment.commissioner.group.leader if assignment else None,
                leader_users=[leader.user for leader in chosen])

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


def _leaders_by(through, column, keys):
    """{key: [Leader, …]} in the leaders' own order, from an M2M table of Leader, in one query."""
    found = defaultdict(list)
    if keys:
        rows = (through.objects.filter(**{f"{column}__in": keys}).select_related("leader__user")
                .order_by("leader__order", "leader__id"))
        for row in rows:
            found[getattr(row, column)].append(row.leader)
    return found


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
