from django import forms
from django.utils.translation import gettext_lazy as _


class SuperviseForm(forms.Form):
    comment = forms.CharField(
        label=_("督办意见"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm",
                                     "placeholder": _("例如: 请于两个工作日内办结并报送结果")}),
    )
