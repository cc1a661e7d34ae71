"""The stage clock, as DESIGN.md "The clocks" states it (the law's way of counting periods).

- The day of acceptance is not counted: day 1 is the first working day after it.
- A pause from day P to day R holds workdays_between(P, R) working days: P itself still
  counts (the file was with the government that day), R does not (the enterprise resubmitted
  that day); counting resumes on the next working day.
- due_on = add_workdays(accepted_on, budget + paused working days).
- used = workdays_between(accepted_on, finished_on) - paused working days.
- A 容缺 commitment is due add_workdays(accepted_on, the working days granted).
- The project's category limit (60/50/24 working days for all four stages) holds while this
  stage runs until limit_due_on = add_workdays(accepted_on, limit - used by the project's
  other stages + paused working days); the project is over it once a working day has passed
  after that day (limit_due_on <= workdays_back(today, 1), the same as
  used_before + used(stage) > limit).
All dates are Asia/Shanghai local dates.
"""

from workdays import add_workdays, is_provisional, workdays_back, workdays_between


def due_on(*, accepted_on, budget, paused):
    return add_workdays(accepted_on, budget + paused)


def limit_due_on(*, accepted_on, limit, used_before, paused):
    """The last day the project stays within its category `limit` while this stage runs, given
    the working days its other stages used (`used_before`) and this stage's paused working days.

    Over the limit on `today` <=> used_before + used(stage, today) > limit
    <=> limit_due_on <= over_limit_line(today). When the other stages alone used more than the
    limit, the project is over from the acceptance on: the day before the last working day up to
    it (workdays_back(accepted_on, 1)), which every later line reaches."""
    if accepted_on is None:
        return None
    left = limit - used_before
    if left < 0:
        return workdays_back(accepted_on, 1)
    return add_workdays(accepted_on, left + paused)


def over_limit_line(today):
    """Stages whose limit_due_on is on or before this day have run their project over its limit
    by `today` (a working day has passed after it)."""
    return workdays_back(today, 1)


COMMITMENT_MAX_WORKDAYS = 60  # the longest 容缺 commitment an approver may grant


def commitment_due_on(*, accepted_on, workdays):
    """容缺: the missing non-key materials are due `workdays` working days after acceptance."""
    return add_workdays(accepted_on, workdays)


def pause_length(*, started_on, ended_on):
    return workdays_between(started_on, ended_on)


def used(stage, *, today):
    """Working days the government has held this stage's file so far (stored once finished)."""
    if stage.used_workdays is not None:
        return stage.used_workdays
    if stage.accepted_on is None:
        return 0
    # While a pause is open the clock stands still at its first day.
    end = min(today, stage.paused_since) if stage.paused_since else today
    return max(workdays_between(stage.accepted_on, end) - stage.paused_workdays, 0)


def remaining(stage, *, today):
    if stage.accepted_on is None:
        return stage.budget_workdays
    return stage.budget_workdays - used(stage, today=today)


def provisional(day):
    return bool(day) and is_provisional(day)
