"""The events of the register, one dataclass per kind, between planner, batch and register.

The planner says what happened to a request (`Received`, `Completed`, `Decided`, …)
without knowing its register number; the batch numbers the request and turns each event
into the log's JSON object with `record(register_no)`; the register folds those objects
in (`Register.apply`) and checks every line it reads (`register.event_problem`). The JSON
written is what older logs hold, so old records keep reading.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    """An event of one request; `record` gives the log's JSON object."""

    type: ClassVar[str]
    # What a line of the log must carry, besides its register_no, for the register to fold it
    # in (register.event_problem); older logs may lack the other fields, so they stay optional there.
    needs: ClassVar[tuple[str, ...]] = ()
    folded: ClassVar[bool] = True  # False: an audit line, no request's state

    def record(self, register_no: str) -> dict[str, Any]:
        """The JSON object of this event for the request numbered `register_no`."""
        return {"type": self.type, **_fields(self), "register_no": register_no}


def _fields(ev: Any) -> dict[str, Any]:
    return {f.name: getattr(ev, f.name) for f in dataclasses.fields(ev)}


@dataclass(frozen=True)
class Received(Event):
    """A new request (or objection) entered the register; its number series and place in it."""

    type: ClassVar[str] = "received"
    needs: ClassVar[tuple[str, ...]] = ("key",)
    key: str
    digest: str
    file: str
    received_at: str
    row: dict[str, Any]
    personal: dict[str, Any]
    counter: str = "register"  # the number series: "register", or "objection" (Perki 1/2021)
    source: str | None = None  # inbox/name of the file this version came from (matching.versions_of)
    seq: int | None = None  # set when the batch numbers it (`numbered`)
    year: int | None = None

    def numbered(self, seq: int, year: int) -> "Received":
        return dataclasses.replace(self, seq=seq, year=year)

    def record(self, register_no: str) -> dict[str, Any]:
        out = {"type": self.type, "key": self.key, "digest": self.digest, "file": self.file,
               "received_at": self.received_at, "row": self.row, "personal": self.personal,
               "register_no": register_no}
        if self.source is not None:
            out["source"] = self.source
        if self.seq is not None:
            out[f"{self.counter}_seq"], out[f"{self.counter}_year"] = self.seq, self.year
        return out


@dataclass(frozen=True)
class Updated(Event):
    """A registered request's file changed: its book fields and contacts as they are now."""

    type: ClassVar[str] = "updated"
    digest: str
    file: str
    row: dict[str, Any]
    personal: dict[str, Any]
    source: str | None = None  # inbox/name of the file this version came from (matching.versions_of)

    def record(self, register_no: str) -> dict[str, Any]:
        out = super().record(register_no)
        if self.source is None:
            del out["source"]
        return out


@dataclass(frozen=True)
class Incomplete(Event):
    """Requirements are missing: the clock does not run."""

    type: ClassVar[str] = "incomplete"
    needs: ClassVar[tuple[str, ...]] = ("missing",)
    missing: list[str]


@dataclass(frozen=True)
class Completed(Event):
    """The missing requirements were supplied: the clock starts (spec section 6)."""

    type: ClassVar[str] = "completed"
    needs: ClassVar[tuple[str, ...]] = ("completed_at",)
    completed_at: str  # 'YYYY-MM-DD HH:MM'


@dataclass(frozen=True)
class Withdrawn(Event):
    type: ClassVar[str] = "withdrawn"
    needs: ClassVar[tuple[str, ...]] = ("withdrawn_at",)
    withdrawn_at: str


@dataclass(frozen=True)
class Extended(Event):
    """The written notice's deadline extended (UU KIP Pasal 22 ayat 8)."""

    type: ClassVar[str] = "extended"
    days: int
    reason: str | None
    date: str  # announced on
    new_due: str


@dataclass(frozen=True)
class Decided(Event):
    """The decision on the items of an information request."""

    type: ClassVar[str] = "decided"
    outcome: str
    items: list[dict[str, Any]]
    by: str
    date: str
    # a digest of what the letters say of the decision (each item's reason, consequence, grounds
    # and basis, and who decided): a version that words it otherwise is a new decision, with its
    # own notice (planner.decision_wording); older logs have none and are not compared
    wording: str | None = None


@dataclass(frozen=True)
class Answered(Event):
    type: ClassVar[str] = "answered"
    needs: ClassVar[tuple[str, ...]] = ("answered_at",)
    answered_at: str


@dataclass(frozen=True)
class Reopened(Event):
    """Another request (`target`) is open again: an objection overturned its refusal, or the
    Komisi Informasi ordered the information given. Logged under the target's number."""

    type: ClassVar[str] = "reopened"
    needs: ClassVar[tuple[str, ...]] = ("reopened_at",)
    target: str
    reopened_at: str
    by_dispute: str | None = None  # the Komisi Informasi's case number, when a ruling reopened it

    def record(self, register_no: str) -> dict[str, Any]:
        out = {"type": self.type, "register_no": self.target, "reopened_at": self.reopened_at,
               "by_objection": register_no}
        if self.by_dispute is not None:
            out["by_dispute"] = self.by_dispute
        return out


@dataclass(frozen=True)
class LetterIssued(Event):
    """A letter numbered (and, when its PDF came out, issued: `pdf`, `code`, digests)."""

    type: ClassVar[str] = "letter"
    needs: ClassVar[tuple[str, ...]] = ("kind", "letter_no")
    kind: str
    letter_no: str
    letter_seq: int
    letter_year: int
    date: str
    docx: str
    pdf: str | None = None
    code: str | None = None
    sha256: str | None = None
    signature_digest: str | None = None
    error: str | None = None  # why its PDF failed: the letter is owed (pipeline.retry)
    series: str = "letter"  # its number series: "letter", or "decree" (letters.REGISTRY)

    def record(self, register_no: str) -> dict[str, Any]:
        out = {"type": self.type, **_fields(self), "register_no": register_no}
        del out["series"]
        if self.series != "letter":  # a decree's number is of its own series: decree_seq, decree_year
            out[f"{self.series}_seq"], out[f"{self.series}_year"] = out.pop("letter_seq"), out.pop("letter_year")
        return out


@dataclass(frozen=True)
class LetterPdf(Event):
    """The PDF of a letter owed, made on a later run."""

    type: ClassVar[str] = "letter_pdf"
    needs: ClassVar[tuple[str, ...]] = ("letter_no", "pdf", "code", "sha256")
    letter_no: str
    pdf: str
    code: str
    sha256: str
    signature_digest: str | None = None


@dataclass(frozen=True)
class IncomingStamped(Event):
    """The requester's own letter stamped DITERIMA (this version of it)."""

    type: ClassVar[str] = "incoming_stamped"
    incoming_digest: str
    pdf: str
    # what the clean copy left out (keys of pdf.incoming.DROPPED_LABELS: "javascript",
    # "metadata", …), as its stamp says; absent in logs written before it was recorded
    dropped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Purged(Event):
    """Personal data of a closed request erased (UU 27/2022)."""

    type: ClassVar[str] = "purged"
    date: str
    fields: list[str]
    files: list[str]
    before: str


@dataclass(frozen=True)
class DeskAction(Event):
    """What a desk user did (audit); not folded into a request's state."""

    type: ClassVar[str] = "desk"
    folded: ClassVar[bool] = False
    action: str
    user: str
    at: str
    details: dict[str, Any] = field(default_factory=dict)

    def record(self, register_no: str | None = None) -> dict[str, Any]:
        return {"type": self.type, "action": self.action, "user": self.user, "at": self.at,
                **{k: v for k, v in self.details.items() if v is not None}}


# every kind of event, by its type in the log
KINDS: dict[str, type[Event]] = {cls.type: cls for cls in Event.__subclasses__()}
