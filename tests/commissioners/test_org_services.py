"""Assignments, transfers and pairing: the database constraint and the services' messages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commissioners.models import Assignment, OrgEvent
from commissioners.services import (
    assignment_create,
    assignment_end,
    assignment_transfer,
    commissioner_transfer_all,
    leader_pair,
    leader_unpair,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def active_primary(enterprise):
    return Assignment.objects.active().filter(enterprise=enterprise, is_primary=True)


def test_database_allows_one_active_primary_assignment_per_enterprise(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(commissioner=f.CommissionerFactory(), enterprise=personas.enterprise_a,
                                  started_on="2026-02-01")


def test_ended_and_secondary_assignments_do_not_count(personas):
    other = f.CommissionerFactory()
    Assignment.objects.create(commissioner=other, enterprise=personas.enterprise_a, started_on="2025-01-01",
                              ended_on="2025-12-31")
    Assignment.objects.create(commissioner=other, enterprise=personas.enterprise_a, started_on="2026-01-01",
                              is_primary=False)
    assert active_primary(personas.enterprise_a).count() == 1


def test_second_active_assignment_is_refused_with_a_clear_message(personas):
    with pytest.raises(ValidationError) as info:
        assignment_create(enterprise=personas.enterprise_a, commissioner=f.CommissionerFactory(),
                          actor=personas.root)
    assert "已有在岗主责专员" in info.value.messages[0] and "移交" in info.value.messages[0]
    assert Assignment.objects.filter(enterprise=personas.enterprise_a).count() == 1
    assert not OrgEvent.objects.exists()


def test_assignment_create_records_an_event(personas):
    enterprise = f.EnterpriseFactory()
    carol = personas.carol.commissioner_profile
    assignment = assignment_create(enterprise=enterprise, commissioner=carol, actor=personas.gary,
                                   reason="新入库")
    assert assignment.started_on and assignment.created_by == personas.gary
    event = OrgEvent.objects.get()
    assert (event.action, event.enterprise, event.commissioner, event.actor) == ("assign", enterprise, carol,
                                                                                 personas.gary)


def test_transfer_keeps_history(personas):
    target = f.CommissionerFactory(group=personas.carol.commissioner_profile.group)
    new = assignment_transfer(enterprise=personas.enterprise_a, to_commissioner=target, actor=personas.gary,
                              reason="专员岗位调整")
    history = list(Assignment.objects.filter(enterprise=personas.enterprise_a).order_by("id"))
    assert [a.commissioner for a in history] == [personas.carol.commissioner_profile, target]
    assert history[0].ended_on is not None and history[1].ended_on is None and history[1] == new
    event = OrgEvent.objects.get(action="transfer")
    assert event.detail["reason"] == "专员岗位调整" and event.detail["from"] == str(personas.carol)


@pytest.mark.parametrize("who", ["user", "leader", "inactive"])
def test_transfer_to_a_non_commissioner_or_inactive_one_changes_nothing(personas, who):
    target = {
        "user": lambda: personas.betty,
        "leader": lambda: personas.leader,
        "inactive": lambda: f.CommissionerFactory(is_active=False),
    }[who]()
    with pytest.raises(ValidationError) as info:
        assignment_transfer(enterprise=personas.enterprise_a, to_commissioner=target, actor=personas.gary,
                            reason="调整")
    assert "不是营商环境专员" in info.value.messages[0] or "不在岗" in info.value.messages[0]
    assert active_primary(personas.enterprise_a).get().commissioner.user == personas.carol
    assert not OrgEvent.objects.exists()


def test_transfer_needs_a_reason_and_a_different_commissioner(personas):
    carol = personas.carol.commissioner_profile
    with pytest.raises(ValidationError, match="移交原因"):
        assignment_transfer(enterprise=personas.enterprise_a, to_commissioner=f.CommissionerFactory(),
                            actor=personas.gary, reason=" ")
    with pytest.raises(ValidationError, match="无需移交"):
        assignment_transfer(enterprise=personas.enterprise_a, to_commissioner=carol, actor=personas.gary,
                            reason="调整")


def test_transfer_all_moves_every_enterprise_and_keeps_history(personas):
    carol = personas.carol.commissioner_profile
    extra = [f.AssignmentFactory(commissioner=carol).enterprise for _ in range(3)]
    target = f.CommissionerFactory(group=carol.group)
    created = commissioner_transfer_all(from_commissioner=carol, to_commissioner=target, actor=personas.gary,
                                        reason="专员调离")
    enterprises = {personas.enterprise_a, *extra}
    assert {a.enterprise for a in created} == enterprises
    assert not Assignment.objects.active().filter(commissioner=carol).exists()
    assert Assignment.objects.filter(commissioner=carol, ended_on__isnull=False).count() == 4
    for enterprise in enterprises:
        assert active_primary(enterprise).get().commissioner == target
    transfers = OrgEvent.objects.filter(action="transfer")
    assert {e.enterprise for e in transfers} == enterprises
    assert all(e.detail["from_id"] == carol.pk and e.detail["bulk"] for e in transfers)
    summary = OrgEvent.objects.get(action="transfer_all")
    assert summary.detail["count"] == 4


def test_transfer_all_refuses_bad_targets_and_changes_nothing(personas):
    carol = personas.carol.commissioner_profile
    for target, message in [(carol, "同一名专员"), (personas.bob, "不是营商环境专员"),
                            (f.CommissionerFactory(is_active=False), "不在岗")]:
        with pytest.raises(ValidationError, match=message):
            commissioner_transfer_all(from_commissioner=carol, to_commissioner=target, actor=personas.gary,
                                      reason="调整")
    assert active_primary(personas.enterprise_a).get().commissioner == carol
    assert not OrgEvent.objects.exists()


def test_transfer_all_of_a_commissioner_without_enterprises(personas):
    with pytest.raises(ValidationError, match="没有服务中的企业"):
        commissioner_transfer_all(from_commissioner=f.CommissionerFactory(),
                                  to_commissioner=personas.carol.commissioner_profile, actor=personas.gary,
                                  reason="调整")


def test_end_assignment(personas):
    assignment = active_primary(personas.enterprise_a).get()
    assignment_end(assignment=assignment, actor=personas.root, reason="企业注销")
    assert not active_primary(personas.enterprise_a).exists()
    with pytest.raises(ValidationError, match="已经结束"):
        assignment_end(assignment=assignment, actor=personas.root, reason="again")


def test_leader_pairing_is_recorded_and_idempotent(personas):
    leo = personas.leader
    both = [personas.enterprise_a, personas.enterprise_b]
    added = leader_pair(leader=leo, enterprises=both, actor=personas.root)
    assert added == [personas.enterprise_b]  # A was already paired
    assert set(leo.paired_enterprises.all()) == {personas.enterprise_a, personas.enterprise_b}
    assert OrgEvent.objects.filter(action="pair").count() == 1
    leader_unpair(leader=leo, enterprises=[personas.enterprise_b], actor=personas.root)
    assert list(leo.paired_enterprises.all()) == [personas.enterprise_a]
    with pytest.raises(ValidationError, match="不是委领导"):
        leader_pair(leader=personas.leo, enterprises=[], actor=personas.root)
