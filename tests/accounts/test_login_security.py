"""Locked doors at the login (issue 15): lock-out, demo log-ins, password rules, session limits."""

import io
import re
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.middleware import LOGGED_IN_AT, SEEN_AT
from tests.factories import PASSWORD, UserFactory

LOCKED = "登录失败次数过多, 已暂停登录 15 分钟"


def _login(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_for_every_address(client, personas):
    for attempt in range(4):
        response = _login(client, "alice", "wrong", address=f"10.0.0.{attempt + 1}")
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    response = _login(client, "alice", "wrong", address="10.0.0.5")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    # The right password, from an address that never failed, is refused too: no session.
    response = _login(client, "alice", PASSWORD, address="10.9.9.9")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_from_one_address_lock_that_address(client, personas):
    for name in ("u1", "u2", "u3", "u4", "u5"):
        _login(client, name, "wrong", address="10.0.0.7")
    response = _login(client, "bob", PASSWORD, address="10.0.0.7")
    assert response.status_code == 429
    assert _login(client, "bob", PASSWORD, address="10.0.0.8").status_code == 302


def test_the_lockout_does_not_tell_whether_the_account_exists(client, personas):
    answers = []
    for name in ("alice", "nobody-at-all"):
        for _ in range(6):
            response = _login(client, name, "wrong", address=f"10.1.{len(answers)}.1")
        page = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "TOKEN",
                      response.content.decode())
        answers.append((response.status_code, page.replace(name, "NAME")))
    assert answers[0][0] == answers[1][0] == 429
    assert answers[0][1] == answers[1][1]


def test_the_lockout_ends_after_15_minutes(client, personas, time_machine):
    time_machine.move_to("2026-03-02 09:00 +0800")
    for _ in range(5):
        _login(client, "alice", "wrong")
    time_machine.move_to("2026-03-02 09:14 +0800")
    assert _login(client, "alice", PASSWORD).status_code == 429
    time_machine.move_to("2026-03-02 09:16 +0800")
    assert _login(client, "alice", PASSWORD).status_code == 302


def test_an_admin_unlocks_an_account(client, personas):
    for _ in range(5):
        _login(client, "alice", "wrong")
    attempt = AccessAttempt.objects.get(username="alice")
    admin = client.__class__()
    admin.force_login(personas.root)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "alice" in admin.get(changelist).content.decode()
    response = admin.post(changelist, {"action": "delete_selected", "_selected_action": [attempt.pk],
                                       "post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert _login(client, "alice", PASSWORD, address="10.0.0.1").status_code == 302


@pytest.mark.parametrize("debug", [False])
def test_demo_password_is_refused_when_debug_is_off(client, personas, settings, debug):
    settings.DEBUG = debug
    demo = UserFactory(username="demo_enterprise", roles=["enterprise"])
    demo.set_password(settings.DEMO_PASSWORD)
    demo.save()
    response = _login(client, "demo_enterprise", settings.DEMO_PASSWORD)
    assert response.status_code == 200 and "演示账号只能在演示环境" in response.content.decode()
    assert "_auth_user_id" not in client.session
    settings.DEBUG = True
    assert _login(client, "demo_enterprise", settings.DEMO_PASSWORD).status_code == 302


def test_seed_demo_locked_gives_demo_accounts_unusable_passwords(db, settings):
    from portal.demo.users import ensure_users

    settings.DEBUG = False
    users = ensure_users([{"username": "demo_bureau", "display_name": "局", "roles": ["bureau"]}])
    assert not users["demo_bureau"].has_usable_password()
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    request = RequestFactory().post("/login/")
    assert authenticate(request, username="demo_bureau", password=settings.DEMO_PASSWORD) is None


def test_seed_demo_still_refuses_without_locked_when_debug_is_off(db, settings):
    from django.core.management import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--locked"):
        call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.parametrize("password", ["alice", "alice@example.com", "1234567890123", "password123",
                                      "short9!"])
def test_weak_passwords_are_refused(personas, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=personas.alice)


def test_a_ten_character_passphrase_passes(personas):
    validate_password("河堤-柳绿-2026", user=personas.alice)
    validate_password("grey-otter-41", user=personas.alice)


def _age_session(client, *, logged_in_ago, seen_ago):
    session = client.session
    now = int(time.time())
    session[LOGGED_IN_AT], session[SEEN_AT] = now - logged_in_ago, now - seen_ago
    session.save()


@pytest.mark.parametrize(("logged_in_ago", "seen_ago", "still_in"), [
    (3600, 60, True),
    (3600, 31 * 60, False),  # 30 minutes idle
    (12 * 3600 + 60, 10, False),  # 12 hours after log-in, however busy
])
def test_sessions_end_after_12_hours_or_30_minutes_idle(client, personas, logged_in_ago, seen_ago,
                                                         still_in):
    client.force_login(personas.alice)
    _age_session(client, logged_in_ago=logged_in_ago, seen_ago=seen_ago)
    response = client.get(reverse("approvals:project_list"))
    assert (response.status_code == 200) is still_in
    if not still_in:
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_session_limits_are_configurable(client, personas, settings):
    settings.SESSION_IDLE_SECONDS = 5 * 60
    client.force_login(personas.alice)
    _age_session(client, logged_in_ago=600, seen_ago=400)
    assert client.get(reverse("approvals:project_list")).status_code == 302
