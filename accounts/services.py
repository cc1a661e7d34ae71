from django.contrib.auth.models import Group
from django.db import transaction

from .roles import check_role


@transaction.atomic
def user_grant_role(*, user, role):
    group, _ = Group.objects.get_or_create(name=check_role(role))
    user.groups.add(group)
    user.__dict__.pop("role_names", None)


@transaction.atomic
def user_revoke_role(*, user, role):
    user.groups.remove(*Group.objects.filter(name=check_role(role)))
    user.__dict__.pop("role_names", None)
