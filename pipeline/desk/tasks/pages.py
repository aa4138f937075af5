"""The pages of the desk's tasks (a blueprint): each route parses its form, calls one task
function (pipeline.desk.tasks) and renders the result. Text is Indonesian and marked for
the catalog (flask_babel)."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from .. import decisions as D
from .. import pages as nav
from .. import users as U
from ..roles import role
from ..web import desk
from . import accounts as A
from . import edits as X
from . import editor as E
from . import lookup as L
from .common import FILE, LABELS, Result, long_date, rel_path

bp = Blueprint("tasks", __name__)


@bp.record_once
def _jinja(state) -> None:
    """The catalog's functions in templates, when the app has not installed them itself."""
    if "babel" not in state.app.extensions:
        from flask_babel import Babel

        Babel(state.app, default_locale="id")
    env = state.app.jinja_env
    env.globals.setdefault("_", _)
    env.globals.setdefault("gettext", _)
    env.globals.setdefault("ngettext", ngettext)
    env.filters.setdefault("long_date", long_date)


def requires(*roles: str):
    """The skeleton's role check (Flask-Login: a disabled user or a reset password ends the session)."""
    return role(*roles)


# --- the request a task is for ----------------------------------------------------------------


def _record(rno: str):
    rec = desk().view().records.get(rno or "")
    path = D.request_path(rec) if rec else None
    if rec is None or path is None:
        abort(404)
    return rec, path


def _inbox_file(rel: str) -> Path:
    from pipeline.desk.web import inbox_file

    return inbox_file(rel, desk().s.inbox_root)  # the one guard of a user's path (NUL, too long, outside)


def _form(cls, prefix: str = ""):
    """The posted form as the task's dataclass."""
    return cls(**{f.name: request.form.get(prefix + f.name, "") for f in dataclasses.fields(cls)})


def _staff(role: str | None = None) -> list[str]:
    """Names of the office's staff (config `staff:`), offered as choices, never pre-filled."""
    staff = getattr(desk().cfg, "staff", None) or []
    out = []
    for person in staff:
        p = person if isinstance(person, dict) else dataclasses.asdict(person)
        if p.get("name") and (role is None or p.get("role") == role):
            out.append(p["name"])
    return out


def _field(name: str, kind: str = "text", *, required: bool = True, choices: dict | None = None,
           value: Any = "", hint: Any = "", options: list[str] | None = None, label: Any = None) -> dict:
    return {"name": name, "label": label or LABELS.get(name, name), "kind": kind, "required": required,
            "choices": choices or {}, "value": value, "hint": hint, "options": options or [],
            "id": "f-" + name.replace(".", "-").replace("_", "-")}


def _page(title, fields: list[dict], result: Result | None, *, rec=None, intro: Any = "", status: int = 200,
          submit: Any = None):
    errors = result.errors if result else {}
    first = next((f["id"] for f in fields if errors.get(f["name"])), None)
    return render_template("tasks/form.html", title=title, fields=fields, errors=errors, rec=rec, intro=intro,
                           first_error=first, file_errors=errors.get(FILE, []), services=L.SERVICES,
                           statuses=L.STATUSES,
                           submit=submit or _("Simpan"), file=request.args.get("file")), status


def _values(fields: list[dict]) -> None:
    """Posted values back into the fields (a refused form keeps what was typed)."""
    for f in fields:
        f["value"] = request.form.get(f["name"], f["value"])


def _from_file(path: Path, fields: list[dict]) -> None:
    """What the file already says, in the form (a delegated answer is approved by opening
    its form again; a dispute gets its ruling later)."""
    import datetime as dt

    from .. import requestfile as R

    try:
        doc = R.load_rt(path)
    except Exception:  # noqa: BLE001 - an unreadable file: the task's save says so, at the file
        return
    for f in fields:
        value = R.get_path(doc, f["name"])
        if isinstance(value, dt.date):
            f["value"] = value.isoformat()
        elif value not in (None, "") and not isinstance(value, (dict, list)):
            f["value"] = str(value).rstrip("\n")


def _done(rec, message: str):
    from flask import flash

    flash(message)
    return redirect(url_for("tasks.history", rno=rec.register_no))


def _edit_page(rno: str, title, fields: list[dict], call, form_cls, *, keys: dict[str, str], intro: Any = "",
               done: Any = None):
    """GET: the form; POST: the task, then the request's history (or the form again, with its errors)."""
    rec, path = _record(rno)
    if request.method == "GET":
        _from_file(path, fields)
        return _page(title, fields, None, rec=rec, intro=intro)
    form = form_cls(**{attr: request.form.get(name, "") for name, attr in keys.items()})
    result = call(desk(), path, form, g.user, register_no=rec.register_no)
    if not result.ok:
        _values(fields)
        return _page(title, fields, result, rec=rec, intro=intro, status=422)
    return _done(rec, " ".join([str(done or _("Tersimpan.")), *result.notes]))


# the menu entries of these pages (pipeline.desk.pages)
for _r in ("clerk", "ppid"):
    nav.EXTRA_NAV.setdefault(_r, []).append(("tasks.lookup", _l("Cari")))
nav.EXTRA_NAV.setdefault("ppid", []).append(("tasks.users", _l("Pengguna")))


def _role_choices() -> dict:
    return {k: v for k, v in A.ROLE_NAMES.items() if k in U.ROLES}


def _today() -> str:
    return desk().today().isoformat()


# --- 1. consultation answer -------------------------------------------------------------------


@bp.route("/tugas/jawaban", methods=["GET", "POST"])
@requires("ppid")
def answer():
    fields = [_field("answer.text", "textarea"), _field("answer.by", options=_staff()),
              _field("answer.role", "select", choices=X.ANSWER_ROLES),
              _field("answer.date", "date", value=_today()),
              _field("answer.approved_by", required=False, options=_staff(),
                     hint=_l("Diisi bila jawaban diberikan oleh pejabat yang didelegasikan: nama anggota atau "
                             "sekretaris yang menyetujuinya. Tanpa persetujuan, surat jawaban belum diterbitkan."))]
    return _edit_page(request.args.get("rno", ""), _("Jawaban konsultasi"), fields, X.answer, X.AnswerForm,
                      keys={f"answer.{k}": k for k in ("text", "by", "role", "date", "approved_by")},
                      done=_("Jawaban konsultasi tersimpan; surat jawaban diterbitkan pada proses berikutnya."))


# --- 2. withdrawal ------------------------------------------------------------------------------


@bp.route("/tugas/pencabutan", methods=["GET", "POST"])
@requires("clerk", "ppid")
def withdraw():
    fields = [_field("withdrawn", "date", value=_today()),
              _field("withdrawn_note", "textarea", required=False,
                     hint=_l("Misalnya: pemohon datang langsung, atau surat pencabutan tanggal …"))]
    return _edit_page(request.args.get("rno", ""), _("Pencabutan permohonan"), fields, X.withdraw, X.WithdrawalForm,
                      keys={"withdrawn": "date", "withdrawn_note": "note"}, done=_("Pencabutan tercatat."))


# --- 3. notice_received ---------------------------------------------------------------------------


@bp.route("/tugas/pemberitahuan-diterima", methods=["GET", "POST"])
@requires("clerk", "ppid")
def notice_received():
    fields = [_field("notice_received", "date",
                     hint=_l("Hari pemohon menerima pemberitahuan tertulis; jangka waktu keberatan 30 hari kerja "
                             "dihitung sejak hari itu."))]
    return _edit_page(request.args.get("rno", ""), _("Tanggal pemberitahuan diterima pemohon"), fields,
                      X.notice_received, X.NoticeReceivedForm, keys={"notice_received": "date"},
                      done=_("Tanggal diterimanya pemberitahuan tercatat."))


# --- 5. complaint response ---------------------------------------------------------------------------


@bp.route("/tugas/tanggapan", methods=["GET", "POST"])
@requires("ppid")
def response():
    fields = [_field("response.text", "textarea"), _field("response.by", options=_staff()),
              _field("response.date", "date", value=_today())]
    return _edit_page(request.args.get("rno", ""), _("Tanggapan atas pengaduan"), fields, X.respond, X.ResponseForm,
                      keys={f"response.{k}": k for k in ("text", "by", "date")}, done=_("Tanggapan tersimpan."))


# --- 6. dispute --------------------------------------------------------------------------------------


@bp.route("/tugas/sengketa", methods=["GET", "POST"])
@requires("ppid")
def dispute():
    fields = [_field("dispute.filed", "date"), _field("dispute.case_no", required=False),
              _field("dispute.result", "select", required=False, choices={"": _l("— belum diputus —"),
                                                                          **X.DISPUTE_RESULTS}),
              _field("dispute.decided", "date", required=False)]
    return _edit_page(request.args.get("rno", ""), _("Sengketa informasi di Komisi Informasi"), fields, X.dispute,
                      X.DisputeForm, keys={f"dispute.{k}": k for k in ("filed", "case_no", "result", "decided")},
                      done=_("Sengketa tercatat."))


# --- 11. disposition ----------------------------------------------------------------------------------


@bp.route("/tugas/disposisi", methods=["GET", "POST"])
@requires("ppid")
def disposition():
    fields = [_field("disposition.to", options=_staff(), hint=_l("Unit kerja atau pejabat yang menyiapkan jawaban.")),
              _field("disposition.note", "textarea", required=False),
              _field("disposition.date", "date", value=_today())]
    return _edit_page(request.args.get("rno", ""), _("Disposisi"), fields, X.dispose, X.DispositionForm,
                      keys={f"disposition.{k}": k for k in ("to", "note", "date")}, done=_("Disposisi tercatat."))


# --- 7. supplement linking --------------------------------------------------------------------------


@bp.route("/tugas/susulan", methods=["GET", "POST"])
@requires("clerk", "ppid")
def supplement():
    rel = request.values.get("file", "")
    path = _inbox_file(rel)
    q = (request.args.get("q") or "").strip()[:100]
    hits = L.search(desk().view(), q) if q else []
    result = None
    if request.method == "POST":
        result = X.link_supplement(desk(), path, X.LinkForm(register_no=request.form.get("register_no", "")), g.user)
        if result.ok:
            from flask import flash

            flash(_("Berkas susulan dihubungkan dengan %(no)s. Jalankan proses agar permohonan itu dilengkapi.",
                    no=request.form.get("register_no")))
            return redirect(url_for("tasks.history", rno=request.form.get("register_no")))
    return render_template("tasks/supplement.html", file=rel, q=q, hits=hits, errors=result.errors if result else {},
                           statuses=L.STATUSES, services=L.SERVICES), 422 if result else 200


# --- 8. lookup, reprint, history -------------------------------------------------------------------


@bp.get("/cari")
@requires("clerk", "ppid")
def lookup():
    q = (request.args.get("q") or "").strip()[:100]
    hits = L.search(desk().view(), q) if q else []
    return render_template("tasks/lookup.html", q=q, hits=hits, statuses=L.STATUSES, services=L.SERVICES,
                           how={"name": _l("nama"), "number": _l("nomor registrasi"), "nik": _l("NIK"),
                                "phone": _l("telepon")})


@bp.get("/cari/cetak-ulang")
@requires("clerk", "ppid")
def reprint():
    """The receipt already issued, as issued (same number, same verification code); the
    reprint is recorded."""
    rec = desk().view().records.get(request.args.get("rno", ""))
    if rec is None:
        abort(404)
    pdf = L.receipt_pdf(rec, desk().s.out)
    if pdf is None:
        abort(404)
    with desk().changing(g.user, "reprint", register_no=rec.register_no, letter=pdf.name):
        pass
    return send_file(pdf, mimetype="application/pdf", download_name=pdf.name)


@bp.get("/riwayat")
@requires("clerk", "ppid", "atasan_ppid")
def history():
    rec = desk().view().records.get(request.args.get("rno", ""))
    if rec is None:
        abort(404)
    path = D.request_path(rec)  # a request whose file left its inbox still has its history
    rel = rel_path(desk(), path) if path else None
    steps = L.history(desk().s.records, rec, rel)
    f = L.found(rec)
    return render_template("tasks/history.html", rec=rec, steps=steps, found=f, file=rel, actions=_actions(rec),
                           statuses=L.STATUSES, services=L.SERVICES)


def _actions(rec) -> list[tuple[str, Any]]:
    return _task_links(rec) if D.request_path(rec) else []


def _task_links(rec) -> list[tuple[str, Any]]:
    """The tasks open to this user for this request: (endpoint, words)."""
    service, role_ = rec.row.get("service"), g.role
    out = []
    if role_ == "ppid" and service == "consultation":
        out.append(("tasks.answer", _l("Catat jawaban konsultasi")))
    if role_ == "ppid" and service == "complaint":
        out.append(("tasks.response", _l("Catat tanggapan")))
    if role_ in ("ppid", "atasan_ppid") and service == "objection" and rec.row.get("status") == "review":
        out.append(("review.item", _l("Catat putusan Atasan PPID")))
    if role_ in ("clerk", "ppid") and service == "objection":
        out.append(("tasks.notice_received", _l("Catat tanggal pemberitahuan diterima")))
    if role_ == "ppid" and service == "objection":
        out.append(("tasks.dispute", _l("Catat sengketa Komisi Informasi")))
    if role_ == "ppid":
        out.append(("tasks.disposition", _l("Disposisi")))
    if role_ in ("clerk", "ppid") and not rec.withdrawn_at and rec.row.get("status") != "answered":
        out.append(("tasks.withdraw", _l("Catat pencabutan")))
    return out


# --- 9. the file editor ---------------------------------------------------------------------------


@bp.route("/tugas/berkas", methods=["GET", "POST"])
@requires("clerk", "ppid")
def file_editor():
    rel = request.values.get("file", "")
    path = _inbox_file(rel)
    if request.method == "POST":
        text = request.form.get("text", "")
        saved = E.save_checked(desk(), path, text, g.user, g.role)
        if saved.saved:
            from flask import flash

            flash(_("Berkas tersimpan dan sudah dapat dibaca sebagai permohonan."))
            return redirect(url_for("tasks.file_editor", file=rel))
        return render_template("tasks/editor.html", file=rel, text=text, problems=saved.problems, saved=False), 422
    text = E.read_text(path)
    rno = E.registered_and_sound(desk(), path)
    if rno:
        from flask import flash

        flash(str(E._REGISTERED) % {"no": rno})
        return redirect(url_for("tasks.history", rno=rno))
    return render_template("tasks/editor.html", file=rel, text=text, problems=E.problems(desk(), path), saved=None)


# --- 10. users --------------------------------------------------------------------------------------


@bp.route("/pengguna", methods=["GET", "POST"])
@requires("ppid")
def users():
    result = None
    form = A.UserForm()
    if request.method == "POST":
        form = _form(A.UserForm)
        result = A.add_user(desk(), form, g.user)
        if result.ok:
            from flask import flash

            flash(_("Pengguna %(name)s ditambahkan.", name=form.name.strip().lower()))
            return redirect(url_for("tasks.users"))
    return render_template("tasks/users.html", users=A.listing(desk()), roles=A.ROLE_NAMES, labels=A.FIELD_LABELS, role_choices=_role_choices(),
                           form=form, errors=result.errors if result else {}, reset=None), 422 if result else 200


@bp.post("/pengguna/status")
@requires("ppid")
def user_status():
    from flask import flash

    name = request.form.get("name", "")
    disable = request.form.get("disable") == "1"
    result = A.set_disabled(desk(), name, disable, g.user)
    if result.ok:
        flash(_("Pengguna %(name)s dinonaktifkan; sesi yang masih terbuka berakhir.", name=name) if disable
              else _("Pengguna %(name)s diaktifkan kembali.", name=name))
    else:
        flash(" ".join(m for ms in result.errors.values() for m in ms))
    return redirect(url_for("tasks.users"))


@bp.route("/pengguna/kata-sandi", methods=["GET", "POST"])
@requires("ppid")
def user_password():
    name = request.values.get("name", "")
    result = None
    if request.method == "POST":
        result = A.reset_password(desk(), name, _form(A.UserForm), g.user)
        if result.ok:
            from flask import flash

            flash(_("Kata sandi %(name)s diganti; sesi yang masih terbuka berakhir.", name=name))
            return redirect(url_for("tasks.users"))
    return render_template("tasks/users.html", users=A.listing(desk()), roles=A.ROLE_NAMES, labels=A.FIELD_LABELS, role_choices=_role_choices(),
                           form=A.UserForm(), errors=result.errors if result else {}, reset=name), \
        422 if result else 200
