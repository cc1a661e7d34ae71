"""Forms of the organisation pages: the directory filter and the transfer forms."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Industry, ListStatus

from .models import Assignment, Commissioner


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="filter_q")
    industry = django_filters.ModelChoiceFilter(label=_("行业"), queryset=Industry.objects.all(),
                                                empty_label=_("全部行业"))
    list_status = django_filters.ChoiceFilter(label=_("名单类别"), choices=ListStatus.choices,
                                              empty_label=_("全部类别"))
    commissioner = django_filters.ModelChoiceFilter(label=_("服务专员"), method="filter_commissioner",
                                                    queryset=Commissioner.objects.none(),
                                                    empty_label=_("全部专员"))

    class Meta:
        model = Enterprise
        fields = ["q", "industry", "list_status", "commissioner"]

    def __init__(self, *args, commissioners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if commissioners is not None:
            self.filters["commissioner"].queryset = commissioners
        else:
            del self.filters["commissioner"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_commissioner(self, queryset, name, value):
        served = Assignment.objects.active().filter(commissioner=value).values("enterprise_id")
        return queryset.filter(pk__in=served)


class CommissionerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user}({obj.group})"


class TransferForm(forms.Form):
    """移交一家企业: to another commissioner of the leader's groups."""

    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), widget=forms.HiddenInput)
    to_commissioner = CommissionerChoiceField(label=_("移交给"), queryset=Commissioner.objects.none())
    reason = forms.CharField(label=_("移交原因"), max_length=200)

    def __init__(self, *args, enterprises, commissioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["to_commissioner"].queryset = commissioners.filter(is_active=True)


class TransferAllForm(forms.Form):
    """全部移交: every enterprise of one commissioner to another (a commissioner leaves)."""

    from_commissioner = CommissionerChoiceField(label=_("移交人"), queryset=Commissioner.objects.none())
    to_commissioner = CommissionerChoiceField(label=_("接收人"), queryset=Commissioner.objects.none())
    reason = forms.CharField(label=_("移交原因"), max_length=200)

    def __init__(self, *args, commissioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_commissioner"].queryset = commissioners
        self.fields["to_commissioner"].queryset = commissioners.filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        giver, taker = cleaned.get("from_commissioner"), cleaned.get("to_commissioner")
        if giver and giver == taker:
            raise forms.ValidationError(_("移交人与接收人不能是同一名专员"))
        return cleaned


class GroupFilter(django_filters.FilterSet):
    """本组企业: filter the group's active assignments."""

    q = django_filters.CharFilter(label=_("名称或信用代码"), method="filter_q")
    commissioner = django_filters.ModelChoiceFilter(label=_("服务专员"), queryset=Commissioner.objects.none(),
                                                    empty_label=_("全部专员"))

    class Meta:
        model = Assignment
        fields = ["q", "commissioner"]

    def __init__(self, *args, commissioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["commissioner"].queryset = commissioners

    def filter_q(self, queryset, name, value):
        return queryset.filter(enterprise__in=Enterprise.objects.search(value))
