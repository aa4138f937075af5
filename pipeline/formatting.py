"""Indonesian ways of writing dates, times, durations and labels in letters and reports."""

from __future__ import annotations

import datetime as dt

from num2words import num2words

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def date_id(day: dt.date | None) -> str:
    """27 November 2026."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def datetime_id(moment: dt.datetime | None) -> str:
    """20 November 2026 pukul 09.15 WITA."""
    if moment is None:
        return ""
    return f"{date_id(moment.date())} pukul {moment:%H.%M} WITA"


def number_words(n: int) -> str:
    """10 (sepuluh)."""
    return f"{n} ({num2words(n, lang='id')})"


def working_days_id(n: int) -> str:
    """10 (sepuluh) hari kerja."""
    return f"{number_words(n)} hari kerja"
