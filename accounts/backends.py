"""Demo log-ins are for the demo: with DEBUG off, the demo password opens no account."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.crypto import constant_time_compare


def demo_login_refused(password):
    return not settings.DEBUG and bool(password) and constant_time_compare(password, settings.DEMO_PASSWORD)


class DemoLoginRefusal:
    """Before ModelBackend: refuse the demo password outright when DEBUG is off.

    Every account seed_demo made shares that password (seed_demo gives them an unusable one when
    DEBUG is off, but a database seeded on a laptop may be deployed). PermissionDenied stops the
    other backends; the attempt counts as a failed login (lock-out, audit trail).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if demo_login_refused(password):
            if request is not None:
                request.demo_login_refused = True
            raise PermissionDenied
        return None


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock-out check, first of AUTHENTICATION_BACKENDS. A call without a request (a
    shell, a management command) has no address to count and goes on to the other backends."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
