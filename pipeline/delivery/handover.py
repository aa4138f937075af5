"""What staff record of a letter's way to the requester (spec section 9): a hand-over at the
counter, a dispatch by post with its tracking number, a WhatsApp message, the day the
requester received it, the requester's reply, and a corrected e-mail address.

Each function takes the register's Record and returns the events to append (pure); the
desk appends them inside its audited change (a `desk` event with the user's name), and
`record` does the same for the command line and the tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pipeline.delivery.codes import status_url
from pipeline.delivery.state import METHODS, receipt_days
from pipeline.errors import PpidError
from pipeline.loading import WITA

HOW = ("pickup", "post", "whatsapp", "email", "reply")  # how receipt was shown, beside "dsn"


class HandoverError(PpidError):
    """A hand-over record that cannot be right (no such letter, a date in the future).

    Its message is shown to staff in the desk, so it is in Indonesian."""


def _letter(rec, letter_no: str) -> dict[str, Any]:
    for e in rec.letters:
        if e["letter_no"] == letter_no:
            return e
    raise HandoverError(f"{rec.register_no} tidak mempunyai surat nomor {letter_no}")


def _day(value, today: dt.date, what: str) -> dt.date:
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if day > today:
        raise HandoverError(f"{what} {day} sesudah hari ini ({today}); penerimaan tidak dapat dicatat lebih dahulu")
    return day


def handover_events(rec, letter_no: str, method: str, *, user: str, today: dt.date, when: dt.date | None = None,
                    receiver: str | None = None, signed_for: bool = False, tracking: str | None = None,
                    received_on: dt.date | None = None) -> list[dict[str, Any]]:
    """The events of one hand-over.

    pickup: handed over at the counter, received that day (`delivered`, how pickup);
    post, whatsapp, email (sent by hand from the office's mailbox): `sent` on `when`, and
    `delivered` once the day the requester received it is known."""
    letter = _letter(rec, letter_no)
    if method not in METHODS:
        raise HandoverError(f"cara '{method}' tidak dikenal; pilih salah satu: {', '.join(METHODS)}")
    when = _day(when or today, today, "Tanggal penyerahan")
    if when.isoformat() < (letter.get("date") or ""):
        raise HandoverError(f"tanggal penyerahan {when} sebelum tanggal surat {letter.get('date')}")
    base = {"register_no": rec.register_no, "letter_no": letter_no, "by": user}
    if method == "pickup":
        _one_day(rec, letter_no, when)
        return [{"type": "delivered", **base, "channel": "pickup", "how": "pickup", "at": when.isoformat(),
                 "receiver": receiver or None, "signed_for": bool(signed_for)}]
    if method == "post" and not (tracking or "").strip():
        raise HandoverError("pengiriman melalui pos memerlukan nomor resi")
    out = [{"type": "sent", **base, "channel": method, "at": when.isoformat(), "manual": True,
            **({"tracking": tracking.strip()} if method == "post" else {})}]
    if received_on:
        out += receipt_events(rec, letter_no, how=method, day=received_on, user=user, today=today, sent=when)
    return out


def receipt_events(rec, letter_no: str, *, how: str, day, user: str, today: dt.date,
                   sent: dt.date | None = None) -> list[dict[str, Any]]:
    """The day the requester received a letter: their reply or acknowledgement, or the post's record.

    The day decides whether an objection is late (spec section 6), so it must be one a
    receipt can have: not before the letter's date (nor its dispatch), not after today, and
    not a second day beside one already recorded (delivery.state.receipt_day)."""
    letter = _letter(rec, letter_no)
    if how not in HOW:
        raise HandoverError(f"'{how}' bukan cara penerimaan yang dikenal; pilih salah satu: {', '.join(HOW)}")
    day = _day(day, today, "Tanggal diterima")
    if day.isoformat() < (letter.get("date") or "")[:10]:
        raise HandoverError(f"tanggal diterima {day} sebelum tanggal surat {letter.get('date')}; "
                            "surat tidak mungkin diterima sebelum dibuat")
    sent = sent or min((_date_of(e.get("at")) for e in rec.deliveries if e.get("type") == "sent"
                        and e.get("letter_no") == letter_no and _date_of(e.get("at"))), default=None)
    if sent and day < sent:
        raise HandoverError(f"tanggal diterima {day} sebelum tanggal pengiriman {sent}")
    _one_day(rec, letter_no, day)
    return [{"type": "delivered", "register_no": rec.register_no, "letter_no": letter_no, "how": how,
             "at": day.isoformat(), "by": user}]


def _date_of(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _one_day(rec, letter_no: str, day: dt.date) -> None:
    """Refuse a second, different day of receipt: conflicting records prove none (state.receipt_day)."""
    known = receipt_days(rec, letter_no) - {day}
    if known:
        raise HandoverError(f"surat {letter_no} sudah tercatat diterima pada {', '.join(sorted(map(str, known)))}; "
                            "tanggal penerimaan yang lain tidak dapat dicatat di sampingnya")


def address_event(rec, email: str, *, user: str) -> dict[str, Any]:
    """A corrected e-mail address: messages refused for good are tried again, to it."""
    from email.utils import parseaddr

    addr = parseaddr(email or "")[1]
    if "@" not in addr or addr != (email or "").strip():
        raise HandoverError(f"'{email}' bukan alamat e-mail")
    return {"type": "address_corrected", "register_no": rec.register_no, "by": user,
            "at": dt.datetime.now(WITA).isoformat(timespec="seconds"),
            "personal": {**(rec.personal or {}), "email": addr}}


def whatsapp_link(rec, *, office: dict, base_url: str | None) -> str:
    """A wa.me link to the requester with the message prepared; the clerk attaches the PDF."""
    import phonenumbers

    phone = (rec.personal or {}).get("phone") or ""
    try:
        number = phonenumbers.parse(phone, "ID")
    except phonenumbers.NumberParseException:
        raise HandoverError(f"{rec.register_no}: nomor telepon yang tercatat tidak dapat dibuka di WhatsApp; "
                            "kirim surat dengan cara lain") from None
    if not phonenumbers.is_possible_number(number):
        raise HandoverError(f"{rec.register_no}: nomor telepon yang tercatat tidak mungkin benar")
    digits = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164).lstrip("+")
    return f"https://wa.me/{digits}?text={quote(whatsapp_text(rec, office=office, base_url=base_url))}"


def whatsapp_text(rec, *, office: dict, base_url: str | None) -> str:
    code = rec.row.get("status_code") or ""
    url = status_url(base_url, rec.register_no, code)
    lines = [f"Yth. Sdr./Sdri. {rec.row.get('requester_name') or ''},",
             f"PPID {office.get('short') or ''} menyampaikan surat atas permohonan Saudara dengan nomor registrasi "
             f"{rec.register_no} (terlampir dalam bentuk PDF).",
             f"Kode cek status: {code}" + (f" — {url}" if url else "") + ".",
             "Mohon balas pesan ini bila surat telah Saudara terima. Terima kasih."]
    return "\n".join(lines)


def record(records: Path, register_no: str, make, cfg) -> list[dict[str, Any]]:
    """Append the events `make(rec)` returns, under the records lock (command line, tests)."""
    from pipeline.delivery.outbox import Follower

    follower = Follower(records, cfg.numbering)
    rec = follower.refresh().records.get(register_no)
    if rec is None:
        raise HandoverError(f"{register_no} tidak ada dalam register")
    events = make(rec)
    follower.append(events if isinstance(events, list) else [events], locked=False)
    return events


def correct_address(records: Path, register_no: str, email: str, *, user: str, cfg) -> dict[str, Any]:
    return record(records, register_no, lambda rec: address_event(rec, email, user=user), cfg)
