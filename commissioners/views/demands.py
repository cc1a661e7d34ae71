"""Pages of the 护商通 procedure: access helper → form → service → redirect."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import (
    ADMIN,
    BUREAU,
    COMMISSIONER,
    ENTERPRISE,
    GROUP_LEADER,
    LEADER,
    ROLES,
    WORKING_GROUP,
)
from core.figures import narrowed
from core.pagination import keyset, paginate
from core.transitions import FORBIDDEN
from core.views import refuse
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_of

from .. import figures, services
from .. import forms_demands as forms
from ..choices import DemandStatus
from ..models import DemandAttachment, Policy
from ..models.demands import WarningLevel
from ..selectors import demands as sel

DEMAND_ROLES = (ENTERPRISE, COMMISSIONER, GROUP_LEADER, BUREAU, WORKING_GROUP, LEADER, ADMIN)
VISIT_ROLES = (ENTERPRISE, COMMISSIONER, GROUP_LEADER, BUREAU, LEADER, ADMIN)
POLICY_ROLES = ROLES  # every role reads the library; enterprise users only what applies to them
PAGE_SIZE = 20


def _require(user, roles):
    """Pages a role has no business on are a 404, like objects it may not see."""
    if not user.has_role(*roles):
        raise Http404


def _decorate(rows, today):
    """Badge and working days left for each row of a page: O(1) each, no query."""
    for row in rows:
        row.level = row.level_on(today)
        row.left = row.workdays_left(today) if hasattr(row, "workdays_left") else None
    return rows


# --- demands -----------------------------------------------------------------------------------

@login_required
def demand_list(request):
    _require(request.user, DEMAND_ROLES)
    status = request.GET.get("status", "")
    search = forms.search_text(request.GET.get("q"))
    rows, banner = narrowed(request, sel.demand_list_for(request.user, status=status, search=search),
                            _demand_figure(request))
    page = keyset(request, rows, PAGE_SIZE)
    _decorate(page.object_list, timezone.localdate())
    return render(request, "commissioners/demands/list.html", {
        "page": page, "status": status, "q": search, "statuses": DemandStatus.choices,
        "figure_banner": banner,
        "is_enterprise": request.user.has_role(ENTERPRISE),
        "can_create": request.user.has_role(ENTERPRISE) and enterprise_of(request.user) is not None,
    })


def _demand_figure(request):
    """The demands behind a dashboard figure, narrowed to a demand category (?demand_category=)."""
    category = request.GET.get("demand_category", "")

    def rows(scope, figure, today):
        found = figures.demands_for_figure(scope, figure, today)
        return found.filter(category__code=category) if found is not None and category else found

    return rows


@login_required
def demand_create(request):
    _require(request.user, (ENTERPRISE,))
    enterprise = enterprise_of(request.user)
    if enterprise is None:
        raise Http404
    form = forms.DemandForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            demand = services.demand_submit(
                enterprise=enterprise, actor=request.user, category=data["category"],
                urgency=data["urgency"], title=data["title"], description=data["description"],
                files=data["attachments"])
        except services.DemandError as error:
            form.add_error(None, error.text)
        else:
            messages.success(request, _("诉求已提交, 营商环境专员将在时限内受理。"))
            return redirect("commissioners:demand_detail", pk=demand.pk)
    return render(request, "commissioners/demands/form.html", {"form": form, "enterprise": enterprise})


@login_required
def demand_detail(request, pk):
    _require(request.user, DEMAND_ROLES)
    return _detail(request, sel.demand_get_for(request.user, pk))


def _detail(request, demand, *, answer_draft=None):
    """The demand page; answer_draft (dispatch pk, text, error) puts a refused answer back in its
    form, so a bad file never costs the text the working group typed."""
    today = timezone.localdate()
    dispatches = list(demand.dispatches.select_related("working_group", "answered_by")
                      .prefetch_related("attachments"))
    _decorate(dispatches, today)
    group = demand.category.working_group()
    actions = sel.demand_actions_for(demand, request.user, dispatches)
    if answer_draft:
        answer_draft["in_form"] = any(str(d.pk) == answer_draft["dispatch"] for d in actions["answer"])
    return render(request, "commissioners/demands/detail.html", {
        "demand": demand, "today": today,
        "level": demand.level_on(today) if demand.status != DemandStatus.CLOSED else None,
        "left": demand.workdays_left(today),
        "dispatches": dispatches,
        "events": demand.events.select_related("actor"),
        "attachments": demand.attachments.filter(dispatch__isnull=True),
        "answer_draft": answer_draft or {},
        "upload_accept": forms.ACCEPT, "upload_max_bytes": settings.UPLOAD_MAX_BYTES,
        "ratings": demand.ratings.all(),
        "holder": sel.demand_holder(demand, dispatches),
        "actions": actions,
        "dispatch_form": forms.DispatchForm(initial={"working_groups": [group] if group else []}),
        "redispatch_form": forms.RedispatchForm(demand=demand),
        "rate_form": forms.RateForm(),
    })


def _act_accept(demand, user, data):
    result = services.demand_accept(demand=demand, actor=user, comment=data["comment"], **data["seen"])
    return result, _("已受理, 已转小组长审核。")


def _act_first_contact(demand, user, data):
    result = services.demand_answer_first_contact(demand=demand, actor=user, answer=data["answer"],
                                                  **data["seen"])
    return result, _("已首接答复, 等待企业评价。")


def _act_review(demand, user, data):
    result = services.demand_review(demand=demand, actor=user, comment=data["comment"], **data["seen"])
    return result, _("已审核, 已转经济运行局。")


def _act_send_back(demand, user, data):
    result = services.demand_send_back(demand=demand, actor=user, reason=data["reason"], **data["seen"])
    return result, _("已退回专员。")


def _act_dispatch(demand, user, data):
    result = services.demand_dispatch(demand=demand, actor=user, working_groups=data["working_groups"],
                                      comment=data["comment"], **data["seen"])
    return result, _("已交办工作组。")


def _act_redispatch(demand, user, data):
    result = services.demand_redispatch(dispatch=data["dispatch"], actor=user, to_group=data["to_group"],
                                        reason=data["reason"], **data["seen"])
    return result, _("已改派。")


def _act_start(demand, user, data):
    result = services.demand_start(dispatch=data["dispatch"], actor=user, **data["seen"])
    return result, _("已签收, 开始办理。")


def _act_answer(demand, user, data):
    result = services.demand_answer(dispatch=data["dispatch"], actor=user, answer=data["answer"],
                                    files=data["attachments"], **data["seen"])
    return result, _("已答复。")


def _act_rate(demand, user, data):
    result = services.demand_rate(demand=demand, actor=user, level=data["level"], comment=data["comment"],
                                  **data["seen"])
    if result.status == DemandStatus.CLOSED:
        return result, _("感谢评价, 诉求已办结。")
    return result, _("已记录您的评价, 诉求将重新办理并提请领导关注。")


ACTIONS = {
    "accept": (forms.CommentForm, _act_accept),
    "answer_first_contact": (forms.AnswerForm, _act_first_contact),
    "review": (forms.CommentForm, _act_review),
    "send_back": (forms.ReasonForm, _act_send_back),
    "dispatch": (forms.DispatchForm, _act_dispatch),
    "redispatch": (forms.RedispatchForm, _act_redispatch),
    "start": (forms.StartForm, _act_start),
    "answer": (forms.DispatchAnswerForm, _act_answer),
    "rate": (forms.RateForm, _act_rate),
}


@login_required
@require_POST
def demand_action(request, pk, action):
    _require(request.user, DEMAND_ROLES)
    if action not in ACTIONS:
        raise Http404
    demand = sel.demand_get_for(request.user, pk)
    form_class, act = ACTIONS[action]
    extra = {"demand": demand} if form_class in (forms.StartForm, forms.DispatchAnswerForm,
                                                  forms.RedispatchForm) else {}
    form = form_class(request.POST, request.FILES, **extra)
    if not form.is_valid():
        text = "; ".join(e for errors in form.errors.values() for e in errors)
        if action == "answer":
            return _answer_again(request, demand, text)
        messages.error(request, text)
        return redirect("commissioners:demand_detail", pk=demand.pk)
    data = {**form.cleaned_data, "seen": {"expected_status": request.POST.get("seen_status") or None}}
    try:
        _result, done = act(demand, request.user, data)
    except services.DemandError as error:
        if action == "answer" and error.code != FORBIDDEN:
            return _answer_again(request, demand, error.text)
        refuse(request, error)
    else:
        messages.success(request, done)
    return redirect("commissioners:demand_detail", pk=demand.pk)


def _answer_again(request, demand, error):
    """A refused answer (a bad file, no text, a stale page): the page again, not a redirect, with
    the text in its form and the reason beside it. Nothing was stored; files must be chosen again
    (a browser never refills a file input)."""
    draft = {"dispatch": request.POST.get("dispatch", ""), "answer": request.POST.get("answer", ""),
             "error": error}
    return _detail(request, sel.demand_get_for(request.user, demand.pk), answer_draft=draft)


def _tab_role(request, roles):
    """The ?role= of a queue or done list among the user's own, else a 404."""
    if not roles:
        raise Http404
    role = request.GET.get("role") or roles[0][0]
    if role not in dict(roles):
        raise Http404
    return role


def _tabs(user, current):
    """The to-do tabs (one per role) and the done tabs (已办) of the queue pages."""
    queue, done = reverse("commissioners:demand_queue"), reverse("commissioners:demand_done")
    tabs = [(f"{queue}?role={role}", label, ("queue", role)) for role, label in sel.queue_roles_for(user)]
    tabs += [(f"{done}?role={role}", label, ("done", role)) for role, label in sel.done_roles_for(user)]
    return [{"url": url, "label": label, "active": key == current} for url, label, key in tabs]


@login_required
def demand_queue(request):
    role = _tab_role(request, sel.queue_roles_for(request.user))
    today = timezone.localdate()
    search = forms.search_text(request.GET.get("q"))
    page = keyset(request, sel.demand_queue(request.user, role, today, search=search), PAGE_SIZE)
    _decorate(page.object_list, today)
    return render(request, "commissioners/demands/queue.html", {
        "tabs": _tabs(request.user, ("queue", role)), "role": role, "q": search,
        "page": page, "dispatch_rows": role == WORKING_GROUP,
        "red": WarningLevel.RED, "yellow": WarningLevel.YELLOW,
    })


@login_required
def demand_done(request):
    """已办: what the user (a working group: the user's group) has handled, newest first."""
    role = _tab_role(request, sel.done_roles_for(request.user))
    search = forms.search_text(request.GET.get("q"))
    page = keyset(request, sel.demand_done(request.user, role, search=search), PAGE_SIZE)
    return render(request, "commissioners/demands/done.html", {
        "tabs": _tabs(request.user, ("done", role)), "role": role, "q": search,
        "page": page, "dispatch_rows": role == WORKING_GROUP,
    })


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(DemandAttachment.objects.select_related("demand"), pk=pk)
    sel.demand_get_for(request.user, attachment.demand_id)  # 404 unless the demand is visible
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type or "application/octet-stream")


# --- visits ------------------------------------------------------------------------------------

@login_required
def visit_list(request):
    _require(request.user, VISIT_ROLES)
    page = paginate(request, sel.visit_list_for(request.user), PAGE_SIZE)
    return render(request, "commissioners/visits/list.html", {
        "page": page, "can_record": sel.may_record_visits(request.user)})


@login_required
def visit_detail(request, pk):
    _require(request.user, VISIT_ROLES)
    return render(request, "commissioners/visits/detail.html", {"visit": sel.visit_get_for(request.user, pk)})


def _visit_demands(formset):
    rows = (form.cleaned_data for form in formset.forms if form.cleaned_data)
    return [row for row in rows if row.get("title")]


@login_required
def visit_create(request):
    _require(request.user, (COMMISSIONER,))
    if not sel.may_record_visits(request.user):
        raise Http404
    today = timezone.localdate()
    enterprises = Enterprise.objects.filter(
        assignments__ended_on__isnull=True, assignments__commissioner__user=request.user).distinct()
    initial = {"visited_on": today, "enterprise": request.GET.get("enterprise")}
    form = forms.VisitForm(request.POST or None, enterprises=enterprises,
                           policies=Policy.objects.current(today), initial=initial)
    formset = forms.VisitDemandFormSet(request.POST or None, prefix="demands")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_record(
                actor=request.user, enterprise=data["enterprise"], visited_on=data["visited_on"],
                people_met=data["people_met"], notes=data["notes"], output_value=data["output_value"],
                employees=data["employees"], orders=data["orders"], policies=data["policies"],
                demands=_visit_demands(formset))
        except services.DemandError as error:
            form.add_error(None, error.text)
        else:
            messages.success(request, _("走访记录已保存, 收集诉求 %(count)s 件。")
                             % {"count": visit.demands.count()})
            return redirect("commissioners:visit_detail", pk=visit.pk)
    return render(request, "commissioners/visits/form.html", {"form": form, "formset": formset})


# --- policies ----------------------------------------------------------------------------------

@login_required
def policy_list(request):
    _require(request.user, POLICY_ROLES)
    today = timezone.localdate()
    filters = forms.PolicyFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    industry = data.get("industry")
    qs = sel.policy_list_for(request.user, today, search=data.get("q", ""),
                             industry_id=industry.pk if industry else None, current_only=data.get("current"))
    return render(request, "commissioners/policies/list.html", {
        "page": paginate(request, qs, PAGE_SIZE), "filters": filters, "today": today,
        "can_add": sel.may_add_policies(request.user),
        "enterprise_only": not (request.user.role_names - {ENTERPRISE}),
    })


def _policy_for(user, pk):
    return get_object_or_404(Policy.objects.visible_to(user, timezone.localdate()), pk=pk)


@login_required
def policy_detail(request, pk):
    _require(request.user, POLICY_ROLES)
    policy = _policy_for(request.user, pk)
    return render(request, "commissioners/policies/detail.html", {
        "policy": policy, "today": timezone.localdate(),
        "visits": policy.visits.visible_to(request.user)
        .select_related("enterprise", "commissioner__user")[:20],
    })


@login_required
def policy_file(request, pk):
    _require(request.user, POLICY_ROLES)
    policy = _policy_for(request.user, pk)
    if not policy.file:
        raise Http404
    return FileResponse(policy.file.open("rb"), as_attachment=True, filename=policy.file_name or "policy")


@login_required
def policy_create(request):
    if not sel.may_add_policies(request.user):
        raise Http404
    form = forms.PolicyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.policy_create(actor=request.user, **form.cleaned_data)
        except services.DemandError as error:
            form.add_error(None, error.text)
        else:
            messages.success(request, _("政策已录入政策库。"))
            return redirect("commissioners:policy_detail", pk=policy.pk)
    return render(request, "commissioners/policies/form.html", {"form": form})
