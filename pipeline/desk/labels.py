"""Words the desk shows for each field and value, from the catalog (msgids in English,
Indonesian in translations/id). The values themselves come from pipeline.model; the
labels are what the forms call the fields, and errors name fields by these labels."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from pipeline import model

# field path -> the form's label
LABELS = {
    "service": _l("Service"),
    "channel": _l("Channel"),
    "received": _l("Received"),
    "completed": _l("Completed"),
    "requester.name": _l("Requester's name"),
    "requester.kind": _l("Kind of requester"),
    "requester.organization": _l("Organization"),
    "requester.phone": _l("Phone / WhatsApp"),
    "requester.email": _l("E-mail"),
    "requester.address": _l("Address"),
    "requester.identity.type": _l("Identity card"),
    "requester.identity.number": _l("Identity number"),
    "requester.identity.copy": _l("Copy of the identity card"),
    "addressed_to": _l("Addressed to"),
    "letter": _l("Written request"),
    "information": _l("Information requested, one item a line"),
    "topic": _l("Consultation topic"),
    "purpose": _l("Purpose"),
    "source": _l("Where the requester learned of it"),
    "form": _l("Form of the information"),
    "delivery": _l("Delivery"),
    "guest_book": _l("Registered in the guest book"),
    "objection_to": _l("Register number objected to"),
    "grounds": _l("Grounds of the objection (UU KIP Pasal 35 ayat 1)"),
    "text": _l("Complaint, suggestion or appreciation"),
    "category": _l("Category"),
    "decision.by": _l("Decided by"),
    "decision.date": _l("Date of the decision"),
    "decision.extend.days": _l("Extension: working days"),
    "decision.extend.reason": _l("Extension: reason"),
    "decision.extend.date": _l("Extension: date announced"),
    "decision.result": _l("Result of the objection"),
    "decision.reason": _l("Reason of the objection's result"),
    "register_no": _l("Register number"),
}
# a decided item's fields: "Item 2: exemption ground"
ITEM_LABELS = {
    "status": _l("decision"), "ground": _l("exemption ground"), "reason": _l("reason"),
    "basis": _l("legal basis"), "consequence_test": _l("consequence test"), "consequence": _l("consequence"),
    "holder": _l("who holds it"), "redact": _l("parts blacked out"), "item": _l("item number"),
}

CHOICES = {
    "service": {"information": _l("Request for information"), "consultation": _l("Consultation"),
                "objection": _l("Objection"), "complaint": _l("Complaint or suggestion")},
    "channel": {"letter": _l("Letter"), "whatsapp": _l("WhatsApp"), "email": _l("E-mail"), "eppid": _l("e-PPID"),
                "walk_in": _l("Walk-in")},
    "requester.kind": {"individual": _l("Individual"), "institution": _l("Institution"), "ngo": _l("NGO"),
                       "mass_organization": _l("Mass organization"), "political_party": _l("Political party"),
                       "public_body": _l("Public body")},
    "requester.identity.type": {"ktp": _l("KTP-el"), "passport": _l("Passport"), "other": _l("Other identity card")},
    "form": {"softcopy": _l("Electronic copy"), "hardcopy": _l("Printed copy"), "view": _l("To see or read")},
    "delivery": {"pickup": _l("Collected in person"), "email": _l("E-mail"), "whatsapp": _l("WhatsApp"),
                 "post": _l("Post or courier")},
    "category": {"complaint": _l("Complaint"), "suggestion": _l("Suggestion"), "appreciation": _l("Appreciation")},
    "status": {"open": _l("Open"), "exempt": _l("Exempt"), "partial": _l("Partly open (blacked out)"),
               "not_held": _l("Not held"), "not_documented": _l("Not yet documented")},
    # UU 14/2008 Pasal 36; the result names both the objection and the PPID's decision, so
    # nobody reads "upheld" as the objection upheld
    "decision.result": {"overturned": _l("Objection granted — the PPID is ordered to revoke its decision"),
                        "upheld": _l("Objection refused — the PPID's decision is confirmed"),
                        "inadmissible": _l("Objection cannot be accepted — filed after the period")},
}
for _field, _values in (("service", model.SERVICES), ("channel", model.CHANNELS),
                        ("requester.kind", model.REQUESTER_KINDS), ("requester.identity.type", model.IDENTITY_TYPES),
                        ("form", model.FORMS), ("delivery", model.DELIVERIES), ("status", model.ITEM_STATUSES),
                        ("decision.result", model.OBJECTION_RESULTS)):
    assert set(CHOICES[_field]) == set(_values), f"labels.CHOICES[{_field}] out of step with pipeline.model"

STATUS_LABELS = {
    "incomplete": _l("incomplete"), "review": _l("awaiting the PPID's decision"), "answered": _l("answered"),
    "scheduled": _l("consultation scheduled"), "registered": _l("registered"), "withdrawn": _l("withdrawn"),
    "rejected_file": _l("file refused"), "not_processed": _l("not processed yet"),
    "changed": _l("changed since the last run"),
}
ROLE_LABELS = {"clerk": _l("Front office"), "ppid": _l("PPID"), "atasan_ppid": _l("Atasan PPID"),
               "analyst": _l("Analyst")}
ITEM_STATE = {"decided": _l("decided"), "proposed": _l("proposed by a rule"), "undecided": _l("undecided")}
OUTCOMES = {"granted": _l("granted in full"), "partially_granted": _l("partly granted"), "rejected": _l("refused"),
            "not_held": _l("not held"), "served": _l("served"), "inadmissible": _l("inadmissible"),
            "review": _l("awaiting a decision"),
            "upheld": CHOICES["decision.result"]["upheld"], "overturned": CHOICES["decision.result"]["overturned"]}
assert set(model.OUTCOMES) | set(model.OBJECTION_OUTCOMES) <= set(OUTCOMES), "labels.OUTCOMES out of step with pipeline.model"

# what a loader problem says, by its code (pipeline.errors.ProblemCode), without YAML or line numbers
PROBLEM_TEXT = {
    "file": _l("the file cannot be read"), "encoding": _l("the file cannot be read"),
    "yaml": _l("the file cannot be read"), "empty": _l("the file is empty"),
    "field": _l("this value is not valid here"), "missing": _l("this must be filled in"),
    "future": _l("this date is after today"), "order": _l("the dates are in the wrong order"),
    "range": _l("this is out of the allowed range"), "duplicate": _l("given twice"),
    "reference": _l("not a register number of this office"),
}
_ITEM = re.compile(r"^(?:decision\.)?(information|items|redact)\[(\d+)\](?:\.(\w+))?$")


def label_of(path: str) -> str:
    """A field path as the form labels it: 'decision.items[1].ground' -> 'Item 2: exemption ground'."""
    from flask_babel import gettext as _

    m = _ITEM.match(path or "")
    if m:
        n = int(m.group(2)) + 1
        part = ITEM_LABELS.get(m.group(3) or "", "")
        return _("Item %(n)s", n=n) + (f": {part}" if part else "")
    clean = re.sub(r"\[\d+\]", "", path or "")
    if clean in LABELS:
        return str(LABELS[clean])
    return _("The request file")


# A file held as the same request as another (pipeline.matching.duplicate and inbox_duplicate,
# whose English messages these read): what the clerk does, naming the other file or request.
_DUPLICATES = [
    # a file's name may hold spaces ('permohonan maria.yaml'): read up to the words after it
    (re.compile(r"^asks what (.+?) in the same folder asks"), _l(
        "The same request as %(other)s in this folder, from the same requester: that file is the request. "
        "Move what this file adds into it, then remove this copy.")),
    (re.compile(r"^names \S+, as (.+?) in the same folder does"), _l(
        "The same objection as %(other)s in this folder, from the same requester: that file is the objection. "
        "Move what this file adds into it, then remove this copy.")),
    (re.compile(r"^asks what (\S+) asks, from the same requester"), _l(
        "The same request as %(other)s, from the same requester, still open: complete or change that request "
        "(link this file to it as a supplement), or remove this copy.")),
    (re.compile(r"^names \S+, as objection (\S+) of the same requester does"), _l(
        "The same objection as %(other)s, from the same requester, not answered yet: add to that objection's "
        "file, or remove this copy.")),
]


def duplicate_text(problem) -> str | None:
    """A duplicate's problem in the desk's words, or None for any other problem."""
    message = getattr(problem, "message", "") or ""
    for pattern, words in _DUPLICATES:
        m = pattern.search(message)
        if m:
            other = m.group(1)
            return str(words) % {"other": other.rsplit("/", 1)[-1] if other.endswith((".yaml", ".yml")) else other}
    return None


def problem_text(problem) -> str:
    """One loader problem in the desk's words: the field's label and what is wrong."""
    code = getattr(problem.code, "value", problem.code)
    return duplicate_text(problem) or f"{label_of(problem.path)}: {PROBLEM_TEXT.get(code, PROBLEM_TEXT['field'])}"
