"""The register: an append-only event log in records/, and the register book derived from it.

`records/events.jsonl` holds every event (received, updated, incomplete, completed,
decided, extended, answered, letter, …), one JSON object a line, appended under a lock
and fsync'ed. Numbers (register and letter) are derived from the log, so a run that dies
before appending leaves no gap: the next run hands out the same numbers again.
`register.csv` and `register.parquet` (one row per request; pipeline.book) are
rebuilt from the log and replaced atomically.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import filelock

from pipeline import durable
from pipeline.files import private_mkdir, write
from pipeline.deadlines import Clock, clock_start, is_open  # noqa: F401 (clock_start, is_open: re-exported)
from pipeline.errors import LockTimeout, RegisterError
from pipeline.formatting import ROMAN
from pipeline.schema import BOOK_COLUMNS

EVENTS = "events.jsonl"
LOCK = ".lock"
COUNTERS = ("register", "objection", "letter")  # number series; objections have their own (Perki 1/2021)
DEFAULT_NUMBERING = {"register": "{seq:04d}/PPID/{year}", "objection": "{seq:04d}/KEB/PPID/{year}",
                     "letter": "{seq}/PPID/{year}"}


@dataclass
class Record:
    """What the log says of one request so far."""

    register_no: str
    key: str
    year: int
    row: dict[str, Any] = field(default_factory=dict)  # the latest snapshot of book fields
    digests: set[str] = field(default_factory=set)
    letters: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    was_incomplete: bool = False
    completed_at: str | None = None
    decided: dict[str, Any] | None = None
    extended: dict[str, Any] | None = None
    answered_at: str | None = None
    withdrawn_at: str | None = None
    reopened_at: str | None = None  # an objection overturned the written notice
    personal: dict[str, Any] = field(default_factory=dict)  # contacts kept for letters; purgeable
    purged_at: str | None = None  # personal data erased: the request is closed for good
    incoming_pdf: str | None = None  # the requester's letter stamped DITERIMA

    def letter_kinds(self) -> set[str]:
        return {entry["kind"] for entry in self.letters}

    def last_letter(self, kind: str) -> dict[str, Any] | None:
        for entry in reversed(self.letters):
            if entry["kind"] == kind:
                return entry
        return None


class Register:
    """The records folder: read the log, hand out numbers, append events, write the book."""

    def __init__(self, folder: Path, *, numbering: dict[str, str] | None = None):
        self.folder = Path(folder)
        self.numbering = {**DEFAULT_NUMBERING, **(numbering or {})}
        self.records: dict[str, Record] = {}  # register_no -> Record
        self.by_key: dict[str, str] = {}  # request key -> register_no
        self.digests: dict[str, str] = {}  # content digest -> register_no
        self.codes: dict[str, dict[str, Any]] = {}  # verification code -> letter event
        self.seq: dict[tuple[str, int], int] = {}  # (register|letter, year) -> last number
        self.events_read = 0
        self._lock: filelock.FileLock | None = None

    # --- locking ---------------------------------------------------------------------

    @contextmanager
    def locked(self, *, timeout: float = 600.0, wait_message: bool = True) -> Iterator["Register"]:
        """Hold the records lock (one writer at a time), then (re)load the log."""
        private_mkdir(self.folder)
        lock = filelock.FileLock(str(self.folder / LOCK))
        try:
            lock.acquire(timeout=0.05)
        except filelock.Timeout:
            if wait_message:
                print(f"ppid: waiting for another ppid run to release {self.folder / LOCK} …", file=sys.stderr)
            try:
                lock.acquire(timeout=timeout)
            except filelock.Timeout:
                raise LockTimeout(f"{self.folder}: another ppid run held the lock for over {timeout:.0f} s; try again when it has finished") from None
        try:
            durable.remove_stale_temp(self.folder, durable.RECORDS_TEMP, 1)  # half-written by a killed run
            self.load(repair=True)
            yield self
        finally:
            lock.release()

    # --- reading -----------------------------------------------------------------------

    def load(self, *, repair: bool = False) -> "Register":
        """Replay the event log; ignore a torn last line left by a crash.

        Only a writer holding the lock (`repair=True`) cuts that line off the file; the
        read-only commands (due, verify, deadline, stats) never write."""
        self.__init__(self.folder, numbering=self.numbering)
        path = self.folder / EVENTS
        if not path.exists():
            if repair:
                durable.finish_pending(path)
            return self
        raw = path.read_bytes()
        pending = durable.pending_length(path)  # an append cut short by a crash: it never happened
        if pending is not None:
            if repair:
                durable.finish_pending(path)
            if pending >= 0:
                raw = raw[:pending]
        if raw and not raw.endswith(b"\n"):
            cut = raw.rfind(b"\n") + 1  # a crash mid-append: the torn line never happened
            if repair:
                with path.open("r+b") as fh:
                    fh.truncate(cut)
            raw = raw[:cut]
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                event = json.loads(line, parse_constant=_no_constant)
            except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: brackets nested 200,000 deep
                raise RegisterError(f"{path}:{n}: not a JSON event; the log was edited by hand? Restore it from backup") from None
            problem = event_problem(event)
            if problem is None:
                try:
                    self.apply(event)
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    problem = f"cannot be applied ({type(exc).__name__}: {exc})"
            if problem:
                raise RegisterError(f"{path}:{n}: a JSON line but not a valid ppid event: {problem}; the log was edited "
                                    "by hand? Restore events.jsonl from backup, or correct that line as it was written")
            self.events_read += 1
        return self

    def apply(self, ev: dict[str, Any]) -> None:
        """Fold one event into the in-memory state."""
        kind = ev["type"]
        for counter in COUNTERS:
            if f"{counter}_seq" in ev:
                k = (counter, ev[f"{counter}_year"])
                self.seq[k] = max(self.seq.get(k, 0), ev[f"{counter}_seq"])
        rno = ev.get("register_no")
        if kind == "received":
            rec = Record(register_no=rno, key=ev["key"], year=ev.get("register_year") or ev["objection_year"])
            self.records[rno] = rec
            self.by_key[ev["key"]] = rno
        rec = self.records.get(rno)
        if rec is None:
            return
        if "digest" in ev:
            rec.digests.add(ev["digest"])
            self.digests[ev["digest"]] = rno
        if "row" in ev:
            rec.row.update(ev["row"])
        if "personal" in ev:
            rec.personal = ev["personal"]
        if kind == "incomplete":
            rec.missing = ev["missing"]
            rec.was_incomplete = True
        elif kind == "completed":
            rec.missing = []
            rec.completed_at = ev["completed_at"]
        elif kind == "decided":
            rec.decided = ev
        elif kind == "extended":
            rec.extended = ev
        elif kind == "answered":
            rec.answered_at = ev["answered_at"]
        elif kind == "withdrawn":
            rec.withdrawn_at = ev["withdrawn_at"]
        elif kind == "reopened":
            rec.reopened_at = ev["reopened_at"]
            rec.row["status"] = "review"
        elif kind == "letter":
            rec.letters.append(ev)
            if ev.get("code"):
                self.codes[ev["code"]] = ev
        elif kind == "letter_pdf":  # a letter whose PDF had failed, converted on a later run
            for entry in rec.letters:
                if entry["letter_no"] == ev["letter_no"]:
                    entry.update(pdf=ev["pdf"], code=ev["code"], sha256=ev["sha256"], error=None,
                                 signature_digest=ev.get("signature_digest"))
                    self.codes[ev["code"]] = entry
        elif kind == "incoming_stamped":
            rec.incoming_pdf = ev.get("pdf")
            if ev.get("incoming_digest"):
                rec.row["incoming_digest"] = ev["incoming_digest"]  # this version of the letter is stamped
        elif kind == "purged":
            rec.personal = {}
            rec.purged_at = ev.get("date") or "?"

    # --- numbering ---------------------------------------------------------------------

    def next_number(self, counter: str, when: dt.date) -> tuple[str, int]:
        """The next number of a counter ('register' or 'letter') in `when`'s year, reserved."""
        k = (counter, when.year)
        seq = self.seq.get(k, 0) + 1
        self.seq[k] = seq
        text = self.numbering[counter].format(seq=seq, year=when.year, month=f"{when.month:02d}", roman=ROMAN[when.month - 1])
        return text, seq

    # --- writing -----------------------------------------------------------------------

    def append(self, events: list[dict[str, Any]]) -> None:
        """Append events in one write and fsync, then fold them in."""
        if not events:
            return
        private_mkdir(self.folder)
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        data = "".join(json.dumps({"logged_at": now, **e}, ensure_ascii=False, default=str) + "\n" for e in events)
        # all or nothing: a full disk cuts the file back, no torn line (issue 12 item 1)
        durable.append_all_or_nothing(self.folder / EVENTS, data.encode("utf-8"))
        for e in events:
            self.apply(e)

    # --- personal data ------------------------------------------------------------------

    def purge(self, before: dt.date, *, today: dt.date) -> list[dict[str, Any]]:
        """Erase personal data of closed requests received before `before` (UU 27/2022).

        The log is rewritten once with those fields blanked (the only rewrite it ever
        gets: erasure is what the law asks), attachments and stamped copies are deleted,
        and a `purged` event records what was removed. The book is unchanged.
        """
        victims = {rno for rno, rec in self.records.items()
                   if rec.personal and not is_open(rec) and not rec.missing
                   and rec.row.get("received_at", "9999") < before.isoformat()}
        if not victims:
            return []
        path = self.folder / EVENTS
        out, removed = [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue  # blank lines, which load() skips too
            ev = json.loads(line)
            if ev.get("register_no") in victims:
                if ev.get("personal"):
                    ev["personal"] = {k: None for k in ev["personal"]}
                if ev.get("type") == "incoming_stamped" and ev.get("pdf"):
                    removed.append(ev["pdf"])
            out.append(json.dumps(ev, ensure_ascii=False, default=str))
        kept = {f for rno, rec in self.records.items() if rno not in victims
                for f in rec.personal.get("attachments") or []}  # still needed by another request
        planned = {}
        for rno in sorted(victims):
            files = [f for f in self.records[rno].personal.get("attachments") or [] if f]
            files += [e for e in removed if f"/{safe_name(rno)}/" in e]
            fields = sorted(k for k, v in self.records[rno].personal.items() if v and k != "attachments")
            planned[rno] = (fields, [f for f in files if f not in kept])
        # the rewrite first: it needs room for a whole copy of the log, and on a full disk
        # it fails before any file is deleted (the purge can then simply be run again)
        write(path, ("\n".join(out) + "\n").encode("utf-8"))
        report = []
        for rno, (fields, files) in planned.items():
            deleted = []
            for f in files:
                try:
                    Path(f).unlink()
                    deleted.append(f)
                except FileNotFoundError:
                    pass
            report.append({"type": "purged", "register_no": rno, "date": today.isoformat(),
                           "fields": fields, "files": deleted, "before": before.isoformat()})
        self.load()
        self.append(report)
        return report

    # --- the book ----------------------------------------------------------------------

    def write_book(self, clock: Clock, deadlines: dict[str, int] | None = None) -> tuple[Path, Path]:
        """Rebuild register.csv and register.parquet from the log (pipeline.book), atomically.

        `clock` is the config's deadlines.Clock (`cfg.clock`); the older (calendar, deadlines) pair is accepted."""
        from pipeline import book

        return book.write_book(self.folder, book.build_rows(self.records.values(), _as_clock(clock, deadlines)))


# the keys an event must carry to be folded in (others may carry more)
EVENT_KEYS = {
    "received": ("register_no", "key"), "updated": ("register_no",),
    "incomplete": ("register_no", "missing"), "completed": ("register_no", "completed_at"),
    "decided": ("register_no",), "extended": ("register_no",), "answered": ("register_no", "answered_at"),
    "withdrawn": ("register_no", "withdrawn_at"), "reopened": ("register_no", "reopened_at"),
    "letter": ("register_no", "kind", "letter_no"), "letter_pdf": ("register_no", "letter_no", "pdf", "code", "sha256"),
    "incoming_stamped": ("register_no",), "purged": ("register_no",),
}


# keys that hold text when present (a number or a list there would fail far from the log)
TEXT_KEYS = ("register_no", "key", "kind", "letter_no", "pdf", "code", "sha256", "digest", "incoming_digest",
             "objection_to", "error", "signature_digest", "status_code")


def event_problem(ev: Any) -> str | None:
    """What makes a decoded JSON line unfit to be an event, or None."""
    if not isinstance(ev, dict):
        return f"a JSON {type(ev).__name__}, not an object"
    kind = ev.get("type")
    if not isinstance(kind, str):
        return "no 'type'"
    missing = [k for k in EVENT_KEYS.get(kind, ()) if ev.get(k) in (None, "")]
    if missing:
        return f"a '{kind}' event without {', '.join(repr(k) for k in missing)}"
    for key in [k for k in ev if k.endswith("_seq")]:  # register_seq, letter_seq, … with their year
        year = key[:-4] + "_year"
        if not (isinstance(ev[key], int) and isinstance(ev.get(year), int)
                and 1 <= ev[key] < 10**9 and 1 <= ev[year] <= 9999):
            return f"'{key}' and '{year}' must be whole numbers (a number from 1, a year up to 9999)"
    if any(k.endswith("_year") and not (isinstance(v, int) and 1 <= v <= 9999) for k, v in ev.items()):
        return "a year is not a whole number from 1 to 9999"
    if kind == "received" and not any(k.endswith("_year") for k in ev):
        return "a 'received' event without its year ('register_year')"
    if "row" in ev and not isinstance(ev["row"], dict):
        return "'row' is not an object"
    for key, value in (ev.get("row") or {}).items():  # book fields: the type the book holds
        kind = BOOK_COLUMNS[key].kind if key in BOOK_COLUMNS else ""
        if value is None or not kind:
            continue
        ok = (isinstance(value, bool) if kind == "bool"
              else isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**53 if kind == "int"
              else isinstance(value, str))
        if not ok:
            return f"row field '{key}' is {type(value).__name__}, not {kind}"
    received = (ev.get("row") or {}).get("received_at")
    if received is not None:
        try:
            dt.datetime.strptime(received[:16], "%Y-%m-%d %H:%M")
        except ValueError:
            return "row field 'received_at' is not 'YYYY-MM-DD HH:MM'"
    for key, form in (("completed_at", "%Y-%m-%d %H:%M"), ("answered_at", "%Y-%m-%d"), ("withdrawn_at", "%Y-%m-%d"),
                      ("reopened_at", "%Y-%m-%d"), ("date", "%Y-%m-%d")):
        value = ev.get(key)
        if value is None:
            continue
        try:
            dt.datetime.strptime(value, form)
        except (ValueError, TypeError):
            return f"'{key}' is not written {form.replace('%Y', 'YYYY').replace('%m', 'MM').replace('%d', 'DD').replace('%H', 'HH').replace('%M', 'MM')}"
    wrong = [k for k in TEXT_KEYS if k in ev and ev[k] is not None and not isinstance(ev[k], str)]
    if wrong:
        return f"'{wrong[0]}' is {type(ev[wrong[0]]).__name__}, not text"
    if "missing" in ev and not (isinstance(ev["missing"], list) and all(isinstance(m, str) for m in ev["missing"])):
        return "'missing' is not a list of requirement codes"
    if "personal" in ev and not isinstance(ev["personal"], dict):
        return "'personal' is not an object"
    files = (ev.get("personal") or {}).get("attachments")
    if files is not None and not (isinstance(files, list) and all(isinstance(f, str) or f is None for f in files)):
        return "'personal.attachments' is not a list of file names"
    return None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number an event holds")


def safe_name(register_no: str) -> str:
    """A register number as a folder name: 0001/PPID/2026 -> 0001-PPID-2026."""
    return re.sub(r"[^\w.-]+", "-", register_no).strip("-")


def _as_clock(clock, deadlines: dict[str, int] | None) -> Clock:
    return clock if deadlines is None else Clock(clock, dict(deadlines))


def due_date(rec: Record, clock, deadlines: dict[str, int] | None = None) -> dt.date | None:
    """The record's deadline: `cfg.clock.due(rec)` (kept for older callers; pipeline.deadlines counts)."""
    return _as_clock(clock, deadlines).due(rec)
