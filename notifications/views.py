from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.pagination import keyset, paginate

from . import selectors, services
from .forms import SuperviseForm
from .models import Escalation, EscalationLevel, Notification

PAGE_SIZE = 20
SCOPES = {"open": gettext_lazy("待督办"), "mine": gettext_lazy("通知我的"), "all": gettext_lazy("全部")}


def _own_notification(request, pk):
    # Someone else's notification does not exist for this user: 404, never 403.
    return get_object_or_404(Notification.objects.for_user(request.user), pk=pk)


@login_required
def inbox(request):
    rows = selectors.notification_list_for(request.user)
    page = keyset(request, rows, PAGE_SIZE)  # a sweep can leave an official thousands
    return render(request, "notifications/inbox.html", {
        "page": page, "unread_count": selectors.unread_count_for(request.user),
    })


@login_required
def badge(request):
    count = selectors.unread_count_for(request.user)
    # Rendered without the request: polled every minute by every open page, it must not pay
    # for the context processors (navigation, roles) it does not show.
    return HttpResponse(render_to_string("notifications/snippets/badge.html", {
        "count": count, "capped": count > selectors.BADGE_CAP, "cap": selectors.BADGE_CAP,
    }))


@login_required
@require_POST
def read(request, pk):
    notification = services.notification_mark_read(notification=_own_notification(request, pk))
    if request.htmx:
        response = render(request, "notifications/snippets/row.html", {"notification": notification})
        response["HX-Trigger"] = "notifications-changed"
        return response
    return redirect("notifications:inbox")


@login_required
def open_notification(request, pk):
    """Follow a notification's link, marking it read on the way."""
    notification = services.notification_mark_read(notification=_own_notification(request, pk))
    safe = url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return redirect(notification.link if notification.link and safe else "notifications:inbox")


@login_required
@require_POST
def read_all(request):
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(count)s 条通知标为已读。") % {"count": count})
    return redirect("notifications:inbox")


def _require_supervisor(user):
    if not services.can_supervise(user):
        raise PermissionDenied


def _matter_filters(params):
    """The 督办 page's filters from the query string; unknown values are ignored."""
    from django.contrib.contenttypes.models import ContentType

    from .supervisions import matter_kinds, working_group_choices

    kinds = {kind.key: (model, kind) for model, kind in matter_kinds().items()}
    chosen = {"kind": None, "category_ids": None, "group_ids": None}
    key = params.get("kind", "")
    if key in kinds:
        chosen["kind"] = ContentType.objects.get_for_model(kinds[key][0])
    kind_key, _sep, code = params.get("category", "").partition(":")
    if kind_key in kinds and code in dict(kinds[kind_key][1].categories()):
        chosen["category_ids"] = kinds[kind_key][1].by_category(code)
        chosen["kind"] = ContentType.objects.get_for_model(kinds[kind_key][0])
    group = params.get("working_group", "")
    if group in dict(working_group_choices()):
        chosen["group_ids"] = _union(kind.by_working_group(group) for _model, kind in kinds.values())
    choices = {
        "kinds": [(k, kind.label) for k, (_model, kind) in kinds.items()],
        "categories": [(f"{k}:{code}", f"{kind.label} · {name}") for k, (_model, kind) in kinds.items()
                       for code, name in kind.categories()],
        "working_groups": working_group_choices(),
    }
    return chosen, choices


def _union(querysets):
    ids = [list(qs.values_list("pk", flat=True)) for qs in querysets if qs is not None]
    return sorted({pk for chunk in ids for pk in chunk})


@login_required
def escalations(request):
    """预警与督办: one row per matter, most severe first, with filters and one 督办 form per matter."""
    _require_supervisor(request.user)
    params = request.GET
    scope = params.get("scope") if params.get("scope") in SCOPES else "open"
    level = params.get("level") if params.get("level") in EscalationLevel.values else ""
    answered = params.get("answered") if params.get("answered") in ("yes", "no") else ""
    chosen, choices = _matter_filters(params)
    groups = selectors.escalation_matters(request.user, scope=scope, level=level, answered=answered, **chosen)
    page = paginate(request, groups, PAGE_SIZE)
    page.object_list = selectors.escalation_matter_rows(page.object_list)
    query = {key: params.get(key, "") for key in ("scope", "level", "kind", "category", "working_group",
                                                   "answered")}
    return render(request, "notifications/escalations.html", {
        "page": page, "scope": scope, "scopes": SCOPES, "level": level,
        "levels": EscalationLevel.choices, "answered": answered, "params": query,
        "query": urlencode({k: v for k, v in query.items() if v}), **choices,
    })


@login_required
def supervise(request, pk):
    """督办 on one escalation (the form page, or an htmx post from an escalation's row)."""
    _require_supervisor(request.user)
    escalation = get_object_or_404(Escalation, pk=pk)
    if request.method != "POST":
        return render(request, "notifications/supervise.html", {
            "form": SuperviseForm(), "title": escalation.title, "link": escalation.link,
            "escalation": escalation, "action": request.path})
    form = SuperviseForm(request.POST)
    if form.is_valid():
        escalation = services.escalation_supervise(escalation=escalation, actor=request.user,
                                                   comment=form.cleaned_data["comment"])
        form = SuperviseForm()
        if not request.htmx:
            messages.success(request, _("已督办: %(title)s") % {"title": escalation.title})
    if request.htmx:
        return render(request, "notifications/snippets/escalation_row.html",
                      {"escalation": escalation, "form": form})
    if form.errors:
        messages.error(request, _("请填写督办意见。"))
    return redirect("notifications:escalations")
