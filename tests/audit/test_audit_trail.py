"""The audit trail (issue 15): who, when, from where, on what; read-only; searchable and exported."""

import pytest
from django.urls import reverse

from audit.models import Action, AuditEntry
from tests.approvals import factories as af
from tests.factories import PASSWORD


def _login(client, username, password, address="10.2.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_logins_and_failed_logins_are_recorded_with_address(client, personas):
    _login(client, "alice", "wrong")
    _login(client, "alice", PASSWORD)
    failed, ok = AuditEntry.objects.order_by("id")
    assert (failed.action, failed.username, failed.actor, failed.address) == (
        Action.LOGIN_FAILED, "alice", None, "10.2.0.1")
    assert (ok.action, ok.actor, ok.address, ok.path) == (
        Action.LOGIN, personas.alice, "10.2.0.1", "/login/")
    assert "wrong" not in str(list(AuditEntry.objects.values()))


def test_a_lockout_is_recorded(client, personas):
    for _ in range(5):
        _login(client, "bob", "wrong")
    assert AuditEntry.objects.filter(action=Action.LOCKED_OUT, username="bob").exists()


def test_a_permission_denial_is_recorded(client, personas):
    client.force_login(personas.alice)
    response = client.get(reverse("approvals:queue"), REMOTE_ADDR="10.2.0.9")
    assert response.status_code == 403
    entry = AuditEntry.objects.get(action=Action.DENIED)
    assert (entry.actor, entry.address, entry.path) == (
        personas.alice, "10.2.0.9", reverse("approvals:queue"))


def test_a_material_download_is_recorded_with_its_object(client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = af.make_project(actor=personas.alice, enterprise=personas.enterprise_a, code="A-DL")
    stage = af.stage_of(project, 1)
    af.upload_materials(stage, personas.alice, key_only=True)
    material = stage.materials.first()
    client.force_login(personas.alice)
    response = client.get(reverse("approvals:material_download", args=[material.pk]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=Action.DOWNLOAD)
    assert (entry.actor, entry.object_type, entry.object_id, entry.object_repr) == (
        personas.alice, "approvals:material_download", str(material.pk), material.original_name)


def test_an_admin_change_is_recorded(client, personas):
    client.force_login(personas.root)
    url = reverse("admin:accounts_user_change", args=[personas.bob.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update({"username": "bob", "display_name": "鲍勃", "date_joined_0": "2026-01-01",
                 "date_joined_1": "09:00:00", "groups": [g.pk for g in personas.bob.groups.all()]})
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    data.pop("password", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    entry = AuditEntry.objects.get(action=Action.ADMIN_CHANGE)
    assert (entry.actor, entry.object_type, entry.object_id) == (
        personas.root, "accounts.user", str(personas.bob.pk))


def test_entries_are_read_only(personas):
    entry = AuditEntry.objects.create(action=Action.LOGIN, actor=personas.alice, username="alice")
    entry.detail = "changed"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_the_admin_searches_and_exports(client, personas):
    AuditEntry.objects.create(action=Action.LOGIN_FAILED, username="mallory", address="10.3.0.1")
    AuditEntry.objects.create(action=Action.LOGIN, username="alice", address="10.3.0.2")
    client.force_login(personas.root)
    changelist = reverse("admin:audit_auditentry_changelist")
    body = client.get(changelist, {"q": "mallory"}).content.decode()
    assert "mallory" in body and "10.3.0.2" not in body and "导出 CSV" in body
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    response = client.get(reverse("admin:audit_auditentry_export"), {"action__exact": "login_failed"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("时间,事件,用户名,来源地址") and len(lines) == 2 and "mallory" in lines[1]


def test_only_admins_see_the_trail(client, personas):
    client.force_login(personas.leo)
    assert client.get(reverse("admin:audit_auditentry_export")).status_code == 302
