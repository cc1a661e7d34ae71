"""Links to many rows of one view, reversed once (reverse costs microseconds a call; a sweep or a
notice may name hundreds of thousands of rows)."""

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = "987654321"


def url_parts(viewname):
    """(before, after): reverse(viewname, args=[pk]) is before + str(pk) + after."""
    before, after = reverse(viewname, args=[int(_MARKER)]).split(_MARKER)
    return before, after


def url_maker(viewname):
    """A function pk -> reverse(viewname, args=[pk]), the URL's fixed parts read once."""
    before, after = url_parts(viewname)
    return lambda pk: f"{before}{pk}{after}"


@lru_cache(maxsize=256)
def _parts_under(viewname, prefix, urlconf):
    return url_parts(viewname)  # reversed under that prefix and urlconf: they are the key


def link(viewname, pk):
    """reverse(viewname, args=[pk]) for an integer pk, the URL's fixed parts read once per
    process (and script prefix): what a list's {% url %} per row costs, without the reverse."""
    if type(pk) is not int:
        return reverse(viewname, args=[pk])
    before, after = _parts_under(viewname, get_script_prefix(), get_urlconf())
    return f"{before}{pk}{after}"
