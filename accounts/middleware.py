"""Sessions end SESSION_ABSOLUTE_SECONDS after log-in or SESSION_IDLE_SECONDS after the last request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils.translation import gettext as _

LOGGED_IN_AT = "_logged_in_at"
SEEN_AT = "_seen_at"
# The last-seen time is written at most this often: a session row is not saved on every request.
SEEN_GRANULARITY = 60


def session_started(sender, request, user, **kwargs):
    """user_logged_in receiver: the absolute limit counts from here."""
    if hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGGED_IN_AT] = now
        request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            self._check(request, session, int(time.time()))
        return self.get_response(request)

    def _check(self, request, session, now):
        started = session.setdefault(LOGGED_IN_AT, now)
        seen = session.get(SEEN_AT, started)
        if now - started > settings.SESSION_ABSOLUTE_SECONDS or now - seen > settings.SESSION_IDLE_SECONDS:
            # The request goes on as anonymous: a page sends it to the login, the API answers 401/403.
            logout(request)
            messages.info(request, _("登录已超时, 请重新登录。"))
        elif now - seen >= SEEN_GRANULARITY:
            session[SEEN_AT] = now
