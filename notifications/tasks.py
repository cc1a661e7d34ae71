"""Thin Celery tasks: take ids, call one service. Retry policy lives on the decorators."""

from celery import shared_task

from . import delivery, services
from .sweep import sweep_run


@shared_task(
    name="notifications.deliver",
    acks_late=True,
    autoretry_for=(delivery.DeliveryRetry,),
    retry_backoff=delivery.RETRY_BACKOFF,
    retry_backoff_max=delivery.RETRY_BACKOFF_MAX,
    retry_jitter=False,  # the row's next_attempt_at is computed with the same formula
    max_retries=delivery.MAX_RETRIES,
)
def deliver(delivery_id):
    return delivery.delivery_attempt(delivery_id=delivery_id)


@shared_task(name="notifications.deliver_batch", acks_late=True)
def deliver_batch(delivery_ids):
    """A batch of deliveries, one attempt each (idempotent: a row sent, held or claimed by
    another worker is skipped). One that fails and may be retried goes on as its own `deliver`
    task at the time its row says, with the retries it has used, so the back-off is the same."""
    outcomes = delivery.deliveries_attempt(delivery_ids=delivery_ids)
    for delivery_id, (outcome, due_at, retries) in outcomes.items():
        if outcome == "retry":
            deliver.apply_async((delivery_id,), eta=due_at, retries=retries)
    return {outcome: sum(o == outcome for o, _due, _retries in outcomes.values())
            for outcome in ("sent", "failed", "skipped", "retry")}


@shared_task(name="notifications.deliveries_retry_pending", acks_late=True)
def deliveries_retry_pending():
    return services.deliveries_retry_pending()


@shared_task(name="notifications.digests_send", acks_late=True)
def digests_send():
    return delivery.digests_send()


@shared_task(name="notifications.sweep", acks_late=True)
def sweep():
    run = sweep_run()
    return None if run is None else {"counts": run.counts, "errors": run.errors}
