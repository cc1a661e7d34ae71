"""Calendar watch: from 1 October, admins hear weekly until next year's notice is loaded."""

import pytest
import time_machine

from notifications.calendar_watch import calendar_watch, year_to_load
from notifications.models import Notification
from tests import factories as f

from .conftest import at


def _reminders():
    return Notification.objects.filter(key__startswith="calendar-watch:")


@pytest.fixture
def admins(personas):
    return [personas.root, f.UserFactory(username="ops", roles=["admin"])]


def _watch(moment):
    with time_machine.travel(at(moment), tick=False):
        return calendar_watch(at(moment))


def test_nothing_before_october(admins):
    assert _watch("2026-09-30 10:00") == {"reminded": 0}


def test_admins_are_reminded_once_a_week(admins, personas):
    assert _watch("2026-10-05 10:00") == {"reminded": 2}
    assert _watch("2026-10-05 10:10") == {"reminded": 0}
    assert _watch("2026-10-11 23:50") == {"reminded": 0}  # still ISO week 41
    assert _watch("2026-10-12 08:00") == {"reminded": 2}
    assert set(_reminders().values_list("recipient__username", flat=True)) == {"root", "ops"}
    assert not _reminders().filter(recipient=personas.leo).exists()
    reminder = _reminders().first()
    assert "2027" in reminder.title and reminder.link.endswith("?year=2027")


def test_no_reminder_once_next_year_is_official(db):
    assert year_to_load(at("2025-10-06 10:00").date()) is None  # 2026 came with the package
    assert year_to_load(at("2026-10-06 10:00").date()) == 2027
