"""The PPID's side: the review queue, a request's decision written into its file, and
the batch run; an objection is decided by the Atasan PPID (UU 14/2008 Pasal 36)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pipeline.errors import RequestFileError

from . import core
from . import decisions as D
from . import requestfile as R
from .forms import DecisionForm
from .roles import role
from .web import desk, rel

bp = Blueprint("review", __name__)
_CACHE: dict = {}  # loaded request files, by (path, mtime, size)


@bp.get("/review")
@role("ppid", "atasan_ppid")
def queue():
    d = desk()
    entries = core.queue(d.view(), d.cfg, d.today(), d.s.inbox_root, _CACHE)
    if current_user.role == "atasan_ppid":
        entries = [e for e in entries if e.service == "objection"]
    return render_template("review.html", entries=entries, today=d.today())


def _decider_role(service: str) -> str:
    return "atasan_ppid" if service == "objection" else "ppid"


@bp.route("/review/item", methods=["GET", "POST"])
@role("ppid", "atasan_ppid")
def item():
    d = desk()
    rno = request.values.get("rno", "")
    rec = d.view().records.get(rno)
    path = D.request_path(rec) if rec else None
    if rec is None or path is None:
        abort(404)
    service = rec.row.get("service")
    try:
        items = core.classify(path, d.s.inbox_root, d.cfg, d.today(), _CACHE) if service == "information" else []
    except RequestFileError:
        return render_template("message.html", title=_("The request file has a problem"), message=_(
            "The request file cannot be read; open it on the malformed-file page.")), 422
    due, left = core.due_of(d, rec.register_no)
    klass = DecisionForm.for_items([it.no for it in items])
    if request.method == "GET":
        data = {"date": d.today().isoformat()}
        for it in items:
            if getattr(it, "proposed", None):
                data[f"item{it.no}.status"] = it.proposed
                data[f"item{it.no}.ground"] = it.ground or ""
        form = klass(data=data)
    else:
        form = klass(request.form)
    ctx = dict(rec=rec, items=items, due=due, left=left, file=rel(path), form=form, errors={},
               item_state=D.item_state, may_decide=current_user.role == _decider_role(service))
    if request.method == "GET":
        return render_template("review_item.html", **ctx)
    if not ctx["may_decide"]:
        abort(403)
    errors = form.check(objection=service == "objection", today=d.today())
    if errors:
        return render_template("review_item.html", **{**ctx, "errors": errors}), 422
    decided = form.decided()
    days = form.days()
    extend = {"days": days, "reason": form.extend_reason.data.strip(), "date": form.day()} if days else None
    objection = {"result": form.result.data, "reason": (form.reason.data or "").strip()} \
        if service == "objection" else None
    R.within(d.s.inbox_root, path)  # a file outside the desk's inbox root: refused (intake.outside_inbox)
    doc = R.load_rt(path)
    D.apply_decision(doc, by=form.by.data.strip(), date=form.day(), items=decided, extend=extend, objection=objection)
    try:
        with d.changing(current_user.name, "decision", file=rel(path), register_no=rno,
                        decided_by=form.by.data.strip(), items=sorted(decided) or None,
                        extend=days, result=objection["result"] if objection else None) as (reg, _details):
            checked = R.write_checked(path, doc, inbox=D.inbox_of(path, d.s.inbox_root), today=d.today(),
                                      cfg=d.cfg, incomplete=R.Incomplete.ACCEPT, reg=reg)
            if checked.path is None:
                raise _NotSaved(checked)
    except _NotSaved as exc:
        return render_template("review_item.html", **{**ctx, "errors": exc.checked.errors}), 422
    return redirect(url_for("review.queue", saved=rno))


class _NotSaved(Exception):
    def __init__(self, checked):
        self.checked = checked


@bp.route("/run", methods=["GET", "POST"])
@role("ppid")
def run():
    d = desk()
    if request.method == "POST":
        d.run_all(current_user.name)
        return redirect(url_for("review.run"))
    reg = d.view()

    def letters_of(o):
        rec = reg.records.get(o.register_no or "")
        numbers = [entry["letter_no"] for entry in rec.letters] if rec else []
        return [(j.kind, numbers.index(j.letter_no) if j.pdf and j.letter_no in numbers else None, j.error)
                for j in o.jobs]

    return render_template("run.html", state=d.run_state, inboxes=d.inboxes(), letters_of=letters_of)

