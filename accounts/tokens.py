"""API tokens: issue (the key is returned once), revoke, and find the user a key belongs to."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from .models import ApiToken
from .roles import check_role
from .services import user_grant_role

LAST_USED_GRANULARITY = 300  # seconds: a busy system does not write its token row on every call


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user, name="api"):
    """A new token for `user`; returns (token row, key). The key is not stored and cannot be
    shown again."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(user=user, name=(name or "api").strip()[:100] or "api",
                                    prefix=key[:8], digest=_digest(key))
    return token, key


@transaction.atomic
def system_account_token(*, username, role, name="api"):
    """An admin's system account (no password, one role) and a new token for it."""
    from django.contrib.auth import get_user_model

    check_role(role)
    user, created = get_user_model().objects.get_or_create(username=username,
                                                           defaults={"display_name": username})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user_grant_role(user=user, role=role)
    return token_issue(user=user, name=name)


def token_revoke(*, token, actor):
    """A user revokes their own token (an admin any): it stops working at once."""
    if token.user_id != actor.pk and not actor.is_superuser:
        raise PermissionError
    token.delete()


def token_user(key):
    """The active user a key belongs to, or None; notes when it was last used."""
    token = (ApiToken.objects.select_related("user").filter(digest=_digest(key or "")).first()
             if key else None)
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
