"""Role × page matrix: every persona on every organisation page, and the transfer forms."""

import pytest
from django.urls import reverse

from commissioners.models import Assignment, OrgEvent
from tests import factories as f

OK, NOT_FOUND = 200, 404
PERSONAS = ("alice", "bob", "carol", "dave", "gary", "grace", "betty", "wendy", "adam", "leo", "root")
SEE_ALL = {"betty", "wendy", "leo", "root"}

# page → personas that get 200; every other persona gets 404
MATRIX = {
    "directory": {"carol", "dave", "gary", "grace"} | SEE_ALL,
    "profile_a": {"alice", "carol", "gary"} | SEE_ALL,
    "profile_b": {"bob", "dave", "grace"} | SEE_ALL,
    "mine": {"alice", "bob"},
    "my_enterprises": {"carol", "dave"},
    "group": {"gary", "grace"},
}


def served_by(enterprise):
    return Assignment.objects.active().get(enterprise=enterprise).commissioner.user


def url_for(page, personas):
    return {
        "directory": lambda: reverse("enterprises:directory"),
        "profile_a": lambda: reverse("enterprises:profile", args=[personas.enterprise_a.pk]),
        "profile_b": lambda: reverse("enterprises:profile", args=[personas.enterprise_b.pk]),
        "mine": lambda: reverse("enterprises:mine"),
        "my_enterprises": lambda: reverse("commissioners:my_enterprises"),
        "group": lambda: reverse("commissioners:group"),
    }[page]()


@pytest.mark.parametrize("page", MATRIX)
@pytest.mark.parametrize("persona", PERSONAS)
def test_role_page_matrix(client, personas, persona, page):
    client.force_login(getattr(personas, persona))
    response = client.get(url_for(page, personas))
    assert response.status_code == (OK if persona in MATRIX[page] else NOT_FOUND)


@pytest.mark.parametrize("page", MATRIX)
def test_anonymous_users_are_sent_to_log_in(client, personas, page):
    response = client.get(url_for(page, personas))
    assert response.status_code == 302 and reverse("login") in response.url


def test_unknown_enterprise_is_404(client, personas):
    client.force_login(personas.root)
    assert client.get(reverse("enterprises:profile", args=[999999])).status_code == NOT_FOUND


def test_enterprise_user_sees_only_its_own_data(client, personas):
    client.force_login(personas.alice)
    body = client.get(reverse("enterprises:mine")).content.decode()
    assert personas.enterprise_a.name in body and personas.enterprise_a.credit_code in body
    assert personas.enterprise_b.name not in body and str(personas.dave) not in body


def test_profile_shows_contacts_commissioner_history_and_leader(client, personas):
    personas.enterprise_a.contact_name = "王强"
    personas.enterprise_a.save()
    client.force_login(personas.betty)
    body = client.get(url_for("profile_a", personas)).content.decode()
    for text in ("王强", str(personas.carol), str(personas.gary), "李主任", "定点服务记录", "一企一档"):
        assert text in body, text


def test_directory_filters_and_search(client, personas):
    client.force_login(personas.betty)
    url = reverse("enterprises:directory")
    body = client.get(url, {"q": personas.enterprise_b.credit_code.lower()}).content.decode()
    assert personas.enterprise_b.name in body and personas.enterprise_a.name not in body
    body = client.get(url, {"industry": personas.enterprise_a.industry_id}).content.decode()
    assert personas.enterprise_a.name in body and personas.enterprise_b.name not in body
    dave = personas.dave.commissioner_profile
    body = client.get(url, {"commissioner": dave.pk}).content.decode()
    assert personas.enterprise_b.name in body and personas.enterprise_a.name not in body
    body = client.get(url, {"list_status": "attracted"}).content.decode()
    assert "没有符合条件的企业" in body


def test_commissioner_directory_shows_only_own_enterprises(client, personas):
    client.force_login(personas.carol)
    body = client.get(reverse("enterprises:directory")).content.decode()
    assert personas.enterprise_a.name in body and personas.enterprise_b.name not in body


def test_directory_is_paginated_by_50(client, personas):
    for _ in range(55):
        f.EnterpriseFactory()
    client.force_login(personas.betty)
    first = client.get(reverse("enterprises:directory"))
    assert len(first.context["page"].object_list) == 50 and first.context["page"].paginator.num_pages == 2
    assert "第 1–50 条, 共 57 条" in first.content.decode()


# --- transfers from the group leader's page ---------------------------------------------

@pytest.fixture
def colleague(personas):
    """A second commissioner in gary's group, who can take over carol's enterprises."""
    return f.CommissionerFactory(group=personas.carol.commissioner_profile.group, user__display_name="陈专员")


def transfer(client, personas, colleague, **data):
    payload = {"enterprise": personas.enterprise_a.pk, "to_commissioner": colleague.pk,
               "reason": "专员岗位调整"}
    return client.post(reverse("commissioners:group_transfer"), {**payload, **data})


def transfer_all(client, personas, colleague, **data):
    payload = {"from_commissioner": personas.carol.commissioner_profile.pk, "to_commissioner": colleague.pk,
               "reason": "专员调离"}
    return client.post(reverse("commissioners:group_transfer_all"), {**payload, **data})


@pytest.mark.parametrize("action", [transfer, transfer_all])
@pytest.mark.parametrize("persona", PERSONAS)
def test_transfer_matrix(client, personas, colleague, persona, action):
    client.force_login(getattr(personas, persona))
    response = action(client, personas, colleague)
    if persona == "gary":
        assert response.status_code == 302 and response.url == reverse("commissioners:group")
        assert served_by(personas.enterprise_a) == colleague.user
    else:
        assert response.status_code == NOT_FOUND
        assert served_by(personas.enterprise_a) == personas.carol


def test_transfer_success_message_and_history(client, personas, colleague):
    client.force_login(personas.gary)
    response = transfer(client, personas, colleague, next_query="q=%E7%94%B2")
    assert response.url == reverse("commissioners:group") + "?q=%E7%94%B2"
    body = client.get(response.url).content.decode()
    assert "已将“甲新材料有限公司”移交给“陈专员”" in body
    assert OrgEvent.objects.filter(action="transfer", enterprise=personas.enterprise_a).exists()


def test_transfer_all_success_message(client, personas, colleague):
    client.force_login(personas.gary)
    body = client.get(transfer_all(client, personas, colleague).url).content.decode()
    assert "服务的 1 家企业全部移交给“陈专员”" in body


def test_group_leader_cannot_transfer_to_another_groups_commissioner(client, personas):
    client.force_login(personas.gary)
    dave = personas.dave.commissioner_profile
    response = transfer(client, personas, dave)
    assert response.status_code == 302
    body = client.get(response.url).content.decode()
    assert "移交未完成" in body
    assert served_by(personas.enterprise_a) == personas.carol


def test_transfer_without_reason_is_refused(client, personas, colleague):
    client.force_login(personas.gary)
    body = client.get(transfer(client, personas, colleague, reason="").url).content.decode()
    assert "移交未完成" in body
    assert not OrgEvent.objects.exists()


def test_group_leader_cannot_move_another_groups_enterprise(client, personas, colleague):
    client.force_login(personas.gary)
    assert transfer(client, personas, colleague, enterprise=personas.enterprise_b.pk).status_code == NOT_FOUND
    assert transfer_all(client, personas, colleague,
                        from_commissioner=personas.dave.commissioner_profile.pk).status_code == NOT_FOUND


def test_transfers_only_accept_post(client, personas):
    client.force_login(personas.gary)
    assert client.get(reverse("commissioners:group_transfer")).status_code == 405


def test_group_page_lists_commissioners_and_enterprises(client, personas, colleague):
    client.force_login(personas.gary)
    body = client.get(reverse("commissioners:group")).content.decode()
    assert str(personas.carol) in body and "陈专员" in body and personas.enterprise_a.name in body
    assert personas.enterprise_b.name not in body
