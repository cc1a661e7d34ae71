"""The command centre's filters, from the query string: the period and five dimensions.

Every figure honours them; every link to a list carries them (Scope.params), so a filtered view
can be bookmarked and shared and the list behind a number holds exactly the counted rows. A bad
value is reported beside its filter and ignored, never a 500.
"""

from dataclasses import replace

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext, gettext_lazy

from approvals.models import ProjectCategory
from commissioners.models import CommissionerGroup, WorkingGroup
from core.periods import PERIODS, parse_scope
from enterprises.models import Industry, ListStatus


def _options(model, name, key, order, extra=None):
    """One part of choices()'s UNION: (filter, key as text, label, order, pk, extra number)."""
    return (model.objects.order_by()
            .annotate(f=Value(name), k=Cast(key, CharField()), o=F(order), x=extra or Value(0))
            .values_list("f", "k", "name", "o", "pk", "x"))


def choices():
    """The filter form's options: [(value, label)] per filter, and the project categories'
    limits ("limits": {code: working days}). One query (a UNION of the four small tables)."""
    rows = _options(ProjectCategory, "category", "code", "order", F("limit_workdays")).union(
        _options(Industry, "industry", "pk", "pk"), _options(WorkingGroup, "working_group", "code", "order"),
        _options(CommissionerGroup, "commissioner_group", "pk", "pk"), all=True)
    found = {"category": [], "industry": [], "working_group": [], "commissioner_group": []}
    limits = {}
    for name, key, label, _order, _pk, extra in sorted(rows, key=lambda row: (row[0], row[3], row[4])):
        found[name].append((int(key) if name in ("industry", "commissioner_group") else key, label))
        if name == "category":
            limits[key] = extra
    return {"period": list(PERIODS.items()), **found, "list_status": list(ListStatus.choices),
            "limits": limits}


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
