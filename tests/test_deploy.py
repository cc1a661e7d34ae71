"""Production settings (issue 15): `check --deploy` is clean, and DEBUG off turns the doors on."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

BASE = str(settings.BASE_DIR)


def _production(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PORTAL_TESTING")}
    env.update({"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(64),
                "ALLOWED_HOSTS": "hst.example.gov.cn", "VAR_DIR": str(tmp_path), "PORTAL_TESTING": "false",
                **extra})
    return env


def _run(tmp_path, *args, **extra):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE, env=_production(tmp_path, **extra),
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_has_no_warning_under_production_settings(tmp_path):
    result = _run(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_debug_off_brings_production_defaults_and_the_environment_overrides_them(tmp_path):
    code = ("from django.conf import settings as s; import json; print('SETTINGS', json.dumps(["
            "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER,"
            " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE]))")

    def read(**extra):
        out = _run(tmp_path, "shell", "-c", code, **extra).stdout
        return json.loads(out.split("SETTINGS", 1)[1])

    defaults = read()
    assert defaults == [True, 31536000, ["HTTP_X_FORWARDED_PROTO", "https"], True, True]
    custom = read(SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="600",
                  SECURE_PROXY_SSL_HEADER="HTTP_X_SCHEME,https")
    assert custom[:3] == [False, 600, ["HTTP_X_SCHEME", "https"]]


def test_debug_off_without_a_secret_key_refuses_to_start(tmp_path):
    env = _production(tmp_path)
    del env["SECRET_KEY"]
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
