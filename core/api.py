"""How every API endpoint answers a refused transition: one mapping of codes to HTTP statuses."""

from rest_framework.response import Response


def refused(error):
    """403 forbidden; 409 state, stale or condition; 400 bad input — with the code and message."""
    return Response({"detail": error.text, "code": error.code}, status=error.http_status)
