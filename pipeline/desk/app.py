"""The desk's web pages (Flask, server-rendered, no JavaScript): one route a page, each
marked with the roles that may open it (users.ROLES)."""

from __future__ import annotations

import datetime as dt
import functools
import secrets
import shutil
import threading
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

from flask import (Flask, abort, g, redirect, render_template, request, send_file, session, url_for)
from flask_wtf.csrf import CSRFError, CSRFProtect

from pipeline import model
from pipeline.errors import PpidError
from pipeline.loading import WITA

from . import decisions as D
from . import mail as M
from . import requestfile as R
from . import users as U
from .labels import CHOICES, LABELS, STATUS_LABELS
from .state import Desk, Settings

LOGIN_LIMIT = 5  # attempts a minute, by user name and by address; the sixth is refused
LOGIN_WINDOW_S = 60.0
SESSION_HOURS = 10  # a working day


class RateLimit:
    """At most `limit` attempts per key within `window` seconds (in memory)."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self.hits: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def allow(self, *keys: str) -> float:
        """0 when allowed (and counted), else the seconds to wait."""
        now = time.monotonic()
        with self.lock:
            wait = 0.0
            for k in keys:
                q = self.hits[k]
                while q and now - q[0] > self.window:
                    q.popleft()
                if len(q) >= self.limit:
                    wait = max(wait, self.window - (now - q[0]))
            if wait:
                return wait
            for k in keys:
                self.hits[k].append(now)
            return 0.0


class NotSaved(Exception):
    def __init__(self, checked: R.Checked):
        self.checked = checked


def _secret_key(records: Path) -> bytes:
    """The session signing key, made once and kept in the records folder (owner only)."""
    path = records / ".desk-secret"
    if not path.exists():
        from pipeline.register import atomic_write
        atomic_write(path, secrets.token_bytes(32))
    return path.read_bytes()


def create_app(settings: Settings, *, desk: Desk | None = None) -> Flask:
    desk = desk or Desk(settings)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=_secret_key(settings.records),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_NAME="ppid_desk",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
        MAX_CONTENT_LENGTH=M.MAX_EML + 1024 * 1024,  # a message of the largest size read, and the form
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
    )
    CSRFProtect(app)
    app.extensions["desk"] = desk
    limiter = RateLimit(LOGIN_LIMIT, LOGIN_WINDOW_S)
    staging = R.Staging(settings.records / ".desk" / "staging")
    load_cache: dict = {}
    app.jinja_env.filters["rel"] = lambda p: _rel(Path(p)) if p else ""
    app.jinja_env.globals.update(LABELS=LABELS, CHOICES=CHOICES, STATUS_LABELS=STATUS_LABELS, ROLES=U.ROLES)

    # --- who may do what --------------------------------------------------------------------

    def role(*allowed: str):
        def wrap(fn):
            @functools.wraps(fn)
            def inner(*a, **kw):
                name = session.get("user")
                r = U.role_of(settings.users, name) if name else None
                if r is None:
                    session.clear()
                    return redirect(url_for("login", next=request.path))
                g.user, g.role = name, r
                if r not in allowed:
                    abort(403)
                return fn(*a, **kw)
            inner.roles = allowed
            return inner
        return wrap

    @app.after_request
    def headers(resp):
        resp.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; script-src 'none'; object-src 'self'; frame-ancestors 'self'; "
                                "form-action 'self'; base-uri 'none'")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        resp.headers.setdefault("Cache-Control", "no-store")
        return resp

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_template("message.html", title="Form refused",
                               message=f"The form was refused: {exc.description} Reload the page and send it again."), 400

    @app.errorhandler(403)
    def forbidden(exc):
        return render_template("message.html", title="Not for your role",
                               message="This page is not open to your role."), 403

    @app.errorhandler(404)
    def not_found(exc):
        return render_template("message.html", title="Not found", message="There is no such page or file."), 404

    @app.errorhandler(413)
    def too_large(exc):
        return render_template("message.html", title="Upload too large", message=(
            f"The upload is larger than {app.config['MAX_CONTENT_LENGTH'] / 1048576:.0f} MB and was not "
            "accepted. Save the attachments from the message and enter the request by hand.")), 413

    @app.errorhandler(500)
    def server_error(exc):
        return render_template("message.html", title="Something went wrong", message=(
            "The desk could not finish this page; nothing was half-written. The details are in the "
            "desk's log; try again, or tell the office's administrator.")), 500

    @app.errorhandler(PpidError)
    def ppid_error(exc):
        return render_template("message.html", title="Not done", message=str(exc)), 409

    # --- login --------------------------------------------------------------------------------

    @app.route("/login", methods=["GET", "POST"])
    def login():
        error, status = None, 200
        if request.method == "POST":
            name = (request.form.get("username") or "").strip().lower()[:64]
            wait = limiter.allow(f"user:{name}", f"addr:{request.remote_addr}")
            if wait:
                error, status = f"Too many login attempts; wait {wait:.0f} seconds and try again.", 429
            else:
                r = U.verify(settings.users, name, request.form.get("password") or "")
                if r:
                    session.clear()
                    session["user"] = name
                    session.permanent = True
                    nxt = request.args.get("next") or ""
                    return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else url_for("home"))
                error, status = "Wrong user name or password.", 401
        return render_template("login.html", error=error), status

    @app.post("/logout")
    def logout():
        session.clear()
        return redirect(url_for("login"))

    @app.get("/")
    @role("clerk", "ppid", "analyst")
    def home():
        return redirect(url_for({"clerk": "intake", "ppid": "review", "analyst": "stats"}[g.role]))

    # --- intake (clerk) --------------------------------------------------------------------------

    def _staged_ok(token: str) -> bool:
        return token in session.get("staged", [])

    def _new_token() -> str:
        token = staging.new()
        session["staged"] = (session.get("staged", []) + [token])[-20:]
        return token

    def _uploads(token: str, errors: dict) -> dict[str, Path]:
        """Take this form's uploads into its staging folder; role -> file."""
        for role_ in R.ATTACHMENT_ROLES:
            f = request.files.get(role_)
            if f and f.filename:
                data = f.stream.read(settings.max_upload + 1)
                try:
                    staging.put(token, role_, data, Path(f.filename).name[:120], settings.max_upload)
                except R.UploadError as exc:
                    errors.setdefault(role_, []).append(str(exc))
        files = staging.files(token)
        for key, path in list(files.items()):  # attachments of an e-mail, as the clerk assigned them
            if key.startswith("mail-"):
                use = request.form.get(f"use_{key}")
                if use in R.ATTACHMENT_ROLES and use not in files:
                    files[use] = path
        return {k: v for k, v in files.items() if k in R.ATTACHMENT_ROLES}

    def _form_page(service: str, channel: str, *, values: dict, errors=None, missing=None, token: str,
                   action: str, title: str, mail_draft=None, edit_file: str | None = None, status=200):
        fields = R.fields_for(service, channel)
        if edit_file:
            fields = fields + ["completed"]
        attached = {k: staging.original_name(token, k) for k in staging.files(token)}
        return render_template("intake_form.html", service=service, channel=channel, fields=fields, values=values,
                               errors=errors or {}, missing=missing or {}, token=token, action=action, title=title,
                               attached=attached, draft=mail_draft, edit_file=edit_file,
                               mail_files=sorted(k for k in attached if k.startswith("mail-"))), status

    @app.get("/intake")
    @role("clerk")
    def intake():
        return render_template("intake.html", services=model.SERVICES, channels=model.CHANNELS,
                               inbox=desk.inbox_today())

    @app.route("/intake/<service>/<channel>", methods=["GET", "POST"])
    @role("clerk")
    def intake_form(service, channel):
        if service not in model.SERVICES or channel not in model.CHANNELS:
            abort(404)
        action = url_for("intake_form", service=service, channel=channel)
        title = f"{CHOICES['service'][service]} — {CHOICES['channel'][channel]}"
        if request.method == "GET":
            values = {"received": desk.now().strftime("%Y-%m-%d %H:%M"), "requester.kind": "individual",
                      "addressed_to": "Ketua KPU Provinsi Nusa Tenggara Timur" if channel != "walk_in" else "",
                      "guest_book": channel == "walk_in", "requester.identity.type": "ktp"}
            return _form_page(service, channel, values=values, token=_new_token(), action=action, title=title)
        token = request.form.get("staged", "")
        if not _staged_ok(token):
            token = _new_token()
        values = _form_values(request.form, R.fields_for(service, channel))
        draft = _draft_from_form()
        errors: dict = {}
        staged = _uploads(token, errors)
        if errors:
            return _form_page(service, channel, values=values, errors=errors, token=token, action=action,
                              title=title, mail_draft=draft, status=422)
        note = (f" Dicatat melalui ppid desk oleh {g.user}, {dt.datetime.now(WITA).strftime('%Y-%m-%d %H:%M')}"
                + (f"; dari surel {draft['source']}" if draft else "") + ".")
        doc = R.new_document(service, channel, note.strip())
        R.apply_form(doc, request.form, R.fields_for(service, channel))
        day = desk.inbox_today()
        day.mkdir(parents=True, exist_ok=True, mode=0o700)
        received = (request.form.get("received") or "")[:10]
        stem = R.slug(request.form.get("requester.name") or "")
        target = R.unique(day / f"{received if _is_iso(received) else desk.today().isoformat()}-{stem}.yaml")
        try:
            outcome = _save(doc, target, day, staged, stem, "intake",
                            allow_incomplete=request.form.get("save_incomplete") == "1",
                            process=channel == "walk_in")
        except NotSaved as exc:
            return _form_page(service, channel, values=values, errors=exc.checked.errors,
                              missing=exc.checked.missing, token=token, action=action, title=title,
                              mail_draft=draft, status=422)
        staging.drop(token)
        if draft and settings.mail_dir:
            _mail_done(draft["source"])
        return redirect(url_for("intake_done", file=_rel(target), rno=outcome.register_no if outcome else ""))

    def _draft_from_form() -> dict | None:
        src = request.form.get("mail_source")
        if not src:
            return None
        return {"source": Path(src).name, "body": request.form.get("mail_body", ""),
                "subject": request.form.get("mail_subject", ""), "notes": request.form.getlist("mail_note")}

    def _save(doc, target: Path, inbox: Path, staged: dict[str, Path], stem: str, action: str, *,
              allow_incomplete: bool, process: bool):
        """Place attachments, write the file checked, record it; run it through the batch
        when asked (a walk-in's receipt, a completed request)."""
        with desk.changing(g.user, action, file=_rel(target)) as (reg, details):
            placed = []
            try:
                for role_, src in staged.items():
                    dst = R.place_attachment(src, target.parent, stem, role_)
                    placed.append(dst)
                    R.set_path(doc, role_, dst.relative_to(target.parent).as_posix())
                checked = R.write_checked(target, doc, inbox=inbox, today=desk.today(), cfg=desk.cfg,
                                          allow_incomplete=allow_incomplete, reg=reg)
            except BaseException:
                for p in placed:
                    p.unlink(missing_ok=True)
                raise
            if checked.path is None:
                for p in placed:
                    p.unlink(missing_ok=True)
                raise NotSaved(checked)
            details["missing"] = checked.codes or None
            if not process:
                return None
            outcomes = desk.run_walk_in(reg, [target], inbox)
            o = outcomes[0] if outcomes else None
            if o is not None:
                details["register_no"] = o.register_no
                details["status"] = o.status
            return o

    def _rel(path: Path) -> str:
        try:
            return path.resolve().relative_to(settings.inbox_root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def _inbox_file(rel: str) -> Path:
        """A request file named relative to the inbox root; never outside it."""
        path = (settings.inbox_root / (rel or "")).resolve()
        if not path.is_relative_to(settings.inbox_root.resolve()) or path.suffix not in (".yaml", ".yml") \
                or not path.is_file():
            abort(404)
        return path

    @app.get("/intake/done")
    @role("clerk", "ppid")
    def intake_done():
        rel = request.args.get("file", "")
        rno = request.args.get("rno") or None
        rec = desk.view().records.get(rno) if rno else None
        letters = list(enumerate(rec.letters)) if rec else []
        return render_template("intake_done.html", file=rel, rno=rno, rec=rec, letters=letters)

    @app.get("/inbox")
    @role("clerk", "ppid")
    def inbox():
        from pipeline.batch import find_request_files

        reg = desk.view()
        day = desk.inbox_today()
        rows = []
        for path in find_request_files(day) if day.is_dir() else []:
            rows.append(_file_status(reg, path, day))
        incomplete = []
        for rec in reg.records.values():
            if rec.missing and not rec.withdrawn_at:
                p = D.request_path(rec)
                incomplete.append({"rno": rec.register_no, "received": rec.row.get("received_at", ""),
                                   "service": rec.row.get("service", ""), "channel": rec.row.get("channel", ""),
                                   "missing": rec.missing, "file": _rel(p) if p else None})
        incomplete.sort(key=lambda r: r["received"])
        return render_template("inbox.html", day=day, rows=rows, incomplete=incomplete)

    def _file_status(reg, path: Path, inbox_dir: Path) -> dict:
        o = desk.assess(path, inbox_dir)  # as `ppid run` and `ppid validate` judge it (Office.assess)
        row = {"file": _rel(path), "name": path.name, "status": "not processed yet", "rno": None, "error": None,
               "service": o.service, "channel": o.channel, "will_be": o.status, "due": o.due}
        if o.status == "rejected_file":
            row.update(status="rejected_file", error=o.error)
        elif o.unchanged:
            row.update(status=o.status, rno=o.register_no, missing=o.missing)
        elif o.register_no:
            row.update(status="changed since the last run", rno=o.register_no)
        return row

    @app.route("/inbox/edit", methods=["GET", "POST"])
    @role("clerk")
    def inbox_edit():
        rel = request.values.get("file", "")
        path = _inbox_file(rel)
        doc = R.load_rt(path)
        service, channel = doc.get("service"), doc.get("channel")
        if service not in model.SERVICES or channel not in model.CHANNELS:
            return render_template("message.html", title="Cannot edit here", message=(
                f"{rel}: its service or channel is not valid; correct the file in an editor "
                "(ppid validate names the line).")), 422
        fields = R.fields_for(service, channel)
        action = url_for("inbox_edit", file=rel)
        title = f"Complete {rel}"
        if request.method == "GET":
            values = {f: R.form_value(doc, f) for f in fields}
            values["completed"] = R.form_value(doc, "completed") or desk.now().strftime("%Y-%m-%d %H:%M")
            return _form_page(service, channel, values=values, token=_new_token(), action=action, title=title,
                              edit_file=rel)
        token = request.form.get("staged", "")
        if not _staged_ok(token):
            token = _new_token()
        values = _form_values(request.form, fields + ["completed"])
        errors: dict = {}
        staged = _uploads(token, errors)
        if errors:
            return _form_page(service, channel, values=values, errors=errors, token=token, action=action,
                              title=title, edit_file=rel, status=422)
        R.apply_form(doc, request.form, fields + ["completed"])
        stem = R.slug(str(R.get_path(doc, "requester.name") or path.stem))
        inbox_dir = D.inbox_of(path, settings.inbox_root)
        try:
            outcome = _save(doc, path, inbox_dir, staged, stem, "complete",
                            allow_incomplete=request.form.get("save_incomplete") == "1", process=True)
        except NotSaved as exc:
            return _form_page(service, channel, values=values, errors=exc.checked.errors,
                              missing=exc.checked.missing, token=token, action=action, title=title,
                              edit_file=rel, status=422)
        staging.drop(token)
        return redirect(url_for("intake_done", file=rel, rno=outcome.register_no if outcome else ""))

    # --- mail in (clerk) ----------------------------------------------------------------------

    @app.route("/mail", methods=["GET", "POST"])
    @role("clerk")
    def mail():
        if request.method == "POST":
            f = request.files.get("eml")
            if not f or not f.filename:
                return render_template("mail.html", files=M.list_mail(settings.mail_dir),
                                       error="Choose an .eml file to upload."), 422
            data = f.stream.read(M.MAX_EML + 1)
            return _draft_page(M.read_eml(data, Path(f.filename).name[:120], max_attachment=settings.max_upload))
        return render_template("mail.html", files=M.list_mail(settings.mail_dir), error=None)

    @app.get("/mail/draft")
    @role("clerk")
    def mail_draft():
        name = request.args.get("name", "")
        match = [p for p in M.list_mail(settings.mail_dir) if p.name == name]
        if not match:
            abort(404)
        service = request.args.get("service", "information")
        if service not in model.SERVICES:
            abort(404)
        return _draft_page(M.read_eml(match[0].read_bytes(), name, max_attachment=settings.max_upload), service)

    def _draft_page(draft: M.Draft, service: str = "information"):
        token = _new_token()
        notes = list(draft.notes)
        n = 0
        for a in draft.attachments:
            if a.data is None:
                notes.append(a.note)
                continue
            try:
                staging.put(token, f"mail-{n}", a.data, a.name, settings.max_upload)
                n += 1
            except R.UploadError as exc:
                notes.append(f"{exc}; not taken")
        values = {"received": M.received_default(draft, desk.today(), desk.now()),
                  "requester.name": draft.sender_name, "requester.email": draft.sender_email,
                  "requester.kind": "individual", "requester.identity.type": "ktp",
                  "addressed_to": "Ketua KPU Provinsi Nusa Tenggara Timur"}
        guess: dict[str, str] = {}
        for key in sorted(staging.files(token)):
            suffix = staging.files(token)[key].suffix
            want = "letter" if suffix == ".pdf" else "requester.identity.copy"
            if want not in guess.values():
                guess[key] = want
        values["_use"] = guess
        mail_draft = {"source": draft.source, "subject": draft.subject, "body": draft.body, "notes": notes,
                      "in_folder": any(p.name == draft.source for p in M.list_mail(settings.mail_dir))}
        return _form_page(service, "email", values=values, token=token,
                          action=url_for("intake_form", service=service, channel="email"),
                          title=f"Draft from the e-mail {draft.source}", mail_draft=mail_draft)

    def _mail_done(source: str) -> None:
        src = settings.mail_dir / Path(source).name
        if src.is_file():
            done = settings.mail_dir / "processed"
            done.mkdir(exist_ok=True, mode=0o700)
            shutil.move(str(src), str(R.unique(done / src.name)))

    # --- requests and letters (clerk, ppid) -------------------------------------------------------

    @app.get("/request")
    @role("clerk", "ppid")
    def request_page():
        rno = request.args.get("rno", "")
        rec = desk.view().records.get(rno)
        if rec is None:
            abort(404)
        due, left = D.due_of(rec, desk.cfg, desk.today())
        path = D.request_path(rec)
        return render_template("request.html", rec=rec, due=due, left=left, letters=list(enumerate(rec.letters)),
                               file=_rel(path) if path else None)

    @app.get("/letter")
    @role("clerk", "ppid")
    def letter():
        rec = desk.view().records.get(request.args.get("rno", ""))
        try:
            ev = rec.letters[int(request.args.get("n", "-1"))] if rec else None
        except (ValueError, IndexError):
            ev = None
        if not ev or not ev.get("pdf"):
            abort(404)
        pdf = Path(ev["pdf"]).resolve()
        if not pdf.is_relative_to(settings.out.resolve()) or not pdf.is_file():
            abort(404)
        return send_file(pdf, mimetype="application/pdf", as_attachment=bool(request.args.get("download")),
                         download_name=pdf.name)

    # --- decisions (ppid) -----------------------------------------------------------------------

    @app.get("/review")
    @role("ppid")
    def review():
        entries = D.queue(desk.view(), desk.cfg, desk.today(), settings.inbox_root, load_cache)
        return render_template("review.html", entries=entries, today=desk.today())

    @app.route("/review/item", methods=["GET", "POST"])
    @role("ppid")
    def review_item():
        from pipeline.errors import RequestFileError

        rno = request.values.get("rno", "")
        reg = desk.view()
        rec = reg.records.get(rno)
        path = D.request_path(rec) if rec else None
        if rec is None or path is None:
            abort(404)
        try:
            items = D.classify(path, settings.inbox_root, desk.cfg, desk.today(), load_cache) \
                if rec.row.get("service") == "information" else []
        except RequestFileError as exc:
            return render_template("message.html", title="The request file has a problem", message=str(exc)), 422
        due, left = D.due_of(rec, desk.cfg, desk.today())
        signer = desk.cfg.signatories.get("atasan_ppid" if rec.row.get("service") == "objection" else "ppid", {})
        ctx = dict(rec=rec, items=items, due=due, left=left, file=_rel(path), errors={},
                   by=signer.get("name", ""), date=desk.today().isoformat(),
                   grounds17=model.PASAL17_GROUNDS, statuses=model.ITEM_STATUSES, item_state=D.item_state,
                   objection_results=model.OBJECTION_RESULTS, form=request.form,
                   item_fields=D.ITEM_FIELDS)
        if request.method == "GET":
            return render_template("review_item.html", **ctx)
        form = request.form
        decided: dict[int, dict[str, Any]] = {}
        for it in items:
            status = form.get(f"item{it.no}.status")
            if status in model.ITEM_STATUSES:
                decided[it.no] = {
                    "status": status,
                    "ground": form.get(f"item{it.no}.ground") if status in ("exempt", "partial") else None,
                    "reason": (form.get(f"item{it.no}.reason") or "").strip() or None,
                    "basis": (form.get(f"item{it.no}.basis") or "").strip() or None,
                    "consequence_test": (form.get(f"item{it.no}.consequence_test") or "").strip() or None,
                    "consequence": (form.get(f"item{it.no}.consequence") or "").strip() or None,
                    "holder": (form.get(f"item{it.no}.holder") or "").strip() or None,
                    "redact": [x.strip() for x in (form.get(f"item{it.no}.redact") or "").split(",") if x.strip()],
                }
        try:
            date = dt.date.fromisoformat(form.get("date") or "")
        except ValueError:
            date = None
        extend = None
        if form.get("extend.days"):
            try:
                days = int(form.get("extend.days"))
            except ValueError:
                days = 0
            extend = {"days": days, "reason": (form.get("extend.reason") or "").strip(),
                      "date": date if "date" in D.EXTEND_FIELDS else None}
        objection = None
        if rec.row.get("service") == "objection" and form.get("objection.result") in model.OBJECTION_RESULTS:
            objection = {"result": form["objection.result"], "reason": (form.get("objection.reason") or "").strip()}
        by = (form.get("by") or "").strip()
        errors: dict[str, list[str]] = {}
        if not by:
            errors["by"] = ["give the name of the official who decides"]
        if date is None:
            errors["date"] = ["give the date of the decision, like 2026-11-27"]
        if not (decided or extend or objection):
            errors["_file"] = ["decide at least one item, an extension, or the objection's result"]
        if errors:
            return render_template("review_item.html", **{**ctx, "errors": errors}), 422
        doc = R.load_rt(path)
        D.apply_decision(doc, by=by, date=date, items=decided, extend=extend, objection=objection)
        try:
            with desk.changing(g.user, "decision", file=_rel(path), register_no=rno,
                               items=sorted(decided) or None, extend=extend["days"] if extend else None) as (reg, _):
                checked = R.write_checked(path, doc, inbox=D.inbox_of(path, settings.inbox_root),
                                          today=desk.today(), cfg=desk.cfg, allow_incomplete=True, reg=reg)
                if checked.path is None:
                    raise NotSaved(checked)
        except NotSaved as exc:
            return render_template("review_item.html", **{**ctx, "errors": exc.checked.errors}), 422
        return redirect(url_for("review", saved=rno))

    @app.route("/run", methods=["GET", "POST"])
    @role("ppid")
    def run():
        if request.method == "POST":
            desk.run_all(g.user)
            return redirect(url_for("run"))
        reg = desk.view()

        def letters_of(o):
            rec = reg.records.get(o.register_no or "")
            numbers = [entry["letter_no"] for entry in rec.letters] if rec else []
            return [(j.kind, numbers.index(j.letter_no) if j.pdf and j.letter_no in numbers else None, j.error)
                    for j in o.jobs]

        return render_template("run.html", state=desk.run_state, inboxes=desk.inboxes(), letters_of=letters_of)

    # --- register and statistics (ppid, analyst) --------------------------------------------------

    @app.get("/register")
    @role("ppid", "analyst")
    def register_page():
        from . import views

        q = (request.args.get("q") or "").strip()[:100]
        try:
            page = max(1, int(request.args.get("page", "1")))
        except ValueError:
            page = 1
        rows, total, note = views.register_rows(desk, g.role, q, page, request.args.get("status", ""))
        return render_template("register.html", rows=rows, total=total, q=q, page=page, note=note,
                               per_page=views.PER_PAGE, status=request.args.get("status", ""))

    @app.get("/due")
    @role("ppid", "analyst")
    def due():
        from pipeline.deadlines import due_list

        items = due_list(desk.view(), desk.cfg, desk.today())
        return render_template("due.html", items=items, today=desk.today())

    @app.get("/stats")
    @role("ppid", "analyst")
    def stats():
        from . import views

        try:
            year = int(request.args.get("year", desk.today().year))
        except ValueError:
            year = desk.today().year
        result = views.statistics(desk, year)
        return render_template("stats.html", r=result, year=year, charts=views.charts(result))

    @app.get("/export")
    @role("ppid", "analyst")
    def export():
        from . import views

        fmt = request.args.get("format", "")
        if fmt not in ("csv", "xlsx", "parquet"):
            return render_template("export.html")
        path = views.export_file(desk, fmt)
        return send_file(path, as_attachment=True, download_name=f"register-export.{fmt}")

    from pipeline import public
    from pipeline.delivery.index import index_path

    from . import delivery_views

    delivery_views.register(app)  # hand-overs, refused e-mails, receipts (spec section 9)
    public.register(app, index_path(settings.records))  # /cek, no login (spec section 7)
    return app


def _is_iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _form_values(form, fields: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields:
        if f == "grounds":
            out[f] = form.getlist(f)
        elif f == "guest_book":
            out[f] = bool(form.get(f))
        else:
            out[f] = form.get(f, "")
    out["_use"] = {k[4:]: v for k, v in form.items() if k.startswith("use_")}
    return out
