"""seed_demo builds the zone of the reform, deterministically and idempotently; demo_logins lists it."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from accounts.models import User
from commissioners.models import Assignment, Commissioner, CommissionerGroup, Leader, OrgEvent, WorkingGroup
from enterprises.models import Enterprise, EnterpriseMember, Industry, ListStatus
from enterprises.validators import validate_uscc
from portal.demo.logins import DEMO_LOGINS

SNAPSHOT_MODELS = [
    User,
    User.groups.through,
    Industry,
    Enterprise,
    EnterpriseMember,
    Leader,
    Leader.industries.through,
    Leader.paired_enterprises.through,
    WorkingGroup,
    WorkingGroup.members.through,
    CommissionerGroup,
    Commissioner,
    Assignment,
    OrgEvent,
]


def snapshot():
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS}


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    return settings


def test_seed_demo_builds_the_zone_of_the_reform(seeded):
    assert Leader.objects.count() == 13
    assert WorkingGroup.objects.count() == 7
    assert all(group.leader_id for group in WorkingGroup.objects.all())
    assert Commissioner.objects.count() == 100
    assert CommissionerGroup.objects.count() == 10
    assert all(group.commissioners.count() == 10 for group in CommissionerGroup.objects.all())
    assert Enterprise.objects.filter(list_status=ListStatus.ABOVE_SCALE).count() == 358
    assert Enterprise.objects.filter(list_status=ListStatus.OUTSIDE).exists()
    assert Enterprise.objects.filter(list_status=ListStatus.ATTRACTED).count() == 18
    assert set(Industry.objects.values_list("name", flat=True)) >= {
        "新材料",
        "高端装备制造",
        "节能环保",
        "电子信息",
        "生物医药",
        "盐及盐化工",
    }


def test_every_enterprise_has_exactly_one_active_commissioner(seeded):
    active = Count("assignments", filter=Q(assignments__ended_on__isnull=True, assignments__is_primary=True))
    assert set(Enterprise.objects.annotate(n=active).values_list("n", flat=True)) == {1}


def test_codes_are_valid_and_leaders_are_paired_with_leading_enterprises_of_their_industry(seeded):
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        validate_uscc(code)
    for leader in Leader.objects.prefetch_related("industries", "paired_enterprises"):
        paired = list(leader.paired_enterprises.all())
        assert paired and all(e.is_leading and e.industry in leader.industries.all() for e in paired)


def test_running_twice_changes_nothing(seeded):
    before = snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_every_role_has_a_demo_login_with_the_demo_password(seeded):
    for username, *_ in DEMO_LOGINS:
        assert authenticate(username=username, password=seeded.DEMO_PASSWORD), username
    demo_enterprise = User.objects.get(username="demo_enterprise").enterprise_membership.enterprise
    served_by = Assignment.objects.active().get(enterprise=demo_enterprise).commissioner.user.username
    assert served_by == "demo_commissioner"
    assert (
        Leader.objects.get(user__username="demo_leader")
        .paired_enterprises.filter(pk=demo_enterprise.pk)
        .exists()
    )
    assert User.objects.get(username="demo_admin").is_superuser


def test_demo_logins_prints_the_table(seeded):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert seeded.DEMO_PASSWORD in text and all(username in text for username, *_ in DEMO_LOGINS)
    assert "尚未创建" not in text


def test_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_logins", stdout=io.StringIO())
    assert not Enterprise.objects.exists()


def test_demo_history_is_dated_as_it_happened_and_the_clocks_have_been_swept(seeded):
    from django.utils import timezone

    from approvals.models import Project, StageEvent
    from commissioners.models import Demand, DemandEvent
    from notifications.models import Escalation, SweepRun

    now = timezone.now()
    assert not StageEvent.objects.filter(created_at__gt=now).exists()
    # Projects walked through past days: their history spans days, in the order it happened.
    assert StageEvent.objects.dates("created_at", "day").count() > 10
    for project in Project.objects.filter(is_major=True)[:5]:
        events = list(project.events.order_by("pk").values_list("created_at", flat=True))
        assert events == sorted(events) and events[0].date() <= project.created_at.date()
    # A demand's history starts when the demand was submitted, whose clock it drives.
    for demand in Demand.objects.exclude(started_on=None)[:10]:
        first = DemandEvent.objects.filter(demand=demand).order_by("pk").first()
        assert timezone.localdate(first.created_at) <= demand.started_on or demand.reopen_count
    # The demo opens with the warnings a sweep raises, not only the clocks.
    assert SweepRun.objects.filter(finished_at__isnull=False).exists()
    assert Escalation.objects.filter(level__in=["red", "escalated"]).exists()


def test_the_command_centre_reads_the_demo_in_bounded_queries(seeded, client, django_assert_max_num_queries):
    """Issue 11: the overview and every section cost at most 15 queries on the demo zone (and the
    same on ten times its data: tests/dashboard/test_index.py and test_command_centre.py hold the
    count constant as rows grow)."""
    from django.urls import reverse

    from dashboard.sections import SECTIONS

    client.force_login(User.objects.get(username="demo_leader"))
    for section in ["", *SECTIONS]:
        with django_assert_max_num_queries(15):
            response = client.get(reverse("dashboard:index"), {"section": section} if section else {})
        assert response.status_code == 200, section
    assert response.context["tables"]
