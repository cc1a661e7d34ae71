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
