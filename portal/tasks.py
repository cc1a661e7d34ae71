import logging
import socket

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from .models import Heartbeat

log = logging.getLogger(__name__)


@shared_task(name="portal.heartbeat")
def heartbeat():
    now = timezone.now()
    updated = Heartbeat.objects.filter(name="heartbeat").update(
        last_run_at=now, hostname=socket.gethostname(), runs=F("runs") + 1
    )
    if not updated:
        Heartbeat.objects.get_or_create(
            name="heartbeat", defaults={"last_run_at": now, "hostname": socket.gethostname(), "runs": 1}
        )
    log.info("heartbeat recorded at %s", now.isoformat())
    return now.isoformat()
