"""Fixtures for the notifications tests: a related object, pinned clocks, a webhook robot."""

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text):
    """An aware datetime in Shanghai: at("2026-11-25 10:00")."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def subject(db):
    """Something to warn about. notifications knows no domain model: any row will do."""
    return Group.objects.create(name="某审批阶段")


@pytest.fixture
def office_hours():
    """Wednesday 10:00 — nothing is held for quiet hours."""
    with time_machine.travel(at("2026-11-25 10:00"), tick=True) as traveller:
        yield traveller


class Robot:
    """A group robot on 127.0.0.1: answers each POST with the next scripted reply."""

    def __init__(self):
        self.replies, self.received = [], []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                robot.received.append(json.loads(body))
                status, delay, answer = robot.replies.pop(0) if robot.replies else (200, 0, {"errcode": 0})
                if delay:
                    time.sleep(delay)
                payload = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot/send?key=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reply(self, status=200, *, delay=0, answer=None):
        self.replies.append((status, delay, {"errcode": 0, "errmsg": "ok"} if answer is None else answer))


@pytest.fixture
def robot(settings):
    robot = Robot()
    robot.thread.start()
    settings.NOTIFY_WEBHOOK_URL = robot.url
    settings.NOTIFY_WEBHOOK_TIMEOUT = 0.5
    yield robot
    robot.server.shutdown()
    robot.server.server_close()
