"""The clerk's lookup: a request found by name, register number, identity number (NIK) or
phone, its receipt printed again, and its history in Indonesian.

Searches run on the register in memory (the records folded from the event log), so a
request is found the moment it is registered. Identity numbers and phones are personal
data (UU 27/2022): they are matched here but leave this module masked."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from pipeline.register import Record

MAX_RESULTS = 50
RECEIPT_KINDS = ("receipt", "incomplete_notice", "objection_receipt")  # what a requester is handed at intake

LETTER_KINDS = {
    "receipt": _l("Tanda bukti penerimaan"), "incomplete_notice": _l("Pemberitahuan kekurangan persyaratan"),
    "decision_notice": _l("Pemberitahuan tertulis"), "extension_notice": _l("Pemberitahuan perpanjangan waktu"),
    "consultation_answer": _l("Surat jawaban konsultasi"), "objection_receipt": _l("Tanda bukti penerimaan keberatan"),
    "objection_response": _l("Tanggapan atas keberatan"), "refusal_decree": _l("Keputusan PPID tentang penolakan"),
    "revocation_decree": _l("Keputusan PPID tentang pencabutan"),
}
SERVICES = {"information": _l("Permohonan informasi"), "consultation": _l("Konsultasi"),
            "objection": _l("Keberatan"), "complaint": _l("Pengaduan/saran")}
STATUSES = {"incomplete": _l("belum lengkap"), "review": _l("menunggu keputusan"), "answered": _l("dijawab"),
            "scheduled": _l("konsultasi dijadwalkan"), "registered": _l("tercatat"), "withdrawn": _l("dicabut"),
            "rejected_file": _l("berkas ditolak")}
DESK_ACTIONS = {
    "intake": _l("dicatat di meja depan"), "complete": _l("dilengkapi"), "decision": _l("keputusan PPID dicatat"),
    "run": _l("proses dijalankan"), "answer": _l("jawaban konsultasi dicatat"), "withdrawal": _l("pencabutan dicatat"),
    "notice_received": _l("tanggal diterimanya pemberitahuan dicatat"),
    "objection_decision": _l("putusan Atasan PPID dicatat"), "response": _l("tanggapan pengaduan dicatat"),
    "dispute": _l("sengketa Komisi Informasi dicatat"), "link_supplement": _l("susulan dihubungkan"),
    "disposition": _l("didisposisikan"), "reprint": _l("tanda bukti dicetak ulang"),
    "file_edit": _l("berkas diperbaiki di penyunting"),
}


def digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def phone_key(text: str | None) -> str:
    """A phone number as digits with the Indonesian trunk prefix: +62 812…, 62812… and 0812… alike."""
    d = digits(text)
    if d.startswith("62"):
        d = "0" + d[2:]
    return d


def mask(number: str | None, keep: int = 4) -> str:
    """5371••••••••0077: the first and last digits only (UU 27/2022: a screen shows no full NIK)."""
    d = digits(number)
    if not d:
        return ""
    if len(d) <= keep * 2:
        return "•" * len(d)
    return d[:keep] + "•" * (len(d) - 2 * keep) + d[-keep:]


def _fold(text: str | None) -> str:
    t = unicodedata.normalize("NFKD", text or "")
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"\w+", t))


@dataclass
class Found:
    register_no: str
    name: str
    service: str
    status: str
    received_at: str
    nik: str  # masked
    phone: str  # masked
    matched: str  # what the query matched: name, number, nik, phone
    receipt: int | None = None  # index into the record's letters of the latest receipt
    file: str | None = None


@dataclass
class _Entry:
    rec: Record
    words: str  # the name's and organization's words, folded, each after a space
    nik: str  # digits
    phone: str  # phone_key
    number: str  # the register number in capitals
    seq: int  # its sequence number (0012/PPID/2026: 12)


_INDEX: dict[str, tuple[tuple, list[_Entry]]] = {}  # register folder -> (stamp, entries)


def _entries(reg) -> list[_Entry]:
    """The register prepared for searching, once per state of the log (10,000 requests: a
    search then takes a few milliseconds instead of folding every name again)."""
    stamp = (id(reg.records.get(next(iter(reg.records), None))) if reg.records else 0, len(reg.records),
             getattr(reg, "events_read", 0))
    key = str(getattr(reg, "folder", ""))
    hit = _INDEX.get(key)
    if hit and hit[0] == stamp:
        return hit[1]
    out = []
    for rec in reg.records.values():
        personal = rec.personal or {}
        words = " " + _fold(rec.row.get("requester_name")) + " " + _fold(rec.row.get("requester_organization"))
        seq = digits(rec.register_no.split("/")[0])
        out.append(_Entry(rec, words, digits(personal.get("identity_number")), phone_key(personal.get("phone")),
                          rec.register_no.upper(), int(seq) if seq else -1))
    _INDEX[key] = (stamp, out)
    return out


def search(reg, query: str, *, limit: int = MAX_RESULTS) -> list[Found]:
    """Requests matching the query: a register number (or its digits), an identity number
    (at least 6 digits), a phone (at least 6 digits, any prefix) or words of the name."""
    q = (query or "").strip()
    if len(q) < 2 and not q.isdigit():
        return []
    qd = digits(q)
    qfold = [" " + w for w in _fold(q).split()]  # each word of the query begins a word of the name
    only_digits = bool(qd) and not re.sub(r"[\s+().\-/]", "", q).replace(qd, "")
    qphone = phone_key(q)
    out: list[Found] = []
    qu = q.upper()
    qseq = int(qd) if only_digits and 1 <= len(qd) <= 5 else None
    for e in _entries(reg):
        rec = e.rec
        matched = None
        if qu == e.number or ("/" in q and qu in e.number) or (qseq is not None and qseq == e.seq):
            matched = "number"
        elif only_digits and len(qd) >= 6:
            if qd in e.nik:
                matched = "nik"
            elif qphone and qphone in e.phone:
                matched = "phone"
        elif not only_digits and qfold and all(w in e.words for w in qfold):
            matched = "name"
        if matched is not None:
            out.append(found(rec, matched))
    out.sort(key=lambda f: f.received_at, reverse=True)
    return out[:limit]


def found(rec: Record, matched: str = "") -> Found:
    personal = rec.personal or {}
    receipt = None
    for i, entry in enumerate(rec.letters):
        if entry.get("kind") in RECEIPT_KINDS and entry.get("pdf"):
            receipt = i
    return Found(rec.register_no, rec.row.get("requester_name") or "", rec.row.get("service") or "",
                 rec.row.get("status") or "", rec.row.get("received_at") or "",
                 mask(personal.get("identity_number")), mask(personal.get("phone"), 3), matched, receipt)


def receipt_pdf(rec: Record, out_root: Path) -> Path | None:
    """The receipt (or notice of what is missing) already issued for the request, as issued:
    never made again, so the reprint carries the same number and verification code."""
    for entry in reversed(rec.letters):
        if entry.get("kind") in RECEIPT_KINDS and entry.get("pdf"):
            pdf = Path(entry["pdf"]).resolve()
            if pdf.is_relative_to(out_root.resolve()) and pdf.is_file():
                return pdf
    return None


@dataclass
class Step:
    at: Any  # a datetime, or a date (letters are dated, not timed)
    what: str  # in Indonesian
    user: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def warm(desk) -> None:
    """Build the search index before the first visitor needs it (half a second at 10,000 requests)."""
    _entries(desk.view())


def history(records: Path, rec: Record, file: str | None = None) -> list[Step]:
    """The request's events, oldest first, each said in Indonesian. The desk's own events
    are found by register number and by the request file they changed (read through the
    register, the one reader of the log)."""
    from pipeline.register import events_of

    steps = [describe(ev) for ev in events_of(records, rec.register_no, file)]
    return [s for s in steps if s is not None]


def _moment(text: str):
    """An event's time as a date (a letter's date) or a datetime (WITA unless it says otherwise)."""
    import datetime as dt

    text = text.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return text


def describe(ev: dict[str, Any]) -> Step | None:
    kind = ev.get("type")
    at = str(ev.get("at") or ev.get("received_at") or ev.get("completed_at") or ev.get("date")
             or ev.get("answered_at") or ev.get("withdrawn_at") or ev.get("reopened_at") or ev.get("logged_at") or "")
    at = _moment(at)
    user = ev.get("user") or ""
    if kind == "received":
        what = _("Diterima dan didaftarkan dengan nomor %(no)s", no=ev.get("register_no"))
    elif kind == "updated":
        what = _("Berkas permohonan diperbarui")
    elif kind == "incomplete":
        what = _("Belum lengkap: %(n)s persyaratan kurang", n=len(ev.get("missing") or []))
    elif kind == "completed":
        what = _("Persyaratan dilengkapi")
    elif kind == "decided":
        what = _("Diputuskan")
    elif kind == "extended":
        what = _("Jangka waktu diperpanjang")
    elif kind == "answered":
        what = _("Dijawab")
    elif kind == "withdrawn":
        what = _("Dicabut oleh pemohon")
    elif kind == "reopened":
        what = _("Dibuka kembali untuk pemberitahuan tertulis yang baru")
    elif kind == "letter":
        what = _("Surat diterbitkan: %(kind)s nomor %(no)s", kind=LETTER_KINDS.get(ev.get("kind"), ev.get("kind")),
                 no=ev.get("letter_no"))
    elif kind == "letter_pdf":
        what = _("PDF surat nomor %(no)s dibuat", no=ev.get("letter_no"))
    elif kind == "incoming_stamped":
        what = _("Surat pemohon dibubuhi cap DITERIMA")
    elif kind == "purged":
        what = _("Data pribadi dihapus sesuai masa retensi")
    elif kind == "sent":
        what = _("Surat nomor %(no)s dikirim", no=ev.get("letter_no"))
    elif kind == "delivery_failed":
        what = _("Pengiriman surat nomor %(no)s gagal", no=ev.get("letter_no"))
    elif kind == "delivered":
        what = _("Surat nomor %(no)s diterima pemohon", no=ev.get("letter_no"))
    elif kind == "desk":
        action = ev.get("action")
        what = str(DESK_ACTIONS.get(action, _("perubahan di desk")))
        what = what[:1].upper() + what[1:]
    else:
        what = _("Peristiwa lain tercatat")
    return Step(at, what, user)
