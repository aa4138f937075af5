"""The register's pages: one request, its letters, the register, the due list, the
statistics and the analysts' export."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from pipeline.errors import ConfigError

from . import core, views
from . import decisions as D
from .roles import role
from .web import desk, rel, settings

bp = Blueprint("records", __name__)


@bp.get("/request")
@role("clerk", "ppid", "atasan_ppid")
def request_page():
    d = desk()
    rec = d.view().records.get(request.args.get("rno", ""))
    if rec is None:
        abort(404)
    due, left = core.due_of(d, rec.register_no)
    path = D.request_path(rec)
    return render_template("request.html", rec=rec, due=due, left=left, letters=list(enumerate(rec.letters)),
                           file=rel(path) if path else None)


@bp.get("/letter")
@role("clerk", "ppid", "atasan_ppid")
def letter():
    rec = desk().view().records.get(request.args.get("rno", ""))
    try:
        ev = rec.letters[int(request.args.get("n", "-1"))] if rec else None
    except (ValueError, IndexError):
        ev = None
    if not ev or not ev.get("pdf"):
        abort(404)
    pdf = Path(ev["pdf"]).resolve()
    if not pdf.is_relative_to(settings().out.resolve()) or not pdf.is_file():
        abort(404)
    return send_file(pdf, mimetype="application/pdf", as_attachment=bool(request.args.get("download")),
                     download_name=pdf.name)


@bp.get("/register")
@role("ppid", "atasan_ppid", "analyst")
def register():
    q = (request.args.get("q") or "").strip()[:100]
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    status = request.args.get("status", "")
    who = "analyst" if current_user.role == "analyst" else "ppid"
    rows, total, note = views.register_rows(desk(), who, q, page, status)
    return render_template("register.html", rows=rows, total=total, q=q, page=page, note=note,
                           per_page=views.PER_PAGE, status=status)


@bp.get("/due")
@role("ppid", "atasan_ppid", "analyst")
def due():
    d = desk()
    return render_template("due.html", items=core.due(d), today=d.today())


FIRST_YEAR = 2000  # as the task forms' dates (tasks.common.take_date): an earlier year is a typing slip


@bp.get("/stats")
@role("ppid", "atasan_ppid", "analyst")
def stats():
    d = desk()
    try:
        year = int(request.args.get("year", d.today().year))
    except ValueError:
        year = d.today().year
    if not FIRST_YEAR <= year <= d.today().year:  # beyond what a date holds, or a year with no requests yet
        return render_template("message.html", title=_("No statistics for this year"), message=_(
            "The statistics cover the years %(first)s to %(last)s; choose a year in that range.",
            first=FIRST_YEAR, last=d.today().year)), 400
    result = views.statistics(d, year)
    return render_template("stats.html", r=result, year=year, charts=views.charts(result))


@bp.get("/export")
@role("ppid", "analyst")
def export():
    fmt = request.args.get("format", "")
    if fmt not in ("csv", "xlsx", "parquet"):
        return render_template("export.html")
    try:
        path = views.export_file(desk(), fmt)
    except ConfigError:
        return render_template("message.html", title=_("Not done"), message=_(
            "The export needs the office's own pseudonym key, which is not set yet; the administrator sets it "
            "(see the README).")), 409
    return send_file(path, as_attachment=True, download_name=f"register-export.{fmt}")
