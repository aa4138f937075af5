"""The public status page `/cek?no=…&kode=…` (spec sections 3, 7, 9): no login, no personal
data, rate-limited, Indonesian, readable on a phone.

It reads only the published index (pipeline.delivery.index: records/public/status-index.json),
never records/, so it can run alone on the office's web server (`ppid public`) as well as
inside the desk (`register(app, index_path)`). A wrong pair of number and code says only
that nothing was found.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict, deque
from pathlib import Path

from flask import Blueprint, Flask, current_app, render_template, request
from flask_babel import Babel
from flask_babel import gettext as _

from pipeline.delivery.index import Index, IndexUnavailable

LIMIT = 10  # look-ups a minute from one address: enough for a person, too few to guess codes
WINDOW_S = 60.0

bp = Blueprint("public", __name__, template_folder="templates", static_folder="static",
               static_url_path="/cek-static")


class Limiter:
    """At most LIMIT look-ups per address within WINDOW_S seconds (in memory)."""

    def __init__(self, limit: int = LIMIT, window: float = WINDOW_S):
        self.limit, self.window = limit, window
        self.hits: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self.lock:
            q = self.hits[key]
            while q and now - q[0] > self.window:
                q.popleft()
            if len(q) >= self.limit:
                return False
            q.append(now)
            return True


def status_label(status: str | None, outcome: str | None) -> str:
    labels = {
        "incomplete": _("Incomplete: requirements to be supplied"),
        "review": _("Being processed"),
        "answered": _("Answered"),
        "scheduled": _("Consultation scheduled"),
        "registered": _("Registered and being followed up"),
        "withdrawn": _("Withdrawn by the requester"),
    }
    return labels.get(status or "", _("Registered"))


def via_label(code: str | None) -> str:
    return {"email": _("e-mail"), "post": _("by post"), "whatsapp": _("WhatsApp"), "pickup": _("collected in person"),
            }.get(code or "", code or "")


def how_label(code: str | None) -> str:
    return {"dsn": _("delivery report of the recipient's mail server"), "reply": _("requester's confirmation"),
            "pickup": _("collected in person"), "post": _("post's proof of delivery"), "whatsapp": _("WhatsApp confirmation"),
            "email": _("requester's confirmation")}.get(code or "", code or "")


def _day(text: str | None) -> str:
    from pipeline.formatting import date_id

    if not text:
        return ""
    try:
        return date_id(dt.date.fromisoformat(str(text)[:10]))
    except ValueError:
        return ""


@bp.route("/cek", methods=["GET"])
def cek():
    no = (request.args.get("no") or "").strip()[:40]
    kode = (request.args.get("kode") or "").strip()[:20]
    if not no and not kode:
        current_app.extensions["ppid_public_index"].check()  # an unreadable index: 503 at once
        return render_template("public/cek.html", found=None, asked=False, no="", kode="")
    limiter: Limiter = current_app.extensions["ppid_public_limiter"]
    if not limiter.allow(request.remote_addr or "?"):
        return render_template("public/cek.html", found=None, asked=True, limited=True, no=no, kode=""), 429
    entry = current_app.extensions["ppid_public_index"].find(no, kode)
    if entry is None:
        return render_template("public/cek.html", found=None, asked=True, no=no, kode=""), 404
    from pipeline.delivery.message import label as letter_label
    from pipeline.wording import OUTCOME_LABELS, SERVICE_LABELS

    view = {
        "no": entry["no"], "service": SERVICE_LABELS.get(entry.get("service") or "", ""),
        "status": status_label(entry.get("status"), entry.get("outcome")),
        "outcome": OUTCOME_LABELS.get(entry.get("outcome") or "", "") if entry.get("status") == "answered" else "",
        "due": _day(entry.get("due")),
        "letters": [{"kind": letter_label(x["kind"]), "number": x["number"], "date": _day(x.get("date")),
                     "sent": (via_label(x.get("sent_via")) + ", " + _day(x.get("sent_on"))) if x.get("sent_on") else "",
                     "delivered": (_day(x.get("delivered_on")) + " (" + how_label(x.get("delivered_how")) + ")")
                     if x.get("delivered_on") else ""} for x in entry.get("letters") or []],
    }
    return render_template("public/cek.html", found=view, asked=True, no=no, kode="")


@bp.app_errorhandler(IndexUnavailable)
def unavailable(exc):
    """The index is being replaced or is damaged: say the service is being updated (503), never a traceback."""
    current_app.logger.warning("status page: %s", exc)
    return render_template("public/unavailable.html"), 503, {"Retry-After": "300"}


def register(app: Flask, index_path: Path) -> None:
    """Serve /cek in `app` from the published index at `index_path` (Indonesian, from the
    desk's catalog: msgids in English as the code is)."""
    if "babel" not in app.extensions:
        from pipeline.desk.i18n import TRANSLATIONS

        app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
        Babel(app, default_locale="id")
    app.extensions["ppid_public_index"] = Index(index_path)
    app.extensions["ppid_public_limiter"] = Limiter()
    app.jinja_env.globals["office_name"] = lambda: current_app.extensions["ppid_public_index"].office()
    app.register_blueprint(bp)


def create_public_app(index_path: Path, trusted_proxies: list[str] | tuple[str, ...] = ()) -> Flask:
    """The status page alone, for the office's web server: nothing but /cek. Behind a reverse
    proxy, the visitor's address (the look-up limit's key) comes from X-Forwarded-For only when
    the connection is from one of `trusted_proxies` (the desk's middleware, one home)."""
    app = Flask(__name__)
    register(app, index_path)
    if trusted_proxies:
        from pipeline.desk.sessions import TrustedProxies

        app.wsgi_app = TrustedProxies(app.wsgi_app, list(trusted_proxies))

    @app.after_request
    def headers(resp):
        resp.headers.setdefault("Content-Security-Policy", "default-src 'self'; script-src 'none'; "
                                                           "frame-ancestors 'none'; base-uri 'none'")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    @app.get("/")
    def root():
        return cek()

    return app
