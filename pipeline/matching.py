"""Which registered request a request file belongs to, and whether it may change it.

A file names its request by `register_no:` (a supplement filed elsewhere), else by its
key (inbox, file, minute received). A file in the same inbox under the same name is the
same request even when its `received` was corrected, as long as no letter went out.

Who owns a record (spec section 3): a supplement (`register_no`) and an objection
(`objection_to`) belong to the requester of the request they name. The identity number
must match the registered one when one is registered, otherwise a contact (phone or
e-mail) must; the name must match in both cases (letter case, spacing, punctuation and
the order of words aside). An objection may come from the requester's proxy (`kuasa`),
who attaches the power of attorney; the requester's own details stay in `requester:`.
A supplement completes an `incomplete` request only and never erases registered data.
An objection names an information request that is not purged. Anything else is a
`rejected_file`: the register is not changed on a guess.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.errors import Problem, ProblemCode, RequestFileError
from pipeline.model import Request
from pipeline.normalise import fold
from pipeline.register import Record, Register

# what a supplement may add but never take away or replace (spec section 3)
KEPT = ("phone", "email", "address", "identity_type", "identity_number")


def file_part(key: str) -> str:
    """The inbox-and-file part of a request key (without '@received')."""
    return key.rsplit("@", 1)[0]


def file_index(reg: Register) -> dict[str, str]:
    """Inbox-and-file -> register number (the latest, should a name have been reused)."""
    return {file_part(key): rno for key, rno in reg.by_key.items()}


def same_file(reg: Register, req: Request, index: dict[str, str] | None = None) -> Record | None:
    """The request registered from this very file (same inbox, same name), if any."""
    rno = (index if index is not None else file_index(reg)).get(file_part(req.key))
    return reg.records.get(rno) if rno else None


def find(reg: Register, req: Request, index: dict[str, str] | None = None) -> tuple[Record | None, str | None]:
    """The registered request a file changes, and how it was found: by 'register_no', by
    'key' (the same file, the same minute received) or by 'file' (the same file with
    another `received`); (None, None) for a new request."""
    if req.register_no and req.register_no in reg.records:
        return reg.records[req.register_no], "register_no"
    if req.key in reg.by_key:
        return reg.records[reg.by_key[req.key]], "key"
    rec = same_file(reg, req, index)
    return rec, "file" if rec else None


# --- normalised identity -----------------------------------------------------------------


def name_key(text: Any) -> str:
    """A name as its folded words in sorted order: 'Bria, MARIA  Goreti.' -> 'bria goreti maria'."""
    if not isinstance(text, str):
        return ""
    return " ".join(sorted(re.findall(r"[^\W_]+", fold(text))))


def digits(text: Any) -> str:
    return re.sub(r"\D", "", text) if isinstance(text, str) else ""


def phone_key(text: Any) -> str:
    """A phone number in E.164 for region ID (0812…, +62 812…, (0812) 345-…: one number)."""
    if not isinstance(text, str) or not text.strip():
        return ""
    import phonenumbers

    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return digits(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_key(text: Any) -> str:
    return "".join(fold(text).split()) if isinstance(text, str) else ""


def owner_mismatch(rec: Record, req: Request) -> str | None:
    """Why the requester of `req` is not the one registered with `rec`, or None.

    The identity number decides when one is registered; otherwise a phone or an e-mail
    must match. The name must match either way (case, spacing, punctuation and word
    order aside). Registered data erased by a purge proves nothing: no match."""
    personal = rec.personal or {}
    registered_name = rec.row.get("requester_name")
    r = req.requester
    if name_key(r.name) != name_key(registered_name):
        return f"is from '{r.name or ''}', but {rec.register_no} was filed by '{registered_name or ''}'"
    old_id = digits(personal.get("identity_number"))
    if old_id:
        new_id = digits(r.identity.number)
        if not new_id:
            return (f"gives no identity number, but {rec.register_no} was registered with one; give the "
                    "requester's identity number as registered")
        if new_id != old_id:
            return f"gives another identity number than the one registered with {rec.register_no}"
        return None
    phones = {phone_key(personal.get("phone"))} - {""}
    emails = {email_key(personal.get("email"))} - {""}
    if not phones and not emails:
        return f"{rec.register_no} holds no identity number, phone or e-mail to compare (purged?)"
    if phone_key(r.phone) in phones or email_key(r.email) in emails:
        return None
    return (f"gives neither the phone nor the e-mail registered with {rec.register_no}; give the requester's "
            "registered phone or e-mail")


# --- what a file may do to the request it names ----------------------------------------------


def _problem(req: Request, code: ProblemCode, path: str, message: str) -> Problem:
    line = req.lines.get(path) or req.lines.get(path.split(".")[0])
    return Problem(code, path, line, message)


def refusal(reg: Register, req: Request, rec: Record | None, how: str | None, display: str) -> RequestFileError | None:
    """Why this file may not be planned against the register, as a rejected file, or None.

    `rec` is the request the file changes and `how` how it was found ('register_no',
    'key', 'file'), or both None for a new request."""
    problems: list[Problem] = []
    if rec is not None and how == "register_no":
        problems += _supplement(rec, req)
    if rec is not None and how == "file" and name_key(req.requester.name) != name_key(rec.row.get("requester_name")):
        problems.append(_problem(req, ProblemCode.OWNER, "requester.name", (
            f"is '{req.requester.name or ''}', but this file (same inbox, same name, another received) is the one "
            f"registered as {rec.register_no}, filed by '{rec.row.get('requester_name') or ''}'; a new request "
            "needs a new file name")))
    if rec is not None and not rec.purged_at:
        problems += _received(rec, req)
    if req.service == "objection" and req.objection_to:
        problems += _objection(reg, req)
    return RequestFileError(display, problems) if problems else None


def _supplement(rec: Record, req: Request) -> list[Problem]:
    service = rec.row.get("service")
    if service and req.service != service:
        return [_problem(req, ProblemCode.REFERENCE, "register_no", (
            f"names {rec.register_no}, but this is a {req.service} request and {rec.register_no} is a "
            f"{service} request; correct the register number, or leave it out for a new request"))]
    reason = owner_mismatch(rec, req)
    if reason:
        return [_problem(req, ProblemCode.OWNER, "register_no", (
            f"names {rec.register_no} of another requester: the file {reason}; a supplement comes from the "
            "requester of the request it names (correct the number, or leave it out for a new request)"))]
    if file_part(req.key) in versions_of(rec):
        return []  # a later version of a supplement already taken in
    if req.decision and rec.reopened_at and (rec.decided or {}).get("date", "") < rec.reopened_at:
        return []  # the PPID's new decision on a request an objection or a ruling reopened (spec section 3)
    if not rec.missing:
        status = rec.row.get("status") or "registered"
        return [_problem(req, ProblemCode.REFERENCE, "register_no", (
            f"names {rec.register_no}, which is {status}, not incomplete; a supplement completes an incomplete "
            "request only: file a new request, or an objection against its decision"))]
    return []


def _received(rec: Record, req: Request) -> list[Problem]:
    registered = rec.row.get("received_at")
    now = f"{req.received:%Y-%m-%d %H:%M}"
    if not registered or registered[:16] == now or not rec.letters:
        return []
    first = rec.letters[0]
    return [_problem(req, ProblemCode.FIXED, "received", (
        f"is {now}, but {rec.register_no} was received {registered[:16]} and letter {first.get('letter_no')} "
        f"has been issued for it; received cannot change once a letter has been issued: put back "
        f"{registered[:16]}"))]


def _objection(reg: Register, req: Request) -> list[Problem]:
    target = reg.records.get(req.objection_to)
    if target is None:
        return []  # not a register number of this office: the `objection_to` requirement says so
    service = target.row.get("service")
    if service != "information":
        kind = "an objection" if service == "objection" else f"a {service or 'registered'} request"
        return [_problem(req, ProblemCode.REFERENCE, "objection_to", (
            f"names {target.register_no}, which is {kind}; an objection is against an information "
            "request: give the register number of the information request"))]
    if target.purged_at:
        return [_problem(req, ProblemCode.REFERENCE, "objection_to", (
            f"names {target.register_no}, whose personal data was purged on {target.purged_at}; that request is "
            "closed for good and takes no objection"))]
    reason = owner_mismatch(target, req)
    if reason:
        return [_problem(req, ProblemCode.OWNER, "objection_to", (
            f"names {target.register_no} of another requester: the file {reason}; an objection comes from the "
            "requester of the request it names or their proxy (kuasa), with the requester's details under "
            "requester:"))]
    return []


# --- what a supplement keeps ---------------------------------------------------------------------


def versions_of(rec: Record) -> set[str]:
    """The files (inbox and name) whose versions the register took in for this request."""
    return {file_part(rec.key), *rec.sources}


def keep_registered(rec: Record, req: Request) -> list[str]:
    """Let a supplement add what was missing but erase or replace nothing registered.

    The requester's registered details are written back into `req` (so its letters
    go to the registered address); returns a note for each value the file tried to change."""
    personal, r = rec.personal or {}, req.requester
    notes = []
    fields = {"phone": (r, "phone"), "email": (r, "email"), "address": (r, "address"),
              "identity_type": (r.identity, "type"), "identity_number": (r.identity, "number")}
    for key in KEPT:
        obj, attr = fields[key]
        old, new = personal.get(key), getattr(obj, attr)
        if old and new != old:
            if new:
                notes.append(f"requester's {key.replace('_', ' ')} differs from the one registered with "
                             f"{rec.register_no}; the registered one is kept")
            setattr(obj, attr, old)
    if rec.row.get("requester_name"):
        r.name = rec.row["requester_name"]  # the registered spelling stays
    return notes


def merged_attachments(rec: Record, personal: dict[str, Any]) -> dict[str, Any]:
    """A supplement's personal data with the files registered earlier kept on the list (purge deletes them)."""
    old = [f for f in (rec.personal or {}).get("attachments") or [] if f]
    new = [f for f in personal.get("attachments") or [] if f]
    return {**personal, "attachments": old + [f for f in new if f not in old]}


def with_proxy(req: Request, personal: dict[str, Any]) -> dict[str, Any]:
    """An objection's personal data with its proxy's name and power of attorney (purged with the rest)."""
    letter = req.attachment(req.kuasa.letter) if req.kuasa else None
    files = list(personal.get("attachments") or [])
    if letter and str(letter) not in files:
        files.append(str(letter))
    return {**personal, "proxy_name": req.kuasa.name if req.kuasa else None, "attachments": files}

