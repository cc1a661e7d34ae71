"""Forms of the 护商通 pages. They shape input; the services decide what is allowed."""

from django import forms
from django.forms import formset_factory
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import uploads
from enterprises.models import Industry

from .choices import RATING_LEVELS, DispatchStatus, Urgency
from .models import DemandCategory, WorkingGroup

# What check_upload allows, for the file pickers' accept= (the server checks again, by content).
ACCEPT = ",".join(f".{ext}" for ext in uploads.DOCUMENTS)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by services.check_upload."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control", "accept": ACCEPT}))
        kwargs.setdefault("required", False)
        # An empty file passes here so that services.check_upload refuses it by its name.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _please_fill(label):
    return gettext("请填写%(label)s") % {"label": label}


def _text(label, *, required=True, rows=3, message=None, placeholder=""):
    # Fields are built at import time: the default message stays lazy so it follows the request's language.
    return forms.CharField(
        label=label, required=required, strip=True,
        widget=forms.Textarea(attrs={"rows": rows, "class": "form-control", "placeholder": placeholder}),
        error_messages={"required": message or lazy(_please_fill, str)(label)})


def _date():
    # type=date inputs only take ISO dates, whatever the locale's display format is.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"})


def _radio():
    return forms.RadioSelect(attrs={"class": "form-check-input"})


def _checks():
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def _categories():
    return DemandCategory.objects.filter(is_active=True)


class DemandForm(forms.Form):
    category = forms.ModelChoiceField(label=_("诉求类别"), queryset=_categories(), empty_label=_("请选择"),
                                      widget=forms.Select(attrs={"class": "form-select"}),
                                      error_messages={"required": _("请选择诉求类别")})
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL,
                                widget=_radio(), help_text=_("重大紧急事项将同时直报相关委领导"))
    title = forms.CharField(label=_("标题"), max_length=200, strip=True,
                            widget=forms.TextInput(attrs={"class": "form-control",
                                                          "placeholder": _("一句话说明诉求")}),
                            error_messages={"required": _("请填写诉求标题")})
    description = _text(_("诉求内容"), required=False, rows=5, placeholder=_("背景、诉求、希望的解决方式"))
    attachments = MultipleFileField(label=_("附件"), help_text=_("PDF、JPG、PNG、Word、Excel, 可多选"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()


class VisitDemandForm(forms.Form):
    """One demand raised during a visit; a blank row is skipped."""

    category = forms.ModelChoiceField(label=_("类别"), queryset=_categories(), required=False,
                                      empty_label=_("类别"),
                                      widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL,
                                widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    title = forms.CharField(label=_("诉求标题"), max_length=200, required=False, strip=True,
                            widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    description = forms.CharField(label=_("内容"), required=False, strip=True,
                                  widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()

    def clean(self):
        data = super().clean()
        if data.get("title") and not data.get("category"):
            self.add_error("category", gettext("请选择诉求类别"))
        if data.get("description") and not data.get("title"):
            self.add_error("title", gettext("请填写诉求标题"))
        return data


# absolute_max: a POST claiming 100,000 forms (TOTAL_FORMS) builds at most ten.
VisitDemandFormSet = formset_factory(VisitDemandForm, extra=3, max_num=10, absolute_max=10)


class VisitForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=None, empty_label=_("请选择"),
                                        widget=forms.Select(attrs={"class": "form-select"}),
                                        error_messages={"required": _("请选择走访的企业")})
    visited_on = forms.DateField(label=_("走访日期"), widget=_date(),
                                 error_messages={"required": _("请填写走访日期")})
    people_met = forms.CharField(label=_("接待人员"), max_length=200, required=False,
                                 widget=forms.TextInput(attrs={"class": "form-control",
                                                               "placeholder": _("姓名、职务")}))
    notes = _text(_("走访情况"), required=False, rows=4, placeholder=_("生产经营、发展规划、困难问题"))
    output_value = forms.DecimalField(label=_("产值(万元)"), required=False, min_value=0, max_digits=14,
                                      decimal_places=2,
                                      widget=forms.NumberInput(attrs={"class": "form-control"}))
    employees = forms.IntegerField(label=_("从业人数"), required=False, min_value=0,
                                   widget=forms.NumberInput(attrs={"class": "form-control"}))
    orders = forms.DecimalField(label=_("在手订单(万元)"), required=False, min_value=0, max_digits=14,
                                decimal_places=2, widget=forms.NumberInput(attrs={"class": "form-control"}))
    policies = forms.ModelMultipleChoiceField(label=_("宣讲政策"), queryset=None, required=False,
                                              widget=forms.SelectMultiple(attrs={
                                                  "class": "form-select", "size": 8,
                                                  # A searchable picker that works by touch (Tom Select).
                                                  "data-picker": "multi",
                                                  "data-no-results": _("没有匹配的政策")}))

    def __init__(self, *args, enterprises, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["policies"].queryset = policies


class PolicyForm(forms.Form):
    title = forms.CharField(label=_("政策名称"), max_length=200, strip=True,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    issuing_body = forms.CharField(label=_("发文单位"), max_length=100,
                                   widget=forms.TextInput(attrs={"class": "form-control"}))
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False,
                                      widget=forms.TextInput(attrs={"class": "form-control"}))
    summary = _text(_("政策要点"), required=False, rows=5)
    industries = forms.ModelMultipleChoiceField(label=_("适用行业"), queryset=Industry.objects.all(),
                                                required=False,
                                                widget=_checks(),
                                                help_text=_("不选表示适用全部行业"))
    valid_from = forms.DateField(label=_("生效日期"), widget=_date())
    valid_to = forms.DateField(label=_("失效日期"), required=False,
                               widget=_date())
    link = forms.URLField(label=_("原文链接"), required=False, assume_scheme="https",
                          widget=forms.URLInput(attrs={"class": "form-control"}))
    file = forms.FileField(label=_("政策文件"), required=False,
                           widget=forms.ClearableFileInput(attrs={"class": "form-control"}))


# --- the action forms on the demand page ----------------------------------------------------------

class CommentForm(forms.Form):
    comment = _text(_("意见"), required=False, rows=2)


class AnswerForm(forms.Form):
    answer = _text(_("答复内容"), message=_("请填写答复内容"))


class ReasonForm(forms.Form):
    reason = _text(_("退回原因"), message=_("请填写退回原因"))


class DispatchForm(forms.Form):
    working_groups = forms.ModelMultipleChoiceField(
        label=_("交办工作组"), queryset=WorkingGroup.objects.all(), required=False,
        widget=_checks(), help_text=_("可同时交办多个工作组并联办理"))
    comment = _text(_("交办意见"), required=False, rows=2)


class _DispatchPickForm(forms.Form):
    statuses = ()

    def __init__(self, *args, demand, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispatch"] = forms.ModelChoiceField(
            label=gettext("工作组"), queryset=demand.dispatches.filter(status__in=self.statuses),
            error_messages={"required": gettext("请选择工作组"),
                            "invalid_choice": gettext("该工作组当前不能办理这一步")})


class StartForm(_DispatchPickForm):
    statuses = (DispatchStatus.PENDING,)


class DispatchAnswerForm(_DispatchPickForm):
    statuses = (DispatchStatus.IN_PROGRESS,)
    answer = _text(_("答复内容"), message=_("请填写答复内容"), rows=4)
    attachments = MultipleFileField(label=_("答复附件"), help_text=_("PDF、JPG、PNG、Word、Excel, 可多选"))


class RedispatchForm(_DispatchPickForm):
    statuses = (DispatchStatus.PENDING, DispatchStatus.IN_PROGRESS)
    to_group = forms.ModelChoiceField(label=_("改派至"), queryset=WorkingGroup.objects.all(),
                                      widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                                      error_messages={"required": _("请选择改派的工作组")})
    reason = _text(_("改派原因"), message=_("请填写改派原因"), rows=2)


class RateForm(forms.Form):
    level = forms.ChoiceField(label=_("评价"), choices=[(r.value, r.label) for r in RATING_LEVELS],
                              widget=_radio(), error_messages={"required": _("请选择评价等级")})
    comment = _text(_("评价意见"), required=False, rows=2)


SEARCH_MAX = 100


def search_text(raw):
    """?q= on the demand lists and queues (a title, an enterprise's name or a number, #123), made
    safe to query: at most SEARCH_MAX characters, without a NUL byte or other control characters
    (PostgreSQL refuses a NUL in any text parameter, a 500). Never refused: a search that cannot
    match simply finds nothing."""
    text = "".join(ch for ch in (raw or "")[:SEARCH_MAX * 4] if ch.isprintable())
    return " ".join(text.split())[:SEARCH_MAX]


class PolicyFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    industry = forms.ModelChoiceField(label=_("行业"), queryset=Industry.objects.all(), required=False,
                                      empty_label=_("全部行业"))
    current = forms.BooleanField(label=_("仅现行有效"), required=False)

