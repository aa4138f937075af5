"""Who is logged in, and for how long: Flask-Login sessions that the server can end, a
login throttle that counts failures, a `next` that stays on this site, and the client's
address behind a trusted reverse proxy only."""

from __future__ import annotations

import ipaddress
import re
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from flask import current_app
from flask_login import LoginManager, UserMixin

from . import users as U

FAILURES_PER_PAIR = 5  # wrong passwords for one account from one address, per window
FAILURES_PER_ADDRESS = 20  # wrong passwords from one address, whatever the account
FAILURE_WINDOW_S = 300.0


@dataclass
class DeskUser(UserMixin):
    name: str
    role: str
    epoch: int

    def get_id(self) -> str:
        # the session names the user and the counter it was made under: a raised counter ends it
        return f"{self.name}:{self.epoch}"


def user_from_id(user_id: str) -> DeskUser | None:
    name, _, epoch = (user_id or "").rpartition(":")
    path = current_app.extensions["desk_settings"].users
    role = U.role_of(path, name)
    if role is None or str(U.epoch(path, name)) != epoch:
        return None
    return DeskUser(name, role, int(epoch))


def login_manager() -> LoginManager:
    lm = LoginManager()
    lm.user_loader(user_from_id)
    lm.login_view = "auth.login"
    lm.login_message = None  # the login page says itself why it is shown
    lm.session_protection = "basic"
    return lm


class FailureThrottle:
    """Wrong passwords counted per (account, address) and per address, in memory. A
    success clears its pair; only failures count, so a shared front-office PC where
    many log in is never throttled, and a stranger elsewhere cannot lock an account out."""

    def __init__(self, per_pair: int = FAILURES_PER_PAIR, per_address: int = FAILURES_PER_ADDRESS,
                 window: float = FAILURE_WINDOW_S):
        self.per_pair, self.per_address, self.window = per_pair, per_address, window
        self.fails: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def _keys(self, account: str, address: str) -> list[tuple[str, int]]:
        return [(f"pair:{account}|{address}", self.per_pair), (f"addr:{address}", self.per_address)]

    def wait(self, account: str, address: str) -> float:
        """0 when a login may be tried now, else the seconds to wait."""
        now = time.monotonic()
        wait = 0.0
        with self.lock:
            for key, limit in self._keys(account, address):
                q = self.fails[key]
                while q and now - q[0] > self.window:
                    q.popleft()
                if len(q) >= limit:
                    wait = max(wait, self.window - (now - q[0]))
        return wait

    def failed(self, account: str, address: str) -> None:
        now = time.monotonic()
        with self.lock:
            for key, _ in self._keys(account, address):
                self.fails[key].append(now)

    def succeeded(self, account: str, address: str) -> None:
        with self.lock:
            self.fails.pop(f"pair:{account}|{address}", None)


_SAFE_PATH = re.compile(r"^/(?![/\\])[A-Za-z0-9/_.~%?=&+:;,@-]*$")


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None: no scheme, no host, no
    `//` or `/\\` (which browsers read as another host), no control characters or spaces
    (browsers drop a tab, so `/\\t/evil.example` would become `//evil.example`)."""
    if not target or len(target) > 512 or not _SAFE_PATH.match(target):
        return None
    return target


class TrustedProxies:
    """WSGI middleware: the client's address and scheme from X-Forwarded-For/-Proto, only
    when the connection comes from one of the configured proxies; anyone else's headers
    are ignored."""

    def __init__(self, app, proxies: list[str]):
        from werkzeug.middleware.proxy_fix import ProxyFix

        self.app = app
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=0)
        self.nets = [ipaddress.ip_network(p, strict=False) for p in proxies]

    def __call__(self, environ, start_response):
        try:
            peer = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
        except ValueError:
            peer = None
        if peer is not None and any(peer in n for n in self.nets):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)
