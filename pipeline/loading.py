"""Loading request files: YAML with line numbers, typed by a schema, every problem reported.

A file that cannot be a request (not YAML, wrong types, unknown enum values, an
attachment outside the inbox, a future `received`) raises `RequestFileError` with
every problem found, each naming the field path and line. Missing content is not a
load problem: the requirement checks report it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

import yaml

from pipeline import model
from pipeline.errors import Problem, RequestFileError
from pipeline.files import sha256

WITA = ZoneInfo("Asia/Makassar")
MAX_FILE_BYTES = 1_000_000  # a request is a page of text; anything larger is not one
MAX_TEXT = 20_000  # characters in one field
MIN_YEAR = 2000  # a date before this is a typo in the year (UU KIP is of 2008)
MAX_ITEMS = 100  # information items in one request: each is a row of its written notice
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, remembering the implicit tag of scalars it has seen (keys repeat in every file)."""

    _tags: dict = {}

    def descend_resolver(self, current_node, current_index):  # no path resolvers in a safe loader
        pass

    def ascend_resolver(self):
        pass

    def resolve(self, kind, value, implicit):
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self._tags.get(key)
        if tag is None:
            if len(self._tags) > 50_000:
                self._tags.clear()
            tag = self._tags[key] = super().resolve(kind, value, implicit)
        return tag

_STD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
# ISO 8601 as spec section 3 allows it: YYYY-MM-DD, then optionally HH:MM[:SS] after a space
# or T, then optionally an offset (Z, +08:00; a space before it is tolerated).
_DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?"
    r" ?(Z|[+-]\d{2}:?\d{2})?)?$", re.ASCII
)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_COMPACT_DATE_RE = re.compile(r"^\d{8}(?:T?\d{4,6})?", re.ASCII)
_WEEK_DATE_RE = re.compile(r"^\d{4}-?W\d{2}", re.ASCII | re.IGNORECASE)
# Bidirectional controls (Unicode UAX #9: embeddings, overrides, isolates, marks): "Maria"
# stored as "airaM" behind U+202E shows as one name in a letter and another in the register.
_BIDI_RE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MAYBE_UNSAFE = re.compile(r"[&*!]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # in a file name: tab and newline too


# --- the schema: each field is a parser from a YAML node to a value -------------------


class _Bad(Exception):
    """A value does not fit its field; carries the plain-words message."""


@dataclass
class Ctx:
    """What a field parser may need: where the file is and the processing date."""

    file: Path
    inbox: Path
    today: dt.date
    problems: list[Problem]
    lines: dict[str, int]
    resolved: dict[str, Path] = field(default_factory=dict)  # attachment as written -> resolved path
    cache: dict | None = None  # Inbox.paths: shared by the files of one inbox

    def __post_init__(self):
        self.folder = str(self.file.parent)


def _scalar(node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
        raise _Bad(f"must be {what}, not {kind}")
    return node.value


_NULL = "tag:yaml.org,2002:null"


def _is_null(node: yaml.Node) -> bool:
    return node.tag == _NULL  # only a scalar can carry it (other tags are refused)


def text(node, ctx, path):
    value = _scalar(node, "text")
    if CONTROL_RE.search(value):
        raise _Bad("contains control characters; remove them (retype the text)")
    bidi = _BIDI_RE.search(value)
    if bidi:
        import unicodedata

        raise _Bad(f"contains the invisible direction mark U+{ord(bidi.group()):04X} "
                   f"({unicodedata.name(bidi.group(), 'bidi control')}), which shows the text in another "
                   "order than it is stored; remove it (retype the text)")
    if len(value) > MAX_TEXT:
        raise _Bad(f"is {len(value):,} characters long; at most {MAX_TEXT:,} are accepted")
    return value.strip() or None


# The Komisi Informasi's case number as its register prints it ("012/XI/KI-NTT-PS/2026",
# "Nomor 012/REG-PSI/IX/2026"): letters, digits, "/", ".", "-" and spaces, with a digit. It is
# copied into the staff's book and the analysts' export, so free text (a name, a phone, an
# e-mail) typed into it is refused here and masked there (pipeline.pii.FREE_TEXT).
CASE_NO_MAX = 60
_CASE_NO_RE = re.compile(r"[A-Za-z0-9/.\- ]+")


def case_number(node, ctx, path):
    value = text(node, ctx, path)
    if value is None:
        return None
    if len(value) > CASE_NO_MAX or not _CASE_NO_RE.fullmatch(value) or not re.search(r"\d", value):
        raise _Bad(f"'{value[:40]}' is not a case number of the Komisi Informasi; write it as the Komisi's "
                   f"register prints it (e.g. 012/XI/KI-NTT-PS/2026): letters, digits, '/', '.', '-' and "
                   f"spaces, at most {CASE_NO_MAX} characters, no names, phones or e-mails")
    return value


case_number.schema = {"type": "string", "maxLength": CASE_NO_MAX, "pattern": r"^[A-Za-z0-9/.\- ]*\d[A-Za-z0-9/.\- ]*$"}


_NOT_TEXT = {"tag:yaml.org,2002:int": "a number", "tag:yaml.org,2002:float": "a number",
             "tag:yaml.org,2002:bool": "true or false"}


def name(node, ctx, path):
    """A person's or an organisation's name: text, never a bare number (a name is compared
    and printed in letters; `name: 12345` is a slip, not a name)."""
    what = _NOT_TEXT.get(node.tag) if isinstance(node, yaml.ScalarNode) else None
    if what:
        raise _Bad(f"is {what} ({node.value[:40]}), not a name; write the name as text")
    return text(node, ctx, path)


name.schema = {"type": "string", "maxLength": MAX_TEXT}


def enum(*choices: str) -> Callable:
    def parse(node, ctx, path):
        value = _scalar(node, "one of " + ", ".join(choices)).strip()
        if value not in choices:
            hint = difflib.get_close_matches(value, choices, n=1)
            also = f" (did you mean '{hint[0]}'?)" if hint else ""
            raise _Bad(f"'{value}' is not allowed{also}; use one of: {', '.join(choices)}")
        return value

    parse.schema = {"type": "string", "enum": list(choices)}
    return parse


def boolean(node, ctx, path):
    value = _scalar(node, "true or false").strip().lower()
    if value in ("true", "yes", "ya", "y"):
        return True
    if value in ("false", "no", "tidak", "n"):
        return False
    raise _Bad(f"'{value}' is not true or false; write true or false")


def integer(node, ctx, path):
    value = _scalar(node, "a whole number").strip()
    if not re.fullmatch(r"[0-9]{1,6}", value):
        raise _Bad(f"'{value[:40]}' is not a whole number")
    return int(value)


def _not_iso(value: str, example: str) -> str:
    """Why `value` is not an ISO 8601 date as spec section 3 takes it, in plain words."""
    if _COMPACT_DATE_RE.match(value):
        return f"'{value[:40]}' is a date without hyphens; write it like {example} (ISO 8601 with hyphens)"
    if _WEEK_DATE_RE.match(value):
        return f"'{value[:40]}' is a week date; write the calendar date, like {example}"
    return f"'{value[:40]}' is not a date; write it like {example}"


def datetime_wita(node, ctx, path):
    value = _scalar(node, "a date and time like 2026-11-20 09:15").strip()
    m = _DATETIME_RE.match(value)
    if not m and (_COMPACT_DATE_RE.match(value) or _WEEK_DATE_RE.match(value)):
        raise _Bad(_not_iso(value, "2026-11-20 09:15"))
    if not m:
        raise _Bad(f"'{value[:40]}' is not a date and time; write it like 2026-11-20 09:15")
    y, mo, d, hh, mm, ss, off = m.groups()
    try:
        naive = dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
    except ValueError as exc:
        raise _Bad(f"'{value}' is not a real date/time ({exc})") from None
    if naive.year < MIN_YEAR:
        raise _Bad(f"'{value}' is before {MIN_YEAR}; check the year")
    if off:
        off = "+00:00" if off == "Z" else off if ":" in off else off[:3] + ":" + off[3:]
        if int(off[1:3]) > 14 or int(off[4:6]) > 59:
            raise _Bad(f"'{value}' has the offset {off}, which no time zone has; write +08:00 for WITA, or leave it out")
        try:
            return dt.datetime.fromisoformat(naive.isoformat() + off).astimezone(WITA)
        except (ValueError, OverflowError):
            raise _Bad(f"'{value}' is not a real date/time") from None
    return naive.replace(tzinfo=WITA)  # no offset: Asia/Makassar (spec section 2)


def date(node, ctx, path):
    value = _scalar(node, "a date like 2026-11-25").strip()
    if not _DATE_RE.match(value):  # fromisoformat also takes 20261125 and 2026-W48-3
        raise _Bad(_not_iso(value, "2026-11-25"))
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise _Bad(f"'{value[:40]}' is not a date; write it like 2026-11-25") from None
    if day.year < MIN_YEAR:
        raise _Bad(f"'{value}' is before {MIN_YEAR}; check the year")
    if day > ctx.today:
        raise _Bad(f"is {day}, after the processing date {ctx.today}; correct the date or run with --date")
    return day


def attachment(node, ctx, path):
    """A file path relative to the request file that must stay inside the inbox."""
    value = _scalar(node, "a file name").strip()
    if not value:
        return None
    if os.path.isabs(value) or value.startswith("~"):
        raise _Bad(f"'{value}' is an absolute path; name the file relative to the request file, inside the inbox folder")
    if any(ord(c) < 32 for c in value):
        raise _Bad(f"{value!r} holds a control character (a NUL byte or a line break), which no file name has; "
                   "write the attachment's file name as it stands in the inbox folder")
    target = os.path.join(ctx.folder, value)
    cache = ctx.cache if ctx.cache is not None else {}
    found = cache.get(target)
    if found is None:  # files of one inbox share their attachments: each is resolved once
        try:
            real = os.path.realpath(target, strict=False)
        except (OSError, RuntimeError, ValueError):
            raise _Bad(f"'{value}' cannot be resolved (a symlink loop?)") from None
        inbox = str(ctx.inbox)
        found = cache[target] = (Path(real), real == inbox or real.startswith(inbox.rstrip(os.sep) + os.sep))
    resolved, inside = found
    ctx.resolved[value] = resolved
    if not inside:
        raise _Bad(f"'{value}' points outside the inbox folder {ctx.inbox}; put the file inside the inbox")
    return value


def holder_text(node, ctx, path):
    """`holder:` one body as text, or several as a list (kept as one text, model.HOLDER_SEPARATOR)."""
    if isinstance(node, yaml.SequenceNode):
        names = [n for n in items_of(text)(node, ctx, path) if n]
        if any(model.HOLDER_SEPARATOR.strip() in n for n in names):
            raise _Bad(f"a body's name may not contain '{model.HOLDER_SEPARATOR.strip()}'; give one body a line")
        return model.HOLDER_SEPARATOR.join(names) or None
    return text(node, ctx, path)


holder_text.item = text  # the schema: a list of texts, or one text


def items_of(parse: Callable) -> Callable:
    def parse_list(node, ctx, path):
        if isinstance(node, yaml.ScalarNode):
            # one item written without a dash is still one item; a blank one lists none
            value = parse(node, ctx, path)
            return [] if value is None else [value]
        if not isinstance(node, yaml.SequenceNode):
            raise _Bad("must be a list, one item a line starting with '- '")
        out = []
        for i, child in enumerate(node.value):
            value = _field(parse, child, ctx, f"{path}[{i + 1}]")
            out.append("" if value is None and parse is text else value)  # a blank item keeps its place
        return out

    parse_list.item = parse
    return parse_list


def mapping(fields: dict[str, Callable], build: Callable[..., Any]) -> Callable:
    def parse(node, ctx, path):
        if not isinstance(node, yaml.MappingNode):
            raise _Bad("must be a mapping of 'key: value' lines")
        values: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                _report(ctx, path, key_node, "has a list or a mapping where a field name belongs; write 'name: value'")
                continue
            key = key_node.value
            sub = f"{path}.{key}" if path else key
            ctx.lines[sub] = key_node.start_mark.line + 1
            if key in values:
                _report(ctx, sub, key_node, "is given twice; keep one")
                continue
            if key not in fields:
                hint = difflib.get_close_matches(key, fields, n=1)
                also = f" (did you mean '{hint[0]}'?)" if hint else ""
                _report(ctx, sub, key_node, f"is not a known field{also}")
                continue
            values[key] = None if _is_null(value_node) else _field(fields[key], value_node, ctx, sub)
        return build(**{k: v for k, v in values.items() if v is not None})

    parse.fields = fields
    return parse


def _field(parse, node, ctx, path):
    ctx.lines.setdefault(path, node.start_mark.line + 1)
    if _is_null(node):
        return None
    try:
        return parse(node, ctx, path)
    except _Bad as exc:
        _report(ctx, path, node, str(exc))
        return None


def _report(ctx: Ctx, path: str, node: yaml.Node, message: str) -> None:
    ctx.problems.append(Problem("field", path, node.start_mark.line + 1, message))


def _dict(**kw):
    return kw


def _grounds(letters: tuple[str, ...], law: str) -> Callable:
    def parse(node, ctx, path):
        value = _scalar(node, "a letter").strip().lower().rstrip(".)")
        if value not in letters:
            raise _Bad(f"'{value}' is not a {law} letter; use one of {letters[0]}-{letters[-1]}")
        return value

    parse.schema = {"type": "string", "enum": list(letters)}
    return parse


_IDENTITY = mapping(
    {"type": enum(*model.IDENTITY_TYPES), "number": text, "copy": attachment}, model.Identity
)
_REQUESTER = mapping(
    {
        "name": name, "kind": enum(*model.REQUESTER_KINDS), "organization": name,
        "phone": text, "email": text, "address": text, "identity": _IDENTITY,
    },
    model.Requester,
)
_DECISION_ITEM = mapping(
    {
        "item": integer, "status": enum(*model.ITEM_STATUSES),
        "ground": _grounds(model.PASAL17_GROUNDS, "UU KIP Pasal 17"), "reason": text,
        "basis": text, "consequence_test": text, "holder": holder_text, "redact": items_of(text),
        "consequence": text,
        "attachments": items_of(attachment),  # released documents sent with the notice (spec section 9)
    },
    _dict,
)
_DECISION = mapping(
    {
        "by": text, "date": date, "items": items_of(_DECISION_ITEM),
        "extend": mapping({"days": integer, "reason": text, "date": date}, _dict),
        # objection: the Atasan PPID's decision
        "result": enum(*model.OBJECTION_RESULTS), "reason": text,
    },
    _dict,
)
_ANSWER = mapping(
    {"text": text, "by": text, "role": enum(*model.ANSWER_ROLES), "date": date, "approved_by": text},
    model.Answer,
)
_DISPUTE = mapping(
    {"filed": date, "case_no": case_number, "result": enum(*model.DISPUTE_RESULTS), "decided": date}, model.Dispute
)
_RESPONSE = mapping({"text": text, "by": text, "date": date}, model.Response)
_KUASA = mapping({"name": name, "letter": attachment}, model.Proxy)
# the PPID's disposisi: the request assigned to a unit or an officer (the decree's walk-in flow)
_DISPOSITION = mapping({"to": text, "note": text, "by": text, "date": date}, model.Disposition)

REQUEST_FIELDS: dict[str, Callable] = {
    "service": enum(*model.SERVICES),
    "channel": enum(*model.CHANNELS),
    "received": datetime_wita,
    "completed": datetime_wita,
    "requester": _REQUESTER,
    "addressed_to": text,
    "letter": attachment,
    "information": items_of(text),
    "topic": text,
    "purpose": text,
    "source": text,
    "form": enum(*model.FORMS),
    "delivery": enum(*model.DELIVERIES),
    "guest_book": boolean,
    "decision": _DECISION,
    "answer": _ANSWER,
    "objection_to": text,
    "notice_received": date,
    "grounds": items_of(_grounds(model.PASAL35_GROUNDS, "UU KIP Pasal 35 ayat 1")),
    "dispute": _DISPUTE,
    "text": text,
    "category": enum("complaint", "suggestion", "appreciation"),
    "response": _RESPONSE,
    "withdrawn": date,
    "register_no": text,
    "kuasa": _KUASA,
    "disposition": _DISPOSITION,
}
REQUIRED = ("service", "channel", "received")


def json_schema() -> dict[str, Any]:
    """A JSON Schema of request files, derived from REQUEST_FIELDS (`ppid schema`; editors).

    It checks shape, names and enum values as a file is typed; the loader stays the judge
    (dates after the processing date, attachments inside the inbox, cross-field rules)."""
    plain = {
        text: {"type": "string", "maxLength": MAX_TEXT}, boolean: {"type": "boolean"},
        integer: {"type": "integer", "minimum": 0, "maximum": 999_999},
        datetime_wita: {"type": "string", "pattern": _DATETIME_RE.pattern},
        date: {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}, attachment: {"type": "string"},
    }

    def of(parse: Callable) -> dict[str, Any]:
        if hasattr(parse, "fields"):
            return {"type": "object", "additionalProperties": False,
                    "properties": {k: nullable(of(v)) for k, v in parse.fields.items()}}
        if hasattr(parse, "item"):  # a list, or one item written without a dash
            item = of(parse.item)
            return {"anyOf": [{"type": "array", "items": item}, item]}
        return dict(getattr(parse, "schema", None) or plain[parse])

    def nullable(s: dict[str, Any]) -> dict[str, Any]:  # every field may be written as null
        if "anyOf" in s:
            return {"anyOf": [*s["anyOf"], {"type": "null"}]}
        return {**s, "type": [s["type"], "null"], **({"enum": [*s["enum"], None]} if "enum" in s else {})}

    root = of(mapping(REQUEST_FIELDS, _dict))
    root["properties"]["information"]["anyOf"][0]["maxItems"] = MAX_ITEMS
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://ntt.kpu.go.id/ppid/request.schema.json",
            "title": "ppid request file (permohonan)", **root, "required": list(REQUIRED)}


# --- YAML to nodes, safely -----------------------------------------------------------


def _compose(data: str, ctx: Ctx) -> yaml.Node | None:
    try:
        node = yaml.compose(data, Loader=_Loader)
    except yaml.reader.ReaderError as exc:
        # libyaml counts bytes of the UTF-8 text, the pure-Python reader characters
        prefix = data.encode("utf-8")[: exc.position] if _BaseLoader is not yaml.SafeLoader else data[: exc.position].encode("utf-8")
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        ctx.problems.append(Problem("yaml", "", prefix.count(b"\n") + 1,
                                    f"contains the control character U+{char:04X}, which a request file cannot hold; retype that line"))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = " ".join(filter(None, [exc.context, exc.problem]))
        ctx.problems.append(Problem("yaml", "", line, f"is not valid YAML ({what}); check indentation and quotes on that line"))
        return None
    except yaml.YAMLError as exc:
        ctx.problems.append(Problem("yaml", "", None, f"is not valid YAML ({exc})"))
        return None
    if node is None:
        ctx.problems.append(Problem("empty", "", None, "is empty; a request file needs at least service, channel and received"))
        return None
    if _MAYBE_UNSAFE.search(data):  # no '&', '*' or '!' in the text: no anchor, alias or tag to refuse
        _check_nodes(node, ctx)
    return node


def _check_nodes(root: yaml.Node, ctx: Ctx) -> None:
    """Refuse aliases (they can explode in size) and non-standard tags (they build objects)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            ctx.problems.append(Problem("yaml", "", node.start_mark.line + 1,
                                        "uses a YAML anchor/alias (&/*); write the value out in full"))
            raise _Stop
        seen.add(id(node))
        if node.tag not in _STD_TAGS:
            ctx.problems.append(Problem("yaml", "", node.start_mark.line + 1,
                                        f"uses the YAML tag '{node.tag}', which is not allowed; remove it"))
            raise _Stop
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


class _Stop(Exception):
    """Stop reading a file whose structure is unsafe to walk further."""


# --- the public functions --------------------------------------------------------------


@dataclass
class Inbox:
    """An inbox folder, resolved once for all its files, with what its files share."""

    named: Path  # as the user named it (absolute): a request's key is relative to it
    resolved: Path
    paths: dict = field(default_factory=dict)  # attachment path -> resolved path
    hashes: dict = field(default_factory=dict)  # (resolved path, size, mtime) -> SHA-256
    stats: dict = field(default_factory=dict)  # resolved path -> os.stat_result or None (missing): once a run
    listing: dict = field(default_factory=dict)  # folder -> its request files and what they ask (pipeline.assess)
    twins: bool = True  # judge a new file against the earlier new files of its folder (validate's workers leave it to the parent)

    @classmethod
    def of(cls, folder: Path) -> "Inbox":
        return cls(Path(folder).absolute(), Path(folder).resolve())


def _attachment_hash(a: Path, inbox: Inbox) -> bytes:
    """SHA-256 of an attachment's bytes, computed once per version of the file."""
    st = stat_once(a, inbox.stats)
    if st is None or not stat.S_ISREG(st.st_mode):  # never open a pipe or a device: it would block
        return b""
    key = (a, st.st_size, st.st_mtime_ns)
    found = inbox.hashes.get(key)
    if found is None:
        try:
            found = inbox.hashes[key] = sha256(a).encode("ascii")
        except OSError:
            return b""
    return found


def stat_once(path: Path, stats: dict):
    """os.stat of a file, asked once per batch (None when it cannot be read)."""
    if path in stats:
        return stats[path]
    try:
        st = os.stat(path)
    except OSError:
        st = None
    stats[path] = st
    return st


def digest_of(raw: bytes, attachments: list[Path], inbox: Inbox) -> str:
    """Content digest of a request: the file's bytes and the digest of every attachment."""
    h = hashlib.sha256(raw)
    for a in sorted(attachments):
        h.update(b"\0" + a.name.encode() + b"\0" + _attachment_hash(a, inbox))
    return h.hexdigest()


def load_request(path: Path, inbox: "Path | Inbox", today: dt.date, *, display: str | None = None) -> model.Request:
    """Load one request file; raise RequestFileError listing every problem.

    `inbox` is the folder (resolved here) or an Inbox resolved once by the caller for all its files."""
    display = display or str(path)
    box = inbox if isinstance(inbox, Inbox) else Inbox.of(inbox)
    inbox = box.resolved
    ctx = Ctx(file=path.absolute(), inbox=inbox, today=today, problems=[], lines={}, cache=box.paths)

    def fail(message: str, code: str = "file") -> RequestFileError:
        return RequestFileError(display, [Problem(code, "", None, message)])

    bad = _NAME_CONTROL.search(str(path))
    if bad:  # a newline in a name splits every line that names the file (the book, messages)
        raise fail(f"has the control character U+{ord(bad.group()):04X} in its name (or its folder's); rename "
                   "the file with letters, digits, '-', '_' and '.' only")
    try:
        if path.is_symlink() and not path.resolve().is_relative_to(inbox):
            raise fail("is a symlink to a file outside the inbox; copy the file into the inbox instead")
        if not stat.S_ISREG(path.stat().st_mode):
            raise fail("is not a regular file (a folder, a pipe or a device); put the request file itself in the inbox")
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror})") from None
    except RuntimeError:  # Python < 3.13: a symlink loop
        raise fail("is a symlink loop; replace it by the request file itself") from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail(f"is {len(raw):,} bytes; a request file is at most {MAX_FILE_BYTES:,} bytes")
    try:
        data = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RequestFileError(display, [Problem("encoding", "", line, "is not UTF-8 text; save the file as UTF-8")]) from None

    try:
        root = _compose(data, ctx)
    except _Stop:
        root = None
    if root is None:
        raise RequestFileError(display, ctx.problems)
    if not isinstance(root, yaml.MappingNode):
        raise fail("must be a mapping of 'key: value' lines (service:, channel:, received:, …)")

    values = mapping(REQUEST_FIELDS, _dict)(root, ctx, "")
    for key in REQUIRED:
        if key not in values and not any(p.path == key for p in ctx.problems):
            ctx.problems.append(Problem("missing", key, None, f"is missing; every request file states its {key}"))
    _check_dates(values, ctx, today)
    items = values.get("information") or []
    if len(items) > MAX_ITEMS:
        ctx.problems.append(Problem("range", "information", ctx.lines.get("information"),
                                    f"lists {len(items):,} items; a request holds at most {MAX_ITEMS}, each answered "
                                    "in its written notice; split it into several request files"))
    _check_decision(values, ctx)
    _check_dispute(values, ctx)
    _check_kuasa(values, ctx)
    if values.get("objection_to") and values.get("service") not in (None, "objection"):
        ctx.problems.append(Problem("field", "objection_to", ctx.lines.get("objection_to"), (
            "is only for an objection (service: objection); remove it, or file the objection as a request file of "
            "its own (a supplement to a registered request names it with register_no)")))
    if ctx.problems:
        raise RequestFileError(display, ctx.problems)

    req = _build(values, path, box, ctx)
    attachments = [a for a in (req.attachment(req.letter), req.attachment(req.requester.identity.copy),
                                req.attachment(req.kuasa.letter if req.kuasa else None)) if a]
    req.digest = digest_of(raw, attachments, box)
    return req


def _check_dates(values: dict[str, Any], ctx: Ctx, today: dt.date) -> None:
    """The request's dates in order: nothing after the processing date, nothing before `received`."""
    received = values.get("received")
    if received and received.date() > today:
        ctx.problems.append(Problem("future", "received", ctx.lines.get("received"),
                                    f"is {received:%Y-%m-%d %H:%M}, after the processing date {today}; correct the date or run with --date"))
    completed = values.get("completed")
    if received and completed and completed < received:
        ctx.problems.append(Problem("order", "completed", ctx.lines.get("completed"),
                                    "is earlier than received; it is when missing requirements were supplied"))
    if completed and completed.date() > today:
        ctx.problems.append(Problem("future", "completed", ctx.lines.get("completed"),
                                    f"is after the processing date {today}"))
    for dated in ("answer.date", "response.date", "decision.date", "disposition.date"):
        parent = values.get(dated.split(".")[0])
        when = parent.get("date") if isinstance(parent, dict) else getattr(parent, "date", None)
        if received and when and when < received.date():
            ctx.problems.append(Problem("order", dated, ctx.lines.get(dated),
                                        f"is {when}, before the request was received ({received:%Y-%m-%d}); "
                                        "correct the date"))
    withdrawn = values.get("withdrawn")
    if withdrawn and ((received and withdrawn < received.date()) or withdrawn > today):
        ctx.problems.append(Problem("order", "withdrawn", ctx.lines.get("withdrawn"),
                                    f"is {withdrawn}; a withdrawal falls between received and the processing date {today}"))


def _check_decision(values: dict[str, Any], ctx: Ctx) -> None:
    """Decision items must name an existing requested item, with a status."""
    decision = values.get("decision") or {}
    n = len(values.get("information") or [])
    first: dict[int, int] = {}  # item number -> the decision that decides it
    for i, item in enumerate(decision.get("items") or []):
        path = f"decision.items[{i + 1}]"
        line = ctx.lines.get(path)
        if not isinstance(item, dict):  # its parser named what is wrong with it, unless it was left blank
            if not any(p.path.startswith(path) for p in ctx.problems):
                ctx.problems.append(Problem("field", path, line or ctx.lines.get("decision.items"), (
                    "is empty; each decided item is a mapping like '- {item: 1, status: open}'")))
            continue
        for key in ("item", "status"):
            if key not in item:
                ctx.problems.append(Problem("missing", f"{path}.{key}", line, f"is missing; each decided item states its {key}"))
        if "item" in item and not 1 <= item["item"] <= n:
            ctx.problems.append(Problem("range", f"{path}.item", ctx.lines.get(f"{path}.item"),
                                        f"is {item['item']}, but the request lists {n} item(s) under information; number them from 1"))
        if "item" in item and item["item"] in first:
            ctx.problems.append(Problem("duplicate", f"{path}.item", ctx.lines.get(f"{path}.item") or line,
                                        f"decides item {item['item']} again (as decision.items[{first[item['item']]}] "
                                        "does); keep one decision per item"))
        elif "item" in item:
            first[item["item"]] = i + 1
        # a refusal states its ground, a letter of UU 14/2008 Pasal 17 (the standar layanan,
        # Keputusan KPU Provinsi NTT 129/2022: "penolakan yang disertai dengan alasan penolakan")
        if item.get("status") in ("exempt", "partial") and not item.get("ground"):
            ctx.problems.append(Problem("missing", f"{path}.ground", line,
                                        f"is missing; an item decided '{item['status']}' gives its ground, the "
                                        "letter a-j of UU 14/2008 Pasal 17 (e.g. ground: h)"))
        # UU KIP Pasal 19; Perki 1/2021 Pasal 49: the harm opening it would cause, per item
        if item.get("status") in ("exempt", "partial") and not str(item.get("consequence") or "").strip():
            ctx.problems.append(Problem("missing", f"{path}.consequence", line,
                                        f"is missing; an item decided '{item['status']}' states the harm that opening "
                                        "it would cause (UU 14/2008 Pasal 19), e.g. consequence: Membuka NIK "
                                        "memungkinkan penyalahgunaan identitas pemilih"))
    ext = decision.get("extend")
    # the number of days is checked against the regime's maximum in batch.check_file (deadlines.py)
    if ext is not None and ext.get("days", 1) < 1:
        ctx.problems.append(Problem("range", "decision.extend.days", ctx.lines.get("decision.extend.days"),
                                    f"is {ext['days']}; an extension is at least 1 working day (UU KIP Pasal 22 ayat 8)"))
    if ext is not None and not ext.get("reason"):
        ctx.problems.append(Problem("missing", "decision.extend.reason", ctx.lines.get("decision.extend"),
                                    "is missing; an extension must give its reason (UU KIP Pasal 22 ayat 8)"))


def _check_dispute(values: dict[str, Any], ctx: Ctx) -> None:
    """A dispute belongs to an objection; its dates run received <= filed <= decided (dates
    after the processing date are refused by the date parser)."""
    d = values.get("dispute")
    if d is None:
        return
    line = ctx.lines.get

    def problem(code: str, path: str, message: str, at: str | None = None) -> None:
        ctx.problems.append(Problem(code, path, line(at or path) or line("dispute"), message))

    if values.get("service") not in (None, "objection"):
        problem("field", "dispute", "is only for an objection (service: objection): a dispute at the Komisi "
                "Informasi follows the Atasan PPID's answer; remove it or file it with the objection")
        return
    reported = {p.path for p in ctx.problems}
    if d.filed is None and "dispute.filed" not in reported:
        problem("missing", "dispute.filed", "is missing; give the date the Komisi Informasi registered the dispute",
                "dispute")
    received = values.get("received")
    if d.filed and received and d.filed < received.date():
        problem("order", "dispute.filed", f"is {d.filed}, before the objection was received "
                f"({received:%Y-%m-%d}); a dispute follows the objection")
    if d.result and not d.decided and "dispute.decided" not in reported:
        problem("missing", "dispute.decided", "is missing; give the date of the Komisi Informasi's ruling "
                "or mediation agreement with its result", "dispute.result")
    if d.decided and not d.result and "dispute.result" not in reported:
        problem("missing", "dispute.result", f"is missing; say how the dispute ended: "
                f"{', '.join(model.DISPUTE_RESULTS)}", "dispute.decided")
    if d.decided and d.filed and d.decided < d.filed:
        problem("order", "dispute.decided", f"is {d.decided}, before the dispute was filed ({d.filed})")


def _check_kuasa(values: dict[str, Any], ctx: Ctx) -> None:
    """A proxy files objections only, names themself and attaches the power of attorney,
    a file inside the inbox (spec section 3; Perki 1/2021 Pasal 39 ayat 3-4, a special power
    of attorney: to be confirmed against the official text, README "Before real use")."""
    k = values.get("kuasa")
    if k is None:
        return
    line = lambda path: ctx.lines.get(path) or ctx.lines.get("kuasa")  # noqa: E731
    if values.get("service") not in (None, "objection"):
        ctx.problems.append(Problem("field", "kuasa", line("kuasa"), (
            "is only for an objection (service: objection) filed by the requester's proxy; remove it")))
        return
    reported = {p.path for p in ctx.problems}
    if not k.name and "kuasa.name" not in reported:
        ctx.problems.append(Problem("missing", "kuasa.name", line("kuasa.name"),
                                    "is missing; give the name of the proxy who files the objection"))
    if not k.letter and "kuasa.letter" not in reported:
        ctx.problems.append(Problem("missing", "kuasa.letter", line("kuasa.letter"), (
            "is missing; attach the power of attorney (surat kuasa) and name its file, relative to the request file")))
    elif k.letter and "kuasa.letter" not in reported:
        problem = _power_of_attorney_problem(k.letter, values, ctx)
        if problem:
            ctx.problems.append(Problem("missing", "kuasa.letter", line("kuasa.letter"), problem))


def _power_of_attorney_problem(name: str, values: dict[str, Any], ctx: Ctx) -> str:
    """What makes `kuasa.letter` no power of attorney, or '': a file of its own in the inbox
    (not the request file, its letter or the identity card) that opens as a PDF or a scan
    (attachments.letter_problem, as the letter), never a traceback for a name the system refuses."""
    from pipeline.attachments import letter_problem

    target = ctx.resolved.get(name)
    try:
        there = target is not None and target.is_file() and target.stat().st_size > 0
    except (OSError, ValueError):
        there = False
    if not there:
        return (f"'{name}' does not exist or is empty; put the power of attorney (surat kuasa) in the inbox under "
                "that name")
    requester = values.get("requester")
    identity = getattr(getattr(requester, "identity", None), "copy", None)
    for field_path, other in (("letter", values.get("letter")), ("requester.identity.copy", identity)):
        other_path = ctx.resolved.get(other) if isinstance(other, str) else None
        if other_path is not None and other_path == target:
            return (f"'{name}' is the file given as {field_path}; the power of attorney (surat kuasa) is a document "
                    "of its own: attach it under its own name")
    problem = letter_problem(target, ctx.file)
    if problem:
        return (f"is not a readable power of attorney: {problem}; attach the signed surat kuasa as a PDF or a "
                "scan")
    return ""


def _build(values: dict[str, Any], path: Path, box: Inbox, ctx: Ctx) -> model.Request:
    decision = values.pop("decision", None)
    req = model.Request(file=str(path), path=ctx.file, inbox=box.named, inbox_resolved=box.resolved, digest="",
                        lines=ctx.lines, resolved=ctx.resolved, stats=box.stats, **values)
    if decision:
        if req.service == "objection" and "result" in decision:
            req.objection_decision = model.ObjectionDecision(
                result=decision["result"], by=decision.get("by"),
                date=decision.get("date"), reason=decision.get("reason"))
        items = [model.DecisionItem(**i) for i in decision.get("items") or [] if "item" in i and "status" in i]
        ext = decision.get("extend")
        req.decision = model.Decision(
            by=decision.get("by"), date=decision.get("date"), items=items,
            extend=model.Extension(days=ext.get("days", 0), reason=ext.get("reason") or "", date=ext.get("date"))
            if ext else None,
        )
    return req
