"""`Authorization: Token <key>` for other systems, checked against accounts.ApiToken (hashed)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .tokens import token_user


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's header format; the key's SHA-256 is looked up, never the key itself."""

    def authenticate_credentials(self, key):
        user = token_user(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已被撤销"))
        return user, key
