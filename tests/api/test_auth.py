"""Token authentication: obtain (throttled), use, list, revoke; an admin's system account."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import ApiToken
from tests import factories as f

from .conftest import PASSWORD

URL = "/api/v1/auth/token/"


@pytest.fixture
def alice(personas):
    personas.alice.set_password(PASSWORD)
    personas.alice.save()
    return personas.alice


def test_password_for_a_token_that_then_authenticates(alice):
    client = APIClient()
    response = client.post(URL, {"username": "alice", "password": PASSWORD, "name": "省平台"}, format="json")
    assert response.status_code == 201 and len(response.json()["token"]) == 40
    token = ApiToken.objects.get()
    assert token.name == "省平台" and token.digest != response.json()["token"]  # only the hash is kept
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/projects/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("body", [{}, {"username": "alice"}, {"username": "alice", "password": "wrong"},
                                  {"username": "nobody", "password": PASSWORD}])
def test_missing_or_wrong_credentials_are_400(alice, body):
    response = APIClient().post(URL, body, format="json")
    assert response.status_code == 400 and "token" not in response.json()


def test_the_token_endpoint_is_throttled(alice, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth-token": "3/min"})
    client = APIClient()
    codes = [client.post(URL, {"username": "alice", "password": "wrong"}, format="json").status_code
             for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_a_bad_or_revoked_token_is_401(api, personas):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/projects/").status_code == 401
    alice = api("alice")
    (token,) = alice.get("/api/v1/auth/tokens/").json()
    assert alice.delete(f"/api/v1/auth/tokens/{token['id']}/").status_code == 204
    assert alice.get("/api/v1/projects/").status_code == 401


def test_an_inactive_users_token_stops_working(api, personas):
    client = api("bob")
    personas.bob.is_active = False
    personas.bob.save()
    assert client.get("/api/v1/projects/").status_code == 401


def test_profile_page_lists_creates_and_revokes_own_tokens(client, personas):
    from accounts.tokens import token_issue

    token_issue(user=personas.bob, name="乙的系统")
    client.force_login(personas.alice)
    page = client.post("/account/tokens/", {"name": "统计局企业名录"})
    assert page.status_code == 200
    mine = ApiToken.objects.get(user=personas.alice)
    html = page.content.decode()
    assert "统计局企业名录" in html and "乙的系统" not in html and 'id="issued-token"' in html
    assert client.get("/account/tokens/").content.decode().count('id="issued-token"') == 0
    foreign = ApiToken.objects.get(user=personas.bob)
    assert client.post(f"/account/tokens/{foreign.pk}/revoke/").status_code == 404
    assert client.post(f"/account/tokens/{mine.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.filter(user=personas.alice).exists()


def test_admin_issues_a_token_for_a_system_account(client, personas):
    system = f.UserFactory(username="city-dashboard", roles=["leader"])
    client.force_login(personas.root)
    response = client.post("/admin/accounts/apitoken/add/", {"user": system.pk, "name": "城市驾驶舱"},
                           follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get(user=system)
    message = next(str(m) for m in response.context["messages"])
    key = message.rsplit(" ", 1)[-1]
    assert token.prefix == key[:8]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/dashboard/summary/").status_code == 200


def test_command_issues_a_token_for_a_new_system_account(db, capsys):
    call_command("api_token_issue", "provincial-platform", "--role", "bureau", "--name", "省投资项目平台")
    key = capsys.readouterr().out.strip()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/demands/").status_code == 200
    assert api.get("/api/v1/dashboard/summary/").status_code == 403  # a bureau account, not a leader
