"""Mail in: an .eml file (uploaded, or dropped in the mail folder) read into a draft of
the intake form, its attachments staged for the clerk to assign."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _

from pipeline import model

from . import mail as M
from . import requestfile as R
from .forms import IntakeForm
from .intake import form_page, new_token, staging
from .roles import role
from .web import desk, settings

bp = Blueprint("mailin", __name__)


@bp.route("/mail", methods=["GET", "POST"])
@role("clerk")
def folder():
    files = M.list_mail(settings().mail_dir)
    if request.method == "POST":
        f = request.files.get("eml")
        if not f or not f.filename:
            return render_template("mail.html", files=files, error=_("Choose an .eml file to upload.")), 422
        data = f.stream.read(M.MAX_EML + 1)
        return draft_page(M.read_eml(data, Path(f.filename).name[:120], max_attachment=settings().max_upload))
    return render_template("mail.html", files=files, error=None)


@bp.get("/mail/draft")
@role("clerk")
def draft():
    name = request.args.get("name", "")
    match = [p for p in M.list_mail(settings().mail_dir) if p.name == name]
    service = request.args.get("service", "information")
    if not match or service not in model.SERVICES:
        abort(404)
    try:
        data = M.read_bounded(match[0])
    except OSError:
        abort(404)  # gone, replaced by a link or by something that is no file since the list was made
    return draft_page(M.read_eml(data, name, max_attachment=settings().max_upload), service)


def draft_page(d: M.Draft, service: str = "information"):
    token = new_token()
    st = staging()
    notes = list(d.notes)
    n = 0
    for a in d.attachments:
        if a.data is None:
            notes.append(a.note)
            continue
        try:
            st.put(token, f"mail-{n}", a.data, a.name, settings().max_upload, to_pdf=desk().docx_to_pdf)
            n += 1
        except R.UploadError as exc:
            notes.append(str(exc))
    form = IntakeForm.blank(service, "email", desk().cfg, now=desk().now())
    form["received"].data = M.received_default(d, desk().today(), desk().now())
    form["requester.name"].data = d.sender_name
    form["requester.email"].data = d.sender_email
    guess: dict[str, str] = {}
    for key in sorted(st.files(token)):
        want = "letter" if st.files(token)[key].suffix in (".pdf", ".docx") else "requester.identity.copy"
        if want not in guess.values():
            guess[key] = want
    form.uses = guess
    mail_draft = {"source": d.source, "subject": d.subject, "body": d.body, "notes": notes,
                  "in_folder": any(p.name == d.source for p in M.list_mail(settings().mail_dir))}
    return form_page(form, token=token, action=url_for("intake.new", service=service, channel="email"),
                     title=_("Draft from the e-mail %(name)s", name=d.source), mail_draft=mail_draft)
