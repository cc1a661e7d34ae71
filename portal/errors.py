"""The pages a person sees when the server fails: 500 in the portal's style, 503 while the database
cannot be reached, and JSON instead of HTML for the API. Rendered without the request's context
processors, which would query the database that may be the thing that failed."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

DATABASE_DOWN = (OperationalError, InterfaceError)


def server_error(request):
    """handler500: called while the uncaught exception is being handled (sys.exc_info() holds it)."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, DATABASE_DOWN)
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        message = _("服务暂时不可用, 请稍后重试") if unavailable else _("服务器内部错误, 已记录, 请稍后重试")
        return JsonResponse({"detail": message, "code": "unavailable" if unavailable else "server_error"},
                            status=status)
    page = loader.get_template("503.html" if unavailable else "500.html").render({"path": request.path})
    response = HttpResponse(page, status=status)
    if unavailable:
        response["Retry-After"] = "60"
    return response
