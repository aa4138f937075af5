"""Deadlines the office must keep: the due list (`ppid due`) and one deadline explained (`ppid deadline`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.calendar import Day, WorkingCalendar
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.register import Register, clock_start, due_date, is_open


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

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def days_left(cal: WorkingCalendar, today: dt.date, due: dt.date) -> int:
    """Working days left until `due` (0 on the day itself, negative after)."""
    if due >= today:
        return cal.working_days(today, due)
    return -cal.working_days(due, today)


def due_list(reg: Register, cfg: Config, today: dt.date, *, within: int | None = None) -> list[DueItem]:
    """Open requests and objections: overdue first, then by due date."""
    out = []
    for rec in reg.records.values():
        if not is_open(rec):
            continue
        due = due_date(rec, cfg.calendar, cfg.deadlines)
        if due is None:
            continue
        left = days_left(cfg.calendar, today, due)
        if within is not None and left > within:
            continue
        out.append(DueItem(rec.register_no, rec.row.get("service", ""), rec.row.get("status", ""),
                           rec.row.get("received_at", ""), due, left, (rec.row.get("subject") or "")[:60]))
    return sorted(out, key=lambda d: (not d.overdue, d.due, d.register_no))


def explain_register_no(reg: Register, cfg: Config, register_no: str) -> tuple[dt.date, int, list[Day]]:
    """The clock of one request: its start, the number of working days, and every day counted or skipped."""
    rec = reg.records.get(register_no)
    if rec is None:
        raise UsageError(f"{register_no} is not in the register {reg.folder}; check the number (ppid due lists open ones)")
    start = clock_start(rec)
    if start is None:
        raise UsageError(f"{register_no} is incomplete: its clock starts when the missing requirements are supplied")
    if rec.row.get("service") == "objection":
        days = cfg.deadlines["objection_answer"]
    else:
        days = cfg.deadlines["notice"] + (rec.extended.get("days", 0) if rec.extended else 0)
    if rec.reopened_at:
        start = dt.date.fromisoformat(rec.reopened_at)
        days = cfg.deadlines["notice"]
    return start, days, cfg.calendar.explain(start, days)
