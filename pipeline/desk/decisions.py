"""The PPID's side: the review queue and the `decision:` block written into a request file.

The queue is read from the register (open requests in review) and each request file
(which items the rules leave undecided or only propose). The decision is merged into the
file's own `decision:` block with ruamel.yaml's round-trip mode: the clerk's comments,
the key order and any item decided before stay as they were.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from pipeline import model, rules
from pipeline.errors import RequestFileError
from pipeline.loading import load_request
from pipeline.deadlines import is_open
from pipeline.register import Record, Register

from .requestfile import LiteralScalarString

# The fields of a decided item the form offers, in this order; written only when the
# loader's field table (pipeline.loading.REQUEST_FIELDS) has them.
_WANTED = ("status", "ground", "reason", "consequence", "basis", "consequence_test", "holder", "redact")


def _loader_fields(*path: str) -> tuple[str, ...]:
    from pipeline.loading import REQUEST_FIELDS

    parse = REQUEST_FIELDS[path[0]]
    for key in path[1:]:
        parse = getattr(parse, "item", parse).fields[key]
    return tuple(getattr(getattr(parse, "item", parse), "fields", {}))


ITEM_FIELDS = tuple(f for f in _WANTED if f in _loader_fields("decision", "items"))
EXTEND_FIELDS = _loader_fields("decision", "extend")  # days, reason (and date, when the loader takes it)


@dataclass
class QueueEntry:
    register_no: str
    service: str
    subject: str
    received_at: str
    due: dt.date | None
    days_left: int | None
    path: Path | None
    undecided: list[int] = field(default_factory=list)
    proposed: list[int] = field(default_factory=list)
    problem: str = ""

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def request_path(rec: Record) -> Path | None:
    """The request file of a record: its key is '<inbox>/<file>@<received>'."""
    key = rec.key or ""
    path = Path(key.rsplit("@", 1)[0]) if "@" in key else None
    return path if path and path.is_file() else None


def inbox_of(path: Path, inbox_root: Path) -> Path:
    """The inbox a file belongs to: the folder under the inbox root that holds it (a day's
    inbox, as `ppid run inbox/2026-11-27` names it), else the file's own folder."""
    try:
        rel = path.resolve().relative_to(inbox_root.resolve())
    except ValueError:
        return path.parent
    return inbox_root / rel.parts[0] if len(rel.parts) > 1 else path.parent


def item_state(it: rules.ItemResult) -> str:
    """decided | proposed | undecided."""
    if it.status == "review":
        return "proposed" if getattr(it, "proposed", None) else "undecided"
    return "decided"


def queue(reg: Register, cfg, today: dt.date, inbox_root: Path, load_cache: dict) -> list[QueueEntry]:
    """Requests in review (information and objections), overdue first, then by due date."""
    from pipeline.deadlines import due_list

    dues = {d.register_no: d for d in due_list(reg, cfg, today)}  # the one clock, as `ppid due` counts
    out = []
    for rec in reg.records.values():
        if rec.row.get("status") != "review" or rec.register_no not in dues:
            continue
        due, left = dues[rec.register_no].due, dues[rec.register_no].days_left
        entry = QueueEntry(rec.register_no, rec.row.get("service", ""), _short(rec.row.get("subject") or "", 160),
                           rec.row.get("received_at", ""), due, left, request_path(rec))
        if entry.path is None:
            entry.problem = "the request file is no longer in its inbox"
        elif entry.service == "information":
            try:
                items = classify(entry.path, inbox_root, cfg, today, load_cache)
                entry.undecided = [i.no for i in items if item_state(i) == "undecided"]
                entry.proposed = [i.no for i in items if item_state(i) == "proposed"]
            except RequestFileError as exc:
                entry.problem = str(exc).splitlines()[0]
        out.append(entry)
    return sorted(out, key=lambda e: (not e.overdue, e.due or dt.date.max, e.register_no))


def load(path: Path, inbox_root: Path, today: dt.date, cache: dict) -> model.Request:
    st = path.stat()
    k = (str(path), st.st_mtime_ns, st.st_size)
    if k not in cache:
        if len(cache) > 2000:
            cache.clear()
        cache[k] = load_request(path, inbox_of(path, inbox_root), today)
    return cache[k]


def classify(path: Path, inbox_root: Path, cfg, today: dt.date, cache: dict) -> list[rules.ItemResult]:
    req = load(path, inbox_root, today, cache)
    return rules.classify(req.information or [], cfg.rules, req.decision, cfg.screen)


def apply_decision(doc: CommentedMap, *, by: str, date: dt.date, items: dict[int, dict[str, Any]],
                   extend: dict[str, Any] | None, objection: dict[str, Any] | None) -> CommentedMap:
    """Merge the PPID's decision into the document's `decision:` block, in place."""
    block = doc.get("decision")
    if not isinstance(block, CommentedMap):
        block = CommentedMap()
        doc["decision"] = block
    block["by"] = by
    block["date"] = date  # a date, written unquoted
    if items:
        seq = block.get("items")
        if not isinstance(seq, CommentedSeq):
            seq = CommentedSeq()
            block["items"] = seq
        for no in sorted(items):
            values = items[no]
            entry = next((e for e in seq if isinstance(e, dict) and str(e.get("item")) == str(no)), None)
            if entry is None:
                entry = CommentedMap()
                entry["item"] = no
                seq.append(entry)
            for key in ITEM_FIELDS:
                value = values.get(key)
                if value in (None, "", []):
                    entry.pop(key, None)
                elif key == "redact":
                    entry[key] = CommentedSeq(value)
                else:
                    entry[key] = LiteralScalarString(value + "\n") if isinstance(value, str) and "\n" in value else value
    if extend:
        ext = block.get("extend") if isinstance(block.get("extend"), CommentedMap) else CommentedMap()
        ext["days"] = extend["days"]
        ext["reason"] = extend["reason"]
        if "date" in EXTEND_FIELDS and extend.get("date"):
            ext["date"] = extend["date"]  # announced on (spec section 6)
        block["extend"] = ext
    if objection:
        block["result"] = objection["result"]
        block["reason"] = objection["reason"]
    return doc


def due_of(rec: Record, cfg, today: dt.date) -> tuple[dt.date | None, int | None]:
    """A request's due date and, while it is open, the working days left (negative: overdue),
    from the office's one clock, as `ppid due` says."""
    due = cfg.clock.due(rec)
    return due, (cfg.clock.days_left(today, due) if due and is_open(rec) else None)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + " …"
