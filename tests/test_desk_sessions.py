"""Desk sessions (issue 18 item 8): `next` stays on this site, the server can end a
session (logout, a new password, a disabled or removed user), the login throttle counts
failures, and the client's address comes from X-Forwarded-For only behind a trusted proxy."""

from __future__ import annotations

import pytest

from pipeline.desk import users as U
from pipeline.desk.app import create_app
from pipeline.desk.sessions import FailureThrottle, safe_next

from desk_support import PASSWORDS, USERS, make_env
from test_desk import login, token


@pytest.fixture
def env(tmp_path):
    env = make_env(tmp_path)
    yield env
    env.desk.close()


@pytest.mark.parametrize("target, kept", [
    ("/review", True),
    ("/register?q=a&page=2", True),
    ("/%09/evil.example", True),  # as it arrives still encoded: a path on this site
    ("/\t/evil.example", False),  # decoded: a browser drops the tab and reads //evil.example
    ("//evil.example", False),
    ("/\\evil.example", False),
    ("https://evil.example/", False),
    ("javascript:alert(1)", False),
    ("review", False),
    ("", False),
])
def test_next_is_only_a_path_on_this_site(target, kept):
    assert (safe_next(target) == target) is kept


def test_login_with_a_tab_in_next_goes_home_not_elsewhere(env):
    c = env.app.test_client()
    page = c.get("/login").get_data(as_text=True)
    r = c.post("/login?next=/%09/evil.example", data={"csrf_token": token(page), "username": USERS["ppid"],
                                                      "password": PASSWORDS["ppid"]})
    assert r.status_code == 302 and r.headers["Location"] == "/"


def _copied_cookie(c) -> str:
    return c.get_cookie("ppid_desk").value


@pytest.mark.parametrize("end", ["logout", "password", "disabled", "removed"])
def test_a_copied_session_cookie_stops_working_when_the_session_is_ended(env, end):
    c = env.app.test_client()
    login(c, "ppid")
    assert c.get("/review").status_code == 200
    thief = env.app.test_client()
    thief.set_cookie("ppid_desk", _copied_cookie(c))
    assert thief.get("/review").status_code == 200
    if end == "logout":
        page = c.get("/review").get_data(as_text=True)
        assert c.post("/logout", data={"csrf_token": token(page)}).status_code == 302
    elif end == "password":
        U.set_password(env.settings.users, USERS["ppid"], "kata-sandi-baru-123")
    elif end == "disabled":
        U.set_disabled(env.settings.users, USERS["ppid"], True)
    else:
        U.remove(env.settings.users, USERS["ppid"])
    r = thief.get("/review")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_the_throttle_counts_failures_per_account_and_address():
    t = FailureThrottle(per_pair=3, per_address=10, window=60)
    for _ in range(3):
        assert t.wait("yosefina", "10.0.0.9") == 0
        t.failed("yosefina", "10.0.0.9")
    assert t.wait("yosefina", "10.0.0.9") > 0  # this pair waits
    assert t.wait("yosefina", "10.0.0.2") == 0  # the PPID at her own PC does not
    assert t.wait("yuliana", "10.0.0.9") == 0
    for _ in range(50):
        t.succeeded("yuliana", "10.0.0.3")
    assert t.wait("yuliana", "10.0.0.3") == 0  # successes never count


@pytest.mark.parametrize("proxies, peer, forwarded, seen", [
    ([], "127.0.0.1", "203.0.113.9", "127.0.0.1"),  # no proxy configured: the header is ignored
    (["127.0.0.1"], "127.0.0.1", "203.0.113.9", "203.0.113.9"),
    (["127.0.0.1"], "10.0.0.5", "203.0.113.9", "10.0.0.5"),  # not from the proxy: ignored
    (["10.0.0.0/24"], "10.0.0.5", "198.51.100.1, 203.0.113.9", "203.0.113.9"),
])
def test_the_client_address_comes_from_a_trusted_proxy_only(env, proxies, peer, forwarded, seen):
    from flask import request

    env.settings.trusted_proxies = proxies
    app = create_app(env.settings, desk=env.desk)

    @app.get("/_addr")
    def addr():
        return request.remote_addr or ""

    r = app.test_client().get("/_addr", headers={"X-Forwarded-For": forwarded}, environ_base={"REMOTE_ADDR": peer})
    assert r.get_data(as_text=True) == seen


@pytest.mark.slow  # starts the desk as a process, with LibreOffice warm
def test_ppid_desk_serves_through_waitress_on_localhost(tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from desk_support import ROOT

    U.add(tmp_path / "records" / "users.json", "yosefina", "ppid", PASSWORDS["ppid"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "desk", "--inbox-root", str(tmp_path / "inbox"),
                             "--records", str(tmp_path / "records"), "--out", str(tmp_path / "out"),
                             "--config", str(ROOT / "config"), "--templates", str(ROOT / "templates"),
                             "--port", str(port), "--threads", "3", "--workers", "1"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    body, server = r.read().decode(), r.headers.get("Server")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the desk did not answer")
        assert server == "ppid-desk" and "Masuk ke Meja Layanan PPID" in body
    finally:
        proc.terminate()
        out = proc.communicate(timeout=60)[0]
    assert "(3 threads)" in out and f"http://127.0.0.1:{port}/" in out and "Traceback" not in out
