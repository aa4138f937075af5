"""The register book's columns (spec section 8), shared by register, stats, export and report."""

from __future__ import annotations

# name -> (pandas dtype, meaning). Dates are ISO strings in Asia/Makassar (WITA);
# the book is rebuilt from the event log after every run.
BOOK_COLUMNS: dict[str, tuple[str, str]] = {
    "register_no": ("string", "register number, gapless within a year"),
    "received_at": ("string", "when the office received it, 'YYYY-MM-DD HH:MM' WITA"),
    "completed_at": ("string", "when missing requirements were supplied, or empty"),
    "service": ("string", "information | consultation | objection | complaint"),
    "channel": ("string", "letter | whatsapp | email | eppid | walk_in"),
    "requester_kind": ("string", "individual | institution | ngo | mass_organization | political_party | public_body"),
    "requester_name": ("string", "name of the requester (personal data: pseudonymised in exports)"),
    "subject": ("string", "what was asked: items joined with ' | ', the topic, or the complaint text"),
    "purpose": ("string", "purpose stated by the requester"),
    "status": ("string", "incomplete | review | answered | scheduled | registered | withdrawn"),
    "outcome": ("string", "granted | partially_granted | rejected | not_held | served | upheld | overturned, or empty"),
    "grounds": ("string", "UU KIP Pasal 17 letters cited, joined with ';'"),
    "due_date": ("string", "deadline of the written notice, 'YYYY-MM-DD' (empty while incomplete)"),
    "answered_at": ("string", "date of the written notice / answer, 'YYYY-MM-DD'"),
    "working_days": ("Int64", "working days from day 1 to the written notice (day 1 counts as 1)"),
    "on_time": ("boolean", "answered_at <= due_date"),
    "extended": ("boolean", "deadline extended under UU KIP Pasal 22 ayat 8"),
    "letter_no": ("string", "number of the last letter issued for the request"),
    # Beyond the spec's minimum, for statistics and the objection book.
    "year": ("Int64", "year of received_at (register numbers restart every year)"),
    "day_one": ("string", "first working day of the clock, 'YYYY-MM-DD'"),
    "items": ("Int64", "number of requested items (information)"),
    "requester_organization": ("string", "organization, when not an individual"),
    "form": ("string", "softcopy | hardcopy | view"),
    "delivery": ("string", "pickup | email | whatsapp | post"),
    "missing": ("string", "requirement codes that failed, joined with ';'"),
    "was_incomplete": ("boolean", "the request was incomplete at some point"),
    "objection_to": ("string", "objection: register number of the original request"),
    "objection_grounds": ("string", "objection: UU KIP Pasal 35 ayat 1 letters, joined with ';'"),
    "objection_result": ("string", "objection: upheld | overturned, or empty"),
    "dispute_filed": ("string", "objection: date the dispute was filed at the Komisi Informasi, or empty"),
    "dispute_case_no": ("string", "objection: the Komisi Informasi's case number, or empty"),
    "dispute_result": ("string", "objection: mediated | granted | partially_granted | rejected | withdrawn | dismissed, or empty"),
    "dispute_decided": ("string", "objection: date of the Komisi Informasi's ruling or mediation agreement"),
    "withdrawn_at": ("string", "date the requester withdrew, or empty"),
    "source_file": ("string", "request file, relative to its inbox"),
}

# Never in statistics, reports or analysts' exports (UU 27/2022). The book itself holds
# none of them; the event log keeps them for the letters until `ppid purge`.
PERSONAL_FIELDS = ("identity_number", "phone", "email", "address")
