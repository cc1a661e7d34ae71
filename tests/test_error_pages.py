"""When the server fails: a 500 page in the portal's style, a 503 while the database cannot be
reached, and JSON for the API — never Django's bare 'Server Error (500)'."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from portal.urls import urlpatterns as portal_patterns


def _boom(request):
    raise RuntimeError("a bug")


def _db_down(request):
    raise OperationalError("connection to server at 127.0.0.1 failed")


urlpatterns = [*portal_patterns, path("boom/", _boom), path("db-down/", _db_down),
               path("api/v1/boom/", _boom), path("api/v1/db-down/", _db_down)]
handler500 = "portal.errors.server_error"


@pytest.fixture
def failing(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_a_bug_shows_the_portals_500_page(failing, db):
    response = failing.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器出错了" in body and "返回首页" in body and "Server Error (500)" not in body


def test_an_unreachable_database_shows_503(failing, db):
    response = failing.get("/db-down/")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "数据库暂时无法连接" in response.content.decode()


def test_the_api_answers_json(failing, db):
    response = failing.get("/api/v1/boom/")
    assert response.status_code == 500 and response.json()["code"] == "server_error"
    response = failing.get("/api/v1/db-down/")
    assert response.status_code == 503 and response.json()["code"] == "unavailable"
