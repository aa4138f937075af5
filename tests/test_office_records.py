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
    csv, _ = office.write_book()
    assert csv.read_text(encoding="utf-8") == (FIXTURE / "register.csv").read_text(encoding="utf-8")
    old = read_book(FIXTURE)
    new = read_book(tmp_path / "records")
    pd.testing.assert_frame_equal(new, old)


def test_the_demo_log_of_before_gives_the_same_statistics(tmp_path):
    office = office_on_a_copy(tmp_path)
    office.write_book()
    result = office.stats(year=2026)
    assert json.loads(S.render(result, "json")) == json.loads((FIXTURE / "stats-2026.json").read_text())


@pytest.mark.slow  # three batches, about 3 s
def test_the_demo_run_today_writes_the_book_main_wrote(tmp_path, monkeypatch):
    """The whole path (assess, plan, typed events, batch, book) gives the book of before."""
    from helpers import TEMPLATES
    from pipeline.outcome import Output

    monkeypatch.chdir(ROOT)  # the files are named as `make demo` names them
    records = tmp_path / "records"
    for inbox, date in (("examples/inbox", "2026-11-27"), ("examples/inbox-2026-12-03", "2026-12-03"),
                        ("examples/inbox-2027-01-20", "2027-01-20")):
        Office(ROOT / "config", records, date=dt.date.fromisoformat(date)).run(
            Path(inbox), tmp_path / "out", templates=TEMPLATES, output=Output.DOCX)
    pd.testing.assert_frame_equal(read_book(records), read_book(FIXTURE))
