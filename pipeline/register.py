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
import functools
import json
import os
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, fields as dataclass_fields
from pathlib import Path
from typing import Any, Iterator

import filelock

from pipeline import durable, events
from pipeline.deadlines import Clock, is_open
from pipeline.errors import LockTimeout, RegisterError
from pipeline.events import Purged
from pipeline.files import private_mkdir, write
from pipeline.formatting import ROMAN
from pipeline.schema import BOOK_COLUMNS

EVENTS = "events.jsonl"
LOCK = ".lock"
# number series; objections have their own (Perki 1/2021), and so do decrees ("NOMOR 129 TAHUN 2022")
COUNTERS = ("register", "objection", "letter", "decree")
DEFAULT_NUMBERING = {"register": "{seq:04d}/PPID/{year}", "objection": "{seq:04d}/KEB/PPID/{year}",
                     "letter": "{seq}/SRT/PPID/{year}",  # never a register number (series_overlap)
                     "decree": "{seq} Tahun {year}"}


@dataclass
class Record:
    """What the log says of one request so far."""

    register_no: str
    key: str
    year: int
    row: dict[str, Any] = field(default_factory=dict)  # the latest snapshot of book fields
    digests: set[str] = field(default_factory=set)
    digest: str | None = None  # the latest version's: only that one is "unchanged" (issue 18 item 2)
    sources: set[str] = field(default_factory=set)  # files (inbox/name) taken in as versions (matching.versions_of)
    latest: dict[str, str] = field(default_factory=dict)  # file (inbox/name) -> digest of its latest version taken in
    letters: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    was_incomplete: bool = False
    completed_at: str | None = None
    decided: dict[str, Any] | None = None
    extended: dict[str, Any] | None = None
    answered_at: str | None = None
    withdrawn_at: str | None = None
    reopened_at: str | None = None  # an objection overturned the written notice
    reopened_by: dict[str, Any] = field(default_factory=dict)  # {objection, dispute}: what reopened it
    personal: dict[str, Any] = field(default_factory=dict)  # contacts kept for letters; purgeable
    purged_at: str | None = None  # personal data erased: the request is closed for good
    incoming_pdf: str | None = None  # the requester's letter stamped DITERIMA
    incoming_dropped: list[str] = field(default_factory=list)  # what its clean copy left out (JavaScript, EXIF …)
    deliveries: list[dict[str, Any]] = field(default_factory=list)  # sent, delivered, hand-overs (pipeline.delivery)

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
        self.version = getattr(self, "version", 0) + 1  # changes with every event folded in, and on a re-read
        self._offset, self._inode, self._lines_read = 0, None, 0  # how far the log was read (refresh)
        self.purge_held: dict[str, str] = {}  # register number -> why the last purge kept it
        self.purge_skipped: list[str] = []  # files the last purge left, outside its folders

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
            self._replay(repair=True)
            yield self
        finally:
            lock.release()

    # --- reading -----------------------------------------------------------------------

    def load(self) -> "Register":
        """Replay the event log, read only: a torn last line or an unfinished append is
        left out but left on disk (the read-only commands never write)."""
        return self._replay(repair=False)

    def refresh(self) -> "Register":
        """Fold in the events appended since the last read (a rewritten log is read again).

        The one way a long-lived reader (the desk) follows the log: the same checks as
        `load` (event_problem, the pending-append intent, a line still being written)."""
        path = self.folder / EVENTS
        try:
            st = path.stat()
        except FileNotFoundError:
            return self.load() if self._offset else self
        if st.st_ino != self._inode or st.st_size < self._offset:  # purged: rewritten
            return self.load()
        if st.st_size == self._offset:
            return self
        end = st.st_size
        pending = durable.pending_length(path)  # an append under way or cut short: not yet
        if pending is not None:
            end = min(end, max(pending, self._offset))
        with path.open("rb") as fh:
            fh.seek(self._offset)
            data = fh.read(end - self._offset)
        data = data[:data.rfind(b"\n") + 1]  # a line still being written waits for the next look
        self._fold(path, data, self._lines_read)
        self._offset += len(data)
        return self

    def _replay(self, *, repair: bool) -> "Register":
        """Read the whole log; a writer holding the lock (`repair`) also cuts off what a
        crash left behind."""
        self.__init__(self.folder, numbering=self.numbering)
        path = self.folder / EVENTS
        if not path.exists():
            if repair:
                durable.finish_pending(path)
            return self
        raw, pending = self._read_whole(path)
        if pending is not None:
            if repair:
                durable.finish_pending(path)
            if pending >= 0:
                raw = raw[:pending]
        if raw and not raw.endswith(b"\n"):
            if pending is None:  # every append leaves its intent until it is on disk: not a crash
                torn = len(raw) - raw.rfind(b"\n") - 1
                raise RegisterError(
                    f"{path}: its last line is cut off ({torn} bytes) and no unfinished "
                    "append explains it: the log was cut after ppid wrote it (a copy, a disk, an editor). The events "
                    "on that line, and the letter numbers they gave, would be lost and given again: restore "
                    "events.jsonl from backup")
            cut = raw.rfind(b"\n") + 1  # a crash mid-append: the torn line never happened
            if repair:
                with path.open("r+b") as fh:
                    fh.truncate(cut)
            raw = raw[:cut]
        self._fold(path, raw, 0)
        self._offset, self._inode = len(raw), path.stat().st_ino
        return self

    @staticmethod
    def _read_whole(path: Path) -> tuple[bytes, int | None]:
        """The log's bytes and the unfinished append's start (durable.pending_length), read
        so that a reader racing a writer never takes the writer's half-written line for
        damage: a cut-off end with no intent is read again a few times (an append takes
        milliseconds) before it counts as cut."""
        for attempt in range(4):
            pending = durable.pending_length(path)
            raw = path.read_bytes()
            if pending is None:
                pending = durable.pending_length(path)  # a writer that began after the first look
            if not raw or raw.endswith(b"\n") or pending is not None:
                return raw, pending
            time.sleep(0.05 * (attempt + 1))
        return raw, pending

    def _fold(self, path: Path, raw: bytes, first: int) -> None:
        """Fold the whole lines of `raw` (line numbers from `first` + 1) into the state."""
        for n, line in enumerate(raw.splitlines(), first + 1):
            self._lines_read = n
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

    def apply(self, ev: dict[str, Any]) -> None:
        """Fold one event into the in-memory state."""
        self.version += 1
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
            rec.digest = ev["digest"]
            self.digests[ev["digest"]] = rno
        if isinstance(ev.get("source"), str):
            rec.sources.add(ev["source"])
        if isinstance(ev.get("digest"), str):  # an older log names no source: the request's own file
            rec.latest[ev["source"] if isinstance(ev.get("source"), str) else rec.key.rsplit("@", 1)[0]] = ev["digest"]
        if "row" in ev:
            rec.row.update(ev["row"])
        if "personal" in ev:
            rec.personal = ev["personal"]
        if ev.get("status_code"):  # the public status page's key (spec section 3)
            rec.row["status_code"] = ev["status_code"]
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
            rec.reopened_by = {"objection": ev.get("by_objection") or "", "dispute": ev.get("by_dispute") or ""}
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
            rec.incoming_dropped = list(ev.get("dropped") or [])  # an older log: nothing recorded
            if ev.get("incoming_digest"):
                rec.row["incoming_digest"] = ev["incoming_digest"]  # this version of the letter is stamped
        elif kind in DELIVERY_EVENTS:
            rec.deliveries.append(ev)  # the day of receipt is read from these (delivery.state.receipt_day)
        elif kind == "purged":
            rec.personal = {}
            rec.purged_at = ev.get("date") or "?"

    # --- numbering ---------------------------------------------------------------------

    def next_number(self, counter: str, when: dt.date) -> tuple[str, int]:
        """The next number of a counter ('register' or 'letter') in `when`'s year, reserved."""
        k = (counter, when.year)
        seq = self.seq.get(k, 0) + 1
        self.seq[k] = seq
        return render_number(self.numbering[counter], seq, when.year, when.month), seq

    # --- writing -----------------------------------------------------------------------

    def append_locked(self, events: list[dict[str, Any]], *, timeout: float = 600.0) -> None:
        """Append under the records lock without replaying the whole log (the outbox, once per
        message sent): an append a crash left unfinished is settled, the lines other processes
        appended are folded in, then these go on."""
        lock = filelock.FileLock(str(self.folder / LOCK))
        try:
            lock.acquire(timeout=timeout)
        except filelock.Timeout:
            raise LockTimeout(f"{self.folder / LOCK}: held for over {timeout:.0f} s by another ppid process") from None
        try:
            durable.finish_pending(self.folder / EVENTS)
            self.refresh()
            self.append(events)
        finally:
            lock.release()

    def append(self, events: list[dict[str, Any]]) -> None:
        """Append events in one write and fsync, then fold them in."""
        if not events:
            return
        private_mkdir(self.folder)
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        data = "".join(json.dumps({"logged_at": now, **e}, ensure_ascii=False, default=str) + "\n" for e in events)
        # all or nothing: a full disk cuts the file back, no torn line (issue 12 item 1)
        raw = data.encode("utf-8")
        durable.append_all_or_nothing(self.folder / EVENTS, raw)
        for e in events:
            self.apply(e)
        if self._offset == 0 and self._inode is None:
            self._inode = (self.folder / EVENTS).stat().st_ino
        self._offset += len(raw)  # only a lock holder appends, so the log ends here
        self._lines_read += len(events)

    # --- personal data ------------------------------------------------------------------

    def held(self, today: dt.date, clock: Clock | None) -> dict[str, str]:
        """Requests purge leaves alone today, and why: a request whose objection window is
        still open (UU KIP Pasal 35-36: 30 working days from the notice), one with an open
        objection, both sides of an answered objection while its response may still be taken
        to the Komisi Informasi (Pasal 37 ayat 2: 14 working days), and both sides of a
        dispute not yet decided (UU KIP Pasal 37-39).
        Without a clock (older callers) the window is not counted."""
        held: dict[str, str] = {}
        for rno, rec in self.records.items():
            service = rec.row.get("service")
            if service == "objection":
                target = rec.row.get("objection_to")
                why = (f"objection {rno} is open" if is_open(rec) else
                       f"the dispute of objection {rno} is not decided"
                       if rec.row.get("dispute_filed") and not rec.row.get("dispute_decided") else
                       _dispute_window(rec, today, clock))
                if why:
                    held[rno] = why
                    if isinstance(target, str) and target in self.records:
                        held.setdefault(target, why)
            elif service == "information" and clock is not None and not rec.withdrawn_at and not rec.missing:
                notice = rec.last_letter("decision_notice")
                start = dt.date.fromisoformat(notice["date"]) if notice and notice.get("date") else clock.due(rec)
                end = clock.objection_window_end(start) if start else None
                if end and today <= end:
                    held.setdefault(rno, f"it may be objected to until {end}")
        return held

    def purge(self, before: dt.date, *, today: dt.date, clock: Clock | None = None,
              roots: "list[Path] | None" = None) -> list[dict[str, Any]]:
        """Erase personal data of closed requests received before `before` (UU 27/2022).

        The log is rewritten once with those fields blanked (the only rewrite it ever
        gets: erasure is what the law asks), attachments and stamped copies are deleted,
        and a `purged` event records what was removed. The book is unchanged. What may
        still be objected to or disputed is kept (`held`; listed in `self.purge_held`).

        Files are deleted only inside `roots` (the records folder always counts): the log
        holds absolute paths, and a copy of the records folder must not reach the original
        inbox. A request with a file elsewhere is kept, naming the file, so that it is
        purged whole once its folder is given (a purged request's files are found no more).
        """
        held = self.held(today, clock)
        self.purge_skipped = []
        candidates = {rno for rno, rec in self.records.items()
                      if rec.personal and not is_open(rec) and not rec.missing
                      and rec.row.get("received_at", "9999") < before.isoformat()}
        self.purge_held = {rno: held[rno] for rno in sorted(candidates & set(held))}
        victims = candidates - set(held)
        allowed = [os.path.realpath(r) for r in [self.folder, *(roots or [])]]
        for rno in sorted(victims):
            outside = [f for f in self._purge_files(rno) if not _inside(f, allowed)]
            if outside:
                victims.discard(rno)
                self.purge_held[rno] = (f"{len(outside)} of its file(s) lie outside the folders purge was given "
                                        f"({', '.join(outside)}); give the folder that holds them with --inbox (attachments) "
                                        "or --out (stamped copies) to purge it")
        if not victims:
            return []
        path = self.folder / EVENTS
        out, removed = [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue  # a blank line is no event (load skips it too)
            ev = json.loads(line)
            if ev.get("register_no") in victims:
                if ev.get("personal"):
                    ev["personal"] = {k: None for k in ev["personal"]}
                if ev.get("receiver"):  # who collected a letter at the counter (pipeline.delivery)
                    ev["receiver"] = None
                if ev.get("type") == "incoming_stamped" and isinstance(ev.get("pdf"), str) and ev["pdf"]:
                    removed.append(ev["pdf"])
            out.append(json.dumps(ev, ensure_ascii=False, default=str))
        kept = {f for rno, rec in self.records.items() if rno not in victims
                for f in _files(rec.personal)}  # still needed by another request
        planned = {}
        for rno in sorted(victims):
            files = self._purge_files(rno)
            files += [e for e in removed if f"/{safe_name(rno)}/" in e and e not in files]  # earlier versions'
            fields = sorted(k for k, v in self.records[rno].personal.items() if v and k != "attachments")
            planned[rno] = (fields, [f for f in files if f not in kept])
        # the rewrite first: it needs room for a whole copy of the log, and on a full disk
        # it fails before any file is deleted (the purge can then simply be run again)
        write(path, ("\n".join(out) + "\n").encode("utf-8"))
        report = []
        for rno, (fields, files) in planned.items():
            deleted = []
            for f in files:
                if not _inside(f, allowed):  # an earlier version's stamped copy elsewhere: never followed out
                    self.purge_skipped.append(f"{rno}: {f} (outside the folders purge was given)")
                    continue
                try:
                    Path(f).unlink()
                    deleted.append(f)
                except FileNotFoundError:
                    pass
            report.append(Purged(date=today.isoformat(), fields=fields, files=deleted,
                                 before=before.isoformat()).record(rno))
        kept_back, skipped = self.purge_held, self.purge_skipped
        self.load()
        self.append(report)
        self.purge_held, self.purge_skipped = kept_back, skipped
        return report

    def _purge_files(self, rno: str) -> list[str]:
        """The files a purge of `rno` deletes: its attachments, its stamped copies (the
        `incoming_stamped` events) and its e-mails in the outbox, as sent."""
        rec = self.records[rno]
        files = _files(rec.personal)
        if isinstance(rec.incoming_pdf, str) and rec.incoming_pdf and rec.incoming_pdf not in files:
            files.append(rec.incoming_pdf)
        files += [str(p) for p in outbox_copies(self.folder, rno)]
        return files

    # --- the book ----------------------------------------------------------------------

    def has_log(self) -> bool:
        return (self.folder / EVENTS).exists()

    def log_stamp(self) -> str:
        """Which log the book was written from: its inode, size and change time (the log only
        grows, and a purge writes a new file)."""
        try:
            st = (self.folder / EVENTS).stat()
        except FileNotFoundError:
            return "no log"
        return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"

    def write_book(self, clock: Clock, source: str = "") -> tuple[Path, Path]:
        """Rebuild register.csv and register.parquet from the log with the office's one
        clock (pipeline.book), atomically; `source` (what the book was built from) is kept in
        the Parquet book, so that a reader can tell a book that no longer follows the log."""
        from pipeline import book  # pandas and pyarrow: only what writes the book pays for them

        return book.write_book(self.folder, book.build_rows(self.records.values(), clock), source)


# what happened to a letter on its way to the requester (spec section 9; pipeline.delivery.state)
DELIVERY_EVENTS = ("sent", "delivery_failed", "delivered", "handover", "address_corrected")

# the keys an event must carry to be folded in (others may carry more): declared with each event
EVENT_KEYS = {kind: ("register_no", *cls.needs) for kind, cls in events.KINDS.items() if cls.folded}


# the counts an event holds (an extension's days, …), from the declared field types (pipeline.events);
# the `_seq`/`_year` pairs have checks of their own. A count of working days over a few years is a
# hand edit, not a date the clock can reach.
COUNT_KEYS = {kind: tuple(f.name for f in dataclass_fields(cls)
                          if str(f.type).split(" |")[0] == "int" and f.name not in ("seq", "year")
                          and not f.name.endswith(("_seq", "_year")))
              for kind, cls in events.KINDS.items()}
MAX_COUNT = 1000

# keys that hold text when present (a number or a list there would fail far from the log)
TEXT_KEYS = ("register_no", "key", "kind", "letter_no", "pdf", "code", "sha256", "digest", "incoming_digest", "wording",
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
    for key in ("register_no", "key", "digest", "source", "pdf", "docx", "letter_no", "kind"):  # text or absent
        if ev.get(key) is not None and not isinstance(ev[key], str):
            return f"'{key}' is not text (a JSON {type(ev[key]).__name__})"
    for key in [k for k in ev if k.endswith("_seq")]:  # register_seq, letter_seq, … with their year
        year = key[:-4] + "_year"
        if not (_whole(ev[key]) and _whole(ev.get(year)) and 1 <= ev[key] < 10**9 and 1 <= ev[year] <= 9999):
            return f"'{key}' and '{year}' must be whole numbers (a number from 1, a year up to 9999)"
    if any(k.endswith("_year") and not (_whole(v) and 1 <= v <= 9999) for k, v in ev.items()):
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
    for key in COUNT_KEYS.get(kind, ()):
        value = ev.get(key)
        if value is not None and not (_whole(value) and 0 <= value <= MAX_COUNT):
            return f"'{key}' is {json.dumps(value)[:40]}, not a whole number from 0 to {MAX_COUNT}"
    wrong = [k for k in TEXT_KEYS if k in ev and ev[k] is not None and not isinstance(ev[k], str)]
    if wrong:
        return f"'{wrong[0]}' is {type(ev[wrong[0]]).__name__}, not text"
    if "missing" in ev and not (isinstance(ev["missing"], list) and all(isinstance(m, str) for m in ev["missing"])):
        return "'missing' is not a list of requirement codes"
    if "dropped" in ev and not (isinstance(ev["dropped"], list) and all(isinstance(d, str) for d in ev["dropped"])):
        return "'dropped' is not a list of what a clean copy left out"
    if "personal" in ev and not isinstance(ev["personal"], dict):
        return "'personal' is not an object"
    files = (ev.get("personal") or {}).get("attachments")
    if files is not None and not (isinstance(files, list) and all(isinstance(f, str) or f is None for f in files)):
        return "'personal.attachments' is not a list of file names"
    return None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number an event holds")


def outbox_copies(folder: Path, register_no: str) -> list[Path]:
    """A request's messages in the outbox (records/outbox/<register>_<letter>.*.eml) and their locks."""
    box = Path(folder) / "outbox"
    return sorted(box.glob(f"{safe_name(register_no)}_*")) if box.is_dir() else []


def _whole(value: Any) -> bool:
    """A JSON whole number (true and false are no numbers, though Python's bool is an int)."""
    return isinstance(value, int) and not isinstance(value, bool)


def render_number(pattern: str, seq: int, year: int, month: int) -> str:
    """A number of a series: the pattern with {seq}, {year}, {month} (01-12) and {roman} (I-XII)."""
    return pattern.format(seq=seq, year=year, month=f"{month:02d}", roman=ROMAN[month - 1])


# sequence numbers where a series' width changes: {seq} and {seq:03d} meet from 100 on
SAMPLE_SEQS = (*range(1, 13), 99, 100, 101, 999, 1000, 1001, 9999, 10000, 10001, 99999, 100000)
SAMPLE_YEARS = (2025, 2026, 2027, 2099)


def _pattern_regex(pattern: str) -> re.Pattern:
    """Every number a pattern can give, as a regular expression (a superset where unsure)."""
    import string

    parts = []
    for literal, name, spec, _ in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name is None:
            continue
        width = re.fullmatch(r"0?(\d+)d", spec or "")
        if name == "seq":
            parts.append(rf"\d{{{width.group(1)},}}" if width else r"\s*\d+")
        elif name == "year":
            parts.append(r"\s*\d{4,}")
        elif name == "month":
            parts.append(r"\s*\d{2,}")
        elif name == "roman":
            parts.append("(?:" + "|".join(sorted(ROMAN, key=len, reverse=True)) + ")")
        else:
            parts.append(".*?")
    return re.compile("".join(parts))


def series_overlap(numbering: dict[str, str]) -> tuple[str, str, str] | None:
    """Two number series that can give the same number: (key, other key, an example), or None.

    Each series is rendered at the sequence numbers where widths change, in several years
    and every month; a number that two series give, or that one gives and the other's
    pattern can also produce, is an overlap (the second catches '1{seq}' against '{seq}')."""
    return _overlap(tuple(sorted(numbering.items())))


@functools.lru_cache(maxsize=64)
def _overlap(series: tuple[tuple[str, str], ...]) -> tuple[str, str, str] | None:
    """`series_overlap` of the same patterns once per process (every config load asks)."""
    numbering = dict(series)
    seen: dict[str, str] = {}
    samples: dict[str, set[str]] = {}
    for key in sorted(numbering):
        out = samples[key] = {render_number(str(numbering[key]), seq, year, month)
                              for seq in SAMPLE_SEQS for year in SAMPLE_YEARS for month in range(1, 13)}
        for number in sorted(out):
            other = seen.setdefault(number, key)
            if other != key:
                return other, key, number
    keys = sorted(numbering)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            for x, y in ((a, b), (b, a)):
                pattern = _pattern_regex(str(numbering[y]))
                hit = next((n for n in sorted(samples[x]) if pattern.fullmatch(n)), None)
                if hit is not None:
                    return a, b, hit
    return None


def _files(personal: dict[str, Any]) -> list[str]:
    """The attachment paths a record keeps (a hand-edited log may hold anything there)."""
    files = (personal or {}).get("attachments")
    return [f for f in files if isinstance(f, str) and f] if isinstance(files, list) else []


def safe_name(register_no: str) -> str:
    """A register number as a folder name: 0001/PPID/2026 -> 0001-PPID-2026."""
    return re.sub(r"[^\w.-]+", "-", register_no).strip("-")



_LINES: dict[str, tuple] = {}  # log path -> (inode, bytes indexed, {register_no or file: [(start, end)]})
_REF = re.compile(rb'"(?:register_no|file)": "((?:[^"\\]|\\.)*)"')


def _line_index(path: Path) -> dict[bytes, list[tuple[int, int]]]:
    """Where each request's lines are in the event log, indexed once and followed as the
    log grows (a history at 10,000 requests then reads a handful of lines, not the log)."""
    st = path.stat()
    key = str(path)
    inode, done, index = _LINES.get(key, (None, 0, {}))
    if inode != st.st_ino or st.st_size < done:  # rewritten (a purge): index again
        inode, done, index = st.st_ino, 0, {}
    size = st.st_size
    pending = durable.pending_length(path)  # an append under way (or cut short): not yet in the log
    if pending is not None:
        size = min(size, max(pending, done))
    if size > done:
        with path.open("rb") as fh:
            fh.seek(done)
            data = fh.read(size - done)
        end = data.rfind(b"\n") + 1  # a line still being written waits
        for m in _REF.finditer(data, 0, end):
            start = data.rfind(b"\n", 0, m.start()) + 1
            span = (done + start, done + data.find(b"\n", m.end()))
            spans = index.setdefault(m.group(1), [])
            if not spans or spans[-1] != span:  # a line naming the same request twice
                spans.append(span)
        done += end
    _LINES[key] = (inode, done, index)
    return index


def events_of(folder: Path, register_no: str, file: str | None = None) -> list[dict[str, Any]]:
    """One request's events as the log holds them, oldest first, and the desk's events on
    its request file (`file`); lines that are no event (event_problem) are left out."""
    path = Path(folder) / EVENTS
    if not path.exists():
        return []
    index = _line_index(path)
    spans = set(index.get(json.dumps(register_no, ensure_ascii=False)[1:-1].encode(), []))
    if file:
        spans |= set(index.get(json.dumps(file, ensure_ascii=False)[1:-1].encode(), []))
    out = []
    with path.open("rb") as fh:
        for start, end in sorted(spans):
            fh.seek(start)
            try:
                ev = json.loads(fh.read(end - start))
            except (ValueError, RecursionError):
                continue
            if not isinstance(ev, dict) or event_problem(ev):
                continue
            if ev.get("register_no") == register_no or (file and ev.get("type") == "desk" and ev.get("file") == file):
                out.append(ev)
    return out


def _dispute_window(rec: Record, today: dt.date, clock: Clock | None) -> str | None:
    """Why an answered objection is kept today: the requester may still take the response to
    the Komisi Informasi, 14 working days from receiving it (UU KIP Pasal 37 ayat 2), counted
    from the response's date, or from the day it was shown received when that is later
    (a `delivered` event, spec section 9). None once the window has closed or no response
    was issued (an open objection is kept as open)."""
    response = rec.last_letter("objection_response")
    if clock is None or not response or rec.row.get("dispute_filed"):
        return None
    try:
        start = dt.date.fromisoformat(str(response.get("date"))[:10])
    except ValueError:
        return None
    for e in rec.deliveries:
        if e.get("type") == "delivered" and e.get("letter_no") == response.get("letter_no"):
            try:
                start = max(start, dt.date.fromisoformat(str(e.get("at"))[:10]))
            except ValueError:
                continue
    end = clock.dispute_window_end(start)
    return (f"the response to objection {rec.register_no} may be taken to the Komisi Informasi until {end}"
            if today <= end else None)


def _inside(path: str, roots: list[str]) -> bool:
    """The file lies inside one of `roots` (real paths), judged by its folder's real path
    and its own name: a link in the path is resolved, never a link at the name (unlink
    removes the link, not what it points to). A file that is not there is deleted by no one."""
    absolute = os.path.abspath(path)
    if not os.path.lexists(absolute):
        return True
    real = os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))
    return any(os.path.commonpath([real, root]) == root for root in roots)
