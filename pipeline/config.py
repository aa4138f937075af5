"""The office's config folder: office.yaml, requirements.yaml, information.yaml.

Each file is checked on load; a mistake is a ConfigError (exit 2) naming the file, the
entry and how to fix it, before any request is touched.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline import model, normalise
from pipeline.calendar import WorkingCalendar
from pipeline.errors import ConfigError

REQUIREMENT_CODES = (
    "identity", "contact", "contact_any", "identity_copy", "identity_shown", "information",
    "topic", "purpose", "source", "addressed_to", "letter", "leader_letter", "guest_book",
    "objection_to", "grounds", "text", "delegation",
)
RULE_STATUSES = model.ITEM_STATUSES


@dataclass(eq=False)
class Rule:
    """One entry of the DIP/DIK list (spec section 4)."""

    id: str
    status: str
    keywords: list[str]
    title: str = ""
    ground: str | None = None
    basis: str | None = None
    consequence_test: str | None = None
    redact: list[str] = field(default_factory=list)
    holder: str | None = None
    line: int | None = None  # where the entry starts in information.yaml
    phrases: frozenset[str] = field(init=False, default=frozenset())  # keywords as matched (normalise.views)

    def __post_init__(self) -> None:
        self.phrases = frozenset(v for k in self.keywords for v in normalise.views(k) if v)

    @property
    def closing(self) -> bool:
        """An exempt or partial rule: it withholds all or part of the item."""
        return self.status in ("exempt", "partial")

    @property
    def decides(self) -> bool:
        """False for a closing rule without the office's decree: it only proposes (UU KIP Pasal 19)."""
        return not self.closing or bool(self.consequence_test)


@dataclass
class Config:
    folder: Path
    office: dict[str, Any]
    signatories: dict[str, dict[str, str]]
    tembusan: list[str]
    letter_defaults: dict[str, str]
    numbering: dict[str, str]
    deadlines: dict[str, int]
    calendar: WorkingCalendar
    requirements: dict[str, dict[str, Any]]
    vague_words: set[str]
    addressed_to_all_of: list[list[str]]
    rules: list[Rule]
    raw: dict[str, Any]


def _read(path: Path) -> Any:
    if not path.is_file():
        raise ConfigError(f"{path}: not found; the config folder needs this file (see README)")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise ConfigError(f"{path}:{line}: not valid YAML ({exc.problem})") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None


def _dates(path: Path, section: str, value: Any) -> dict[dt.date, str]:
    if not value:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: calendar.{section} must be a mapping of dates to reasons, like 2026-12-31: Libur kantor")
    out = {}
    for k, v in value.items():
        try:
            day = k if isinstance(k, dt.date) else dt.date.fromisoformat(str(k))
        except ValueError:
            raise ConfigError(f"{path}: calendar.{section}: '{k}' is not a date like 2026-12-31") from None
        out[day] = str(v or "")
    return out


# consequence_test names the office's own decree ("Keputusan PPID ... Nomor ..."):
# UU KIP Pasal 19 and Perki 1/2021 ask for a consequence test recorded per category.
_DECREE = re.compile(r"\bkeputusan\b.*\b(?:nomor|no)\b", re.IGNORECASE | re.DOTALL)
_RULE_KEYS = ("id", "title", "status", "keywords", "ground", "basis", "consequence_test", "redact", "holder")


def _rule_nodes(path: Path) -> tuple[Any, Any]:
    """The YAML document and its node tree (for line numbers)."""
    if not path.is_file():
        raise ConfigError(f"{path}: not found; the config folder needs this file (see README)")
    try:
        loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))
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


def load_rules(path: Path) -> list[Rule]:
    """Read and check the DIP/DIK list; a mistake names the file, line and rule id."""
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
        ground = entry.get("ground")
        consequence_test = entry.get("consequence_test") or None
        if status in ("exempt", "partial"):
            if ground not in model.PASAL17_GROUNDS:
                raise fail(f"an {status} rule needs ground, a UU KIP Pasal 17 letter a-j (got '{ground}')", "ground")
            if not entry.get("basis"):
                raise fail(f"an {status} rule needs basis, the law it rests on (UU KIP Pasal 17)", "basis")
            if consequence_test is not None and not _DECREE.search(str(consequence_test)):
                raise fail("consequence_test must name the office's own decree that recorded the consequence test, "
                           "like 'Keputusan PPID ... Nomor ... Tahun ... tentang Penetapan Informasi yang Dikecualikan'; "
                           "leave it out until that decree exists (the rule then only proposes)", "consequence_test")
        else:
            for key in ("ground", "consequence_test"):
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
        rules.append(Rule(
            id=rid, status=status, keywords=rule_phrases, title=str(entry.get("title") or ""),
            ground=ground, basis=entry.get("basis"), consequence_test=consequence_test,
            redact=[str(r) for r in entry.get("redact") or []], holder=entry.get("holder"), line=start,
        ))
    return rules


def _check_requirements(path: Path, data: dict) -> dict[str, dict]:
    reqs = data.get("requirements")
    if not isinstance(reqs, dict):
        raise ConfigError(f"{path}: needs a 'requirements:' mapping of code to rule")
    for code, rule in reqs.items():
        if code not in REQUIREMENT_CODES:
            raise ConfigError(f"{path}: requirement '{code}' is unknown; the codes are {', '.join(REQUIREMENT_CODES)}")
        if not isinstance(rule, dict) or not rule.get("title") or not rule.get("how"):
            raise ConfigError(f"{path}: requirement '{code}' needs title and how (the wording for the notice)")
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


def load_config(folder: Path) -> Config:
    """Read and check the whole config folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"{folder}: config folder not found; pass --config DIR or run from the project folder")
    office_path = folder / "office.yaml"
    office = _read(office_path)
    if not isinstance(office, dict) or "office" not in office:
        raise ConfigError(f"{office_path}: needs an 'office:' section")
    numbering = office.get("numbering") or {}
    for key in ("register", "letter"):
        pattern = numbering.get(key)
        try:
            str(pattern).format(seq=1, year=2026, month="01", roman="I")
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(f"{office_path}: numbering.{key} '{pattern}' is not a valid pattern ({exc}); use {{seq}}, {{year}}, {{month}}, {{roman}}") from None
        if "{seq" not in str(pattern):
            raise ConfigError(f"{office_path}: numbering.{key} must contain {{seq}}")
    cal = office.get("calendar") or {}
    calendar = WorkingCalendar(
        cuti_bersama_is_working_day=bool(cal.get("cuti_bersama_is_working_day", False)),
        add=_dates(office_path, "add", cal.get("add")), remove=_dates(office_path, "remove", cal.get("remove")),
    )
    deadlines = {"notice": 10, "extension": 7, "objection_answer": 30, "objection_window": 30, "commission": 14}
    for k, v in (office.get("deadlines") or {}).items():
        if k not in deadlines or not isinstance(v, int) or v < 1:
            raise ConfigError(f"{office_path}: deadlines.{k}: must be one of {', '.join(deadlines)} with a positive whole number")
        deadlines[k] = v
    _check_logo(office_path, folder, office["office"] if isinstance(office["office"], dict) else {})
    sign = office.get("signatories") or {}
    for role in ("ppid", "atasan_ppid"):
        if not isinstance(sign.get(role), dict) or not sign[role].get("name"):
            raise ConfigError(f"{office_path}: signatories.{role} needs at least a name and title")
    req_path = folder / "requirements.yaml"
    req_data = _read(req_path) or {}
    if not isinstance(req_data, dict):
        raise ConfigError(f"{req_path}: must be a mapping with 'requirements:'")
    return Config(
        folder=folder, office=office["office"], signatories=sign, tembusan=list(office.get("tembusan") or []),
        letter_defaults=office.get("letter_defaults") or {}, numbering=numbering, deadlines=deadlines,
        calendar=calendar, requirements=_check_requirements(req_path, req_data),
        vague_words={w.lower() for w in req_data.get("vague_words") or []},
        addressed_to_all_of=[[w.lower() for w in g] for g in req_data.get("addressed_to_all_of") or []],
        rules=load_rules(folder / "information.yaml"), raw=office,
    )
