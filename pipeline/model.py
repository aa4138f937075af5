"""The request as the pipeline sees it once loaded: plain data, no behaviour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

SERVICES = ("information", "consultation", "objection", "complaint")
CHANNELS = ("letter", "whatsapp", "email", "eppid", "walk_in")
REQUESTER_KINDS = (
    "individual", "institution", "ngo", "mass_organization", "political_party", "public_body",
)
IDENTITY_TYPES = ("ktp", "passport", "other")
FORMS = ("softcopy", "hardcopy", "view")
DELIVERIES = ("pickup", "email", "whatsapp", "post")
ITEM_STATUSES = ("open", "exempt", "partial", "not_held", "not_documented")  # spec section 4
ANSWER_ROLES = ("member", "secretary", "delegated")
PASAL17_GROUNDS = tuple("abcdefghij")  # UU KIP Pasal 17 huruf a-j
PASAL35_GROUNDS = tuple("abcdefg")  # UU KIP Pasal 35 ayat 1 huruf a-g
OBJECTION_RESULTS = ("upheld", "overturned")  # of the PPID's original decision
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


@dataclass
class DecisionItem:
    item: int  # 1-based index into Request.information
    status: str
    ground: str | None = None
    reason: str | None = None
    basis: str | None = None
    consequence_test: str | None = None
    holder: str | None = None
    redact: list[str] = field(default_factory=list)
    consequence: str | None = None  # the harm opening this item would cause (UU KIP Pasal 19)


@dataclass
class Extension:
    days: int
    reason: str


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
class Response:
    """Follow-up of a complaint, suggestion or appreciation."""

    text: str | None = None
    by: str | None = None
    date: dt.date | None = None


@dataclass
class Request:
    file: str  # the path as the user named it (used in messages)
    path: Path  # resolved path of the YAML file
    inbox: Path  # resolved inbox folder: attachments must stay inside it
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
    grounds: list[str] | None = None
    objection_decision: ObjectionDecision | None = None
    dispute: Dispute | None = None
    text: str | None = None
    category: str | None = None  # complaint | suggestion | appreciation
    response: Response | None = None
    withdrawn: dt.date | None = None
    register_no: str | None = None  # a supplement to a registered request names it
    lines: dict[str, int] = field(default_factory=dict)  # field path -> 1-based line

    def attachment(self, rel: str | None) -> Path | None:
        """The attachment's path, or None when not given."""
        if not rel:
            return None
        return (self.path.parent / rel).resolve()

    @property
    def key(self) -> str:
        """What identifies the request across edits: its inbox, its file and the minute received.

        A supplement filed elsewhere (another day's inbox, another name) names its request
        with `register_no:` instead; see Batch.
        """
        rel = self.path.relative_to(self.inbox).as_posix()
        return f"{self.inbox.resolve().as_posix()}/{rel}@{self.received.strftime('%Y-%m-%dT%H:%M')}"
