"""What the desk answers when a page cannot be shown, and the headers every answer carries."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from pipeline.errors import PpidError

CSP = ("default-src 'self'; script-src 'none'; object-src 'self'; frame-ancestors 'self'; "
       "form-action 'self'; base-uri 'none'")


def headers(resp):
    resp.headers.setdefault("Content-Security-Policy", CSP)
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("Referrer-Policy", "no-referrer")
    resp.headers.setdefault("Cache-Control", "no-store")
    return resp


def message(title: str, text: str, status: int):
    return render_template("message.html", title=title, message=text), status


def csrf_error(exc):
    return message(_("Form refused"), _("The form had expired or came from elsewhere. Reload the page and send it again."), 400)


def forbidden(exc):
    return message(_("Not for your role"), _("This page is not open to your role."), 403)


def not_found(exc):
    return message(_("Not found"), _("There is no such page or file."), 404)


def too_large(exc):
    mb = current_app.config["MAX_CONTENT_LENGTH"] / 1048576
    return message(_("Upload too large"), _(
        "The upload is larger than %(mb).0f MB and was not accepted. Save the attachments from the "
        "message and enter the request by hand.", mb=mb), 413)


def server_error(exc):
    return message(_("Something went wrong"), _(
        "The desk could not finish this page; nothing was half-written. The details are in the "
        "desk's log; try again, or tell the office's administrator."), 500)


def not_done(exc):
    from .state import Busy

    if isinstance(exc, Busy):
        return message(_("Not done"), _("The register is busy: a batch is running. Try again in a minute."), 409)
    return message(_("Not done"), str(exc), 409)


def init(app) -> None:
    app.after_request(headers)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(403, forbidden)
    app.register_error_handler(404, not_found)
    app.register_error_handler(413, too_large)
    app.register_error_handler(500, server_error)
    app.register_error_handler(PpidError, not_done)
