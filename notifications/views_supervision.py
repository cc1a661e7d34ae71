"""督办 pages: the one form a leader supervises a matter with, the handler's reply, the leader's
close or 继续督办, and 我的督办. Each step calls notifications.supervisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.pagination import paginate
from core.views import refuse

from . import selectors, supervisions
from .forms import CloseForm, ReplyForm, SuperviseForm
from .models import Escalation, SupervisionStatus
from .supervision_rules import can_supervise

PAGE_SIZE = 20
SCOPES = {"mine": gettext_lazy("待我回复"), "issued": gettext_lazy("我督办的"), "all": gettext_lazy("全部")}


def _matter_or_404(content_type_id, pk):
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    matter = model._base_manager.filter(pk=pk).first() if model else None
    if supervisions.matter_for(matter) is not matter or matter is None:
        raise Http404
    return matter


@login_required
def supervise(request, content_type_id, pk):
    """督办 a matter straight from its page (or from an escalation: ?escalation=<id>)."""
    if not can_supervise(request.user):
        raise PermissionDenied
    matter = _matter_or_404(content_type_id, pk)
    escalation = None
    if request.GET.get("escalation", "").isdigit():
        escalation = get_object_or_404(Escalation, pk=request.GET["escalation"])
        if supervisions.matter_for(escalation.related_object) != matter:
            raise Http404
    form = SuperviseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            supervision = supervisions.supervision_open(
                matter=matter, actor=request.user, instruction=form.cleaned_data["comment"],
                escalation=escalation,
                also_tell=_reached_by(escalation))
        except supervisions.SupervisionError as error:
            refuse(request, error)
        else:
            messages.success(request, _("已督办, 回复期限 %(day)s。") % {"day": supervision.due_on})
            return redirect(supervision.link or "notifications:supervisions")
    title, link = supervisions.describe(matter)
    return render(request, "notifications/supervise.html", {
        "form": form, "title": title, "link": link, "escalation": escalation,
        "live": selectors.supervisions_of(matter),
    })


def _reached_by(escalation):
    """Everyone an escalation reached hears of its 督办 too."""
    return supervisions.reached_by(escalation)


def _visible_or_404(user, pk):
    return get_object_or_404(selectors.supervisions_visible_to(user), pk=pk)


@login_required
@require_POST
def reply(request, pk):
    supervision = _visible_or_404(request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写办理情况"))
    else:
        try:
            supervisions.supervision_reply(supervision=supervision, actor=request.user,
                                           text=form.cleaned_data["text"],
                                           expected_status=request.POST.get("seen_status") or None)
        except supervisions.SupervisionError as error:
            refuse(request, error)
        else:
            messages.success(request, _("已回复办理情况, 督办领导将收到通知。"))
    return redirect(supervision.link or "notifications:supervisions")


@login_required
@require_POST
def close(request, pk):
    supervision = _visible_or_404(request.user, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect(supervision.link or "notifications:supervisions")
    seen = request.POST.get("seen_status") or None
    try:
        if form.cleaned_data["outcome"] == "close":
            supervisions.supervision_close(supervision=supervision, actor=request.user, expected_status=seen)
            messages.success(request, _("督办已办结。"))
        else:
            instruction = form.cleaned_data["instruction"]
            supervisions.supervision_continue(supervision=supervision, actor=request.user,
                                              instruction=instruction, expected_status=seen)
            messages.success(request, _("已继续督办。"))
    except supervisions.SupervisionError as error:
        refuse(request, error)
    return redirect(supervision.link or "notifications:supervisions")


@login_required
def supervision_list(request):
    """我的督办: what I must answer, overdue first; leaders also see what they supervised."""
    scopes = dict(SCOPES) if can_supervise(request.user) else {"mine": SCOPES["mine"]}
    scope = request.GET.get("scope") if request.GET.get("scope") in scopes else "mine"
    answered = request.GET.get("answered", "")
    today = timezone.localdate()
    rows = selectors.supervision_list_for(request.user, scope=scope, answered=answered)
    page = paginate(request, rows, PAGE_SIZE)
    for row in page.object_list:
        row.level = row.level_on(today) if row.status == SupervisionStatus.OPEN else None
        row.left = row.workdays_left(today)
    return render(request, "notifications/supervisions.html", {
        "page": page, "scope": scope, "scopes": scopes, "answered": answered, "today": today,
    })


@login_required
def supervision_badge(request):
    # Polled by the navbar like the unread badge: the page itself pays nothing for it.
    return HttpResponse(render_to_string("notifications/snippets/supervision_badge.html",
                                         {"count": selectors.supervisions_awaiting(request.user)}))
