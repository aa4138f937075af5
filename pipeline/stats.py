"""Compliance statistics of the register book (UU KIP; Perki 1/2021 Pasal 56 figures).

`book.read_book` reads the book, `compute` turns it into one nested dict of plain numbers for
a period, `compute_year` / `compute_with_previous` add the same figures for the period a
year earlier under ``"previous"``, and `render` prints a result as a table, CSV or JSON.

What counts, in one place:

- A request belongs to the period by the date it was received.
- Everything is as known on ``as_of``: a notice dated after it is not yet issued.
- At a date D a request is *withdrawn* (withdrawn_at <= D, or status withdrawn without
  a date), else *decided* (answered_at <= D), else *incomplete* (it was incomplete and
  not completed by D: its clock has not started), else *pending*. Pending with a
  due_date before D is *overdue*.
- The backlog is taken at the end of the period (or ``as_of`` when earlier) over every
  request received by then, whatever its year; complaints are left out of it because
  the decree sets them no deadline.
- Disputes at the Komisi Informasi count by the date they were filed there.
- Timeliness (working days, on time, bands) is about the written notice of information
  requests (UU KIP Pasal 22 ayat 7, extended under ayat 8). The bands are cut at the
  office's configured `deadlines` (``notice``, ``notice + extension``), passed in as
  ``deadlines``; consultations and objections (Pasal 38) have their own sections, on
  time by their own due_date.

No name, subject or free text leaves this module: only counts, dates and register
numbers, so nothing personal (UU 27/2022) can reach a statistic.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline.book import coerce_book, has_dtype, kind
from pipeline.deadlines import DEFAULTS as DEFAULT_DEADLINES
from pipeline.errors import UsageError
from pipeline.model import CHANNELS, DISPUTE_RESULTS, PASAL17_GROUNDS, PASAL35_GROUNDS, REQUESTER_KINDS, SERVICES

FORMATS = ("table", "csv", "json")
OUTCOMES = (
    "granted", "partially_granted", "rejected", "not_held", "served", "upheld", "overturned",
)
STATUSES = ("incomplete", "review", "answered", "scheduled", "registered", "withdrawn")
OLDEST = 10  # how many of the oldest pending requests are listed
HISTOGRAM_MAX = 30  # display width: working days counted one by one, longer ones together
# (widened to the extended deadline when the office's deadlines reach past it)
# What `compute` reads: pass to `book.read_book(columns=...)` to skip the text columns.
STATS_COLUMNS = [
    "register_no", "received_at", "completed_at", "due_date", "answered_at", "withdrawn_at",
    "service", "channel", "requester_kind", "status", "outcome", "objection_result",
    "working_days", "on_time", "extended", "was_incomplete", "grounds", "objection_grounds",
    "missing", "dispute_filed", "dispute_decided", "dispute_result",
    "notice_sent_on", "notice_received_on", "notice_receipt_days",
]

# Working days after `a` up to and including `b` (the day number of `b` when `a` is the
# day the clock starts); only used to age the oldest pending requests.
WorkingDays = Callable[[dt.date, dt.date], int]



# --- the book as arrays, parsed once ------------------------------------------------------


@dataclass
class _Cat:
    """A category column as integer codes (-1 for empty) and its labels."""

    codes: np.ndarray
    labels: list[str]

    def counts(self, mask: np.ndarray, keys: tuple[str, ...], empty: str | None = None) -> dict:
        """Counts under `mask`, every key of `keys` present; unexpected values follow."""
        binc = np.bincount(self.codes[mask] + 1, minlength=len(self.labels) + 1)
        found = {lab: int(binc[i + 1]) for i, lab in enumerate(self.labels)}
        out = {k: found.pop(k, 0) for k in keys}
        out.update({k: v for k, v in sorted(found.items()) if v})
        if empty is not None:
            out[empty] = int(binc[0])
        return out

    def letters(self, mask: np.ndarray, keys: tuple[str, ...]) -> dict:
        """For a ';'-joined column: how many rows under `mask` cite each code.

        Counted per distinct joined value, so the splitting is done a few times, not per
        row; a code cited twice in one row counts once.
        """
        out = dict.fromkeys(keys, 0)
        binc = np.bincount(self.codes[mask] + 1, minlength=len(self.labels) + 1)
        for i in np.flatnonzero(binc[1:]):
            for code in {c.strip().lower() for c in self.labels[i].split(";")} - {""}:
                out[code] = out.get(code, 0) + int(binc[i + 1])
        extra = sorted(k for k in out if k not in keys)
        return {k: out[k] for k in (*keys, *extra)}

    def eq(self, value: str) -> np.ndarray:
        try:
            return self.codes == self.labels.index(value)
        except ValueError:
            return np.zeros(len(self.codes), dtype=bool)


class _Arrays:
    """The columns the statistics need, as numpy arrays (dates as datetime64[D])."""

    def __init__(self, book: pd.DataFrame):
        self.register_no = book["register_no"] if "register_no" in book else None
        self.received = _dates(book, "received_at")
        self.completed = _dates(book, "completed_at")
        self.due = _dates(book, "due_date")
        self.answered = _dates(book, "answered_at")
        self.withdrawn_at = _dates(book, "withdrawn_at")
        self.service = _cat(book, "service")
        self.channel = _cat(book, "channel")
        self.kind = _cat(book, "requester_kind")
        self.status = _cat(book, "status")
        self.outcome = _cat(book, "outcome")
        self.objection_result = _cat(book, "objection_result")
        self.working_days = _floats(book, "working_days")
        self.extended = _bools(book, "extended")
        self.was_incomplete = _bools(book, "was_incomplete") | self.status.eq("incomplete")
        on_time = _bools(book, "on_time", na=-1)
        # Rows written without on_time: a notice dated on or before its due date is on time.
        derived = (self.answered <= self.due).astype(np.int8)
        self.on_time = np.where(on_time >= 0, on_time, derived).astype(bool)
        self.grounds = _cat(book, "grounds")
        self.objection_grounds = _cat(book, "objection_grounds")
        self.missing = _cat(book, "missing")
        self.dispute_filed = _dates(book, "dispute_filed")
        self.dispute_decided = _dates(book, "dispute_decided")
        self.dispute_result = _cat(book, "dispute_result")
        self.notice_sent = _dates(book, "notice_sent_on")
        self.notice_received = _dates(book, "notice_received_on")
        self.receipt_days = _floats(book, "notice_receipt_days")

    # A request's state at date d (numpy datetime64[D]).
    def withdrawn_by(self, d) -> np.ndarray:
        dated = ~np.isnat(self.withdrawn_at)
        return (dated & (self.withdrawn_at <= d)) | (~dated & self.status.eq("withdrawn"))

    def decided_by(self, d) -> np.ndarray:
        return self.answered <= d

    def incomplete_at(self, d) -> np.ndarray:
        return self.was_incomplete & ~(self.completed <= d)

    def states_at(self, d) -> dict[str, np.ndarray]:
        withdrawn = self.withdrawn_by(d)
        decided = ~withdrawn & self.decided_by(d)
        incomplete = ~withdrawn & ~decided & self.incomplete_at(d)
        pending = ~withdrawn & ~decided & ~incomplete
        return {"withdrawn": withdrawn, "decided": decided, "incomplete": incomplete,
                "pending": pending}


def _typed(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column in the book's dtype (a frame not read by pipeline.book is typed here)."""
    col = frame[name]
    if not has_dtype(col, kind(name)):
        col = coerce_book(frame[[name]], [name])[name]
    return col


def _dates(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A date or time column as datetime64[D] (the WITA calendar day); empty as NaT."""
    if name not in frame or len(frame) == 0:
        return np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[D]")
    col = _typed(frame, name)
    if isinstance(col.dtype, pd.DatetimeTZDtype):  # the wall clock in WITA, then its day
        return col.dt.tz_localize(None).to_numpy(dtype="datetime64[us]").astype("datetime64[D]")
    arr = pa.array(col.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.to_numpy(zero_copy_only=False).astype("datetime64[D]")


def _cat(frame: pd.DataFrame, name: str) -> _Cat:
    if name not in frame or len(frame) == 0:
        return _Cat(np.full(len(frame), -1, dtype=np.int64), [])
    col = frame[name]
    if not isinstance(col.dtype, pd.CategoricalDtype):  # a text column: encoded here
        arr = pa.array(col.astype("string"), from_pandas=True)
        col = pd.Series(arr.dictionary_encode().to_pandas(), index=col.index)
    labels = [str(x).strip() for x in col.cat.categories]
    codes = col.cat.codes.to_numpy().astype(np.int64)
    # Empty labels count as empty; labels that differ only by spaces are merged.
    first: dict[str, int] = {}
    remap = np.array([-1 if not lab else first.setdefault(lab, len(first)) for lab in labels]
                     + [-1], dtype=np.int64)
    return _Cat(remap[codes], list(first))


def _floats(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return _typed(frame, name).to_numpy(dtype=float, na_value=np.nan)


def _bools(frame: pd.DataFrame, name: str, na: int = 0) -> np.ndarray:
    """A boolean column as bool (na=0) or as int8 with -1 for empty (na=-1)."""
    if name not in frame:
        out = np.full(len(frame), na, dtype=np.int8)
    else:
        out = _typed(frame, name).astype("Int8").to_numpy(dtype=np.int8, na_value=na)
    return out.astype(bool) if na == 0 else out


# --- the figures ---------------------------------------------------------------------------


def _day(d: dt.date) -> np.datetime64:
    return np.datetime64(d.isoformat(), "D")


def _iso(d) -> str | None:
    return None if np.isnat(d) else str(np.datetime64(d, "D"))


def _num(x: float, places: int = 2) -> float:
    return round(float(x), places)


def _summary(days: np.ndarray) -> dict:
    """Median, mean, minimum and maximum of working days (None when there are none)."""
    days = days[~np.isnan(days)]
    if days.size == 0:
        return {"count": 0, "median": None, "mean": None, "min": None, "max": None}
    return {"count": int(days.size), "median": _num(np.median(days)), "mean": _num(days.mean()),
            "min": int(days.min()), "max": int(days.max())}


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else _num(100.0 * part / whole, 1)


def limits(deadlines: Mapping[str, int] | Any | None = None) -> dict[str, int]:
    """The day counts the bands are cut at, from the office's deadlines (config `deadlines:`).

    `deadlines` is `Config.deadlines` (a mapping, or an object with attributes ``notice``
    and ``extension``); None takes the clock's defaults (`deadlines.DEFAULTS`).
    """
    if deadlines is None:
        deadlines = DEFAULT_DEADLINES

    def get(key: str) -> int:
        return int(deadlines[key] if isinstance(deadlines, Mapping) else getattr(deadlines, key))

    notice, extension = get("notice"), get("extension")
    return {"notice": notice, "extended": notice + extension,
            "histogram_max": max(HISTOGRAM_MAX, notice + extension)}


def band_edges(lim: dict[str, int]) -> list[tuple[str, int, int | None]]:
    """(key, first day, last day or None) of each band; keys name their days, e.g. "6_10"."""
    notice, extended = lim["notice"], lim["extended"]
    half = notice // 2
    edges = [("same_day", -(10 ** 6), 0)]  # notice before day 1: the day it was received
    if half >= 1:
        edges.append((f"1_{half}", 1, half))
    edges.append((f"{half + 1}_{notice}", half + 1, notice))
    if extended > notice:
        edges.append((f"{notice + 1}_{extended}", notice + 1, extended))
    edges.append((f"over_{extended}", extended + 1, None))
    return edges


def _bands(days: np.ndarray, lim: dict[str, int]) -> dict:
    days = days[~np.isnan(days)]
    out = {}
    for key, lo, hi in band_edges(lim):
        mask = days >= lo if hi is None else (days >= lo) & (days <= hi)
        out[key] = int(mask.sum())
    return out


def _histogram(days: np.ndarray, top: int) -> dict:
    """Notices per working-day count ("0" .. str(top)), longer ones under f"over_{top}"."""
    days = days[~np.isnan(days)]
    if days.size == 0:
        return {}
    clipped = np.clip(days, 0, top + 1).astype(int)
    counts = np.bincount(clipped, minlength=top + 2)
    out = {str(d): int(counts[d]) for d in range(min(int(clipped.max()), top) + 1)}
    if counts[top + 1]:
        out[f"over_{top}"] = int(counts[top + 1])
    return out


def _check_period(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise UsageError(f"the period starts ({start}) after it ends ({end})")


def compute(
    book: pd.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    calendar: WorkingDays | None = None,
    deadlines: Mapping[str, int] | Any | None = None,
) -> dict:
    """The statistics of requests received from `start` to `end` (inclusive), as of `as_of`.

    `deadlines` is the office's `Config.deadlines`: the timeliness bands are cut there.
    """
    _check_period(start, end)
    return _compute(_Arrays(book), start, end, as_of, calendar, limits(deadlines))


def compute_with_previous(
    book: pd.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    calendar: WorkingDays | None = None,
    deadlines: Mapping[str, int] | Any | None = None,
) -> dict:
    """`compute` for the period, with the same period a year earlier under ``"previous"``."""
    _check_period(start, end)
    arrays = _Arrays(book)  # parsed once for both periods
    lim = limits(deadlines)
    result = _compute(arrays, start, end, as_of, calendar, lim)
    p_start, p_end = _year_earlier(start), _year_earlier(end)
    result["previous"] = _compute(arrays, p_start, p_end, as_of, calendar, lim)
    return result


def compute_year(
    book: pd.DataFrame, year: int, as_of: dt.date, calendar: WorkingDays | None = None,
    deadlines: Mapping[str, int] | Any | None = None,
) -> dict:
    """The statistics of calendar year `year`, the previous year's under ``"previous"``."""
    return compute_with_previous(
        book, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), as_of=as_of,
        calendar=calendar, deadlines=deadlines,
    )


def _year_earlier(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def _compute(a: _Arrays, start: dt.date, end: dt.date, as_of: dt.date,
             calendar: WorkingDays | None, lim: dict[str, int]) -> dict:
    cutoff = min(end, as_of)
    d_start, d_cut, d_asof = _day(start), _day(cutoff), _day(as_of)
    inp = (a.received >= d_start) & (a.received <= d_cut)
    now = a.states_at(d_asof)
    received = int(inp.sum())

    requests = {
        "received": received,
        "decided": int((inp & now["decided"]).sum()),
        "pending": int((inp & now["pending"]).sum()),
        "incomplete": int((inp & now["incomplete"]).sum()),
        "withdrawn": int((inp & now["withdrawn"]).sum()),
        "by_service": a.service.counts(inp, SERVICES),
        "by_channel": a.channel.counts(inp, CHANNELS),
        "by_requester_kind": a.kind.counts(inp, REQUESTER_KINDS),
        "by_status": a.status.counts(inp, STATUSES),
        "by_outcome": _by_outcome(a, inp & now["decided"]),
    }

    info = inp & a.service.eq("information")
    info_done = info & now["decided"]
    info_days = a.working_days[info_done]
    on_time = int((info_done & a.on_time).sum())
    n_done = int(info_done.sum())
    timeliness = {
        "received": int(info.sum()),
        "decided": n_done,
        "working_days": _summary(info_days),
        "on_time": on_time,
        "late": n_done - on_time,
        "on_time_pct": _pct(on_time, n_done),
        "extended": int((info_done & a.extended).sum()),
        "limits": {"notice": lim["notice"], "extended": lim["extended"]},
        "bands": _bands(info_days, lim),
        "histogram": _histogram(info_days, lim["histogram_max"]),
    }
    grounds = a.grounds.letters(info_done, PASAL17_GROUNDS)

    result: dict[str, Any] = {
        "period": {"start": start.isoformat(), "end": end.isoformat(),
                   "as_of": as_of.isoformat(), "backlog_date": cutoff.isoformat()},
        "requests": requests,
        "timeliness": timeliness,
        "grounds": grounds,
        "backlog": _backlog(a, d_cut, calendar),
        "incomplete": _incomplete(a, inp, now, d_asof),
        "consultations": _service_block(a, inp, now, "consultation"),
        "objections": _objections(a, inp, now),
        "disputes": _disputes(a, d_start, d_cut, d_asof),
        "complaints": _complaints(a, inp, now),
        "monthly": _monthly(a, start, cutoff, inp),
        "delivery": _delivery(a, info_done, d_asof),
    }
    return result


def _by_outcome(a: _Arrays, mask: np.ndarray) -> dict:
    """Outcomes of the decided requests. A request granted in full that still cites a Pasal 17
    ground was refused first and granted after its refusal fell (an objection overturned, the
    Komisi Informasi's ruling, a corrected notice): counted apart, `granted_on_review`, so that
    it does not read as granted at once (its ground stays in the grounds' table)."""
    out = a.outcome.counts(mask, OUTCOMES)
    reviewed = int((mask & a.outcome.eq("granted") & (a.grounds.codes >= 0)).sum())
    out["granted"] -= reviewed
    out["granted_on_review"] = reviewed
    return out


def _delivery(a: _Arrays, notices: np.ndarray, d_asof) -> dict:
    """Written notices sent and shown received (spec section 9): a relay's acceptance is
    sent, not received (UU ITE Pasal 8 ayat 2); receipt in working days from the notice."""
    n = int(notices.sum())
    sent = notices & (a.notice_sent <= d_asof)
    got = notices & (a.notice_received <= d_asof)
    return {"notices": n, "sent": int(sent.sum()), "sent_pct": _pct(int(sent.sum()), n),
            "received": int(got.sum()), "received_pct": _pct(int(got.sum()), n),
            "receipt_days": _summary(a.receipt_days[got])}


def _backlog(a: _Arrays, d, calendar: WorkingDays | None) -> dict:
    at = a.states_at(d)
    open_ = at["pending"] & (a.received <= d) & ~a.service.eq("complaint")
    overdue = open_ & (a.due < d)
    idx = np.flatnonzero(open_)
    oldest = []
    if idx.size:
        # Oldest first: by received date, then register number (opaque, but stable).
        reg = (a.register_no.iloc[idx].fillna("").to_numpy(dtype=object)
               if a.register_no is not None else np.array([""] * idx.size, dtype=object))
        order = np.lexsort((reg.astype(str), a.received[idx]))[:OLDEST]
        for j in order:
            i = idx[j]
            received = a.received[i]
            entry = {
                "register_no": str(reg[j]),
                "service": a.service.labels[a.service.codes[i]] if a.service.codes[i] >= 0 else "",
                "received": _iso(received),
                "due_date": _iso(a.due[i]),
                "overdue": bool(overdue[i]),
                "age_days": int((d - received).astype(int)),
            }
            if calendar is not None:
                start = a.completed[i] if not np.isnat(a.completed[i]) else received
                entry["working_days_open"] = int(calendar(_to_date(start), _to_date(d)))
            oldest.append(entry)
    return {
        "date": _iso(d),
        "pending": int(open_.sum()),
        "overdue": int(overdue.sum()),
        "by_service": a.service.counts(open_, tuple(s for s in SERVICES if s != "complaint")),
        "oldest": oldest,
    }


def _to_date(d) -> dt.date:
    return dt.date.fromisoformat(str(np.datetime64(d, "D")))


def _incomplete(a: _Arrays, inp: np.ndarray, now: dict, d_asof) -> dict:
    was = inp & a.was_incomplete
    missing = a.missing.letters(was, ())
    return {
        "total": int(was.sum()),
        "completed": int((was & (a.completed <= d_asof)).sum()),
        "still_incomplete": int((was & now["incomplete"]).sum()),
        "withdrawn": int((was & now["withdrawn"]).sum()),
        "by_missing": dict(sorted(missing.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def _service_block(a: _Arrays, inp: np.ndarray, now: dict, service: str) -> dict:
    rows = inp & a.service.eq(service)
    done = rows & now["decided"]
    with_due = done & ~np.isnat(a.due)
    on_time = int((with_due & a.on_time).sum())
    return {
        "received": int(rows.sum()),
        "answered": int(done.sum()),
        "pending": int((rows & now["pending"]).sum()),
        "incomplete": int((rows & now["incomplete"]).sum()),
        "withdrawn": int((rows & now["withdrawn"]).sum()),
        "working_days": _summary(a.working_days[done]),
        "on_time": on_time,
        "on_time_pct": _pct(on_time, int(with_due.sum())),
    }


def _objections(a: _Arrays, inp: np.ndarray, now: dict) -> dict:
    rows = inp & a.service.eq("objection")
    block = _service_block(a, inp, now, "objection")
    decided = rows & now["decided"]
    # The result column, else the outcome (upheld | overturned) written on the notice.
    result = a.objection_result.counts(decided, ("upheld", "overturned"), empty="none")
    if result.get("none"):
        from_outcome = a.outcome.counts(decided & (a.objection_result.codes < 0),
                                        ("upheld", "overturned"))
        result["upheld"] += from_outcome["upheld"]
        result["overturned"] += from_outcome["overturned"]
        result["none"] -= from_outcome["upheld"] + from_outcome["overturned"]
    block["by_result"] = result
    block["by_ground"] = a.objection_grounds.letters(rows, PASAL35_GROUNDS)
    return block


def _disputes(a: _Arrays, d_start, d_cut, d_asof) -> dict:
    """Objections taken to the Komisi Informasi, by the date the dispute was filed."""
    filed = (a.dispute_filed >= d_start) & (a.dispute_filed <= d_cut)
    decided = filed & (a.dispute_decided <= d_asof)
    return {
        "filed": int(filed.sum()),
        "decided": int(decided.sum()),
        "pending": int((filed & ~decided).sum()),
        "by_result": a.dispute_result.counts(decided, DISPUTE_RESULTS),
    }


def _complaints(a: _Arrays, inp: np.ndarray, now: dict) -> dict:
    rows = inp & a.service.eq("complaint")
    return {
        "received": int(rows.sum()),
        "responded": int((rows & now["decided"]).sum()),
        "by_channel": a.channel.counts(rows, CHANNELS),
    }


def _monthly(a: _Arrays, start: dt.date, cutoff: dt.date, inp: np.ndarray) -> list[dict]:
    """Per month: requests received, notices issued (whatever the receipt date), on time."""
    first = np.datetime64(start.isoformat()[:7], "M")
    last = np.datetime64(cutoff.isoformat()[:7], "M")
    if last < first:
        return []
    n_months = int((last - first).astype(int)) + 1
    d_start, d_cut = _day(start), _day(cutoff)

    def bucket(dates: np.ndarray, mask: np.ndarray) -> np.ndarray:
        m = (dates[mask].astype("datetime64[M]") - first).astype(int)
        return np.bincount(m, minlength=n_months)[:n_months]

    issued = (a.answered >= d_start) & (a.answered <= d_cut)
    got = bucket(a.received, inp)
    ans = bucket(a.answered, issued)
    ok = bucket(a.answered, issued & a.on_time & ~np.isnat(a.due))
    months = first + np.arange(n_months)
    return [{"month": str(m), "received": int(g), "answered": int(x), "on_time": int(o)}
            for m, g, x, o in zip(months, got, ans, ok)]


# --- rendering -----------------------------------------------------------------------------


def flatten(result: dict) -> list[tuple[str, str, Any, Any]]:
    """Rows (section, key, value, previous) of a result; lists are keyed by position.

    Monthly rows are keyed by the month of the period; the previous period's months sit
    beside them in the same order. The oldest pending requests have no previous value.
    """
    prev = result.get("previous") or {}
    rows: list[tuple[str, str, Any, Any]] = []
    for section, body in result.items():
        if section == "previous":
            continue
        for key, value, before in _walk(body, prev.get(section), ""):
            rows.append((section, key, value, before))
    return rows


_MISSING = object()


def _walk(value, before, prefix):
    def key(part) -> str:
        return f"{prefix}.{part}" if prefix else str(part)

    if isinstance(value, dict):
        for k, v in value.items():
            b = before.get(k, _MISSING) if isinstance(before, dict) else _MISSING
            yield from _walk(v, b, key(k))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict) and "month" in item:
                b = before[i] if isinstance(before, list) and i < len(before) else _MISSING
                body = {k: v for k, v in item.items() if k != "month"}
                bb = {k: v for k, v in b.items() if k != "month"} if isinstance(b, dict) else b
                yield from _walk(body, bb, key(item["month"]))
            else:  # the oldest pending: no previous
                yield from _walk(item, _MISSING, key(i + 1))
    else:
        yield prefix, value, (None if before is _MISSING else before)


def render(result: dict, fmt: str) -> str:
    """A result as ``table`` (plain text), ``csv`` (section,key,value,previous) or ``json``."""
    if fmt == "json":
        return json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["section", "key", "value", "previous"])
        for section, key, value, before in flatten(result):
            w.writerow([section, key, _cell(value), _cell(before)])
        return buf.getvalue()
    if fmt == "table":
        return _table(result)
    raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _table(result: dict) -> str:
    period, prev = result["period"], result.get("previous") or {}
    heads = [_period_label(period)] + ([_period_label(prev["period"])] if prev else [])
    lines = [f"PPID statistics {period['start']} to {period['end']} (as of {period['as_of']})"]
    body: list[tuple[str, list[str]]] = []  # (label, values) or a heading with no values

    def walk(value, before, label, depth):
        pad = "  " * depth
        if isinstance(value, dict):
            body.append((pad + label, []))
            for k, v in value.items():
                b = before.get(k) if isinstance(before, dict) else None
                walk(v, b, k.replace("_", " "), depth + 1)
        elif isinstance(value, list):
            body.append((pad + label, []))
            for i, item in enumerate(value):
                if "month" in item:
                    b = before[i] if isinstance(before, list) and i < len(before) else {}
                    cells = [f"{item['received']}/{item['answered']}/{item['on_time']}"]
                    if prev:
                        cells.append(f"{b.get('received', '-')}/{b.get('answered', '-')}/"
                                     f"{b.get('on_time', '-')}" if b else "-")
                    body.append((f"{pad}  {item['month']} received/answered/on time", cells))
                else:  # an oldest pending request
                    late = "OVERDUE" if item["overdue"] else ""
                    body.append((f"{pad}  {item['register_no']}  {item['service']}  received "
                                 f"{item['received']}  due {item['due_date'] or '-'}  "
                                 f"{item['age_days']} days {late}".rstrip(), []))
        else:
            body.append((pad + label, [_cell(value) or "-"] + ([_cell(before) or "-"] if prev else [])))

    for section, value in result.items():
        if section not in ("period", "previous"):
            walk(value, prev.get(section), section.replace("_", " ").upper(), 0)
    width = max(len(label) for label, cells in body if cells) + 2
    vw = max(12, *(len(c) for _, cells in body for c in cells))
    for label, cells in body:
        if not cells and not label.startswith(" "):
            lines.append("")
            lines.append(f"{label:<{width}}" + "".join(f"{h:>{vw}}" for h in heads))
        elif not cells:
            lines.append(label)
        else:
            lines.append(f"{label:<{width}}" + "".join(f"{c:>{vw}}" for c in cells))
    return "\n".join(lines) + "\n"


def _period_label(period: dict) -> str:
    s, e = period["start"], period["end"]
    if s[5:] == "01-01" and e[5:] == "12-31" and s[:4] == e[:4]:
        return s[:4]
    return f"{s}..{e}"
