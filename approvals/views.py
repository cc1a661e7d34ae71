"""Pages: access helper → form → service → redirect. Anything a user may not see is a 404."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.roles import ADMIN, APPROVER, ENTERPRISE, LEADER
from core import transitions
from core.figures import narrowed
from core.pagination import keyset
from core.views import refuse
from enterprises.selectors import enterprise_of

from . import figures, forms, rules, selectors, services, uploads
from .choices import Opinion, ProjectStatus
from .errors import ApprovalError
from .models import Material, PauseKind, Project, StageStatus


@dataclass(frozen=True)
class Action:
    transition: str
    label: str
    form: type
    service: object
    style: str = "primary"
    done: str = ""  # the flash message after it succeeded
    confirm: str = ""  # asked before an irreversible action is sent


ACTIONS = {
    "accept": Action("accept", _("受理"), forms.AcceptForm, services.stage_accept,
                     confirm=_("受理后本阶段开始计时, 且不能撤销。确定受理?"), done=_("已受理。")),
    "review": Action("record_review", _("出具审查意见"), forms.ReviewForm, services.stage_review_submit,
                     "outline-primary", done=_("已出具审查意见。")),
    "supplement": Action("request_supplement", _("要求补正"), forms.SupplementForm,
                         services.stage_request_supplement,
                         "outline-warning", done=_("已要求补正。")),
    "pause": Action("pause", _("暂停计时"), forms.PauseForm, services.stage_pause, "outline-secondary",
                    done=_("已暂停计时。")),
    "resume": Action("resume", _("恢复计时"), forms.ActionForm, services.stage_resume, "outline-secondary",
                     done=_("已恢复计时。")),
    # Shown in the 补正 card (one file input per requested item), not among the accordion's forms.
    "resubmit": Action("resubmit", _("提交补正材料"), forms.ResubmitForm, services.stage_answer_supplement,
                       done=_("已提交补正材料, 审批恢复计时。")),
    "approve": Action("approve", _("审批通过"), forms.ActionForm, services.stage_approve, "success",
                      confirm=_("审批通过后进入下一阶段(最后一个阶段则项目审批完成), 且不能撤销。"
                                "确定审批通过?"),
                      done=_("已审批通过。")),
    "reject": Action("reject", _("不予许可"), forms.RejectForm, services.stage_reject, "outline-danger",
                     confirm=_("不予许可将终止整个项目的审批, 且不能撤销。确定作出不予许可决定?"),
                     done=_("已不予许可。")),
}


def _may(stage, transition_name, user):
    return transitions.holds_permission(getattr(stage, transition_name), user)


# --- projects --------------------------------------------------------------------------------

@login_required
def project_list(request):
    filters = forms.ProjectFilterForm(request.GET or None)
    params = filters.cleaned_data if filters.is_valid() else {}
    projects = selectors.project_list_for(
        request.user, q=params.get("q", ""), status=params.get("status", ""),
        category=getattr(params.get("category"), "pk", ""), major=params.get("major", ""))
    projects, banner = narrowed(request, projects, figures.projects_for_figure)
    page = keyset(request, projects, 20)
    today = timezone.localdate()
    for_enterprise = request.user.has_role(ENTERPRISE)
    rows = [(project, selectors.project_progress(project, today=today, for_enterprise=for_enterprise))
            for project in page]
    return render(request, "approvals/project_list.html", {
        "filters": filters, "page": page, "rows": rows, "figure_banner": banner,
        "can_create": _enterprise_of(request.user) is not None,
    })


def _enterprise_of(user):
    if not user.has_role(ENTERPRISE):
        return None
    return enterprise_of(user)


@login_required
def project_create(request):
    enterprise = _enterprise_of(request.user)
    if enterprise is None:
        raise PermissionDenied(gettext("只有企业用户可以申报项目"))
    form = forms.ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, enterprise=enterprise, **form.cleaned_data)
        except ApprovalError as exc:
            form.add_error("code" if exc.code == "duplicate" else None, exc.message)
        else:
            messages.success(request, gettext("项目「%(name)s」已创建。请上传第一阶段材料后提交审批。")
                             % {"name": project.name})
            return redirect("approvals:project_detail", pk=project.pk)
    return render(request, "approvals/project_form.html", {"form": form, "enterprise": enterprise})


def _project_or_404(user, pk):
    try:
        return selectors.project_detail_for(user, pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


@login_required
def project_detail(request, pk):
    return _project_page(request, _project_or_404(request.user, pk))


def _project_page(request, project, *, failed=None, status=200):
    """The project page; `failed` = (stage, bound ResubmitForm) re-shows a refused 补正 card."""
    user = request.user
    acts_for_enterprise = rules.may_act_for_enterprise(project, user)
    can_submit = project.status == ProjectStatus.DRAFT and acts_for_enterprise
    progress = selectors.project_progress(project, for_enterprise=rules.is_enterprise_member(project, user))
    return render(request, "approvals/project_detail.html", {
        "project": project,
        "progress": progress,
        "supplements": _supplement_cards(project.stages.all(), user, progress.rows, failed)
        if acts_for_enterprise else [],
        "events": selectors.events_for(project=project)[:100],
        "can_submit": can_submit,
        # Listed before the click, with the submit button disabled: the service refuses them too.
        "missing_for_submit": rules.missing_for_submit(project) if can_submit else [],
        "can_withdraw": project.is_open and acts_for_enterprise,
    }, status=status)


def _supplement_cards(stages, user, rows, failed=None):
    """The open 补正 requests the enterprise answers, each with its form (a refused one bound)."""
    by_stage = {row.stage.pk: row for row in rows}
    cards = selectors.open_supplements(stages)
    for card in cards:
        if not _may(card.stage, "resubmit", user):
            continue
        card.row = by_stage.get(card.stage.pk)
        bound = failed[1] if failed and failed[0].pk == card.stage.pk else None
        card.form = bound or forms.ResubmitForm(stage=card.stage, user=user, auto_id=_ids("resubmit"))
        card.allowed = uploads.ALLOWED_LABEL
        for item in card.items:
            item.field = card.form[f"item_{item.index}"] if f"item_{item.index}" in card.form.fields else None
    return [card for card in cards if card.form is not None]


@login_required
@require_POST
def project_action(request, pk, action):
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    service = {"submit": services.project_submit, "withdraw": services.project_withdraw}.get(action)
    if service is None:
        raise Http404
    if not rules.may_act_for_enterprise(project, request.user):
        raise PermissionDenied
    try:
        service(project=project, actor=request.user, comment=request.POST.get("comment", ""),
                expected_status=request.POST.get("seen_status") or None)
        messages.success(request, gettext("已提交审批, 第一阶段等待受理。") if action == "submit"
                         else gettext("项目已撤回。"))
    except ApprovalError as exc:
        refuse(request, exc)
    return redirect("approvals:project_detail", pk=project.pk)


# --- stages ----------------------------------------------------------------------------------

def _stage_or_404(user, pk):
    try:
        return selectors.stage_for(user, pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def _buttons(stage, user, failed=None):
    """(key, action, form) for the transitions this user may run; a refused form stays bound."""
    names = {t.name for t in stage.get_available_user_status_transitions(user)}
    failed_key, failed_form = failed or (None, None)
    return [(key, action,
             failed_form if key == failed_key else action.form(stage=stage, user=user, auto_id=_ids(key)))
            for key, action in ACTIONS.items() if action.transition in names and key != "resubmit"]


def _ids(key):
    """Each action's form on the stage page has its own ids (four forms once shared id_comment)."""
    return f"id_{key}_%s"


@login_required
def stage_detail(request, pk):
    return _stage_page(request, _stage_or_404(request.user, pk))


def _stage_page(request, stage, *, failed=None, status=200):
    """The stage page; `failed` = (action key, bound form) re-shows a refused form with its errors."""
    user = request.user
    uploaded = {}
    for material in stage.materials.all():
        uploaded.setdefault(material.requirement_key, []).append(material)
    is_enterprise = rules.may_act_for_enterprise(stage, user)
    can_upload = not stage.is_finished and is_enterprise \
        and stage.project.is_open
    # A draft's stage 1 is where the enterprise prepares what 提交审批 needs.
    preparing = is_enterprise and stage.order == 1 and stage.project.status == ProjectStatus.DRAFT
    row = selectors.stage_row(stage, today=timezone.localdate(),
                              for_enterprise=rules.is_enterprise_member(stage, user))
    resubmit_failed = (stage, failed[1]) if failed and failed[0] == "resubmit" else None
    supplements = _supplement_cards([stage], user, [row], resubmit_failed) if is_enterprise else []
    answering = {card.pause.pk for card in supplements}
    return render(request, "approvals/stage_detail.html", {
        "stage": stage, "project": stage.project,
        "row": row,
        "supplements": supplements,
        # Which file answers which requested item, for every 补正 of the stage (the open one the
        # enterprise is answering is in its card above).
        "supplement_history": [request_ for request_ in selectors.supplement_history(stage)
                               if request_.pause.pk not in answering],
        "buttons": _buttons(stage, user, failed),
        "failed_action": failed[0] if failed else "",
        "hints": _hints(stage, user),
        "checklist": [(r, uploaded.get(r.key, [])) for r in stage.policy.requirements.all()],
        "upload_form": forms.UploadForm(stage=stage) if can_upload else None,
        "preparing": preparing,
        "missing_for_submit": rules.missing_key_materials(stage) if preparing else [],
        "events": selectors.events_for(stage=stage)[:100],
        "pauses": list(stage.pauses.all()),
    }, status=status)


def _hints(stage, user):
    """Why an expected button is missing, for the approver who wonders."""
    hints = []
    if not _may(stage, "approve", user):
        return hints
    if stage.status == StageStatus.PENDING and not rules.key_materials_complete(stage):
        hints.append(gettext("关键材料齐全后方可受理。"))
    if stage.status == StageStatus.IN_REVIEW and any(r.opinion != Opinion.AGREE for r in stage.reviews.all()):
        hints.append(gettext("各部门均出具同意意见后方可审批通过。"))
    return hints


@login_required
@require_POST
def stage_action(request, pk, action):
    stage = _stage_or_404(request.user, pk)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    if not _may(stage, spec.transition, request.user):
        raise PermissionDenied
    form = spec.form(request.POST, request.FILES, stage=stage, user=request.user, auto_id=_ids(action))
    # The 补正 card is also on the project page: a refusal is shown where it was sent from.
    from_project = action == "resubmit" and request.POST.get("back") == "project"
    home = (("approvals:project_detail", stage.project_id) if from_project
            else ("approvals:stage_detail", stage.pk))
    if not form.is_valid():  # shown again, open, with its errors and what was typed
        return _refused_page(request, action, form, from_project, pk)
    try:
        spec.service(stage=stage, actor=request.user, **form.service_kwargs())
    except ApprovalError as exc:
        if exc.code in ("forbidden", "stale", "state"):  # nothing to fix in the form: refresh
            refuse(request, exc)
            return redirect(home[0], pk=home[1])
        # A refusal the person can fix (e.g. 容缺 without a deadline, a 补正 item without a file):
        # keep what they typed; files already stored stay listed under their items.
        form.add_error(None, exc.message)
        return _refused_page(request, action, form, from_project, pk)
    messages.success(request, str(spec.done))
    return redirect(home[0], pk=home[1])


def _refused_page(request, action, form, from_project, pk):
    stage = _stage_or_404(request.user, pk)  # read again: a refused 补正 may have stored files
    if from_project:
        form.stage = stage
        return _project_page(request, _project_or_404(request.user, stage.project_id),
                             failed=(stage, form), status=400)
    return _stage_page(request, stage, failed=(action, form), status=400)


@login_required
@require_POST
def material_upload(request, pk):
    stage = _stage_or_404(request.user, pk)
    if not rules.may_act_for_enterprise(stage, request.user):
        raise PermissionDenied
    form = forms.UploadForm(request.POST, request.FILES, stage=stage)
    if form.is_valid():
        try:
            material = services.material_upload(stage=stage, actor=request.user,
                                                upload=form.cleaned_data["file"],
                                                requirement_key=form.cleaned_data["requirement_key"])
            messages.success(request, gettext("已上传「%(name)s」。") % {"name": material.original_name})
        except ApprovalError as exc:
            refuse(request, exc)
    else:
        messages.error(request, "; ".join(m for errors in form.errors.values() for m in errors))
    return redirect("approvals:stage_detail", pk=stage.pk)


@login_required
def material_download(request, pk):
    material = get_object_or_404(
        Material.objects.filter(stage__project__in=Project.objects.visible_to(request.user)), pk=pk)
    try:
        handle = material.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=material.original_name,
                        content_type=material.content_type)


NOTICES = {
    "acceptance": (_("受理通知书"), "approvals/notice_acceptance.html"),
    "supplement": (_("补正通知书"), "approvals/notice_supplement.html"),
    "refusal": (_("不予许可决定书"), "approvals/notice_refusal.html"),
    "approval": (_("准予许可决定书"), "approvals/notice_approval.html"),
}


@login_required
def stage_notice(request, pk, kind):
    stage = _stage_or_404(request.user, pk)
    if kind not in NOTICES:
        raise Http404
    title, template = NOTICES[kind]
    context = {"stage": stage, "project": stage.project, "title": title, "today": timezone.localdate()}
    if kind == "acceptance" and not stage.accepted_on:
        raise Http404
    if kind == "refusal" and stage.status != StageStatus.REJECTED:
        raise Http404
    if kind == "approval" and stage.status != StageStatus.APPROVED:
        raise Http404
    if kind == "supplement":
        pauses = [p for p in stage.pauses.all() if p.kind == PauseKind.SUPPLEMENT]
        wanted = request.GET.get("pause")
        pause = next((p for p in pauses if str(p.pk) == wanted), pauses[-1] if pauses else None)
        if pause is None:
            raise Http404
        context["pause"] = pause
    return render(request, template, context)


# --- the approver's queue --------------------------------------------------------------------

# An approver's to-do list says "共 1,000+ 条" past this: counting further would read every open
# stage of the departments on each view (10,000 of them cost ~80 ms at 1M stages).
QUEUE_COUNT_CAP = 1000


@login_required
def queue(request):
    """审批待办; with ?figure=… (a link from the leaders' dashboard) the stages behind a figure,
    for leaders too, among the stages the user may see."""
    drill = bool(request.GET.get("figure"))
    if not request.user.has_role(APPROVER, ADMIN, *((LEADER,) if drill else ())):
        raise PermissionDenied(gettext("审批待办仅对审批人员开放"))
    filters = forms.QueueFilterForm(request.GET or None)
    params = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    if drill:
        stages = selectors.stages_visible_to(request.user)
        stages, banner = narrowed(request, stages, lambda scope, figure, today: figures.stages_for_figure(
            scope, figure, today, kind=params.get("kind", "")))
    else:
        stages, banner = selectors.approver_queue(
            request.user, q=params.get("q", ""), kind=params.get("kind", ""), status=params.get("status", ""),
            overdue=params.get("overdue", False), today=today), None
    page = keyset(request, selectors.with_key_materials_state(stages), 25,
                  **({} if drill else {"cap": QUEUE_COUNT_CAP}))
    rows = [selectors.stage_row(stage, today=today) for stage in page]
    return render(request, "approvals/queue.html", {"filters": filters, "page": page, "rows": rows,
                                                    "figure_banner": banner})
