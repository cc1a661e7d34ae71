from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fields import ListedModelChoiceField

from . import clock, rules, uploads
from .models import Department, Opinion, PauseKind, Project, ProjectCategory, StageKind, StageStatus
from .services import check_category_budgets


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label_with_limit  # "政府投资项目: 60个工作日"


class ProjectForm(forms.ModelForm):
    category = CategoryChoiceField(queryset=ProjectCategory.objects.all(), label=_("项目类别"),
                                   empty_label=None,
                                   widget=forms.RadioSelect(attrs={"class": "form-check-input"}))

    class Meta:
        model = Project
        fields = ["name", "code", "category", "location", "total_investment", "signed_amount", "is_major",
                  "introduced_on", "construction_started_on"]
        widgets = {
            "introduced_on": forms.DateInput(attrs={"type": "date"}),
            "construction_started_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"code": _("投资项目在线审批监管平台赋予的项目代码, 不可重复")}


def _bootstrap(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.HiddenInput):
            continue
        css = "form-select form-select-sm" if isinstance(widget,
                                                         forms.Select) else "form-control form-control-sm"
        widget.attrs.setdefault("class", css)


class ActionForm(forms.Form):
    """Every stage action carries the status the user saw, so a late click says so."""

    seen_status = forms.CharField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, stage=None, user=None, **kwargs):
        self.stage, self.user = stage, user
        super().__init__(*args, **kwargs)
        if stage is not None and not self.is_bound:
            self.initial.setdefault("seen_status", stage.status)
        _bootstrap(self)

    def service_kwargs(self):
        data = dict(self.cleaned_data)
        data["expected_status"] = data.pop("seen_status") or None
        return data


class AcceptForm(ActionForm):
    missing_items = forms.MultipleChoiceField(label=_("容缺材料(非关键)"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    commitment_workdays = forms.IntegerField(label=_("承诺补齐期限(工作日)"), required=False, min_value=1,
                                             max_value=clock.COMMITMENT_MAX_WORKDAYS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.stage is not None:
            self.fields["missing_items"].choices = [
                (r.key, r.name) for r in self.stage.policy.requirements.all() if not r.is_key]


class ReviewForm(ActionForm):
    department = forms.ModelChoiceField(queryset=Department.objects.none(), label=_("部门"), empty_label=None)
    opinion = forms.ChoiceField(label=_("意见"), choices=[(Opinion.AGREE, Opinion.AGREE.label),
                                                       (Opinion.DISAGREE, Opinion.DISAGREE.label)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.stage is not None:
            departments = self.stage.policy.departments.all()
            if not (self.user and self.user.has_role("admin")):
                departments = departments.filter(pk__in=rules.department_ids(self.user))
            self.fields["department"].queryset = departments


class SupplementForm(ActionForm):
    items = forms.CharField(label=_("需要补正的内容(每行一项)"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_items(self):
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class ResubmitForm(ActionForm):
    """提交补正材料: one file input per item of the open 补正 request (item_0, item_1, …), each
    optional here: an item already answered needs none, and the service names any still missing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pause = rules.open_supplement(self.stage) if self.stage is not None else None
        self.items = list(pause.items) if pause else []
        for index, item in enumerate(self.items):
            self.fields[f"item_{index}"] = forms.FileField(
                label=item, required=False,
                widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT_ATTR,
                                                       "class": "form-control form-control-sm"}))
        self.order_fields(["seen_status", *(f"item_{i}" for i in range(len(self.items))), "comment"])

    def service_kwargs(self):
        data = super().service_kwargs()
        files = {index: data.pop(f"item_{index}") for index in range(len(self.items))}
        data["files"] = {index: upload for index, upload in files.items() if upload}
        return data


class PauseForm(ActionForm):
    kind = forms.ChoiceField(label=_("暂停类型"), choices=[(k.value, k.label) for k in PauseKind
                                                        if k != PauseKind.SUPPLEMENT])
    legal_basis = forms.CharField(label=_("法律依据"), max_length=300)


class RejectForm(ActionForm):
    reason = forms.CharField(label=_("不予许可理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self):
        data = super().service_kwargs()
        data.pop("comment", None)
        return data


class UploadForm(forms.Form):
    requirement_key = forms.ChoiceField(label=_("材料"))
    file = forms.FileField(label=_("文件"),
                           widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT_ATTR}),
                           help_text=format_lazy("{}{}", _("允许: "), uploads.ALLOWED_LABEL))

    def __init__(self, *args, stage=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stage is not None:
            self.fields["requirement_key"].choices = [
                (r.key, gettext("%(name)s(关键)") % {"name": r.name} if r.is_key else r.name)
                for r in stage.policy.requirements.all()]


class ProjectFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    q = forms.CharField(label=_("搜索"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态"))] + [
        (value, label) for value, label in Project._meta.get_field("status").choices])
    # By code, as the leaders' dashboard links say it (?category=small): one language for both.
    category = ListedModelChoiceField(label=_("类别"), required=False, queryset=ProjectCategory.objects.all(),
                                      empty_label=_("全部类别"), to_field_name="code")
    major = forms.ChoiceField(label=_("重大项目"), required=False,
                              choices=[("", _("全部")), ("1", _("重大项目")), ("0", _("一般项目"))])


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    kind = forms.ChoiceField(label=_("阶段"), required=False,
                             choices=[("", _("全部阶段")), *StageKind.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态"))] + [
        (s.value, s.label) for s in (StageStatus.PENDING, StageStatus.ACCEPTED, StageStatus.IN_REVIEW,
                                     StageStatus.SUPPLEMENT, StageStatus.PAUSED)])
    overdue = forms.BooleanField(label=_("仅看超期"), required=False)


class StagePolicyFormSet(forms.BaseInlineFormSet):
    """The admin inline of a category's stage policies: the four budgets add up to the limit."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        budgets = [form.cleaned_data["budget_workdays"] for form in self.forms
                   if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        limit = getattr(self.instance, "limit_workdays", None)
        if limit is not None:
            check_category_budgets(limit=limit, budgets=budgets)
