from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts import roles

# Each role's start page, in priority order for people who hold several roles.
START_PAGES = [
    (roles.LEADER, "dashboard:index"),
    (roles.BUREAU, "commissioners:demand_queue"),
    (roles.WORKING_GROUP, "commissioners:demand_queue"),
    (roles.GROUP_LEADER, "commissioners:group"),
    (roles.COMMISSIONER, "commissioners:my_enterprises"),
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
