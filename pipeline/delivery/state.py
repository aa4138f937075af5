"""What the event log says of each letter's way to the requester (spec section 9). Pure.

A letter is *owed* until the relay accepts it (`sent`) or a person records a hand-over;
it is *received* only when a `delivered` event shows it: a delivery status notification,
the requester's reply or acknowledgement recorded in the desk, or a hand-over.
UU 11/2008 (ITE) Pasal 8 ayat (2): "waktu penerimaan suatu Informasi Elektronik dan/atau
Dokumen Elektronik ditentukan pada saat Informasi Elektronik dan/atau Dokumen Elektronik
memasuki Sistem Elektronik di bawah kendali Penerima yang berhak" (ayat 3: the system the
recipient designated). The office's relay accepting a message is not that, so `sent`
never counts as receipt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

from pipeline.loading import WITA

METHODS = ("email", "pickup", "post", "whatsapp")
# the request's `delivery`, when absent, follows the channel it came by
BY_CHANNEL = {"email": "email", "eppid": "email", "whatsapp": "whatsapp", "letter": "post", "walk_in": "pickup"}
# served at the counter: a walk-in's receipt or notice is handed over when it is printed
COUNTER_KINDS = ("receipt", "incomplete_notice")


@dataclass
class LetterDelivery:
    """One letter on its way to the requester."""

    register_no: str
    letter_no: str
    kind: str
    date: str  # the letter's date
    pdf: str | None
    method: str  # email | pickup | post | whatsapp
    state: str = "owed"  # owed | retry | failed | handover | sent | delivered
    message_id: str = ""
    attempts: int = 0  # failed attempts since the address was last corrected
    error: str | None = None
    permanent: bool = False
    last_try: dt.datetime | None = None
    next_try: dt.datetime | None = None
    sent_at: str | None = None
    sent_channel: str | None = None
    delivered_at: str | None = None
    how: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def open(self) -> bool:
        """Still something for the machine or a person to do before it is on its way."""
        return self.state in ("owed", "retry", "failed", "handover")

    def key(self) -> dict[str, str]:
        return {"register_no": self.register_no, "letter_no": self.letter_no}


def message_id(register_no: str, letter_no: str, domain: str, key: bytes) -> str:
    """The fixed Message-ID of a letter's e-mail: a resend carries the same one.

    Keyed with the office's secret (outbox.office_key): a delivery notification proves
    receipt only when it names this ID, so nobody who reads the printed register and letter
    numbers can compute it and forge one. Once sent, the ID is the one in the `sent` event."""
    if len(key) < 16:
        raise ValueError("the Message-ID key is too short")
    digest = hmac.new(key, f"{register_no}\x00{letter_no}".encode("utf-8"), hashlib.sha256).hexdigest()[:32]
    return f"<ppid.{digest}@{domain or 'ppid.invalid'}>"


def method_of(rec) -> str:
    d = rec.row.get("delivery")
    if d in METHODS:
        return d
    return BY_CHANNEL.get(rec.row.get("channel") or "", "pickup")


def parse_at(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        t = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=WITA)


def letters_of(rec, *, mail: bool, retry_minutes=(5, 15, 60, 240), max_attempts: int = 20,
               ) -> list[LetterDelivery]:
    """Every issued letter of a request with the state of its delivery."""
    out = []
    method = method_of(rec)
    corrected = [e for e in rec.deliveries if e["type"] == "address_corrected"]
    last_fix = max((e.get("at") or "" for e in corrected), default="")
    for letter in rec.letters:
        if not letter.get("pdf") or letter.get("error"):
            continue  # not issued yet: its PDF is owed first (pipeline.retry)
        if rec.row.get("channel") == "walk_in" and letter["kind"] in COUNTER_KINDS:
            continue
        d = LetterDelivery(register_no=rec.register_no, letter_no=letter["letter_no"], kind=letter["kind"],
                           date=letter.get("date") or "", pdf=letter.get("pdf"), method=method)
        d.events = [e for e in rec.deliveries if e.get("letter_no") == letter["letter_no"]]
        fold(d, last_fix, mail=mail, email=bool((rec.personal or {}).get("email")),
             retry_minutes=retry_minutes, max_attempts=max_attempts)
        out.append(d)
    return out


def fold(d: LetterDelivery, last_fix: str, *, mail: bool, email: bool, retry_minutes, max_attempts: int) -> None:
    """Set the state of one letter from its events."""
    for e in d.events:
        if e["type"] in ("sent", "delivery_failed") and not d.message_id and isinstance(e.get("message_id"), str):
            d.message_id = e["message_id"]  # the ID its outbox copy carries, kept on every attempt
        if e["type"] == "delivered" and d.delivered_at is None:
            d.delivered_at, d.how = e.get("at"), e.get("how")
        elif e["type"] == "sent" and d.sent_at is None:
            d.sent_at, d.sent_channel = e.get("at"), e.get("channel")
        elif e["type"] == "delivery_failed" and (e.get("at") or "") > last_fix:
            d.attempts += 1
            d.error, d.permanent = e.get("error"), bool(e.get("permanent"))
            d.last_try = parse_at(e.get("at"))
    if d.delivered_at:
        d.state = "delivered"
    elif d.sent_at:
        d.state = "sent"
    elif d.method != "email" or not mail or not email:
        d.state = "handover"  # a person hands it over, posts it or sends it by WhatsApp
    elif d.permanent or d.attempts >= max_attempts:
        d.state = "failed"  # waits for a corrected address (desk), never retried for ever
    elif d.attempts:
        d.state = "retry"
        wait = retry_minutes[min(d.attempts, len(retry_minutes)) - 1]
        d.next_try = d.last_try + dt.timedelta(minutes=wait) if d.last_try else None
    else:
        d.state = "owed"


def receipt_days(record, letter_no: str) -> set[dt.date]:
    """Every day a `delivered` event of a letter names (unreadable dates left out)."""
    days = set()
    for e in getattr(record, "deliveries", []) or []:
        if e.get("type") == "delivered" and e.get("letter_no") == letter_no and e.get("at"):
            try:
                days.add(dt.date.fromisoformat(str(e["at"])[:10]))
            except ValueError:
                continue
    return days


def receipt_day(record, letter_no: str) -> dt.date | None:
    """The day the requester received a letter, when `delivered` events show it (spec section 6 and 9).

    None when receipt is not shown: a letter only `sent` is not received (UU ITE Pasal 8);
    the objection window then falls back as section 6 says. None too when the records name
    different days: conflicting proofs prove no day, so an objection is never declared late
    on the earliest of them (fail closed: the Atasan PPID decides, shown the window both ways)."""
    days = receipt_days(record, letter_no)
    return next(iter(days)) if len(days) == 1 else None


def due_now(d: LetterDelivery, now: dt.datetime) -> bool:
    """Whether the machine should try to send this letter now."""
    return d.state == "owed" or (d.state == "retry" and (d.next_try is None or d.next_try <= now))
