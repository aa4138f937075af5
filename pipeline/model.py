"""The request as the pipeline sees it once loaded: plain data, no behaviour."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

SERVICES = ("information", "consultation", "objection", "complaint")
CHANNELS = ("letter", "whatsapp", "email", "eppid", "walk_in")
REQUESTER_KINDS = (
    "individual", "institution", "ngo", "mass_organization", "political_party", "public_body",
)
IDENTITY_TYPES = ("ktp", "passport", "other")
FORMS = ("softcopy", "hardcopy", "view")
DELIVERIES = ("pickup", "email", "whatsapp", "post")
ITEM_STATUSES = ("open", "exempt", "partial", "not_held", "not_documented")
GIVEN_STATUSES = ("open", "partial")  # an item is given when open or partial (spec section 4)
ANSWER_ROLES = ("member", "secretary", "delegated")
PASAL17_GROUNDS = tuple("abcdefghij")  # UU KIP Pasal 17 huruf a-j
PASAL35_GROUNDS = tuple("abcdefg")  # UU KIP Pasal 35 ayat 1 huruf a-g
OBJECTION_RESULTS = ("upheld", "overturned", "inadmissible")  # of the PPID's original decision, written by the Atasan PPID
# An objection's outcome: a result above, or inadmissible when filed late (spec section 6)
OBJECTION_OUTCOMES = OBJECTION_RESULTS
# Request outcomes (spec section 4) and the statuses of a request file (spec section 7)
OUTCOMES = ("granted", "partially_granted", "rejected", "not_held")
STATUSES = ("rejected_file", "incomplete", "review", "answered", "scheduled", "registered", "withdrawn")
# Requirement codes (spec section 3): config/requirements.yaml words them, requirements.py checks them.
REQUIREMENT_CODES = (
    "identity", "contact", "contact_any", "identity_copy", "identity_shown", "information",
    "topic", "purpose", "source", "addressed_to", "letter", "leader_letter", "guest_book",
    "objection_to", "grounds", "text",
)
# How the Komisi Informasi ended an information dispute (UU KIP Pasal 37-39)
DISPUTE_RESULTS = ("mediated", "granted", "partially_granted", "rejected", "withdrawn", "dismissed")
DISPUTE_REOPENS = ("granted", "partially_granted")  # the office must give the information after all


@dataclass
class Identity:
    type: str | None = None
    number: str | None = None
    copy: str | None = None  # attachment path, relative to the request file


@dataclass
class Requester:
    name: str | None = None
    kind: str | None = None
    organization: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    identity: Identity = field(default_factory=Identity)


# A decided item's `holder:` may name several bodies (a list in the request file, or one text
# with the bodies separated by "; " as the desk's form writes it); each is referred to once.
HOLDER_SEPARATOR = "; "


def holders(value: str | None) -> list[str]:
    """The bodies a `holder` names, in order, each once."""
    out: list[str] = []
    for h in (value or "").split(HOLDER_SEPARATOR.strip()):
        h = " ".join(h.split())
        if h and h not in out:
            out.append(h)
    return out


@dataclass
class DecisionItem:
    item: int  # 1-based index into Request.information
    status: str
    ground: str | None = None
    reason: str | None = None
    basis: str | None = None
    consequence_test: str | None = None
    holder: str | None = None  # one body, or several joined by HOLDER_SEPARATOR (holders())
    redact: list[str] = field(default_factory=list)
    consequence: str | None = None  # the harm opening this item would cause (UU KIP Pasal 19)
    attachments: list[str] = field(default_factory=list)  # released documents, relative to the request file


@dataclass
class Extension:
    days: int
    reason: str
    date: dt.date | None = None  # announced on; default the processing date (UU KIP Pasal 22 ayat 8)


@dataclass
class Decision:
    by: str | None = None
    date: dt.date | None = None
    items: list[DecisionItem] = field(default_factory=list)
    extend: Extension | None = None


@dataclass
class Answer:
    text: str | None = None
    by: str | None = None
    role: str | None = None
    date: dt.date | None = None
    approved_by: str | None = None


@dataclass
class ObjectionDecision:
    result: str  # upheld (the decision stands) | overturned (objection granted)
    by: str | None = None
    date: dt.date | None = None
    reason: str | None = None


@dataclass
class Dispute:
    """The requester took the objection to the Komisi Informasi (sengketa informasi)."""

    filed: dt.date | None = None  # registered at the Komisi Informasi
    case_no: str | None = None  # the Komisi's case number
    result: str | None = None  # one of DISPUTE_RESULTS, once decided
    decided: dt.date | None = None  # date of the mediation agreement or ruling


@dataclass
class Proxy:
    """Who files an objection for the requester (kuasa), with the power of attorney."""

    name: str | None = None
    letter: str | None = None  # the power of attorney (surat kuasa), relative to the request file


@dataclass
class Response:
    """Follow-up of a complaint, suggestion or appreciation."""

    text: str | None = None
    by: str | None = None
    date: dt.date | None = None


@dataclass
class Disposition:
    """The PPID assigned the request to a unit or an officer (disposisi)."""

    to: str | None = None
    note: str | None = None
    by: str | None = None
    date: dt.date | None = None


@dataclass
class Request:
    file: str  # the path as the user named it (used in messages)
    path: Path  # resolved path of the YAML file
    inbox: Path  # the inbox folder as the user named it (absolute)
    digest: str  # content digest of the file and its attachments
    service: str
    channel: str
    received: dt.datetime  # aware, Asia/Makassar
    completed: dt.datetime | None = None
    requester: Requester = field(default_factory=Requester)
    addressed_to: str | None = None
    letter: str | None = None
    information: list[str] | None = None
    topic: str | None = None
    purpose: str | None = None
    source: str | None = None
    form: str | None = None
    delivery: str | None = None
    guest_book: bool | None = None
    decision: Decision | None = None
    answer: Answer | None = None
    objection_to: str | None = None
    notice_received: dt.date | None = None  # objection: when the requester received the written notice
    grounds: list[str] | None = None
    objection_decision: ObjectionDecision | None = None
    dispute: Dispute | None = None
    text: str | None = None
    category: str | None = None  # complaint | suggestion | appreciation
    response: Response | None = None
    withdrawn: dt.date | None = None
    register_no: str | None = None  # a supplement to a registered request names it
    kuasa: Proxy | None = None  # an objection filed by the requester's proxy (spec section 3)
    disposition: Disposition | None = None  # to whom the PPID assigned it
    lines: dict[str, int] = field(default_factory=dict)  # field path -> 1-based line
    inbox_resolved: Path | None = None  # the inbox with symlinks resolved: attachments stay inside it
    resolved: dict[str, Path] = field(default_factory=dict, repr=False)  # attachment as written -> resolved
    stats: dict = field(default_factory=dict, repr=False)  # resolved path -> os.stat_result, shared by an inbox

    def attachment(self, rel: str | None) -> Path | None:
        """The attachment's resolved path (resolved once, when loaded), or None when not given."""
        if not rel:
            return None
        found = self.resolved.get(rel)
        return found if found is not None else (self.path.parent / rel).resolve()

    def attachment_stat(self, rel: str | None):
        """os.stat of the attachment (asked once per batch), or None when absent or unreadable."""
        path = self.attachment(rel)
        if path is None:
            return None
        if path not in self.stats:
            try:
                self.stats[path] = os.stat(path)
            except OSError:
                self.stats[path] = None
        return self.stats[path]

    @cached_property
    def key(self) -> str:
        """What identifies the request across edits: its inbox, its file and the minute received.

        A supplement filed elsewhere (another day's inbox, another name) names its request
        with `register_no:` instead; see Batch.
        """
        path, inbox_named = str(self.path), str(self.inbox).rstrip("/")
        if os.sep == "/" and path.startswith(inbox_named + "/"):
            rel = path[len(inbox_named) + 1:]  # what relative_to gives, without pathlib's cost
        else:
            rel = self.path.relative_to(self.inbox).as_posix()
        inbox = self.inbox_resolved or self.inbox.resolve()
        r = self.received
        return f"{inbox.as_posix()}/{rel}@{r.year:04d}-{r.month:02d}-{r.day:02d}T{r.hour:02d}:{r.minute:02d}"
