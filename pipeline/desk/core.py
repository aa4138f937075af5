"""The desk's one door to the core: every page reaches the register, the deadlines, the
rules and the batch through these functions, so that moving them onto one application
object is a change of this module only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import RequestFileError
from pipeline.register import Register

from . import decisions as D


@dataclass
class FileStatus:
    """What the batch would say of one request file now."""

    status: str  # a register status, 'changed', 'not_processed' or 'rejected_file'
    register_no: str | None = None
    service: str = ""
    channel: str = ""
    name: str = ""  # the requester's name, as the file gives it
    missing: tuple[str, ...] = ()
    problems: tuple = ()  # pipeline.errors.Problem of a rejected file


_LOADED: dict[tuple, object] = {}  # (path, mtime, size, inbox, today) -> Request or RequestFileError


def _load(path: Path, inbox: Path, today: dt.date):
    """A request file loaded once per version (the inbox page looks at every file)."""
    from pipeline.loading import load_request

    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size, str(inbox), today)
    if key not in _LOADED:
        if len(_LOADED) > 5000:
            _LOADED.clear()
        try:
            _LOADED[key] = load_request(path, inbox, today, display=path.name)
        except RequestFileError as exc:
            _LOADED[key] = exc
    found = _LOADED[key]
    if isinstance(found, RequestFileError):
        raise found
    return found


def file_status(reg: Register, path: Path, inbox: Path, today: dt.date) -> FileStatus:
    """A file's status: rejected, not processed yet, changed since the last run, or its
    request's register status (the file's digest is in the register)."""
    try:
        req = _load(path, inbox, today)
    except (RequestFileError, OSError) as exc:
        return FileStatus("rejected_file", problems=tuple(getattr(exc, "problems", ())))
    base = dict(service=req.service, channel=req.channel, name=getattr(req.requester, "name", "") or "")
    rno = reg.digests.get(req.digest)
    if rno:
        rec = reg.records[rno]
        return FileStatus(rec.row.get("status", ""), rno, missing=tuple(rec.missing), **base)
    if req.key in reg.by_key:
        return FileStatus("changed", reg.by_key[req.key], **base)
    return FileStatus("not_processed", **base)


def due(reg: Register, cfg, today: dt.date) -> list:
    """The due list, as `ppid due` counts it."""
    from pipeline.deadlines import due_list

    return due_list(reg, cfg, today)


def due_of(rec, cfg, today: dt.date) -> tuple[dt.date | None, int | None]:
    """A request's due date and the working days left (negative: overdue), as `ppid due`
    says; for a request no longer running, its due date alone (the config's one clock)."""
    from pipeline.deadlines import due_list

    for d in due_list(_One(rec), cfg, today):
        return d.due, d.days_left
    return cfg.clock.due(rec), None


class _One:
    """A register of one record, for deadlines.due_list."""

    def __init__(self, rec):
        self.records = {rec.register_no: rec}


def read_book(records):
    """The register book (register.parquet) as a DataFrame."""
    from pipeline.book import read_book as read

    return read(records)


def check_file(path, inbox, today: dt.date, cfg, reg, *, display: str) -> list:
    """The one check behind `ppid run` and `ppid validate`: the loader, then the
    requirements (an objection's register number looked up in `reg`). Raises
    RequestFileError for a file that is no request; returns the failed requirements."""
    from pipeline.batch import check_file as check, register_lookup
    from pipeline.loading import Inbox

    reg = reg if reg is not None else _NoRegister()
    return check(path, Inbox.of(inbox), today, cfg, lookup=register_lookup(reg, cfg),
                 known=reg.records.__contains__, display=display).failures


class _NoRegister:
    records: dict = {}


def queue(reg: Register, cfg, today: dt.date, inbox_root: Path, cache: dict):
    return D.queue(reg, cfg, today, inbox_root, cache)


def classify(path: Path, inbox_root: Path, cfg, today: dt.date, cache: dict):
    return D.classify(path, inbox_root, cfg, today, cache)
