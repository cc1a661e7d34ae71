"""Thin Celery tasks of the 护商通 procedure: take ids, call one service."""

from celery import shared_task
from django.utils import timezone

from .models import Demand
from .selectors.demands import demands_rating_overdue
from .services.demands import DemandError, demand_close_unrated


@shared_task(name="commissioners.demand_close_unrated", autoretry_for=(ConnectionError,), retry_backoff=True,
             max_retries=3)
def demand_close_unrated_task(demand_id):
    """Close one demand whose rating window ran out as 未评价; a demand rated meanwhile is left alone."""
    demand = Demand.objects.filter(pk=demand_id).first()
    if demand is None:
        return False
    try:
        demand_close_unrated(demand=demand)
    except DemandError:
        return False
    return True


@shared_task(name="commissioners.close_unrated_demands")
def close_unrated_demands():
    """Queue a close for every answered demand past its rating window (the sweep may call this)."""
    ids = list(demands_rating_overdue(timezone.localdate()).values_list("pk", flat=True))
    for demand_id in ids:
        demand_close_unrated_task.delay(demand_id)
    return len(ids)
