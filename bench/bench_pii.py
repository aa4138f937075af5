"""Time the free-text personal-data detector (pipeline.pii) per book row.

    .venv/bin/python bench/bench_pii.py [--rows 20000] [--repeat 3]

Builds `rows` book rows (subject and purpose as requesters write them: most hold no personal
data, one in five holds a phone number, identity number, e-mail or the requester's own name,
some in disguise; the tests' corpus generators make them), then times, best of `repeat`:

- baseline: the export's scrub before issue 18 (two regular expressions and the own name
  replaced, per row: e-mails and 9+ digit runs only);
- the detector as committed at `--against` (default ``main``, read with ``git show``), so a
  change to the detector is timed against what it replaces;
- ``pii.mask_row``: what `book.book_row` and the export now do per row, here with the
  requester's registered identity number, phone, e-mail and address given (`own`), as the book does
  (at `--against` too).

The ratio is what the detector costs against that baseline, on this machine, in this run.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pipeline import pii  # noqa: E402
from test_pii import (NAMES, OWN3, hostile2_negatives, hostile2_positives, hostile_negatives,  # noqa: E402
                      hostile_positives, more_negatives, more_positives, negatives, positives)

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_DIGITS = re.compile(r"\+?\d(?:[ .\-]?\d){8,}")


def old_scrub(row: dict) -> dict:
    for col in pii.FREE_TEXT:
        t = row.get(col)
        if t:
            t = _DIGITS.sub("[dihapus]", _EMAIL.sub("[dihapus]", t))
            n = row["requester_name"]
            row[col] = re.sub(re.escape(n.strip()), "[dihapus]", t, flags=re.IGNORECASE)
    return row


def make_rows(n: int) -> list[dict]:
    r = random.Random(7)
    pos = positives(max(n // 10, 4)) + more_positives(max(n // 10, 7)) + hostile_positives(max(n // 10, 7)) \
        + hostile2_positives(max(n // 10, 9))
    neg = negatives(n - n // 5 - n // 5) + more_negatives(n // 5) + hostile_negatives(n // 10) \
        + hostile2_negatives(n // 10)
    rows = []
    for i in range(n):
        if i % 5 == 0:
            text, name, _ = pos[(i // 5) % len(pos)]
        else:
            text, name = neg[i], r.choice(NAMES)
        rows.append({"requester_name": name, "requester_organization": None,
                     "subject": f"{text} | Salinan SK penetapan calon terpilih DPRD Provinsi 2024",
                     "purpose": r.choice(["Penelitian skripsi tentang partisipasi pemilih", neg[(i + 1) % n]])})
    return rows


def committed(rev: str):
    """pipeline/pii.py as committed at `rev`, imported as a module of its own."""
    text = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:pipeline/pii.py"], check=True,
                          capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "pii_committed.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("pii_committed", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["pii_committed"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def best(fn, rows: list[dict], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        batch = [dict(row) for row in rows]
        t0 = time.process_time()  # CPU time of this process: 7 sessions share 2 cores
        for row in batch:
            fn(row)
        times.append(time.process_time() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--against", default="main", help="git revision of the detector to compare with")
    a = ap.parse_args()
    rows = make_rows(a.rows)
    before = committed(a.against)
    def mask_row(row: dict) -> dict:
        return pii.mask_row(row, own=OWN3)

    def mask_row_before(row: dict) -> dict:
        return before.mask_row(row, own=OWN3)

    for fn in (mask_row, mask_row_before):
        fn(dict(rows[0]))  # imports and caches outside the timing
    base = best(old_scrub, rows, a.repeat)
    then = best(mask_row_before, rows, a.repeat)
    mine = best(mask_row, rows, a.repeat)
    print(f"{a.rows:,} rows, best of {a.repeat}")
    print(f"{'baseline: old export scrub':<34}{base:8.3f} s  {base / a.rows * 1e6:7.1f} µs/row  1.00×")
    label = f"pii.mask_row at {a.against}"
    print(f"{label:<34}{then:8.3f} s  {then / a.rows * 1e6:7.1f} µs/row  {then / base:5.2f}×")
    print(f"{'pii.mask_row (this tree)':<34}{mine:8.3f} s  {mine / a.rows * 1e6:7.1f} µs/row  {mine / base:5.2f}×"
          f"  ({mine / then:.2f}× {a.against})")


if __name__ == "__main__":
    main()
