"""What every page template may use: labels from the catalog, the navigation of each
role, and small helpers that turn data into what people read."""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.bccache
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from . import labels as L
from .forms import parse_day, parse_when

# role -> (endpoint, text) of its navigation, in order of daily use
NAV = {
    "clerk": [("intake.start", _l("Intake")), ("intake.inbox", _l("Inbox")), ("mailin.folder", _l("Mail in"))],
    "ppid": [("review.queue", _l("Review")), ("review.run", _l("Run")), ("intake.inbox", _l("Inbox")),
             ("records.due", _l("Due")), ("records.register", _l("Register")), ("records.stats", _l("Statistics")),
             ("records.export", _l("Export"))],
    "atasan_ppid": [("review.queue", _l("Objections")), ("records.due", _l("Due")),
                    ("records.register", _l("Register")), ("records.stats", _l("Statistics"))],
    "analyst": [("records.stats", _l("Statistics")), ("records.due", _l("Due")), ("records.register", _l("Register")),
                ("records.export", _l("Export"))],
}
# extra navigation entries added by other blueprints: role -> [(endpoint, text)]
EXTRA_NAV: dict[str, list] = {}

LETTER_KINDS = {
    "receipt": _l("receipt"), "incomplete_notice": _l("notice of missing requirements"),
    "decision_notice": _l("written notice"), "refusal_decree": _l("decree of refusal"),
    "extension_notice": _l("notice of extension"), "consultation_answer": _l("consultation answer"),
    "objection_receipt": _l("objection receipt"), "objection_response": _l("answer to the objection"),
}


def nav_links(role: str) -> list:
    return NAV.get(role, []) + EXTRA_NAV.get(role, [])


def letter_kind(kind: str) -> str:
    return str(LETTER_KINDS.get(kind, kind.replace("_", " ")))


def requirement_titles(codes) -> list[str]:
    """What is missing, in the office's words (config/requirements.yaml titles)."""
    from .web import desk

    reqs = desk().cfg.requirements
    return [reqs.get(c, {}).get("title", c) for c in codes or []]


def field_labels(paths) -> dict[str, str]:
    out = {p: str(L.LABELS.get(p, "")) for p in paths}
    out["_file"] = str(_l("The request file"))
    return out


def decision_labels(form) -> dict[str, str]:
    return {name: str(f.label.text) for name, f in form._fields.items()} | {"_file": str(_l("The request file"))}


def objection_grounds() -> list[tuple[str, str]]:
    from pipeline.wording import PASAL35

    return [(k, v) for k, v in PASAL35.items()]


def picker_value(text) -> str:
    """A time as a datetime-local input holds it (2027-01-20T14:22), or '' when unreadable."""
    when = parse_when(text or "") if text else None
    return when.strftime("%Y-%m-%dT%H:%M") if when else ""


def picker_day(text) -> str:
    day = parse_day(text or "") if text else None
    return day.isoformat() if day else ""


_WORDS: dict[str, dict] = {}  # locale -> the label tables translated, made once per locale


def words() -> dict:
    """The label tables as plain strings in the page's language: a page with hundreds of
    rows looks each label up in a dict instead of asking the catalog again."""
    loc = str(get_locale() or "id")
    if loc not in _WORDS:
        def plain(table):
            return {k: plain(v) if isinstance(v, dict) else str(v) for k, v in table.items()}

        _WORDS[loc] = {"LABELS": plain(L.LABELS), "CHOICES": plain(L.CHOICES),
                       "STATUS_LABELS": plain(L.STATUS_LABELS), "ROLE_LABELS": plain(L.ROLE_LABELS),
                       "ITEM_STATE": plain(L.ITEM_STATE), "OUTCOMES": plain(L.OUTCOMES)}
    return _WORDS[loc]


class CompiledPages(jinja2.BytecodeCache):
    """The desk's page templates compiled once per process and shared by every app the
    process makes (a worker restarted, a test's app): Jinja keys each entry by the
    template's name and the checksum of its source, so an edited page compiles again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_PAGES = CompiledPages()


def install(app) -> None:
    from .web import rel

    app.jinja_env.bytecode_cache = COMPILED_PAGES
    app.context_processor(words)
    app.jinja_env.globals.update(
        nav_links=nav_links, letter_kind=letter_kind,
        requirement_titles=requirement_titles, field_labels=field_labels, decision_labels=decision_labels,
        objection_grounds=objection_grounds, picker_value=picker_value, picker_day=picker_day,
        problem_text=L.problem_text, get_locale=get_locale)
    app.jinja_env.filters["rel"] = rel
    app.jinja_env.filters["basename"] = lambda p: Path(str(p)).name if p else ""
