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

The own file proves no one's identity either: a version of it that names another
requester (another name or identity number, or, once a letter is out, none of the
registered contacts) is held for a person (`identity_change`). Every later version, the
own file's as a supplement's, keeps what is registered where it leaves it out
(`keep_registered`). A new file asking what a registered, still open request of the same
requester asks is held as well (`duplicate`): a renamed or copied file is no new request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import unicodedata
from typing import Any, Iterable

from pipeline.errors import Problem, ProblemCode, RequestFileError
from pipeline.model import Request
from pipeline.normalise import fold
from pipeline.planner import SUBJECT_MAX, subject
from pipeline.register import Record, Register

# What a later version of a registered request (its own file, a supplement) may add but never
# erase (spec section 3): the field in the file, where the register holds it, its key there.
# Personal data is never replaced by a supplement, nor by the own file once a letter is out.
KEPT = (("requester.phone", "personal", "phone"), ("requester.email", "personal", "email"),
        ("requester.address", "personal", "address"), ("requester.identity.type", "personal", "identity_type"),
        ("requester.identity.number", "personal", "identity_number"),
        ("requester.kind", "row", "requester_kind"), ("requester.organization", "row", "requester_organization"),
        ("purpose", "row", "purpose"), ("source", "row", "information_source"),
        ("addressed_to", "row", "addressed_to"))


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


# Titles written before or after a name ('Dra.', 'H.', 'Hj.', 'Ir.', 'S.Pd.', 'M.Si.'): left out where
# two files are compared for one requester, who also gives the same phone or e-mail (hostile round 7).
_TITLES = frozenset("dr drs dra ir h hj prof pdt pr rm sr bpk bapak ibu sdr sdri tn ny nn spd mpd msi ssos skom "
                    "sh mh se mm st mt amd sip sag mag ked sked kn mkn ak sth mth phd".split())
_DEGREE = re.compile(r"\b([^\W\d_])\.([^\W\d_]{1,4})\b")  # 's.pd', 'm.si', 'a.md': one word; not 'g. bria'


def person_key(text: Any) -> str:
    """name_key without titles: 'Dra. Maria Goreti Bria, S.Pd.' -> 'bria goreti maria'; an
    initial stays ('Maria G. Bria' is not 'Maria Bria'); a title alone names no one ('')."""
    if not isinstance(text, str):
        return ""
    words = re.findall(r"[^\W_]+", _DEGREE.sub(r"\1\2", fold(text)))
    return " ".join(sorted(w for w in words if w not in _TITLES))


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
    """An e-mail address as compared: case and spacing aside, width-folded (NFKC: a full-width
    'ａ' is the 'a' a mail system reads), but never look-alike-folded: 'exаmple.org' with a
    Cyrillic 'а' is another domain, which anyone may register (hostile round 4)."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold() if isinstance(text, str) else ""


def id_key(text: Any) -> str:
    """An identity number as compared: its letters and digits, case and separators aside
    ('5371 0112-3456' = '53710112…'; 'PERS/WF/2025/017' is not 'SIM-2025-017', and passport
    'X0000019' is not 'Y0000019': the digits alone are not the number; hostile round 4)."""
    if not isinstance(text, str):
        return ""
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isascii() and c.isalnum())


_RUNS = "0123456789" * 3


def proves(ident: str) -> str:
    """An identity number (id_key) that tells one person from another, else '': a placeholder
    ('belum ada', 'NIK', zeros, '1234567890…') names no one, so two people who both wrote it
    are not one requester by it (hostile round 7)."""
    found = digits(ident)
    if len(found) < 5 or len(set(found)) == 1 or found in _RUNS or found in _RUNS[::-1]:
        return ""
    return ident


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
    old_id = id_key(personal.get("identity_number"))
    if old_id:
        new_id = id_key(r.identity.number)
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


# --- the same request under another file name ----------------------------------------------------

ASKS_FIELD = {"information": "information", "consultation": "topic", "complaint": "text", "objection": "objection_to"}


def _words(text: Any) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold())) if isinstance(text, str) else ""


@functools.lru_cache(maxsize=65536)  # the index is rebuilt once a batch chunk: each subject folded once
def _asks(service: Any, subject: Any) -> tuple[str, str]:
    """What a request asks, normalised (case, spacing, punctuation; the order of items aside)."""
    if service == "information" and isinstance(subject, str):
        return "information", "\n".join(sorted(_words(item) for item in subject.split(" | ")))
    return str(service), _words(subject)


def registered_asks(rec: Record) -> tuple[str, str]:
    """What a registered request asks (_asks): its book subject, or, where that was cut at
    SUBJECT_MAX, the items the PPID decided, when they are all there (hostile round 7: two
    long lists may differ after the cut)."""
    row = rec.row
    text = row.get("subject")
    if row.get("service") == "information" and isinstance(text, str) and len(text) >= SUBJECT_MAX:
        items = decided_items(rec)
        if items and len(items) == row.get("items"):
            return _asks("information", " | ".join(items))
    return _asks(row.get("service"), text)


def asks_index(reg: Register) -> dict[tuple[str, str], list[str]]:
    """What each live request asks -> its register numbers (purged and withdrawn ones left out)."""
    index: dict[tuple[str, str], list[str]] = {}
    for rno, rec in reg.records.items():
        if not rec.purged_at and not rec.withdrawn_at:
            index.setdefault(registered_asks(rec), []).append(rno)
    return index


def same_requester(rec: Record, req: Request) -> bool:
    """The identity number, or the name and a phone or e-mail, match the registered requester."""
    personal, r = rec.personal or {}, req.requester
    old_id = proves(id_key(personal.get("identity_number")))
    if old_id and old_id == id_key(r.identity.number):
        return True
    name = person_key(r.name)
    if not name or name != person_key(rec.row.get("requester_name")):
        return False
    phone, email = phone_key(r.phone), email_key(r.email)
    return bool(phone and phone == phone_key(personal.get("phone")) or email and email == email_key(personal.get("email")))


def _open_until(rec: Record, clock, today) -> str | None:
    """Why the registered request is not closed today, or None: not answered, or (an
    information request) its notice may still be objected to (UU KIP Pasal 35-36)."""
    if not rec.answered_at:
        return "it is not answered yet"
    if rec.row.get("service") != "information":
        return None
    notice = rec.last_letter("decision_notice")
    start = dt.date.fromisoformat(notice["date"]) if notice and notice.get("date") else clock.due(rec)
    end = clock.objection_window_end(start) if start else None
    return f"its notice may be objected to until {end}" if end and today <= end else None


def duplicate(reg: Register, req: Request, index: dict[tuple[str, str], list[str]], clock, today) -> Problem | None:
    """A new file asking what a registered request of the same requester asks, while that
    request is open (or received the same minute): a renamed or copied file, edited, is no
    new request (it would get round "received is fixed" and give one letter two numbers).
    Fail closed: a person confirms; nothing is registered."""
    # an objection asks about the request it names: a second one from the same requester while
    # the first is unanswered is the same objection (once answered, another may follow a new decision)
    asked, cut = _asks(req.service, subject(req, whole=True)), _asks(req.service, subject(req))
    if not asked[1].strip():
        return None  # asks nothing yet (incomplete): nothing to compare
    # a registered subject cut at SUBJECT_MAX without its items is compared as cut (fail closed)
    for rno in index.get(asked, []) + (index.get(cut, []) if cut != asked else []):
        rec = reg.records[rno]
        if not same_requester(rec, req):
            continue
        received = rec.row.get("received_at") or ""
        same_minute = received[:16] == f"{req.received:%Y-%m-%d %H:%M}"
        why = "it was received the same minute" if same_minute else _open_until(rec, clock, today)
        if why and req.service == "objection":
            return _problem(req, ProblemCode.DUPLICATE, "objection_to", (
                f"names {req.objection_to}, as objection {rno} of the same requester does: {rno} was registered "
                f"from {rec.row.get('source_file') or rec.key.rsplit('@', 1)[0]} (received {received[:16]}) and "
                f"{why}; an objection is registered once, so a person must confirm: to add grounds or change it, "
                f"edit the file of {rno}; else remove this copy"))
        if why:
            path = ASKS_FIELD.get(req.service, "")
            return _problem(req, ProblemCode.DUPLICATE, path, (
                f"asks what {rno} asks, from the same requester: {rno} was registered from "
                f"{rec.row.get('source_file') or rec.key.rsplit('@', 1)[0]} (received {received[:16]}) and {why}; "
                f"a request is registered once, so a person must confirm: to complete or change {rno}, edit its "
                f"file or give this one register_no: {rno} (received cannot change once a letter is out); "
                "else remove this copy"))
    return None


@dataclasses.dataclass(frozen=True)
class Ask:
    """What a file asks and who asks it: enough to tell two new files of one folder apart
    without loading them again (`inbox_duplicate`)."""

    file: str  # as messages name it
    name: str  # the file's name: files of one folder are taken in name order, as `ppid run` takes them
    service: str
    channel: str
    asks: tuple[str, str]  # _asks(service, the whole subject)
    field: str  # the field that says what is asked (ASKS_FIELD)
    line: int | None
    received: str  # YYYY-MM-DD HH:MM
    ident: str  # id_key of the identity number ('' for a placeholder: proves)
    person: str  # person_key
    phone: str  # as written: keyed (phone_key, email_key) only when two files are compared
    email: str
    digest: str
    key: str
    register_no: str | None
    objection_to: str | None
    answered: str | None = None  # YYYY-MM-DD the file dates its answer; '' undated (the processing date); None: no answer

    @classmethod
    def of(cls, req: Request) -> "Ask":
        path = ASKS_FIELD.get(req.service, "")
        r = req.requester
        return cls(file=req.file, name=req.path.name, service=req.service, channel=req.channel,
                   asks=_asks(req.service, subject(req, whole=True)), field=path,
                   line=req.lines.get(path) or req.lines.get(path.split(".")[0]),
                   received=f"{req.received:%Y-%m-%d %H:%M}", ident=proves(id_key(r.identity.number)),
                   person=person_key(r.name),
                   phone=r.phone or "", email=r.email or "", digest=req.digest, key=req.key,
                   register_no=req.register_no, objection_to=req.objection_to, answered=_answered(req))

    def registered(self, reg: Register, files: dict[str, str]) -> Record | None:
        """The registered request this file is (find's three ways, by what the file says), or None."""
        rno = reg.digests.get(self.digest) or reg.by_key.get(self.key) or files.get(file_part(self.key))
        return reg.records.get(rno) if rno and not self.register_no else None

    def first_of(self, reg: Register, files: dict[str, str], clock, today: dt.date, day: str) -> bool:
        """Whether this earlier file of a folder is the request a later one received on `day`
        (YYYY-MM-DD) would copy: not a supplement (register_no), and its request not closed by
        that day (answered that day or before, as `duplicate` lets a closed request be asked
        again), whether it is registered already or not: a run registers a chunk before judging
        the next, and a held copy must stay held on the next run (hostile round 7)."""
        if self.register_no:
            return False
        rec = self.registered(reg, files)
        if rec is None:
            answered = today.isoformat() if self.answered == "" else self.answered
            return not (answered and answered <= day) or (self.service == "information")
        if not rec.answered_at or rec.answered_at[:10] > day:
            return True
        return bool(_open_until(rec, clock, dt.date.fromisoformat(day)))


def _answered(req: Request) -> str | None:
    """The day a file dates its own answer (consultation), response (complaint) or the Atasan
    PPID's decision (objection), as the planner records `answered_at`: '' undated (the
    processing date), None for no answer."""
    said = (req.answer if req.service == "consultation" else req.response if req.service == "complaint"
            else req.objection_decision if req.service == "objection" else None)
    if said is None:
        return None
    return said.date.isoformat() if getattr(said, "date", None) else ""


def _same_person(a: Ask, b: Ask) -> bool:
    """As same_requester, between two files: the identity number, or the name and a phone or e-mail."""
    if a.ident and a.ident == b.ident:
        return True
    if not a.person or a.person != b.person:
        return False
    phone, email = phone_key(a.phone), email_key(a.email)
    return bool(phone and phone == phone_key(b.phone) or email and email == email_key(b.email))


def inbox_duplicate(ask: Ask, earlier: Iterable[Ask]) -> Problem | None:
    """A new file asking what an earlier new file of its folder asks, from the same requester:
    two files of one batch would be two requests with two numbers and two receipts for one
    question (issue 18). Fail closed: the later file waits for a person; the earlier one is
    taken as usual. A byte-identical copy is a twin, processed once (pipeline.assess)."""
    if not ask.asks[1].strip():
        return None  # asks nothing yet (incomplete): nothing to compare
    for first in earlier:
        if first.digest == ask.digest:
            # a byte-identical copy of an earlier file is its twin, processed once with it (Verdict.TWIN
            # in a run), not a copy of a later near copy (hostile round 7: validate held it, run did not)
            return None
        if first.asks != ask.asks or not _same_person(first, ask):
            continue
        what = (f"names {ask.objection_to}, as {first.file} in the same folder does" if ask.service == "objection"
                else f"asks what {first.file} in the same folder asks")
        return Problem(ProblemCode.DUPLICATE, ask.field, ask.line, (
            f"{what}, from the same requester (received {first.received}); files are taken in name order, "
            f"so {first.file} is the request and this file would register it a second time: a person must "
            f"confirm. Put what this file adds into {first.file} and remove this copy; if it is another "
            "request, say in it what differs"))
    return None


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
    if rec is not None and how in ("key", "file"):
        problems += identity_change(rec, req)
    if rec is not None and not rec.purged_at:
        problems += _received(rec, req)
        problems += items_fixed(rec, req)
    if req.service == "objection" and req.objection_to:
        problems += _objection(reg, req, rec if how in ("key", "file") else None)
    return RequestFileError(display, problems) if problems else None


def identity_change(rec: Record, req: Request) -> list[Problem]:
    """Why this version of a registered request's own file (same inbox, same name) names
    another requester: another name (case, spacing, punctuation and word order aside),
    another identity number, or, once a letter is out, none of the registered contacts.

    The file's place proves nothing about who asks: anyone who can write to the inbox
    could put another person there. Fail closed: a person confirms a change of requester;
    the register keeps the registered one. A contact typed wrong may be corrected while
    no letter has gone out."""
    personal, r, rno = rec.personal or {}, req.requester, rec.register_no
    problems = []
    old_name = rec.row.get("requester_name")
    if old_name and r.name and name_key(r.name) != name_key(old_name):
        problems.append(_problem(req, ProblemCode.OWNER, "requester.name", (
            f"is '{r.name}', but {rno} was registered from this file for '{old_name}'; the requester of a "
            "registered request does not change with its file, so a person must confirm who asks: put back "
            f"'{old_name}' (its spelling may be corrected), or, for another requester, a new request needs a new "
            "file name")))
    old_id, new_id = id_key(personal.get("identity_number")), id_key(r.identity.number)
    if old_id and new_id and new_id != old_id:
        problems.append(_problem(req, ProblemCode.OWNER, "requester.identity.number", (
            f"gives another identity number than the one registered with {rno} from this file; the requester of a "
            "registered request does not change with its file, so a person must confirm who asks: put back the "
            "registered number")))
    registered = {k: v for k, v in (("phone", phone_key(personal.get("phone"))),
                                    ("email", email_key(personal.get("email")))) if v}
    given = {"phone": phone_key(r.phone), "email": email_key(r.email)}
    if rec.letters and registered and all(given[k] and given[k] != v for k, v in registered.items()):
        field = "requester.phone" if "phone" in registered else "requester.email"
        problems.append(_problem(req, ProblemCode.OWNER, field, (
            f"replaces every contact registered with {rno} ({' and '.join(sorted(registered))}), to which letters "
            "have gone out; a person must confirm who asks: put back at least one registered contact (a person "
            "corrects a registered contact)")))
    return problems


def decided_items(rec: Record) -> list[str] | None:
    """The items' texts the PPID decided (or a letter answered), or None before any decision."""
    items = (rec.decided or {}).get("items")
    if not items and not (rec.answered_at or rec.last_letter("decision_notice")):
        return None
    return [str(i.get("text") or "") for i in items or [] if isinstance(i, dict)]


def items_fixed(rec: Record, req: Request) -> list[Problem]:
    """Why this version may not change the items of a request the PPID decided.

    The PPID's decision names items by number (`decision.items[].item`): a version with other
    items (replaced, swapped, added, dropped) would apply it to an item the PPID never decided,
    and a notice would say so in the PPID's name. Fail closed: the items are fixed once decided;
    a new request asks for other information, or a person confirms. Case, spacing and
    punctuation aside (`_words`). Before a decision the items may be edited."""
    old = decided_items(rec)
    if old is None or req.service != "information" or rec.row.get("service") != "information":
        return []
    new = list(req.information or [])
    if [_words(x) for x in new] == [_words(x) for x in old]:
        return []
    return [_problem(req, ProblemCode.FIXED, "information", (
        f"gives other items than the {len(old)} the PPID decided for {rec.register_no} (a decision notice has gone "
        "out for them); the PPID's decision names the items by number, so it cannot be applied to other items: "
        "put back the registered items, file a new request for other information, or a person must confirm the "
        "change with the PPID"))]


def decision_fixed(rec: Record | None, req: Request, status: str) -> list[Problem]:
    """Why this version may not take back a decision that has gone out.

    A later version of an answered request's file that no longer carries its decision (the
    PPID's items, the Atasan PPID's result, the answer) would send it back to review and leave
    the register disagreeing with the letters already issued. Fail closed, as for the items and
    `received`: the file is held; a decision changes only by a new decision (an objection, a
    Komisi Informasi ruling, the PPID's own correction), which still carries one."""
    if rec is None or status not in ("review", "scheduled") or not rec.answered_at or rec.withdrawn_at:
        return []
    if rec.reopened_at and (rec.decided or {}).get("date", "") < rec.reopened_at:
        return []  # reopened by an objection or a ruling: it awaits the PPID's new decision
    letter = next((e for e in reversed(rec.letters)
                   if e.get("kind") in ("decision_notice", "objection_response", "consultation_answer")), None)
    issued = f" and letter {letter.get('letter_no')} has gone out" if letter else ""
    return [_problem(req, ProblemCode.FIXED, "decision", (
        f"carries no decision, but {rec.register_no} was answered on {rec.answered_at[:10]}{issued}; a decision "
        "that has gone out is not taken back by editing its file: put the decision back as it was, or record a "
        "new decision (the PPID's correction, or the outcome of an objection)"))]


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
    if file_part(req.key) in versions_of(rec):  # a later version of a supplement already taken in
        return unconfirmed(rec, req, supplement=True)  # its name proves no more than its first version
    if req.decision and rec.reopened_at and (rec.decided or {}).get("date", "") < rec.reopened_at:
        return unconfirmed(rec, req, supplement=True)  # the PPID's new decision on a reopened request (spec section 3)
    if not rec.missing:
        status = rec.row.get("status") or "registered"
        return [_problem(req, ProblemCode.REFERENCE, "register_no", (
            f"names {rec.register_no}, which is {status}, not incomplete; a supplement completes an incomplete "
            "request only: file a new request, or an objection against its decision"))]
    return unconfirmed(rec, req, supplement=True)


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


def _objection(reg: Register, req: Request, own: Record | None = None) -> list[Problem]:
    """`own`: the objection's own registered record, when this is a later version of its file."""
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
        if req.dispute is not None:
            return [_problem(req, ProblemCode.REFERENCE, "dispute", purged_dispute(target, req))]
        return [_problem(req, ProblemCode.REFERENCE, "objection_to", (
            f"names {target.register_no}, whose personal data was purged on {target.purged_at}; that request is "
            "closed for good and takes no objection"))]
    reason = owner_mismatch(target, req)
    if reason:
        return [_problem(req, ProblemCode.OWNER, "objection_to", (
            f"names {target.register_no} of another requester: the file {reason}; an objection comes from the "
            "requester of the request it names or their proxy (kuasa), with the requester's details under "
            "requester:"))]
    return unconfirmed(target, req, supplement=False, also=own)


def purged_dispute(rec: Record, req: Request) -> str:
    """What to do with a Komisi Informasi dispute or ruling given for a request whose personal
    data was purged: the register does not read a purged request's files again (UU 27/2022),
    so the ruling is kept with the case file. Purge keeps an objection while its response may
    be taken to the Komisi Informasi and while a dispute is open (Register.held), so this is
    only a dispute filed late or a request purged before that rule."""
    d = req.dispute
    case = f" (case {d.case_no})" if d and d.case_no else ""
    return (f"gives a Komisi Informasi dispute{case}, but {rec.register_no} was purged on {rec.purged_at} and a "
            "purged request is not read again, so the register cannot record it; keep the dispute and the ruling "
            "with the office's case file (arsip sengketa), carry out a ruling that orders the information released "
            "by a new written notice outside this register, and put this file back as it was")


# A file proven only by the name and one contact (no identity number registered to compare)
# proves little: both are often known to others. It may complete what is missing, but not
# tie the request to a new person or a new address (spec section 3: "a file that may belong
# to someone else" goes to a person). What it may not add: (field, register key, normaliser).
UNPROVEN = (("requester.identity.number", "identity_number", id_key), ("requester.email", "email", email_key),
            ("requester.phone", "phone", phone_key), ("requester.address", "address", lambda v: " ".join(
                str(v).casefold().split()) if isinstance(v, str) else ""))
LABEL = {"requester.identity.number": "an identity number", "requester.email": "an e-mail address",
         "requester.phone": "a phone number", "requester.address": "an address",
         "requester.kind": "another kind of requester", "requester.organization": "another organization",
         "information": "other items of information"}
# What a supplement so proven may not rewrite in the row: who asks (kind, organization) and what
# is asked (the items; the PPID decides them by number): (field, row key).
UNPROVEN_ROW = (("requester.kind", "requester_kind"), ("requester.organization", "requester_organization"))


def _rewrites(rec: Record, req: Request) -> list[str]:
    """The row fields a supplement would rewrite: kind, organization (filling one an `identity`
    notice asked for aside), and the items."""
    out = []
    for path, key in UNPROVEN_ROW:
        obj, attr = _attr(req, path)
        new, old = _words(getattr(obj, attr)), _words(rec.row.get(key))
        if new and new != old and (old or "identity" not in rec.missing):
            out.append(path)
    subject_ = rec.row.get("subject")
    if (req.service == "information" and req.information and isinstance(subject_, str)
            and [_words(x) for x in req.information] != [_words(x) for x in subject_.split(" | ")]):
        out.append("information")
    return out


def unconfirmed(rec: Record, req: Request, *, supplement: bool, also: Record | None = None) -> list[Problem]:
    """What a supplement (`supplement`) or an objection, proven only by the name and a
    phone or e-mail, would add that a person must confirm first: an identity number, a
    contact or address not registered with `rec`, another `delivery`, a withdrawal.

    A supplement keeps what is registered (keep_registered), so only what fills an empty
    field counts there; an objection's letters go to its own contacts, so any contact not
    registered counts. Proven enough: an identity number registered and matched
    (owner_mismatch decides), or a filing in person (walk_in: the front office saw the
    identity card, spec section 3 `identity_shown`). `also`: an objection already registered,
    whose own registered details count as registered too. Fail closed: nothing is registered."""
    personal, r, rno = rec.personal or {}, req.requester, rec.register_no
    if id_key(personal.get("identity_number")) or req.channel == "walk_in":
        return []
    adds = []
    own = (also.personal or {}) if also is not None else {}
    for path, key, norm in UNPROVEN:
        obj, attr = _attr(req, path)
        new, old = norm(getattr(obj, attr)), norm(personal.get(key))
        if new and new != old and (not old or not supplement) and new != norm(own.get(key)):
            adds.append(path)
    old_delivery = rec.row.get("delivery")
    if (req.delivery and req.delivery != "pickup" and req.delivery != old_delivery
            and not (also is not None and req.delivery == also.row.get("delivery"))):
        adds.append("delivery")  # pickup: handed over at the counter, to a person who shows the card
    if supplement:
        adds += _rewrites(rec, req)
    if supplement and req.withdrawn:
        adds.append("withdrawn")
    if not adds:
        return []
    what = [LABEL.get(p) or (f"delivery by {req.delivery} (registered: {old_delivery or 'none'})" if p == "delivery"
                             else "a withdrawal") for p in adds]
    kind = "supplement" if supplement else "objection"
    return [_problem(req, ProblemCode.OWNER, adds[0], (
        f"would add {' and '.join([', '.join(what[:-1]), what[-1]] if len(what) > 1 else what)} to {rno}, but {rno} holds no identity number and this {kind} proves its "
        "requester only by name and a phone or e-mail, which others may know; a person must confirm who asks "
        f"before letters go elsewhere: check with the requester at the contact registered with {rno} (or in "
        "person, with the identity card), then enter the confirmed details in the request's own file "
        f"({rec.row.get('source_file') or file_part(rec.key)}) in the desk, or file this in person (channel: "
        "walk_in); else leave them out of this file"))]


# --- what a supplement keeps ---------------------------------------------------------------------


def versions_of(rec: Record) -> set[str]:
    """The files (inbox and name) whose versions the register took in for this request."""
    return {file_part(rec.key), *rec.sources}


def _attr(req: Request, path: str) -> tuple[Any, str]:
    """The object and attribute a field path of KEPT names: 'requester.identity.number' -> (identity, 'number')."""
    *parents, attr = path.split(".")
    obj: Any = req
    for p in parents:
        obj = getattr(obj, p)
    return obj, attr


def _same(path: str, new: Any, old: Any) -> bool:
    """The same value written otherwise: a phone in another format, an identity number spaced."""
    if path == "requester.phone":
        return phone_key(new) == phone_key(old)
    if path == "requester.email":
        return email_key(new) == email_key(old)
    if path == "requester.identity.number":
        return id_key(new) == id_key(old)
    return " ".join(str(new).split()).casefold() == " ".join(str(old).split()).casefold()


def keep_registered(rec: Record, req: Request, *, supplement: bool) -> list[str]:
    """Let a later version of a registered request (a supplement, or its own file) add what
    was missing but erase nothing registered (spec section 3).

    Writes the registered values back into `req` (so its letters go to the registered
    address) where the file leaves them out, or gives another one that it may not replace:
    personal data, which a supplement never replaces and the own file not once a letter is
    out. Returns a note naming each field the file could not change."""
    personal, rno, notes = rec.personal or {}, rec.register_no, []
    for path, where, key in KEPT:
        old = (personal if where == "personal" else rec.row).get(key)
        if old in (None, ""):
            continue
        obj, attr = _attr(req, path)
        new = getattr(obj, attr)
        if new in (None, ""):
            setattr(obj, attr, old)
            if not supplement:  # a supplement gives what was missing; the rest it need not repeat
                notes.append(f"{path} is left out of this file; the one registered with {rno} is kept")
        elif _same(path, new, old):
            if where == "personal":
                setattr(obj, attr, old)  # the registered spelling stays
        elif where == "personal" and (supplement or rec.letters):
            setattr(obj, attr, old)
            why = ("a supplement adds what is missing and replaces nothing" if supplement else
                   "letters have gone out to it (a person corrects a registered contact)")
            notes.append(f"{path} in this file is not the one registered with {rno}; the registered one is kept, "
                         f"as {why}")
    old_items = decided_items(rec)
    if old_items and req.information and [_words(x) for x in req.information] == [_words(x) for x in old_items]:
        req.information = list(old_items)  # the decided spelling stays (items_fixed held any other items)
    name = rec.row.get("requester_name")
    if name and (supplement or not req.requester.name):
        if not req.requester.name and not supplement:
            notes.append(f"requester.name is left out of this file; the one registered with {rno} is kept")
        req.requester.name = name  # a supplement keeps the registered spelling
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

