"""Permission denials (any 403: pages, admin, API) and file downloads, from the responses."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse

from .models import Action
from .services import audit_record, current_request


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        if response.status_code == 403:
            audit_record(action=Action.DENIED, request=request, detail=_reason(request, response))
        elif isinstance(response, FileResponse) and response.status_code == 200 and response.as_attachment:
            # Materials, demand attachments, policy files and reports, from the pages and the API.
            match = request.resolver_match
            audit_record(action=Action.DOWNLOAD, request=request,
                         object_type=match.view_name if match else "",
                         object_id=(match.kwargs.get("pk", "") if match else ""),
                         object_repr=response.filename or "")
        return response


    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            request.audit_denied_reason = str(exception)


def _reason(request, response):
    if getattr(request, "audit_denied_reason", ""):
        return request.audit_denied_reason
    data = getattr(response, "data", None)  # a DRF response
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])
    return getattr(response, "reason_phrase", "")
