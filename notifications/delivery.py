"""Sending deliveries: claim a row, call its channel, record the attempt.

Nothing here holds a transaction across a network call (and on SQLite, the write lock): a row
is claimed with a conditional UPDATE (pending → sending, with a lease), sent, then recorded. A
worker killed mid-send leaves a `sending` row whose lease expires; `deliveries_due` hands it
out again. Delivery is at least once: a crash between the send and the record can repeat one
message, never lose one.
"""

import datetime as dt
import logging
import uuid
from collections import defaultdict

from celery.utils.time import get_exponential_backoff_interval
from django.db.models import F, Q
from django.utils import timezone

from .channels import DeliveryError, get_channel
from .models import Delivery, DeliveryStatus

log = logging.getLogger(__name__)

# The retry policy, shared with the `deliver` task's decorator so that Celery's countdown and
# the row's next_attempt_at agree: 30 s, 1, 2, 4, 8, 16 min, then failed.
MAX_RETRIES = 6
MAX_ATTEMPTS = MAX_RETRIES + 1
RETRY_BACKOFF = 30
RETRY_BACKOFF_MAX = 3600
# Longer than any channel's timeout: a claim older than this belongs to a dead worker.
SENDING_LEASE = dt.timedelta(minutes=10)
# Celery's retry may arrive a moment before the row's next_attempt_at (clocks, rounding).
CLAIM_SLACK = dt.timedelta(seconds=5)
# A pending row younger than this still has its own task on the way.
RETRY_GRACE = dt.timedelta(minutes=2)
BATCH = 500


class DeliveryRetry(Exception):
    """Raised after a failed attempt was recorded and another one is due later (next_at), with
    the attempts made so far."""

    def __init__(self, reason, *, next_at=None, attempts=0):
        super().__init__(reason)
        self.next_at, self.attempts = next_at, attempts


def backoff(attempts):
    seconds = get_exponential_backoff_interval(RETRY_BACKOFF, attempts - 1, RETRY_BACKOFF_MAX, False)
    return dt.timedelta(seconds=seconds)


def _claimable(now):
    return (
        Q(status=DeliveryStatus.PENDING, next_attempt_at__isnull=True)
        | Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now + CLAIM_SLACK)
        | Q(status=DeliveryStatus.SENDING, next_attempt_at__lt=now)
    )


def _claim(queryset, now):
    token = uuid.uuid4()
    claimed = queryset.update(status=DeliveryStatus.SENDING, claim=token, attempts=F("attempts") + 1,
                              next_attempt_at=now + SENDING_LEASE)
    return token if claimed else None


def delivery_attempt(*, delivery_id):
    """One attempt at one delivery. Returns "sent", "failed" or "skipped"; raises DeliveryRetry."""
    now = timezone.now()
    token = _claim(Delivery.objects.filter(pk=delivery_id).filter(_claimable(now)), now)
    if token is None:
        return "skipped"  # sent already, held, failed for good, or another worker has it
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    return _send(delivery.channel, token, [delivery], retry_status=DeliveryStatus.PENDING)


def deliveries_attempt(*, delivery_ids):
    """One attempt at each delivery: {id: (outcome, next attempt due, retries used)}, where a
    "retry" has recorded its failure and is due again at that time."""
    outcomes = {}
    for delivery_id in delivery_ids:
        try:
            outcomes[delivery_id] = (delivery_attempt(delivery_id=delivery_id), None, 0)
        except DeliveryRetry as retry:  # recorded already: its due time and attempts come with it
            outcomes[delivery_id] = ("retry", retry.next_at, retry.attempts - 1)
    return outcomes


def _send(channel_code, token, deliveries, *, retry_status):
    notifications = [d.notification for d in deliveries]
    try:
        get_channel(channel_code).send(recipient=notifications[0].recipient, notifications=notifications)
    except DeliveryError as exc:
        return _record_failure(token, exc, retry_status=retry_status)
    Delivery.objects.filter(claim=token, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None)
    return "sent"


def _record_failure(token, exc, *, retry_status):
    rows = Delivery.objects.filter(claim=token, status=DeliveryStatus.SENDING)
    attempts = max(rows.values_list("attempts", flat=True), default=MAX_ATTEMPTS)
    log.warning("delivery attempt %s failed: %s", attempts, exc.reason)
    if not exc.retry or attempts >= MAX_ATTEMPTS:
        rows.update(status=DeliveryStatus.FAILED, last_error=exc.reason, next_attempt_at=None)
        return "failed"
    next_at = timezone.now() + backoff(attempts)
    rows.update(status=retry_status, last_error=exc.reason, next_attempt_at=next_at)
    if retry_status == DeliveryStatus.PENDING:
        raise DeliveryRetry(exc.reason, next_at=next_at, attempts=attempts) from exc
    return "retry"


def deliveries_due(*, now=None, limit=BATCH):
    """Ids of deliveries whose own task was lost (broker down, worker killed) or is overdue."""
    now = now or timezone.now()
    due = (
        Q(status=DeliveryStatus.PENDING, next_attempt_at__isnull=True, created_at__lte=now - RETRY_GRACE)
        | Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now - RETRY_GRACE)
        | Q(status=DeliveryStatus.SENDING, next_attempt_at__lt=now)
    )
    return list(Delivery.objects.filter(due).order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


def digests_send(*, now=None, limit=BATCH):
    """Send held deliveries whose quiet hours are over: one message per person and channel.

    Idempotent: each group is claimed with a conditional UPDATE before it is sent, so two runs
    at once send each held notification once. Returns the number of messages sent.
    """
    now = now or timezone.now()
    held = (Delivery.objects.filter(status=DeliveryStatus.HELD, next_attempt_at__lte=now)
            .select_related("notification__recipient").order_by("notification__created_at", "pk")[:limit])
    groups = defaultdict(list)
    for delivery in held:
        groups[(delivery.channel, get_channel(delivery.channel).digest_key(delivery))].append(delivery.pk)
    return sum(_digest_send(code, ids, now) == "sent" for (code, _key), ids in groups.items())


def _digest_send(channel_code, ids, now):
    rows = Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.HELD, next_attempt_at__lte=now)
    token = _claim(rows, now)
    if token is None:
        return "skipped"
    claimed = list(Delivery.objects.filter(claim=token).select_related("notification__recipient")
                   .order_by("notification__created_at", "pk"))
    return _send(channel_code, token, claimed, retry_status=DeliveryStatus.HELD)
