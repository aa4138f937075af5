"""Compliance statistics on a small register whose figures were worked out by hand.

The fixture `tests/fixtures/records_small/register.csv` holds 16 requests received in 2026
and 3 in 2025 (plus phone, e-mail, identity number and address columns that must never
come out). Row by row (wd = working days to the notice):

 0001 info letter  indiv.  rec 01-05 ans 01-09 wd 4  on time  granted
 0002 info email   ngo     rec 01-20 ans 01-20 wd 0  on time  granted
 0003 info eppid   indiv.  rec 02-02 ans 02-20 wd 14 on time  rejected (h), extended
 0004 info whatsap inst.   rec 02-10 ans 03-06 wd 18 LATE     partially (h;i), extended
 0005 info letter  party   rec 03-02 ans 03-20 wd 12 LATE     not_held (due 03-16)
 0006 info walk_in indiv.  rec 03-10 ans 03-17 wd 5  on time  granted
 0007 info letter  indiv.  rec 04-01 completed 04-06 ans 04-15 wd 7 on time granted
                           (was incomplete: identity_copy;source)
 0008 info email   indiv.  rec 05-04 still incomplete (identity_copy)
 0009 info email   ormas   rec 11-16 due 11-30, no answer            -> overdue
 0010 info letter  indiv.  rec 12-21 due 2027-01-07 ans 2027-01-06 wd 8 on time granted
 0011 consult walk_in      rec 06-03 ans 06-03 wd 0  served
 0012 consult letter inst. rec 07-01 ans 07-08 wd 5  served
 0013 objection letter     rec 03-16 ans 04-20 wd 25 on time (30), grounds a;e, upheld
 0014 complaint whatsapp   rec 08-12 responded 08-14
 0015 info letter  indiv.  rec 09-01 withdrawn 09-03
 0016 complaint email      rec 10-05 not responded
 0040/2025 info letter     rec 2025-11-03 ans 2025-11-10 wd 5 on time granted
 0041/2025 info email ngo  rec 2025-12-15 ans 2026-01-12 wd 16 on time, extended
 0042/2025 info letter     rec 2025-12-01 due 2025-12-15, never answered -> overdue
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import stats
from pipeline.book import has_dtype, read_book, write_frame
from pipeline.config import load_config
from pipeline.errors import RegisterError, UsageError
from pipeline.schema import BOOK_COLUMNS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
AS_OF = dt.date(2027, 1, 15)
PII = ["5371012345670001", "5371020101800002", "081234567890", "085239001122", "081333444555",
       "maria@example.org", "yohanes@lsm.example.org", "kornelis@example.net", "El Tari",
       "Maria Goreti Bria", "Yohanes Seran", "Kornelis Bani"]


@pytest.fixture(scope="module")
def book() -> pd.DataFrame:
    return read_book(FIXTURES / "records_small")


@pytest.fixture(scope="module")
def year(book) -> dict:
    return stats.compute_year(book, 2026, AS_OF)


# --- loading ------------------------------------------------------------------------------


def test_the_book_is_read_typed_through_pipeline_book(book):
    assert len(book) == 19
    for name, column in BOOK_COLUMNS.items():
        assert has_dtype(book[name], column.kind), name
    assert book["working_days"].iloc[0] == 4
    assert not book["on_time"].iloc[3] and book["extended"].iloc[3]


def test_missing_register_gives_an_empty_book_with_the_columns(tmp_path):
    empty = read_book(tmp_path)
    assert list(empty.columns) == list(BOOK_COLUMNS) and len(empty) == 0
    result = stats.compute_year(empty, 2026, AS_OF)
    assert result["requests"]["received"] == 0
    assert result["timeliness"]["on_time_pct"] is None
    assert result["timeliness"]["working_days"]["median"] is None
    assert result["backlog"]["oldest"] == []
    for fmt in stats.FORMATS:
        stats.render(result, fmt)


def test_a_date_that_is_not_one_is_a_register_error(tmp_path):
    text = (FIXTURES / "records_small" / "register.csv").read_text(encoding="utf-8")
    (tmp_path / "register.csv").write_text(text.replace("2026-03-06", "06/03/2026", 1),
                                           encoding="utf-8")
    with pytest.raises(RegisterError, match=r"register.csv: line 5, column answered_at: "
                                            r"'06/03/2026' is not a date"):
        read_book(tmp_path)


def test_parquet_and_csv_give_the_same_figures(book, tmp_path, year):
    write_frame(tmp_path, book)
    from_parquet = read_book(tmp_path)
    assert stats.compute_year(from_parquet, 2026, AS_OF) == year
    # Only the columns the statistics read: the same figures.
    slim = read_book(tmp_path, columns=stats.STATS_COLUMNS)
    assert list(slim.columns) == stats.STATS_COLUMNS
    assert stats.compute_year(slim, 2026, AS_OF) == year
    (tmp_path / "register.parquet").unlink()
    assert stats.compute_year(read_book(tmp_path), 2026, AS_OF) == year


def test_a_book_of_text_gives_the_same_figures(book, year):
    """An older book (every column text, as before the book was typed) is read the same."""
    as_text = book.astype("string")
    assert stats.compute_year(as_text, 2026, AS_OF) == year


# --- the year 2026 as of 15 January 2027 ----------------------------------------------------


def test_requests_received_decided_pending(year):
    req = year["requests"]
    # 16 received in 2026: withdrawn 0015; incomplete 0008; pending 0009 and complaint 0016;
    # the other 12 decided (0010's notice of 2027-01-06 is before as_of).
    assert (req["received"], req["decided"], req["pending"], req["incomplete"],
            req["withdrawn"]) == (16, 12, 2, 1, 1)
    assert req["by_service"] == {"information": 11, "consultation": 2, "objection": 1, "complaint": 2}
    assert req["by_channel"] == {"letter": 7, "whatsapp": 2, "email": 4, "eppid": 1, "walk_in": 2}
    assert req["by_requester_kind"] == {"individual": 10, "institution": 3, "ngo": 1,
                                        "mass_organization": 1, "political_party": 1,
                                        "public_body": 0}
    assert req["by_outcome"] == {"granted": 5, "partially_granted": 1, "rejected": 1,
                                 "not_held": 1, "served": 2, "upheld": 1, "overturned": 0,
                                 "granted_on_review": 0}


def test_a_refusal_overturned_is_not_counted_granted_at_once_and_keeps_its_ground(book):
    """Issue 17 item 10: granted after its refusal fell (the row still cites the ground)."""
    changed = book.copy()
    at = changed.index[(changed["outcome"] == "granted") & (changed["service"] == "information")][0]
    changed.loc[at, "grounds"] = "j"
    result = stats.compute_year(changed, 2026, AS_OF)
    assert result["requests"]["by_outcome"]["granted"] == 4
    assert result["requests"]["by_outcome"]["granted_on_review"] == 1
    assert result["grounds"]["j"] == stats.compute_year(book, 2026, AS_OF)["grounds"]["j"] + 1


def test_working_days_on_time_and_bands(year):
    t = year["timeliness"]
    # Decided information requests: wd 4, 0, 14, 18, 12, 5, 7, 8
    # sorted 0 4 5 7 | 8 12 14 18 -> median (7 + 8) / 2 = 7.5; mean 68 / 8 = 8.5
    assert t["decided"] == 8
    assert t["working_days"] == {"count": 8, "median": 7.5, "mean": 8.5, "min": 0, "max": 18}
    # Late: 0004 (18 > 17 extended) and 0005 (12 > 10): 6 of 8 on time = 75 %.
    assert (t["on_time"], t["late"], t["on_time_pct"], t["extended"]) == (6, 2, 75.0, 2)
    # same day: 0002 | 1-5: 0001, 0006 | 6-10: 0007, 0010 | 11-17: 0005, 0003 | >17: 0004
    assert t["bands"] == {"same_day": 1, "1_5": 2, "6_10": 2, "11_17": 2, "over_17": 1}
    assert t["limits"] == {"notice": 10, "extended": 17}
    assert sum(t["histogram"].values()) == 8 and t["histogram"]["18"] == 1
    assert list(t["histogram"]) == [str(d) for d in range(19)]


CONFIG = Path(__file__).resolve().parent.parent / "config"


def _config_with(tmp_path, **deadlines):
    """The shipped config with other deadlines in office.yaml (issue 10: one clock)."""
    import shutil

    import yaml

    folder = tmp_path / "config"
    shutil.copytree(CONFIG, folder)
    office = yaml.safe_load((folder / "office.yaml").read_text(encoding="utf-8"))
    office["deadlines"].update(deadlines)
    (folder / "office.yaml").write_text(yaml.safe_dump(office, allow_unicode=True), encoding="utf-8")
    return load_config(folder)


def test_bands_follow_the_configured_notice_and_extension(tmp_path, book):
    cfg = _config_with(tmp_path, notice=12, extension=5)
    t = stats.compute_year(book, 2026, AS_OF, deadlines=cfg.deadlines)["timeliness"]
    # wd 0 | 4, 5 | 7, 8, 12 | 14 | 18: cut at half the notice (6), 12 and 12 + 5 = 17.
    assert t["bands"] == {"same_day": 1, "1_6": 2, "7_12": 3, "13_17": 1, "over_17": 1}
    assert t["limits"] == {"notice": 12, "extended": 17}
    cfg = _config_with(tmp_path / "b", notice=3, extension=2)
    t = stats.compute_year(book, 2026, AS_OF, deadlines=cfg.deadlines)["timeliness"]
    assert t["bands"] == {"same_day": 1, "1_1": 0, "2_3": 0, "4_5": 2, "over_5": 5}
    # Deadlines past the histogram's width widen it.
    cfg = _config_with(tmp_path / "c", notice=25, extension=10)
    t = stats.compute_year(book, 2026, AS_OF, deadlines=cfg.deadlines)["timeliness"]
    assert t["bands"]["over_35"] == 0 and t["limits"]["extended"] == 35


def test_ppid_stats_bands_follow_office_yaml(tmp_path, book):
    from click.testing import CliRunner

    from pipeline.cli import main

    _config_with(tmp_path, notice=12, extension=5)
    records = tmp_path / "records"
    records.mkdir()
    write_frame(records, book)
    res = CliRunner().invoke(main, ["stats", "--year", "2026", "--format", "json",
                                    "--config", str(tmp_path / "config"),
                                    "--records", str(records), "--date", "2027-01-15"])
    assert res.exit_code == 0, res.output
    bands = json.loads(res.output)["timeliness"]["bands"]
    assert bands == {"same_day": 1, "1_6": 2, "7_12": 3, "13_17": 1, "over_17": 1}


def test_pasal_17_grounds_cited(year):
    # 0003 cites h, 0004 cites h and i.
    assert year["grounds"] == dict.fromkeys("abcdefghij", 0) | {"h": 2, "i": 1}


def test_backlog_at_the_end_of_the_year(year):
    back = year["backlog"]
    # Open on 2026-12-31: 0042/2025 (due 2025-12-15, overdue), 0009 (due 11-30, overdue),
    # 0010 (due 2027-01-07; answered only in 2027). Complaint 0016 has no deadline.
    assert back["date"] == "2026-12-31"
    assert (back["pending"], back["overdue"]) == (3, 2)
    assert [o["register_no"] for o in back["oldest"]] == [
        "0042/PPID/2025", "0009/PPID/2026", "0010/PPID/2026"]
    first = back["oldest"][0]
    # 2025-12-01 -> 2026-12-31: 30 days of December + 365 = 395 days.
    assert first == {"register_no": "0042/PPID/2025", "service": "information",
                     "received": "2025-12-01", "due_date": "2025-12-15", "overdue": True,
                     "age_days": 395}
    assert back["oldest"][2]["overdue"] is False


def test_backlog_on_a_given_date(book):
    result = stats.compute(book, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                           as_of=dt.date(2026, 3, 18))
    back = result["backlog"]
    # On 2026-03-18: 0005 (due 03-16, answered only 03-20) overdue, 0013 (objection, due
    # 04-28) in time, 0042/2025 overdue. 0006 was answered on 03-17, 0041 on 01-12.
    assert back["date"] == "2026-03-18"
    assert (back["pending"], back["overdue"]) == (3, 2)
    assert [o["register_no"] for o in back["oldest"]] == [
        "0042/PPID/2025", "0005/PPID/2026", "0013/PPID/2026"]
    req = result["requests"]
    # Received by 03-18: 0001-0006 and 0013; decided by then 0001-0004 and 0006.
    assert (req["received"], req["decided"], req["pending"]) == (7, 5, 2)
    assert [m["month"] for m in result["monthly"]] == ["2026-01", "2026-02", "2026-03"]


def test_incomplete_consultations_objections_complaints(year):
    assert year["incomplete"] == {"total": 2, "completed": 1, "still_incomplete": 1,
                                  "withdrawn": 0, "by_missing": {"identity_copy": 2, "source": 1}}
    cons = year["consultations"]
    assert (cons["received"], cons["answered"], cons["pending"]) == (2, 2, 0)
    assert cons["working_days"]["median"] == 2.5 and cons["on_time_pct"] == 100.0
    obj = year["objections"]
    assert (obj["received"], obj["answered"], obj["on_time"]) == (1, 1, 1)
    assert obj["working_days"]["median"] == 25.0
    assert obj["by_ground"] == dict.fromkeys("abcdefg", 0) | {"a": 1, "e": 1}
    assert obj["by_result"] == {"upheld": 1, "overturned": 0, "none": 0}
    assert year["complaints"] == {"received": 2, "responded": 1,
                                  "by_channel": {"letter": 0, "whatsapp": 1, "email": 1,
                                                 "eppid": 0, "walk_in": 0}}


def test_month_by_month(year):
    monthly = {m["month"]: (m["received"], m["answered"], m["on_time"]) for m in year["monthly"]}
    assert len(monthly) == 12
    # January: received 0001, 0002; answered 0001, 0002 and 0041/2025 (01-12), all on time.
    assert monthly["2026-01"] == (2, 3, 3)
    # March: received 0005, 0006, 0013; answered 0004 (late), 0005 (late), 0006.
    assert monthly["2026-03"] == (3, 3, 1)
    # August: complaint 0014 responded; complaints have no deadline, so not "on time".
    assert monthly["2026-08"] == (1, 1, 0)
    assert monthly["2026-12"] == (1, 0, 0)
    assert sum(m[0] for m in monthly.values()) == 16


def test_previous_year_beside(year):
    prev = year["previous"]
    assert prev["period"] == {"start": "2025-01-01", "end": "2025-12-31", "as_of": "2027-01-15",
                              "backlog_date": "2025-12-31"}
    assert (prev["requests"]["received"], prev["requests"]["decided"]) == (3, 2)
    # wd 5 and 16: median 10.5, both on time.
    assert prev["timeliness"]["working_days"]["median"] == 10.5
    assert prev["timeliness"]["on_time_pct"] == 100.0
    # On 2025-12-31: 0041 (due 2026-01-12) in time, 0042 overdue.
    assert (prev["backlog"]["pending"], prev["backlog"]["overdue"]) == (2, 1)
    assert "previous" not in prev


def test_calendar_ages_the_oldest_in_working_days(book):
    calls = []

    def working_days(start: dt.date, end: dt.date) -> int:
        calls.append((start, end))
        return 42

    result = stats.compute_year(book, 2026, AS_OF, calendar=working_days)
    assert result["backlog"]["oldest"][0]["working_days_open"] == 42
    assert (dt.date(2025, 12, 1), dt.date(2026, 12, 31)) in calls


def test_on_time_is_derived_when_the_book_has_none():
    rows = pd.DataFrame({
        "register_no": ["1", "2"], "received_at": ["2026-01-05 08:00", "2026-01-05 08:00"],
        "service": ["information"] * 2, "due_date": ["2026-01-19", "2026-01-19"],
        "answered_at": ["2026-01-19", "2026-01-20"], "working_days": [10, 11],
    })
    t = stats.compute_year(stats.coerce_book(rows), 2026, AS_OF)["timeliness"]
    assert (t["on_time"], t["late"]) == (1, 1)


def test_a_period_that_ends_before_it_starts_is_a_usage_error(book):
    with pytest.raises(UsageError, match="starts"):
        stats.compute(book, start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 1), as_of=AS_OF)


# --- rendering ----------------------------------------------------------------------------


def test_json_round_trips(year):
    assert json.loads(stats.render(year, "json")) == year


def test_csv_is_long_with_the_previous_year_beside(year):
    lines = stats.render(year, "csv").splitlines()
    assert lines[0] == "section,key,value,previous"
    assert "timeliness,on_time_pct,75.0,100.0" in lines
    assert "timeliness,working_days.median,7.5,10.5" in lines
    assert "backlog,overdue,2,1" in lines
    assert "monthly,2026-11.received,1,1" in lines  # beside 2025-11
    assert "backlog,oldest.1.register_no,0042/PPID/2025," in lines


def test_table_is_readable(year):
    text = stats.render(year, "table")
    assert "PPID statistics 2026-01-01 to 2026-12-31 (as of 2027-01-15)" in text
    assert "0042/PPID/2025  information  received 2025-12-01  due 2025-12-15  395 days OVERDUE" in text
    line = next(line for line in text.splitlines() if line.strip().startswith("on time pct"))
    assert line.split()[-2:] == ["75.0", "100.0"]


def test_unknown_format_is_a_usage_error(year):
    with pytest.raises(UsageError, match="table, csv, json"):
        stats.render(year, "xml")


@pytest.mark.parametrize("fmt", stats.FORMATS)
def test_no_personal_data_in_any_format(year, fmt):
    text = stats.render(year, fmt)
    for value in PII:
        assert value not in text


# --- a property: every request received is in exactly one state ---------------------------

DAY = st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2027, 6, 1))


@st.composite
def requests(draw):
    received = draw(DAY)
    answered = draw(st.one_of(st.none(), st.dates(min_value=received, max_value=dt.date(2027, 12, 31))))
    return {
        "register_no": str(draw(st.integers(1, 9999))),
        "received_at": received.isoformat() + " 09:00",
        "service": draw(st.sampled_from(["information", "consultation", "objection", "complaint"])),
        "status": draw(st.sampled_from(["answered", "review", "incomplete", "withdrawn"])),
        "answered_at": answered.isoformat() if answered else None,
        "due_date": (received + dt.timedelta(days=14)).isoformat(),
        "working_days": draw(st.integers(0, 40)) if answered else None,
        "was_incomplete": draw(st.booleans()),
        "completed_at": draw(st.one_of(st.none(), st.just((received + dt.timedelta(days=3)).isoformat()))),
    }


@pytest.mark.slow  # over 1.4 s: in make test, not the fast loop
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(requests(), max_size=40), DAY)
def test_received_is_decided_pending_incomplete_or_withdrawn(rows, as_of):
    book = stats.coerce_book(pd.DataFrame(rows))
    result = stats.compute_year(book, 2026, as_of)
    req = result["requests"]
    assert req["received"] == req["decided"] + req["pending"] + req["incomplete"] + req["withdrawn"]
    t = result["timeliness"]
    assert t["on_time"] + t["late"] == t["decided"] == sum(t["bands"].values())
    assert result["backlog"]["overdue"] <= result["backlog"]["pending"]
    assert len(result["backlog"]["oldest"]) == min(10, result["backlog"]["pending"])
