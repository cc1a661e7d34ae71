"""Where the 护商通 procedure hands events to delivery.

Called after commit (transaction.on_commit) with event ids only. For now each function only
logs; the notifications issue fills them (in-app inbox, e-mail, webhook, quiet hours) without
the services having to change.
"""

import logging

log = logging.getLogger(__name__)


def demand_event_recorded(event_id):
    """Every DemandEvent, once committed: the outbox the inbox is built from."""
    log.debug("demand event %s recorded", event_id)


def urgent_demand_reported(event_id):
    """A 重大紧急 demand was submitted: reach the leaders listed in the event's detail at once."""
    log.info("urgent demand reported (event %s): leaders to reach are in its detail", event_id)
