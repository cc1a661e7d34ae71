from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import roles

from . import health

# Each role's start page, in priority order for people who hold several roles.
START_PAGES = [
    (roles.LEADER, "dashboard:index"),
    (roles.BUREAU, "commissioners:demand_queue"),
    (roles.WORKING_GROUP, "commissioners:demand_queue"),
    # Officials start on their to-do list (the demands waiting on them), overdue and urgent first.
    (roles.GROUP_LEADER, "commissioners:demand_queue"),
    (roles.COMMISSIONER, "commissioners:demand_queue"),
    (roles.APPROVER, "approvals:queue"),
    (roles.ENTERPRISE, "approvals:project_list"),
    (roles.ADMIN, "dashboard:index"),  # the admin site is one click away in the user menu
]


@login_required
def home(request):
    for role, url_name in START_PAGES:
        if request.user.has_role(role):
            return redirect(url_name)
    return render(request, "portal/no_role.html")


@never_cache
@require_GET
def healthz(request):
    """Database and broker reachable (503 if not), and the age of beat's last heartbeat.
    `?strict=1` also answers 503 when the heartbeat is missing or stale."""
    body = health.report()
    healthy = body["status"] == "ok" and (not request.GET.get("strict") or body["heartbeat"] == "ok")
    return JsonResponse(body, status=200 if healthy else 503)
