"""The register book's columns (spec section 8): the one definition of what each column holds.

`pipeline.book` is the only module that writes or reads the book; it derives the Parquet
(Arrow) types and the in-memory (pandas) dtypes from the kinds declared here.
"""

from __future__ import annotations

from typing import NamedTuple

# Every time and date in the book is in Asia/Makassar (WITA), UTC+08:00 all year (no DST).
# Parquet timestamps carry this offset; the CSV carries local wall-clock ISO text.
BOOK_TZ = "+08:00"

# Column kinds: text (free text or codes), enum (one of a few values: dictionary-encoded in
# Parquet, categorical in pandas), timestamp ('YYYY-MM-DD HH:MM' WITA), date ('YYYY-MM-DD'),
# int (a nullable count), bool (nullable).
KINDS = ("text", "enum", "timestamp", "date", "int", "bool")


class Column(NamedTuple):
    kind: str
    meaning: str


BOOK_COLUMNS: dict[str, Column] = {
    "register_no": Column("text", "register number, gapless within a year"),
    "received_at": Column("timestamp", "when the office received it, WITA (UTC+08:00)"),
    "completed_at": Column("timestamp", "when missing requirements were supplied, or empty"),
    "service": Column("enum", "information | consultation | objection | complaint"),
    "channel": Column("enum", "letter | whatsapp | email | eppid | walk_in"),
    "requester_kind": Column("enum", "individual | institution | ngo | mass_organization | political_party | public_body"),
    "requester_name": Column("text", "name of the requester (personal data: pseudonymised in exports)"),
    "subject": Column("text", "what was asked: items joined with ' | ', the topic, or the complaint text"),
    "purpose": Column("text", "purpose stated by the requester"),
    "status": Column("enum", "incomplete | review | answered | scheduled | registered | withdrawn"),
    "outcome": Column("enum", "granted | partially_granted | rejected | not_held | served | upheld | overturned | inadmissible, or empty"),
    "grounds": Column("text", "UU KIP Pasal 17 letters cited, joined with ';'"),
    "due_date": Column("date", "deadline of the written notice (empty while incomplete)"),
    "answered_at": Column("date", "date of the written notice / answer"),
    "working_days": Column("int", "working days from day 1 to the written notice (day 1 counts as 1)"),
    "on_time": Column("bool", "answered_at <= due_date"),
    "extended": Column("bool", "deadline extended under UU KIP Pasal 22 ayat 8"),
    "letter_no": Column("text", "number of the last letter issued for the request"),
    # Beyond the spec's minimum, for statistics and the objection book.
    "year": Column("int", "year of received_at (register numbers restart every year)"),
    "day_one": Column("date", "first working day of the clock"),
    "items": Column("int", "number of requested items (information)"),
    "requester_organization": Column("text", "organization, when not an individual (pseudonymised in exports)"),
    "form": Column("enum", "softcopy | hardcopy | view"),
    "delivery": Column("enum", "pickup | email | whatsapp | post"),
    "missing": Column("text", "requirement codes that failed, joined with ';'"),
    "was_incomplete": Column("bool", "the request was incomplete at some point"),
    "objection_to": Column("text", "objection: register number of the original request"),
    "objection_grounds": Column("text", "objection: UU KIP Pasal 35 ayat 1 letters, joined with ';'"),
    "objection_result": Column("enum", "objection: upheld | overturned, or empty"),
    "dispute_filed": Column("date", "objection: date the dispute was filed at the Komisi Informasi, or empty"),
    "dispute_case_no": Column("text", "objection: the Komisi Informasi's case number, or empty"),
    "dispute_result": Column("enum", "objection: mediated | granted | partially_granted | rejected | withdrawn | dismissed, or empty"),
    "dispute_decided": Column("date", "objection: date of the Komisi Informasi's ruling or mediation agreement"),
    "withdrawn_at": Column("date", "date the requester withdrew, or empty"),
    "source_file": Column("text", "request file, relative to its inbox"),
    "notice_sent_on": Column("date", "the day the written notice was sent (relay accepted, posted, handed over)"),
    "notice_received_on": Column("date", "the day the requester was shown to have received the written notice"),
    "notice_receipt_days": Column("int", "working days from the written notice's date to its receipt"),
    "status_code": Column("text", "key of the public status page, printed on the receipt or notice (never exported)"),
}

# Never in statistics, reports or analysts' exports (UU 27/2022). The book itself holds
# none of them; the event log keeps them for the letters until `ppid purge`.
PERSONAL_FIELDS = ("identity_number", "phone", "email", "address")
