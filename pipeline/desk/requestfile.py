"""Request files as the desk writes them: from a form to YAML, round-trip, checked by the loader.

Every file the desk writes goes through `write_checked`: written beside its final place,
loaded by pipeline.loading and checked by pipeline.requirements exactly as `ppid run`
will, and only then moved into place (nothing half-written). Existing files are edited
with ruamel.yaml's round-trip mode, so the clerk's comments and the key order stay.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from pipeline import model
from pipeline.config import Config
from pipeline.errors import RequestFileError

ATTACH_DIR = "lampiran"
# what an upload may be: its first bytes decide, not its name (as the batch reads them)
MAGIC = {b"%PDF-": ".pdf", b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}
ATTACHMENT_ROLES = {"letter": "surat", "requester.identity.copy": "identitas"}

# Which fields a form shows, by service and channel (the requirement table decides which
# of them must be filled; the form only offers them).
COMMON = ["received", "requester.name", "requester.kind", "requester.organization", "requester.phone",
          "requester.email", "requester.address"]
IDENTITY = ["requester.identity.type", "requester.identity.number", "requester.identity.copy"]
BY_SERVICE = {
    "information": IDENTITY + ["addressed_to", "letter", "information", "purpose", "source", "form", "delivery"],
    "consultation": IDENTITY + ["addressed_to", "letter", "topic", "purpose", "source"],
    "objection": IDENTITY + ["addressed_to", "letter", "objection_to", "grounds"],
    "complaint": ["category", "text"],
}
# requirement code -> the form field it concerns (pipeline.requirements.CHECKS)
REQUIREMENT_FIELD = {
    "identity": "requester.name", "contact": "requester.phone", "contact_any": "requester.phone",
    "identity_copy": "requester.identity.copy", "identity_shown": "requester.identity.number",
    "information": "information", "topic": "topic", "purpose": "purpose", "source": "source",
    "addressed_to": "addressed_to", "letter": "letter", "leader_letter": "letter",
    "guest_book": "guest_book", "objection_to": "objection_to", "grounds": "grounds", "text": "text",
    "delegation": "answer",
}
LIST_FIELDS = ("information", "grounds")


def fields_for(service: str, channel: str) -> list[str]:
    out = COMMON + BY_SERVICE[service]
    if channel == "walk_in":
        out = out + ["guest_book"]
    return out


def yaml_rt() -> YAML:
    y = YAML()  # round-trip: comments, key order and quoting kept
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    y.preserve_quotes = True
    return y


def load_rt(path: Path) -> CommentedMap:
    data = yaml_rt().load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, CommentedMap) else CommentedMap()


def dump_rt(doc: CommentedMap) -> str:
    buf = io.StringIO()
    yaml_rt().dump(doc, buf)
    return buf.getvalue()


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40] or "permohonan"


def unique(path: Path) -> Path:
    if not path.exists():
        return path
    for n in range(2, 1000):
        cand = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not cand.exists():
            return cand
    raise FileExistsError(path)


# --- uploads ----------------------------------------------------------------------------


class UploadError(ValueError):
    """An upload that cannot be an attachment; the message names it and says why."""


def sniff(data: bytes, name: str, limit: int) -> str:
    """The suffix an attachment gets (.pdf/.jpg/.png), or UploadError in plain words."""
    if len(data) > limit:
        raise UploadError(f"{name}: {len(data) / 1048576:.1f} MB; an attachment is at most "
                          f"{limit / 1048576:.0f} MB (ask for a smaller scan, or a PDF)")
    if not data:
        raise UploadError(f"{name}: the file is empty")
    for magic, suffix in MAGIC.items():
        if data.startswith(magic) or (suffix == ".pdf" and magic in data[:1024]):
            return suffix
    raise UploadError(f"{name}: not a PDF, JPEG or PNG file; scan or photograph the document as one of these")


class Staging:
    """Uploads kept between a form and its correction, in the records folder (private)."""

    TOKEN = re.compile(r"^[0-9a-f]{16}$")

    def __init__(self, root: Path):
        self.root = root

    def new(self) -> str:
        return secrets.token_hex(8)

    def folder(self, token: str) -> Path:
        if not self.TOKEN.match(token or ""):
            raise UploadError("the form's attachment token is not valid; start the form again")
        d = self.root / token
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        return d

    def put(self, token: str, role: str, data: bytes, name: str, limit: int) -> Path:
        suffix = sniff(data, name, limit)
        d = self.folder(token)
        for old in d.glob(f"{role}.*"):
            old.unlink()
        path = d / f"{role}{suffix}"
        path.write_bytes(data)
        (d / f"{role}.name").write_text(name, encoding="utf-8")
        return path

    def files(self, token: str) -> dict[str, Path]:
        """role -> staged file."""
        if not self.TOKEN.match(token or "") or not (self.root / token).is_dir():
            return {}
        return {p.stem: p for p in (self.root / token).iterdir() if p.suffix in (".pdf", ".jpg", ".png")}

    def original_name(self, token: str, role: str) -> str:
        p = self.root / token / f"{role}.name"
        return p.read_text(encoding="utf-8") if p.exists() else role

    def drop(self, token: str) -> None:
        if self.TOKEN.match(token or ""):
            shutil.rmtree(self.root / token, ignore_errors=True)


# --- form -> document --------------------------------------------------------------------


def set_path(doc: CommentedMap, path: str, value: Any) -> None:
    """Set a dotted path, creating mappings on the way; None removes the key."""
    keys = path.split(".")
    node = doc
    for k in keys[:-1]:
        if not isinstance(node.get(k), dict):
            if value is None:
                return
            node[k] = CommentedMap()
        node = node[k]
    last = keys[-1]
    if value is None:
        if last in node and node[last] is not None:
            del node[last]
        return
    if node.get(last) != value:
        node[last] = value


def get_path(doc: dict, path: str) -> Any:
    node: Any = doc
    for k in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(k)
    return node


def form_value(doc: dict, path: str) -> Any:
    """A document's value as a form shows it."""
    v = get_path(doc, path)
    if path in LIST_FIELDS:
        return "\n".join(str(x) for x in v) if isinstance(v, list) else (v or "")
    if isinstance(v, bool):
        return v
    return "" if v is None else str(v)


def apply_form(doc: CommentedMap, form: dict[str, Any], fields: list[str]) -> CommentedMap:
    """Put the form's values into the document; untouched keys (and comments) stay."""
    for path in fields:
        if path in ATTACHMENT_ROLES:
            continue  # set by the caller from the uploads
        if path == "guest_book":
            set_path(doc, path, bool(form.get(path)) or None)
            continue
        raw = form.get(path)
        if path == "grounds":
            letters = [g for g in (raw or []) if g in model.PASAL35_GROUNDS]
            set_path(doc, path, CommentedSeq(letters) if letters else None)
            continue
        text = (raw or "").replace("\r\n", "\n").strip()
        if path == "information":
            items = [line.strip() for line in text.split("\n") if line.strip()]
            old = get_path(doc, path)
            if items != (list(old) if isinstance(old, list) else old):
                set_path(doc, path, CommentedSeq(items) if items else None)
            continue
        if path == "requester.organization" and form.get("requester.kind") == "individual" and not text:
            set_path(doc, path, None)
            continue
        if not text:
            set_path(doc, path, None)
            continue
        set_path(doc, path, LiteralScalarString(text + "\n") if "\n" in text else text)
    return doc


def new_document(service: str, channel: str, note: str) -> CommentedMap:
    doc = CommentedMap()
    doc["service"] = service
    doc["channel"] = channel
    doc.yaml_set_start_comment(note)
    return doc


# --- writing, checked ------------------------------------------------------------------------


@dataclass
class Checked:
    """What the loader and the requirement checks say of a document, by form field."""

    path: Path | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)  # malformed: not written
    missing: dict[str, list[str]] = field(default_factory=dict)  # requirements: may be written
    codes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.missing


def field_of(problem_path: str) -> str:
    return re.sub(r"\[\d+\]", "", problem_path or "") or "_file"


def write_checked(path: Path, doc: CommentedMap, *, inbox: Path, today: dt.date, cfg: Config,
                  allow_incomplete: bool, reg=None) -> Checked:
    """Write `doc` to `path` only when the loader accepts it (and, unless allowed, it is
    complete). The file is first written beside `path` and checked there."""
    text = dump_rt(doc)
    tmp = path.with_name(f".{path.name}.desk.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    result = Checked()
    try:
        try:
            failures = check(tmp, inbox, today, cfg, reg, display=path.name)
        except RequestFileError as exc:
            for p in exc.problems:
                result.errors.setdefault(field_of(p.path), []).append(
                    f"{p.path or path.name}{f' (line {p.line})' if p.line else ''}: {p.message}")
            return result
        for f in failures:
            result.codes.append(f.code)
            result.missing.setdefault(REQUIREMENT_FIELD.get(f.code, "_file"), []).append(f"{f.title} — {f.detail}")
        if result.missing and not allow_incomplete:
            return result
        os.replace(tmp, path)
        result.path = path
        return result
    finally:
        tmp.unlink(missing_ok=True)


def check(path: Path, inbox: Path, today: dt.date, cfg: Config, reg, *, display: str) -> list:
    """The check `ppid run` and `ppid validate` make of a file (pipeline.assess.check_file):
    the loader, then the requirements (an objection's register number looked up in `reg`).
    Raises RequestFileError for a file that is no request; returns the failed requirements."""
    from pipeline.assess import check_file, register_lookup
    from pipeline.loading import Inbox

    reg = reg if reg is not None else _NoRegister()
    return check_file(path, Inbox.of(inbox), today, cfg, lookup=register_lookup(reg, cfg),
                      known=reg.records.__contains__, display=display).failures


class _NoRegister:
    records: dict = {}


def place_attachment(src: Path, base: Path, stem: str, role: str) -> Path:
    """Copy a staged upload into lampiran/ beside the request file (folder `base`)."""
    folder = base / ATTACH_DIR
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    dst = unique(folder / f"{ATTACHMENT_ROLES[role]}-{stem}{src.suffix}")
    shutil.copyfile(src, dst)
    return dst
