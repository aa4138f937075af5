"""Time `ppid stats` on a synthetic register of 1,000,000 requests.

    .venv/bin/python bench/bench_stats.py [--rows N] [--years 2022-2026] [--keep]

Synthesises a register book with every BOOK_COLUMNS column (numpy draws, Arrow arrays,
typed by pipeline.book: a few seconds), writes it as ``bench/work/register.parquet``,
then times in this process:

- the baseline: a bare ``pandas.read_parquet`` of the whole file;
- ``book.read_book`` of the columns the statistics read + ``stats.compute_year``
  (what ``ppid stats`` does), and the same with the whole book loaded;
- the same on a book of text (every column a string, as books were before they were
  typed; ``--no-text`` skips it);
- ``book.write_frame`` (register.csv + register.parquet) of the whole book, once;
- ``stats.render`` of the result as a table.

Goal: ``read_book`` + ``compute_year`` under 2 s on the 2-core CI machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import book as B  # noqa: E402
from pipeline import stats  # noqa: E402
from pipeline.config import load_config  # noqa: E402
from pipeline.model import CHANNELS, DISPUTE_RESULTS, REQUESTER_KINDS, SERVICES  # noqa: E402
from pipeline.schema import BOOK_COLUMNS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
TEXT = WORK / "text"  # the same book as text


def synthesise(n: int, first_year: int, last_year: int, seed: int = 129) -> pa.Table:
    """A plausible register book of `n` requests received from `first_year` to `last_year`.

    Built column by column as Arrow arrays (numpy draws, Arrow casts): no Python per row.
    """
    rng = np.random.default_rng(seed)
    nat = np.datetime64("NaT")

    def pick(values, p=None) -> tuple[np.ndarray, pa.Array]:
        idx = rng.choice(len(values), n, p=p)
        arr = pa.DictionaryArray.from_arrays(pa.array(idx, pa.int32()), pa.array(values))
        return np.asarray(values, dtype=object)[idx], arr.cast(pa.large_string())

    def text(values) -> pa.Array:  # numpy strings, "" for none
        arr = pa.array(values, pa.large_string())
        return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr)

    def iso(days: np.ndarray) -> pa.Array:  # datetime64[D] -> 'YYYY-MM-DD' or null
        return pa.array(days.astype("datetime64[D]"), pa.date32()).cast(pa.large_string())

    start = np.datetime64(f"{first_year}-01-01")
    span = int((np.datetime64(f"{last_year}-12-31") - start).astype(int)) + 1
    received = np.sort(start + rng.integers(0, span, n).astype("timedelta64[D]"))
    minutes = received.astype("datetime64[m]") + rng.integers(8 * 60, 16 * 60, n).astype("timedelta64[m]")
    received_at = pc.strftime(pa.array(minutes.astype("datetime64[s]")), "%Y-%m-%d %H:%M").cast(
        pa.large_string())
    year = received.astype("datetime64[Y]").astype(int) + 1970

    service, service_arr = pick(SERVICES, [0.78, 0.1, 0.04, 0.08])
    _, channel_arr = pick(CHANNELS, [0.35, 0.2, 0.2, 0.15, 0.1])
    kind, kind_arr = pick(REQUESTER_KINDS, [0.6, 0.15, 0.1, 0.05, 0.05, 0.05])
    was_incomplete = rng.random(n) < 0.12
    completed = np.where(was_incomplete & (rng.random(n) < 0.8),
                         received + rng.integers(1, 20, n).astype("timedelta64[D]"), nat)
    still_incomplete = was_incomplete & np.isnat(completed)
    clock = np.where(np.isnat(completed), received, completed)
    extended = (service == "information") & (rng.random(n) < 0.08)
    limit = np.where(service == "objection", 30, np.where(extended, 17, 10))
    # Calendar days ~ 1.4 x working days: good enough for a benchmark.
    due = clock + np.ceil(limit * 1.4).astype("timedelta64[D]")
    working_days = np.clip(rng.gamma(2.2, 3.2, n).round().astype(int), 0, 40)
    answered = clock + np.ceil(working_days * 1.4).astype("timedelta64[D]")
    withdrawn = (rng.random(n) < 0.01) & ~still_incomplete
    last_day = np.datetime64(f"{last_year}-12-31")
    open_ = still_incomplete | withdrawn | (answered > last_day) | (rng.random(n) < 0.01)
    answered = np.where(open_, nat, answered)

    info_outcome = rng.choice(np.array(["granted", "partially_granted", "rejected", "not_held"]), n,
                              p=[.7, .15, .1, .05])
    outcome = np.where(service == "information", info_outcome,
                       np.where(service == "consultation", "served",
                                np.where(service == "objection",
                                         rng.choice(np.array(["upheld", "overturned"]), n), "")))
    outcome = np.where(open_, "", outcome)
    status = np.where(still_incomplete, "incomplete",
                      np.where(withdrawn, "withdrawn",
                               np.where(open_, "review",
                                        np.where(service == "complaint", "registered", "answered"))))
    refused = np.isin(outcome, ["partially_granted", "rejected"])
    grounds = np.where(refused, rng.choice(np.array(["h", "i", "h;i", "j", "c;h"]), n), "")
    objection = service == "objection"
    disputed = objection & (outcome == "upheld") & (rng.random(n) < 0.1)
    settled = disputed & (rng.random(n) < 0.7)
    seq = pc.utf8_lpad(pa.array(np.arange(1, n + 1)).cast(pa.string()), 7, "0")
    columns = {
        "register_no": pc.binary_join_element_wise(seq, pa.array(year).cast(pa.string()), "/PPID/"),
        "received_at": received_at,
        "completed_at": iso(completed),
        "service": service_arr, "channel": channel_arr, "requester_kind": kind_arr,
        "requester_name": pc.binary_join_element_wise(
            "Pemohon", pa.array(rng.integers(0, n // 3, n)).cast(pa.string()), " "),
        "subject": pick(["Salinan Keputusan KPU Provinsi NTT", "Rekapitulasi hasil pemilu",
                         "Data pemilih disabilitas per kabupaten/kota"])[1],
        "purpose": pick(["Penelitian", "Kajian", "Advokasi"])[1],
        "status": text(status), "outcome": text(outcome), "grounds": text(grounds),
        "due_date": iso(np.where(still_incomplete, nat, due)),
        "answered_at": iso(answered),
        "working_days": pa.array(working_days, pa.int64(), mask=open_),
        "on_time": pa.array(answered <= due, pa.bool_(), mask=open_),
        "extended": pa.array(extended),
        "letter_no": pc.binary_join_element_wise(seq, "PP.06-SD/53", "/"),
        "year": pa.array(year, pa.int64()),
        "day_one": iso(clock + np.timedelta64(1, "D")),
        "items": pa.array(np.where(service == "information", rng.integers(1, 4, n), 0)),
        "requester_organization": text(np.where(kind == "individual", "", "Lembaga Contoh")),
        "form": pick(["softcopy", "hardcopy", "view"])[1],
        "delivery": pick(["pickup", "email", "whatsapp", "post"])[1],
        "missing": text(np.where(was_incomplete & np.isnat(completed),
                                 rng.choice(np.array(["identity_copy", "source;purpose"]), n), "")),
        "was_incomplete": pa.array(was_incomplete),
        "objection_to": text(np.where(objection, "0001/PPID/2026", "")),
        "objection_grounds": text(np.where(objection, rng.choice(np.array(["a", "a;e", "c", "g"]), n), "")),
        "objection_result": text(np.where(objection & (outcome != ""), outcome, "")),
        # one upheld objection in ten goes on to the Komisi Informasi; most are settled
        "dispute_filed": iso(np.where(disputed, answered + np.timedelta64(10, "D"), nat)),
        "dispute_case_no": text(np.where(disputed, "001/KI-NTT-PS", "")),
        "dispute_result": text(np.where(settled, rng.choice(np.array(DISPUTE_RESULTS), n), "")),
        "dispute_decided": iso(np.where(settled, answered + np.timedelta64(60, "D"), nat)),
        "withdrawn_at": iso(np.where(withdrawn, received + np.timedelta64(2, "D"), nat)),
        "source_file": text(np.full(n, "inbox/x.yaml")),
        # the notice's delivery (spec section 9): sent on the answer's day, received within three days
        "notice_sent_on": iso(answered),
        "notice_received_on": iso(answered + rng.integers(0, 4, n).astype("timedelta64[D]")),
        "notice_receipt_days": pa.array(rng.integers(0, 4, n), pa.int64(), mask=open_),
        "status_code": text(np.full(n, "")),
    }
    columns = {name: columns[name] for name in BOOK_COLUMNS}  # the book's order
    return pa.table(columns)


def typed(table: pa.Table) -> pa.Table:
    """The synthesised text book with the book's types (pipeline.book)."""
    frame = table.to_pandas(types_mapper=lambda t: pd.StringDtype() if t in (
        pa.string(), pa.large_string()) else None)
    return B.to_arrow(B.coerce_book(frame))


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--years", default="2022-2026", help="first-last year of receipt")
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs")
    ap.add_argument("--keep", action="store_true", help="keep bench/work/ afterwards")
    ap.add_argument("--no-text", action="store_true", help="skip the book of text")
    args = ap.parse_args()
    first, last = (int(y) for y in args.years.split("-"))

    WORK.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    text_book = synthesise(args.rows, first, last)
    book = typed(text_book)
    pq.write_table(book, WORK / "register.parquet")
    size = (WORK / "register.parquet").stat().st_size / 1e6
    print(f"synthesised {book.num_rows:,} rows ({first}-{last}) and wrote "
          f"{size:.0f} MB parquet in {time.perf_counter() - t0:.1f} s")
    TEXT.mkdir(parents=True, exist_ok=True)
    pq.write_table(text_book, TEXT / "register.parquet")
    del book, text_book

    as_of = dt.date(last + 1, 1, 15)
    deadlines = load_config(ROOT / "config").deadlines  # as `ppid stats` passes them
    baseline, _ = best_of(lambda: pd.read_parquet(WORK / "register.parquet"), args.repeat)

    def stats_run(columns, folder=WORK):
        book = B.read_book(folder, columns=columns)
        return stats.compute_year(book, last, as_of, deadlines=deadlines)

    t_stats, result = best_of(lambda: stats_run(stats.STATS_COLUMNS), args.repeat)
    t_full, _ = best_of(lambda: stats_run(None), args.repeat)
    t_load, book = best_of(lambda: B.read_book(WORK, columns=stats.STATS_COLUMNS), args.repeat)
    t_compute, _ = best_of(lambda: stats.compute_year(book, last, as_of, deadlines=deadlines),
                           args.repeat)
    t_render, _ = best_of(lambda: stats.render(result, "table"), args.repeat)
    rows = [
        ("baseline: pandas.read_parquet (all columns)", baseline),
        ("ppid stats: read_book(STATS_COLUMNS) + compute_year", t_stats),
        ("  of which read_book", t_load),
        ("  of which compute_year", t_compute),
        ("read_book(all columns) + compute_year", t_full),
    ]
    if not args.no_text:
        t_text, text_result = best_of(lambda: stats_run(stats.STATS_COLUMNS, TEXT), args.repeat)
        assert text_result == result, "the text book gives other figures"
        rows.append(("a book of text: read_book(STATS_COLUMNS) + compute_year", t_text))
    full = B.read_book(WORK)
    out = WORK / "written"
    out.mkdir(exist_ok=True)
    t_write, _ = best_of(lambda: B.write_frame(out, full), 1)
    rows += [("write_frame (register.csv + register.parquet), once", t_write),
             ("render(table)", t_render)]

    print(f"best of {args.repeat}, {args.rows:,} rows, year {last} beside {last - 1}:")
    for label, t in rows:
        print(f"  {label:<56} {t:7.3f} s   {t / baseline:5.2f} x baseline")
    req = result["requests"]
    print(f"  year {last}: {req['received']:,} received, {req['decided']:,} decided, "
          f"on time {result['timeliness']['on_time_pct']} %, backlog "
          f"{result['backlog']['pending']:,} ({result['backlog']['overdue']:,} overdue)")
    verdict = "OK" if t_stats < 2.0 else "OVER the 2 s goal"
    print(f"goal: ppid stats < 2 s -> {t_stats:.2f} s {verdict}")
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
