"""The desk's delivery pages (spec section 9): letters to hand over, post or send by
WhatsApp, e-mails refused or waiting, the day a requester received a letter, a corrected
e-mail address. Thin routes: parse the form, call pipeline.delivery.handover inside the
desk's audited change (a `desk` event with the user's name), re-publish the status index.
"""

from __future__ import annotations

import datetime as dt
import functools

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from pipeline.delivery import handover as H
from pipeline.delivery import index
from pipeline.delivery.message import label as letter_label
from pipeline.delivery.outbox import states
from pipeline.delivery.settings import delivery_settings

from .pages import EXTRA_NAV
from .roles import role

bp = Blueprint("delivery", __name__)
ROLES = ("clerk", "ppid")  # the analyst sees no contact data (UU 27/2022)


def _desk():
    return current_app.extensions["desk"]


staff = role(*ROLES)  # only a logged-in clerk or PPID (the desk's users file decides the role)


def _date(name: str) -> dt.date | None:
    value = (request.form.get(name) or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise H.HandoverError(_("The date %(value)s cannot be read; write it like 2026-11-27.", value=value)) \
            from None


def state_labels() -> dict[str, str]:
    return {"owed": _("waiting to be sent"), "retry": _("failed for now, to be tried again"),
            "failed": _("refused by the recipient's server: correct the address"), "handover": _("to be handed over by staff"),
            "sent": _("sent, receipt not yet recorded")}


def method_labels() -> dict[str, str]:
    return {"email": _("e-mail"), "pickup": _("collected in person"), "post": _("by post"), "whatsapp": _("WhatsApp")}


@bp.get("/pengiriman")
@staff
def list_page():
    desk = _desk()
    reg = desk.view()
    settings = delivery_settings(desk.cfg)
    letters = [d for rec in reg.records.values() if not rec.purged_at
               for d in states(rec, settings) if d.state != "delivered"]  # sent: receipt still to record
    rows = []
    for d in letters:
        rec = reg.records[d.register_no]
        wa = None
        if d.method == "whatsapp" and d.state == "handover":
            try:
                wa = H.whatsapp_link(rec, office=desk.cfg.office, base_url=settings.public_base_url)
            except H.HandoverError as exc:
                wa = None
                d.error = str(exc)
        rows.append({"d": d, "name": rec.row.get("requester_name") or "", "kind": letter_label(d.kind),
                     "state": state_labels().get(d.state, d.state), "method": method_labels().get(d.method, d.method),
                     "email": (rec.personal or {}).get("email") or "", "wa": wa})
    return render_template("delivery.html", rows=rows, mail=settings.mail is not None, today=desk.today())


@bp.post("/pengiriman/catat")
@staff
def record():
    desk = _desk()
    rno, letter_no = request.form.get("register_no", ""), request.form.get("letter_no", "")
    method = request.form.get("method", "")
    action = request.form.get("action", "handover")
    try:
        with desk.changing(g.user, f"delivery_{action}", register_no=rno, letter_no=letter_no) as (reg, details):
            rec = reg.records.get(rno)
            if rec is None:
                abort(404)
            if action == "receipt":
                events = H.receipt_events(rec, letter_no, how=request.form.get("how", "reply"),
                                          day=_date("received_on") or desk.today(), user=g.user, today=desk.today())
            elif action == "address":
                events = [H.address_event(rec, (request.form.get("email") or "").strip(), user=g.user)]
            else:
                events = H.handover_events(
                    rec, letter_no, method, user=g.user, today=desk.today(), when=_date("when"),
                    receiver=(request.form.get("receiver") or "").strip()[:200] or None,
                    signed_for=request.form.get("signed_for") == "1",
                    tracking=(request.form.get("tracking") or "").strip()[:60] or None,
                    received_on=_date("received_on"))
            details["how"] = method or request.form.get("how")
            reg.append(events)
            index.publish(reg, desk.cfg, desk.s.records, desk.today())
            desk.office.write_book()  # the notice's sent and received days are book columns
    except H.HandoverError as exc:
        flash(str(exc), "error")
        return redirect(url_for("delivery.list_page"))
    flash(_("Recorded: %(rno)s, letter %(letter)s.", rno=rno, letter=letter_no or "-"), "ok")
    return redirect(url_for("delivery.list_page"))


def register(app) -> None:
    app.register_blueprint(bp)
    for r in ROLES:
        if ("delivery.list_page", _l("Deliveries")) not in EXTRA_NAV.setdefault(r, []):
            EXTRA_NAV[r].append(("delivery.list_page", _l("Deliveries")))
