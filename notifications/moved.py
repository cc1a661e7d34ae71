"""Telling people that the calendar moved their deadlines: one notice per person and change.

A notice or a day corrected in the calendar can move hundreds of thousands of deadlines, each
held by several people (a stage: its enterprise's users and its approvers). Each person gets one
notification for the change — a digest saying why the calendar changed, how many of their
deadlines moved, the first DIGEST_ITEMS of them (earliest new date first: label, old → new,
link), "及另外 N 项" and where they see them all — never one per deadline.

The work is per group of people, not per person. A source splits the people of a deadline into
parts that see their deadlines in one place (`see_all` of workdays.hooks.MovedDeadline: an
enterprise's users → its project list, a policy's approvers → their queue), one object per part
shared by all its deadlines. The deadlines are gathered per part (a few list appends per
deadline), each part's count and first items found once, and everyone whose parts are the same
gets the same digest: one message (one batch) with them all as recipients, written with
notify_each — one INSERT for the notifications and one INSERT … SELECT for their deliveries per
PEOPLE_BATCH people.
"""

import heapq
from itertools import islice
from operator import attrgetter

from django.db import transaction

from .channels import absolute_url
from .models import Level
from .services import notify_each

# Deadlines a digest lists (three short lines each, readable on a phone); the rest are counted.
DIGEST_ITEMS = 10
# Notifications per INSERT.
PEOPLE_BATCH = 2000
TITLE_MAX = 200  # Notification.title

_new_due_on = attrgetter("new_due_on")


@transaction.atomic
def moved_deadlines_notify(*, reason, moved):
    """Tell each person whose deadlines moved when the calendar changed (`reason` says how), once.

    `moved` is workdays.hooks.recompute_deadlines()'s answer: {source: [MovedDeadline, ...]}.
    Returns the number of notifications written (one per person told)."""
    parts = _parts(moved)
    written, messages, people = 0, [], 0
    for held, recipients in _people(parts).items():
        for start in range(0, len(recipients), PEOPLE_BATCH):
            chunk = recipients[start:start + PEOPLE_BATCH]
            message = digest(reason, [parts[key] for key in held])
            messages.append({"recipients": chunk, "level": Level.INFO, **message})
            people += len(chunk)
            if people >= PEOPLE_BATCH:
                written += len(notify_each(messages))
                messages, people = [], 0
    return written + len(notify_each(messages))


class Part:
    """Deadlines held by the same people, who see them all at `see_all`: their count and the
    first DIGEST_ITEMS by the new date."""

    def __init__(self, see_all, deadlines):
        self.see_all, self.count, self.first = see_all, len(deadlines), deadlines[:DIGEST_ITEMS]
        # Each listed deadline's lines, formatted once for the part, not once per person told.
        self.lines = {id(deadline): _item_lines(deadline) for deadline in self.first}


def _item_lines(deadline):
    """A deadline's lines in a digest that lists several: label, old → new, link."""
    lines = f"· {deadline.label}\n  {deadline.old_due_on.isoformat()} → {deadline.new_due_on.isoformat()}"
    if deadline.url:
        lines += f"\n  {absolute_url(deadline.url)}"
    return lines


def _parts(moved):
    """{(see_all url, user ids): Part} of every moved deadline, by its see_all parts (a
    deadline without them: one part of its notify_user_ids, seen nowhere in particular). The
    deadlines are sorted by the new date once (a stable sort: a source's own order within a day),
    so each part's list is in that order."""
    lists = {}
    for deadline in sorted((d for found in moved.values() for d in found), key=_new_due_on):
        for key in deadline.see_all or (("", deadline.notify_user_ids),):
            found = lists.get(key)
            if found is None:
                lists[key] = [deadline]
            else:
                found.append(deadline)
    return {key: Part(key[0], deadlines) for key, deadlines in lists.items()}


def _people(parts):
    """{(part keys): [user ids]}: the people with the same parts, who get the same digest."""
    held = {}
    for key in parts:
        for user_id in key[1]:
            held.setdefault(user_id, []).append(key)
    people = {}
    for user_id, keys in held.items():
        people.setdefault(tuple(keys), []).append(user_id)
    return people


def digest(reason, parts):
    """The title, body and link of a notice about the deadlines of `parts`. One deadline reads as
    it always did and links to it; more are listed up to DIGEST_ITEMS, and the link goes where the
    person sees them all (the first part's see_all that has one)."""
    count = sum(part.count for part in parts)
    first = list(islice(heapq.merge(*(part.first for part in parts), key=_new_due_on), DIGEST_ITEMS))
    if count == 1:
        [deadline] = first
        return {"title": f"期限调整: {deadline.label}"[:TITLE_MAX], "link": deadline.url,
                "body": (f"{reason}, 期限由 {deadline.old_due_on:%Y-%m-%d} "
                         f"调整为 {deadline.new_due_on:%Y-%m-%d}。")}
    see_all = next((part.see_all for part in parts if part.see_all), "")
    lines = [f"{reason}, 您的 {count} 个期限随之调整 (按新期限先后):"]
    formatted = parts[0].lines if len(parts) == 1 else {k: v for part in parts for k, v in part.lines.items()}
    lines += [formatted[id(deadline)] for deadline in first]
    if count > len(first):
        where = f", 全部见 {absolute_url(see_all)}" if see_all else "。"
        lines.append(f"及另外 {count - len(first)} 项{where}")
    return {"title": f"期限调整: 您的 {count} 个期限随工作日历调整", "body": "\n".join(lines),
            "link": see_all}
