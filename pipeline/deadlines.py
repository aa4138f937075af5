"""The one clock (spec section 6): every deadline the office keeps is counted here.

Day 1 is the first working day after the request is complete (`completed`, else
`received`); a deadline of N working days is the date of day N (pipeline.calendar
counts the days). Which N applies depends on the regime the clock started in: the
ordinary one of UU 14/2008, or, during an election stage listed in config/office.yaml,
the shorter one of Perki 1/2019. Nothing else in the code adds working days for a
deadline (tests/test_deadlines.py holds this).

Other modules ask:
- `Clock.regime(start)` / `numbers(cfg, start)`: the numbers of days (for the report's
  sentences and the statistics' day bands: `numbers(cfg)` is the ordinary regime);
- `Clock.notice_due`, `extended_due`, `extension_limit`, `objection_window_end`,
  `objection_answer_due`, `due(record)`: the dates;
- `Clock.explain(record)`: one deadline day by day, for `ppid deadline` (Office.explain).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pipeline.calendar import Day, WorkingCalendar
from pipeline.errors import UsageError
from pipeline.formatting import working_days_id
from pipeline.wording import ELECTION_BASIS, ELECTION_REGIME_SENTENCE

if TYPE_CHECKING:  # no import cycle: register.py imports this module
    from pipeline.config import Config
    from pipeline.register import Record, Register

# The ordinary regime, working days. Sources beside each number; config/office.yaml may change them.
DEFAULTS = {
    "notice": 10,  # UU 14/2008 Pasal 22 ayat 7; Keputusan KPU Provinsi NTT 129/2022, "Jangka Waktu Pelayanan"
    "extension": 7,  # UU 14/2008 Pasal 22 ayat 8
    "objection_window": 30,  # UU 14/2008 Pasal 36 ayat 1
    "objection_answer": 30,  # UU 14/2008 Pasal 36 ayat 2
    "commission": 14,  # UU 14/2008 Pasal 37 ayat 2
}
# The revocation an overturned objection response orders of the PPID's refusal decree, working
# days from the response. Two legal reads recall UU 30/2014 Pasal 64 ayat (4) (5 working days for
# a revocation by the issuer); only its twin for annulment, Pasal 66 ayat (4), was read here
# (id.wikisource.org/wiki/Halaman:UU_30_2014.pdf/51), so no letter cites an ayat for it (README
# "Before real use"). Not shortened in an election stage: it is no UU KIP period.
REVOCATION_DAYS = 5
# During an election stage (spec section 6, as published summaries of Perki 1/2019 give it).
ELECTION_DEFAULTS = {"notice": 3, "extension": 2, "objection_answer": 3}


@dataclass(frozen=True)
class Period:
    """An election stage (tahapan) during which the shorter deadlines apply."""

    name: str
    start: dt.date  # `from:` in config
    end: dt.date  # `to:` in config, inclusive


@dataclass(frozen=True)
class Regime:
    """The deadlines a request follows, chosen by the day its clock started."""

    election: bool
    name: str  # the election stage's name, "" for the ordinary regime
    notice: int
    extension: int
    objection_window: int
    objection_answer: int
    commission: int

    @property
    def basis(self) -> str:
        """The sentence a letter says about the regime ("" for the ordinary one)."""
        return ELECTION_REGIME_SENTENCE.format(name=self.name) if self.election else ""

    @property
    def label(self) -> str:
        """The regime in one line, for `ppid deadline` (English)."""
        if not self.election:
            return "ordinary regime (UU 14/2008)"
        return f"election-stage regime '{self.name}' ({ELECTION_BASIS})"

    def numbers(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in DEFAULTS}

    def context(self) -> dict[str, Any]:
        """`regime` of every letter's context (templates/README.md)."""
        return {"election": self.election, "name": self.name, "basis": self.basis}

    def words(self) -> dict[str, str]:
        """`deadlines` of every letter's context: each number in words, '10 (sepuluh) hari kerja'."""
        return {k: working_days_id(v) for k, v in self.numbers().items()}


@dataclass
class Clock:
    """The office's calendar and deadline numbers; every deadline date comes from here."""

    calendar: WorkingCalendar
    ordinary: dict[str, int] = field(default_factory=lambda: dict(DEFAULTS))
    election: dict[str, int] = field(default_factory=lambda: dict(ELECTION_DEFAULTS))
    periods: list[Period] = field(default_factory=list)
    _memo: dict = field(default_factory=dict, repr=False)  # (start, n) -> date; a batch asks the same dates often

    def _add(self, start: dt.date, n: int) -> dt.date:
        """Working day `n` after `start` (calendar.py counts)."""
        key = (start, n)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self.calendar.add_working_days(start, n)
        return found

    # --- regimes ----------------------------------------------------------------------

    def period(self, start: dt.date | None) -> Period | None:
        if start is None:
            return None
        for p in self.periods:
            if p.start <= start <= p.end:
                return p
        return None

    def regime(self, start: dt.date | None = None) -> Regime:
        """The regime of a clock that starts on `start` (the ordinary one when None)."""
        found = self._memo.get(start)
        if found is None:
            found = self._memo[start] = self._regime(start)
        return found

    def _regime(self, start: dt.date | None) -> Regime:
        p = self.period(start)
        numbers = dict(self.ordinary)
        if p is not None:
            numbers.update(self.election)
        return Regime(election=p is not None, name=p.name if p else "", **numbers)

    # --- dates --------------------------------------------------------------------------

    def day_one(self, start: dt.date) -> dt.date:
        return self.calendar.day_one(start)

    def notice_due(self, start: dt.date) -> dt.date:
        """The written notice's deadline: day `notice` (UU KIP Pasal 22 ayat 7)."""
        return self._add(start, self.regime(start).notice)

    extension_limit = notice_due  # an extension is announced on or before that day (Pasal 22 ayat 8)

    def revocation_due(self, response: dt.date) -> dt.date:
        """The last day for revoking a refusal decree an overturned response orders revoked."""
        return self._add(response, REVOCATION_DAYS)

    def extended_due(self, start: dt.date, days: int) -> dt.date:
        """The deadline after an extension of `days` working days."""
        return self._add(start, self.regime(start).notice + days)

    def objection_window_end(self, counted_from: dt.date) -> dt.date:
        """The last day to file an objection (UU KIP Pasal 35-36)."""
        return self._add(counted_from, self.regime(counted_from).objection_window)

    def dispute_window_end(self, counted_from: dt.date) -> dt.date:
        """The last day to take an objection's response to the Komisi Informasi: 14 working
        days from its receipt (UU KIP Pasal 37 ayat 2)."""
        return self._add(counted_from, self.regime(counted_from).commission)

    def objection_answer_due(self, start: dt.date) -> dt.date:
        """The Atasan PPID's answer to an objection (UU KIP Pasal 36 ayat 2)."""
        return self._add(start, self.regime(start).objection_answer)

    def due_of(self, *, service: str | None, start: dt.date | None, extended_days: int = 0,
               reopened: dt.date | None = None, withdrawn: bool = False) -> dt.date | None:
        """The deadline of a request in a given state (None: no clock runs)."""
        if start is None or service == "complaint" or withdrawn:
            return None
        if reopened:  # a new written notice after an overturned refusal
            return self.notice_due(reopened)
        if service == "objection":
            return self.objection_answer_due(start)
        if extended_days:
            return self.extended_due(start, extended_days)
        return self.notice_due(start)

    def due(self, rec: "Record") -> dt.date | None:
        """The deadline of a record, derived from its events (received/completed, extended, reopened)."""
        return self.due_of(service=rec.row.get("service"), start=clock_start(rec),
                           extended_days=(rec.extended or {}).get("days", 0) if rec.extended else 0,
                           reopened=dt.date.fromisoformat(rec.reopened_at) if rec.reopened_at else None,
                           withdrawn=bool(rec.withdrawn_at))

    def working_days(self, start: dt.date, end: dt.date) -> int:
        return self.calendar.working_days(start, end)

    def days_left(self, today: dt.date, due: dt.date) -> int:
        """Working days left until `due` (0 on the day itself, negative after)."""
        if due >= today:
            return self.calendar.working_days(today, due)
        return -self.calendar.working_days(due, today)

    # --- explaining ---------------------------------------------------------------------

    def explain_from(self, start: dt.date, days: int | None = None) -> "Explanation":
        regime = self.regime(start)
        n = days or regime.notice
        return Explanation(start, n, regime, "written notice" if days is None else "",
                           self.calendar.explain(start, n))

    def explain(self, rec: "Record") -> "Explanation":
        """The clock of one request: its start, the working days, every day counted or skipped."""
        start = clock_start(rec)
        if start is None:
            raise UsageError(f"{rec.register_no} is incomplete: its clock starts when the missing requirements are supplied")
        if rec.reopened_at:
            start = dt.date.fromisoformat(rec.reopened_at)
            regime = self.regime(start)
            days, what = regime.notice, "new written notice after the objection"
        elif rec.row.get("service") == "objection":
            regime = self.regime(start)
            days, what = regime.objection_answer, "answer to the objection (UU KIP Pasal 36 ayat 2)"
        else:
            regime = self.regime(start)
            ext = (rec.extended or {}).get("days", 0) if rec.extended else 0
            days = regime.notice + ext
            what = "written notice" + (f", extended by {ext}" if ext else "")
        return Explanation(start, days, regime, what, self.calendar.explain(start, days))


@dataclass(frozen=True)
class Explanation:
    """One deadline counted day by day."""

    start: dt.date
    days: int
    regime: Regime
    what: str
    steps: list[Day]

    @property
    def due(self) -> dt.date:
        return self.steps[-1].date


def clock_start(rec: "Record") -> dt.date | None:
    """The day the request became complete (spec section 6), or None while incomplete."""
    if rec.missing:
        return None
    started = rec.completed_at or rec.row.get("received_at")
    return dt.date.fromisoformat(started[:10]) if started else None


def numbers(cfg: "Config", start: dt.date | None = None) -> dict[str, int]:
    """The deadline numbers (working days) for a clock starting on `start`; the ordinary
    regime when None. The report's sentences and the statistics' day bands read these."""
    return cfg.clock.regime(start).numbers()


# --- the due list (`ppid due`) -------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    """An open request or objection and how much time it has left."""

    register_no: str
    service: str
    status: str
    received_at: str
    due: dt.date
    days_left: int  # working days from today to the due date; negative when overdue
    subject: str
    regime: str = ""  # the election stage's name, "" for the ordinary regime
    proposed: str = ""  # items a rule only proposes to close, e.g. "2: exempt (DIK-03)"

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def is_open(rec: "Record") -> bool:
    """Waiting for the office: complete, not answered (or reopened), not withdrawn."""
    if rec.withdrawn_at or rec.missing or rec.row.get("service") == "complaint":
        return False
    if rec.reopened_at:
        notice = rec.last_letter("decision_notice")
        return not notice or notice["date"] < rec.reopened_at
    return rec.answered_at is None


def due_list(reg: "Register", cfg: "Config", today: dt.date, *, within: int | None = None) -> list[DueItem]:
    """Open requests and objections: overdue first, then by due date."""
    clock, out = cfg.clock, []
    for rec in reg.records.values():
        if not is_open(rec):
            continue
        due = clock.due(rec)
        if due is None:
            continue
        left = clock.days_left(today, due)
        if within is not None and left > within:
            continue
        out.append(DueItem(rec.register_no, rec.row.get("service", ""), rec.row.get("status", ""),
                           rec.row.get("received_at", ""), due, left, (rec.row.get("subject") or "")[:60],
                           clock.regime(clock_start(rec)).name, rec.row.get("proposed") or ""))
    return sorted(out, key=lambda d: (not d.overdue, d.due, d.register_no))

