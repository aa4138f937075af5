"""The tasks that write one block or field of a request file: the consultation answer, a
withdrawal, an objection's notice_received and its decision by the Atasan PPID, a
complaint's response, a Komisi Informasi dispute, a supplement's link to its request, and
the PPID's disposition. Each takes the file, the form as a plain dataclass and the user;
each returns a common.Result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from pipeline import model

from .common import FILE, Refused, Result, block, edit, long_date, put, scalar, staff_name, take_date, take_text

# The words of each choice a task's form offers (values from pipeline.model)
ANSWER_ROLES = {"member": _l("Anggota KPU Provinsi"), "secretary": _l("Sekretaris KPU Provinsi"),
                "delegated": _l("Pejabat yang didelegasikan")}
DISPUTE_RESULTS = {"mediated": _l("Selesai melalui mediasi"), "granted": _l("Dikabulkan seluruhnya"),
                   "partially_granted": _l("Dikabulkan sebagian"), "rejected": _l("Ditolak"),
                   "withdrawn": _l("Dicabut oleh pemohon"), "dismissed": _l("Tidak diterima atau gugur")}
assert set(ANSWER_ROLES) == set(model.ANSWER_ROLES)
assert set(DISPUTE_RESULTS) == set(model.DISPUTE_RESULTS)


def _service(*allowed: str, what):
    """A check that the file is of one of the services a task is for."""
    def check(doc, reg) -> None:
        if doc.get("service") not in allowed:
            raise Refused(Result(errors={FILE: [str(what)]}))
    return check


def _not_after_letter(rec, kind: str, message) -> Result | None:
    letter = rec.last_letter(kind) if rec is not None else None
    if letter:
        return Result(errors={FILE: [str(message) % {"no": letter.get("letter_no", "")}]})
    return None


def _both(*checks):
    def check(doc, reg) -> None:
        for c in checks:
            if c is not None:
                c(doc, reg)
    return check


def _record_check(rno: str | None, kind: str, message):
    """Refuse once a letter of `kind` went out for the request: what it said stays as sent."""
    def check(doc, reg) -> None:
        found = _not_after_letter(reg.records.get(rno or ""), kind, message)
        if found:
            raise Refused(found)
    return check


# --- 1. the consultation answer (spec section 5) ----------------------------------------------------


@dataclass
class AnswerForm:
    text: str = ""
    by: str = ""
    role: str = ""
    date: str = ""
    approved_by: str = ""


ANSWER_FIELDS = ("answer.text", "answer.by", "answer.role", "answer.date", "answer.approved_by")


def answer(desk, path: Path, form: AnswerForm, user: str, *, register_no: str | None = None) -> Result:
    """Write `answer: {text, by, role, date, approved_by}`. A delegated official's answer may be
    saved before it is approved: the consultation then stays with the office (`review`)."""
    r = Result()
    text = take_text(r, "answer.text", form.text)
    by = staff_name(r, "answer.by", take_text(r, "answer.by", form.by, single=True), desk.cfg)
    if form.role not in model.ANSWER_ROLES:
        r.add("answer.role", _("Pilih kedudukan penjawab."))
    day = take_date(r, "answer.date", form.date, desk.today())
    approved = staff_name(r, "answer.approved_by",
                          take_text(r, "answer.approved_by", form.approved_by, required=False, single=True), desk.cfg)
    if approved and form.role != "delegated":
        r.add("answer.approved_by", _("Persetujuan hanya untuk jawaban pejabat yang didelegasikan; kosongkan isian "
                                      "ini atau pilih kedudukan itu."))
    if approved and by and approved.casefold() == by.casefold():
        r.add("answer.approved_by", _("Jawaban yang didelegasikan disetujui oleh anggota atau sekretaris, bukan "
                                      "oleh penjawabnya sendiri."))

    def change(doc) -> None:
        a = block(doc, "answer")
        put(a, "text", scalar(text))
        put(a, "by", by)
        put(a, "role", form.role)
        put(a, "date", day)
        put(a, "approved_by", approved)

    result = edit(desk, path, user, "answer", change, fields=ANSWER_FIELDS, register_no=register_no, result=r,
                  check=_both(_service("consultation", what=_l("Jawaban hanya untuk permohonan konsultasi.")),
                              _record_check(register_no, "consultation_answer", _l(
                                  "Jawaban sudah dikirim dengan surat nomor %(no)s; jawaban itu tidak diubah lagi."))),
                  role=form.role or None, approved=bool(approved))
    if result.ok and form.role == "delegated" and not approved:
        result.notes.append(_("Jawaban tersimpan. Konsultasi menunggu persetujuan anggota atau sekretaris sebelum "
                              "suratnya diterbitkan."))
    return result


# --- 2. withdrawals --------------------------------------------------------------------------------


@dataclass
class WithdrawalForm:
    date: str = ""
    note: str = ""


def withdraw(desk, path: Path, form: WithdrawalForm, user: str, *, register_no: str | None = None) -> Result:
    """Write `withdrawn: DATE`; the note (how the requester withdrew) goes into the event."""
    r = Result()
    day = take_date(r, "withdrawn", form.date, desk.today())
    note = (form.note or "").strip()[:500] or None

    def check(doc, reg) -> None:
        if doc.get("withdrawn"):
            raise Refused(Result(errors={FILE: [_("Permohonan ini sudah dicabut.")]}))
        rec = reg.records.get(register_no or "")
        if rec is not None and rec.row.get("status") == "answered":
            raise Refused(Result(errors={FILE: [_("Permohonan ini sudah dijawab; tidak ada lagi yang dapat dicabut.")]}))

    return edit(desk, path, user, "withdrawal", lambda doc: put(doc, "withdrawn", day), fields=("withdrawn",),
                register_no=register_no, result=r, check=check, note=note)


# --- 3. an objection's notice_received (spec section 6) ------------------------------------------


@dataclass
class NoticeReceivedForm:
    date: str = ""


def notice_received(desk, path: Path, form: NoticeReceivedForm, user: str, *, register_no: str | None = None) -> Result:
    """Write `notice_received: DATE`: the day the requester received the written notice, from
    which the 30-working-day objection window runs (UU KIP Pasal 35-36)."""
    r = Result()
    day = take_date(r, "notice_received", form.date, desk.today())

    def check(doc, reg) -> None:
        _service("objection", what=_l("Tanggal diterimanya pemberitahuan hanya dicatat pada keberatan."))(doc, reg)
        target = reg.records.get(str(doc.get("objection_to") or ""))
        notice = target.last_letter("decision_notice") if target is not None else None
        if notice and day and day < dt.date.fromisoformat(notice["date"]):
            raise Refused(Result(errors={"notice_received": [_(
                "%(label)s tidak boleh sebelum tanggal pemberitahuan tertulis itu (%(date)s).",
                label=_("Tanggal pemberitahuan tertulis diterima pemohon"),
                date=long_date(dt.date.fromisoformat(notice["date"])))]}))
        found = _not_after_letter(reg.records.get(register_no or ""), "objection_response", _l(
            "Tanggapan atas keberatan sudah dikirim (surat nomor %(no)s); tanggal ini tidak diubah lagi."))
        if found:
            raise Refused(found)

    return edit(desk, path, user, "notice_received", lambda doc: put(doc, "notice_received", day),
                fields=("notice_received",), register_no=register_no, result=r, check=check)


# --- 5. a complaint's response --------------------------------------------------------------------


@dataclass
class ResponseForm:
    text: str = ""
    by: str = ""
    date: str = ""


RESPONSE_FIELDS = ("response.text", "response.by", "response.date")


def respond(desk, path: Path, form: ResponseForm, user: str, *, register_no: str | None = None) -> Result:
    """Write a complaint's `response: {text, by, date}`."""
    r = Result()
    text = take_text(r, "response.text", form.text)
    by = take_text(r, "response.by", form.by, single=True)
    day = take_date(r, "response.date", form.date, desk.today())

    def change(doc) -> None:
        a = block(doc, "response")
        put(a, "text", scalar(text))
        put(a, "by", by)
        put(a, "date", day)

    return edit(desk, path, user, "response", change, fields=RESPONSE_FIELDS, register_no=register_no, result=r,
                check=_service("complaint", what=_l("Tanggapan hanya untuk pengaduan, saran atau apresiasi.")))


# --- 6. a Komisi Informasi dispute and its ruling -----------------------------------------------


@dataclass
class DisputeForm:
    filed: str = ""
    case_no: str = ""
    result: str = ""
    decided: str = ""


DISPUTE_FIELDS = ("dispute.filed", "dispute.case_no", "dispute.result", "dispute.decided")


def dispute(desk, path: Path, form: DisputeForm, user: str, *, register_no: str | None = None) -> Result:
    """Write `dispute: {filed, case_no, result, decided}`; the result and its date go together."""
    r = Result()
    today = desk.today()
    filed = take_date(r, "dispute.filed", form.filed, today)
    case_no = take_text(r, "dispute.case_no", form.case_no, required=False, single=True)
    result = form.result or None
    if result is not None and result not in model.DISPUTE_RESULTS:
        r.add("dispute.result", _("Pilih hasil penyelesaian sengketa."))
    decided = take_date(r, "dispute.decided", form.decided, today, required=False)
    if result and not decided and "dispute.decided" not in r.errors:
        r.add("dispute.decided", _("%(label)s wajib diisi bila hasilnya dipilih.",
                                   label=_("Tanggal putusan atau kesepakatan mediasi")))
    if decided and not result:
        r.add("dispute.result", _("Pilih hasilnya bila tanggal putusan diisi."))
    if filed and decided and decided < filed:
        r.add("dispute.decided", _("%(label)s tidak boleh sebelum tanggal sengketa didaftarkan.",
                                   label=_("Tanggal putusan atau kesepakatan mediasi")))

    def change(doc) -> None:
        d = block(doc, "dispute")
        put(d, "filed", filed)
        put(d, "case_no", case_no)
        put(d, "result", result)
        put(d, "decided", decided)

    return edit(desk, path, user, "dispute", change, fields=DISPUTE_FIELDS, register_no=register_no, result=r,
                check=_service("objection", what=_l(
                    "Sengketa di Komisi Informasi dicatat pada berkas keberatannya.")),
                dispute_result=result)


# --- 7. a supplement linked to its request ---------------------------------------------------------


@dataclass
class LinkForm:
    register_no: str = ""


def link_supplement(desk, path: Path, form: LinkForm, user: str) -> Result:
    """Write `register_no:` into a supplement's file: the request it completes. Refused when
    the register does not know the number, the request is not incomplete, or the file is
    not from the same requester for the same service (pipeline.matching)."""
    from pipeline import matching
    from pipeline.errors import RequestFileError
    from pipeline.loading import load_request

    from .. import decisions as D

    r = Result()
    rno = take_text(r, "register_no", form.register_no, single=True)

    def check(doc, reg) -> None:
        rec = reg.records.get(rno or "")
        if rec is None:
            raise Refused(Result(errors={"register_no": [_("Nomor %(no)s tidak ada dalam register.", no=rno)]}))
        if not rec.missing:
            raise Refused(Result(errors={"register_no": [_(
                "Permohonan %(no)s tidak sedang menunggu kelengkapan; susulan hanya melengkapi permohonan yang "
                "belum lengkap.", no=rno)]}))
        try:
            req = load_request(path, D.inbox_of(path, desk.s.inbox_root), desk.today())
        except RequestFileError:
            raise Refused(Result(errors={FILE: [_(
                "Berkas susulan ini tidak dapat dibaca; perbaiki dahulu di penyunting berkas.")]})) from None
        own = reg.by_key.get(req.key)
        if own and own != rno:
            raise Refused(Result(errors={FILE: [_(
                "Berkas ini sudah terdaftar sebagai permohonan sendiri dengan nomor %(own)s; tidak dapat dijadikan "
                "susulan.", own=own)]}))
        why = matching.owner_mismatch(rec, req) or (req.service != rec.row.get("service") and "another service")
        if why:
            raise Refused(Result(errors={"register_no": [_(
                "Berkas ini bukan dari pemohon yang sama atau untuk layanan yang sama dengan %(no)s; periksa nama, "
                "nomor identitas dan jenis layanannya.", no=rno)]}))

    return edit(desk, path, user, "link_supplement", lambda doc: put(doc, "register_no", rno),
                fields=("register_no",), register_no=rno, result=r, check=check)


# --- 11. disposition (disposisi) -------------------------------------------------------------------


@dataclass
class DispositionForm:
    to: str = ""
    note: str = ""
    date: str = ""


DISPOSITION_FIELDS = ("disposition.to", "disposition.note", "disposition.by", "disposition.date")


def dispose(desk, path: Path, form: DispositionForm, user: str, *, by: str | None = None,
            register_no: str | None = None) -> Result:
    """Write `disposition: {to, note, by, date}`: the PPID assigns the request to a unit or an
    officer (the decree's walk-in flow: "disposisi"). `by` defaults to the user."""
    r = Result()
    to = take_text(r, "disposition.to", form.to, single=True)
    note = take_text(r, "disposition.note", form.note, required=False)
    day = take_date(r, "disposition.date", form.date, desk.today())

    def change(doc) -> None:
        d = block(doc, "disposition")
        put(d, "to", to)
        put(d, "note", scalar(note) if note else None)
        put(d, "by", by or user)
        put(d, "date", day)

    return edit(desk, path, user, "disposition", change, fields=DISPOSITION_FIELDS, register_no=register_no,
                result=r, to=to)
