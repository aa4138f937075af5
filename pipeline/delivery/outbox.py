"""The outbox: each letter owed by e-mail is queued as one .eml under records/outbox/, then
handed to the office's relay, and the outcome recorded in the event log (spec section 9).

At least once, never twice on purpose, never lost:

- the letters owed are derived from the event log (a letter with no `sent` event is owed),
  so a message is never lost: a run that dies at any point leaves it owed;
- each message has a lock of its own (records/outbox/<name>.lock, held by the process
  that sends it, released by the kernel when that process dies); a second run skips a
  message whose lock is held, and after taking the lock re-reads the log, so a message
  another run has sent meanwhile is not sent again;
- the .eml is written once (same bytes, same Message-ID on every attempt); the `sent`
  event is appended right after the server's acceptance. A crash between the two is the
  one window where the next run sends the message again, with the same Message-ID.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
import stat
from email.parser import BytesHeaderParser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import filelock

from pipeline import files
from pipeline.delivery import message as M
from pipeline.delivery.settings import DeliverySettings, delivery_settings
from pipeline.delivery.smtp import Failure, Session
from pipeline.delivery.state import LetterDelivery, due_now, letters_of, message_id
from pipeline.errors import LockTimeout, RegisterError
from pipeline.loading import WITA
from pipeline.register import Record, Register, safe_name

OUTBOX = "outbox"
LOCK_WAIT_S = 600.0
KEY_FILE = "message-id.key"  # the office's secret behind its Message-IDs, in the (owner-only) outbox


def now_wita() -> dt.datetime:
    return dt.datetime.now(WITA).replace(microsecond=0)


def stamp(t: dt.datetime) -> str:
    return t.astimezone(WITA).isoformat(timespec="seconds")


@dataclass
class Attempt:
    """What happened to one letter in this run: a line of `ppid deliver --json`."""

    register_no: str
    letter_no: str
    kind: str
    method: str
    result: str  # sent | failed | waiting | busy | handover | skipped
    message_id: str = ""
    error: str | None = None
    permanent: bool = False
    next_try: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "") or k in ("register_no", "result")}


@dataclass
class Report:
    attempts: list[Attempt] = field(default_factory=list)
    mail: bool = False
    stopped: str | None = None  # why the session ended early (the server, not a message)

    @property
    def failed(self) -> bool:
        """A letter owed by e-mail is still not sent (refused, unreachable, waiting to retry)."""
        return any(a.result in ("failed", "waiting") for a in self.attempts) or self.stopped is not None

    def summary(self) -> str:
        """One line for `ppid run`'s summary."""
        if not self.mail:
            n = self.count("handover")
            return f"Delivery: no mail server configured; {n} letter(s) to hand over (`ppid due`, the desk)"
        text = f"Delivery: {self.count('sent')} e-mail(s) sent"
        waiting = self.count("failed") + self.count("waiting")
        if waiting:
            text += f", {waiting} not sent ({self.stopped or 'see `ppid deliver`'})"
        if self.count("handover"):
            text += f", {self.count('handover')} letter(s) to hand over"
        return text

    def count(self, result: str) -> int:
        return sum(1 for a in self.attempts if a.result == result)


class Follower:
    """The register, kept up to date with what other processes append to the log
    (through `Register.refresh`, the one reader of the log)."""

    def __init__(self, folder: Path, numbering: dict[str, str] | None = None, reg: Register | None = None):
        self.folder = Path(folder)
        self.reg = reg if reg is not None else Register(self.folder, numbering=numbering).load()

    def refresh(self) -> Register:
        """Fold in the lines appended since the last look; re-read a log rewritten by a purge."""
        return self.reg.refresh()

    def append(self, events: list[dict[str, Any]], *, locked: bool) -> None:
        """Append events under the records lock (unless the caller holds it already)."""
        if locked:
            self.refresh()
            self.reg.append(events)
            return
        try:  # not Register.locked(): that replays the whole log, once per message sent
            self.reg.append_locked(events, timeout=LOCK_WAIT_S)
        except LockTimeout as exc:
            raise LockTimeout(f"{exc}; the message was sent but not yet recorded: run `ppid deliver` again (it may "
                              "resend it once, with the same Message-ID)") from None


def office_key(records: Path) -> bytes:
    """The office's Message-ID key: 32 random bytes made once, owner-only, in records/outbox/
    (kept by `ppid purge`, which erases only a request's own messages).

    Created by linking a complete temporary file to its name, which fails when another run
    made it first: two runs never end up with two keys."""
    path = outbox_dir(records) / KEY_FILE
    if not path.exists():
        staged = files.stage(path, secrets.token_bytes(32), mode=0o600)
        try:
            os.link(staged.path, path)
        except FileExistsError:
            pass
        finally:
            staged.discard()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise RegisterError(f"{path}: the Message-ID key cannot be read ({exc.strerror}); restore it from the "
                            "backup") from None
    with os.fdopen(fd, "rb") as fh:
        key = fh.read(1024) if stat.S_ISREG(os.fstat(fh.fileno()).st_mode) else b""
    if len(key) < 16:
        raise RegisterError(f"{path}: the Message-ID key is damaged (not a file of 32 bytes); restore it from the "
                            "backup")
    return key


def new_message_id(records: Path, d: LetterDelivery, settings: DeliverySettings) -> str:
    """The Message-ID a letter's first e-mail gets (later attempts keep the one recorded)."""
    domain = settings.mail.sender_address.rpartition("@")[2] if settings.mail else ""
    return message_id(d.register_no, d.letter_no, domain, office_key(records))


def outbox_dir(records: Path) -> Path:
    return files.make_dir(Path(records) / OUTBOX, 0o700)


def file_stem(register_no: str, letter_no: str) -> str:
    return f"{safe_name(register_no)}_{safe_name(letter_no)}"


def eml_path(records: Path, d: LetterDelivery, to: str) -> Path:
    """The outbox copy of a message to `to` (a corrected address makes a new one)."""
    tag = hashlib.sha256(to.strip().lower().encode("utf-8")).hexdigest()[:8]
    return Path(records) / OUTBOX / f"{file_stem(d.register_no, d.letter_no)}.{tag}.eml"


def owed(reg: Register, settings: DeliverySettings) -> list[LetterDelivery]:
    """Every letter not yet on its way (owed, retrying, refused, or a hand-over task), by register number."""
    out = []
    for rec in reg.records.values():
        if rec.purged_at:
            continue
        out.extend(d for d in states(rec, settings) if d.open)
    return out


def states(rec: Record, settings: DeliverySettings) -> list[LetterDelivery]:
    mail = settings.mail
    return letters_of(rec, mail=mail is not None,
                      retry_minutes=mail.retry_minutes if mail else (5,),
                      max_attempts=mail.max_attempts if mail else 20)


def _letter(rec: Record, d: LetterDelivery) -> M.Letter:
    released: tuple[Path, ...] = ()
    if d.kind == "decision_notice" and rec.decided:
        released = tuple(Path(p) for p in rec.decided.get("released") or [])
    return M.Letter(register_no=rec.register_no, letter_no=d.letter_no, kind=d.kind,
                    service=rec.row.get("service") or "", requester_name=rec.row.get("requester_name") or "",
                    to=(rec.personal or {}).get("email") or "", status_code=rec.row.get("status_code") or "",
                    pdf=Path(d.pdf or ""), released=released)


def queue(records: Path, rec: Record, d: LetterDelivery, cfg, settings: DeliverySettings, now: dt.datetime) -> Path:
    """The message's .eml in the outbox, written once (the same bytes on every attempt);
    `d.message_id` is set to the ID that copy carries."""
    to = (rec.personal or {}).get("email") or ""
    path = eml_path(records, d, to)
    if path.exists():
        with open(path, "rb") as fh:  # a copy queued before: its own ID is the one the relay saw
            d.message_id = str(BytesHeaderParser().parse(fh).get("Message-ID") or "").strip() or d.message_id
        return path
    d.message_id = d.message_id or new_message_id(records, d, settings)
    data = M.build(_letter(rec, d), sender=settings.mail.sender, message_id=d.message_id, office=cfg.office,
                   base_url=settings.public_base_url, now=now)
    outbox_dir(records)
    for old in path.parent.glob(f"{file_stem(d.register_no, d.letter_no)}.*.eml"):
        old.unlink(missing_ok=True)  # to an address since corrected
    files.write(path, data, mode=0o600)
    return path


def deliver(records: Path, cfg, *, now: dt.datetime | None = None, reg: Register | None = None,
            records_locked: bool = False, session_factory: Callable[..., Session] | None = None,
            only: Iterable[str] | None = None) -> Report:
    """Send every e-mail owed whose time has come; record `sent` or `delivery_failed`.

    `now`: by default the machine's clock, read for the run and again for each event's time;
    given (the delivery demo's --now, tests), the clock stands still at it: every event of the
    run bears it. `reg` and `records_locked`: `ppid run` passes its register and holds the
    records lock. Without `mail:` nothing is sent: e-mail deliveries are hand-over tasks."""
    records = Path(records)
    settings = delivery_settings(cfg)
    follower = Follower(records, cfg.numbering, reg=reg)
    reg = follower.refresh()
    clock: Callable[[], dt.datetime] = (lambda: now) if now is not None else now_wita
    now = clock()
    report = Report(mail=settings.mail is not None)
    wanted = set(only) if only is not None else None
    todo: list[tuple[Record, LetterDelivery]] = []
    for rec in list(reg.records.values()):
        if rec.purged_at or (wanted is not None and rec.register_no not in wanted):
            continue
        for d in states(rec, settings):
            if d.state == "handover":
                report.attempts.append(Attempt(d.register_no, d.letter_no, d.kind, d.method, "handover"))
            elif d.state == "failed":
                report.attempts.append(Attempt(d.register_no, d.letter_no, d.kind, d.method, "waiting",
                                               d.message_id, d.error, permanent=True))
            elif d.state == "retry" and not due_now(d, now):
                report.attempts.append(Attempt(d.register_no, d.letter_no, d.kind, d.method, "waiting",
                                               d.message_id, d.error, next_try=stamp(d.next_try)))
            elif due_now(d, now):
                todo.append((rec, d))
    if not todo or settings.mail is None:
        return report
    session = (session_factory or Session)(settings.mail, config_folder=Path(cfg.folder))
    outbox_dir(records)
    try:
        for n, (rec, d) in enumerate(todo):
            if report.stopped:
                report.attempts.append(Attempt(d.register_no, d.letter_no, d.kind, d.method, "waiting",
                                               d.message_id, report.stopped))
                continue
            report.attempts.append(_send_one(records, follower, rec.register_no, d, cfg, settings, session, now,
                                             records_locked, report, clock))
    finally:
        session.close()
    return report


def _base(d: LetterDelivery) -> dict[str, Any]:
    return {"register_no": d.register_no, "letter_no": d.letter_no, "channel": "email", "message_id": d.message_id}


def _send_one(records: Path, follower: Follower, register_no: str, d: LetterDelivery, cfg,
              settings: DeliverySettings, session: Session, now: dt.datetime, records_locked: bool,
              report: Report, clock: Callable[[], dt.datetime]) -> Attempt:
    lock = filelock.FileLock(str(records / OUTBOX / f"{file_stem(d.register_no, d.letter_no)}.lock"))
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        return Attempt(d.register_no, d.letter_no, d.kind, d.method, "busy", d.message_id)
    try:
        rec = follower.refresh().records[register_no]
        fresh = next((x for x in states(rec, settings) if x.letter_no == d.letter_no), None)
        if fresh is None or not due_now(fresh, now):  # another run sent it, or it waits
            return Attempt(d.register_no, d.letter_no, d.kind, d.method, "skipped", d.message_id)
        d = fresh
        try:
            path = queue(records, rec, d, cfg, settings, now)
        except M.MessageError as exc:
            d.message_id = d.message_id or new_message_id(records, d, settings)
            event = {"type": "delivery_failed", **_base(d), "at": stamp(clock()), "error": str(exc),
                     "permanent": False}
            follower.append([event], locked=records_locked)
            return Attempt(d.register_no, d.letter_no, d.kind, d.method, "failed", d.message_id, str(exc))
        base = _base(d)
        to = (rec.personal or {}).get("email") or ""
        envelope = d.message_id.strip("<>").split("@")[0]
        try:
            session.send(path.read_bytes(), settings.mail.sender_address, to, envelope)
        except Failure as f:
            event = {"type": "delivery_failed", **base, "at": stamp(clock()), "error": f.error,
                     "permanent": f.permanent}
            follower.append([event], locked=records_locked)
            if f.connection:
                report.stopped = f.error
            return Attempt(d.register_no, d.letter_no, d.kind, d.method, "failed", d.message_id, f.error,
                           permanent=f.permanent)
        follower.append([{"type": "sent", **base, "at": stamp(clock()), "dsn": session.dsn}],
                        locked=records_locked)
        return Attempt(d.register_no, d.letter_no, d.kind, d.method, "sent", d.message_id)
    finally:
        lock.release()  # its file stays: removing it would let two runs lock two files of one name
