"""How every page answers a refused transition (the API's twin is core.api.refused)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied


def refuse(request, error):
    """Not this user's to do: the 403 page, with the reason. Anything else (a status that does not
    allow it, a stale page, a rule, bad input): the reason as a message on the matter's page."""
    if error.code == "forbidden":
        raise PermissionDenied(error.text)
    messages.error(request, error.text)
