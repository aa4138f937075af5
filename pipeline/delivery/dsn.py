"""Delivery status notifications (RFC 3464) returned by the relay: receipt shown.

A DSN whose per-recipient `Action: delivered` (or `relayed` is not enough: only
`delivered`) reports a letter's message records `delivered {how: "dsn"}`, on the day of its
`Arrival-Date` (else the report's Date). The message is matched by its original
Message-ID, given in the returned headers (RET=HDRS) or, for ENVID, the envelope id.
"""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from pipeline.loading import WITA


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
            headers = email.message_from_bytes(_payload_bytes(part), policy=policy.default)
            out["message_id"] = out["message_id"] or (headers.get("Message-ID") or "").strip() or None
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


def events_for(reports: list[dict[str, Any]], reg, settings) -> list[dict[str, Any]]:
    """`delivered` events for the letters that DSNs report delivered (and not yet recorded)."""
    from pipeline.delivery.outbox import states

    by_id, by_env = {}, {}
    for rec in reg.records.values():
        for d in states(rec, settings):
            by_id[d.message_id] = d
            by_env[d.message_id.strip("<>").split("@")[0]] = d
    out = []
    for r in reports:
        if r["action"] != "delivered":
            continue
        d = by_id.get(r["message_id"] or "") or by_env.get(r["envid"] or "")
        if d is None or d.delivered_at or any(e.get("how") == "dsn" for e in out if e["letter_no"] == d.letter_no):
            continue
        at = r["at"] or dt.datetime.now(WITA)
        out.append({"type": "delivered", "register_no": d.register_no, "letter_no": d.letter_no,
                    "channel": "email", "at": at.isoformat(timespec="seconds"), "how": "dsn",
                    "message_id": d.message_id})
    return out


def record_folder(records: Path, folder: Path, cfg) -> list[dict[str, Any]]:
    """Read every .eml of `folder`, record the receipts the DSNs show; the events recorded."""
    from pipeline.delivery.outbox import Follower
    from pipeline.delivery.settings import delivery_settings

    reports = []
    for path in sorted(Path(folder).glob("*.eml")):
        r = parse(path.read_bytes())
        if r:
            reports.append(r)
    follower = Follower(records, cfg.numbering)
    events = events_for(reports, follower.refresh(), delivery_settings(cfg))
    if events:
        follower.append(events, locked=False)
    return events
