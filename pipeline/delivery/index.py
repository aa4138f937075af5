"""The published status index (spec sections 7 and 9): what the public status page may show,
and nothing else, in one file the page can be served from without records/.

records/public/status-index.json holds, per registered request, under a salted SHA-256 of
its register number and status code: the register number, service, status, outcome, due
date, and each letter's kind, number and date with how and when it was sent and
delivered. No name, no contact, no item text, no file path: nothing personal
(UU 27/2022), so the file may be copied to the office's web server as it is. The hash
keeps it from being read as a list of requests: an entry is found only with its code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from pathlib import Path
from typing import Any

from pipeline import files
from pipeline.delivery.codes import clean
from pipeline.delivery.settings import delivery_settings

PUBLIC = "public"
INDEX = "status-index.json"
VERSION = 1
FIELDS = ("no", "service", "status", "outcome", "due", "letters")
LETTER_FIELDS = ("kind", "number", "date", "sent_via", "sent_on", "delivered_on", "delivered_how")


def index_path(records: Path) -> Path:
    return Path(records) / PUBLIC / INDEX


def entry_key(salt: str, register_no: str, code: str) -> str:
    return hashlib.sha256(f"{salt}\x00{register_no.strip()}\x00{code}".encode("utf-8")).hexdigest()


def entry(rec, clock, settings) -> dict[str, Any]:
    """The public fields of one request."""
    from pipeline.delivery.outbox import states

    due = clock.due(rec) if clock is not None else None
    by_letter = {d.letter_no: d for d in states(rec, settings)}
    letters = []
    for e in rec.letters:
        if not e.get("pdf") or e.get("error"):
            continue
        d = by_letter.get(e["letter_no"])
        letters.append({
            "kind": e["kind"], "number": e["letter_no"], "date": e.get("date"),
            "sent_via": (d.sent_channel or d.method) if d and d.sent_at else None,
            "sent_on": d.sent_at[:10] if d and d.sent_at else None,
            "delivered_on": str(d.delivered_at)[:10] if d and d.delivered_at else None,
            "delivered_how": d.how if d and d.delivered_at else None,
        })
    row = rec.row
    return {"no": rec.register_no, "service": row.get("service"), "status": row.get("status"),
            "outcome": row.get("outcome"), "due": due.isoformat() if due else None, "letters": letters}


def build(reg, cfg, today: dt.date, salt: str) -> dict[str, Any]:
    settings = delivery_settings(cfg)
    entries = {}
    for rec in reg.records.values():
        code = rec.row.get("status_code")
        if not code:
            continue
        entries[entry_key(salt, rec.register_no, code)] = entry(rec, cfg.clock, settings)
    return {"version": VERSION, "generated": today.isoformat(), "salt": salt,
            "office": cfg.office.get("short") or "", "entries": entries}


def publish(reg, cfg, records: Path, today: dt.date) -> Path:
    """Write the index (atomically, readable by the web server's user: it holds nothing personal)."""
    path = index_path(records)
    salt = None
    if path.exists():
        try:
            salt = json.loads(path.read_text(encoding="utf-8")).get("salt")
        except (OSError, ValueError):
            salt = None
    data = build(reg, cfg, today, salt or secrets.token_hex(16))
    files.make_dir(path.parent, 0o755)
    files.write(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"), mode=0o644)
    return path


def publish_from(records: Path, cfg, today: dt.date) -> Path:
    """Publish from the register as the log says now."""
    from pipeline.register import Register

    return publish(Register(records, numbering=cfg.numbering).load(), cfg, records, today)


class IndexUnavailable(Exception):
    """The published index cannot be read (being copied, truncated, damaged): the page says
    the service is being updated, never guesses."""


MAX_INDEX_BYTES = 64 << 20  # a few hundred bytes per request; far above any office's year


class Index:
    """The published index, read from its file (re-read when the file changes)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._stamp = None
        self._data: dict[str, Any] = {"salt": "", "entries": {}}

    def _load(self) -> dict[str, Any]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return {"salt": "", "entries": {}}
        except OSError as exc:
            raise IndexUnavailable(f"{self.path}: {exc.strerror}") from None
        stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        if stamp != self._stamp:
            self._data = _checked(self.path)
            self._stamp = stamp
        return self._data

    def check(self) -> None:
        """Raise IndexUnavailable when the index cannot be read."""
        self._load()

    def office(self) -> str:
        """The office's short name, as the index was published with it ("" when unreadable)."""
        try:
            return str(self._load().get("office") or "")
        except IndexUnavailable:
            return ""

    def find(self, register_no: str | None, code: str | None) -> dict[str, Any] | None:
        """The entry of a register number and status code, or None (a wrong pair says nothing more).
        Raises IndexUnavailable when the index cannot be read."""
        code = clean(code)
        if not register_no or not code:
            return None
        data = self._load()
        entry = data["entries"].get(entry_key(data["salt"], register_no.strip(), code))
        if entry is not None and not _entry_ok(entry):
            raise IndexUnavailable(f"{self.path}: the entry found is damaged")
        return entry


def _checked(path: Path) -> dict[str, Any]:
    """The index's content when it has the shape `publish` writes; else IndexUnavailable."""
    try:
        if path.stat().st_size > MAX_INDEX_BYTES:
            raise IndexUnavailable(f"{path}: larger than {MAX_INDEX_BYTES >> 20} MB")
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise IndexUnavailable(f"{path}: not a published index ({type(exc).__name__})") from None
    if not (isinstance(data, dict) and isinstance(data.get("entries"), dict)
            and isinstance(data.get("salt", ""), str) and isinstance(data.get("office", ""), (str, type(None)))):
        raise IndexUnavailable(f"{path}: not a published index (its fields are not those `ppid run` writes)")
    data.setdefault("salt", "")
    return data


def _entry_ok(entry: Any) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("no"), str)
            and isinstance(entry.get("letters") or [], list)
            and all(isinstance(x, dict) and isinstance(x.get("kind"), str) and isinstance(x.get("number"), str)
                    and all(isinstance(x.get(f) or "", str) for f in LETTER_FIELDS) for x in entry.get("letters") or [])
            and all(isinstance(entry.get(k) or "", str) for k in ("service", "status", "outcome", "due")))
