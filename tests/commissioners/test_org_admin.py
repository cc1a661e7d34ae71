"""Admin of the organisation: every page loads; writes with a service go through it."""

import pytest
from django.urls import reverse

from commissioners.models import Assignment, OrgEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

MODELS = ["enterprises_industry", "enterprises_enterprise", "enterprises_enterprisemember",
          "commissioners_leader", "commissioners_workinggroup", "commissioners_commissionergroup",
          "commissioners_commissioner", "commissioners_assignment", "commissioners_orgevent"]


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.root)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_changelists_load(admin_client, model):
    assert admin_client.get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_org_events_are_read_only(admin_client):
    assert admin_client.get(reverse("admin:commissioners_orgevent_add")).status_code == 403


def test_new_assignment_in_admin_goes_through_the_service(admin_client, personas):
    enterprise = f.EnterpriseFactory()
    response = admin_client.post(reverse("admin:commissioners_assignment_add"), {
        "commissioner": personas.carol.commissioner_profile.pk, "enterprise": enterprise.pk,
        "is_primary": "on", "started_on": "2026-03-02", "reason": "新入库",
    })
    assert response.status_code == 302
    assert Assignment.objects.get(enterprise=enterprise).created_by == personas.root
    assert OrgEvent.objects.filter(action="assign", enterprise=enterprise).exists()


def test_second_active_assignment_is_refused_in_admin(admin_client, personas):
    response = admin_client.post(reverse("admin:commissioners_assignment_add"), {
        "commissioner": personas.dave.commissioner_profile.pk, "enterprise": personas.enterprise_a.pk,
        "is_primary": "on", "started_on": "2026-03-02", "reason": "",
    })
    assert response.status_code == 200 and "该企业已有在岗主责专员" in response.content.decode()


def test_pairing_in_admin_records_events(admin_client, personas):
    leo = personas.leader
    response = admin_client.post(reverse("admin:commissioners_leader_change", args=[leo.pk]), {
        "user": leo.user_id, "title": leo.title, "order": 0,
        "industries": [personas.enterprise_a.industry_id],
        "paired_enterprises": [personas.enterprise_b.pk],
    })
    assert response.status_code == 302
    assert list(leo.paired_enterprises.all()) == [personas.enterprise_b]
    assert set(OrgEvent.objects.values_list("action", "enterprise")) == {
        ("pair", personas.enterprise_b.pk), ("unpair", personas.enterprise_a.pk)}
