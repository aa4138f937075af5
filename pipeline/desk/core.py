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


def file_status(desk, path: Path, inbox: Path) -> FileStatus:
    """A file's status as `ppid run` and `ppid validate` give it (Office.assess): its
    request's register status, changed since the last run, not processed yet, or rejected."""
    from types import SimpleNamespace

    o = desk.assess(path, inbox)
    if o.status == "rejected_file":
        problems = tuple(SimpleNamespace(code=e.get("code", "field"), path=e.get("path", "")) for e in o.errors)
        return FileStatus("rejected_file", problems=problems or (SimpleNamespace(code="file", path=""),))
    reg = desk.view()
    rec = reg.records.get(o.register_no or "")
    name = rec.row.get("requester_name", "") if rec else ""
    if not name:
        try:
            name = getattr(_load(path, inbox, desk.today()).requester, "name", "") or ""
        except (RequestFileError, OSError):
            name = ""
    base = dict(service=o.service, channel=o.channel, name=name)
    if o.unchanged:
        return FileStatus(o.status, o.register_no, missing=tuple(o.missing), **base)
    if o.register_no:
        return FileStatus("changed", o.register_no, **base)
    return FileStatus("not_processed", **base)


def due(reg: Register, cfg, today: dt.date) -> list:
    """The due list, as `ppid due` counts it."""
    from pipeline.deadlines import due_list

    return due_list(reg, cfg, today)


def due_of(desk, rec) -> tuple[dt.date | None, int | None]:
    """A request's due date and working days left, as `ppid due` counts (Office.due_of)."""
    return desk.due_of(rec.register_no)


def queue(reg: Register, cfg, today: dt.date, inbox_root: Path, cache: dict):
    """Requests waiting for a decision, overdue first (the review queue)."""
    return D.queue(reg, cfg, today, inbox_root, cache)


def classify(path: Path, inbox_root: Path, cfg, today: dt.date, cache: dict):
    """A request's items as the rules (and the personal-data screen) classify them."""
    return D.classify(path, inbox_root, cfg, today, cache)
