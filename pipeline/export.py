"""Analysts' export of the register book: no personal data, requesters pseudonymised.

Identity numbers, phone numbers, e-mail addresses and addresses are personal data
(UU 27/2022): their columns are dropped, and so is any column whose name says it holds
one. The requester's name and organization become keyed pseudonyms (HMAC-SHA256 of the
normalised text), the same for the same person or organization in every export made
with the same key, so repeat requesters can be counted; without the key they cannot be
turned back into names. Free text that is kept (subject, purpose) has phone numbers,
identity numbers, e-mail addresses (also disguised) and the requester's own name and
organization masked (pipeline.pii).

The export has the book's types (pipeline.book): Parquet with timestamps at +08:00,
dates, nullable integers and booleans, dictionary-encoded enumerations; xlsx with real
date, number and boolean cells and every text cell a string, never a formula; CSV as
ISO text with formula-like cells made inert (book.inert, OWASP "CSV Injection").
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from pipeline import files, pii
from pipeline.book import coerce_book, csv_bytes, kind, to_arrow
from pipeline.errors import ConfigError, UsageError
from pipeline.schema import BOOK_COLUMNS, PERSONAL_FIELDS

FORMATS = ("csv", "parquet", "xlsx")
KEY_ENV = "PPID_PSEUDONYM_KEY"
STOCK_KEY = "GANTI-DENGAN-KUNCI-RAHASIA-KANTOR"  # the value shipped in config/export.yaml
MIN_KEY_CHARS = 16
MIN_KEY_DISTINCT = 8  # 'aaaaaaaaaaaaaaaa' is long enough and guessed at once; a random key has 12 or more
# the demo's key, public in the Makefile (`make desk`): accepted only with DEMO_ENV=1, which
# only the Makefile's demo targets set, so it never keys a real export
DEMO_KEY = "demo-only-pseudonym-key-not-for-real-use-2026"
DEMO_ENV = "PPID_DEMO"
PSEUDONYM_COLUMN = "requester_pseudonym"
ORGANIZATION_PSEUDONYM_COLUMN = "organization_pseudonym"
REDACTED = pii.MASK
XLSX_MAX_ROWS = 1_048_575  # Excel's limit less the header row

# A column whose name says it holds contact or identity data (English or Indonesian).
_PERSONAL_NAME = re.compile(
    r"(phone|telp|telepon|handphone|(^|_)hp($|_)|(^|_)wa($|_)|whatsapp_?(no|number)|e_?mail"
    r"|address|alamat|identity|identitas|(^|_)nik($|_)|(^|_)nkk($|_)|ktp|passport|paspor"
    r"|birth|lahir)",
    re.IGNORECASE,
)
# request file names often carry the requester's name; the status code opens the status page
ALWAYS_DROPPED = ("source_file", "status_code")
SCRUBBED = ("subject", "purpose")  # free text kept, with personal data blacked out


def load_settings(config_dir: Path) -> dict:
    """``config/export.yaml`` with the key checked; ``pseudonym_key`` comes back as bytes.

    The key is taken from the environment variable PPID_PSEUDONYM_KEY when set. The
    stock value, an empty key or one shorter than 16 characters is a ConfigError.
    """
    path = Path(config_dir) / "export.yaml"
    settings: dict = {}
    if path.exists():
        try:
            settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(settings, dict):
            raise ConfigError(f"{path}: expected a mapping with pseudonym_key, drop_columns, "
                              "scrub_columns")
    key = os.environ.get(KEY_ENV) or settings.get("pseudonym_key")
    where = f"the environment variable {KEY_ENV}" if os.environ.get(KEY_ENV) else \
        f"{path} field 'pseudonym_key'"
    if not key or not str(key).strip():
        raise ConfigError(f"{where}: no pseudonym key is set; set a secret of at least "
                          f"{MIN_KEY_CHARS} characters before exporting")
    key = str(key).strip()
    check_key(key, where)
    for field, default in (("drop_columns", []), ("scrub_columns", list(SCRUBBED))):
        value = settings.get(field, default)
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path} field '{field}': expected a list of column names")
        settings[field] = value
    settings["pseudonym_key"] = key.encode("utf-8")
    return settings


def check_key(key: str, where: str) -> None:
    """Refuse a pseudonym key anyone could know or guess: the stock value and the demo's (in any
    letter case), a short one, or one of few distinct characters (UU 27/2022: a known key turns
    the pseudonyms back into names)."""
    how = "use the office's own secret (python -c \"import secrets; print(secrets.token_urlsafe(32))\")"
    folded = key.casefold()
    if folded == STOCK_KEY.casefold():
        raise ConfigError(f"{where}: still the stock value (whatever its letter case); {how}")
    if folded == DEMO_KEY.casefold() and not (key == DEMO_KEY and os.environ.get(DEMO_ENV) == "1"):
        raise ConfigError(f"{where}: the demo's key, published in the Makefile, never keys a real export; {how}")
    if len(key) < MIN_KEY_CHARS:
        raise ConfigError(f"{where}: the key has {len(key)} characters; use at least "
                          f"{MIN_KEY_CHARS}")
    if len(set(key)) < MIN_KEY_DISTINCT:
        raise ConfigError(f"{where}: the key has only {len(set(key))} different characters, too easy to guess; "
                          f"use at least {MIN_KEY_DISTINCT} different ones: {how}")


def normalise_name(name: str) -> str:
    """The form a name is keyed by: case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def pseudonym(name: str | None, key: bytes, prefix: str = "P-") -> str | None:
    """`prefix` and 8 hex digits of HMAC-SHA256(key, normalised name); None for no name.

    Organizations are keyed with "O-" (and the prefix in the message), so a person and an
    organization of the same name do not share a pseudonym.
    """
    if name is None or name is pd.NA or (isinstance(name, float) and np.isnan(name)):
        return None
    norm = normalise_name(str(name))
    if not norm:
        return None
    message = norm if prefix == "P-" else f"{prefix}{norm}"
    digest = hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()
    return prefix + digest[:8].upper()


def personal_columns(columns, extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The columns an export leaves out."""
    return [c for c in columns
            if c in PERSONAL_FIELDS or c in ALWAYS_DROPPED or c in extra
            or (c != "requester_name" and _PERSONAL_NAME.search(str(c)))]


def anonymise(book: pd.DataFrame, *, key: bytes, drop: list[str] | tuple[str, ...] = (),
              scrub: list[str] | tuple[str, ...] = SCRUBBED) -> pd.DataFrame:
    """The book as analysts get it: typed columns, no personal data, pseudonymised names."""
    if not key:
        raise ConfigError("the pseudonym key is empty; set pseudonym_key in config/export.yaml")
    book = coerce_book(book)
    names = book["requester_name"]
    orgs = book["requester_organization"]
    out = {}
    for col in book.columns:
        if col in personal_columns([col], drop):
            continue
        if col == "requester_name":
            out[PSEUDONYM_COLUMN] = _pseudonyms(names, key, "P-")
        elif col == "requester_organization":
            out[ORGANIZATION_PSEUDONYM_COLUMN] = _pseudonyms(orgs, key, "O-")
        elif col in scrub or col in pii.FREE_TEXT:  # the config may scrub more, never less
            out[col] = _scrub(book[col], names, orgs)
        else:
            out[col] = book[col]
    return pd.DataFrame(out, index=book.index).reset_index(drop=True)


def _pseudonyms(values: pd.Series, key: bytes, prefix: str) -> pd.Series:
    uniques = values.dropna().unique()
    table = {v: pseudonym(v, key, prefix) for v in uniques}
    return values.map(table).astype("string")


def _scrub(text: pd.Series, names: pd.Series, orgs: pd.Series) -> pd.Series:
    """Phones, identity numbers, e-mails (also disguised) and the row's own requester name
    and organization masked (pipeline.pii; a book written before it may still hold them)."""
    values = text.astype("string").to_numpy(dtype=object, na_value=None)
    own = names.astype("string").to_numpy(dtype=object, na_value=None)
    org = orgs.astype("string").to_numpy(dtype=object, na_value=None)
    out = [pii.mask(t, [n or ""], [o or ""]) if t else t for t, n, o in zip(values, own, org)]
    return pd.Series(out, index=text.index, dtype="string")


def export_book(book: pd.DataFrame, dest: Path, fmt: str, *, key: bytes,
                drop: list[str] | tuple[str, ...] = (),
                scrub: list[str] | tuple[str, ...] = SCRUBBED) -> Path:
    """Write the anonymised book as csv, parquet or xlsx; return the file written.

    `dest` is the file to write, or a folder to write ``register-export.<fmt>`` in.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    dest = Path(dest)
    if dest.is_dir() or (not dest.suffix and not dest.exists()):
        dest = dest / f"register-export.{fmt}"
    files.make_dir(dest.parent, None)  # no link at any folder on the way (pipeline.files)
    frame = anonymise(book, key=key, drop=drop, scrub=scrub)
    if fmt == "xlsx" and len(frame) > XLSX_MAX_ROWS:
        raise UsageError(f"{len(frame):,} rows do not fit in an Excel sheet "
                         f"({XLSX_MAX_ROWS:,} at most); use --format parquet or csv")
    if fmt == "csv":  # ISO text, formula-like cells made inert (OWASP CSV Injection)
        return files.write(dest, csv_bytes(frame))
    if fmt == "parquet":  # the book's types (pipeline.book)
        import pyarrow.parquet as pq

        return files.write(dest, lambda fh: pq.write_table(to_arrow(frame), fh))
    return files.write(dest, lambda fh: _write_xlsx(frame, fh))


def _write_xlsx(frame: pd.DataFrame, path) -> None:
    """Real dates, numbers and booleans, fitting widths, a frozen header and a filter."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Register")
    columns = list(frame.columns)
    formats = {c: ("yyyy-mm-dd hh:mm" if kind(c) == "timestamp" else "yyyy-mm-dd")
               for c in columns if kind(c) in ("timestamp", "date")}
    sample = frame.head(2000)
    for i, col in enumerate(columns, start=1):
        if col in formats:
            width = len(formats[col]) + 2
        else:
            lengths = sample[col].astype("string").str.len()
            longest = int(lengths.max()) if lengths.notna().any() else 0
            width = min(max(longest, 6) + 2, 60)
        ws.column_dimensions[get_column_letter(i)].width = max(width, len(col) + 3)
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"

    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE5F0")
    header = []
    for col in columns:
        cell = _text_cell(ws, col)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center")
        header.append(cell)
    ws.append(header)

    # Plain Python values per column; NaT / NA become empty cells. Times are the WITA
    # wall clock (Excel has no time zones); text is always a string cell.
    values, text_columns = [], []
    for j, col in enumerate(columns):
        s = frame[col]
        k = kind(col)
        if k == "timestamp":
            arr = [None if pd.isna(x) else x.to_pydatetime() for x in s.dt.tz_localize(None)]
        elif k == "date":
            arr = s.astype(object).where(s.notna(), None).tolist()
        elif k in ("int", "bool"):
            arr = s.astype(object).where(s.notna(), None).tolist()
        else:
            arr = s.astype("string").astype(object).where(s.notna(), None).tolist()
            text_columns.append(j)
        values.append(arr)
    date_cells = [(j, formats[c]) for j, c in enumerate(columns) if c in formats]
    for row in zip(*values):
        row = list(row)
        for j, fmt in date_cells:
            if row[j] is not None:
                cell = WriteOnlyCell(ws, value=row[j])
                cell.number_format = fmt
                row[j] = cell
        for j in text_columns:
            if row[j] is not None:
                row[j] = _text_cell(ws, row[j])
        ws.append(row)

    # A second sheet says what each column holds.
    about = wb.create_sheet("Keterangan")
    about.column_dimensions["A"].width = 26
    about.column_dimensions["B"].width = 100
    about.append([_text_cell(about, v) for v in ("column", "meaning")])
    for col in columns:
        meaning = BOOK_COLUMNS.get(col, ("", ""))[1]
        if col == PSEUDONYM_COLUMN:
            meaning = ("keyed pseudonym of the requester's name (HMAC-SHA256): the same person "
                       "has the same pseudonym; it cannot be turned back into a name")
        elif col == ORGANIZATION_PSEUDONYM_COLUMN:
            meaning = ("keyed pseudonym of the requester's organization (HMAC-SHA256): the same "
                       "organization has the same pseudonym")
        about.append([_text_cell(about, col), _text_cell(about, meaning)])
    wb.save(path)


def _text_cell(ws, value: str):
    """A cell that holds `value` as a string, never a formula (openpyxl would make a
    string that begins with '=' a formula): formula injection, OWASP "CSV Injection"."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell
