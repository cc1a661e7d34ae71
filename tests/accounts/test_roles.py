import pytest

from accounts.roles import ROLES, UnknownRole
from accounts.services import user_grant_role, user_revoke_role
from tests.factories import UserFactory


def test_every_role_exists_as_a_group(db):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_a_person_may_hold_several_roles(db):
    user = UserFactory(roles=["leader", "working_group"])
    assert user.has_role("leader") and user.has_role("working_group")
    assert not user.has_role("enterprise")


def test_unknown_role_name_is_a_clear_error(db):
    user = UserFactory()
    with pytest.raises(UnknownRole, match="未知角色 'boss'"):
        user.has_role("boss")
    with pytest.raises(UnknownRole):
        user_grant_role(user=user, role="boss")


def test_grant_and_revoke(db):
    user = UserFactory()
    user_grant_role(user=user, role="approver")
    assert user.has_role("approver")
    user_revoke_role(user=user, role="approver")
    assert not user.has_role("approver")
