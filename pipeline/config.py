"""The office's config folder: office.yaml, requirements.yaml, information.yaml.

Each file is checked on load; a mistake is a ConfigError (exit 2) naming the file, the
entry and how to fix it, before any request is touched.
"""

from __future__ import annotations

import datetime as dt
import functools
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline import model, normalise
from pipeline.screen import CATEGORY_KINDS, WORD_LISTS, Category, Screen
from pipeline.calendar import WorkingCalendar
from pipeline.deadlines import DEFAULTS, ELECTION_DEFAULTS, Clock, Period
from pipeline.errors import ConfigError
from pipeline.signing import SigningConfig, load_signing

REQUIREMENT_CODES = model.REQUIREMENT_CODES
RULE_STATUSES = model.ITEM_STATUSES


@dataclass(frozen=True, eq=False)
class Rule:
    """One entry of the DIP/DIK list (spec section 4). Frozen: a loaded list is shared by every
    config read from the same file contents (`_by_contents`)."""

    id: str
    status: str
    keywords: tuple[str, ...]
    title: str = ""
    ground: str | None = None  # the first of `grounds`
    basis: str | None = None
    consequence_test: str | None = None
    consequence: str | None = None  # the harm opening it would cause (UU KIP Pasal 19; Perki 1/2021 Pasal 49)
    redact: tuple[str, ...] = ()
    holder: str | None = None
    line: int | None = None  # where the entry starts in information.yaml
    grounds: tuple[str, ...] = ()  # every UU KIP Pasal 17 letter the rule rests on ("h angka 2 dan huruf j")
    phrases: frozenset[str] = field(init=False, default=frozenset())  # keywords as matched (normalise.views)

    def __post_init__(self) -> None:
        grounds = tuple(self.grounds) or ((self.ground,) if self.ground else ())
        object.__setattr__(self, "grounds", grounds)
        object.__setattr__(self, "ground", grounds[0] if grounds else None)
        object.__setattr__(self, "keywords", tuple(self.keywords))
        object.__setattr__(self, "redact", tuple(self.redact))
        object.__setattr__(self, "phrases", frozenset(v for k in self.keywords for v in normalise.views(k) if v))

    @property
    def closing(self) -> bool:
        """An exempt or partial rule: it withholds all or part of the item."""
        return self.status in ("exempt", "partial")

    @property
    def decides(self) -> bool:
        """False for a closing rule without the office's decree: it only proposes (UU KIP Pasal 19)."""
        return not self.closing or bool(self.consequence_test)


# Working days, when config/office.yaml's `deadlines:` does not say otherwise
# (UU KIP Pasal 22 ayat 7 and 8, Pasal 36 ayat 1, Pasal 37 ayat 2, Pasal 38 ayat 1).
DEFAULT_DEADLINES = {"notice": 10, "extension": 7, "objection_answer": 30, "objection_window": 30, "commission": 14}


# The roles of `staff:` in config/office.yaml (spec section 9). The PPID and the Atasan PPID
# sign letters (UU KIP Pasal 13 and 36); member, secretary and delegated answer consultations
# (wording.ROLE_LABELS); clerk and analyst use the desk.
STAFF_ROLES = ("ppid", "atasan_ppid", "member", "secretary", "delegated", "clerk", "analyst")
SIGNING_ROLES = ("ppid", "atasan_ppid")  # exactly one person each: who signs must never be a guess


@dataclass(frozen=True)
class Person:
    """One of the office's staff (`staff:`): letters, the "a.n." block, reminders and desk users name them."""

    name: str
    role: str
    position: str = ""  # the title under the signature, e.g. "Pejabat Pengelola Informasi dan Dokumentasi"
    nip: str = ""
    email: str = ""
    office: str = ""  # the office line under the title
    # the staff member one level up (by name): the "a.n." block follows it, "u.b." when the signer
    # is two levels below the mandating official (Tata Naskah Dinas)
    reports_to: str = ""

    def signature(self) -> dict[str, str]:
        """The signature block of a letter: title, office, name, nip."""
        return {"title": self.position, "office": self.office, "name": self.name, "nip": self.nip}


@dataclass
class Config:
    folder: Path
    office: dict[str, Any]
    staff: list[Person]
    tembusan: list[str]
    letter_defaults: dict[str, str]
    numbering: dict[str, str]
    requirements: dict[str, dict[str, Any]]
    vague_words: set[str]
    addressed_to_all_of: dict[str, list[list[str]]]  # service -> groups of words, one of each group
    rules: list[Rule]
    raw: dict[str, Any]
    clock: Clock  # the one clock: the calendar, the deadline numbers and the election periods
    retention_years: int = 5  # `ppid purge`: personal data of closed requests kept this long (UU 27/2022)
    letter_hal: dict[str, str] = field(default_factory=dict)  # office overrides of a letter kind's Hal
    report: dict[str, Any] = field(default_factory=dict)  # the annual report's narrative parts
    applicable_cache: dict = field(default_factory=dict, repr=False)  # requirements.applicable, per kind of request
    signing: SigningConfig | None = None  # the office's certificate, or None (nothing signed)
    screen: Screen | None = None  # config/personal-data.yaml: checked before any open rule decides (spec section 4)

    @property
    def deadlines(self) -> dict[str, int]:
        """The ordinary regime's numbers (working days), the clock's own; dates come from `clock`."""
        return self.clock.ordinary

    @property
    def calendar(self) -> WorkingCalendar:
        """The working calendar, the clock's own."""
        return self.clock.calendar

    @property
    def addressee(self) -> str:
        """Whom a request is addressed to by default: `office.addressed_to`, else the head of
        the office, "Ketua <office.short>" (load_config checked it is text)."""
        given = str(self.office.get("addressed_to") or "").strip()
        short = str(self.office.get("short") or "").strip()
        return given or (f"Ketua {short}" if short else "")

    def people(self, role: str) -> list[Person]:
        """The staff with a role, in the order config lists them."""
        return [p for p in self.staff if p.role == role]

    def person(self, role: str) -> Person:
        """The one holder of a signing role (ppid, atasan_ppid); load_config made sure there is one."""
        return self.people(role)[0]

    def named(self, name: str | None) -> Person | None:
        """The staff member of that name (letter case and spacing aside), or None."""
        key = " ".join((name or "").split()).casefold()
        return next((p for p in self.staff if " ".join(p.name.split()).casefold() == key), None) if key else None

    def signatory(self, role: str) -> dict[str, str]:
        """The signature block for a signing role: title, office, name, nip."""
        return self.person(role).signature()

    @property
    def signatories(self) -> dict[str, dict[str, str]]:
        """The signature blocks of the signing roles, read from `staff`."""
        return {role: self.signatory(role) for role in SIGNING_ROLES}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader (libyaml when present), with a date that is no date an error at its
    line, not a traceback (an unquoted 2026-02-30 looks like a date to YAML)."""


def _timestamp(loader, node):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(None, None, f"'{node.value}' is not a date ({exc}); write a real "
                                                "date like 2026-12-31", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


_READ: dict[tuple[str, str], bytes] = {}


def _read(path: Path) -> Any:
    if not path.is_file():
        raise ConfigError(f"{path}: not found; the config folder needs this file (see README)")
    try:
        text = path.read_text(encoding="utf-8")
        blob = _READ.get((str(path), text))
        if blob is None:  # parsed once per file contents; each call gets its own copy to change
            blob = pickle.dumps(yaml.load(text, Loader=_Loader))
            if len(_READ) >= 32:
                _READ.clear()
            _READ[(str(path), text)] = blob
        return pickle.loads(blob)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        field_path = _path_at(text, exc.problem_mark.line) if exc.problem_mark else ""
        raise ConfigError(f"{path}:{line}: {field_path + ': ' if field_path else ''}not valid YAML "
                          f"({exc.problem})") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None


def _path_at(text: str, line0: int) -> str:
    """The field path (like calendar.add.2026-02-30) of the entry on a 0-based line, or ""."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return ""

    def walk(node, trail):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                found = walk(v, [*trail, str(k.value)])  # the deepest entry on that line
                if found:
                    return found
                if k.start_mark.line == line0 or v.start_mark.line == line0 and isinstance(v, yaml.ScalarNode):
                    return [*trail, str(k.value)]
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                found = walk(v, [*trail[:-1], f"{trail[-1]}[{i}]"] if trail else [f"[{i}]"])
                if found:
                    return found
        return None

    return ".".join(walk(root, []) or [])


_COMPOSED: dict[tuple[str, str], Any] = {}


def _composed(path: Path) -> Any:
    """The node tree of a YAML file (False when it cannot be read), once per file contents."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    key = (str(path), text)
    if key not in _COMPOSED:
        if len(_COMPOSED) >= 32:
            _COMPOSED.clear()
        try:
            _COMPOSED[key] = yaml.compose(text, Loader=_Loader) or False
        except yaml.YAMLError:
            _COMPOSED[key] = False
    return _COMPOSED[key]


class _Where:
    """`path:line: field.path` of an entry of a YAML file, for an error message (the line of
    the deepest part of the path that exists)."""

    def __init__(self, path: Path):
        self.path, self._root = path, None

    def __call__(self, *keys: Any) -> str:
        if self._root is None:
            self._root = _composed(self.path)
        node, line = self._root, None
        for key in keys:
            if not isinstance(node, yaml.MappingNode):
                break
            pair = next(((k, v) for k, v in node.value if str(k.value) == str(key)), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        return f"{self.path}:{line or 1}: {'.'.join(map(str, keys))}"


# numbering patterns: these fields only, with at most a zero-padded width (sequence numbers
# are short; a width of a billion is a hang, not a number)
NUMBER_FIELDS = ("seq", "year", "month", "roman")
_NUMBER_SPEC = re.compile(r"0?[1-9]?d?")


def _check_pattern(where: str, key: str, pattern: Any) -> str:
    """A numbering pattern's text, after its fields and format specs are checked."""
    import string

    how = "use {seq}, {seq:04d}, {year}, {month} or {roman} with text between, like '{seq:04d}/PPID/{year}'"
    if not isinstance(pattern, str) or not pattern.strip():
        raise ConfigError(f"{where}: must be a text pattern; {how}")
    if len(pattern) > 200:
        raise ConfigError(f"{where}: is {len(pattern)} characters long; a number pattern is short; {how}")
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise ConfigError(f"{where}: '{pattern}' is not a valid pattern ({exc}); {how}") from None
    for _text, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in NUMBER_FIELDS:
            raise ConfigError(f"{where}: '{{{name}}}' is not a field of a number; {how}")
        if conversion or not _NUMBER_SPEC.fullmatch(spec or ""):
            raise ConfigError(f"{where}: the format '{{{name}:{spec}}}' is not allowed: only a zero-padded width "
                              f"up to 9, like {{seq:04d}}; {how}")
    return pattern


def _dates(where: _Where, section: str, value: Any) -> dict[dt.date, str]:
    if not value:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where('calendar', section)}: must be a mapping of dates to reasons, like "
                          "2026-12-31: Libur kantor")
    out = {}
    for k, v in value.items():
        try:
            day = k if isinstance(k, dt.date) else dt.date.fromisoformat(str(k))
        except ValueError:
            raise ConfigError(f"{where('calendar', section, k)}: '{k}' is not a date like 2026-12-31") from None
        if isinstance(day, dt.datetime):
            day = day.date()
        if v is not None and not isinstance(v, (str, int)):
            raise ConfigError(f"{where('calendar', section, k)}: the reason must be text, like \"Libur kantor\"")
        out[day] = str(v or "")
    return out


# consequence_test names the office's own decree ("Keputusan PPID ... Nomor ..."):
# UU KIP Pasal 19 and Perki 1/2021 ask for a consequence test recorded per category.
_DECREE = re.compile(r"\bkeputusan\b.*\b(?:nomor|no)\b", re.IGNORECASE | re.DOTALL)
_RULE_KEYS = ("id", "title", "status", "keywords", "ground", "grounds", "basis", "consequence", "consequence_test", "redact",
              "holder")


def _rule_nodes(path: Path) -> tuple[Any, Any]:
    """The YAML document and its node tree (for line numbers)."""
    if not path.is_file():
        raise ConfigError(f"{path}: not found; the config folder needs this file (see README)")
    try:
        loader = _Loader(path.read_text(encoding="utf-8"))
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise ConfigError(f"{path}:{line}: not valid YAML ({exc.problem})") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    return data, node


def _by_contents(load):
    """`load(path)` once per file contents in this process: the same bytes give the same frozen
    result (the desk and every command re-read the config; the rule matcher is compiled once per
    loaded list, `rules._matcher`). A file that changes is read again; an error is never kept."""
    seen: dict[tuple[str, bytes], Any] = {}

    @functools.wraps(load)
    def cached(path: Path):
        try:
            key = (str(Path(path).resolve()), Path(path).read_bytes())
        except OSError:
            return load(path)  # the loader names the missing or unreadable file
        if key not in seen:
            if len(seen) >= 32:
                seen.clear()
            seen[key] = load(path)
        return seen[key]

    cached.uncached = load
    return cached


def load_rules(path: Path) -> list[Rule]:
    """Read and check the DIP/DIK list; a mistake names the file, line and rule id."""
    return list(_load_rules(path))


@_by_contents
def _load_rules(path: Path) -> tuple[Rule, ...]:
    data, root = _rule_nodes(path)
    if not isinstance(data, list):
        raise ConfigError(f"{path}: must be a list of rules, each starting with '- id: …'")
    rules: list[Rule] = []
    ids: dict[str, int] = {}
    phrases: dict[str, tuple[str, int, str]] = {}  # normalised keyword -> (rule id, line, keyword)
    for i, (entry, node) in enumerate(zip(data, root.value), 1):
        start = node.start_mark.line + 1
        lines = {k.value: v.start_mark.line + 1 for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}
        rid = str(entry.get("id") or "") if isinstance(entry, dict) else ""

        def fail(msg: str, key: str | None = None) -> ConfigError:
            who = f"rule {rid}" if rid else f"entry {i} (no id)"
            return ConfigError(f"{path}:{lines.get(key, start)}: {who}: {msg}")

        if not isinstance(entry, dict):
            raise fail("must be a mapping with id, status and keywords")
        if not rid:
            raise fail("has no id; give it one like DIP-01 or DIK-01")
        if rid in ids:
            raise fail(f"id {rid} is used twice (first at line {ids[rid]}); ids must be unique", "id")
        ids[rid] = start
        unknown = set(entry) - set(_RULE_KEYS)
        if unknown:
            key = sorted(unknown)[0]
            raise fail(f"unknown key {key}; the keys are {', '.join(_RULE_KEYS)}", key)
        status = entry.get("status")
        if status not in RULE_STATUSES:
            raise fail(f"status '{status}' is unknown; use one of {', '.join(RULE_STATUSES)}", "status")
        keywords = entry.get("keywords")
        if not isinstance(keywords, list) or not keywords:
            raise fail("keywords must be a non-empty list of words or phrases", "keywords")
        rule_phrases: list[str] = []
        for k in keywords:
            if not isinstance(k, str):
                raise fail(f"keyword {k!r} is not text; put it in quotes", "keywords")
            forms = [v for v in normalise.views(k) if v]
            if not forms or len(forms[-1].replace(" ", "")) < 2:
                raise fail(f"keyword '{k}' has no letters or digits to match; write the word or phrase", "keywords")
            for form in forms:
                other = phrases.get(form)
                if other and other[0] != rid:
                    raise fail(f"keyword '{k}' is also rule {other[0]}'s ('{other[2]}', line {other[1]}); "
                               "a keyword belongs to one rule", "keywords")
                phrases[form] = (rid, start, k)
            rule_phrases.append(k.strip())
        consequence_test = entry.get("consequence_test") or None
        grounds = ground_list(entry, fail)
        _check_closing(entry, status, consequence_test, grounds, fail)
        rules.append(Rule(
            id=rid, status=status, keywords=rule_phrases, title=str(entry.get("title") or ""),
            grounds=grounds, basis=entry.get("basis"), consequence_test=consequence_test,
            consequence=str(entry.get("consequence") or "").strip() or None,
            redact=tuple(str(r) for r in entry.get("redact") or []), holder=entry.get("holder"), line=start,
        ))
    return tuple(rules)


def ground_list(entry: dict, fail) -> tuple[str, ...]:
    """The UU KIP Pasal 17 letters of a rule or a screen category: `ground: j`, `ground: [h, j]` or
    `grounds: [h, j]` (an item may rest on several, e.g. disability data on huruf h angka 2 and huruf j).
    Each must be a letter a-j; the one home of that check for both files."""
    if "ground" in entry and "grounds" in entry:
        raise fail("give ground or grounds, not both (grounds: [h, j] lists several)", "grounds")
    key = "grounds" if "grounds" in entry else "ground"
    value = entry.get(key)
    if value in (None, "", []):
        return ()
    letters = value if isinstance(value, list) else [value]
    for g in letters:
        if g not in model.PASAL17_GROUNDS:
            raise fail(f"{key} must be UU KIP Pasal 17 letters a-j, one or a list like [h, j] (got '{g}')", key)
    if len(set(letters)) != len(letters):
        raise fail(f"{key} names a letter twice ({', '.join(map(str, letters))})", key)
    return tuple(letters)


def _check_closing(entry: dict, status: str, consequence_test, grounds: tuple[str, ...], fail) -> None:
    """What a rule of each status must and must not carry (spec section 4)."""
    if status in ("exempt", "partial"):
        if not grounds:
            raise fail(f"an {status} rule needs ground, a UU KIP Pasal 17 letter a-j or a list of them "
                       f"(got '{entry.get('ground')}')", "ground")
        if not entry.get("basis"):
            raise fail(f"an {status} rule needs basis, the law it rests on (UU KIP Pasal 17)", "basis")
        # UU KIP Pasal 19 and Perki 1/2021 Pasal 49: the harm opening it would cause, stated
        # per information; letters and the refusal decree print it (never the rule's title)
        if not str(entry.get("consequence") or "").strip():
            raise fail(f"{'an' if status == 'exempt' else 'a'} {status} rule needs consequence, the harm that "
                       "opening the information would cause, in the office's words (UU KIP Pasal 19; Perki "
                       "1/2021 Pasal 49); letters print it", "consequence")
        if consequence_test is not None and not _DECREE.search(str(consequence_test)):
            raise fail("consequence_test must name the office's own decree that recorded the consequence test, "
                       "like 'Keputusan PPID ... Nomor ... Tahun ... tentang Penetapan Informasi yang Dikecualikan'; "
                       "leave it out until that decree exists (the rule then only proposes)", "consequence_test")
    else:
        for key in ("ground", "grounds", "consequence", "consequence_test"):
            if entry.get(key) not in (None, ""):
                raise fail(f"{key} is only for exempt or partial rules", key)
    if status == "partial" and not entry.get("redact"):
        raise fail("a partial rule needs redact, the list of what is blacked out", "redact")
    if status != "partial" and entry.get("redact"):
        raise fail("redact is only for partial rules", "redact")
    if status == "not_held" and not entry.get("holder"):
        raise fail("a not_held rule needs holder, the body that holds the information", "holder")
    if status != "not_held" and entry.get("holder"):
        raise fail("holder is only for not_held rules", "holder")


def _check_requirements(path: Path, data: dict) -> dict[str, dict]:
    reqs = data.get("requirements")
    if not isinstance(reqs, dict):
        raise ConfigError(f"{path}: needs a 'requirements:' mapping of code to rule")
    for code, rule in reqs.items():
        if code not in REQUIREMENT_CODES:
            raise ConfigError(f"{path}: requirement '{code}' is unknown; the codes are {', '.join(REQUIREMENT_CODES)}")
        if not isinstance(rule, dict) or not rule.get("title") or not rule.get("how"):
            raise ConfigError(f"{path}: requirement '{code}' needs title and how (the wording for the notice)")
        for key in ("by_service", "only"):  # requirements.wording: alternative title and how
            for name, alt in (rule.get(key) or {}).items():
                if not isinstance(alt, dict) or not alt.get("title") or not alt.get("how"):
                    raise ConfigError(f"{path}: requirement '{code}': {key}.{name} needs title and how")
        applies = rule.get("applies")
        if not isinstance(applies, list) or not all(isinstance(c, dict) for c in applies):
            raise ConfigError(f"{path}: requirement '{code}': applies must be a list of conditions like {{service: [information]}}")
        for cond in applies:
            for key, val in cond.items():
                allowed = {"service": model.SERVICES, "channel": model.CHANNELS,
                           "kind_not": model.REQUESTER_KINDS, "with": ("answer", "letter", "decision")}.get(key)
                if allowed is None:
                    raise ConfigError(f"{path}: requirement '{code}': condition key '{key}' is unknown; use service, channel, kind_not, with")
                vals = val if isinstance(val, list) else [val]
                bad = [v for v in vals if v not in allowed]
                if bad:
                    raise ConfigError(f"{path}: requirement '{code}': {key} '{bad[0]}' is unknown; use one of {', '.join(allowed)}")
    return reqs


def _check_logo(path: Path, folder: Path, office: dict[str, Any]) -> None:
    """office.logo: "" or a PNG or JPEG file inside the config folder."""
    logo = office.get("logo") or ""
    if not logo:
        return
    how = "give the path of a PNG or JPEG file relative to the config folder, or \"\" for none"
    if not isinstance(logo, str):
        raise ConfigError(f"{path}: office.logo must be a file name; {how}")
    file = folder / logo
    try:
        with open(file, "rb") as f:
            head = f.read(8)
    except OSError:
        raise ConfigError(f"{path}: office.logo '{logo}' is not a readable file in {folder}; {how}") from None
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        raise ConfigError(f"{path}: office.logo '{logo}' is not a PNG or JPEG image; {how}")


def _check_addressee(path: Path, office: dict[str, Any]) -> None:
    """office.addressed_to: absent, or the text a request is addressed to."""
    value = office.get("addressed_to")
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{path}: office.addressed_to must be text, like \"Ketua KPU Provinsi Nusa Tenggara Timur\", "
                          "or left out (then \"Ketua \" and office.short)")


def load_config(folder: Path) -> Config:
    """Read and check the whole config folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"{folder}: config folder not found; pass --config DIR or run from the project folder")
    office_path = folder / "office.yaml"
    office = _read(office_path)
    if not isinstance(office, dict) or "office" not in office:
        raise ConfigError(f"{office_path}: needs an 'office:' section")
    where = _Where(office_path)
    _check_shapes(where, office)
    numbering = office.get("numbering") or {}
    numbering.setdefault("objection", "{seq:04d}/KEB/PPID/{year}")  # the register of objections
    # decrees have a series of their own, set out as the seed decree's "NOMOR 129 TAHUN 2022"
    numbering.setdefault("decree", "{seq} Tahun {year}")
    for key in ("register", "letter", "objection", "decree"):
        pattern = _check_pattern(where("numbering", key), key, numbering.get(key))
        try:
            pattern.format(seq=1, year=2026, month="01", roman="I")
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(f"{office_path}: numbering.{key} '{pattern}' is not a valid pattern ({exc}); use {{seq}}, {{year}}, {{month}}, {{roman}}") from None
        if "{seq" not in pattern:
            raise ConfigError(f"{office_path}: numbering.{key} must contain {{seq}}")
        # numbers restart at 1 each year: without the year two requests get one number
        if pattern.format(seq=1, year=2025, month="12", roman="XII") == pattern.format(
                seq=1, year=2026, month="12", roman="XII"):
            raise ConfigError(f"{office_path}: numbering.{key} '{pattern}' gives the same number in two years "
                              "(numbers restart at 1 each year); put {year} in it, e.g. '{seq:04d}/PPID/{year}'")
    for key, pattern in numbering.items():
        _check_pattern(where("numbering", key), key, pattern)
    _check_series(office_path, numbering)
    cal = office.get("calendar") or {}
    calendar = WorkingCalendar(
        cuti_bersama_is_working_day=_switch(where("calendar", "cuti_bersama_is_working_day"),
                                            cal.get("cuti_bersama_is_working_day", False)),
        add=_dates(where, "add", cal.get("add")), remove=_dates(where, "remove", cal.get("remove")),
    )
    deadlines, election, periods = _deadlines(office_path, office.get("deadlines") or {})
    _check_logo(office_path, folder, office["office"] if isinstance(office["office"], dict) else {})
    _check_addressee(office_path, office["office"] if isinstance(office["office"], dict) else {})
    staff = _staff(office_path, office)
    _check_known_keys(where, office)
    req_path = folder / "requirements.yaml"
    req_data = _read(req_path) or {}
    if not isinstance(req_data, dict):
        raise ConfigError(f"{req_path}: must be a mapping with 'requirements:'")
    return Config(
        folder=folder, office=office["office"], staff=staff, tembusan=list(office.get("tembusan") or []),
        letter_defaults=office.get("letter_defaults") or {}, numbering=numbering,
        requirements=_check_requirements(req_path, req_data),
        vague_words={w.lower() for w in req_data.get("vague_words") or []},
        addressed_to_all_of=_addressed_to(req_path, req_data.get("addressed_to_all_of")),
        rules=load_rules(folder / "information.yaml"), raw=office, screen=load_screen(folder / "personal-data.yaml"),
        clock=Clock(calendar, deadlines, election, periods),
        retention_years=_retention(office_path, office.get("retention")),
        letter_hal=dict(office.get("letter_hal") or {}), report=dict(office.get("report") or {}),
        signing=load_signing(office.get("signing"), folder, office_path),
    )


_CATEGORY_KEYS = ("id", "title", "kind", "ground", "grounds", "basis", "redact", "terms", "public_names", "bodies_ok")


@_by_contents
def load_screen(path: Path) -> Screen:
    """Read and check personal-data.yaml; a mistake names the file, line and field."""
    data, root = _rule_nodes(path)
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list) or not data["categories"]:
        raise ConfigError(f"{path}: must be a mapping with 'categories:', a list of categories of personal data")
    lines = {k.value: v for k, v in root.value}
    unknown = sorted(set(data) - {"categories", *WORD_LISTS})
    if unknown:
        raise ConfigError(f"{path}:{lines[unknown[0]].start_mark.line + 1}: unknown key {unknown[0]}; "
                          f"the keys are categories, {', '.join(WORD_LISTS)}")
    words: dict[str, tuple[str, ...]] = {}
    for key in WORD_LISTS:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            line = lines[key].start_mark.line + 1 if key in lines else 1
            raise ConfigError(f"{path}:{line}: {key} must be a list of words or phrases")
        words[key] = tuple(w.strip() for w in value)
    categories: list[Category] = []
    seen: dict[str, int] = {}
    for i, (entry, node) in enumerate(zip(data["categories"], lines["categories"].value), 1):
        start = node.start_mark.line + 1
        at = {k.value: v.start_mark.line + 1 for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}
        cid = str(entry.get("id") or "") if isinstance(entry, dict) else ""

        def fail(msg: str, key: str | None = None) -> ConfigError:
            who = f"categories.{cid}" if cid else f"categories[{i}]"
            return ConfigError(f"{path}:{at.get(key, start)}: {who}: {msg}")

        if not isinstance(entry, dict):
            raise fail("must be a mapping with id, kind, ground, basis and terms")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", cid):
            raise fail("needs an id of lower-case letters and underscores, like identity_number", "id")
        if cid in seen:
            raise fail(f"id {cid} is used twice (first at line {seen[cid]})", "id")
        seen[cid] = start
        unknown = sorted(set(entry) - set(_CATEGORY_KEYS))
        if unknown:
            raise fail(f"unknown key {unknown[0]}; the keys are {', '.join(_CATEGORY_KEYS)}", unknown[0])
        if entry.get("kind") not in CATEGORY_KINDS:
            raise fail(f"kind '{entry.get('kind')}' is unknown; use datum (the data itself) or group "
                       "(a trait of a group of persons)", "kind")
        grounds = ground_list(entry, fail)
        if not grounds:
            raise fail(f"ground must be a UU KIP Pasal 17 letter a-j or a list of them (got '{entry.get('ground')}')",
                       "ground")
        if not entry.get("basis"):
            raise fail("needs basis, the law it rests on", "basis")
        terms = entry.get("terms")
        if not isinstance(terms, list) or not terms:
            raise fail("terms must be a non-empty list of words or phrases", "terms")
        for t in terms:
            if not isinstance(t, str) or not any(normalise.keyword_views(t, "strong")):
                raise fail(f"term {t!r} has no letters or digits to match; write the word or phrase", "terms")
        redact = entry.get("redact") or []
        if not isinstance(redact, list) or not all(isinstance(r, str) for r in redact):
            raise fail("redact must be a list of what is blacked out, like [NIK, NKK]", "redact")
        for flag in ("public_names", "bodies_ok"):
            if not isinstance(entry.get(flag, False), bool):
                raise fail(f"{flag} must be true or false", flag)
        categories.append(Category(
            id=cid, title=str(entry.get("title") or cid), kind=entry["kind"], ground=grounds[0], grounds=grounds,
            basis=str(entry["basis"]), terms=tuple(t.strip() for t in terms), redact=tuple(redact),
            public_names=entry.get("public_names", False), bodies_ok=entry.get("bodies_ok", False), line=start))
    return Screen(tuple(categories), words)


def _staff(path: Path, office: dict[str, Any]) -> list[Person]:
    """`staff:`, checked; an older config's `signatories:` (ppid, atasan_ppid) is read as staff."""
    section = office.get("office") if isinstance(office.get("office"), dict) else {}
    default_office = str(section.get("long_name") or section.get("name") or "")
    raw = office.get("staff")
    if raw is None and isinstance(office.get("signatories"), dict):
        raw = [dict(v, role=k, position=v.get("title", "")) for k, v in office["signatories"].items()
               if isinstance(v, dict)]
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: staff: list the office's people, each with name, nip, position, role and "
                          "email; at least the PPID (role: ppid) and the Atasan PPID (role: atasan_ppid)")
    people = []
    for i, entry in enumerate(raw):
        where = f"{path}: staff[{i}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: must be a mapping with name, nip, position, role and email")
        name, role = entry.get("name"), entry.get("role")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}.name: give the person's name as it is signed")
        if role not in STAFF_ROLES:
            raise ConfigError(f"{where}.role: '{role}' is not a role; use one of {', '.join(STAFF_ROLES)}")
        values = {}
        for key in ("position", "nip", "email", "office", "title", "reports_to"):
            value = entry.get(key)
            if value is not None and not isinstance(value, (str, int)):
                raise ConfigError(f"{where}.{key}: must be text")
            values[key] = "" if value is None else str(value).strip()
        unknown = set(entry) - {"name", "role", "position", "nip", "email", "office", "title", "reports_to"}
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                              "use name, nip, position, role, email (and office, reports_to)")
        people.append(Person(name=name.strip(), role=role, position=values["position"] or values["title"],
                             nip=values["nip"], email=values["email"], office=values["office"] or default_office,
                             reports_to=values["reports_to"]))
    names = {" ".join(p.name.split()).casefold() for p in people}
    for i, p in enumerate(people):
        if p.reports_to and " ".join(p.reports_to.split()).casefold() not in names:
            raise ConfigError(f"{path}: staff[{i}].reports_to: '{p.reports_to}' is not on the staff list; "
                              "give the name of the official one level up exactly as listed")
    for role in SIGNING_ROLES:
        holders = [p.name for p in people if p.role == role]
        if len(holders) != 1:
            raise ConfigError(f"{path}: staff: exactly one person with role {role} signs the letters of that role; "
                              f"found {len(holders)}" + (f" ({', '.join(holders)})" if holders else "")
                              + "; give the role to one person")
    return people


# office.yaml sections and the shape each must have (an error names file, line and field)
_MAPPINGS = ("office", "numbering", "calendar", "letter_defaults", "letter_hal", "report", "deadlines", "retention")


# office.yaml's sections: a key not among them is a ConfigError, since a misspelt one ("deadline:")
# would be ignored and its defaults used without a word (issue 18, fail closed).
OFFICE_KEYS = ("office", "staff", "signatories", "tembusan", "letter_defaults", "letter_hal", "numbering",
               "ppid_appointment", "calendar", "deadlines", "retention", "signing", "mail", "public_base_url", "report")
CALENDAR_KEYS = ("cuti_bersama_is_working_day", "add", "remove")


def _switch(where: str, value: Any) -> bool:
    """A yes/no setting: YAML's true or false only (a quoted "false" is text, which bool() reads as true)."""
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: must be true or false, without quotes; got {value!r}")
    return value


def _check_known_keys(where: _Where, office: dict[str, Any]) -> None:
    """After every section is checked (so that a wrong value is named first): no key that ppid
    does not read, at the top or in `calendar:` (`deadlines:` names its own)."""
    for key in office:
        if key not in OFFICE_KEYS:
            raise _unknown_key(where(key), key, OFFICE_KEYS)
    for key in office.get("calendar") or {}:
        if key not in CALENDAR_KEYS:
            raise _unknown_key(where("calendar", key), key, CALENDAR_KEYS)


def _unknown_key(where: str, key: Any, known: tuple[str, ...]) -> ConfigError:
    import difflib

    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    return ConfigError(f"{where}: unknown key {key}; {hint}the keys here are {', '.join(known)} (a misspelt key "
                       "would be ignored and its default used)")


def _check_shapes(where: _Where, office: dict[str, Any]) -> None:
    """The shape of office.yaml's sections, before any is used: a wrong one is a ConfigError
    naming file, line and field, never a traceback further on."""
    for key in _MAPPINGS:
        value = office.get(key)
        if value is None and key != "office":
            continue
        if not isinstance(value, dict):
            raise ConfigError(f"{where(key)}: must be a mapping of names to values (see config/office.yaml as "
                              f"shipped); got {type(value).__name__ if value is not None else 'nothing'}")
    for key, value in office["office"].items():
        if value is not None and not isinstance(value, (str, int)) or isinstance(value, bool):
            raise ConfigError(f"{where('office', key)}: must be text, like the office's name or address")
    for key in ("name", "short"):
        if not isinstance(office["office"].get(key), str) or not office["office"][key].strip():
            raise ConfigError(f"{where('office', key)}: missing; letters and the status page print the office's "
                              f"{'full' if key == 'name' else 'short'} name")
    tembusan = office.get("tembusan")
    if tembusan is not None and not (isinstance(tembusan, list) and all(isinstance(t, str) and t.strip()
                                                                          for t in tembusan)):
        raise ConfigError(f"{where('tembusan')}: must be a list of the recipients of copies, one a line, like "
                          "'- Arsip' (or [] for none)")
    for key in ("letter_defaults", "letter_hal"):
        for k, v in (office.get(key) or {}).items():
            if not isinstance(v, str):
                raise ConfigError(f"{where(key, k)}: must be text")


def _check_series(path: Path, numbering: dict[str, Any]) -> None:
    """No two number series may ever give the same number (issue 18 finding 4): every
    `numbering.*` key, the defaults of those not given included (register.DEFAULT_NUMBERING)."""
    from pipeline.register import DEFAULT_NUMBERING, series_overlap

    series = {**DEFAULT_NUMBERING, **numbering}
    for key, pattern in series.items():
        try:
            str(pattern).format(seq=1, year=2026, month="01", roman="I")
        except (KeyError, IndexError, ValueError, AttributeError) as exc:
            raise ConfigError(f"{path}: numbering.{key} '{pattern}' is not a valid pattern ({exc}); use {{seq}}, "
                              "{year}, {month}, {roman}") from None
    overlap = series_overlap({k: str(v) for k, v in series.items()})
    if overlap:
        a, b, number = overlap
        raise ConfigError(f"{path}: numbering.{a} '{series[a]}' and numbering.{b} '{series[b]}' can give the same "
                          f"number ('{number}'); give each series a text of its own, e.g. "
                          "'{seq:04d}/KEB/PPID/{year}' for objections")


def _retention(path: Path, section: Any) -> int:
    years = (section or {}).get("years", 5) if isinstance(section, dict) or section is None else None
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise ConfigError(f"{path}: retention.years must be a whole number of years, at least 1 (the office's JRA)")
    return years


MAX_DEADLINE_DAYS = 250


def _deadlines(path: Path, section: Any) -> tuple[dict[str, int], dict[str, int], list[Period]]:
    """deadlines: the ordinary numbers, the election-stage numbers and the stages (spec section 6)."""
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: deadlines must be a mapping like 'notice: 10'")

    def days(where: str, key: str, value: Any, allowed) -> int:
        if key not in allowed or isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{path}: {where}{key}: must be one of {', '.join(allowed)} with a positive whole number of working days")
        if value > MAX_DEADLINE_DAYS:  # a year of working days; more is a typo (and a clock that never ends)
            raise ConfigError(f"{path}: {where}{key}: {value} working days is over a year; the law's "
                              f"deadlines are 30 working days at the most (the limit here is {MAX_DEADLINE_DAYS})")
        return value

    ordinary, election, periods = dict(DEFAULTS), dict(ELECTION_DEFAULTS), []
    for k, v in section.items():
        if k == "election":
            if not isinstance(v, dict):
                raise ConfigError(f"{path}: deadlines.election must be a mapping like {{notice: 3, extension: 2, objection_answer: 3}}")
            for ek, ev in v.items():
                election[ek] = days("deadlines.election.", ek, ev, tuple(ELECTION_DEFAULTS))
        elif k == "election_periods":
            if v is not None and not isinstance(v, list):
                raise ConfigError(f"{path}: deadlines.election_periods must be a list of "
                                  "{name: ..., from: YYYY-MM-DD, to: YYYY-MM-DD}")
            for i, p in enumerate(v or [], 1):
                where = f"{path}: deadlines.election_periods entry {i}"
                if not isinstance(p, dict) or set(p) != {"name", "from", "to"}:
                    raise ConfigError(f"{where}: must be {{name: ..., from: YYYY-MM-DD, to: YYYY-MM-DD}}")
                try:
                    start, end = (x if isinstance(x, dt.date) else dt.date.fromisoformat(str(x)) for x in (p["from"], p["to"]))
                except ValueError:
                    raise ConfigError(f"{where}: from and to must be dates like 2029-01-15") from None
                if end < start or not str(p["name"] or "").strip():
                    raise ConfigError(f"{where}: needs a name, and 'to' on or after 'from'")
                periods.append(Period(str(p["name"]).strip(), start, end))
        else:
            ordinary[k] = days("deadlines.", k, v, (*DEFAULTS, "election", "election_periods"))
    return ordinary, election, periods


def _addressed_to(path: Path, value: Any) -> dict[str, list[list[str]]]:
    """addressed_to_all_of: per service (or one list for every service) groups of words."""
    def groups(v, where):
        if not isinstance(v, list) or not all(isinstance(g, list) and g for g in v):
            raise ConfigError(f"{path}: {where} must be a list of word groups like [[ketua], [kpu]]")
        return [[str(w).lower() for w in g] for g in v]

    if not value:
        return {}
    if isinstance(value, list):
        return {s: groups(value, "addressed_to_all_of") for s in model.SERVICES}
    if not isinstance(value, dict) or set(value) - set(model.SERVICES):
        raise ConfigError(f"{path}: addressed_to_all_of must map a service ({', '.join(model.SERVICES)}) to word groups")
    return {s: groups(v, f"addressed_to_all_of.{s}") for s, v in value.items()}
