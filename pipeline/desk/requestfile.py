"""Request files as the desk writes them: from a form to YAML, round-trip, checked by the loader.

Every file the desk writes goes through `write_checked`: written beside its final place,
loaded by pipeline.loading and checked by pipeline.requirements exactly as `ppid run`
will, and only then moved into place (nothing half-written). Existing files are edited
with ruamel.yaml's round-trip mode, so the clerk's comments and the key order stay.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import re
import secrets
import shutil
import stat
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from pipeline import files, model, requirements
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
    # One object written twice (the decision's date and the extension's date) would get an
    # anchor and an alias, which the loader refuses by design: always write values in full.
    y.representer.ignore_aliases = lambda data: True
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


def candidates(path: Path):
    """`path`, then `<stem>-2<suffix>` … `<stem>-999<suffix>`: the names a new file may take."""
    yield path
    for n in range(2, 1000):
        yield path.with_name(f"{path.stem}-{n}{path.suffix}")


def unique(path: Path) -> Path:
    """The first of `candidates` that no file (nor link, even a dangling one) holds now."""
    for cand in candidates(path):
        if not os.path.lexists(cand):
            return cand
    raise FileExistsError(path)


class NameTaken(FileExistsError):
    """A new file's name was taken by another file between choosing it and placing it."""


def place_new(staged: files.Staged) -> Path:
    """Give a staged file its target's name only if no file (nor link) holds that name: a
    hard link fails when the name exists and never follows a link standing there, so two
    desks placing the same name at once never overwrite each other (NameTaken for the later)."""
    try:
        os.link(staged.path, staged.target, follow_symlinks=False)
    except FileExistsError:
        raise NameTaken(errno.EEXIST, "a file took this name meanwhile", str(staged.target)) from None
    finally:
        staged.discard()
    _fsync_folder(staged.target.parent)
    return staged.target


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the link itself is atomic
    finally:
        os.close(fd)


class OutsideInbox(OSError):
    """A request file the desk may not write: outside the inbox root, or reached through a
    symbolic link at a folder below it (a linked folder may lead anywhere)."""


def within(root: Path, path: Path) -> Path:
    """`path` when it lies below `root` through real folders only and is no link itself (each
    name below the root is checked with lstat, so a day folder replaced by a link is refused);
    else OutsideInbox. The root itself may be reached through links: the office chose it."""
    path = Path(os.path.abspath(path))
    for base in (Path(os.path.abspath(root)), Path(os.path.realpath(root))):
        if path.is_relative_to(base):
            break
    else:
        raise OutsideInbox(errno.EXDEV, "outside the inbox root", str(path))
    here, parts = base, path.relative_to(base).parts
    for n, part in enumerate(parts, 1):
        here = here / part
        try:
            mode = os.lstat(here).st_mode
        except FileNotFoundError:
            break  # made later by the desk (a new day's folder), as a real folder
        if stat.S_ISLNK(mode) or (n < len(parts) and not stat.S_ISDIR(mode)):
            raise OutsideInbox(errno.ELOOP, "a symbolic link stands at a name in the inbox", str(here))
    return path


# --- uploads ----------------------------------------------------------------------------


class UploadError(ValueError):
    """An upload that cannot be an attachment; the message names it and says why."""


def sniff(data: bytes, name: str, limit: int) -> str:
    """The suffix an attachment gets (.pdf/.jpg/.png), or UploadError in plain words."""
    if len(data) > limit:
        raise UploadError(_("%(name)s: %(size).1f MB; an attachment is at most %(limit).0f MB (ask for a smaller "
                            "scan, or a PDF)", name=name, size=len(data) / 1048576, limit=limit / 1048576))
    if not data:
        raise UploadError(_("%(name)s: the file is empty", name=name))
    for magic, suffix in MAGIC.items():
        if data.startswith(magic) or (suffix == ".pdf" and magic in data[:1024]):
            return suffix
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return ".docx"  # a letter in Word: converted to PDF before it is staged (spec section 2)
    raise UploadError(_("%(name)s: not a PDF, JPEG, PNG or Word (.docx) file; scan or photograph the document as "
                        "one of these", name=name))


def _is_docx(data: bytes) -> bool:
    import io
    import zipfile

    try:
        return "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError):
        return False


class Staging:
    """Uploads kept between a form and its correction, in the records folder (private)."""

    TOKEN = re.compile(r"^[0-9a-f]{16}$")

    def __init__(self, root: Path):
        self.root = root

    def new(self) -> str:
        return secrets.token_hex(8)

    def folder(self, token: str) -> Path:
        if not self.TOKEN.match(token or ""):
            raise UploadError(_("The form's attachments could not be found; start the form again."))
        d = self.root / token
        files.make_dir(d, 0o700)  # no link at it or above it (pipeline.files)
        return d

    def put(self, token: str, role: str, data: bytes, name: str, limit: int, *, to_pdf=None) -> Path:
        """Stage an upload; a .docx is turned into a PDF by `to_pdf` (bytes -> bytes) first."""
        suffix = sniff(data, name, limit)
        if suffix == ".docx":
            if to_pdf is None:
                raise UploadError(_("%(name)s: a Word file cannot be converted here; save it as PDF", name=name))
            try:
                data = to_pdf(data)
            except Exception:  # noqa: BLE001 - any failure of the conversion: the clerk asks for a PDF
                raise UploadError(_("%(name)s: the Word file could not be converted to PDF; ask for a PDF or "
                                    "print and scan it", name=name)) from None
            suffix = ".pdf"
        d = self.folder(token)
        for old in d.glob(f"{role}.*"):
            old.unlink()
        path = d / f"{role}{suffix}"
        files.write(path, data)
        files.write(d / f"{role}.name", name.encode("utf-8"))
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


def _judge(tmp: Path, path: Path, inbox: Path, today: dt.date, cfg: Config, reg, result: "Checked") -> None:
    """The loader's problems and the failed requirements of the file at `tmp`, by form
    field, in the desk's words (labels.problem_text): no YAML key, no line number."""
    from .labels import problem_text

    try:
        failures = check(tmp, inbox, today, cfg, reg, display=path.name)
    except RequestFileError as exc:
        for p in exc.problems:
            result.errors.setdefault(field_of(p.path), []).append(problem_text(p))
        return
    from .labels import PROBLEM_TEXT

    for f in failures:
        result.codes.append(f.code)
        text = f"{f.title}. {f.how}"
        if f.code == "objection_to" and "is not a register number" in f.detail:
            text = f"{PROBLEM_TEXT['reference']}. {f.how}"  # given, but not ours: say so first
        result.missing.setdefault(REQUIREMENT_FIELD.get(f.code, "_file"), []).append(text)


class Incomplete(Enum):
    """What `write_checked` does with a request that misses a requirement."""

    REFUSE = "refuse"  # not written: the clerk sees what is missing
    ACCEPT = "accept"  # written as it is: the batch records it incomplete (the clerk asked, or a decision)


def write_checked(path: Path, doc: CommentedMap, *, inbox: Path, today: dt.date, cfg: Config,
                  incomplete: Incomplete, reg=None, new: bool = False) -> Checked:
    """Write `doc` to `path` only when the loader accepts it (and, unless `Incomplete.ACCEPT`,
    it is complete). The file is first written beside `path` and checked there. A `new` file
    never replaces one that took its name meanwhile (NameTaken)."""
    staged = files.stage(path, dump_rt(doc).encode("utf-8"))  # the one safe writer (pipeline.files)
    result = Checked()
    try:
        _judge(staged.path, path, inbox, today, cfg, reg, result)
        if result.errors or (result.missing and incomplete is Incomplete.REFUSE):
            return result
        result.path = place_new(staged) if new else staged.commit()
        return result
    finally:
        staged.discard()


def check_only(path: Path, doc: CommentedMap, *, inbox: Path, today: dt.date, cfg: Config, reg,
               errors: dict[str, list[str]], staged: dict[str, Path]) -> Checked:
    """What a save would say, without saving: the form's own errors first, then what the
    loader and the requirements say of the other fields, so the clerk sees all at once.
    A field the form already refused, and an attachment just uploaded, are not judged
    again."""
    result = Checked(errors={k: list(v) for k, v in errors.items()})
    judged = Checked()
    with files.stage(path, dump_rt(doc).encode("utf-8")) as probe:  # never committed: a check only
        _judge(probe.path, path, inbox, today, cfg, reg, judged)
    for f, msgs in judged.errors.items():
        if f not in errors:
            result.errors.setdefault(f, []).extend(msgs)
    for f, msgs in judged.missing.items():
        if f not in errors and f not in staged:
            result.missing[f] = msgs
    result.codes = judged.codes
    return result


def check(path: Path, inbox: Path, today: dt.date, cfg: Config, reg, *, display: str) -> list:
    """What `ppid run` and `ppid validate` say of a file: the one check (pipeline.assess.check_file)
    with an objection's register number looked up in `reg`. Raises RequestFileError for a file
    that is no request; returns the failed requirements."""
    from pipeline.assess import check_file, register_lookup
    from pipeline.loading import Inbox

    records = reg.records if reg is not None else {}
    return check_file(path, Inbox.of(inbox), today, cfg, lookup=register_lookup(reg, cfg) if reg is not None
                      else (lambda _no: None), known=records.__contains__, display=display).failures


def place_attachment(src: Path, base: Path, stem: str, role: str) -> Path:
    """Copy a staged upload into lampiran/ beside the request file (folder `base`), under a
    name no file or link holds (never over one, never through one)."""
    folder = base / ATTACH_DIR
    files.make_dir(folder, 0o700)  # no link at lampiran/ or above it (pipeline.files)
    with open(src, "rb") as fh:
        data = fh.read()
    for dst in candidates(folder / f"{ATTACHMENT_ROLES[role]}-{stem}{src.suffix}"):
        if os.path.lexists(dst):
            continue
        try:
            return place_new(files.stage(dst, data))
        except NameTaken:
            continue
    raise FileExistsError(folder)
