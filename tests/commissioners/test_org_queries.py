"""The organisation pages issue the same, bounded number of queries with 5 or 60 enterprises."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioners.services import assignment_transfer, leader_pair
from tests import factories as f

MAX_QUERIES = 15
# The profile (一企一档) also hosts the projects, demands/visits and timeline sections of other
# apps, each a fixed handful of queries.
MAX_PROFILE_QUERIES = 25


def grow(personas, n):
    """n more enterprises served by carol (in gary's group), each with history and a leader."""
    carol = personas.carol.commissioner_profile
    colleague = f.CommissionerFactory(group=carol.group)
    enterprises = [f.AssignmentFactory(commissioner=colleague).enterprise for _ in range(n)]
    for enterprise in enterprises:
        assignment_transfer(enterprise=enterprise, to_commissioner=carol, actor=personas.gary, reason="调整")
    leader_pair(leader=personas.leader, enterprises=enterprises, actor=personas.root)
    for i in range(n):  # history piles up on A as well
        target = colleague if i % 2 == 0 else carol
        assignment_transfer(enterprise=personas.enterprise_a, to_commissioner=target, actor=personas.gary,
                            reason=f"第{i}次")


PAGES = [
    ("betty", lambda p: reverse("enterprises:directory"), MAX_QUERIES),
    ("gary", lambda p: reverse("enterprises:directory") + "?industry=&q=有限公司", MAX_QUERIES),
    ("betty", lambda p: reverse("enterprises:profile", args=[p.enterprise_a.pk]), MAX_PROFILE_QUERIES),
    ("alice", lambda p: reverse("enterprises:mine"), MAX_PROFILE_QUERIES),
    ("carol", lambda p: reverse("commissioners:my_enterprises"), MAX_QUERIES),
    ("gary", lambda p: reverse("commissioners:group"), MAX_QUERIES),
]


def count_queries(client, personas, persona, url):
    client.force_login(getattr(personas, persona))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url(personas)).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("persona", "url", "bound"), PAGES)
def test_pages_use_the_same_bounded_number_of_queries(client, personas, persona, url, bound,
                                                      django_assert_max_num_queries):
    grow(personas, 5)
    small = count_queries(client, personas, persona, url)
    grow(personas, 55)
    with django_assert_max_num_queries(bound):
        client.get(url(personas))
    large = count_queries(client, personas, persona, url)
    assert small == large
