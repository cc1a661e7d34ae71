"""Fixtures for the domain sweeps: pinned clocks, department heads, one sweep run as beat runs it.

The dates are 2026's: Mid-Autumn Festival Fri 09-25 (with the weekend 09-26/27), National Day
10-01..10-07, and Sat 10-10 an adjusted working day (调休). Working days from Tue 09-22 on:

    09-23  09-24  09-28  09-29  09-30  10-08  10-09  10-10*  10-12  10-13  10-14
"""

import datetime as dt
import importlib
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps

from approvals.models import Department
from notifications import tasks
from notifications.models import Notification
from tests import factories as f

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date

# Rows the data migrations write; a transactional test's flush takes them away.
SEEDS = (
    ("accounts.migrations.0002_roles", "create_roles"),
    ("approvals.migrations.0002_seed_policy", "seed"),
    ("commissioners.migrations.0003_seed_categories_and_limits", "seed"),
    ("portal.migrations.0002_heartbeat_schedule", "schedule"),
    ("notifications.migrations.0002_periodic_tasks", "schedule"),
)


def restore_seeds():
    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)


def at(text):
    """An aware Shanghai datetime: at("2026-10-09 20:00")."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@contextmanager
def clock(text):
    with time_machine.travel(at(text), tick=False):
        yield


@pytest.fixture
def seeded(db):
    """Policies, demand limits and roles present even after an earlier transactional test's flush."""
    restore_seeds()


@pytest.fixture
def approvers(personas, seeded):
    """adam and amy approve in every department; hank heads 发改 (fgw), hana 自然资源和规划 (zrzy)."""
    amy = f.UserFactory(username="amy", roles=["approver"])
    heads = {"fgw": f.UserFactory(username="hank", roles=["approver"]),
             "zrzy": f.UserFactory(username="hana", roles=["approver"])}
    for department in Department.objects.all():
        department.members.add(personas.adam, amy)
        if department.code in heads:
            department.head = heads[department.code]
            department.save(update_fields=["head"])
    return personas.adam, amy


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the beat's sweep task now (eager), then the deliveries it queued after commit."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            result = tasks.sweep()
        assert result is not None and result["errors"] == {}, result
        return result["counts"]

    return run


def recipients(escalation):
    return {n.recipient.username for n in escalation.notifications.select_related("recipient")}


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def mailed(mailoutbox):
    """{username: [subject, ...]} of what was e-mailed (usernames are the address's local part).

    Leaves out the calendar watch's reminders to admins: from 10-01 the same beat sweep reminds
    them weekly to load next year's holiday notice, which has nothing to do with these clocks.
    """
    out = {}
    for message in mailoutbox:
        if "年节假日安排" in message.subject:
            continue
        for address in message.to:
            out.setdefault(address.split("@")[0], []).append(message.subject)
    return out


@pytest.fixture(scope="module")
def reseed_after_flush(django_db_blocker):
    """For modules of transactional tests: after the module, put the migrations' rows back."""
    with django_db_blocker.unblock():
        yield
        restore_seeds()
