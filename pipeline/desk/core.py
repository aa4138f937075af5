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


def file_status(reg: Register, path: Path, inbox: Path, today: dt.date) -> FileStatus:
    """A file's status: rejected, not processed yet, changed since the last run, or its
    request's register status (the file's digest is in the register)."""
    from pipeline.loading import load_request

    try:
        req = load_request(path, inbox, today, display=path.name)
    except RequestFileError as exc:
        return FileStatus("rejected_file", problems=tuple(exc.problems))
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


def due_of(rec, cfg, today: dt.date):
    return D.due_of(rec, cfg, today)


def queue(reg: Register, cfg, today: dt.date, inbox_root: Path, cache: dict):
    return D.queue(reg, cfg, today, inbox_root, cache)


def classify(path: Path, inbox_root: Path, cfg, today: dt.date, cache: dict):
    return D.classify(path, inbox_root, cfg, today, cache)
