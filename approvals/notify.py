"""Where approval events leave the transaction. The notifications issue fills these in.

Services call these through transaction.on_commit, with ids only, so nothing is sent for a
transition that rolled back and a worker can reload the rows it needs.
"""


def stage_event_recorded(*, event_id):
    """A StageEvent was committed; the notifications app will turn it into inbox entries."""
    return None
