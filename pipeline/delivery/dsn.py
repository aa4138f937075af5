"""Delivery status notifications (RFC 3464) returned by the relay: receipt shown.

A DSN whose per-recipient `Action: delivered` (or `relayed` is not enough: only
`delivered`) reports a letter's message records `delivered {how: "dsn"}`, on the day of its
`Arrival-Date` (else the report's Date). The message is matched by its original
Message-ID, given in the returned headers (RET=HDRS) or, for ENVID, the envelope id.
"""

from __future__ import annotations

import datetime as dt
import email
import email.errors
import errno
import os
import stat
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from pipeline.loading import WITA

MAX_BYTES = 10 << 20  # a DSN is a few kB; the returned copy of a letter with its PDF stays under this


def parse(data: bytes) -> dict[str, Any] | None:
    """{message_id, envid, action, at} of a DSN, or None when the message is no DSN."""
    msg = email.message_from_bytes(data, policy=policy.default)
    if msg.get_content_type() != "multipart/report" or msg.get_param("report-type") != "delivery-status":
        return None
    out: dict[str, Any] = {"message_id": None, "envid": None, "action": None, "at": None}
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            blocks = _fields(part)
            for block in blocks:
                if "original-envelope-id" in block:
                    out["envid"] = block["original-envelope-id"]
                if "arrival-date" in block and not out["at"]:
                    out["at"] = block["arrival-date"]
                if "action" in block:
                    out["action"] = block["action"].lower()
        elif ctype in ("text/rfc822-headers", "message/rfc822"):
            # compat32: the header as written; policy.default's Message-ID parser raises on some bytes
            headers = email.message_from_bytes(_payload_bytes(part), policy=policy.compat32)
            out["message_id"] = out["message_id"] or str(headers.get("Message-ID") or "").strip() or None
    when = None
    for text in (out["at"], msg.get("Date")):
        try:
            when = parsedate_to_datetime(str(text)) if text else None
        except (TypeError, ValueError):
            when = None
        if when:
            break
    out["at"] = (when.astimezone(WITA) if when and when.tzinfo else None)
    return out


def _payload_bytes(part) -> bytes:
    payload = part.get_payload(decode=True)
    if payload is None:  # message/rfc822: a sub-message
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) else inner
        return inner.as_bytes() if hasattr(inner, "as_bytes") else str(inner).encode()
    return payload


def _fields(part) -> list[dict[str, str]]:
    """The per-message and per-recipient field blocks of a message/delivery-status part."""
    raw = part.get_payload()
    if isinstance(raw, list):  # the email package parses it into header blocks
        return [{k.lower(): str(v).strip() for k, v in block.items()} for block in raw]
    text = raw if isinstance(raw, str) else bytes(raw).decode("utf-8", "replace")
    blocks, cur = [], {}
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            if cur:
                blocks.append(cur)
                cur = {}
            continue
        key, _, value = line.partition(":")
        cur[key.strip().lower()] = value.strip()
    if cur:
        blocks.append(cur)
    return blocks


def events_for(reports: list[dict[str, Any]], reg, settings, today: dt.date) -> list[dict[str, Any]]:
    """`delivered` events for the letters that DSNs report delivered (and not yet recorded),
    and `{"refused": why, ...}` for a report that proves nothing.

    A report counts only for a letter the relay accepted (a `sent` event with its Message-ID,
    which an outsider cannot compute: state.message_id), and only on a day between that
    acceptance (and the letter's date) and today: the day of receipt decides whether an
    objection is late (spec section 6), so a date no delivery can have is never recorded."""
    from pipeline.delivery.outbox import states

    by_id, by_env = {}, {}
    for rec in reg.records.values():
        for d in states(rec, settings):
            if d.message_id:
                by_id[d.message_id] = d
                by_env[d.message_id.strip("<>").split("@")[0]] = d
    out: list[dict[str, Any]] = []
    for r in reports:
        if r["action"] != "delivered":
            continue
        d = by_id.get(r["message_id"] or "") or by_env.get(r["envid"] or "")
        if d is None:
            out.append(_refused(r, "names no message the office sent (Message-ID unknown)"))
            continue
        why = _implausible(r, d, today)
        if why:
            out.append(_refused(r, why, d))
            continue
        at = r["at"]
        mine = [e for e in out if e.get("letter_no") == d.letter_no and "refused" not in e]
        if d.delivered_at or mine:
            known = d.delivered_at or mine[0]["at"]
            if str(known)[:10] != at.date().isoformat():
                out.append(_refused(r, f"the letter is already recorded as received on {str(known)[:10]}", d))
            continue
        out.append({"type": "delivered", "register_no": d.register_no, "letter_no": d.letter_no,
                    "channel": "email", "at": at.isoformat(timespec="seconds"), "how": "dsn",
                    "message_id": d.message_id})
    return out


def _implausible(r: dict[str, Any], d, today: dt.date) -> str | None:
    """Why a report's day of arrival cannot be the day this letter was received, or None."""
    if not d.sent_at:
        return f"letter {d.letter_no} was never sent by e-mail (no `sent` event)"
    if r["at"] is None:
        return "it gives no Arrival-Date and no Date: the day of receipt is unknown"
    day = r["at"].date()
    if d.date and day.isoformat() < d.date[:10]:
        return f"its arrival date {day} is before the letter's date {d.date[:10]}"
    if day.isoformat() < str(d.sent_at)[:10]:
        return f"its arrival date {day} is before the letter was sent ({str(d.sent_at)[:10]})"
    if day > today:
        return f"its arrival date {day} is after today ({today})"
    return None


def _refused(r: dict[str, Any], why: str, d=None) -> dict[str, Any]:
    return {"refused": why, "file": r.get("file"), "message_id": r.get("message_id"),
            **({"register_no": d.register_no, "letter_no": d.letter_no} if d is not None else {})}


def read_reports(folder: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The DSNs among the .eml files of `folder`, and a note for each file skipped.

    Only regular files, opened without following a link and without blocking (a FIFO or a
    device named *.eml is skipped, never waited on), and at most MAX_BYTES of each."""
    reports, skipped = [], []
    for path in sorted(Path(folder).glob("*.eml")):
        try:
            data = _read_bounded(path)
        except OSError as exc:
            why = "a symbolic link (not followed)" if exc.errno == errno.ELOOP else (exc.strerror or str(exc))
            skipped.append({"refused": f"skipped: {why}", "file": str(path)})
            continue
        try:
            r = parse(data)
        except (ValueError, LookupError, TypeError, AttributeError, email.errors.MessageError) as exc:
            skipped.append({"refused": f"skipped: not readable as a delivery report ({type(exc).__name__})",
                            "file": str(path)})
            continue
        if r:
            r["file"] = str(path)
            reports.append(r)
    return reports, skipped


def _read_bounded(path: Path) -> bytes:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if st.st_size > MAX_BYTES:
            raise OSError(errno.EFBIG, f"larger than {MAX_BYTES // (1 << 20)} MB: no delivery notification is")
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read(MAX_BYTES + 1)[:MAX_BYTES]
    finally:
        os.close(fd)


def record_folder(records: Path, folder: Path, cfg, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Read every .eml of `folder`, record the receipts the DSNs show; the events recorded,
    and `{"refused": why, ...}` for each file or report that proves nothing."""
    from pipeline.delivery.outbox import Follower
    from pipeline.delivery.settings import delivery_settings

    reports, skipped = read_reports(folder)
    follower = Follower(records, cfg.numbering)
    today = today or dt.datetime.now(WITA).date()
    results = events_for(reports, follower.refresh(), delivery_settings(cfg), today)
    events = [e for e in results if "refused" not in e]
    if events:
        follower.append(events, locked=False)
    return skipped + results
