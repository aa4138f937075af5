"""What happened to one request file: the `Outcome` that `ppid run`, `ppid validate` and the
desk's file status print, and the letters it owes (`LetterJob`, `IncomingJob`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import RequestFileError


class Output(enum.Enum):
    """What a batch (or the annual report) makes of each document."""

    PDF = "pdf"  # fill the DOCX, convert it, stamp (and sign) the PDF; stamp the requester's letter
    DOCX = "docx"  # fill the DOCX only (`--no-pdf`): no LibreOffice


@dataclass
class LetterJob:
    """A letter to fill, convert and stamp."""

    kind: str
    register_no: str
    letter_no: str
    letter_seq: int
    context: dict[str, Any]
    docx: Path
    pdf: Path | None = None
    code: str | None = None
    sha256: str | None = None
    signature_digest: str | None = None  # PAdES signature, when the office signs (signing: in office.yaml)
    error: str | None = None
    retry: bool = False  # a letter logged earlier whose PDF failed: convert its DOCX again
    qr: str | None = None  # the QR code's payload when not the letter's own (the status page's address)


@dataclass
class IncomingJob:
    """The requester's own letter, to be stamped DITERIMA."""

    src: Path
    dst: Path
    register_no: str
    received: str
    due: str
    digest: str = ""  # SHA-256 of the requester's file: stamped once per version
    done: bool = False
    error: str | None = None  # why it was not stamped (a warning of the run)
    dropped: tuple[str, ...] = ()  # what the clean copy left out (pdf.incoming.Placement.dropped)


@dataclass
class Outcome:
    """What happened to one request file: the JSON line of `ppid run --json`."""

    file: str
    status: str
    register_no: str | None = None
    missing: list[str] = field(default_factory=list)
    outcome: str | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    due: str | None = None
    letters: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)  # the problems of a rejected file, as data
    unchanged: bool = False
    warnings: list[str] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)  # requirement code -> what exactly was wrong
    service: str = ""  # of a file that is a request (the desk shows it)
    channel: str = ""
    status_code: str | None = None  # the public status page's key (spec section 3)
    owed: list[str] = field(default_factory=list)  # kinds of the letters the plan owes (validate: not yet numbered)
    events: list[Any] = field(default_factory=list, repr=False)  # pipeline.events, to append
    jobs: list[LetterJob] = field(default_factory=list, repr=False)
    incoming: IncomingJob | None = field(default=None, repr=False)

    @property
    def failed(self) -> bool:
        return self.status in ("rejected_file", "incomplete") or bool(self.error) or any(
            j.error for j in self.jobs)

    def to_json(self) -> dict[str, Any]:
        """The line of `ppid run --json` (spec section 7)."""
        if self.status == "rejected_file":
            return {"file": self.file, "status": self.status, "error": self.error, "errors": self.errors}
        out = {"file": self.file, "status": self.status, "register_no": self.register_no,
               "missing": self.missing, "outcome": self.outcome, "items": self.items,
               "due": self.due, "status_code": self.status_code, "letters": [
                   {"kind": j.kind, "letter_no": j.letter_no, "docx": str(j.docx),
                    "pdf": str(j.pdf) if j.pdf else None, **({"error": j.error} if j.error else {}),
                    **({"retry": True} if j.retry else {})}
                   for j in self.jobs]}
        if self.unchanged:
            out["unchanged"] = True
        if self.warnings:
            out["warnings"] = self.warnings
        if self.error:
            out["error"] = self.error
        return out

    def validate_json(self) -> dict[str, Any]:
        """The line of `ppid validate --json`: the letters owed by kind, nothing numbered."""
        if self.status == "rejected_file":
            return {"file": self.file, "status": self.status, "error": self.error, "errors": self.errors}
        out = {"file": self.file, "status": self.status, "register_no": self.register_no, "missing": self.missing,
               "outcome": self.outcome, "items": self.items, "due": self.due, "letters": list(self.owed),
               "details": self.details}
        if self.unchanged:
            out["unchanged"] = True
        if self.warnings:
            out["warnings"] = self.warnings
        return out


def rejected(display: str, exc: RequestFileError) -> Outcome:
    """The Outcome of a file that is not a request: one-line `error`, and `errors` as data."""
    return Outcome(file=display, status="rejected_file", error=str(exc),
                   errors=[p.as_dict(display) for p in exc.problems])
