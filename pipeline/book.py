"""The register book: one row per request, as ``register.csv`` and ``register.parquet``.

The only module that builds, writes or reads the book (spec section 8). What each column
holds is declared once, in `schema.BOOK_COLUMNS`; from its kind this module derives

- the Parquet (Arrow) type: ``timestamp[us, +08:00]`` for times, ``date32`` for dates,
  ``int64`` (nullable) for counts, ``dictionary<int32, string>`` for enumerations,
  ``bool`` (nullable) for flags, ``string`` for text;
- the pandas dtype of the book in memory (`read_book`): ``datetime64[us, UTC+08:00]``,
  ``date32[day][pyarrow]``, ``Int64``, ``category``, ``boolean``, ``string``;
- the CSV, which keeps ISO text: 'YYYY-MM-DD HH:MM' (WITA wall clock), 'YYYY-MM-DD',
  True/False, every cell in double quotes, and text that a spreadsheet would run as a
  formula made inert (`inert`).

`read_book` reads the Parquet book, else the CSV, and gives the same typed frame from
either; `coerce_book` turns any frame of ISO text (an older book, a test table) into it.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pipeline.delivery.figures import book_fields
from pipeline.deadlines import clock_start
from pipeline.errors import RegisterError
from pipeline import pii
from pipeline.files import write
from pipeline.schema import BOOK_COLUMNS, BOOK_TZ

CSV_NAME = "register.csv"
PARQUET_NAME = "register.parquet"

# --- types ---------------------------------------------------------------------------------

_OFFSET = dt.timedelta(hours=int(BOOK_TZ[:3]), minutes=int(BOOK_TZ[0] + BOOK_TZ[4:]))
_OFFSET_US = int(_OFFSET.total_seconds()) * 1_000_000
TZINFO = dt.timezone(_OFFSET)

ARROW_TYPES: dict[str, pa.DataType] = {
    "text": pa.string(),
    "enum": pa.dictionary(pa.int32(), pa.string()),
    "timestamp": pa.timestamp("us", tz=BOOK_TZ),
    "date": pa.date32(),
    "int": pa.int64(),
    "bool": pa.bool_(),
}
DTYPES: dict[str, Any] = {
    "text": pd.StringDtype(),
    "enum": pd.CategoricalDtype(),
    "timestamp": pd.DatetimeTZDtype("us", TZINFO),
    "date": pd.ArrowDtype(pa.date32()),
    "int": pd.Int64Dtype(),
    "bool": pd.BooleanDtype(),
}
TIME_FORMAT = "%Y-%m-%d %H:%M"  # the CSV's times, WITA wall clock


def kind(name: str) -> str:
    """The kind of a column (`schema.KINDS`); a column the schema does not know is text."""
    col = BOOK_COLUMNS.get(name)
    return col.kind if col else "text"


def arrow_schema(columns: Iterable[str] | None = None) -> pa.Schema:
    """The Parquet book's schema (every BOOK_COLUMNS column, or those named)."""
    names = list(BOOK_COLUMNS) if columns is None else list(columns)
    return pa.schema([pa.field(n, ARROW_TYPES[kind(n)]) for n in names])


def has_dtype(col: pd.Series, k: str) -> bool:
    """Whether `col` already has the in-memory dtype of kind `k`."""
    if k == "enum":
        return isinstance(col.dtype, pd.CategoricalDtype)
    if k == "timestamp":
        return isinstance(col.dtype, pd.DatetimeTZDtype)
    if k == "text":
        return isinstance(col.dtype, pd.StringDtype)
    return col.dtype == DTYPES[k]


# --- building rows -------------------------------------------------------------------------


def book_row(rec, clock) -> dict[str, Any]:
    """One row of the book from a `register.Record`, with the office's one clock
    (`deadlines.Clock`): ISO text, ints and booleans."""
    due = clock.due(rec)
    row = {col: None for col in BOOK_COLUMNS}
    row.update({k: v for k, v in rec.row.items() if k in BOOK_COLUMNS})
    start = clock_start(rec)
    answered = rec.answered_at
    row.update(
        register_no=rec.register_no, year=rec.year, completed_at=rec.completed_at,
        day_one=clock.day_one(start).isoformat() if start else None,
        due_date=due.isoformat() if due else None, answered_at=answered,
        extended=bool(rec.extended), missing=";".join(rec.missing) or None,
        was_incomplete=rec.was_incomplete, withdrawn_at=rec.withdrawn_at,
        letter_no=rec.letters[-1]["letter_no"] if rec.letters else None,
    )
    row.update(book_fields(rec, clock))  # the notice's delivery (spec section 9)
    pii.mask_row(row, own=rec.personal)  # phones, identity numbers, e-mails, the own name and contacts typed into free text
    if answered and start:
        day = dt.date.fromisoformat(answered)
        row["working_days"] = clock.working_days(start, day)
        row["on_time"] = bool(due and day <= due)
    return row


def build_rows(records: Iterable, clock) -> list[dict[str, Any]]:
    """The book's rows, one per `register.Record`, in register order (see `book_row`)."""
    return [book_row(rec, clock) for rec in records]


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows (dicts of ISO text, ints, booleans) as the typed book, every column present.

    Each column is built straight from its values when they are what the column holds (the
    rows `book_row` makes); a column with anything else goes through `coerce_book`'s checks,
    which name the bad cell. Both give the same frame (tests/test_book.py)."""
    index = pd.RangeIndex(len(rows))
    out = {}
    for name in BOOK_COLUMNS:
        values = [row.get(name) for row in rows]
        k = kind(name)
        try:
            out[name] = pd.Series(_direct(values, k), index=index)
        except (TypeError, ValueError, pa.ArrowException):
            out[name] = _typed(pd.Series(values, index=index, dtype=object), name, k)
    return pd.DataFrame(out, index=index)


_PLAIN = {"text": str, "enum": str, "int": int, "bool": bool, "date": str}


def _direct(values: list, k: str):
    """`values` as the column's in-memory array, or TypeError/ValueError when they are not
    plainly what the column holds (then the checked path decides)."""
    arr = _plain_arrow(values, k)
    if k == "enum":
        return arr.to_pandas()
    if k == "date":
        return pd.arrays.ArrowExtensionArray(arr)
    return pd.array(values, dtype=DTYPES[k])


def _plain_arrow(values: list, k: str) -> pa.Array:
    """`values` as an Arrow array of the column's kind (not timestamps), or TypeError/ValueError
    when they are not plainly what the column holds."""
    plain = _PLAIN.get(k)
    if plain is None or not all(v is None or type(v) is plain for v in values):
        raise TypeError(k)
    if k in ("text", "enum") and any(v is not None and (not v.strip() or v != v.strip()) for v in values):
        raise ValueError(k)  # blanks and padding: the checked path trims them as it always did
    if k == "date" and any(v is not None and len(v) != 10 for v in values):  # 'YYYY-MM-DD' exactly
        raise ValueError(k)
    arr = pa.array(values, pa.string() if plain is str else ARROW_TYPES[k])
    if k == "enum":
        return arr.dictionary_encode()
    return pc.cast(arr, pa.date32()) if k == "date" else arr


# --- writing -------------------------------------------------------------------------------


def write_book(folder: Path, rows: list[dict[str, Any]], source: str = "") -> tuple[Path, Path]:
    """Write register.csv and register.parquet in `folder`, each replaced atomically; the
    Parquet book keeps `source`, what it was built from (`source_of`).

    Rows of plain values (what `book_row` makes) go straight to Arrow; anything else goes
    through `frame` and `coerce_book`, which name a bad cell. Both write the same bytes
    (tests/test_office_records.py, and a generated test in tests/test_book.py)."""
    table = _rows_table(rows)
    if table is None:
        return write_frame(folder, frame(rows), source)
    return _write_table(folder, table.replace_schema_metadata(_rows_metadata(table, rows)), source)


def write_frame(folder: Path, book: pd.DataFrame, source: str = "") -> tuple[Path, Path]:
    """Write a typed book (every BOOK_COLUMNS column) as register.csv and register.parquet."""
    return _write_table(folder, to_arrow(coerce_book(book)[list(BOOK_COLUMNS)]), source)


SOURCE_KEY = b"ppid_source"


def _write_table(folder: Path, table: pa.Table, source: str) -> tuple[Path, Path]:
    csv_path, pq_path = Path(folder) / CSV_NAME, Path(folder) / PARQUET_NAME
    write(csv_path, _csv_of(table))
    if source:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), SOURCE_KEY: source.encode()})
    write(pq_path, _parquet_of(table))
    return csv_path, pq_path


def source_of(records: Path) -> str | None:
    """What the Parquet book in `records` was built from (`write_book`'s `source`), or None
    (no book, an unreadable one, or one written without it)."""
    try:
        meta = pq.read_schema(Path(records) / PARQUET_NAME).metadata or {}
    except (OSError, pa.ArrowException):
        return None
    value = meta.get(SOURCE_KEY)
    return value.decode("utf-8", "replace") if value else None


def _rows_table(rows: list[dict[str, Any]]) -> pa.Table | None:
    """The book's Arrow table straight from plain rows, or None when a value is not plainly
    what its column holds (then the checked path decides, as `frame` does)."""
    arrays = []
    for name in BOOK_COLUMNS:
        values = [row.get(name) for row in rows]
        k = kind(name)
        try:
            if k == "timestamp":
                arr = _plain_times(values)
            else:
                arr = _plain_arrow(values, k)
        except (TypeError, ValueError, pa.ArrowException):
            return None
        arrays.append(arr.cast(ARROW_TYPES[k]) if not arr.type.equals(ARROW_TYPES[k]) else arr)
    return pa.Table.from_arrays(arrays, schema=_SCHEMA)


def _plain_times(values: list) -> pa.Array:
    """'YYYY-MM-DD HH:MM' (WITA wall clock) as the book's instants; anything else ValueError."""
    epoch = dt.datetime(1970, 1, 1)
    micros = []
    for v in values:
        if v is None:
            micros.append(None)
            continue
        if type(v) is not str or len(v) != 16:
            raise ValueError(v)
        wall = dt.datetime.strptime(v, TIME_FORMAT)
        micros.append((wall - epoch) // dt.timedelta(microseconds=1) - _OFFSET_US)
    return pa.array(micros, pa.int64()).cast(ARROW_TYPES["timestamp"])


_ROWS_META: dict[tuple, dict] = {}


def _rows_metadata(table: pa.Table, rows: list[dict[str, Any]]) -> dict:
    """pandas' metadata of the book `frame(rows)` would give: for plain rows the dtypes are
    fixed, so it depends only on how many values each enumeration has."""
    key = tuple(len(table[n].combine_chunks().dictionary) for n in _ENUMS)
    meta = _ROWS_META.get(key)
    if meta is None:
        if len(_ROWS_META) > 256:
            _ROWS_META.clear()
        meta = _ROWS_META[key] = _pandas_metadata(frame(rows))
    return meta


def to_arrow(book: pd.DataFrame) -> pa.Table:
    """A typed book as an Arrow table with the book's types (unknown columns as text)."""
    # pandas' own metadata, so that pandas.read_parquet gives Int64, boolean and string
    # columns back (not float64 and object) without a types mapper.
    return _arrow_columns(book).replace_schema_metadata(_pandas_metadata(book))


def _field(name: str) -> pa.Field:
    meaning = BOOK_COLUMNS[name].meaning if name in BOOK_COLUMNS else None
    return pa.field(name, ARROW_TYPES[kind(name)], metadata={"description": meaning} if meaning else None)


_SCHEMA = pa.schema([_field(n) for n in BOOK_COLUMNS])
_ENUMS = [n for n in BOOK_COLUMNS if kind(n) == "enum"]


def _arrow_columns(book: pd.DataFrame) -> pa.Table:
    """The columns of a typed book as Arrow arrays of the book's types, without metadata."""
    arrays = []
    for name in book.columns:
        k = kind(name)
        target = ARROW_TYPES[k]
        col = book[name]
        if not has_dtype(col, k):
            col = coerce_book(book[[name]])[name]
        arr = pa.array(col, from_pandas=True)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if k == "enum":
            arr = arr.cast(pa.string()).dictionary_encode() if not pa.types.is_dictionary(arr.type) \
                else arr
            arr = arr.cast(target)
        elif not arr.type.equals(target):
            arr = arr.cast(target)
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, schema=pa.schema([_field(str(n)) for n in book.columns]))


_PANDAS_META: dict[tuple, dict] = {}


def _pandas_metadata(book: pd.DataFrame) -> dict:
    """pandas' schema metadata of `book`: it depends only on the columns, their dtypes and the
    number of categories, so it is worked out once per shape (it costs more than the table)."""
    key = (tuple(map(str, book.columns)), tuple(map(str, book.dtypes)),
           tuple(len(book[c].cat.categories) if isinstance(book[c].dtype, pd.CategoricalDtype) else -1
                 for c in book.columns))
    meta = _PANDAS_META.get(key)
    if meta is None:
        if len(_PANDAS_META) > 256:
            _PANDAS_META.clear()
        meta = _PANDAS_META[key] = pa.Table.from_pandas(book.head(0), preserve_index=False).schema.metadata
    return meta


def parquet_bytes(book: pd.DataFrame) -> bytes:
    return _parquet_of(to_arrow(book))


def _parquet_of(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def to_text(book: pd.DataFrame) -> pd.DataFrame:
    """A typed book as ISO text (None for empty), the way the CSV holds it."""
    return _text_table(_arrow_columns(book)).to_pandas(types_mapper=_text_mapper).set_index(book.index)


def _text_table(table: pa.Table, *, inert_text: bool = False) -> pa.Table:
    """An Arrow table of the book's types as ISO text."""
    arrays = []
    for name, arr in zip(table.column_names, table.columns):
        k = kind(name)
        arr = arr.combine_chunks()
        if k == "timestamp":  # the WITA wall clock, 'YYYY-MM-DD HH:MM' (TIME_FORMAT)
            # the instant plus the offset, printed as a naive time: Arrow's own printing of a zoned
            # time looks the zone up for every value (ten times slower)
            wall = pc.add(arr.cast(pa.int64()), pa.scalar(_OFFSET_US, pa.int64())).cast(pa.timestamp("us"))
            arr = pc.utf8_slice_codeunits(wall.cast(pa.string()), 0, 16)
        elif k == "bool":
            arr = pc.if_else(arr, "True", "False")
        else:
            if inert_text and pa.types.is_dictionary(arr.type):  # the few values, not every row
                arr = pa.DictionaryArray.from_arrays(arr.indices, _inert_arrow(arr.dictionary.cast(pa.string())))
            elif inert_text and k in ("text", "enum"):
                arr = _inert_arrow(arr.cast(pa.string()))
            arr = arr.cast(pa.string())
        arrays.append(arr)
    return pa.Table.from_arrays(arrays, names=list(table.column_names))


def _inert_arrow(arr: pa.Array) -> pa.Array:
    """`inert` over an Arrow string array."""
    risky = pc.match_substring_regex(arr, _INERT_PATTERN)
    return pc.if_else(risky, pc.binary_join_element_wise("'", arr, ""), arr)


def csv_bytes(book: pd.DataFrame) -> bytes:
    """The CSV of a book: ISO text, every cell quoted, formula-like text made inert."""
    return _csv_of(_arrow_columns(book))


def _csv_of(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pa_csv.write_csv(_text_table(table, inert_text=True), buf, pa_csv.WriteOptions(quoting_style="all_valid"))
    return buf.getvalue()


# Formula injection (OWASP "CSV Injection", owasp.org/www-community/attacks/CSV_Injection;
# ASVS 1.2.10): a spreadsheet runs a cell beginning with = + - @ tab CR or LF as a formula.
# Such a cell gets a leading single quote, which makes it text. So that reading strips
# exactly the quotes writing added, a value that is a quote followed by one of these (or by
# another quote) gets one too. Every cell is also quoted, so a separator or a quote inside
# a value cannot start a new cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
_INERT_STARTS = (*FORMULA_STARTS, "'")


def inert(value: str | None) -> str | None:
    """`value` as a spreadsheet shows it as text, never runs it: see FORMULA_STARTS."""
    if value and (value.startswith(FORMULA_STARTS)
                  or (value.startswith("'") and value[1:].startswith(_INERT_STARTS))):
        return "'" + value
    return value


def uninert(value: str | None) -> str | None:
    """The value `inert` was given."""
    if value and value.startswith("'") and value[1:].startswith(_INERT_STARTS):
        return value[1:]
    return value


_STARTS_CLASS = "=+\\-@\\t\\r\\n\\x00"
_INERT_PATTERN = f"^(?:[{_STARTS_CLASS}]|'[{_STARTS_CLASS}'])"  # what `inert` quotes (RE2)


def _uninert_series(col: pd.Series) -> pd.Series:
    col = col.astype("string")
    quoted = col.str.startswith("'").fillna(False)
    if not quoted.any():
        return col
    rest = col.str.slice(1)
    undo = quoted & rest.str.startswith(_INERT_STARTS).fillna(False)
    return col.where(~undo, rest)


# --- reading -------------------------------------------------------------------------------


def read_book(records: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The register book, typed (see the module doc); empty, with the columns, if none.

    Reads ``register.parquet``, else ``register.csv``. ``columns`` limits what is read
    (the statistics need only a few of them, which is faster on a big register). A book
    written before the book was typed (every column text) is read the same way.
    """
    wanted = list(columns) if columns is not None else list(BOOK_COLUMNS)
    parquet, csv_path = Path(records) / PARQUET_NAME, Path(records) / CSV_NAME
    source = parquet
    try:
        if parquet.exists():
            present = set(pq.read_schema(parquet).names)
            cols = None if columns is None else [c for c in wanted if c in present]
            book = pq.read_table(parquet, columns=cols).to_pandas(types_mapper=_mapper)
        elif csv_path.exists() and csv_path.stat().st_size > 0:
            source = csv_path
            book = pd.read_csv(csv_path, dtype="string", keep_default_na=False, na_values=[""],
                               encoding="utf-8")
            if columns is not None:
                book = book[[c for c in wanted if c in book.columns]]
            for name in book.columns:
                if kind(name) in ("text", "enum"):
                    book[name] = _uninert_series(book[name])
        else:
            book = pd.DataFrame()
        return coerce_book(book, columns)
    except BadCell as exc:
        raise RegisterError(exc.where(source)) from None
    except RegisterError as exc:
        raise RegisterError(f"{source}: {exc}") from None
    except (OSError, ValueError, pa.ArrowException) as exc:
        raise RegisterError(f"{source}: cannot read the register book: {exc}") from exc


def _text_mapper(t: pa.DataType):
    return pd.StringDtype() if t in (pa.string(), pa.large_string()) else None


def _mapper(t: pa.DataType):
    if t in (pa.string(), pa.large_string()):
        return pd.StringDtype()
    if t == pa.bool_():
        return pd.BooleanDtype()
    if pa.types.is_integer(t):
        return pd.Int64Dtype()
    if t == pa.date32():
        return DTYPES["date"]
    return None  # dictionary -> category, timestamp -> datetime64[us, tz]


def coerce_book(book: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """`book` with every BOOK_COLUMNS column (or those named; missing ones empty), typed.

    Columns of ISO text are parsed; a value that is not what its column holds is a
    RegisterError naming the column, the row and the value. Columns the schema does not
    know are kept as they are when no ``columns`` are named.
    """
    wanted = list(columns) if columns is not None else list(BOOK_COLUMNS)
    n = len(book)
    out = {}
    for name in wanted:
        k = kind(name)
        if name not in book.columns:
            out[name] = _empty(k, n, book.index)
        else:
            out[name] = _typed(book[name], name, k)
    if columns is None:
        for name in book.columns:
            if name not in out:
                out[name] = book[name]
    return pd.DataFrame(out, index=book.index)


def _empty(k: str, n: int, index) -> pd.Series:
    if k == "enum":
        return pd.Series(pa.nulls(n, pa.string()).dictionary_encode().to_pandas(), index=index)
    arr = pa.nulls(n, ARROW_TYPES[k])
    return pd.Series(arr.to_pandas(types_mapper=_mapper), index=index).astype(DTYPES[k])


def _typed(col: pd.Series, name: str, k: str) -> pd.Series:
    if has_dtype(col, k):
        if k == "timestamp" and col.dtype != DTYPES[k]:
            return col.dt.tz_convert(TZINFO).astype(DTYPES[k])
        if k == "enum" and not pd.api.types.is_string_dtype(col.cat.categories):
            return _typed(col.astype("string"), name, k)
        return col
    if k == "text":
        return col.astype("string")
    if k == "enum":  # the way Arrow's dictionaries come out, whatever the source
        codes = _text_arrow(col).dictionary_encode()
        return pd.Series(codes.to_pandas(), index=col.index)
    if k == "int":
        return _ints(col, name)
    if k == "bool":
        return _bools(col, name)
    if k == "date":
        return _dates(col, name)
    return _times(col, name)


class BadCell(RegisterError):
    """A cell of the book that is not what its column holds."""

    def __init__(self, column: str, index: int, value: Any, expected: str):
        self.column, self.index, self.value, self.expected = column, index, value, expected
        super().__init__(f"column {column}, row {index + 1}: {str(value)!r} is not {expected}")

    def where(self, source: Path) -> str:
        at = f"line {self.index + 2}" if source.suffix == ".csv" else f"row {self.index + 1}"
        return (f"{source}: {at}, column {self.column}: {str(self.value)!r} is not "
                f"{self.expected}; the next `ppid run` rebuilds the book from events.jsonl")


def _bad(col: pd.Series, name: str, mask: np.ndarray, expected: str) -> BadCell:
    i = int(np.flatnonzero(mask)[0])
    return BadCell(name, i, col.iloc[i], expected)


def _text_arrow(col: pd.Series) -> pa.Array:
    """A column as an Arrow string array, blanks as nulls."""
    arr = pa.array(col.astype("string"), from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def _ints(col: pd.Series, name: str) -> pd.Series:
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        values = pd.to_numeric(col)
        if pd.api.types.is_float_dtype(values):
            frac = values.notna() & (values != values.round())
            if frac.any():
                raise _bad(col, name, frac.to_numpy(), "a whole number")
        return values.astype("Int64")
    text = col.astype("string").str.strip()
    text = text.where(text != "", None)
    values = pd.to_numeric(text, errors="coerce")
    bad = (text.notna() & values.isna()).to_numpy()
    if bad.any():
        raise _bad(col, name, bad, "a whole number")
    frac = values.notna() & (values != values.round())
    if frac.any():
        raise _bad(col, name, frac.to_numpy(), "a whole number")
    return values.astype("Int64")


_BOOL_WORDS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False,
               "ya": True, "tidak": False}


def _bools(col: pd.Series, name: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(col):
        return col.astype("boolean")
    if col.dtype == object and all(v is None or isinstance(v, (bool, np.bool_)) or pd.isna(v)
                                   for v in col.head(1000)):
        try:
            return col.astype("boolean")
        except (TypeError, ValueError):
            pass
    text = col.astype("string").str.strip().str.lower()
    text = text.where(text != "", None)
    values = text.map(_BOOL_WORDS, na_action="ignore")
    bad = (text.notna() & values.isna()).to_numpy()
    if bad.any():
        raise _bad(col, name, bad, "true or false")
    return values.astype("boolean")


def _dates(col: pd.Series, name: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(col):
        if isinstance(col.dtype, pd.DatetimeTZDtype):
            col = col.dt.tz_convert(TZINFO).dt.tz_localize(None)
        arr = pa.array(col.dt.floor("D"), from_pandas=True).cast(pa.timestamp("s")).cast(pa.date32())
        return pd.Series(pd.arrays.ArrowExtensionArray(arr), index=col.index)
    if col.dtype == object and any(isinstance(v, dt.date) for v in col.head(1000)):
        col = col.map(lambda v: v.isoformat()[:10] if isinstance(v, dt.date) else v)
    arr = _text_arrow(col)
    head = pc.utf8_slice_codeunits(arr, 0, 10)
    days = _calendar_days(head)
    # 'YYYY-MM-DD' alone, or followed by a time ('YYYY-MM-DD HH:MM', 'YYYY-MM-DDTHH:MM…')
    bad = pc.and_(pc.is_valid(arr), pc.is_null(days))
    if pc.any(pc.greater(pc.utf8_length(arr), 10)).as_py():
        tail = pc.utf8_slice_codeunits(arr, 10)
        tail_ok = pc.or_(pc.equal(tail, ""), pc.match_substring_regex(tail, r"^[ T]\d\d:\d\d"))
        bad = pc.or_(bad, pc.and_(pc.is_valid(arr), pc.invert(tail_ok)))
    bad_np = bad.to_numpy(zero_copy_only=False)
    if bad_np.any():
        raise _bad(col, name, bad_np, "a date (YYYY-MM-DD)")
    return pd.Series(pd.arrays.ArrowExtensionArray(days), index=col.index)


def _calendar_days(head: pa.Array) -> pa.Array:
    """'YYYY-MM-DD' text as date32; null where it is not a day of the calendar (strptime
    alone takes 2026-02-30 for 2 March)."""
    try:  # fast, and strict: every cell a day of the calendar
        return pc.cast(head, pa.date32())
    except pa.ArrowInvalid:
        pass
    parsed = pc.strptime(head, format="%Y-%m-%d", unit="s", error_is_null=True).cast(pa.date32())
    same = pc.equal(parsed.cast(pa.string()), head)
    return pc.if_else(pc.fill_null(same, False), parsed, pa.scalar(None, pa.date32()))


_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S",
                 "%Y-%m-%d")
_ZONED_FORMATS = ("%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M%z", "%Y-%m-%dT%H:%M%z")


def _times(col: pd.Series, name: str) -> pd.Series:
    """WITA wall-clock text ('YYYY-MM-DD HH:MM', or a date alone: midnight) as +08:00 times."""
    if pd.api.types.is_datetime64_any_dtype(col):  # naive: WITA wall clock
        return col.dt.tz_localize(TZINFO).astype(DTYPES["timestamp"])
    if col.dtype == object and any(isinstance(v, dt.datetime) for v in col.head(1000)):
        col = col.map(lambda v: v.strftime(TIME_FORMAT) if isinstance(v, dt.datetime) else v)
    arr = _text_arrow(col)
    # Wall clock in WITA -> the instant: less the offset. Text with its own offset (an
    # ISO time such as '2026-01-05T09:00:00+08:00') is an instant already.
    utc = None
    for fmt, local in [(f, True) for f in _TIME_FORMATS] + [(f, False) for f in _ZONED_FORMATS]:
        got = pc.strptime(arr, format=fmt, unit="us", error_is_null=True).cast(pa.int64())
        if local:
            got = pc.subtract(got, pa.scalar(_OFFSET_US, pa.int64()))
        utc = got if utc is None else pc.coalesce(utc, got)
        if utc.null_count == arr.null_count:
            break
    day_ok = pc.is_valid(_calendar_days(pc.utf8_slice_codeunits(arr, 0, 10)))
    bad = pc.and_(pc.is_valid(arr), pc.or_(pc.is_null(utc), pc.invert(day_ok)))
    bad = bad.to_numpy(zero_copy_only=False)
    if bad.any():
        raise _bad(col, name, bad, "a time (YYYY-MM-DD HH:MM, WITA)")
    stamps = utc.cast(ARROW_TYPES["timestamp"])
    return pd.Series(stamps.to_pandas(), index=col.index).astype(DTYPES["timestamp"])
