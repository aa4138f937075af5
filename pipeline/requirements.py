"""Requirement checks (Persyaratan, spec section 3): every failed code, all at once.

Which check applies to which service and channel, and the Indonesian wording of each,
live in config/requirements.yaml; the checks themselves are below, one function a code.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from typing import Callable

from pipeline.attachments import letter_problem
from pipeline.config import Config
from pipeline.model import REQUIREMENT_CODES, Request

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()./-]{6,18}[0-9]$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
WORD_RE = re.compile(r"\w+")

# register_no -> what the register knows of it (planner.Target), or None when unknown
Lookup = Callable[[str], "object | None"]


@dataclass(frozen=True)
class Failure:
    """One requirement the request does not meet."""

    code: str
    title: str  # Indonesian, for the notice
    how: str  # Indonesian: what to bring or send
    detail: str = ""  # English, for the clerk: what exactly was wrong


def _holds(cond: dict, req: Request) -> bool:
    def listed(key, value):
        want = cond.get(key)
        return want is None or value in (want if isinstance(want, list) else [want])

    if not (listed("service", req.service) and listed("channel", req.channel)):
        return False
    kind_not = cond.get("kind_not")
    if kind_not and (req.requester.kind or "individual") in kind_not:
        return False
    need = cond.get("with")
    return not need or bool(getattr(req, need, None))


def applicable(req: Request, cfg: Config) -> list[str]:
    """The requirement codes that apply to this request, in config order."""
    # conditions read only these: the answer is per request kind, not per file
    key = (req.service, req.channel, req.requester.kind, bool(req.answer), bool(req.letter), bool(req.decision))
    found = cfg.applicable_cache.get(key)
    if found is None:
        found = cfg.applicable_cache[key] = [code for code, rule in cfg.requirements.items()
                                    if any(_holds(c, req) for c in rule["applies"])]
    return list(found)


def _exists(req: Request, rel: str | None) -> bool:
    """The attachment is a regular, non-empty file (one stat per file and batch)."""
    st = req.attachment_stat(rel)
    return st is not None and stat.S_ISREG(st.st_mode) and st.st_size > 0


def _phone_ok(phone: str | None) -> bool:
    return bool(phone and PHONE_RE.match(phone.strip()))


def _email_ok(email: str | None) -> bool:
    return bool(email and EMAIL_RE.match(email.strip()))


def check(req: Request, cfg: Config, *, lookup: Lookup | None = None) -> list[Failure]:
    """Every applicable requirement the request fails, with the config's wording."""
    failures = []
    codes = applicable(req, cfg)
    if req.letter and not {"letter", "leader_letter"} & set(codes):
        codes.append("letter")  # a letter given where none is required must still exist
    for code in codes:
        detail = CHECKS[code](req, cfg, lookup)
        if detail:
            title, how = wording(cfg.requirements[code], req)
            failures.append(Failure(code, title, how, detail))
    return failures


def wording(rule: dict, req: Request) -> tuple[str, str]:
    """The title and how of a failed rule as this request's notice prints them: a service's own
    wording (`by_service`: an objection's letter is a "surat keberatan"), and for `contact`
    only the part that is missing (`only: {phone, email}`), so the notice names exactly that."""
    chosen = rule.get("by_service", {}).get(req.service) or rule
    part = _contact_part(req) if "only" in rule else None
    chosen = rule["only"].get(part, chosen) if part else chosen
    return chosen["title"], chosen["how"]


def _contact_part(req: Request) -> str | None:
    """'phone' or 'email' when only that one is missing or invalid; None when both are."""
    phone, email = _phone_ok(req.requester.phone), _email_ok(req.requester.email)
    if phone == email:
        return None
    return "email" if phone else "phone"


# Each check returns "" when met, else what is wrong (English, for the clerk's log).


def _identity(req, cfg, lookup):
    r = req.requester
    if not r.name:
        return "requester.name is missing"
    if not r.kind:
        return "requester.kind is missing"
    if r.kind != "individual" and not r.organization:
        return f"requester.organization is missing for a {r.kind}"
    return ""


def _contact(req, cfg, lookup):
    r = req.requester
    bad = []
    if not _phone_ok(r.phone):
        bad.append("a phone number" if not r.phone else f"a valid phone number (got '{r.phone}')")
    if not _email_ok(r.email):
        bad.append("an e-mail address" if not r.email else f"a valid e-mail address (got '{r.email}')")
    return " and ".join(bad) + " missing" if bad else ""


def _contact_any(req, cfg, lookup):
    r = req.requester
    return "" if _phone_ok(r.phone) or _email_ok(r.email) else "neither a phone number nor an e-mail address"


def _identity_copy(req, cfg, lookup):
    ident = req.requester.identity
    if not ident.copy:
        return "requester.identity.copy is not given"
    if not _exists(req, ident.copy):
        return f"identity copy '{ident.copy}' does not exist or is empty"
    return ""


def _identity_shown(req, cfg, lookup):
    ident = req.requester.identity
    if not ident.type or not ident.number:
        return "identity type and number shown at the front office are not recorded"
    return ""


def _information(req, cfg, lookup):
    items = req.information or []
    if not items:
        return "no requested information is listed"
    vague = [i for i, item in enumerate(items, 1)
             if not item or all(w in cfg.vague_words for w in WORD_RE.findall(item.lower()))]
    if vague:
        return "item(s) " + ", ".join(map(str, vague)) + " do not say what is asked"
    return ""


def _field(name):
    def check_field(req, cfg, lookup):
        return "" if getattr(req, name) else f"{name} is not stated"
    return check_field


def _addressed_to(req, cfg, lookup):
    text = (req.addressed_to or "").lower()
    if not text:
        return "addressed_to is not stated"
    for group in cfg.addressed_to_all_of.get(req.service, []):
        if not any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text) for w in group):
            who = ("the Atasan PPID or the Ketua KPU Provinsi NTT" if req.service == "objection"
                   else "the Ketua KPU Provinsi NTT or its PPID")
            return f"'{req.addressed_to}' is not addressed to {who}"
    return ""


def _readable_letter(req) -> str:
    """'' when the letter exists and is a PDF or image that opens (attachments.letter_problem)."""
    if not _exists(req, req.letter):
        return f"letter '{req.letter}' does not exist or is empty"
    return letter_problem(req.attachment(req.letter), req.path)


def _letter(req, cfg, lookup):
    if not req.letter and req.channel == "walk_in":
        return ""  # optional there: only checked because one was given
    if not req.letter:
        return "the written request (letter) is not attached"
    return _readable_letter(req)


def _leader_letter(req, cfg, lookup):
    if not req.letter:
        return "a walk-in on behalf of an organization brings no leader's letter"
    return _readable_letter(req)


def _guest_book(req, cfg, lookup):
    return "" if req.guest_book else "guest book registration is not recorded"


def _objection_to(req, cfg, lookup):
    if not req.objection_to:
        return "objection_to does not name a register number"
    found = lookup(req.objection_to) if lookup else None
    if not found:
        return f"'{req.objection_to}' is not a register number of this office"
    # whether it was filed in time is not a requirement (spec section 3): see planner
    return ""


def _grounds(req, cfg, lookup):
    return "" if req.grounds else "no UU KIP Pasal 35 ayat 1 ground is given"


CHECKS: dict[str, Callable] = {
    "identity": _identity, "contact": _contact, "contact_any": _contact_any,
    "identity_copy": _identity_copy, "identity_shown": _identity_shown,
    "information": _information, "topic": _field("topic"), "purpose": _field("purpose"),
    "source": _field("source"), "addressed_to": _addressed_to, "letter": _letter,
    "leader_letter": _leader_letter, "guest_book": _guest_book, "objection_to": _objection_to,
    "grounds": _grounds, "text": _field("text"),
}
assert tuple(CHECKS) == REQUIREMENT_CODES, "model.REQUIREMENT_CODES and CHECKS must list the same codes"

