"""What the register book records of the written notice's way to the requester, for
statistics and the annual report (spec section 9): the day it was sent, the day it was
shown received, and the working days between the notice's date and its receipt.
Dates only: no address, no channel detail that could identify a person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.delivery.state import receipt_day

NOTICE = "decision_notice"  # the written notice (UU KIP Pasal 22 ayat 7)
COLUMNS = ("notice_sent_on", "notice_received_on", "notice_receipt_days")


def book_fields(rec, calendar) -> dict[str, Any]:
    """The book's delivery columns of one request (None when no notice was issued)."""
    notice = rec.last_letter(NOTICE) if rec.letters else None
    out: dict[str, Any] = dict.fromkeys(COLUMNS)
    if notice is None:
        return out
    no = notice["letter_no"]
    sent = [str(e.get("at"))[:10] for e in rec.deliveries if e.get("letter_no") == no and e["type"] == "sent"
            and e.get("at")]
    got = [str(e.get("at"))[:10] for e in rec.deliveries if e.get("letter_no") == no and e["type"] == "delivered"
           and e.get("at")]
    if got and not sent:  # handed over at the counter: sent and received the same day
        sent = got
    out["notice_sent_on"] = min(sent) if sent else None
    received = receipt_day(rec, no)  # conflicting records prove no day
    if received:
        day = received.isoformat()
        out["notice_received_on"] = day
        try:
            out["notice_receipt_days"] = calendar.working_days(dt.date.fromisoformat(notice["date"]),
                                                               dt.date.fromisoformat(day))
        except (KeyError, ValueError):
            out["notice_receipt_days"] = None
    return out
