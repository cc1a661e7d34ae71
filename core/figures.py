"""How a list page shows "the rows behind a figure" of the leaders' dashboard (?figure=…): the
figure's own queryset (defined once in the domain's figures module) intersected with what the user
may see, and a banner that says what is shown and how to see the whole list again."""

from django.utils import timezone
from django.utils.translation import gettext

from .periods import parse_scope


def narrowed(request, rows, figure_rows):
    """(rows, banner): rows limited to ?figure=…'s, or unchanged (banner None) without one.

    figure_rows(scope, figure, today) returns a queryset (or a list of pks), or None for an
    unknown figure, which is reported and ignored.
    """
    figure = request.GET.get("figure", "")
    if not figure:
        return rows, None
    today = timezone.localdate()
    scope, _errors = parse_scope(request.GET, today)
    chosen = figure_rows(scope, figure, today)
    if chosen is None:
        return rows, {"error": gettext("未知的统计口径「%(figure)s」, 已显示全部") % {"figure": figure[:30]}}
    ids = chosen if isinstance(chosen, list) else chosen.values("pk")
    return rows.filter(pk__in=ids), {"figure": figure, "start": scope.start, "end": scope.end,
                                     "path": request.path}
