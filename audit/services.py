"""Writing the audit trail: one function, called by the receivers and the middleware."""

import contextvars

from core.net import client_address

from .models import AuditEntry

# The request being served, for events raised without one (the admin's LogEntry).
current_request = contextvars.ContextVar("audit_current_request", default=None)


def _user(request, actor):
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    return actor if actor is not None and actor.is_authenticated else None


def audit_record(*, action, request=None, actor=None, username="", obj=None, object_type="",
                 object_id="", object_repr="", detail=""):
    request = request if request is not None else current_request.get()
    actor = _user(request, actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    return AuditEntry.objects.create(
        action=action, actor=actor, username=(username or (actor.get_username() if actor else ""))[:150],
        address=client_address(request) if request is not None else None,
        method=(request.method or "")[:10] if request is not None else "",
        path=request.path[:500] if request is not None else "",
        object_type=object_type[:100], object_id=str(object_id)[:64], object_repr=str(object_repr)[:200],
        detail=str(detail)[:500],
    )
