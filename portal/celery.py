"""The Celery app: one for web, worker and beat. Tasks live in each app's tasks.py."""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _fresh_calendar(**kwargs):
    # A long-lived worker must count with the calendar as it is now, not as it was when the
    # process started: check the calendar's version stamp before each task.
    from workdays.calendar import mark_stale

    mark_stale()
