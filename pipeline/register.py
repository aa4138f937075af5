"""The register: an append-only event log in records/, and the register book derived from it.

`records/events.jsonl` holds every event (received, updated, incomplete, completed,
decided, extended, answered, letter, …), one JSON object a line, appended under a lock
and fsync'ed. Numbers (register and letter) are derived from the log, so a run that dies
before appending leaves no gap: the next run hands out the same numbers again.
`register.csv` and `register.parquet` (one row per request, schema.BOOK_COLUMNS) are
rebuilt from the log and replaced atomically.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import filelock

from pipeline.deadlines import Clock, clock_start, is_open  # noqa: F401 (clock_start, is_open: re-exported)
from pipeline.errors import LockTimeout, RegisterError
from pipeline.files import atomic_write, private_mkdir  # noqa: F401 (re-exported for older imports)
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
        self.seq: dict[tuple[str, int], int] = {}  # (counter, year) -> last number
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
            for stale in self.folder.glob(".*.tmp"):  # half-written by a run that was killed
                stale.unlink(missing_ok=True)
            self.load()
            yield self
        finally:
            lock.release()

    # --- reading -----------------------------------------------------------------------

    def load(self) -> "Register":
        """Replay the event log; drop a torn last line left by a crash."""
        self.__init__(self.folder, numbering=self.numbering)
        path = self.folder / EVENTS
        if not path.exists():
            return self
        raw = path.read_bytes()
        if raw and not raw.endswith(b"\n"):
            cut = raw.rfind(b"\n") + 1  # a crash mid-append: the torn line never happened
            with path.open("r+b") as fh:
                fh.truncate(cut)
            raw = raw[:cut]
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                raise RegisterError(f"{path}:{n}: not a JSON event; the log was edited by hand? Restore it from backup") from None
            self.apply(event)
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
        elif kind == "incoming_stamped" and ev.get("incoming_digest"):
            rec.row["incoming_digest"] = ev["incoming_digest"]  # this version of the letter is stamped
        elif kind == "purged":
            rec.personal = {}

    # --- numbering ---------------------------------------------------------------------

    def next_number(self, counter: str, when: dt.date) -> tuple[str, int]:
        """The next number of a counter (COUNTERS) in `when`'s year, reserved."""
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
        fd = os.open(self.folder / EVENTS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, data.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
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
            ev = json.loads(line)
            if ev.get("register_no") in victims:
                if ev.get("personal"):
                    ev["personal"] = {k: None for k in ev["personal"]}
                if ev.get("type") == "incoming_stamped" and ev.get("pdf"):
                    removed.append(ev["pdf"])
            out.append(json.dumps(ev, ensure_ascii=False, default=str))
        kept = {f for rno, rec in self.records.items() if rno not in victims
                for f in rec.personal.get("attachments") or []}  # still needed by another request
        report = []
        for rno in sorted(victims):
            files = [f for f in self.records[rno].personal.get("attachments") or [] if f]
            files += [e for e in removed if f"/{safe_name(rno)}/" in e]
            deleted = []
            for f in (f for f in files if f not in kept):
                try:
                    Path(f).unlink()
                    deleted.append(f)
                except FileNotFoundError:
                    pass
            fields = sorted(k for k, v in self.records[rno].personal.items() if v and k != "attachments")
            report.append({"type": "purged", "register_no": rno, "date": today.isoformat(),
                           "fields": fields, "files": deleted, "before": before.isoformat()})
        atomic_write(path, ("\n".join(out) + "\n").encode("utf-8"))
        self.load()
        self.append(report)
        return report

    # --- the book ----------------------------------------------------------------------

    def book_rows(self, clock: Clock) -> list[dict[str, Any]]:
        return [book_row(rec, clock) for rec in self.records.values()]

    def write_book(self, clock: Clock, deadlines: dict[str, int] | None = None) -> tuple[Path, Path]:
        """Rebuild register.csv and register.parquet from the log, atomically.

        `clock` is the config's deadlines.Clock (`cfg.clock`); the older (calendar, deadlines) pair is accepted."""
        import io

        import pandas as pd

        rows = self.book_rows(_as_clock(clock, deadlines))
        frame = pd.DataFrame(rows, columns=list(BOOK_COLUMNS))
        for col, (dtype, _) in BOOK_COLUMNS.items():
            frame[col] = frame[col].astype(dtype)
        csv_path, pq_path = self.folder / "register.csv", self.folder / "register.parquet"
        atomic_write(csv_path, frame.to_csv(index=False).encode("utf-8"))
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        atomic_write(pq_path, buf.getvalue())
        return csv_path, pq_path


def safe_name(register_no: str) -> str:
    """A register number as a folder name: 0001/PPID/2026 -> 0001-PPID-2026."""
    return re.sub(r"[^\w.-]+", "-", register_no).strip("-")


def _as_clock(clock, deadlines: dict[str, int] | None) -> Clock:
    return clock if deadlines is None else Clock(clock, dict(deadlines))


def due_date(rec: Record, clock, deadlines: dict[str, int] | None = None) -> dt.date | None:
    """The record's deadline: `cfg.clock.due(rec)` (kept for older callers; pipeline.deadlines counts)."""
    return _as_clock(clock, deadlines).due(rec)


def book_row(rec: Record, clock: Clock, deadlines: dict[str, int] | None = None) -> dict[str, Any]:
    """One row of the register book."""
    clock = _as_clock(clock, deadlines)
    calendar = clock.calendar
    row = {col: None for col in BOOK_COLUMNS}
    row.update({k: v for k, v in rec.row.items() if k in BOOK_COLUMNS})
    start = clock_start(rec)
    due = clock.due(rec)
    answered = rec.answered_at
    row.update(
        register_no=rec.register_no, year=rec.year, completed_at=rec.completed_at,
        day_one=calendar.day_one(start).isoformat() if start else None,
        due_date=due.isoformat() if due else None, answered_at=answered,
        extended=bool(rec.extended), missing=";".join(rec.missing) or None,
        was_incomplete=rec.was_incomplete, withdrawn_at=rec.withdrawn_at,
        letter_no=rec.letters[-1]["letter_no"] if rec.letters else None,
    )
    if answered and start:
        day = dt.date.fromisoformat(answered)
        row["working_days"] = calendar.working_days(start, day)
        row["on_time"] = bool(due and day <= due)
    return row
