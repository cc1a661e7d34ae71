"""一企一档's timeline: entries from several apps, grouped by month, newest first, one page at a time.

The apps that own the history (approvals, commissioners) each give a `Source`: `entries()` lists
every entry the viewer may see with only what ordering needs (kind, key, latest time, number of
events folded into it), in one query; `fill(entries)` fetches what one page shows, in a fixed
number of queries. So a page costs the same few queries for an enterprise with ten events or
with thousands. This module imports no app: the profile's template tag (dashboard) hands it the
sources.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.utils import timezone

PER_PAGE = 20


@dataclass
class Entry:
    kind: str  # "approval" (a project's events of one month, folded), "demand", "visit", "org"
    key: object  # what `fill` looks the entry up by (a project id, a demand id …)
    at: dt.datetime  # its latest event: entries are ordered by it, newest first
    count: int = 1  # events folded into the entry
    month: dt.date | None = None  # first day of the entry's month (local time); from `at` if None
    # filled for the page shown:
    title: str = ""
    url: str = ""
    status: str = ""
    events: list = field(default_factory=list)  # the folded events: dicts with at, title, status
    obj: object = None  # the row itself, where the page's template words it (an org event)

    def __post_init__(self):
        if self.month is None:
            self.month = month_of(self.at)

    @property
    def folded(self):
        return self.count > 1 or len(self.events) > 1


@dataclass(frozen=True)
class Source:
    entries: Callable[[], list]
    fill: Callable[[list], None]


@dataclass
class Month:
    month: dt.date
    entries: list


def month_of(moment):
    """First day of the month `moment` falls in, in the site's time zone (a date stays a date)."""
    if isinstance(moment, dt.datetime):
        moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment.replace(day=1)


def month_bounds(month):
    """[start, end) of a month as aware datetimes, for filtering events of one folded entry."""
    start = timezone.make_aware(dt.datetime.combine(month, dt.time.min))
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, timezone.make_aware(dt.datetime.combine(following, dt.time.min))


def timeline_page(sources, number, *, per_page=PER_PAGE):
    """The page `number` asks for (the last when past the end; the first when not a number), with
    `page.months`: [Month(month, entries)], newest first, its entries filled in by their sources."""
    tagged = [(entry, source) for source in sources for entry in source.entries()]
    tagged.sort(key=lambda pair: (pair[0].month, pair[0].at, pair[0].kind, str(pair[0].key)), reverse=True)
    page = Paginator(tagged, per_page).get_page(number)
    for source in sources:
        mine = [entry for entry, owner in page.object_list if owner is source]
        if mine:
            source.fill(mine)
    page.months = []
    for entry, _ in page.object_list:
        if not page.months or page.months[-1].month != entry.month:
            page.months.append(Month(entry.month, []))
        page.months[-1].entries.append(entry)
    return page
