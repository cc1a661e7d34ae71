from django import forms
from django.utils.translation import gettext_lazy as _


class SuperviseForm(forms.Form):
    comment = forms.CharField(
        label=_("督办意见"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm",
                                     "placeholder": _("例如: 请于两个工作日内办结并报送结果")}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("办理情况"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm",
                                     "placeholder": _("已采取的措施、进展和预计办结时间")}),
    )


class CloseForm(forms.Form):
    """The leader's answer to a reply: 满意 (close), or 继续督办 with a new instruction."""

    outcome = forms.ChoiceField(label=_("督办结果"), choices=[("close", _("满意, 办结督办")),
                                                            ("continue", _("继续督办"))])
    instruction = forms.CharField(
        label=_("督办意见"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "continue" and not (data.get("instruction") or "").strip():
            self.add_error("instruction", _("继续督办请填写督办意见"))
        return data
