"""Old records still read (issue 19): the demo's event log, as main wrote it before the
Office, gives the same register book and the same statistics with today's code."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import ROOT
from pipeline import pii
from pipeline import stats as S
from pipeline.book import read_book
from pipeline.office import Office

FIXTURE = ROOT / "tests" / "fixtures" / "demo_records"


def office_on_a_copy(tmp_path) -> Office:
    records = tmp_path / "records"
    records.mkdir()
    shutil.copy(FIXTURE / "events.jsonl", records / "events.jsonl")
    return Office(ROOT / "config", records, date=dt.date(2027, 1, 20))


def test_the_demo_log_of_before_gives_the_same_book(tmp_path):
    office = office_on_a_copy(tmp_path)
    assert len(office.refresh().records) == 25  # the requests and objections of the three inboxes
    office.write_book()
    old = read_book(FIXTURE)
    new = read_book(tmp_path / "records")
    # columns added since (delivery, status code, …) are new facts; every old one reads the same,
    # but for free text, whose masking may only have grown (issue 18: more personal data found)
    masked = [c for c in old.columns if c in pii.FREE_TEXT]
    same = [c for c in old.columns if c not in masked]
    pd.testing.assert_frame_equal(new[same], old[same])
    for col in masked:
        for before, now in zip(old[col], new[col]):
            assert only_more_masked(before, now), (col, before, now)
    for added in set(new.columns) - set(old.columns):
        assert new[added].isna().all(), f"{added}: an old log has nothing to say of it"


def test_the_demo_log_of_before_gives_the_same_statistics(tmp_path):
    office = office_on_a_copy(tmp_path)
    office.write_book()
    result = office.stats(year=2026)
    assert_contains(json.loads(S.render(result, "json")), json.loads((FIXTURE / "stats-2026.json").read_text()))


def assert_contains(new, old, where="stats"):
    """Every figure of before is there with the same value (figures added since may be new)."""
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        for k, v in old.items():
            assert k in new, f"{where}.{k} is gone"
            assert_contains(new[k], v, f"{where}.{k}")
    else:
        assert new == old, where


CORE = ["register_no", "service", "channel", "requester_kind", "status", "outcome", "grounds", "received_at",
        "completed_at", "due_date", "answered_at", "working_days", "on_time", "extended"]


@pytest.mark.slow  # three batches, about 3 s
def test_the_demo_run_today_gives_main_s_rows_for_the_same_files(tmp_path, monkeypatch):
    """The whole path (assess, plan, typed events, batch, book) gives each request file of
    the demo the row main gave it. Example files added since may change what they concern
    (an objection reopens its original): those originals are left out, nothing else."""
    from helpers import TEMPLATES
    from pipeline.outcome import Output

    monkeypatch.chdir(ROOT)  # the files are named as `make demo` names them
    records = tmp_path / "records"
    for inbox, date in (("examples/inbox", "2026-11-27"), ("examples/inbox-2026-12-03", "2026-12-03"),
                        ("examples/inbox-2027-01-20", "2027-01-20")):
        Office(ROOT / "config", records, date=dt.date.fromisoformat(date)).run(
            Path(inbox), tmp_path / "out", templates=TEMPLATES, output=Output.DOCX)
    new = read_book(records).set_index("source_file")
    old = read_book(FIXTURE).set_index("source_file")
    added = new.loc[~new.index.isin(old.index)]
    # example files edited since (the letters' reads changed a channel): their own rows and the
    # originals they object to may differ, as the files do; found by the content digest, not listed
    edited = [f for f in old.index if f in new.index and _digests(FIXTURE, f) != _digests(records, f)]
    changed = pd.concat([added, new.loc[edited]])
    touched = set(changed["objection_to"].dropna()) | set(changed["register_no"])
    same = [f for f in old.index if old.loc[f, "register_no"] not in touched]
    assert len(edited) < len(old) // 3, edited  # a digest that changed for every file would compare nothing
    assert len(same) >= len(old) - len(changed) - len(edited)  # at most one original per file added or edited
    pd.testing.assert_frame_equal(new.loc[same, CORE], old.loc[same, CORE], check_categorical=False)


def _digests(records: Path, file: str) -> set[str]:
    """The content digests the log recorded for one request file (every version taken in)."""
    out = set()
    for line in (records / "events.jsonl").read_text(encoding="utf-8").splitlines():
        e = json.loads(line) if line.strip() else {}
        if e.get("file") == file and e.get("digest"):
            out.add(e["digest"])
    return out


def only_more_masked(before, now) -> bool:
    """`now` is `before` with (perhaps) more of it replaced by the mask: what is left of it is
    `before`'s text, in order, and nothing is unmasked that was masked."""
    if pd.isna(before) or pd.isna(now):
        return pd.isna(before) and pd.isna(now)
    if now == before:
        return True
    at = 0
    for piece in str(now).split(pii.MASK):
        found = str(before).find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return str(now).count(pii.MASK) >= str(before).count(pii.MASK)


def test_the_book_built_straight_from_rows_equals_the_checked_one(tmp_path):
    """book.frame builds each column straight from plain values; the checked path
    (coerce_book over text) must give the same frame and the same files."""
    from pipeline import book

    office = office_on_a_copy(tmp_path)
    rows = book.build_rows(office.refresh().records.values(), office.clock)
    checked = book.coerce_book(pd.DataFrame(rows, columns=list(book.BOOK_COLUMNS), dtype=object))
    direct = book.frame(rows)
    pd.testing.assert_frame_equal(direct, checked)
    assert book.parquet_bytes(direct) == book.parquet_bytes(checked)
    assert book.csv_bytes(direct) == book.csv_bytes(checked)
    # write_book takes these plain rows straight to Arrow (no frame): the same bytes again
    straight, framed = tmp_path / "straight", tmp_path / "framed"
    straight.mkdir(), framed.mkdir()
    book.write_book(straight, rows), book.write_frame(framed, checked)
    for name in (book.CSV_NAME, book.PARQUET_NAME):
        assert (straight / name).read_bytes() == (framed / name).read_bytes(), name
    import pyarrow as pa  # the metadata kept per shape is what pandas would write afresh

    for shape in (direct, direct.head(3), direct.iloc[5:]):
        assert book._pandas_metadata(shape) == pa.Table.from_pandas(shape.head(0), preserve_index=False).schema.metadata
    # a value that is not plainly the column's goes the checked way, with its cell named
    odd = [dict(r) for r in rows]
    odd[0]["year"], odd[1]["register_no"], odd[2]["due_date"] = "2026", "  0002/PPID/2026 ", "2026-12-10 09:00"
    again = book.frame(odd)
    pd.testing.assert_frame_equal(again, book.coerce_book(pd.DataFrame(odd, columns=list(book.BOOK_COLUMNS),
                                                                       dtype=object)))
    assert again["year"].iloc[0] == 2026 and str(again["due_date"].iloc[2]) == "2026-12-10"
    odd[3]["working_days"] = "sepuluh"
    with pytest.raises(book.BadCell, match="column working_days, row 4"):
        book.frame(odd)


def test_a_book_that_no_longer_follows_the_log_is_not_read(tmp_path):
    """The book is written after the log: a run stopped between the two, a log restored from
    a backup, or a calendar changed since leave a book on disk that belies the log. stats,
    the export and the report read the log's book then (built in memory), never the old one."""
    office = office_on_a_copy(tmp_path)
    records = tmp_path / "records"
    office.write_book()
    fresh = office.book()
    log = records / "events.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    log.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")  # the log as it was halfway
    office = Office(ROOT / "config", records, date=dt.date(2027, 1, 20))
    office.write_book()
    half = office.book()
    assert len(half) < len(fresh)
    half_files = {n: (records / n).read_bytes() for n in ("register.csv", "register.parquet")}
    log.write_text("".join(lines), encoding="utf-8")  # the rest appended; the book not yet written
    office = Office(ROOT / "config", records, date=dt.date(2027, 1, 20))
    pd.testing.assert_frame_equal(office.book(), fresh)
    assert office.stats(year=2026) == S.compute_year(fresh, 2026, dt.date(2027, 1, 20),
                                                     calendar=office.cfg.calendar.working_days,
                                                     deadlines=office.cfg.deadlines)
    assert office.stats(year=2026) != S.compute_year(half, 2026, dt.date(2027, 1, 20),
                                                     calendar=office.cfg.calendar.working_days,
                                                     deadlines=office.cfg.deadlines)
    for name, before in half_files.items():  # a reader writes nothing
        assert (records / name).read_bytes() == before, name


def test_a_changed_deadline_is_followed_by_the_book_read(tmp_path):
    """The book's due dates come from the clock: with config/office.yaml's notice deadline
    changed after the book was written, the book read is the one the new clock gives."""
    office = office_on_a_copy(tmp_path)
    office.write_book()
    before = office.book(columns=["register_no", "due_date"])
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    text = (config / "office.yaml").read_text(encoding="utf-8")
    (config / "office.yaml").write_text(text.replace("  notice: 10 ", "  notice: 12 ", 1), encoding="utf-8")
    changed = Office(config, tmp_path / "records", date=dt.date(2027, 1, 20))
    after = changed.book(columns=["register_no", "due_date"])
    assert (after["due_date"] != before["due_date"]).any()
    changed.write_book()
    pd.testing.assert_frame_equal(read_book(tmp_path / "records", columns=["register_no", "due_date"]), after)
