"""Notifications, escalations and sweep runs are shown in the admin, written only by services."""

from django.contrib.auth.models import Group
from django.urls import reverse

from notifications.services import escalation_raise


def test_admin_may_look_but_not_rewrite_an_escalation(client, personas):
    escalation = escalation_raise(
        obj=Group.objects.create(name="阶段"),
        level="red",
        recipients=[personas.carol],
        title="红色超期",
        body="已超期 1 个工作日",
    )
    client.force_login(personas.root)
    url = reverse("admin:notifications_escalation_change", args=[escalation.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(url, {"supervision_comment": "后台改写"}).status_code == 403
    escalation.refresh_from_db()
    assert escalation.supervised_at is None and escalation.supervision_comment == ""
    for name in ("notification", "escalation", "sweeprun"):
        assert client.get(reverse(f"admin:notifications_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:notifications_{name}_add")).status_code == 403
