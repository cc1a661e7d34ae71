"""One pass of the clock sweep, so that the demo opens with its warnings, escalations and inboxes
(beat runs the next pass ten minutes after it starts)."""

from django.utils import timezone

from notifications.sweep import sweep_run


def step(*, rng, progress):
    progress("预警巡检", 0, 1)
    sweep_run(now=timezone.now())
    progress("预警巡检", 1, 1)
