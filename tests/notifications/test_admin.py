"""The admin lists notifications, deliveries, escalations and sweep runs; a delivery can be resent.
Notifications, escalations and sweep runs are written only by services: the admin shows them."""

import pytest
from django.urls import reverse

from notifications.models import Channel, Delivery, DeliveryStatus, Escalation, SweepRun
from notifications.services import escalation_raise


@pytest.fixture
def recorded(personas, subject, office_hours, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        escalation_raise(obj=subject, level="red", recipients=[personas.carol], title="某阶段已超期", body="")
    SweepRun.objects.create(started_at="2026-11-25T10:00:00+08:00", counts={"a": {"red": 1}})


@pytest.mark.parametrize("model", ["notification", "delivery", "escalation", "sweeprun"])
def test_changelists_render(client, personas, recorded, model):
    client.force_login(personas.root)
    response = client.get(reverse(f"admin:notifications_{model}_changelist"))
    assert response.status_code == 200


def test_admin_resends_a_failed_delivery(client, personas, recorded, mailoutbox,
                                         django_capture_on_commit_callbacks):
    email = Delivery.objects.get(channel=Channel.EMAIL)
    Delivery.objects.filter(pk=email.pk).update(status=DeliveryStatus.FAILED, last_error="x")
    client.force_login(personas.root)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:notifications_delivery_changelist"),
                               {"action": "retry_now", "_selected_action": [email.pk]})
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == DeliveryStatus.SENT and len(mailoutbox) == 2


def test_admin_may_look_but_not_rewrite_an_escalation(client, personas, recorded):
    escalation = Escalation.objects.get()
    client.force_login(personas.root)
    url = reverse("admin:notifications_escalation_change", args=[escalation.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(url, {"supervision_comment": "后台改写"}).status_code == 403
    escalation.refresh_from_db()
    assert escalation.supervised_at is None and escalation.supervision_comment == ""
    for name in ("notification", "escalation", "sweeprun"):
        assert client.get(reverse(f"admin:notifications_{name}_add")).status_code == 403
