"""The clerk's intake: a request entered from a form (walk-in, letter, WhatsApp, e-mail,
e-PPID), the inbox, and completing an incomplete request. Each save writes one request
file, checked by the loader as `ppid run` will read it, and records a `desk` event."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pipeline import files, model
from pipeline.loading import WITA

from . import core
from . import decisions as D
from . import requestfile as R
from .forms import IntakeForm
from .labels import CHOICES
from .roles import role
from .web import desk, inbox_file, rel, settings

bp = Blueprint("intake", __name__)
INCOMPLETE_SHOWN = 100


class NotSaved(Exception):
    def __init__(self, checked: R.Checked):
        self.checked = checked


def staging() -> R.Staging:
    return R.Staging(settings().records / ".desk" / "staging")


def staged_ok(token: str) -> bool:
    return token in session.get("staged", [])


def new_token() -> str:
    token = staging().new()
    session["staged"] = (session.get("staged", []) + [token])[-20:]
    return token


def take_uploads(token: str, errors: dict) -> dict[str, Path]:
    """This form's uploads into its staging folder; role -> file. Refused uploads add
    their message to `errors` at their field."""
    st = staging()
    for role_ in R.ATTACHMENT_ROLES:
        f = request.files.get(role_)
        if f and f.filename:
            data = f.stream.read(settings().max_upload + 1)
            try:
                st.put(token, role_, data, Path(f.filename).name[:120], settings().max_upload, to_pdf=desk().docx_to_pdf)
            except R.UploadError as exc:
                errors.setdefault(role_, []).append(str(exc))
    files = st.files(token)
    for key, path in list(files.items()):  # attachments of an e-mail, as the clerk assigned them
        if key.startswith("mail-"):
            use = request.form.get(f"use_{key}")
            if use in R.ATTACHMENT_ROLES and use not in files:
                files[use] = path
    return {k: v for k, v in files.items() if k in R.ATTACHMENT_ROLES}


def form_page(form: IntakeForm, *, token: str, action: str, title: str, errors=None, missing=None,
              warnings=None, mail_draft=None, edit_file: str | None = None, status: int = 200):
    st = staging()
    attached = {k: st.original_name(token, k) for k in st.files(token)}
    return render_template("intake_form.html", form=form, service=form.service, channel=form.channel,
                           errors=errors or {}, missing=missing or {}, warnings=warnings or {}, token=token,
                           action=action, title=title, attached=attached, draft=mail_draft, edit_file=edit_file,
                           mail_files=sorted(k for k in attached if k.startswith("mail-"))), status


@bp.app_errorhandler(R.OutsideInbox)
def outside_inbox(exc: R.OutsideInbox):
    """Any desk write refused because its file or folder is outside the inbox root (pipeline.desk.requestfile.within)."""
    return render_template("message.html", title=_("Outside the inbox"), message=_(
        "This file or folder is outside the desk's inbox folder, or is reached through a symbolic link; the desk "
        "does not write there. Move the file into the inbox folder (not a link) and try again.")), 409


@bp.get("/intake")
@role("clerk")
def start():
    return render_template("intake.html", services=model.SERVICES, channels=model.CHANNELS)


def save(doc, target: Path, inbox: Path, staged: dict[str, Path], stem: str, action: str, *,
         incomplete: R.Incomplete) -> None:
    """Place attachments, write the file checked and record it; the next batch run takes it."""
    d = desk()
    with d.changing(current_user.name, action, file=rel(target)) as (reg, details):
        _write(d, reg, details, doc, target, inbox, staged, stem, incomplete, new=action == "intake")


def save_and_run(doc, target: Path, inbox: Path, staged: dict[str, Path], stem: str, action: str, *,
                 incomplete: R.Incomplete):
    """As `save`, then run the file through the batch at once (a walk-in waits for its receipt;
    a completed request gets its letters); the batch's outcome, or None."""
    d = desk()
    with d.changing(current_user.name, action, file=rel(target)) as (reg, details):
        _write(d, reg, details, doc, target, inbox, staged, stem, incomplete, new=action == "intake")
        outcomes = d.run_walk_in(reg, [target], inbox)
        o = outcomes[0] if outcomes else None
        if o is not None:
            details["register_no"] = o.register_no
            details["status"] = o.status
        return o


def _write(d, reg, details: dict, doc, target: Path, inbox: Path, staged: dict[str, Path], stem: str,
           incomplete: R.Incomplete, *, new: bool) -> None:
    """Attachments placed beside the file, the file written checked (a `new` file never replaces
    one that took its name meanwhile: R.NameTaken); on refusal nothing stays."""
    placed = []
    try:
        for role_, src in staged.items():
            dst = R.place_attachment(src, target.parent, stem, role_)
            placed.append(dst)
            R.set_path(doc, role_, dst.relative_to(target.parent).as_posix())
        checked = R.write_checked(target, doc, inbox=inbox, today=d.today(), cfg=d.cfg, incomplete=incomplete,
                                  reg=reg, new=new)
    except BaseException:
        for p in placed:
            p.unlink(missing_ok=True)
        raise
    if checked.path is None:
        for p in placed:
            p.unlink(missing_ok=True)
        raise NotSaved(checked)
    details["missing"] = checked.codes or None


def incomplete_asked() -> R.Incomplete:
    """The clerk's choice on the form: save an incomplete request as it is, or not."""
    return R.Incomplete.ACCEPT if request.form.get("save_incomplete") == "1" else R.Incomplete.REFUSE


def draft_from_form() -> dict | None:
    src = request.form.get("mail_source")
    if not src:
        return None
    return {"source": Path(src).name, "body": request.form.get("mail_body", ""),
            "subject": request.form.get("mail_subject", ""), "notes": request.form.getlist("mail_note")}


def mail_done(source: str) -> None:
    folder = settings().mail_dir
    if not folder:
        return
    src = folder / Path(source).name
    if src.is_file() and not src.is_symlink():
        done = folder / "processed"
        if done.is_symlink():  # a planted link would carry the message elsewhere: leave it where it is
            flash(_("The message %(name)s was not moved: the processed folder is a symbolic link.", name=src.name))
            return
        files.make_dir(done, 0o700)
        for dst in R.candidates(done / src.name):  # never over a message already there, nor through a link
            try:
                os.link(src, dst, follow_symlinks=False)
            except FileExistsError:
                continue
            src.unlink()
            return


def title_of(service: str, channel: str) -> str:
    return f"{CHOICES['service'][service]} — {CHOICES['channel'][channel]}"


@bp.route("/intake/<service>/<channel>", methods=["GET", "POST"])
@role("clerk")
def new(service, channel):
    if service not in model.SERVICES or channel not in model.CHANNELS:
        abort(404)
    d = desk()
    action = url_for("intake.new", service=service, channel=channel)
    title = title_of(service, channel)
    if request.method == "GET":
        form = IntakeForm.blank(service, channel, d.cfg, now=d.now())
        return form_page(form, token=new_token(), action=action, title=title)
    token = request.form.get("staged", "")
    if not staged_ok(token):
        token = new_token()
    form = IntakeForm.posted(service, channel, d.cfg, request.form)
    form.config_dir = d.s.config
    draft = draft_from_form()
    errors = form.check(today=d.today())
    staged = take_uploads(token, errors)
    note = (_("Entered through ppid desk by %(user)s, %(when)s", user=current_user.name,
              when=dt.datetime.now(WITA).strftime("%Y-%m-%d %H:%M"))
            + (f"; {draft['source']}" if draft else "") + ".")
    doc = R.new_document(service, channel, note)
    form.apply(doc, refused=errors, stand_in=d.now())
    day = R.within(d.s.inbox_root, d.inbox_today())  # a day folder replaced by a link: refused
    files.make_dir(day, 0o700)  # no link at the day's folder or above it (pipeline.files)
    received = form.received_at()
    stem = R.slug(form.value("requester.name") or "")
    name = R.within(d.s.inbox_root, day / f"{(received or d.now()).date().isoformat()}-{stem}.yaml")
    target = R.unique(name)
    try:
        if errors or form.warnings:
            raise NotSaved(R.check_only(target, doc, inbox=day, today=d.today(), cfg=d.cfg, reg=d.view(),
                                        errors=errors, staged=staged))
        while True:  # another intake may take the name while this one waits for the lock: the next name
            try:
                if channel == "walk_in":  # the requester is at the desk and takes the receipt home
                    outcome = save_and_run(doc, target, day, staged, stem, "intake", incomplete=incomplete_asked())
                else:
                    outcome = None
                    save(doc, target, day, staged, stem, "intake", incomplete=incomplete_asked())
                break
            except R.NameTaken:
                target = R.unique(name)
    except NotSaved as exc:
        return form_page(form, errors=exc.checked.errors, missing=exc.checked.missing, warnings=form.warnings,
                         token=token, action=action, title=title, mail_draft=draft, status=422)
    staging().drop(token)
    if draft:
        mail_done(draft["source"])
    return redirect(url_for("intake.done", file=rel(target), rno=outcome.register_no if outcome else ""))


@bp.get("/intake/done")
@role("clerk", "ppid")
def done():
    rno = request.args.get("rno") or None
    rec = desk().view().records.get(rno) if rno else None
    letters = list(enumerate(rec.letters)) if rec else []
    return render_template("intake_done.html", file=request.args.get("file", ""), rno=rno, rec=rec, letters=letters)


@bp.get("/inbox")
@role("clerk", "ppid")
def inbox():
    from pipeline.batch import find_request_files

    d = desk()
    reg = d.view()
    rows = []
    for day in sorted((p for p in d.s.inbox_root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))),
                      reverse=True) if d.s.inbox_root.is_dir() else []:
        for path in find_request_files(day):
            st = core.file_status(d, path, day)
            if st.status in ("rejected_file", "not_processed", "changed", "incomplete") or day == d.inbox_today():
                rows.append({"file": rel(path), "day": day.name, "st": st})
    waiting = sorted((rec for rec in reg.records.values() if rec.missing and not rec.withdrawn_at),
                     key=lambda rec: rec.row.get("received_at", ""), reverse=True)
    incomplete = []
    for rec in waiting[:INCOMPLETE_SHOWN]:  # the newest; the register page lists them all
        p = D.request_path(rec)
        incomplete.append({"rno": rec.register_no, "received": rec.row.get("received_at", ""),
                           "name": rec.row.get("requester_name", ""),
                           "service": rec.row.get("service", ""), "channel": rec.row.get("channel", ""),
                           "missing": rec.missing, "file": rel(p) if p else None})
    return render_template("inbox.html", today=d.today(), rows=rows, incomplete=incomplete,
                           incomplete_total=len(waiting))


@bp.route("/inbox/edit", methods=["GET", "POST"])
@role("clerk")
def edit():
    name = request.values.get("file", "")
    path = inbox_file(name)
    d = desk()
    doc = R.load_rt(path)
    service, channel = doc.get("service"), doc.get("channel")
    if service not in model.SERVICES or channel not in model.CHANNELS:
        return render_template("message.html", title=_("Cannot be completed here"), message=_(
            "The file's service or channel is not valid; the malformed-file page shows it.")), 422
    action = url_for("intake.edit", file=name)
    title = _("Complete the request of %(name)s", name=R.get_path(doc, "requester.name") or path.stem)
    if request.method == "GET":
        form = IntakeForm.from_document(service, channel, d.cfg, doc, now=d.now())
        token = new_token()
        checked = R.check_only(path, doc, inbox=D.inbox_of(path, d.s.inbox_root), today=d.today(), cfg=d.cfg,
                               reg=d.view(), errors={}, staged={})
        return form_page(form, token=token, action=action, title=title, edit_file=name, missing=checked.missing)
    token = request.form.get("staged", "")
    if not staged_ok(token):
        token = new_token()
    form = IntakeForm.posted(service, channel, d.cfg, request.form, editing=True)
    form.config_dir = d.s.config
    form.on_file = {"requester.identity.number": str(R.get_path(doc, "requester.identity.number") or "")}
    errors = form.check(today=d.today())
    staged = take_uploads(token, errors)
    form.apply(doc, refused=errors, stand_in=d.now())
    stem = R.slug(str(R.get_path(doc, "requester.name") or path.stem))
    inbox_dir = D.inbox_of(R.within(d.s.inbox_root, path), d.s.inbox_root)
    try:
        if errors or form.warnings:
            raise NotSaved(R.check_only(path, doc, inbox=inbox_dir, today=d.today(), cfg=d.cfg, reg=d.view(),
                                        errors=errors, staged=staged))
        outcome = save_and_run(doc, path, inbox_dir, staged, stem, "complete", incomplete=incomplete_asked())
    except NotSaved as exc:
        return form_page(form, errors=exc.checked.errors, missing=exc.checked.missing, warnings=form.warnings,
                         token=token, action=action, title=title, edit_file=name, status=422)
    staging().drop(token)
    return redirect(url_for("intake.done", file=name, rno=outcome.register_no if outcome else ""))
