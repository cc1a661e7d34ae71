from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay
from .notice import kind_problem


class NoticeUploadForm(forms.Form):
    file = forms.FileField(label=_("通知 CSV 文件"),
                           help_text=_("每行 date,kind,name; 表头可有可无; UTF-8 或 GBK 编码"))
    dry_run = forms.BooleanField(label=_("仅预演 (不写入, 只报告将变动的日历与期限)"), required=False,
                                 initial=True)


class CalendarDayForm(forms.ModelForm):
    """One day edited by hand: its kind must fit its weekday, as in a notice file."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date") or self.instance.date
        kind = cleaned.get("kind")
        problem = kind and day and kind_problem(day, kind)
        if problem:
            self.add_error("kind", problem)
        return cleaned
