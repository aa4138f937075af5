"""Strict input (issue 18 item 11): dates are ISO 8601 as spec section 3 says; text that
shows one thing in a letter and holds another (bidi controls) is refused."""

from __future__ import annotations

import pytest

from helpers import TODAY, base_request, write_request
from pipeline.errors import RequestFileError
from pipeline.loading import load_request

HEAD = "service: information\nchannel: letter\nreceived: 2026-11-20 09:15\n"

REFUSED_DATES = [
    # (file text, field path, line, words in the message)
    ("service: information\nchannel: letter\nreceived: 20261125\n", "received", 3, "without hyphens"),
    ("service: information\nchannel: letter\nreceived: 20261125T0915\n", "received", 3, "without hyphens"),
    ("service: information\nchannel: letter\nreceived: 2026-W48-3\n", "received", 3, "week date"),
    ("service: information\nchannel: letter\nreceived: 2026W483\n", "received", 3, "week date"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 9.15\n", "received", 3, "2026-11-20 09:15"),
    ("service: information\nchannel: letter\nreceived: 2026-1-5 09:15\n", "received", 3, "2026-11-20 09:15"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15:00.123\n", "received", 3, "2026-11-20 09:15"),
    (HEAD + "completed: 20261125\n", "completed", 4, "without hyphens"),
    ("service: objection\nchannel: letter\nreceived: 2026-11-20 09:15\nnotice_received: 20261125\n",
     "notice_received", 4, "without hyphens"),
    ("service: objection\nchannel: letter\nreceived: 2026-11-20 09:15\nnotice_received: 2026-W48-3\n",
     "notice_received", 4, "week date"),
    (HEAD + "information: [a]\ndecision:\n  date: 2026-W48-3\n", "decision.date", 6, "week date"),
    (HEAD + "withdrawn: 20261201\n", "withdrawn", 4, "without hyphens"),
]


@pytest.mark.parametrize("text,path,line,words", REFUSED_DATES)
def test_dates_that_are_not_iso_8601_are_refused_naming_file_field_and_line(inbox, text, path, line, words):
    with pytest.raises(RequestFileError) as info:
        load_request(write_request(inbox, "bad.yaml", text), inbox, TODAY)
    message = str(info.value)
    assert f"bad.yaml:{line}:" in message and f"field '{path}'" in message, message
    assert words in message, message


@pytest.mark.parametrize("received, iso", [
    ("2026-11-20", "2026-11-20T00:00:00+08:00"),
    ("2026-11-20 09:15", "2026-11-20T09:15:00+08:00"),
    ("2026-11-20T09:15", "2026-11-20T09:15:00+08:00"),
    ("2026-11-20T09:15:30", "2026-11-20T09:15:30+08:00"),
    ("2026-11-20 09:15:30+08:00", "2026-11-20T09:15:30+08:00"),
    ("2026-11-20T01:15Z", "2026-11-20T09:15:00+08:00"),
    ("2026-11-20T09:15+0800", "2026-11-20T09:15:00+08:00"),
    ("2026-11-20 02:15 +01:00", "2026-11-20T09:15:00+08:00"),
])
def test_iso_8601_dates_and_times_are_taken(inbox, received, iso):
    req = load_request(write_request(inbox, "r.yaml", base_request(received=received)), inbox, TODAY)
    assert req.received.isoformat() == iso


BIDI = ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f",
        "\u061c"]


@pytest.mark.parametrize("mark", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_a_name_with_a_bidi_control_is_refused(inbox, mark):
    data = base_request()
    data["requester"]["name"] = f"{mark}airaM Goreti Bria"
    with pytest.raises(RequestFileError) as info:
        load_request(write_request(inbox, "bad.yaml", data), inbox, TODAY)
    message = str(info.value)
    assert "field 'requester.name'" in message and f"U+{ord(mark):04X}" in message, message
    assert "retype the text" in message


@pytest.mark.parametrize("field", ["purpose", "addressed_to", "source"])
def test_other_text_shown_in_letters_with_a_bidi_control_is_refused(inbox, field):
    data = base_request(**{field: "Penelitian \u202eilimep"})
    with pytest.raises(RequestFileError, match=f"field '{field}'.*U\\+202E"):
        load_request(write_request(inbox, "bad.yaml", data), inbox, TODAY)
    items = base_request(information=["Salinan SK \u2067KPU\u2069"])
    with pytest.raises(RequestFileError, match=r"field 'information\[1\]'.*U\+2067"):
        load_request(write_request(inbox, "bad2.yaml", items), inbox, TODAY)


def test_right_to_left_letters_themselves_are_text(inbox):
    """Arabic or Hebrew letters are no control: a name written in them loads."""
    data = base_request()
    data["requester"]["name"] = "مريم Bria"
    assert load_request(write_request(inbox, "r.yaml", data), inbox, TODAY).requester.name == "مريم Bria"
