"""The desk's one door to the core: every page reaches the register, the deadlines, the
rules and the batch through these functions, so that moving them onto one application
object is a change of this module only."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import RequestFileError
from pipeline.register import Register

from . import decisions as D
from .requestfile import ATTACH_DIR


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

    @property
    def linkable(self) -> bool:
        """Whether the clerk may link the file to a registered request as its supplement: a file
        not processed yet, or one held as a duplicate of a registered request (a supplement sent
        without its register number is exactly that; the link checks the requester)."""
        return self.status == "not_processed" or (
            self.status == "rejected_file" and any(getattr(p, "code", "") == "duplicate" for p in self.problems))


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


def file_status(d, path: Path, inbox: Path) -> FileStatus:
    """A file's status as `ppid run` and `ppid validate` judge it (Office.assess): rejected,
    not processed yet, changed since the last run, or its request's register status.

    Judged again only when something it depends on changed: the file (mtime, size, inode),
    its inbox folder and its lampiran/ (a file added or removed there), the register
    (`Register.version`, every event folded in) or the day; the inbox page asks about every
    file of every day it shows."""
    try:
        st, folder = path.stat(), inbox.stat()
    except OSError:
        return _file_status(d, path, inbox)  # gone meanwhile: the assessment says so
    key = (st.st_mtime_ns, st.st_size, st.st_ino, folder.st_mtime_ns, _mtime(inbox / ATTACH_DIR),
           _request_files(path.parent), d.register().version, d.today())
    cache = d.caches.setdefault("file_status", {})
    hit = cache.get((path, inbox))
    if hit is not None and hit[0] == key:
        return hit[1]
    status = _file_status(d, path, inbox)
    if len(cache) > 20_000:
        cache.clear()
    cache[(path, inbox)] = (key, status)
    return status


def _request_files(folder: Path) -> tuple:
    """The request files of a folder as names, sizes and times: a file's status follows the
    files before it in its folder too (one asking the same: pipeline.matching.inbox_duplicate),
    and an edit in place leaves the folder's own time as it was."""
    try:
        with os.scandir(folder) as entries:
            return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries
                                if e.name.lower().endswith((".yaml", ".yml")) and not e.name.startswith(".")))
    except OSError:
        return ()


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _file_status(d, path: Path, inbox: Path) -> FileStatus:
    from pipeline.errors import Problem

    o = d.assess(path, inbox)
    if o.status == "rejected_file":
        problems = tuple(Problem(e.get("code") or "file", e.get("field") or "", e.get("line"), e.get("message") or "")
                         for e in o.errors) or (Problem("file", "", None, o.error or ""),)
        return FileStatus("rejected_file", o.register_no, problems=problems)
    try:
        name = getattr(_load(path, inbox, d.today()).requester, "name", "") or ""
    except (RequestFileError, OSError):
        name = ""
    base = dict(service=o.service, channel=o.channel, name=name)
    if o.unchanged:
        return FileStatus(o.status, o.register_no, missing=tuple(o.missing), **base)
    if o.register_no:
        return FileStatus("changed", o.register_no, **base)
    return FileStatus("not_processed", **base)


def due(d) -> list:
    """The due list, as `ppid due` counts it (deadlines.due_list, the function Office.due
    lists with; the letters owed, which Office.due adds for the CLI, are not needed here)."""
    from pipeline.deadlines import due_list

    return due_list(d.view(), d.cfg, d.today())


def due_of(d, register_no: str) -> tuple[dt.date | None, int | None]:
    """A request's due date and the working days left (negative: overdue), as `ppid due` says."""
    return d.due_of(register_no)


def read_book(records):
    """The register book (register.parquet) as a DataFrame."""
    from pipeline.book import read_book as read

    return read(records)


def queue(reg: Register, cfg, today: dt.date, inbox_root: Path, cache: dict):
    return D.queue(reg, cfg, today, inbox_root, cache)


def classify(path: Path, inbox_root: Path, cfg, today: dt.date, cache: dict):
    return D.classify(path, inbox_root, cfg, today, cache)
