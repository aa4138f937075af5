"""The register: append-only events, numbers derived from the log, one series per counter,
and the book's deadline columns from the one clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from pipeline.deadlines import clock_start
from pipeline.book import book_row
from pipeline import events
from pipeline.register import EVENT_KEYS, Register, event_problem


def received(reg, counter, when, key, service="information", received_at=None):
    rno, seq = reg.next_number(counter, when)
    reg.append([{"type": "received", "register_no": rno, "key": key, "digest": f"d-{key}",
                 f"{counter}_seq": seq, f"{counter}_year": when.year,
                 "row": {"received_at": received_at or f"{when.isoformat()} 09:00", "service": service,
                         "status": "review"}}])
    return rno


def test_requests_and_objections_are_numbered_in_their_own_series(tmp_path):
    reg = Register(tmp_path, numbering={"register": "{seq:04d}/PPID/{year}", "objection": "{seq:04d}/KEB/PPID/{year}"})
    day = dt.date(2026, 11, 20)
    assert received(reg, "register", day, "a") == "0001/PPID/2026"
    assert received(reg, "objection", day, "b", service="objection") == "0001/KEB/PPID/2026"
    assert received(reg, "register", day, "c") == "0002/PPID/2026"
    assert received(reg, "register", dt.date(2027, 1, 4), "d") == "0001/PPID/2027"  # each year from 1
    again = Register(tmp_path, numbering=reg.numbering).load()
    assert again.next_number("objection", day) == ("0002/KEB/PPID/2026", 2)
    assert again.next_number("register", day) == ("0003/PPID/2026", 3)


def test_a_run_that_dies_before_appending_leaves_no_gap(tmp_path):
    reg = Register(tmp_path)
    received(reg, "register", dt.date(2026, 11, 20), "a")
    reg.next_number("register", dt.date(2026, 11, 20))  # reserved in memory, never appended
    assert Register(tmp_path).load().next_number("register", dt.date(2026, 11, 20))[0] == "0002/PPID/2026"


def test_events_are_appended_never_rewritten(tmp_path):
    reg = Register(tmp_path)
    rno = received(reg, "register", dt.date(2026, 11, 20), "a")
    first = (tmp_path / "events.jsonl").read_bytes()
    reg.append([{"type": "answered", "register_no": rno, "answered_at": "2026-11-27"}])
    data = (tmp_path / "events.jsonl").read_bytes()
    assert data.startswith(first) and json.loads(data.splitlines()[-1])["type"] == "answered"
    assert (tmp_path / "events.jsonl").stat().st_mode & 0o777 == 0o600  # personal data (UU 27/2022)


def test_the_book_row_takes_its_dates_from_the_clock(tmp_path, cfg):
    # Fri 20 Nov 2026: day 10 Fri 4 Dec; answered Tue 8 Dec without an extension: late.
    reg = Register(tmp_path)
    rno = received(reg, "register", dt.date(2026, 11, 20), "a", received_at="2026-11-20 09:15")
    reg.append([{"type": "answered", "register_no": rno, "answered_at": "2026-12-08"}])
    rec = reg.records[rno]
    assert clock_start(rec) == dt.date(2026, 11, 20)
    row = book_row(rec, cfg.clock)
    assert (row["day_one"], row["due_date"], row["working_days"], row["on_time"]) == (
        "2026-11-23", "2026-12-04", 12, False)
    # an extension of 7 (announced in time) moves it to day 17, Tue 15 Dec: now on time
    reg.append([{"type": "extended", "register_no": rno, "days": 7, "reason": "Arsip", "date": "2026-12-01",
                 "new_due": "2026-12-15"}])
    row = book_row(reg.records[rno], cfg.clock)
    assert (row["due_date"], row["extended"], row["on_time"]) == ("2026-12-15", True, True)


def test_a_year_of_true_is_no_year(tmp_path):
    """Found by the random-damage test: JSON true passed as a whole number (Python's bool is
    an int) and broke the book later; the line is refused when the log is read."""
    import json

    from pipeline.errors import RegisterError
    from pipeline.register import Register

    folder = tmp_path / "records"
    folder.mkdir()
    ev = {"type": "received", "register_no": "0001/PPID/2026", "key": "k", "digest": "d", "file": "a.yaml",
          "received_at": "2026-11-20 09:15", "row": {}, "personal": {}, "register_seq": 1, "register_year": True}
    (folder / "events.jsonl").write_text(json.dumps(ev) + "\n", encoding="utf-8")
    with pytest.raises(RegisterError, match="events.jsonl:1:"):
        Register(folder).load()


@pytest.mark.parametrize("kind", sorted(events.KINDS))
def test_what_the_register_checks_of_an_event_is_declared_with_the_event(kind):
    cls = events.KINDS[kind]
    assert set(cls.needs) <= {f.name for f in dataclasses.fields(cls)}, "needs names a field of the event"
    if cls.folded:
        assert EVENT_KEYS[kind] == ("register_no", *cls.needs)
        assert event_problem({"type": kind}) == f"a '{kind}' event without " + ", ".join(
            repr(k) for k in EVENT_KEYS[kind])
    else:
        assert kind not in EVENT_KEYS
