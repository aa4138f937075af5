"""The desk's application factory (Flask, server-rendered, no script): settings in,
extensions and blueprints registered, nothing else. Each area's pages live in their own
module (auth, intake, mailin, review, records); pipeline/desk/README.md says how to add one."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from flask import Flask

from pipeline import public
from pipeline.delivery.index import index_path

from . import auth, delivery_views, errors, i18n, intake, mailin, pages, records, review, sessions
from . import mail as M
from .state import Desk, Settings

SESSION_HOURS = 10  # a working day
BLUEPRINTS = [auth.bp, intake.bp, mailin.bp, review.bp, records.bp]


def _secret_key(records_dir: Path) -> bytes:
    """The session signing key, made once and kept in the records folder (owner only)."""
    path = records_dir / ".desk-secret"
    if not path.exists():
        from pipeline.files import write

        write(path, secrets.token_bytes(32))
    return path.read_bytes()


def create_app(settings: Settings, *, desk: Desk | None = None, config: dict | None = None) -> Flask:
    from flask_wtf.csrf import CSRFProtect

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=_secret_key(settings.records),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_NAME="ppid_desk",
        REMEMBER_COOKIE_DURATION=dt.timedelta(0),
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
        MAX_CONTENT_LENGTH=M.MAX_EML + 1024 * 1024,  # a message of the largest size read, and the form
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
        **(config or {}),
    )
    app.extensions["desk"] = desk or Desk(settings)
    app.extensions["desk_settings"] = settings
    app.extensions["desk_throttle"] = sessions.FailureThrottle()
    CSRFProtect(app)
    i18n.init(app)
    sessions.login_manager().init_app(app)
    errors.init(app)
    pages.install(app)
    for bp in BLUEPRINTS + list((config or {}).get("DESK_BLUEPRINTS", [])):
        app.register_blueprint(bp)
    delivery_views.register(app)  # hand-overs, refused e-mails, receipts (spec section 9)
    public.register(app, index_path(settings.records))  # /cek, no login (spec section 7)
    if settings.trusted_proxies:
        app.wsgi_app = sessions.TrustedProxies(app.wsgi_app, settings.trusted_proxies)
    return app
