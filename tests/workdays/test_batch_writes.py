"""A source's writes a batch behind its reads (workdays.hooks.batch_writes): on PostgreSQL in
pipeline mode, so what the server refuses is answered late; it must still fail the change."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from workdays.hooks import batch_writes
from workdays.models import CalendarDay

pytestmark = pytest.mark.django_db

DAY, NEXT = dt.date(2026, 12, 8), dt.date(2026, 12, 9)


def _names():
    return dict(CalendarDay.objects.filter(date__in=[DAY, NEXT]).values_list("date", "name"))


def test_a_batch_is_written_once_the_next_is_read_and_all_by_the_end():
    with batch_writes() as writes:
        writes.add(CalendarDay, [CalendarDay(date=DAY, name="第一批")], ["name"])
        assert _names()[DAY] != "第一批"  # prepared, not sent: the next batch is read first
        writes.send()
        assert _names()[DAY] == "第一批"  # a read waits for the writes sent before it
        writes.add(CalendarDay, [CalendarDay(date=NEXT, name="第二批")], ["name"])
    assert _names() == {DAY: "第一批", NEXT: "第二批"}


def test_a_write_the_server_refuses_fails_the_change_as_django_s_error():
    before = _names()
    with pytest.raises(IntegrityError), transaction.atomic(), batch_writes() as writes:
        writes.add(CalendarDay, [CalendarDay(date=DAY, name="改了")], ["name"])
        writes.send()
        writes.add(CalendarDay, [CalendarDay(date=NEXT, name=None)], ["name"])  # NOT NULL
    assert _names() == before


def test_nothing_added_nothing_sent(django_assert_num_queries):
    with django_assert_num_queries(0), batch_writes() as writes:
        writes.send()
