"""One request file judged against the register, before anything is numbered or written.

The one code path behind `ppid run`, `ppid validate` and the desk's file status
(pipeline.office): load and check the file, recognise a file already registered (same
content), find the registered request a changed file belongs to (refusing another
requester's change, leaving a purged request closed), then plan (pipeline.planner).
`Batch` numbers and produces what the plan owes; validate and the desk only report it.
"""

from __future__ import annotations

import datetime as dt
import enum
import heapq
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping

from pipeline import matching, planner, requirements
from pipeline.config import Config
from pipeline.delivery.state import receipt_day
from pipeline.errors import Problem, ProblemCode, RequestFileError
from pipeline.loading import Inbox, load_request, stat_once
from pipeline.model import Request
from pipeline.outcome import Outcome, rejected
from pipeline.register import Record, Register


@dataclass
class Checked:
    """A request file loaded and checked: what `ppid validate` reports and `ppid run` plans from."""

    req: Request
    failures: list[requirements.Failure]


def check_file(path: Path, inbox: Inbox, today: dt.date, cfg: Config, *, lookup: planner.Lookup,
               known: Callable[[str], bool], display: str) -> Checked:
    """Load one request file and check its requirements; raise RequestFileError if it is no request."""
    req = load_request(path, inbox, today, display=display)
    problems = []
    if req.register_no and not known(req.register_no):
        problems.append(Problem(ProblemCode.REFERENCE, "register_no", req.lines.get("register_no"), (
            f"'{req.register_no}' is not in the register; give the number from the receipt or notice, "
            "or leave the field out for a new request")))
    ext = req.decision.extend if req.decision else None
    if ext and ext.days:
        start = (req.completed or req.received).date()
        regime = cfg.clock.regime(start)
        most = regime.extension  # UU KIP Pasal 22 ayat 8; Perki 1/2019 in an election stage
        if ext.days > most:
            law = (f"Perki 1/2019, election stage '{regime.name}'; config/office.yaml deadlines.election"
                   if regime.election else "UU KIP Pasal 22 ayat 8; config/office.yaml deadlines")
            problems.append(Problem(ProblemCode.RANGE, "decision.extend.days", req.lines.get("decision.extend.days"),
                                    f"is {ext.days}; an extension is 1 to {most} working days ({law})"))
    problems += _unlisted_signers(req, cfg)
    if problems:
        raise RequestFileError(display, problems)
    return Checked(req, requirements.check(req, cfg, lookup=lookup))


def _unlisted_signers(req: Request, cfg: Config) -> list[Problem]:
    """An approved delegated answer is signed by `by` "a.n." `approved_by`, each person's position
    read from `staff:` by name (pipeline.letters.signatory): a name not listed there would sign
    the office's letter with whatever the file says, so both must be staff."""
    from pipeline.letters import staff_member

    a = req.answer
    if a is None or a.role != "delegated" or not a.approved_by:
        return []
    return [Problem(ProblemCode.FIELD, f"answer.{key}", req.lines.get(f"answer.{key}"), (
                f"'{name}' is not one of the office's staff; a delegated answer is signed by a listed official "
                "on behalf of a listed approver: write the name as config/office.yaml staff: gives it"))
            for key, name in (("by", a.by), ("approved_by", a.approved_by)) if staff_member(cfg, name) is None]


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """A file name as messages show it: a control character (a newline) escaped, so that a
    message stays one line ('a\\nb.yaml')."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


# the field of the file each requirement reads (for a message naming the field)
_REQUIREMENT_FIELD = {"identity": "requester.name", "contact": "requester.phone", "contact_any": "requester.phone",
                      "identity_copy": "requester.identity.copy", "identity_shown": "requester.identity.number",
                      "leader_letter": "letter"}


# What a version supplies as a file beside it: once registered (by any version) it stays
# supplied, and purge knows the file (personal.attachments keeps every version's).
KEPT_FILES = ("identity_copy", "letter", "leader_letter")


def _incomplete_again(rec: Record, req: Request, failures: list[requirements.Failure],
                      ) -> tuple[list[requirements.Failure], list[Problem]]:
    """A later version that would make a request newly miss something: what was supplied is
    never taken back by a file (spec section 3), and a fresh notice of what is missing would
    stop a clock that runs or ask again for what the requester gave.

    While the request is incomplete, a file a version registered (KEPT_FILES) stays supplied:
    its failure is dropped. Anything else newly missing is held; fail closed: a person decides. Returns the failures left and
    the problems that hold the file."""
    if rec.purged_at or not failures or (not rec.missing and rec.row.get("status") == "incomplete"):
        return failures, []
    new = [f for f in failures if f.code not in rec.missing]
    kept = [f for f in new if f.code in KEPT_FILES and rec.missing]  # complete: held as before, a person decides
    failures = [f for f in failures if f not in kept]
    state = (f"incomplete for {', '.join(rec.missing)} only" if rec.missing else "registered complete")
    return failures, [Problem(ProblemCode.FIXED, _REQUIREMENT_FIELD.get(f.code, f.code),
                              req.lines.get(_REQUIREMENT_FIELD.get(f.code, f.code)), (
                        f"would make {rec.register_no} newly incomplete ({f.detail}), but it is {state}; "
                        "a later version does not take back what was supplied, so a person must decide: put the "
                        "registered value back in this file"))
                      for f in new if f not in kept]


def _received_on(rec, letter_no: str) -> dt.date | None:
    """The day the requester was shown to have received a letter (spec sections 6 and 9), or None.

    One reading, the delivery package's: records naming different days prove none, so an
    objection is never declared late on the earliest of them (fail closed)."""
    return receipt_day(rec, letter_no)


def register_lookup(reg: Register, cfg: Config) -> planner.Lookup:
    """What the register knows of a register number, for objections (planner.Target)."""
    def lookup(register_no: str) -> planner.Target | None:
        rec = reg.records.get(register_no)
        if rec is None:
            return None
        notice = rec.last_letter("decision_notice")
        response = rec.last_letter("objection_response")
        return planner.Target(register_no, dt.date.fromisoformat(notice["date"]) if notice else None,
                              notice["letter_no"] if notice else "", cfg.clock.due(rec),
                              response_letter_no=response["letter_no"] if response else "",
                              response_date=dt.date.fromisoformat(response["date"]) if response else None,
                              received=dt.date.fromisoformat(rec.row["received_at"][:10])
                              if rec.row.get("received_at") else None,
                              notice_delivered=_received_on(rec, notice["letter_no"]) if notice else None,
                              response_delivered=_received_on(rec, response["letter_no"]) if response else None)
    return lookup


def _new_dispute(rec: Record, req: Request) -> bool:
    """The file gives a dispute (or its ruling) the register does not hold."""
    d = req.dispute
    if d is None:
        return False
    iso = lambda x: x.isoformat() if x else None  # noqa: E731
    row = rec.row
    return (iso(d.filed), d.case_no, d.result, iso(d.decided)) != (
        row.get("dispute_filed"), row.get("dispute_case_no"), row.get("dispute_result"), row.get("dispute_decided"))


class Verdict(enum.Enum):
    """What is to become of a file."""

    REJECTED = "rejected"  # no request, or a change that is not this requester's
    UNCHANGED = "unchanged"  # registered as it is: nothing new (letters owed are retried)
    TWIN = "twin"  # the same request twice in one batch: the first one counts
    CLOSED = "closed"  # its request was purged: not read again
    PLANNED = "planned"  # new or changed: the plan says what happens


@dataclass
class Judged:
    """One file judged against the register: an outcome already, or a plan to carry out."""

    verdict: Verdict
    display: str  # the file as messages name it
    outcome: Outcome | None = None  # REJECTED, UNCHANGED, TWIN, CLOSED
    checked: Checked | None = None
    rec: Record | None = None  # the registered request the file is or changes (None: new)
    plan: planner.Plan | None = None  # PLANNED
    note: str | None = None  # for the run's summary (a corrected `received`)
    ask: "matching.Ask | None" = None  # what the file asks (None: it is no request)


_ASKS: "OrderedDict[tuple, matching.Ask | None]" = OrderedDict()  # a file's version -> what it asks (None: no request)
_ASKS_MAX = 20_000  # files remembered; about 1 KB each


@dataclass
class _Folder:
    """A folder's request files, and what those folded in so far ask (Assessor.earlier)."""

    files: list[Path]
    done: int = 0  # files[:done] are folded into index
    index: dict = field(default_factory=dict)  # _keys -> the Asks, in name order


def _keys(ask: "matching.Ask") -> list[tuple]:
    """Where an Ask is filed: what it asks with the identity number, and with the name (the
    two ways matching.inbox_duplicate counts one requester)."""
    return [k for k in (("id", ask.asks, ask.ident), ("name", ask.asks, ask.person)) if k[2]]


def request_files_in(folder: Path) -> list[Path]:
    """The request files directly in `folder`, in name order (as `ppid run` takes them)."""
    try:
        found = [p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith(".")]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.name)


class Assessor:
    """Judges files against one register on one processing date."""

    def __init__(self, cfg: Config, reg: Register, today: dt.date):
        self.cfg, self.reg, self.today = cfg, reg, today
        self.lookup = register_lookup(reg, cfg)
        self._files: tuple[int, dict[str, str]] = (-1, {})  # matching.file_index, with the register version it was built on
        self._asks: tuple[int, dict] = (-1, {})  # matching.asks_index, likewise

    def judge(self, path: Path, inbox: "Inbox | Path", *, pending: Mapping[str, Outcome] | None = None) -> Judged:
        """Check, recognise, match and plan one file; `pending`: outcomes of this batch so far."""
        if not isinstance(inbox, Inbox):  # a folder (Batch.assess takes either): resolved here
            inbox = Inbox.of(inbox)
        j = self._judge(path, inbox, pending)
        if j.checked is not None:
            j.ask = _ASKS.get(self._version(path, inbox)) if j.ask is None else j.ask
        if j.outcome is not None and j.checked is not None:
            j.outcome.service, j.outcome.channel = j.checked.req.service, j.checked.req.channel
        return j

    def _judge(self, path: Path, inbox: Inbox, pending: Mapping[str, Outcome] | None) -> Judged:
        display = printable(str(path))
        try:
            checked = check_file(path, inbox, self.today, self.cfg, lookup=self.lookup,
                                 known=self.reg.records.__contains__, display=display)
        except RequestFileError as exc:
            self.remember(path, inbox, None)
            return Judged(Verdict.REJECTED, display, rejected(display, exc))
        req = checked.req
        ask = matching.Ask.of(req)
        self.remember(path, inbox, ask)
        rno = self.reg.digests.get(req.digest)
        rec = self.reg.records[rno] if rno else None
        # unchanged: equal to the latest version, of the request or of this very file (an original
        # beside its supplement; issue 18)
        if rec is not None and req.digest in (rec.digest, rec.latest.get(matching.file_part(req.key))):
            result = self.unchanged(display, rec)
            result.details = {f.code: f.detail for f in checked.failures if f.code in result.missing}
            return Judged(Verdict.UNCHANGED, display, result, checked, rec)
        twin = pending and (pending.get(req.digest) or pending.get(req.key))
        if twin:
            return Judged(Verdict.TWIN, display, Outcome(
                file=display, status=twin.status, register_no=twin.register_no, missing=twin.missing,
                outcome=twin.outcome, items=twin.items, due=twin.due, unchanged=True,
                status_code=twin.status_code, warnings=[f"same request as {twin.file}; processed once"]), checked)
        found = self._match(req, display, path, inbox, ask)
        if isinstance(found, Judged):
            found.checked = checked
            return found
        rec, note = found
        if rec is not None:  # with the registered details a later version keeps: check again
            checked = Checked(req, requirements.check(req, self.cfg, lookup=self.lookup))
            failures, held = _incomplete_again(rec, req, checked.failures)
            checked = Checked(req, failures)
            if held:
                return Judged(Verdict.REJECTED, display, rejected(display, RequestFileError(display, held)), checked)
        p = planner.plan(req, rec, checked.failures, cfg=self.cfg, today=self.today, lookup=self.lookup,
                         display=display)
        taken_back = matching.decision_fixed(rec, req, p.status)
        if taken_back:
            return Judged(Verdict.REJECTED, display, rejected(display, RequestFileError(display, taken_back)), checked)
        return Judged(Verdict.PLANNED, display, None, checked, rec, p, note)

    def _match(self, req: Request, display: str, path: Path, inbox: Inbox,
               ask: "matching.Ask") -> "Judged | tuple[Record | None, str | None]":
        """The registered request this changed file belongs to: refuse what is not the
        requester's to change (matching.refusal), leave a purged request closed, keep the
        number of a corrected `received`. What a supplement could not change is noted."""
        rec, how = matching.find(self.reg, req, self.file_index())
        if rec is not None and rec.purged_at:  # UU 27/2022: erased data is not read back in; the request stays closed
            result = self.unchanged(display, rec)
            if _new_dispute(rec, req):
                result.warnings.append(matching.purged_dispute(rec, req))
            return Judged(Verdict.CLOSED, display, result, rec=rec)
        refused = matching.refusal(self.reg, req, rec, how, display)
        if refused is None and rec is None:
            if self._asks[0] != self.reg.version:
                self._asks = (self.reg.version, matching.asks_index(self.reg))
            same = matching.duplicate(self.reg, req, self._asks[1], self.cfg.clock, self.today)
            if same is None and inbox.twins:
                same = matching.inbox_duplicate(ask, self.earlier(path, inbox, ask))
            refused = RequestFileError(display, [same]) if same else None
        if refused is not None:
            return Judged(Verdict.REJECTED, display, rejected(display, refused))
        if rec is None:
            return None, None
        notes = matching.keep_registered(rec, req, supplement=how == "register_no")
        if how == "file":
            req.register_no = rec.register_no  # the planner updates that request
            notes.insert(0, f"received changed from {rec.row.get('received_at')} to {req.received:%Y-%m-%d %H:%M}: "
                            f"the same file in the same inbox is the same request, so it keeps register number "
                            f"{rec.register_no}")
        return rec, "; ".join(notes) or None

    def file_index(self) -> dict[str, str]:
        """matching.file_index, rebuilt when the register changed, not once a file."""
        if self._files[0] != self.reg.version:
            self._files = (self.reg.version, matching.file_index(self.reg))
        return self._files[1]

    # --- the other new files of a folder (matching.inbox_duplicate) ---------------------------

    def _version(self, path: Path, inbox: Inbox) -> tuple | None:
        st = stat_once(path, inbox.stats)
        return None if st is None else (str(inbox.named), str(path), st.st_size, st.st_mtime_ns, st.st_ino, self.today)

    def remember(self, path: Path, inbox: Inbox, ask: "matching.Ask | None") -> None:
        """What this version of the file asks, so that the files after it need not load it again."""
        version = self._version(path, inbox)
        if version is not None:
            _ASKS[version] = ask
            _ASKS.move_to_end(version)
            while len(_ASKS) > _ASKS_MAX:
                _ASKS.popitem(last=False)

    def _ask(self, path: Path, inbox: Inbox) -> "matching.Ask | None":
        version = self._version(path, inbox)
        if version is None:
            return None
        if version not in _ASKS:
            try:  # the check `judge` makes first: a file it rejects asks nothing
                ask = matching.Ask.of(check_file(path, inbox, self.today, self.cfg, lookup=self.lookup,
                                                 known=self.reg.records.__contains__, display=printable(str(path))).req)
            except (RequestFileError, OSError):
                ask = None
            self.remember(path, inbox, ask)
        return _ASKS.get(version)

    def earlier(self, path: Path, inbox: Inbox, ask: "matching.Ask") -> Iterator[matching.Ask]:
        """The request files before this one in its folder (name order) that ask what `ask` asks,
        with its identity number or its name. The folder is read once an inbox and its files
        folded in as far as this name, each loaded once a version: a run or a listing, going
        in name order, finds them remembered."""
        folder = path.parent
        seen = inbox.listing.get(folder)
        if seen is None:
            seen = inbox.listing[folder] = _Folder(request_files_in(folder))
        while seen.done < len(seen.files) and seen.files[seen.done].name < path.name:
            other = self._ask(seen.files[seen.done], inbox)
            seen.done += 1
            if other is not None:
                for key in _keys(other):
                    seen.index.setdefault(key, []).append(other)
        files, day = self.file_index(), ask.received[:10]
        # in name order, read only as far as the first that matches (a thousand copies cost no square)
        merged = heapq.merge(*(seen.index.get(key, ()) for key in _keys(ask)), key=lambda other: other.name)
        return (other for other in merged
                if other.name < path.name and other.first_of(self.reg, files, self.cfg.clock, self.today, day))

    def twin_of_earlier(self, path: Path, inbox: Inbox, outcome: Outcome, ask: "matching.Ask") -> Outcome:
        """validate's workers leave the folder check to the parent (Inbox.twins): the same check
        on a file they found new (PLANNED, no registered request), with the outcome `judge` gives."""
        same = matching.inbox_duplicate(ask, self.earlier(path, inbox, ask))
        if same is None:
            return outcome
        o = rejected(outcome.file, RequestFileError(outcome.file, [same]))
        o.service, o.channel = ask.service, ask.channel
        return o

    def unchanged(self, display: str, rec: Record) -> Outcome:
        """A file the register holds as it is: its request's status and due date now."""
        due = self.cfg.clock.due(rec)
        decided = rec.decided or {}
        result = Outcome(file=display, status=rec.row.get("status", "registered"), register_no=rec.register_no,
                         missing=list(rec.missing), outcome=rec.row.get("outcome"), items=decided.get("items", []),
                         due=due.isoformat() if due else None, unchanged=True,
                         status_code=rec.row.get("status_code"))
        if rec.purged_at:
            result.warnings.append(f"{rec.register_no} was purged on {rec.purged_at}: its personal data is erased "
                                   "and the request is closed; this file is not read again")
        return result

    def outcome(self, j: Judged) -> Outcome:
        """The outcome of a judged file without numbering anything (validate, the desk's status)."""
        if j.outcome is not None:
            return j.outcome
        p, failures = j.plan, j.checked.failures
        result = Outcome(file=j.display, status=p.status,
                         register_no=j.rec.register_no if j.rec else None, missing=p.missing, outcome=p.outcome,
                         items=p.items, due=p.due.isoformat() if p.due else None, warnings=list(p.warnings),
                         details={f.code: f.detail for f in failures if f.code in p.missing},
                         owed=[lp.kind for lp in p.letters], service=j.checked.req.service,
                         channel=j.checked.req.channel)
        if j.note:
            result.warnings.append(j.note)
        return result
