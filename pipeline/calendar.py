"""Working days: Monday-Friday less national holidays and cuti bersama, plus office overrides.

Spec section 6. Day 1 is the first working day after the request is complete; a
deadline of N working days is the date of day N. Every date is in Asia/Makassar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays


@dataclass(frozen=True)
class Day:
    """One calendar day on the way to a deadline, and why it counts or not."""

    date: dt.date
    count: int | None  # the working day number, or None when skipped
    reason: str  # "" for a working day; else the holiday and where it came from


class WorkingCalendar:
    """Indonesian working days as KPU Provinsi NTT keeps them."""

    def __init__(self, *, cuti_bersama_is_working_day: bool = False,
                 add: dict[dt.date, str] | None = None, remove: dict[dt.date, str] | None = None):
        self.cuti_bersama_is_working_day = cuti_bersama_is_working_day
        self.add = dict(add or {})
        self.remove = dict(remove or {})
        self._public = holidays.country_holidays("ID", categories=("public",), language="id")
        self._government = holidays.country_holidays("ID", categories=("government",), language="id")
        self.off_reason = lru_cache(maxsize=8192)(self._off_reason)

    def _off_reason(self, day: dt.date) -> str:
        """Why `day` is not a working day ("" when it is one)."""
        if day in self.remove:
            return ""  # the office declared it a working day
        if day in self.add:
            return f"{self.add[day]} (ketetapan kantor, config)"
        if day.weekday() >= 5:
            return "akhir pekan"
        name = self._public.get(day)
        if name:
            return f"{name} (libur nasional, paket holidays)"
        name = self._government.get(day)
        if name and not self.cuti_bersama_is_working_day:
            return f"{name} (cuti bersama, paket holidays)"
        return ""

    def is_working_day(self, day: dt.date) -> bool:
        return not self.off_reason(day)

    def day_one(self, start: dt.date) -> dt.date:
        """The first working day after `start` (the day the request became complete)."""
        return self.add_working_days(start, 1)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The date of working day `n`, counting day 1 as the first working day after `start`."""
        day, count = start, 0
        while count < n:
            day += dt.timedelta(days=1)
            if not self.off_reason(day):
                count += 1
        return day

    def working_days(self, start: dt.date, end: dt.date) -> int:
        """How many working days after `start` up to and including `end` (0 the same day)."""
        if end <= start:
            return 0
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if not self.off_reason(day):
                count += 1
        return count

    def explain(self, start: dt.date, n: int) -> list[Day]:
        """Every day from the day after `start` to working day `n`, counted or skipped."""
        out, day, count = [], start, 0
        while count < n:
            day += dt.timedelta(days=1)
            reason = self.off_reason(day)
            if reason:
                out.append(Day(day, None, reason))
            else:
                count += 1
                out.append(Day(day, count, ""))
        return out
