"""The command centre's filters, from the query string: the period and five dimensions.

Every figure honours them; every link to a list carries them (Scope.params), so a filtered view
can be bookmarked and shared and the list behind a number holds exactly the counted rows. A bad
value is reported beside its filter and ignored, never a 500.
"""

from dataclasses import replace

from django.utils.translation import gettext, gettext_lazy

from approvals.models import ProjectCategory
from commissioners.models import CommissionerGroup, WorkingGroup
from core.periods import PERIODS, parse_scope
from enterprises.models import Industry, ListStatus


def choices():
    """The filter form's options: [(value, label)] per filter (five small queries)."""
    return {
        "period": list(PERIODS.items()),
        "category": list(ProjectCategory.objects.order_by("order", "pk").values_list("code", "name")),
        "industry": list(Industry.objects.order_by("pk").values_list("pk", "name")),
        "list_status": list(ListStatus.choices),
        "working_group": list(WorkingGroup.objects.order_by("order", "pk").values_list("code", "name")),
        "commissioner_group": list(CommissionerGroup.objects.order_by("pk").values_list("pk", "name")),
    }


# The filters in the order the form shows them, each with its label (translated where shown).
LABELS = {"period": gettext_lazy("统计期间"), "category": gettext_lazy("项目类别"),
          "industry": gettext_lazy("行业"), "list_status": gettext_lazy("名单类别"),
          "working_group": gettext_lazy("工作组"), "commissioner_group": gettext_lazy("专员小组")}


def parse(params, today, options):
    """(Scope, {filter: message}) from a QueryDict; `options` is choices()."""
    scope, period_errors = parse_scope(params, today)
    errors = {"period": " ".join(period_errors)} if period_errors else {}
    for name, label in LABELS.items():
        if name == "period":
            continue
        raw = params.get(name, "")
        value = getattr(scope, name)
        known = {str(key) for key, _label in options[name]}
        if raw and (value in ("", None) or str(value) not in known):
            errors[name] = gettext("未知的%(what)s「%(value)s」, 已忽略") % {"what": label,
                                                                        "value": str(raw)[:30]}
            scope = replace(scope, **{name: None if name in ("industry", "commissioner_group") else ""})
    return scope, errors
