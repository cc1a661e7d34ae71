"""Pages of the organisation: enterprise directory and profile (一企一档), 我的企业, 本组企业.

The enterprise pages live here, not in enterprises/, because they show who serves each
enterprise and enterprises may not import commissioners (see DESIGN.md). Every page reads
through enterprises_visible_to(user): anything outside it is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import COMMISSIONER, GROUP_LEADER
from core.figures import narrowed
from core.pagination import paginate
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_of

from .. import figures
from ..forms_org import EnterpriseFilter, GroupFilter, TransferAllForm, TransferForm
from ..models import Assignment, Commissioner
from ..selectors.org import (
    SEE_ALL_ROLES,
    commissioner_enterprises,
    commissioner_of,
    commissioners_visible_to,
    enterprise_list_for,
    enterprise_profile_for,
    group_assignments,
    group_commissioners,
    groups_led_by,
)
from ..services.org import assignment_transfer, commissioner_transfer_all

PAGE_SIZE = 50
DIRECTORY_ROLES = (COMMISSIONER, GROUP_LEADER, *SEE_ALL_ROLES)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _commissioner_choices(field, commissioners):
    """The directory's commissioner filter lists every commissioner of the zone (hundreds): its
    <option>s from one values query, labelled as str(commissioner) is (the user's
    display_name, else full name, else username), instead of a commissioner, a user and a group
    made per option. The field still validates a chosen one against the queryset."""
    rows = commissioners.values_list("pk", "user__display_name", "user__first_name", "user__last_name",
                                     "user__username")

    def options(field):  # what field.iterator(field) yields: the empty choice, then each one
        if field.empty_label is not None:
            yield "", field.empty_label
        if getattr(field, "null_label", None) is not None:  # django-filter's "none" choice
            yield field.null_value, field.null_label
        for pk, display, first, last, username in rows:
            yield pk, display or f"{first} {last}".strip() or username

    field.iterator = options


@login_required
def enterprise_directory(request):
    if not request.user.has_role(*DIRECTORY_ROLES):
        raise Http404
    commissioners = commissioners_visible_to(request.user)
    filterset = EnterpriseFilter(request.GET or None, queryset=enterprise_list_for(request.user),
                                 commissioners=commissioners)
    _commissioner_choices(filterset.form.fields["commissioner"], commissioners)
    rows, banner = narrowed(request, filterset.qs, figures.enterprises_for_figure)
    return render(request, "enterprises/directory.html", {
        "filter": filterset, "page": paginate(request, rows, PAGE_SIZE), "figure_banner": banner,
    })


@login_required
def enterprise_profile(request, pk):
    enterprise = enterprise_profile_for(request.user, pk)
    return render(request, "enterprises/profile.html", {"enterprise": enterprise})


@login_required
def enterprise_mine(request):
    enterprise = enterprise_of(request.user)
    if enterprise is None:
        raise Http404
    return enterprise_profile(request, enterprise.pk)


@login_required
def my_enterprises(request):
    commissioner = commissioner_of(request.user)
    if commissioner is None:
        raise Http404
    served = commissioner_enterprises(commissioner).values("enterprise_id")
    filterset = EnterpriseFilter(request.GET or None,
                                 queryset=enterprise_list_for(request.user).filter(pk__in=served))
    return render(request, "commissioners/org/my_enterprises.html", {
        "commissioner": commissioner, "filter": filterset, "page": paginate(request, filterset.qs, PAGE_SIZE),
        "total": served.count(),
    })


def _led_groups(user):
    groups = list(groups_led_by(user))
    if not groups:
        raise Http404
    return groups


@login_required
def group(request):
    groups = _led_groups(request.user)
    commissioners = list(group_commissioners(groups))
    members = Commissioner.objects.filter(group__in=groups).select_related("user", "group")
    filterset = GroupFilter(request.GET or None, queryset=group_assignments(groups), commissioners=members)
    return render(request, "commissioners/org/group.html", {
        "groups": groups, "commissioners": commissioners,
        "active_commissioners": [c for c in commissioners if c.is_active],
        "filter": filterset, "page": paginate(request, filterset.qs, PAGE_SIZE),
        "query": _query_without_page(request),  # transfers come back to the same filters
    })


def _back_to_group(request):
    query = request.POST.get("next_query", "")
    return redirect(reverse("commissioners:group") + (f"?{query}" if query else ""))


def _group_enterprises(groups):
    served = Assignment.objects.active().filter(commissioner__group__in=groups, is_primary=True)
    return Enterprise.objects.filter(pk__in=served.values("enterprise_id"))


@require_POST
@login_required
def group_transfer(request):
    groups = _led_groups(request.user)
    form = TransferForm(request.POST, enterprises=_group_enterprises(groups),
                        commissioners=Commissioner.objects.filter(group__in=groups))
    if not form.is_valid():
        if "enterprise" in form.errors:
            raise Http404
        return _refused(request, form)
    data = form.cleaned_data
    return _run(request, lambda: assignment_transfer(
        enterprise=data["enterprise"], to_commissioner=data["to_commissioner"], actor=request.user,
        reason=data["reason"],
    ), lambda result: _("已将“%(enterprise)s”移交给“%(to)s”") % {
        "enterprise": data["enterprise"], "to": data["to_commissioner"].user})


@require_POST
@login_required
def group_transfer_all(request):
    groups = _led_groups(request.user)
    form = TransferAllForm(request.POST, commissioners=Commissioner.objects.filter(group__in=groups))
    if not form.is_valid():
        if "from_commissioner" in form.errors:
            raise Http404
        return _refused(request, form)
    data = form.cleaned_data
    return _run(request, lambda: commissioner_transfer_all(
        from_commissioner=data["from_commissioner"], to_commissioner=data["to_commissioner"],
        actor=request.user, reason=data["reason"],
    ), lambda created: _("已将“%(from)s”服务的 %(count)s 家企业全部移交给“%(to)s”") % {
        "from": data["from_commissioner"].user, "count": len(created), "to": data["to_commissioner"].user})


def _refused(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, _("移交未完成: %(error)s") % {"error": error})
    return _back_to_group(request)


def _run(request, action, success_message):
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, _("移交未完成: %(error)s") % {"error": ";".join(error.messages)})
    else:
        messages.success(request, success_message(result))
    return _back_to_group(request)
