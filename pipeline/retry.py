"""Letters owed: numbered and logged, but their PDF failed (LibreOffice crashed or timed
out, the disk filled). Such a letter is not issued: `ppid run` retries it on every run
until its PDF exists (from the DOCX it wrote), `ppid due` lists it, and the run's summary
does not count it (issue 12 item 2). A retried PDF is recorded by a `letter_pdf` event (events.LetterPdf).
"""

from __future__ import annotations

from typing import Any

from pipeline.register import Record, Register


def owed(rec: Record) -> list[dict[str, Any]]:
    """The letter events of one request whose PDF failed and was not made since."""
    return [e for e in rec.letters if e.get("error") and not e.get("pdf")]


def owed_in(reg: Register) -> list[dict[str, Any]]:
    """Every letter owed in the register, in letter-number order of the log."""
    return [e for rec in reg.records.values() for e in owed(rec)]

