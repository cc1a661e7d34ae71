from django.core.paginator import Paginator


def paginate(request, rows, per_page):
    """The page of `rows` that ?page= asks for (the last one when it is past the end)."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
