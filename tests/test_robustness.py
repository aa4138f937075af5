"""Robustness of `ppid run` (issue 6): bad input, crashes, concurrent runs, hostile text, permissions.

1. Bad input: the catalogue in tests/fixtures/robustness/bad_requests.py (300+ malformed
   request files) and Hypothesis mutations of a valid file, each batch with a good file:
   one `rejected_file` line per bad file naming the file, field path and line; exit code 1;
   no traceback; nothing of a bad file in the log; the good file registered. Malformed
   attachments (empty, truncated, encrypted, fake, decompression bomb, symlinked out).
2. Crashes: the real `python -m pipeline run` SIGKILLed at random moments, then run to the
   end: the register, the log and the letters equal those of an uninterrupted run.
3. Concurrency: several `ppid run` processes on one records folder at once.
5. Requester text that looks like template code or XML comes out literally in the letters.
6. Permissions: records/ is 0700, the log and the book 0600, letters not world-readable.
7. A full disk (issue 12): --records and --out on a real small tmpfs (root), else a
   fault-injecting layer; every free-space size; the rerun equals an uninterrupted run.
8. A letter whose PDF failed: reported, not counted, owed (`ppid due`), retried.
9. Which request a file changes: purged stays purged, a supplement must match its
   requester, a corrected `received` keeps the number.
10-11. Validation gaps, numbering, ownership of folders, terminal escapes, one-line
   errors (years, dates, templates, survey cells, wrong events, read-only folders).
12. A crash at any byte of an append: the batch is in the log whole or not at all.

The figures (how many inputs, kill points, runs) are printed: run with `pytest -s` to see them.
The heavy parts are marked `slow`: `pytest -m "not slow"` is the fast loop; `make test` runs all.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import os
import random
import signal
import stat
import subprocess
import sys
import time
import traceback
import zlib
from dataclasses import dataclass
from pathlib import Path

import docx
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from docx.oxml.ns import qn
from filelock import FileLock
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pipeline import book as book_module
from pipeline.cli import main
from pipeline.loading import _DATETIME_RE
from helpers import ROOT, base_request, fast_share, write_request
from tests.fixtures.robustness import bad_requests as B

DATE = "2026-11-30"  # processing date (a Monday); every good request is received before it
PY = sys.executable


# --- running ppid -----------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    lines: list[dict]
    stdout: str
    stderr: str
    elapsed: float = 0.0

    def by_name(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for line in self.lines:
            out.setdefault(Path(line["file"]).name, []).append(line)
        return out

    def one(self, name: str) -> dict:
        found = self.by_name().get(name, [])
        assert len(found) == 1, f"{name}: expected exactly one JSON line, got {len(found)}"
        return found[0]


def run_args(inbox: Path, records: Path, out: Path, *extra: str, date: str = DATE, pdf: bool = False) -> list[str]:
    args = ["run", str(inbox), "--json", "--config", str(ROOT / "config"), "--templates", str(ROOT / "templates"),
            "--records", str(records), "--out", str(out), "--date", date, *extra]
    return args if pdf else [*args, "--no-pdf"]


def cli_run(inbox: Path, records: Path, out: Path, *extra: str, date: str = DATE, pdf: bool = False) -> Run:
    """`ppid run --json` in this process; a Python exception escaping it fails the test."""
    start = time.monotonic()
    result = CliRunner().invoke(main, run_args(inbox, records, out, *extra, date=date, pdf=pdf))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        tb = "".join(traceback.format_exception(*result.exc_info))
        pytest.fail(f"ppid run ended in a traceback instead of a clear message:\n{tb[-2500:]}")
    text = result.stdout + result.stderr
    assert "Traceback" not in text, text[-2000:]
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    return Run(result.exit_code, lines, result.stdout, result.stderr, time.monotonic() - start)


def proc_cmd(inbox: Path, records: Path, out: Path, *extra: str, date: str = DATE, pdf: bool = False) -> list[str]:
    return [PY, "-m", "pipeline", *run_args(inbox, records, out, *extra, date=date, pdf=pdf)]


def proc_run(inbox: Path, records: Path, out: Path, *extra: str, pdf: bool = False, timeout: float = 300) -> Run:
    """`python -m pipeline run --json` as a separate process, to the end."""
    start = time.monotonic()
    p = subprocess.run(proc_cmd(inbox, records, out, *extra, pdf=pdf), cwd=ROOT, capture_output=True, text=True,
                       timeout=timeout)
    assert "Traceback" not in p.stdout + p.stderr, p.stderr[-3000:]
    lines = [json.loads(x) for x in p.stdout.splitlines() if x.strip()]
    return Run(p.returncode, lines, p.stdout, p.stderr, time.monotonic() - start)


def events(records: Path) -> list[dict]:
    path = records / "events.jsonl"
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def book(records: Path) -> pd.DataFrame:
    """The register book as text; the status code is random for each run that registers (spec section 3)."""
    return pd.read_csv(records / "register.csv", dtype=str, keep_default_na=False).drop(
        columns=["status_code"], errors="ignore")


def contiguous(numbers: list[int]) -> bool:
    return sorted(numbers) == list(range(1, len(numbers) + 1))


def check_numbering(records: Path) -> tuple[int, int]:
    """Register and letter numbers in the log: unique and gapless per year. Returns the counts."""
    evs = events(records)
    regs, letters = {}, {}
    for e in evs:
        if e["type"] == "received":
            regs.setdefault(e["register_year"], []).append(e["register_seq"])
        if e["type"] == "letter":
            letters.setdefault(e["letter_year"], []).append(e["letter_seq"])
    for year, seqs in regs.items():
        assert contiguous(seqs), f"register numbers of {year} not unique and gapless: {sorted(seqs)}"
    for year, seqs in letters.items():
        assert contiguous(seqs), f"letter numbers of {year} not unique and gapless: {sorted(seqs)}"
    nos = [e["letter_no"] for e in evs if e["type"] == "letter"]
    assert len(nos) == len(set(nos)), "a letter number was issued twice"
    rnos = [e["register_no"] for e in evs if e["type"] == "received"]
    assert len(rnos) == len(set(rnos)), "a register number was handed out twice"
    return sum(map(len, regs.values())), sum(map(len, letters.values()))


def leftovers(*folders: Path) -> list[str]:
    """Half-written or temporary files: *.tmp, hidden files other than the lock, conversion folders."""
    found = []
    for folder in folders:
        if not folder.exists():
            continue
        for p in folder.rglob("*"):
            if p.name == ".lock":
                continue
            if p.name.endswith(".tmp") or p.name.startswith("."):
                found.append(str(p.relative_to(folder.parent)))
    return sorted(found)


# --- request files ----------------------------------------------------------------------------

ITEMS = ["Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih DPRD Provinsi 2024",
         "Salinan KTP pendukung calon perseorangan",
         "Salinan formulir C.Hasil TPS 01 Kelurahan Oebobo",
         "Putusan DKPP tentang anggota KPU Kabupaten Kupang",
         "Rekapitulasi DPT Pemilu 2024 per kabupaten/kota"]


def varied_requests(inbox: Path, n: int, prefix: str = "r", *, offset: int = 0) -> list[Path]:
    """n request files of every service and channel, some incomplete, distinct names and times."""
    paths = []
    for i in range(n):
        k = (i + offset) % 6
        if k == 0:
            d = base_request(information=[ITEMS[i % 5]])
        elif k == 1:
            d = base_request(information=[ITEMS[(i + 1) % 5], ITEMS[(i + 2) % 5]])
        elif k == 2:
            d = base_request(source=None)  # incomplete
        elif k == 3:
            d = base_request("consultation", "email")
        elif k == 4:
            d = base_request("complaint", "letter")
        else:
            d = base_request("information", "walk_in")
        d["received"] = f"2026-11-{2 + (i + offset) % 25:02d} {8 + i % 8:02d}:{(i * 7 + offset) % 60:02d}"
        d["requester"]["name"] = f"Pemohon {prefix.upper()} Nomor {i}"
        # distinct people: one identity number and phone each (shared ones make them duplicates)
        tag = f"{ord(prefix[0]) % 100:02d}"
        d["requester"]["phone"] = f"0812{tag}{i + offset * 100:06d}"
        if "identity" in d["requester"]:
            d["requester"]["identity"]["number"] = f"5371{tag}{i + offset * 100:010d}"
        paths.append(write_request(inbox, f"{prefix}{i:03d}.yaml", d))
    return paths


def minimal_pdf(text: str = "Surat permohonan") -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.drawString(72, 770, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def photo_jpeg() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(img).text((40, 40), "Surat permohonan informasi", fill="black")
    buf = io.BytesIO()
    img.save(buf, format="JPEG")
    return buf.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.encrypt(user_password=user_password, owner_password="pemilik", algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A 1-bit PNG of width x height (900 million pixels) in about 100 kB: a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def docx_text(path: Path) -> str:
    """All text of a .docx, one paragraph a line (body, tables, headers and footers)."""
    d = docx.Document(str(path))
    parts = [d.element.body]
    for s in d.sections:
        parts += [s.header._element, s.footer._element]
    lines = []
    for part in parts:
        for p in part.iter(qn("w:p")):
            lines.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return "\n".join(lines)


# ==============================================================================================
# 1. Bad input
# ==============================================================================================


def check_rejected(line: dict, inbox: Path, case: B.Bad) -> list[str]:
    """What is wrong with the rejection of one bad file (empty list: nothing)."""
    problems = []
    if line["status"] != "rejected_file":
        return [f"status {line['status']!r}, not rejected_file"]
    if set(line) != {"file", "status", "error", "errors"}:  # errors: the same problems as data (issue 10)
        problems.append(f"keys {sorted(line)}")
    error = line.get("error") or ""
    if not error.startswith(str(inbox / case.name)):
        problems.append("the error does not start with the file")
    if case.path and f"field '{case.path}'" not in error:
        problems.append(f"the error does not name the field '{case.path}'")
    if case.line and f"{case.name}:{case.line}:" not in error:
        problems.append(f"the error does not name line {case.line}")
    if case.words and case.words not in error:
        problems.append(f"the error does not say {case.words!r}")
    return problems


def test_catalogue_of_malformed_files_is_rejected_file_by_file(tmp_path):
    inbox = tmp_path / "inbox"
    cases = B.catalogue()
    B.write(inbox, cases)
    (inbox / "good.yaml").write_text(B.canonical_text(), encoding="utf-8")
    pwned = Path("/tmp/ppid-pwned")
    pwned.unlink(missing_ok=True)

    run = cli_run(inbox, tmp_path / "records", tmp_path / "out")

    assert run.code == 1
    by_name = run.by_name()
    assert len(run.lines) == len(cases) + 1, "one JSON line per request file"
    failures = {}
    for case in cases:
        lines = by_name.get(case.name, [])
        if len(lines) != 1:
            failures[case.name] = [f"{len(lines)} JSON lines"]
            continue
        problems = check_rejected(lines[0], inbox, case)
        if problems:
            failures[case.name] = problems + [lines[0].get("error", "")[:300]]
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)

    good = run.one("good.yaml")
    assert good["status"] == "answered" and good["register_no"] == "0001/PPID/2026"
    log = (tmp_path / "records" / "events.jsonl").read_text(encoding="utf-8")
    assert not [c.name for c in cases if f'/{c.name}"' in log], "a rejected file entered the log"
    assert {e["register_no"] for e in events(tmp_path / "records")} == {"0001/PPID/2026"}
    reg = book(tmp_path / "records")
    assert list(reg["register_no"]) == ["0001/PPID/2026"] and reg.loc[0, "source_file"].endswith("good.yaml")
    assert not pwned.exists(), "a YAML tag ran a command"
    assert not (tmp_path / "out").exists() or {p.name for p in (tmp_path / "out").iterdir()} == {"0001-PPID-2026"}

    kinds: dict[str, int] = {}
    for c in cases:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    print(f"\n[robustness] catalogue: {len(cases)} malformed files + 1 good file in one batch, "
          f"{run.elapsed:.1f} s; all rejected_file, nothing logged. By kind: "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))


# --- Hypothesis: random mutations of a valid file --------------------------------------------

SAFE_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufffe\uffff\ufeff")
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
ENUM_CHOICES = {"service": ("information", "consultation", "objection", "complaint"),
                "channel": ("letter", "whatsapp", "email", "eppid", "walk_in"),
                "requester.kind": ("individual", "institution", "ngo", "mass_organization", "political_party",
                                   "public_body"),
                "requester.identity.type": ("ktp", "passport", "other"), "form": ("softcopy", "hardcopy", "view"),
                "delivery": ("pickup", "email", "whatsapp", "post")}
TOP_LEVEL = [p for p, t in B.CANONICAL if "." not in p and "[" not in p and not t.rstrip().endswith(":")]
KNOWN_TOP = {"service", "channel", "received", "completed", "requester", "addressed_to", "letter", "information",
             "topic", "purpose", "source", "form", "delivery", "guest_book", "decision", "answer", "objection_to",
             "grounds", "text", "category", "response", "withdrawn"}


def _scalar_yaml(value) -> str:
    """A random value as one line of YAML."""
    if isinstance(value, float) and value != value:
        return ".nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


@st.composite
def mutation(draw):
    """(kind, file bytes, expected (path, line, words) or None when any answer may be right)."""
    kind = draw(st.sampled_from(["container", "enum", "unknown_key", "bad_utf8", "duplicate",
                                 "scalar", "drop", "bytes", "truncate"]))
    text = B.canonical_text()
    if kind == "container":
        path = draw(st.sampled_from(B.LEAVES))
        if draw(st.booleans()):
            value = draw(st.lists(st.text(SAFE_CHARS, max_size=10), max_size=3))
            words = "not a list"
        else:
            value = draw(st.dictionaries(st.text(SAFE_CHARS, min_size=1, max_size=8), st.integers(), min_size=0,
                                         max_size=3))
            words = "not a mapping"
        return kind, B.with_value(path, json.dumps(value, ensure_ascii=False)).encode(), (path, B.LINE[path], words)
    if kind == "enum":
        path = draw(st.sampled_from(sorted(ENUM_CHOICES)))
        value = draw(st.text(SAFE_CHARS, max_size=15).filter(lambda v: v.strip() not in ENUM_CHOICES[path]))
        return kind, B.with_value(path, json.dumps(value, ensure_ascii=False)).encode(), (path, B.LINE[path],
                                                                                           "is not allowed")
    if kind == "unknown_key":
        key = draw(st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True).filter(lambda k: k not in KNOWN_TOP))
        return kind, B.appended(f"{key}: x").encode(), (key, B.NEXT, "is not a known field")
    if kind == "bad_utf8":
        line = draw(st.integers(1, len(B.CANONICAL)))
        col = draw(st.integers(0, len(B.CANONICAL[line - 1][1])))
        byte = draw(st.sampled_from([0x80, 0xbf, 0xc0, 0xc1, 0xf5, 0xfe, 0xff]))
        lines = [t.encode() for _, t in B.CANONICAL]
        lines[line - 1] = lines[line - 1][:col] + bytes([byte]) + lines[line - 1][col:]
        return kind, b"\n".join(lines) + b"\n", ("", line, "not UTF-8")
    if kind == "duplicate":
        path = draw(st.sampled_from(TOP_LEVEL))
        return kind, B.appended(B.CANONICAL[B.LINE[path] - 1][1]).encode(), (path, B.NEXT, "given twice")
    if kind == "scalar":
        path = draw(st.sampled_from(B.LEAVES))
        value = draw(st.one_of(st.integers(), st.floats(), st.booleans(), st.none(), ANY_TEXT, st.datetimes(min_value=dt.datetime(1000, 1, 1))
                               .map(lambda d: d.isoformat(sep=" "))))
        return kind, B.with_value(path, _scalar_yaml(value)).encode(), None
    if kind == "drop":
        paths = draw(st.lists(st.sampled_from([p for p, _ in B.CANONICAL]), min_size=1, max_size=4))
        return kind, B.without(*paths).encode(), None
    data = text.encode()
    if kind == "bytes":
        pos = draw(st.integers(0, len(data)))
        junk = draw(st.binary(min_size=1, max_size=12))
        return kind, data[:pos] + junk + data[pos + draw(st.integers(0, 3)):], None
    pos = draw(st.integers(0, len(data)))
    return kind, data[:pos], None


MUTATION_FIGURES = {"files": 0, "rejected": 0, "accepted": 0, "batches": 0}


@pytest.mark.slow
@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(st.lists(mutation(), min_size=40, max_size=40))
def test_hypothesis_mutations_of_a_valid_file(tmp_path_factory, mutations):
    """40 mutated copies of the canonical request a batch (no shrinking: each example is a
    whole `ppid run`; a failure prints the file's bytes). Mutations with a known answer
    (wrong container, unknown enum value or key, a duplicate, a non-UTF-8 byte) must be
    rejected naming field and line; any other (random scalar, dropped lines, random bytes,
    truncation) may be a request or a rejected file, but never a crash or a half entry."""
    base = tmp_path_factory.mktemp("mut")
    inbox = base / "inbox"
    B.write(inbox, [])
    (inbox / "good.yaml").write_text(B.canonical_text(), encoding="utf-8")
    names = []
    for i, (kind, data, _) in enumerate(mutations):
        name = f"mut-{i:03d}-{kind}.yaml"
        (inbox / name).write_bytes(data)
        names.append(name)

    run = cli_run(inbox, base / "records", base / "out")

    by_name = run.by_name()
    log = (base / "records" / "events.jsonl").read_text(encoding="utf-8")
    reg = book(base / "records")
    in_book = {Path(f).name for f in reg["source_file"]}
    failed = False
    for name, (kind, data, expect) in zip(names, mutations):
        lines = by_name.get(name, [])
        assert len(lines) == 1, f"{name}: {len(lines)} JSON lines\n{data[:2000]!r}"
        line = lines[0]
        if line["status"] == "rejected_file":
            failed = True
            MUTATION_FIGURES["rejected"] += 1
            assert line["error"].startswith(str(inbox / name)), line
            assert f'/{name}"' not in log, f"{name} was rejected but entered the log"
            if expect:
                case = B.Bad(name, data, *expect)
                assert not check_rejected(line, inbox, case), (check_rejected(line, inbox, case), line, data[:3000])
        else:
            MUTATION_FIGURES["accepted"] += 1
            assert expect is None, f"{name} should have been rejected ({expect}); got {line}\n{data[:3000]!r}"
            assert line["register_no"], line
            failed |= line["status"] == "incomplete"
            # a copy of another file (same bytes) is processed once; any other accepted file has its row
            assert name in in_book or line.get("unchanged"), f"{name} accepted but not in the book"
    good = run.one("good.yaml")
    assert good["status"] == "answered" and good["register_no"]
    assert run.code == (1 if failed else 0)
    check_numbering(base / "records")
    MUTATION_FIGURES["files"] += len(names)
    MUTATION_FIGURES["batches"] += 1
    print(f"\n[robustness] hypothesis mutations so far: {MUTATION_FIGURES}")


# --- in-process fuzz of the date/time fields (the loader's own pattern) --------------------------

@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(received=st.from_regex(_DATETIME_RE), completed=st.one_of(st.none(), st.from_regex(_DATETIME_RE)))
def test_any_date_the_loader_pattern_admits_is_a_request_or_a_rejected_file(tmp_path_factory, cfg, received,
                                                                             completed):
    """Whatever matches the loader's date pattern: loaded and planned, or RequestFileError. Never a crash."""
    from pipeline.batch import Batch
    from pipeline.outcome import Output
    from pipeline.register import Register

    base = tmp_path_factory.mktemp("dates")
    inbox = base / "inbox"
    data = base_request("consultation", "email", received=received)
    if completed is not None:
        data["completed"] = completed
    path = write_request(inbox, "a.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    batch = Batch(cfg, Register(base / "records"), today=dt.date.fromisoformat(DATE), out=base / "out",
                  templates=ROOT / "templates", output=Output.DOCX)
    outcome = batch.assess(path, inbox)  # load, check, plan: numbers and letters, nothing written
    assert outcome.status in ("rejected_file", "incomplete", "scheduled"), outcome
    if outcome.status == "rejected_file":
        assert "a.yaml" in outcome.error


# --- bad files that stop the whole batch today ---------------------------------------------------


def _text_with(path: str, value: str) -> str:
    return B.with_value(path, value)


def _symlink_loop(inbox: Path) -> None:
    os.symlink("loop-b.yaml", inbox / "loop-a.yaml")
    os.symlink("loop-a.yaml", inbox / "loop-b.yaml")


CRASHERS = [
    # (id, file name, file text or None, setup, field path, line, must it be rejected_file?)
    ("offset-beyond-24h", "bad.yaml", _text_with("received", "2026-11-20 09:15 +25:00"), None, "received", 3, True),
    ("offset-minutes-99", "bad.yaml", _text_with("received", "2026-11-20 09:15 +0099"), None, "received", 3, True),
    ("offset-out-of-range-year", "bad.yaml", _text_with("received", "9999-12-31 23:59 -12:00"), None, "received", 3,
     True),
    ("year-one-with-offset", "bad.yaml", _text_with("received", "0001-01-01 00:00 +08:00"), None, "received", 3,
     False),
    ("year-one", "bad.yaml", _text_with("received", "0001-01-02 09:15"), None, "received", 3, False),
    ("symlink-loop", "loop-a.yaml", None, _symlink_loop, None, None, True),
]


@pytest.mark.parametrize("name,text,setup,path,line,reject", [c[1:] for c in CRASHERS], ids=[c[0] for c in CRASHERS])
def test_bad_file_does_not_stop_the_batch(tmp_path, name, text, setup, path, line, reject):
    """Malformed (or absurd) files that, today, end the whole batch in a traceback (or, for
    +0099, are read as an offset of 99 minutes). A file that cannot be a request is
    rejected_file naming field and line; a year-1 date may be rejected or registered, but
    must not stop the batch."""
    inbox = tmp_path / "inbox"
    B.write(inbox, [])
    (inbox / "good.yaml").write_text(B.canonical_text(), encoding="utf-8")
    if text is not None:
        (inbox / name).write_text(text, encoding="utf-8")
    if setup:
        setup(inbox)

    run = cli_run(inbox, tmp_path / "records", tmp_path / "out")

    assert run.one("good.yaml")["status"] == "answered"
    bad = run.one(name)
    if reject or bad["status"] == "rejected_file":
        assert bad["status"] == "rejected_file", bad
        assert bad["error"].startswith(str(inbox / name))
        if path:
            assert f"{name}:{line}: field '{path}'" in bad["error"], bad["error"]
        assert run.code == 1
        assert f'/{name}"' not in (tmp_path / "records" / "events.jsonl").read_text()


@pytest.mark.parametrize("item", fast_share(['""', "", "null", '"   "', "~"]), ids=["empty-string", "nothing", "null",
                                                                        "blanks", "tilde"])
def test_blank_information_item_is_incomplete_not_a_crash(tmp_path, item):
    """`information:` with a blank line item (`- ""`, `- `, `- null`): the requirement check
    says which item does not say what is asked. Found by the Hypothesis mutations above:
    today rules.match() gets None and the whole batch ends in a TypeError."""
    inbox = tmp_path / "inbox"
    B.write(inbox, [])
    (inbox / "good.yaml").write_text(B.canonical_text(), encoding="utf-8")
    text = B.with_value("information[1]", item).replace("information:\n", "information:\n  - Rekapitulasi DPT 2024\n")
    # another minute: the same person's two files of the same minute would be one request
    text = text.replace("received: 2026-11-20 09:15", "received: 2026-11-20 09:16")
    assert "09:16" in text
    (inbox / "blank.yaml").write_text(text, encoding="utf-8")

    run = cli_run(inbox, tmp_path / "records", tmp_path / "out")

    line = run.one("blank.yaml")
    assert line["status"] == "incomplete" and line["missing"] == ["information"], line
    assert [x["kind"] for x in line["letters"]] == ["incomplete_notice"]
    assert run.one("good.yaml")["status"] == "answered" and run.code == 1


@pytest.mark.parametrize("field_text,path", [
    ("answer: {text: Dijawab, by: Ketua, role: member, date: 9999-12-31}", "answer.date"),
    ("decision:\n  extend: {days: 99999, reason: Informasi dalam penyusunan}", "decision.extend.days"),
], ids=["answer-dated-9999", "extension-of-99999-days"])
def test_absurd_dates_and_extensions_are_rejected(tmp_path, field_text, path):
    """An answer dated after the processing date, or an extension beyond the 7 working days of
    UU KIP Pasal 22 ayat 8, is a malformed file. Today both are registered (with a due date in
    the year 2300+ for the extension) after seconds of working-day arithmetic."""
    inbox = tmp_path / "inbox"
    B.write(inbox, [])
    (inbox / "good.yaml").write_text(B.canonical_text(), encoding="utf-8")
    service = "service: consultation\n" if path.startswith("answer") else "service: information\n"
    text = service + B.canonical_text().split("\n", 1)[1] + field_text + "\n"
    if path.startswith("answer"):
        text += "topic: Tata cara pendaftaran pemantau\n"
    (inbox / "bad.yaml").write_text(text, encoding="utf-8")

    run = cli_run(inbox, tmp_path / "records", tmp_path / "out")

    assert run.one("good.yaml")["status"] == "answered"
    bad = run.one("bad.yaml")
    assert bad["status"] == "rejected_file", {k: bad.get(k) for k in ("status", "due", "register_no")}
    assert f"field '{path}'" in bad["error"], bad["error"]


@pytest.mark.slow  # over 1.4 s: in make test, not the fast loop
def test_named_pipe_in_the_inbox_does_not_hang_the_batch(tmp_path):
    """A FIFO called *.yaml: reading it blocks forever while the batch holds the records lock."""
    inbox = tmp_path / "inbox"
    B.write(inbox, [])
    (inbox / "good.yaml").write_text(B.canonical_text(), encoding="utf-8")
    os.mkfifo(inbox / "pipe.yaml")
    try:
        p = subprocess.run(proc_cmd(inbox, tmp_path / "records", tmp_path / "out"), cwd=ROOT, capture_output=True,
                           text=True, timeout=15)
    except subprocess.TimeoutExpired:
        pytest.fail("ppid run hung on a named pipe (pipe.yaml) in the inbox; it should be rejected_file "
                    "('is not a regular file')")
    lines = {Path(json.loads(x)["file"]).name: json.loads(x) for x in p.stdout.splitlines()}
    assert lines["pipe.yaml"]["status"] == "rejected_file" and lines["good.yaml"]["status"] == "answered"
    assert "Traceback" not in p.stderr


def test_inbox_named_through_a_symlink_works(tmp_path):
    """`ppid run ~/inbox` where ~/inbox is a symlink (a mounted share): the files are inside it."""
    real = tmp_path / "real-inbox"
    B.write(real, [])
    (real / "good.yaml").write_text(B.canonical_text(), encoding="utf-8")
    link = tmp_path / "inbox"
    os.symlink(real, link)

    run = cli_run(link, tmp_path / "records", tmp_path / "out")

    assert run.one("good.yaml")["status"] == "answered" and run.code == 0


@pytest.mark.parametrize("text,line,forbidden", [
    (B.with_value("purpose", "Penelitian\x07skripsi"), 19, "<unicode string>"),
    (B.with_value("requester.address", "Jl. El Tari\x00 No. 5"), 10, "<unicode string>"),
    (B.appended("? [a, b]", ": x"), B.NEXT, "SequenceNode("),
], ids=["raw-bell-character", "raw-nul-character", "complex-key"])
def test_error_message_names_the_line_in_plain_words(tmp_path, text, line, forbidden):
    """A raw control character in the file: the message names the line (not a character
    offset in "<unicode string>"); a non-text key is not shown as a Python object."""
    inbox = tmp_path / "inbox"
    B.write(inbox, [])
    (inbox / "good.yaml").write_text(B.canonical_text(), encoding="utf-8")
    (inbox / "bad.yaml").write_text(text, encoding="utf-8")

    run = cli_run(inbox, tmp_path / "records", tmp_path / "out")

    bad = run.one("bad.yaml")
    assert bad["status"] == "rejected_file"
    assert f"bad.yaml:{line}:" in bad["error"], bad["error"]
    assert forbidden not in bad["error"] and "\n" not in bad["error"], bad["error"]


def test_same_file_name_and_time_in_two_inboxes_are_two_requests(tmp_path):
    """Two front-office inboxes, each with a `permohonan-001.yaml` received at 09:15 (two
    different people): two requests. Today the second overwrites the first in register 0001."""
    loket, email = tmp_path / "inbox-loket", tmp_path / "inbox-email"
    write_request(loket, "permohonan-001.yaml", base_request())
    other = base_request(information=["Data pemilih disabilitas per kabupaten/kota"])
    other["requester"]["name"] = "Yohanes Ndun"
    write_request(email, "permohonan-001.yaml", other)

    first = cli_run(loket, tmp_path / "records", tmp_path / "out")
    second = cli_run(email, tmp_path / "records", tmp_path / "out")

    assert first.one("permohonan-001.yaml")["register_no"] != second.one("permohonan-001.yaml")["register_no"]
    assert sorted(book(tmp_path / "records")["requester_name"]) == ["Maria Goreti Bria", "Yohanes Ndun"]


# --- malformed attachments ---------------------------------------------------------------------


def attachment_inbox(inbox: Path, outside: Path) -> dict[str, str]:
    """Requests whose letter / identity copy is odd. Returns file name -> letter attachment."""
    inbox.mkdir(parents=True, exist_ok=True)
    files = {
        "empty.pdf": b"", "empty.jpg": b"", "valid.pdf": minimal_pdf(), "foto.jpg": photo_jpeg(),
        "truncated.pdf": minimal_pdf()[:600], "damaged.pdf": b"%PDF-1.7\n" + b"\x00garbage\x00" * 50 + b"\n%%EOF\n",
        "encrypted.pdf": encrypted_pdf("rahasia"), "owner-only.pdf": encrypted_pdf(""),
        "teks.jpg": b"ini bukan foto, hanya teks biasa\n", "bomb.png": bomb_png(),
        "ktp.jpg": photo_jpeg(),
    }
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    (inbox / "folder.pdf").mkdir()
    os.mkfifo(inbox / "pipe.pdf")
    outside.write_bytes(minimal_pdf("rahasia di luar inbox"))
    os.symlink(outside, inbox / "link-out.pdf")
    os.symlink("valid.pdf", inbox / "link-in.pdf")
    letters = {"a-valid.yaml": "valid.pdf", "a-foto.yaml": "foto.jpg", "a-truncated.yaml": "truncated.pdf",
               "a-damaged.yaml": "damaged.pdf", "a-encrypted.yaml": "encrypted.pdf",
               "a-owner-only.yaml": "owner-only.pdf", "a-teks.yaml": "teks.jpg", "a-bomb.yaml": "bomb.png",
               "a-empty.yaml": "empty.pdf", "a-folder.yaml": "folder.pdf", "a-pipe.yaml": "pipe.pdf",
               "a-missing.yaml": "tidak-ada.pdf", "a-link-out.yaml": "link-out.pdf", "a-link-in.yaml": "link-in.pdf"}
    for i, (name, letter) in enumerate(letters.items()):
        data = base_request(letter=letter, received=f"2026-11-{10 + i:02d} 09:{i:02d}")
        data["requester"]["name"] = f"Pemohon Lampiran {i}"  # each a person of their own (no duplicate)
        data["requester"]["identity"]["number"] = f"537101234567{i + 10:04d}"
        data["requester"]["phone"], data["requester"]["email"] = f"08123450{i + 10:04d}", f"lampiran{i}@example.org"
        write_request(inbox, name, data, attachments=())
    data = base_request(received="2026-11-25 10:00", letter="valid.pdf")
    data["requester"]["identity"]["copy"] = "empty.jpg"
    data["requester"]["identity"]["number"] = "5371012345679999"
    write_request(inbox, "a-empty-ktp.yaml", data, attachments=())
    return letters


@pytest.mark.slow  # over 1.4 s: in make test, not the fast loop
def test_malformed_attachments_without_pdfs(tmp_path):
    inbox = tmp_path / "inbox"
    attachment_inbox(inbox, tmp_path / "outside.pdf")

    run = cli_run(inbox, tmp_path / "records", tmp_path / "out")

    out = {name: run.one(name) for name in run.by_name()}
    for name in ("a-empty.yaml", "a-folder.yaml", "a-pipe.yaml", "a-missing.yaml"):
        assert out[name]["status"] == "incomplete" and out[name]["missing"] == ["letter"], out[name]
    assert out["a-empty-ktp.yaml"]["status"] == "incomplete"
    assert out["a-empty-ktp.yaml"]["missing"] == ["identity_copy"]
    bad = out["a-link-out.yaml"]
    assert bad["status"] == "rejected_file" and "field 'letter'" in bad["error"] and "outside the inbox" in bad["error"]
    for name in ("a-valid.yaml", "a-foto.yaml", "a-owner-only.yaml", "a-link-in.yaml"):
        assert out[name]["status"] == "answered", out[name]  # a PDF or image that opens (no password to open it)
    # a letter must be a readable PDF or image (issue 12 item 11): by its bytes, opened by pypdf or Pillow
    for name in ("a-truncated.yaml", "a-damaged.yaml", "a-encrypted.yaml", "a-teks.yaml", "a-bomb.yaml"):
        assert out[name]["status"] == "incomplete" and out[name]["missing"] == ["letter"], out[name]
    assert run.code == 1
    assert "a-link-out.yaml" not in (tmp_path / "records" / "events.jsonl").read_text()
    check_numbering(tmp_path / "records")


@pytest.mark.slow
def test_malformed_incoming_letters_with_pdfs_warn_and_the_batch_goes_on(tmp_path):
    """With PDFs: the DITERIMA stamp on a damaged/encrypted/fake/bomb letter fails with a
    warning naming the file; every outgoing letter of every request still gets its PDF."""
    inbox = tmp_path / "inbox"
    letters = attachment_inbox(inbox, tmp_path / "outside.pdf")
    for name in ("a-empty.yaml", "a-folder.yaml", "a-pipe.yaml", "a-missing.yaml", "a-link-out.yaml",
                 "a-link-in.yaml", "a-empty-ktp.yaml"):
        (inbox / name).unlink()  # covered without PDFs; keep the LibreOffice part short
    # a complaint has one letter (the receipt): the incoming stamp is what is tested here
    for name in list(letters):
        if (inbox / name).exists():
            data = yaml.safe_load((inbox / name).read_text())
            complaint = base_request("complaint", "letter", received=data["received"], letter=letters[name])
            complaint["requester"]["name"] = data["requester"]["name"]
            write_request(inbox, name, complaint, attachments=())

    run = cli_run(inbox, tmp_path / "records", tmp_path / "out", pdf=True)

    expected_warning = {"a-truncated.yaml": "truncated.pdf", "a-damaged.yaml": "damaged.pdf",
                        "a-encrypted.yaml": "encrypted.pdf", "a-teks.yaml": "teks.jpg", "a-bomb.yaml": "bomb.png"}
    for name, line in run.by_name().items():
        line = line[0]
        # a letter that does not open is not the written request: incomplete (issue 12 item 11)
        assert line["status"] == ("incomplete" if name in expected_warning else "registered"), line
        assert line["letters"] and all(x["pdf"] and not x.get("error") for x in line["letters"]), line["letters"]
        for x in line["letters"]:
            assert Path(x["pdf"]).read_bytes().startswith(b"%PDF-")
        stamped = tmp_path / "out" / line["register_no"].replace("/", "-")
        stamped = list(stamped.glob("*surat-masuk-diterima.pdf"))
        warnings = " ".join(line.get("warnings", []))
        if name in expected_warning:
            assert "incoming letter not stamped" in warnings and expected_warning[name] in warnings, line
            assert not stamped
        elif name == "a-owner-only.yaml":  # opens without a password: stamped, or a clear warning
            assert (len(stamped) == 1) != ("owner-only.pdf" in warnings), line
        else:
            assert not line.get("warnings") and len(stamped) == 1, line
    assert run.code in (0, 1)  # the spec does not say whether an unstamped incoming letter counts as failed
    assert leftovers(tmp_path / "out") == []


# ==============================================================================================
# 2. Crashes: SIGKILL at random moments
# ==============================================================================================


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _descendants(pid: int) -> list[int]:
    kids, out, stack = _children(), [], [pid]
    while stack:
        for c in kids.get(stack.pop(), []):
            out.append(c)
            stack.append(c)
    return out


def kill_hard(proc: subprocess.Popen) -> int:
    """SIGKILL the run and every process it started (LibreOffice), as a power cut would.

    The run is stopped first so that it cannot start anything while its tree is collected.
    Only these process ids are signalled. Returns how many child processes were killed."""
    try:
        os.kill(proc.pid, signal.SIGSTOP)
    except ProcessLookupError:
        pass
    tree: set[int] = set()
    while True:
        new = set(_descendants(proc.pid)) | {d for p in tree for d in _descendants(p)}
        for p in new - tree:
            try:
                os.kill(p, signal.SIGSTOP)
            except ProcessLookupError:
                pass
        if new <= tree:
            break
        tree |= new
    for p in [proc.pid, *tree]:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()
    return len(tree)


def normalized_events(records: Path, out: Path, *, drop=("logged_at", "status_code")) -> list[dict]:
    """The log with run-specific parts taken out: time of logging, the random status code, the out folder's path."""
    text = (records / "events.jsonl").read_text(encoding="utf-8").replace(str(out), "<out>")
    evs = []
    for line in text.splitlines():
        e = json.loads(line)
        for k in drop:
            e.pop(k, None)
        evs.append(e)
    return evs


def letters_of(out: Path) -> dict[str, str]:
    """Every file under out: relative path -> the text of a .docx, or the kind of file."""
    found = {}
    for p in sorted(out.rglob("*")):
        if p.is_file():
            rel = str(p.relative_to(out))
            found[rel] = STATUS_CODE.sub(r"\1<kode>", docx_text(p)) if p.suffix == ".docx" else p.suffix
    return found


# the status code printed on receipts and notices is random for each run (spec section 3)
STATUS_CODE = re.compile(r"(Kode cek status(?: permohonan Saudara)?\W*)[23456789A-HJKMNP-Z]{8}")


@dataclass
class Kill:
    round: int
    delay: float
    docx: int  # letters on disk when killed
    events: int  # events in the log when killed
    book: bool  # register.csv written when killed
    children: int  # LibreOffice processes killed with it

    @property
    def how(self) -> str:
        if self.children >= 0:
            return f"with its {self.children} LibreOffice processes"
        return f"Python only, {-self.children} LibreOffice processes orphaned"

    @property
    def phase(self) -> str:
        if self.events == 0:
            return "starting up" if self.docx == 0 else "making letters, nothing committed"
        return "log written, book not yet" if not self.book else "log and book written (re-run or finishing)"


def kill_at(cmd: list[str], delay: float, records: Path, out: Path, rnd: int, *,
            orphans: list[int] | None = None, took: list[float] | None = None) -> Kill | None:
    """Start the run, SIGKILL it after `delay` s. None if it finished first (its time is
    appended to `took`).

    With `orphans` given only the Python process is killed (as the OOM killer would): the
    LibreOffice processes it started run on; their ids are added to `orphans`."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, err = proc.communicate(timeout=delay)
        assert proc.returncode in (0, 1), err.decode()[-2000:]
        assert b"Traceback" not in err, err.decode()[-2000:]
        if took is not None:
            took.append(time.monotonic() - start)
        return None
    except subprocess.TimeoutExpired:
        if orphans is None:
            children = kill_hard(proc)
        else:
            os.kill(proc.pid, signal.SIGSTOP)
            kids = _descendants(proc.pid)
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            orphans += kids
            children = -len(kids)
        proc.stderr.close()
    book_written = (records / "register.csv").exists()
    n_events = len((records / "events.jsonl").read_bytes().splitlines()) if (records / "events.jsonl").exists() else 0
    n_docx = len(list(out.rglob("*.docx"))) if out.exists() else 0
    return Kill(rnd, delay, n_docx, n_events, book_written, children)


@pytest.mark.slow
def test_sigkill_at_random_moments_then_rerun_gives_the_uninterrupted_register(tmp_path):
    inbox = tmp_path / "inbox"
    varied_requests(inbox, 30)
    ref_records, ref_out = tmp_path / "ref-records", tmp_path / "ref-out"
    ref = proc_run(inbox, ref_records, ref_out)
    assert ref.code == 1 and len(ref.lines) == 30  # some requests are incomplete on purpose
    ref_book, ref_events, ref_letters = book(ref_records), normalized_events(ref_records, ref_out), letters_of(ref_out)
    n_regs, n_letters = check_numbering(ref_records)
    assert n_regs == 30 and n_letters > 30
    rerun = proc_run(inbox, ref_records, ref_out)  # a re-run adds nothing: the state killed re-runs start from
    assert normalized_events(ref_records, ref_out) == ref_events and all(x.get("unchanged") for x in rerun.lines)

    rng = random.Random(20261130)
    full, short = [ref.elapsed], [rerun.elapsed]  # how long a whole run and a re-run take on this machine now
    kills: list[Kill] = []
    rnd = 0
    findings = []
    while len(kills) < 16 and rnd < 8:
        records, out = tmp_path / f"records-{rnd}", tmp_path / f"out-{rnd}"
        in_round = 0
        for _ in range(6):
            # once the log holds every request, a run only re-reads it and rewrites the book
            done = sum(e["type"] == "received" for e in events(records)) == 30
            delay = rng.uniform(0.05, min(short if done else full))
            k = kill_at(proc_cmd(inbox, records, out), delay, records, out, rnd, took=short if done else full)
            if k:
                kills.append(k)
                in_round += 1
                if (records / "events.jsonl").exists():
                    check_numbering(records)  # the log is consistent at every kill point
            if in_round == 4:
                break
        final = proc_run(inbox, records, out)
        assert final.code == 1 and len(final.lines) == 30
        assert sorted(x["register_no"] for x in final.lines) == sorted(x["register_no"] for x in ref.lines)
        pd.testing.assert_frame_equal(book(records), ref_book)  # every column, every row
        assert normalized_events(records, out) == ref_events, "the log differs from an uninterrupted run"
        assert letters_of(out) == ref_letters, "letters differ (orphans from a killed run, or other numbers)"
        findings += leftovers(records, out)
        rnd += 1

    phases: dict[str, int] = {}
    for k in kills:
        phases[k.phase] = phases.get(k.phase, 0) + 1
    print(f"\n[robustness] SIGKILL without PDFs: {len(kills)} kill points in {rnd} rounds (30 requests, "
          f"uninterrupted run {ref.elapsed:.1f} s, re-run {rerun.elapsed:.1f} s; delays "
          f"{min(k.delay for k in kills):.2f}-{max(k.delay for k in kills):.2f} s); phases: {phases}; registers, "
          f"logs and letters identical to the uninterrupted run; temporary files left: {findings or 'none'}")
    assert len(kills) >= 15
    assert findings == [], f"half-written/temporary files left after the final run: {findings}"


@pytest.mark.slow
def test_half_written_book_of_a_killed_run_is_cleaned_up(tmp_path):
    """What a SIGKILL while the book is being replaced leaves (seen in the test above, about
    one round in five: `records/.register.parquet.<pid>.tmp`): the next run, holding the
    lock, removes it. Today the temporary name carries the dead process's id, so nothing
    ever overwrites or removes it."""
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request())
    records, out = tmp_path / "records", tmp_path / "out"
    proc_run(inbox, records, out)
    dead = 999_999  # no such process
    for name in (f".register.parquet.{dead}.tmp", f".register.csv.{dead}.tmp"):
        (records / name).write_bytes(b"PAR1 half a file")

    again = proc_run(inbox, records, out)

    assert again.code == 0 and again.one("a.yaml")["unchanged"]
    assert leftovers(records) == [], leftovers(records)


@pytest.mark.slow
def test_sigkill_during_a_run_with_pdfs(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "surat.pdf").write_bytes(minimal_pdf())
    (inbox / "ktp.jpg").write_bytes(photo_jpeg())
    varied_requests(inbox, 3)
    ref_records, ref_out = tmp_path / "ref-records", tmp_path / "ref-out"
    ref = proc_run(inbox, ref_records, ref_out, pdf=True)
    assert ref.code == 1 and len(ref.lines) == 3
    drop = ("logged_at", "code", "sha256", "status_code")  # a PDF's bytes (its creation time) differ; the status code is random
    ref_book, ref_events = book(ref_records), normalized_events(ref_records, ref_out, drop=drop)
    ref_files = set(letters_of(ref_out))

    # Each round starts from an empty register, is killed once or twice at random moments,
    # then finished; the result must equal the uninterrupted run. Rounds use fresh folders so
    # that a kill always lands in a run with work left (a re-run of a complete log is quick).
    rng = random.Random(6)
    kills: list[Kill] = []
    orphans: list[int] = []
    full = [ref.elapsed]
    verified, left, rnd = 0, [], 0
    while len(kills) < 4 and rnd < 10:
        records, out = tmp_path / f"records-{rnd}", tmp_path / f"out-{rnd}"
        for _ in range(2):
            delay = rng.uniform(0.3, min(full) * 0.95)
            k = kill_at(proc_cmd(inbox, records, out, pdf=True), delay, records, out, rnd, took=full,
                        orphans=orphans if len(kills) % 2 else None)  # every other kill leaves LibreOffice running
            if k is None:
                break  # the run finished first: this round's register is complete
            kills.append(k)
        final = proc_run(inbox, records, out, pdf=True)
        assert final.code == 1
        pd.testing.assert_frame_equal(book(records), ref_book)
        assert normalized_events(records, out, drop=drop) == ref_events
        assert set(letters_of(out)) == ref_files
        for e in events(records):
            if e["type"] == "letter":
                assert e["pdf"] and e["code"], e
                result = CliRunner().invoke(main, ["verify", e["pdf"], "--records", str(records)])
                assert result.exit_code == 0 and "VERIFIED" in result.stdout, result.stdout + result.stderr
                verified += 1
        left += leftovers(records, out)
        rnd += 1
    end = time.monotonic() + 60
    while time.monotonic() < end and any(Path(f"/proc/{p}").exists() for p in orphans):
        time.sleep(0.2)
    still = [p for p in orphans if Path(f"/proc/{p}").exists()]
    for p in still:  # ours: started by the killed runs
        os.kill(p, signal.SIGKILL)
    assert not still, "orphaned LibreOffice processes were still running a minute after the final run"
    print(f"\n[robustness] SIGKILL with PDFs: {len(kills)} kill points in {rnd} rounds "
          f"({'; '.join(f'{k.delay:.1f} s, {k.phase}, {k.how}' for k in kills)}); "
          f"uninterrupted run {ref.elapsed:.1f} s; {verified} letters verified after the final runs; "
          f"temporary files left: {left or 'none'}")
    assert len(kills) >= 4
    assert left == []


# ==============================================================================================
# 3. Concurrency
# ==============================================================================================


def _wait_for(predicate, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


@pytest.mark.slow
def test_concurrent_runs_on_one_records_folder(tmp_path):
    out = tmp_path / "out"
    inbox_a, inbox_b, inbox_c, inbox_d = (tmp_path / f"inbox-{x}" for x in "abcd")
    files = []
    files += varied_requests(inbox_a, 10, "a")
    files += varied_requests(inbox_b, 10, "b", offset=3)

    # round 1: the test holds the lock; three runs (two on the same inbox) must wait, then race
    records = tmp_path / "records"
    records.mkdir(mode=0o700)
    lock = FileLock(str(records / ".lock"))
    lock.acquire()
    procs, errs = [], []
    try:
        for i, inbox in enumerate((inbox_a, inbox_b, inbox_a)):
            err = open(tmp_path / f"stderr-{i}", "w+b")
            errs.append(err)
            procs.append(subprocess.Popen(proc_cmd(inbox, records, out), cwd=ROOT, stdout=subprocess.PIPE,
                                          stderr=err))
        _wait_for(lambda: all(b"waiting for another ppid run" in (tmp_path / f"stderr-{i}").read_bytes()
                              for i in range(3)), 60, "three 'waiting for another ppid run' messages")
    finally:
        lock.release()
    outs = [p.communicate(timeout=120)[0].decode() for p in procs]
    for p, err in zip(procs, errs):
        err.seek(0)
        text = err.read().decode()
        assert p.returncode == 1 and "Traceback" not in text, text[-2000:]
        assert "waiting for another ppid run" in text
    lines = [[json.loads(x) for x in o.splitlines()] for o in outs]
    assert len(lines[0]) == len(lines[2]) == 10 and len(lines[1]) == 10
    same = {x["file"]: x["register_no"] for x in lines[0]}
    assert {x["file"]: x["register_no"] for x in lines[2]} == same  # the same inbox twice: the same numbers
    n_regs, n_letters = check_numbering(records)
    reg = book(records)
    assert n_regs == 20 and len(reg) == 20 and reg["register_no"].is_unique
    assert set(reg["source_file"]) == {str(f) for f in files}, "a request is missing from the book"

    # round 2: no help from the test: two runs started together, plus a third on the first inbox
    files2 = varied_requests(inbox_c, 30, "c") + varied_requests(inbox_d, 12, "d", offset=2)
    records2 = tmp_path / "records2"
    procs = [subprocess.Popen(proc_cmd(inbox, records2, out), cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for inbox in (inbox_c, inbox_d, inbox_c)]
    results = [p.communicate(timeout=180) for p in procs]
    waited = 0
    for p, (o, e) in zip(procs, results):
        assert p.returncode == 1 and b"Traceback" not in e, e.decode()[-2000:]
        waited += b"waiting for another ppid run" in e
    n_regs2, n_letters2 = check_numbering(records2)
    reg2 = book(records2)
    assert n_regs2 == 42 and len(reg2) == 42 and reg2["register_no"].is_unique
    assert set(reg2["source_file"]) == {str(f) for f in files2}
    assert waited >= 1, "no run said it was waiting for another"
    print(f"\n[robustness] concurrency: 6 runs on 2 records folders, 3 at a time (2 on one inbox); "
          f"62 requests, {n_regs + n_regs2} register numbers and {n_letters + n_letters2} letter numbers, "
          f"no duplicate, no gap, none lost; round 2: {waited} of 3 runs printed the waiting message")


# ==============================================================================================
# 5. Requester text that looks like template code or XML
# ==============================================================================================

HOSTILE = {
    "name": "Maria {{ 7*7 }} Bria",
    "organization": "LSM <w:t>Bebas</w:t> & Rekan {% raw %}",
    "address": "Jl. {% for x in range(10**9) %}x{% endfor %} No. 5 & 7",
    "purpose": "Riset {{ config.items() }} {{ ''.__class__.__mro__[1].__subclasses__() }} &amp; &lt;b&gt;",
    "source": "]]> <![CDATA[x]]> </w:t></w:r></w:p><w:p><w:r><w:t>disisipkan {#",
    "item": "Salinan Keputusan KPU {{ 7*7 }} tentang DPT {% if true %}rahasia{% endif %} ${7*7} #{7*7}",
    "topic": "Konsultasi {{ request }} <w:p/> \"kutip\" 'tunggal'",
    "answer": "Jawaban {{ 7*7 }} </w:t></w:r><w:r><w:t>disisipkan & selesai",
    "answer_by": "{{ signatory.name }} 🗳️ terbalik",  # bidi controls are refused on loading (test_strict_input)
}


def test_requester_text_comes_out_literally_in_the_letters(tmp_path):
    inbox = tmp_path / "inbox"
    info = base_request(information=[HOSTILE["item"]], purpose=HOSTILE["purpose"], source=HOSTILE["source"])
    info["requester"].update(name=HOSTILE["name"], kind="ngo", organization=HOSTILE["organization"],
                             address=HOSTILE["address"])
    write_request(inbox, "info.yaml", info)
    consult = base_request("consultation", "email", topic=HOSTILE["topic"],
                           answer={"text": HOSTILE["answer"], "by": HOSTILE["answer_by"], "role": "member"})
    consult["requester"]["name"] = HOSTILE["name"]
    write_request(inbox, "consult.yaml", consult)

    run = cli_run(inbox, tmp_path / "records", tmp_path / "out")

    assert run.code == 0 and run.elapsed < 60
    texts = {}
    for line in run.lines:
        for letter in line["letters"]:
            key = (Path(line["file"]).stem, letter["kind"])
            texts[key] = docx_text(Path(letter["docx"]))  # python-docx opens it: the XML is well-formed
    assert set(texts) == {("info", "receipt"), ("info", "decision_notice"), ("consult", "receipt"),
                          ("consult", "consultation_answer")}
    receipt, notice = texts[("info", "receipt")], texts[("info", "decision_notice")]
    answer = texts[("consult", "consultation_answer")]
    for key in ("name", "organization", "address", "purpose", "source", "item"):
        assert HOSTILE[key] in receipt, (key, HOSTILE[key])
    assert HOSTILE["item"] in notice and HOSTILE["name"] in notice
    from pipeline.letters import emoji_names

    for key in ("topic", "answer", "answer_by", "name"):
        text = emoji_names(HOSTILE[key])
        if key == "topic":  # it runs on after "perihal": its first letter in lower case, the rest literal
            text = text[:1].lower() + text[1:]
        assert text in answer, (key, HOSTILE[key])  # emoji by name (issue 12 item 12)
    everything = "\n".join(texts.values())
    assert "Maria 49 Bria" not in everything and "KPU 49" not in everything and "Jawaban 49" not in everything
    assert "\ndisisipkan" not in everything  # no paragraph injected by the requester's markup
    # the book keeps the text as written, too
    reg = book(tmp_path / "records")
    assert HOSTILE["name"] in set(reg["requester_name"])


@pytest.mark.parametrize("char", fast_share(["\\x0b", "\\x0c", "\\x1f", "\\x01", "\\ufffe", "\\uffff", "\\x7f"]))
def test_xml_illegal_characters_are_a_clear_error(tmp_path, char):
    inbox = tmp_path / "inbox"
    B.write(inbox, [])
    (inbox / "good.yaml").write_text(B.canonical_text(), encoding="utf-8")
    (inbox / "bad.yaml").write_text(B.with_value("requester.name", f'"Maria{char}Bria"'), encoding="utf-8")

    run = cli_run(inbox, tmp_path / "records", tmp_path / "out")

    bad = run.one("bad.yaml")
    assert bad["status"] == "rejected_file"
    assert "bad.yaml:5: field 'requester.name' contains control characters" in bad["error"], bad["error"]
    assert run.one("good.yaml")["status"] == "answered" and run.code == 1


# ==============================================================================================
# 6. Permissions
# ==============================================================================================


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.mark.slow
def test_records_and_letters_are_private(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "surat.pdf").write_bytes(minimal_pdf())
    (inbox / "ktp.jpg").write_bytes(photo_jpeg())
    write_request(inbox, "a.yaml", base_request())
    records, out = tmp_path / "records", tmp_path / "out"
    # the caller's umask is the usual 022: ppid must not depend on it
    p = subprocess.run(proc_cmd(inbox, records, out, pdf=True), cwd=ROOT, capture_output=True, text=True,
                       timeout=300, preexec_fn=lambda: os.umask(0o022))
    assert p.returncode == 0, p.stderr[-2000:]

    assert _mode(records) == 0o700
    for name in ("events.jsonl", "register.csv", "register.parquet"):
        assert _mode(records / name) == 0o600, name
    letters = [f for f in out.rglob("*") if f.is_file()]
    assert {f.suffix for f in letters} == {".docx", ".pdf"} and len(letters) >= 5  # 2 letters + stamped incoming
    for f in [out, *out.rglob("*")]:
        assert _mode(f) & 0o077 == 0, f"{f} is {oct(_mode(f))}: readable by others"


@pytest.mark.slow
def test_stamped_pdfs_are_private_when_ppid_runs_in_a_longer_lived_process(tmp_path):
    """`pipeline.pdf` reads the umask once, at import. A process that imported it before
    `ppid run` set the umask to 077 (a test session, a GUI, a scheduler calling `main`) gets
    world-readable PDFs of letters that carry names and addresses."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "surat.pdf").write_bytes(minimal_pdf())
    write_request(inbox, "a.yaml", base_request())
    out = tmp_path / "out"
    args = run_args(inbox, tmp_path / "records", out, pdf=True)
    code = "import sys, pipeline.pdf; from pipeline.cli import main; sys.argv[0] = 'ppid'; main(sys.argv[1:])"
    p = subprocess.run([PY, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                       preexec_fn=lambda: os.umask(0o022))
    assert p.returncode == 0, p.stderr[-2000:]
    pdfs = list(out.rglob("*.pdf"))
    assert len(pdfs) == 3
    for f in [*pdfs, *out.rglob("*.docx")]:
        assert _mode(f) & 0o077 == 0, f"{f.name} is {oct(_mode(f))}: readable by others"


# ==============================================================================================
# 7. A full disk (issue 12 item 1): on --records or --out, at every free-space size
# ==============================================================================================

PAGE = 4096
DISK_FIGURES: dict[str, object] = {}


class SmallDisk:
    """A real small file system (tmpfs, mounted by root) whose free space is set by a
    ballast file; or, when mounting is refused, a fault-injecting layer that raises ENOSPC
    once a byte budget is spent (`how` says which ran)."""

    def __init__(self, base: Path, size: int, *, inject: bool = False):
        self.base, self.size = base, size
        self.mnt = base / "small-disk"
        self.mnt.mkdir()
        self.how = "tmpfs"
        self._patches: list = []
        self.budget: int | None = None
        if inject:
            self.how = "fault-injecting layer (asked for)"
            return
        try:
            subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(self.mnt)],
                           check=True, capture_output=True, timeout=20)
        except (subprocess.CalledProcessError, FileNotFoundError, subprocess.TimeoutExpired):
            self.how = "fault-injecting layer (mount refused)"

    def free(self) -> int:
        st = os.statvfs(self.mnt)
        return st.f_bavail * st.f_frsize

    def leave(self, free: int) -> None:
        """Fill the disk so that `free` bytes (rounded down to pages) are left."""
        ballast = self.mnt / "ballast"
        ballast.unlink(missing_ok=True)
        if self.how != "tmpfs":
            self.budget = free
            return
        fill = self.free() - free
        with open(ballast, "wb") as fh:
            while fill > 0:
                chunk = min(fill, 1 << 20)
                fh.write(b"\0" * chunk)
                fill -= chunk
        assert abs(self.free() - free) < PAGE, (self.free(), free)

    def release(self) -> None:
        """Free the space again."""
        (self.mnt / "ballast").unlink(missing_ok=True)
        self.budget = None

    def __enter__(self):
        if self.how != "tmpfs":
            self._inject()
        return self

    def __exit__(self, *exc):
        for undo in self._patches:
            undo()
        if self.how == "tmpfs":
            subprocess.run(["umount", "-l", str(self.mnt)], capture_output=True, timeout=20)

    def _inject(self) -> None:
        """Fallback: every write under the mount point spends the budget; past it, ENOSPC
        after writing what still fitted (as a real file system does)."""
        import errno

        from pipeline import durable

        disk = self
        real_write_all, real_write_bytes = durable.write_all, Path.write_bytes

        def spend(data: bytes) -> int:
            if disk.budget is None:
                return len(data)
            n = min(len(data), disk.budget)
            disk.budget -= n
            return n

        def write_all(fd, data):
            target = os.readlink(f"/proc/self/fd/{fd}")
            if not target.startswith(str(disk.mnt)):
                return real_write_all(fd, data)
            n = spend(bytes(data))
            real_write_all(fd, bytes(data)[:n])
            if n < len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), target)

        def write_bytes(path, data):
            if not str(Path(path).absolute()).startswith(str(disk.mnt)):
                return real_write_bytes(path, data)
            n = spend(bytes(data))
            real_write_bytes(path, bytes(data)[:n])
            if n < len(data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
            return n

        durable.write_all = write_all
        Path.write_bytes = write_bytes
        self._patches += [lambda: setattr(durable, "write_all", real_write_all),
                          lambda: setattr(Path, "write_bytes", real_write_bytes)]


def check_log_whole(records: Path) -> int:
    """Every line of the log is a whole JSON event (no torn line). Returns the count."""
    path = records / "events.jsonl"
    if not path.exists():
        return 0
    raw = path.read_bytes()
    assert not raw or raw.endswith(b"\n"), "a torn line was left in the log"
    return len([json.loads(x) for x in raw.splitlines()])


def check_disk_full_error(run: Run) -> None:
    """Exit 2 and one clear line on stderr: the path, 'No space left', what to do."""
    assert run.code == 2, (run.code, run.stderr[-1000:])
    err = [x for x in run.stderr.splitlines() if x.strip()]
    assert len(err) == 1 and err[0].startswith("Error: "), run.stderr
    assert "No space left on device" in err[0] and "free some space" in err[0], err[0]


def disk_full_sweep(tmp_path: Path, where: str, step: int, n: int = 30, inject: bool = False,
                    sizes: list[int] | None = None) -> dict:
    inbox = tmp_path / "inbox"
    varied_requests(inbox, n)
    ref_records, ref_out = tmp_path / "ref-records", tmp_path / "ref-out"
    ref = cli_run(inbox, ref_records, ref_out)
    assert ref.code == 1 and len(ref.lines) == n
    ref_book, ref_events, ref_letters = book(ref_records), normalized_events(ref_records, ref_out), letters_of(ref_out)
    folder = ref_records if where == "records" else ref_out
    need = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    need_pages = sum(-(-p.stat().st_size // PAGE) * PAGE for p in folder.rglob("*") if p.is_file())
    sizes = sizes if sizes is not None else list(range(0, need_pages + 2 * step, step))
    failed_first = 0
    with SmallDisk(tmp_path, need_pages * 2 + (4 << 20), inject=inject) as disk:
        for free in sizes:
            records = (disk.mnt if where == "records" else tmp_path) / f"records-{free}"
            out = (disk.mnt if where == "out" else tmp_path) / f"out-{free}"
            disk.leave(free)
            first = cli_run(inbox, records, out)
            if first.code == 2:
                failed_first += 1
                check_disk_full_error(first)
            else:
                assert first.code == 1, (free, first.code, first.stderr[-500:])
            if check_log_whole(records):
                check_numbering(records)
            disk.release()
            again = cli_run(inbox, records, out)
            assert again.code == 1, (free, again.stderr[-500:])
            pd.testing.assert_frame_equal(book(records), ref_book)
            assert normalized_events(records, out) == ref_events, f"free {free}: the log differs from an uninterrupted run"
            assert letters_of(out) == ref_letters, f"free {free}: letters differ"
            assert leftovers(records, out) == [], leftovers(records, out)
            subprocess.run(["rm", "-rf", str(records), str(out)], check=True)
    return {"how": disk.how, "sizes": len(sizes), "failed_first": failed_first, "need": need,
            "from": sizes[0], "to": sizes[-1], "step": step}


@pytest.mark.slow  # over 1.4 s: in make test, not the fast loop
def test_full_disk_quick(tmp_path):
    """The fast loop's share of the sweeps below: 6 requests, 4 free-space sizes on --records."""
    fig = disk_full_sweep(tmp_path, "records", PAGE, n=6, sizes=[0, 2 * PAGE, 5 * PAGE, 64 * PAGE])
    assert fig["failed_first"] == 3


@pytest.mark.slow
def test_full_disk_on_records_then_rerun_gives_the_uninterrupted_register(tmp_path):
    """--records on a small disk, every free-space size from 0 to the whole register in
    steps of one page: the run fails with one clear line (exit 2) and leaves no torn line;
    once space is freed the rerun gives the register, log and letters of an uninterrupted run.
    Today: the append is cut mid-line, write_book ends in a traceback, and the rerun forgets
    the letters of the request whose line was torn."""
    fig = disk_full_sweep(tmp_path, "records", PAGE)
    DISK_FIGURES["records"] = fig
    print(f"\n[robustness] full disk on --records ({fig['how']}): {fig['sizes']} free-space sizes "
          f"{fig['from']}-{fig['to']} bytes in steps of {fig['step']} (the register needs {fig['need']} bytes); "
          f"{fig['failed_first']} runs stopped with a one-line error; every rerun equal to the uninterrupted run")
    assert fig["failed_first"] >= 10


@pytest.mark.slow
def test_full_disk_on_out_then_rerun_gives_the_uninterrupted_register(tmp_path):
    """--out on a small disk, free space from 0 to all the letters in steps of 64 KiB: a
    letter that cannot be written stops the run with one clear line, nothing of its chunk
    is logged, and the rerun gives the uninterrupted register and letters."""
    fig = disk_full_sweep(tmp_path, "out", 16 * PAGE)
    DISK_FIGURES["out"] = fig
    print(f"\n[robustness] full disk on --out ({fig['how']}): {fig['sizes']} free-space sizes "
          f"{fig['from']}-{fig['to']} bytes in steps of {fig['step']} (the letters need {fig['need']} bytes); "
          f"{fig['failed_first']} runs stopped with a one-line error; every rerun equal to the uninterrupted run")
    assert fig["failed_first"] >= 10


@pytest.mark.slow
@pytest.mark.parametrize("where", ["records", "out"])
def test_full_disk_through_the_fault_injecting_layer(tmp_path, where):
    """The fallback used where mounting a tmpfs is refused (no root): the same sweep, with
    ENOSPC raised by a byte budget on every write below the folder, in coarser steps."""
    fig = disk_full_sweep(tmp_path, where, 8 * PAGE if where == "records" else 64 * PAGE, inject=True)
    DISK_FIGURES[f"{where}-injected"] = fig
    print(f"\n[robustness] full disk on --{where} ({fig['how']}): {fig['sizes']} sizes, "
          f"{fig['failed_first']} stopped with a one-line error; every rerun equal to the uninterrupted run")
    assert fig["failed_first"] >= 3


# ==============================================================================================
# 8. A letter whose PDF failed (issue 12 item 2): reported, not counted, owed, retried
# ==============================================================================================


class SofficeKiller:
    """Kills, every 50 ms, each LibreOffice process on the profiles under `cache` (the
    ones our own `ppid run` starts), as an OOM killer or a crash would: the run cannot
    make any PDF."""

    def __init__(self, cache: Path):
        import threading

        self.marker = f"UserInstallation={(cache / 'ppid').as_uri()}".encode()
        self.stop = threading.Event()
        self.killed = 0
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self.stop.is_set():
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    cmd = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                if self.marker in cmd and (b"soffice" in cmd or b"oosplash" in cmd):
                    try:
                        os.kill(int(entry.name), signal.SIGKILL)
                        self.killed += 1
                    except OSError:
                        pass
            self.stop.wait(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(5)


@pytest.mark.slow
def test_a_failed_pdf_is_reported_owed_and_retried_until_made(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "surat.pdf").write_bytes(minimal_pdf())
    (inbox / "ktp.jpg").write_bytes(photo_jpeg())
    varied_requests(inbox, 2)  # two information requests: a receipt and a decision notice each
    records, out, cache = tmp_path / "records", tmp_path / "out", tmp_path / "cache"
    cmd = [PY, "-m", "pipeline", *run_args(inbox, records, out, pdf=True)]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    text_cmd = [c for c in cmd if c != "--json"]

    with SofficeKiller(cache) as killer:
        first = subprocess.run(text_cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert "Traceback" not in first.stderr, first.stderr[-2000:]
    assert killer.killed >= 1
    assert first.returncode == 1, first.stdout + first.stderr
    letters = [e for e in events(records) if e["type"] == "letter"]
    assert len(letters) == 4 and all(e["error"] and not e["pdf"] for e in letters), letters
    assert "Letters: none new" in first.stdout, first.stdout  # a letter without its PDF is not issued
    assert "Letters failed: 4" in first.stdout and first.stdout.count("not issued, retried on the next run") == 4
    assert not list(out.rglob("*_receipt.pdf")) and not list(out.rglob("*_decision_notice.pdf"))

    due = CliRunner().invoke(main, ["due", "--records", str(records), "--config", str(ROOT / "config"),
                                    "--date", DATE])
    assert due.exit_code == 1, due.output
    assert "Letters owed" in due.output and all(e["letter_no"] in due.output for e in letters), due.output
    due_json = CliRunner().invoke(main, ["due", "--json", "--records", str(records), "--config",
                                         str(ROOT / "config"), "--date", DATE])
    assert {json.loads(x).get("letter_owed") for x in due_json.output.splitlines()} >= {e["letter_no"] for e in letters}

    book_before = book(records)
    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert second.returncode == 0, second.stderr[-2000:]
    lines = [json.loads(x) for x in second.stdout.splitlines()]
    retried = [x for line in lines for x in line["letters"]]
    assert len(retried) == 4 and all(x.get("retry") and x["pdf"] and not x.get("error") for x in retried), retried
    made = [e for e in events(records) if e["type"] == "letter_pdf"]
    assert sorted(e["letter_no"] for e in made) == sorted(e["letter_no"] for e in letters)
    pd.testing.assert_frame_equal(book(records), book_before)  # same numbers, same register
    for e in made:
        v = CliRunner().invoke(main, ["verify", e["pdf"], "--records", str(records)])
        assert v.exit_code == 0 and e["letter_no"] in v.output, v.output
    assert CliRunner().invoke(main, ["due", "--records", str(records), "--config", str(ROOT / "config"),
                                     "--date", DATE]).output.count("Letters owed") == 0

    third = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert third.returncode == 0 and all(not json.loads(x)["letters"] for x in third.stdout.splitlines())
    assert len([e for e in events(records) if e["type"] == "letter_pdf"]) == 4


@pytest.mark.slow
def test_full_disk_on_out_with_pdfs(tmp_path):
    """With PDFs: a full --out makes LibreOffice fail (the letter is owed, exit 1) or the
    stamping fail (one line, exit 2). Once space is freed, reruns give the uninterrupted
    register, every letter gets its PDF under its first number, and each one verifies."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "surat.pdf").write_bytes(minimal_pdf())
    (inbox / "ktp.jpg").write_bytes(photo_jpeg())
    varied_requests(inbox, 3)
    ref = cli_run(inbox, tmp_path / "ref-records", tmp_path / "ref-out", pdf=True)
    assert ref.code == 1
    ref_book = book(tmp_path / "ref-records")
    numbers = lambda evs: sorted((e["register_no"], e["kind"], e["letter_no"]) for e in evs if e["type"] == "letter")  # noqa: E731
    ref_letters = numbers(events(tmp_path / "ref-records"))
    seen = {}
    with SmallDisk(tmp_path, 8 << 20) as disk:
        for free in (0, 120_000, 240_000, 320_000, 400_000):
            records, out = tmp_path / f"records-{free}", disk.mnt / f"out-{free}"
            disk.leave(free)
            first = cli_run(inbox, records, out, pdf=True)
            if first.code == 2:
                check_disk_full_error(first)
            check_log_whole(records)
            owed = sum(1 for line in first.lines for x in line["letters"] if x.get("error"))
            seen[free] = (first.code, owed)
            disk.release()
            again = cli_run(inbox, records, out, pdf=True)
            assert again.code == 1, again.stderr[-1000:]
            pd.testing.assert_frame_equal(book(records), ref_book)
            assert numbers(events(records)) == ref_letters
            from pipeline.register import Register

            reg = Register(records).load()
            for rec in reg.records.values():
                for e in rec.letters:
                    assert e["pdf"] and Path(e["pdf"]).is_file(), e
                    v = CliRunner().invoke(main, ["verify", e["pdf"], "--records", str(records)])
                    assert v.exit_code == 0, v.output
            subprocess.run(["rm", "-rf", str(records), str(out)], check=True)
    print(f"\n[robustness] full disk on --out with PDFs ({disk.how}): free size -> (exit code, letters owed): {seen}")
    assert any(code == 1 and owed for code, owed in seen.values()), seen
    assert any(code == 2 for code, _ in seen.values()), seen


# ==============================================================================================
# 9. Purge, supplements, corrected dates (issue 12 items 3, 5, 11): which request a file changes
# ==============================================================================================


def test_purge_then_rerun_leaves_purged_requests_closed_and_erased(tmp_path):
    """`ppid purge` deletes the attachments, so the files' digests change. The rerun must
    not bring the phone, e-mail, identity number or address back into the log, reopen
    answered requests as incomplete, or send new incomplete notices."""
    import shutil

    inbox = tmp_path / "inbox"
    shutil.copytree(ROOT / "examples" / "inbox", inbox)
    records, out = tmp_path / "records", tmp_path / "out"
    first = cli_run(inbox, records, out, date="2026-11-27")
    purge = CliRunner().invoke(main, ["purge", "--before", "2026-11-27", "--date", "2027-03-01",
                                      "--records", str(records), "--config", str(ROOT / "config"),
                                      "--inbox", str(inbox), "--out", str(out)])
    assert purge.exit_code == 0, purge.output
    purged = {e["register_no"] for e in events(records) if e["type"] == "purged"}
    assert len(purged) >= 10
    before_events, before_book = events(records), book(records)

    again = cli_run(inbox, records, out, date="2026-11-27")

    assert again.code == first.code
    assert events(records) == before_events, [e for e in events(records) if e not in before_events][:3]
    pd.testing.assert_frame_equal(book(records), before_book)
    log = (records / "events.jsonl").read_text(encoding="utf-8")
    for f in inbox.glob("*.yaml"):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        line = next(x for x in again.lines if x["file"].endswith(f.name))
        if line.get("register_no") not in purged:
            continue
        r = data["requester"]
        for value in (r.get("phone"), r.get("email"), r.get("address"), (r.get("identity") or {}).get("number")):
            assert not value or str(value) not in log, f"{f.name}: personal data back in the log"
        assert any("purged" in w for w in line.get("warnings", [])), line
        assert not line["letters"], line


def _supplement(original: dict, **changes) -> dict:
    data = {**original, **changes}
    data["requester"] = {**original["requester"], **changes.get("requester", {})}
    return data


SUPPLEMENT_TYPOS = [
    ("another-service", lambda d: _supplement(base_request("complaint", "letter"), register_no="0001/PPID/2026",
                                              received="2026-11-25 10:00"), "complaint request"),
    ("another-name", lambda d: _supplement(d, register_no="0001/PPID/2026", received="2026-11-25 10:00",
                                           requester={"name": "Yohanes Ndun"}), "was filed by"),
    ("another-identity-number", lambda d: _supplement(
        d, register_no="0001/PPID/2026", received="2026-11-25 10:00",
        requester={"identity": {"type": "ktp", "number": "5371019999990002", "copy": "ktp.jpg"}}),
        "another identity number"),
]


@pytest.mark.parametrize("make,words", [c[1:] for c in SUPPLEMENT_TYPOS], ids=[c[0] for c in SUPPLEMENT_TYPOS])
def test_a_register_no_typo_does_not_overwrite_another_request(tmp_path, make, words):
    inbox = tmp_path / "inbox"
    original = base_request()
    write_request(inbox, "a.yaml", original)
    records, out = tmp_path / "records", tmp_path / "out"
    cli_run(inbox, records, out)
    row_before = book(records).iloc[0].copy()
    later = tmp_path / "inbox-2"
    write_request(later, "b.yaml", make(original))

    run = cli_run(later, records, out)

    line = run.one("b.yaml")
    assert line["status"] == "rejected_file" and run.code == 1, line
    assert "0001/PPID/2026" in line["error"] and words in line["error"] and "register_no" in line["error"], line
    assert "\n" not in line["error"]
    pd.testing.assert_series_equal(book(records).iloc[0], row_before)


def test_a_true_supplement_is_still_accepted(tmp_path):
    """The same requester and service, written differently (case, spacing), supplies what
    was missing: an event of the same request."""
    inbox = tmp_path / "inbox"
    original = base_request(source=None)
    write_request(inbox, "a.yaml", original)
    records, out = tmp_path / "records", tmp_path / "out"
    assert cli_run(inbox, records, out).one("a.yaml")["status"] == "incomplete"
    later = tmp_path / "inbox-2"
    supplement = _supplement(original, register_no="0001/PPID/2026", source="Laman resmi KPU",
                             completed="2026-11-25 10:00", requester={"name": "MARIA  goreti bria"})
    write_request(later, "b.yaml", supplement)

    line = cli_run(later, records, out).one("b.yaml")

    assert line["status"] == "answered" and line["register_no"] == "0001/PPID/2026", line


def test_correcting_received_keeps_the_number(tmp_path):
    """Same inbox, same file name: the same request. A corrected `received` updates it
    (and says so) instead of registering a second number, while no letter has gone out
    for it (a walk-in complaint gets none; once one has, tests/test_integrity.py)."""
    inbox = tmp_path / "inbox"
    data = base_request("complaint", "walk_in", received="2026-11-02 09:15")
    write_request(inbox, "a.yaml", data)
    write_request(inbox, "b.yaml", base_request("complaint", "walk_in", received="2026-11-03 10:00",
                                                 text="Antrean di meja informasi terlalu panjang"))
    records, out = tmp_path / "records", tmp_path / "out"
    first = cli_run(inbox, records, out)
    assert first.one("a.yaml")["register_no"] == "0001/PPID/2026" and not first.one("a.yaml")["letters"]
    write_request(inbox, "a.yaml", {**data, "received": "2026-11-20 09:15"})

    run = cli_run(inbox, records, out)

    line = run.one("a.yaml")
    assert line["register_no"] == "0001/PPID/2026", line
    assert any("same file in the same inbox is the same request" in w for w in line["warnings"]), line
    reg = book(records)
    assert len(reg) == 2 and list(reg["register_no"]) == ["0001/PPID/2026", "0002/PPID/2026"]
    assert reg.loc[0, "received_at"] == "2026-11-20 09:15"
    check_numbering(records)


# ==============================================================================================
# 10. Validation gaps (issue 12 item 11)
# ==============================================================================================

VALIDATION_GAPS = [
    ("answer-before-received", "consultation", "answer: {text: Dijawab, by: Ketua, role: member, date: 2026-11-19}\n",
     "answer.date", "before the request was received"),
    ("exempt-without-ground", "information", "decision:\n  items:\n    - {item: 1, status: exempt, reason: Rahasia}\n",
     "decision.items[1].ground", "Pasal 17"),
    ("partial-without-ground", "information", "decision:\n  items:\n    - {item: 1, status: partial}\n",
     "decision.items[1].ground", "Pasal 17"),
    ("two-decisions-for-one-item", "information",
     "decision:\n  items:\n    - {item: 1, status: open}\n    - {item: 1, status: exempt, ground: h}\n",
     "decision.items[2].item", "decides item 1 again"),
]


@pytest.mark.parametrize("service,block,path,words", [c[1:] for c in VALIDATION_GAPS], ids=[c[0] for c in VALIDATION_GAPS])
def test_validation_gaps_are_rejected_naming_the_field(tmp_path, service, block, path, words):
    inbox = tmp_path / "inbox"
    B.write(inbox, [])
    (inbox / "good.yaml").write_text(B.canonical_text(), encoding="utf-8")
    text = f"service: {service}\n" + B.canonical_text().split("\n", 1)[1] + block
    if service == "consultation":
        text += "topic: Tata cara pendaftaran pemantau\n"
    (inbox / "bad.yaml").write_text(text, encoding="utf-8")

    run = cli_run(inbox, tmp_path / "records", tmp_path / "out")

    bad = run.one("bad.yaml")
    assert bad["status"] == "rejected_file", bad
    assert f"field '{path}'" in bad["error"] and words in bad["error"], bad["error"]
    assert run.one("good.yaml")["status"] == "answered" and run.code == 1


def _zip_bytes() -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("surat.txt", "surat permohonan")
    return buf.getvalue()


UNREADABLE_LETTERS = {
    "html": ("surat.pdf", b"<!DOCTYPE html><html><body>Surat permohonan</body></html>"),
    "zip": ("surat.pdf", _zip_bytes()),
    "corrupt-pdf": ("surat.pdf", b"%PDF-1.7\n" + os.urandom(3000)),
    "encrypted-pdf": ("surat.pdf", None),
    "corrupt-jpeg": ("surat.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200),
    "the-yaml-itself": ("a.yaml", None),
}


@pytest.mark.parametrize("kind", fast_share(UNREADABLE_LETTERS))
def test_the_letter_must_be_a_readable_pdf_or_image(tmp_path, kind):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    name, data = UNREADABLE_LETTERS[kind]
    if kind == "encrypted-pdf":
        data = encrypted_pdf("rahasia")
    if data is not None:
        (inbox / name).write_bytes(data)
    write_request(inbox, "a.yaml", base_request(letter=name), attachments=("ktp.jpg",))

    run = cli_run(inbox, tmp_path / "records", tmp_path / "out")

    line = run.one("a.yaml")
    assert line["status"] == "incomplete" and line["missing"] == ["letter"], line
    assert [x["kind"] for x in line["letters"]] == ["incomplete_notice"]


# ==============================================================================================
# 11. Numbering, ownership, escapes, clean errors (issue 12 items 6, 7, 9, 10, 12)
# ==============================================================================================


def _config_with(tmp_path: Path, **numbering) -> Path:
    import shutil

    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    office = yaml.safe_load((folder / "office.yaml").read_text(encoding="utf-8"))
    office["numbering"].update(numbering)
    (folder / "office.yaml").write_text(yaml.safe_dump(office, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.mark.parametrize("numbering,ok", [
    ({"register": "{seq:04d}/PPID"}, False),
    ({"letter": "{seq}/PPID/{roman}"}, False),
    ({"register": "{seq:04d}/PPID/{month}"}, False),
    ({"register": "{seq:04d}/PPID/{roman}/{year}"}, True),
    ({"register": "PPID-{year}-{seq:05d}"}, True),
], ids=["register-without-year", "letter-without-year", "month-only", "roman-and-year", "year-first"])
def test_numbering_without_the_year_is_a_config_error(tmp_path, numbering, ok):
    """Numbers restart at 1 each year: without {year}, 30 Dec 2025 and 5 Jan 2026 both get 0001."""
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(received="2025-12-30 09:00"))
    other = base_request(received="2026-01-05 09:00")
    other["requester"]["name"] = "Yohanes Ndun"
    other["requester"]["identity"] = {**other["requester"]["identity"], "number": "5371010101800009"}
    other["requester"]["phone"], other["requester"]["email"] = "081298765432", "yohanes@example.org"
    write_request(inbox, "b.yaml", other)
    config = _config_with(tmp_path, **numbering)
    result = CliRunner().invoke(main, [*run_args(inbox, tmp_path / "records", tmp_path / "out")[:-1], "--no-pdf",
                                       "--config", str(config)])
    assert "Traceback" not in result.output
    if ok:
        assert result.exit_code == 0, result.output
        assert len(set(book(tmp_path / "records")["register_no"])) == 2
    else:
        assert result.exit_code == 2, result.output
        assert "office.yaml: numbering." in result.stderr and "{year}" in result.stderr, result.stderr
        assert not (tmp_path / "records" / "events.jsonl").exists()


def test_out_and_records_change_and_delete_only_what_ppid_made(tmp_path):
    """A shared 1777 folder keeps its mode; .git/.COMMIT.tmp and other people's *.tmp stay;
    ppid's own half-written files (its names, at its depth) are removed; folders ppid
    creates are owner-only."""
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request())
    shared, records = tmp_path / "shared", tmp_path / "records"
    shared.mkdir()
    records.mkdir()
    os.chmod(shared, 0o1777)
    os.chmod(records, 0o750)
    theirs = [shared / ".git" / ".COMMIT.tmp", shared / ".notes.tmp", shared / "drafts" / ".draft.tmp",
              shared / "drafts" / "deep" / ".x.docx.tmp", records / ".backup.tmp", records / "sub" / ".register.csv.1.tmp"]
    ours = [shared / "0001-PPID-2026" / ".0001-PPID-2026_receipt.docx.tmp",
            shared / "0001-PPID-2026" / ".0001-PPID-2026_receipt.pdf.4242.0a1b2c3d.tmp",
            records / ".register.csv.4242.tmp", records / ".register.parquet.4242.tmp"]
    for f in theirs + ours:
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("half")
    os.chmod(shared / "drafts", 0o755)
    os.chmod(shared / "0001-PPID-2026", 0o750)

    run = cli_run(inbox, records, shared)

    assert run.code == 0
    assert _mode(shared) == 0o1777 and _mode(records) == 0o750
    assert all(f.exists() for f in theirs), [str(f) for f in theirs if not f.exists()]
    assert not any(f.exists() for f in ours), [str(f) for f in ours if f.exists()]
    assert _mode(shared / "0001-PPID-2026") == 0o750 and _mode(shared / "drafts") == 0o755  # existed: left alone
    fresh = tmp_path / "new" / "out"
    cli_run(inbox, tmp_path / "new" / "records", fresh)
    assert _mode(fresh) == 0o700 and _mode(tmp_path / "new" / "records") == 0o700


HOSTILE_SERVICE = "\x1b[2J\x1b[H  answered    0001/PPID/2026 all good\x1b]0;pwned\x07"


def test_values_echoed_to_the_terminal_are_escaped(tmp_path):
    """Escape sequences, newlines and bidi overrides in a request file reach the terminal
    only as visible escapes; every REJECTED line stays one line."""
    inbox = tmp_path / "inbox"
    B.write(inbox, [])
    (inbox / "good.yaml").write_text(B.canonical_text(), encoding="utf-8")
    evil = json.dumps(HOSTILE_SERVICE)  # a YAML double-quoted string
    (inbox / "bad.yaml").write_text(B.with_value("service", evil), encoding="utf-8")
    (inbox / "newline.yaml").write_text(B.with_value("channel", json.dumps("letter\nREGISTERED 0002/PPID/2026")),
                                        encoding="utf-8")
    (inbox / "bidi.yaml").write_text(B.with_value("form", json.dumps("soft\u202eypocdrah")), encoding="utf-8")
    (inbox / "c1.yaml").write_text(B.with_value("delivery", json.dumps("email\x9b2J\u2028x")), encoding="utf-8")
    (inbox / "name\x1b[31m.yaml").write_text(B.canonical_text().replace("09:15", "09:16"), encoding="utf-8")
    args = run_args(inbox, tmp_path / "records", tmp_path / "out")
    args.remove("--json")

    text = CliRunner().invoke(main, args, color=True)
    js = CliRunner().invoke(main, run_args(inbox, tmp_path / "records2", tmp_path / "out2"), color=True)
    validate = CliRunner().invoke(main, ["validate", str(inbox), "--config", str(ROOT / "config"),
                                          "--records", str(tmp_path / "records3")], color=True)

    for result in (text, js, validate):
        out = result.output
        assert result.exit_code == 1, out
        for raw in ("\x1b", "\x07", "\x9b", "\u202e", "\u2028", "\r"):
            assert raw not in out, (raw, out[-800:])
    rejected = [x for x in text.output.splitlines() if x.startswith("  REJECTED")]
    assert len(rejected) == 5, text.output  # the file name with an escape sequence too (issue 18)
    assert "\\x1b[2J" in text.output and "REGISTERED 0002" not in text.output.split("\\n")[0]
    assert not any(x.startswith("REGISTERED") for x in text.output.splitlines())
    assert all(x.startswith("  REJECTED") for x in text.output.splitlines() if "all good" in x)  # no forged line
    assert "\\u202e" in text.output and "name\\x1b[31m.yaml" in text.output
    lines = [json.loads(x) for x in js.output.splitlines()]
    assert len(lines) == 6 and any(HOSTILE_SERVICE in x.get("error", "") for x in lines)  # the data, intact


def test_due_escapes_what_the_register_holds(tmp_path):
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(information=["Foto gnitaolf kegiatan lapangan \x85"]))
    records = tmp_path / "records"
    cli_run(inbox, records, tmp_path / "out")
    # the loader refuses bidi controls (test_strict_input); a log edited by hand may still hold them
    log = records / "events.jsonl"
    log.write_text(log.read_text(encoding="utf-8").replace("Foto gnitaolf", "Foto \\u202egnitaolf\\u202c"),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["due", "--records", str(records), "--config", str(ROOT / "config"),
                                       "--date", DATE], color=True)
    assert "Foto" in result.output, result.output  # open: the item awaits the PPID's review
    assert "\u202e" not in result.output and "\\u202e" in result.output, result.output


def _one_line_error(result, *words: str) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == 2, result.output
    errs = [x for x in result.stderr.splitlines() if x.startswith("Error:")]
    assert len(errs) == 1 and "Traceback" not in result.output, result.output
    for w in words:
        assert w in errs[0], errs[0]
    return errs[0]


@pytest.mark.parametrize("args,words", [
    (["stats", "--year", "99999"], ["--year"]), (["stats", "--year", "-5"], ["--year"]),
    (["stats", "--year", "0"], ["--year"]), (["report", "--year", "0", "--no-pdf"], ["--year"]),
    (["survey", "SURVEY", "--year", "99999"], ["--year"]),
    (["deadline", "--from", "9999-12-20", "--days", "30"], ["9999"]),
    (["purge", "--date", "0001-06-01"], ["before 2000"]),
], ids=["stats-99999", "stats-minus-5", "stats-0", "report-0", "survey-99999", "deadline-9999", "purge-year-1"])
def test_out_of_range_years_and_dates_are_one_line_errors(tmp_path, args, words):
    records = tmp_path / "records"
    records.mkdir()
    survey = tmp_path / "s.csv"
    survey.write_text("U1\n4\n")
    args = [str(survey) if a == "SURVEY" else a for a in args]
    result = CliRunner().invoke(main, [*args, "--records", str(records), "--config", str(ROOT / "config")])
    _one_line_error(result, *words)


def test_survey_cell_over_the_csv_limit_is_a_one_line_error(tmp_path):
    survey = tmp_path / "survei.csv"
    survey.write_text("U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n4,4,4,4,4,4,4,4,4,ok\n4,4,4,4,4,4,4,4,4," + "x" * 140_000 + "\n")
    result = CliRunner().invoke(main, ["survey", str(survey), "--records", str(tmp_path / "r"), "--config",
                                       str(ROOT / "config"), "--year", "2026"])
    _one_line_error(result, "survei.csv:3", "field larger than field limit")


@pytest.mark.parametrize("data", [bytes(range(256)) * 20, b"U1,U2\n4,\x005\n"], ids=["binary", "nul-byte"])
def test_a_survey_that_is_not_text_is_a_one_line_error(tmp_path, data):
    survey = tmp_path / "survei.csv"
    survey.write_bytes(data)
    result = CliRunner().invoke(main, ["survey", str(survey), "--records", str(tmp_path / "r"), "--config",
                                       str(ROOT / "config"), "--year", "2026"])
    _one_line_error(result, "survei.csv", "CSV")


@pytest.mark.parametrize("which", ["out", "records"])
def test_a_file_where_a_folder_belongs_is_a_one_line_error(tmp_path, which):
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request())
    (tmp_path / "afile").write_text("x")
    records = tmp_path / "afile" if which == "records" else tmp_path / "records"
    out = tmp_path / "afile" if which == "out" else tmp_path / "out"
    result = CliRunner().invoke(main, run_args(inbox, records, out))
    _one_line_error(result, "afile", "folder")


@pytest.mark.parametrize("damage", ["not-a-zip", "truncated", "broken-tag"])
def test_a_damaged_template_is_one_line_naming_the_templates_folder(tmp_path, damage):
    import shutil

    from docx import Document

    folder = tmp_path / "my-templates"
    shutil.copytree(ROOT / "templates", folder)
    target = folder / "receipt.docx"
    if damage == "not-a-zip":
        target.write_text("bukan dokumen Word")
    elif damage == "truncated":
        target.write_bytes(target.read_bytes()[:5000])
    else:
        doc = Document()
        doc.add_paragraph("{% if recipient.name %} tanpa akhir")
        doc.save(target)
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request())
    args = run_args(inbox, tmp_path / "records", tmp_path / "out")
    args[args.index("--templates") + 1] = str(folder)
    result = CliRunner().invoke(main, args)
    _one_line_error(result, str(folder / "receipt.docx"))
    assert not (tmp_path / "records" / "events.jsonl").exists()


def test_templates_check_names_a_damaged_template_in_one_line(tmp_path):
    import shutil

    folder = tmp_path / "my-templates"
    shutil.copytree(ROOT / "templates", folder)
    (folder / "receipt.docx").write_text("bukan dokumen Word")
    (folder / "decision_notice.docx").write_bytes((ROOT / "templates" / "decision_notice.docx").read_bytes()[:4000])
    result = CliRunner().invoke(main, ["templates", "check", "--templates", str(folder), "--config",
                                       str(ROOT / "config")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == 1 and "Traceback" not in result.output
    for name in ("receipt.docx", "decision_notice.docx"):
        lines = [x for x in result.output.splitlines() if str(folder / name) in x]
        assert len(lines) == 1 and "not a readable Word .docx template" in lines[0], result.output


BAD_EVENTS = {
    "array": b"[]\n",
    "string": b'"received"\n',
    "no-type": b'{"register_no": "0001/PPID/2026"}\n',
    "received-without-key": b'{"type": "received", "register_no": "0002/PPID/2026", "register_year": 2026}\n',
    "letter-without-number": b'{"type": "letter", "register_no": "0001/PPID/2026", "kind": "receipt"}\n',
    "seq-as-text": b'{"type": "received", "register_no": "0002/PPID/2026", "key": "k", "register_year": "2026", '
                   b'"register_seq": "2"}\n',
    "row-not-object": b'{"type": "updated", "register_no": "0001/PPID/2026", "row": [1, 2]}\n',
    "completed-bad-date": b'{"type": "completed", "register_no": "0001/PPID/2026", "completed_at": 5}\n',
}


@pytest.mark.parametrize("kind", fast_share(BAD_EVENTS, keep=4))
def test_valid_json_but_wrong_events_name_the_line(tmp_path, kind):
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request())
    records = tmp_path / "records"
    cli_run(inbox, records, tmp_path / "out")
    log = records / "events.jsonl"
    n = len(log.read_bytes().splitlines()) + 1
    log.write_bytes(log.read_bytes() + BAD_EVENTS[kind])
    for args in (run_args(inbox, records, tmp_path / "out"),
                 ["due", "--records", str(records), "--config", str(ROOT / "config"), "--date", DATE],
                 ["deadline", "0001/PPID/2026", "--records", str(records), "--config", str(ROOT / "config")]):
        result = CliRunner().invoke(main, args)
        if kind == "completed-bad-date" and args[0] != "run":
            continue  # applies; only the dates computed from it fail
        _one_line_error(result, f"events.jsonl:{n}:", "Restore")


def _read_only(folder: Path, monkeypatch, *, inject: bool = False) -> str:
    """Make `folder` read-only: a read-only bind mount (root), else chmod 0555 (not root),
    else (root where mounting is refused: chmod does not stop root) every os.open for
    writing below it fails with EROFS, as on a read-only file system."""
    p = subprocess.run(["true" if inject else "mount", "--bind", str(folder), str(folder)], capture_output=True)
    if p.returncode == 0 and not inject:
        p = subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True)
        if p.returncode == 0:
            return "mount"
        subprocess.run(["umount", str(folder)], capture_output=True)
    if os.geteuid() != 0 and not inject:
        os.chmod(folder, 0o555)
        return "chmod"
    import errno

    real_open = os.open
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

    def read_only_open(path, flags, *args, **kwargs):
        if flags & writing and str(Path(path).absolute()).startswith(str(folder)):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only_open)
    return "injected"


def _writable_again(folder: Path, how: str, monkeypatch) -> None:
    if how == "mount":
        subprocess.run(["umount", str(folder)], capture_output=True, check=True)
    elif how == "chmod":
        os.chmod(folder, 0o700)
    else:
        monkeypatch.undo()


READ_ONLY_FIGURES: dict[str, int] = {}


@pytest.mark.slow  # over 1.4 s: in make test, not the fast loop
@pytest.mark.parametrize("inject", [False, True], ids=["real", "injected"])
def test_read_only_records_folder(tmp_path, monkeypatch, inject):
    """run and purge on a read-only records folder: one line, exit 2, nothing changed.
    due, verify, deadline, stats and report work there, since they never write."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "surat.pdf").write_bytes(minimal_pdf())
    varied_requests(inbox, 6)
    records, out = tmp_path / "records", tmp_path / "out"
    first = cli_run(inbox, records, out)
    write_request(inbox, "new.yaml", base_request(received="2026-11-27 10:00"))
    before = {p.name: p.read_bytes() for p in records.iterdir() if p.is_file()}
    cfg = ["--config", str(ROOT / "config")]
    how = _read_only(records, monkeypatch, inject=inject)
    try:
        run = CliRunner().invoke(main, run_args(inbox, records, out))
        _one_line_error(run, str(records))
        purge = CliRunner().invoke(main, ["purge", "--before", "2026-12-01", "--records", str(records), *cfg])
        _one_line_error(purge, str(records))
        readers = {
            "due": ["due", "--records", str(records), *cfg, "--date", DATE],
            "deadline": ["deadline", first.lines[0]["register_no"], "--records", str(records), *cfg],
            "verify": ["verify", str(inbox / "surat.pdf"), "--records", str(records), *cfg],
            "stats": ["stats", "--year", "2026", "--records", str(records), *cfg, "--date", DATE],
            "report": ["report", "--year", "2026", "--no-pdf", "--out", str(tmp_path / "report"), "--records",
                       str(records), *cfg, "--date", DATE],
        }
        for name, args in readers.items():
            result = CliRunner().invoke(main, args)
            assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.exc_info)
            assert result.exit_code in (0, 1), (name, result.output)
            assert "Traceback" not in result.output and "Error" not in result.stderr, (name, result.output)
        READ_ONLY_FIGURES["read-only runs"] = 2 + len(readers)
    finally:
        _writable_again(records, how, monkeypatch)
    after = {p.name: p.read_bytes() for p in records.iterdir() if p.is_file()}
    assert after == before
    print(f"\n[robustness] read-only records folder ({how}): run and purge refused in one line, "
          f"{len(readers)} reading commands worked, nothing changed")


def crashed_append(log: Path, length: int) -> None:
    """What a crash mid-append leaves besides the torn line: the append's intent, the length
    the log had before it (durable.append_all_or_nothing)."""
    log.with_name(f".{log.name}.pending").write_text(f"{length}\n", encoding="ascii")


def test_a_cut_log_without_a_crash_is_damage_not_a_crash(tmp_path):
    """Hostile round 3: a last line cut off by hand was dropped silently and the next run gave
    its letter number again. With no unfinished append to explain it, every command says the
    log is damaged (exit 2) and leaves it as it is."""
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request())
    records = tmp_path / "records"
    cli_run(inbox, records, tmp_path / "out")
    log = records / "events.jsonl"
    cut = log.read_bytes()[:-40]
    log.write_bytes(cut)
    cfg = ["--config", str(ROOT / "config"), "--records", str(records)]
    write_request(inbox, "b.yaml", base_request(information=["Rekap hasil pemilihan gubernur 2024"],
                                                received="2026-11-26 10:00"))
    for args in (["due", *cfg, "--date", DATE], ["run", str(inbox), *cfg, "--out", str(tmp_path / "out"),
                                                 "--no-pdf", "--date", DATE]):
        result = CliRunner().invoke(main, args)
        assert "Traceback" not in result.output and result.exit_code == 2, result.output
        assert "last line is cut off" in result.output and "restore events.jsonl from backup" in result.output
        assert log.read_bytes() == cut, args[0]


def test_reading_commands_never_write(tmp_path):
    """due, verify and deadline on a log with a torn last line: they ignore the torn line
    and leave the file as it is (only a run, holding the lock, cuts it off)."""
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request())
    records = tmp_path / "records"
    cli_run(inbox, records, tmp_path / "out")
    log = records / "events.jsonl"
    whole = log.read_bytes()
    torn = whole + b'{"type": "letter", "register_no": "0001/PP'
    log.write_bytes(torn)
    crashed_append(log, len(whole))  # a crash leaves the append's intent behind
    (records / ".lock").unlink(missing_ok=True)
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(minimal_pdf())
    cfg = ["--config", str(ROOT / "config"), "--records", str(records)]
    for args in (["due", *cfg, "--date", DATE], ["deadline", "0001/PPID/2026", *cfg], ["verify", str(pdf), *cfg]):
        result = CliRunner().invoke(main, args)
        assert "Traceback" not in result.output and result.exit_code in (0, 1), result.output
        assert log.read_bytes() == torn, args[0]
        assert not (records / ".lock").exists(), args[0]


@pytest.mark.slow
def test_a_torn_incoming_stamped_event_is_written_again(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "surat.pdf").write_bytes(minimal_pdf())
    (inbox / "ktp.jpg").write_bytes(photo_jpeg())
    write_request(inbox, "a.yaml", base_request("complaint", "letter", letter="surat.pdf"))
    records, out = tmp_path / "records", tmp_path / "out"
    assert cli_run(inbox, records, out, pdf=True).code == 0
    log = records / "events.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    assert json.loads(lines[-1])["type"] == "incoming_stamped"
    log.write_bytes(b"".join(lines[:-1]) + lines[-1][:25])  # a crash mid-line
    crashed_append(log, len(b"".join(lines[:-1])))

    again = cli_run(inbox, records, out, pdf=True)

    assert again.code == 0
    stamped = [e for e in events(records) if e["type"] == "incoming_stamped"]
    assert len(stamped) == 1 and Path(stamped[0]["pdf"]).is_file()
    third = cli_run(inbox, records, out, pdf=True)
    assert len([e for e in events(records) if e["type"] == "incoming_stamped"]) == 1 and third.code == 0


def test_emoji_in_a_letter_are_named_not_empty_boxes(tmp_path):
    """No letter font has emoji: each is written as its name in brackets, which the PDF's
    text keeps (see pipeline/letters.py emoji_names)."""
    inbox = tmp_path / "inbox"
    data = base_request("consultation", "email", topic="Tata cara pemantauan 🗳️ pemilu 👍🏽",
                        answer={"text": "Terima kasih 🙏", "by": "Ketua", "role": "member"})
    write_request(inbox, "a.yaml", data)
    run = cli_run(inbox, tmp_path / "records", tmp_path / "out")
    texts = "\n".join(docx_text(Path(x["docx"])) for x in run.one("a.yaml")["letters"])
    assert "[BALLOT BOX WITH BALLOT]" in texts and "[THUMBS UP SIGN]" in texts
    assert "[PERSON WITH FOLDED HANDS]" in texts and "🗳" not in texts and "\ufe0f" not in texts


# ==============================================================================================
# 12. A crash at any byte of an append (issue 12 item 1): the batch is in the log whole or not at all
# ==============================================================================================

CUT_FIGURES: dict[str, int] = {}


def _appends_of_a_run(inbox: Path, records: Path, out: Path, monkeypatch) -> tuple[Run, list[tuple[int, int]]]:
    """Run once, noting (start, length) of every append to the log."""
    from pipeline import durable

    seen: list[tuple[int, int]] = []
    real = durable.append_all_or_nothing

    def noting(path, data):
        seen.append((path.stat().st_size if path.exists() else 0, len(data)))
        return real(path, data)

    monkeypatch.setattr(durable, "append_all_or_nothing", noting)
    run = cli_run(inbox, records, out)
    monkeypatch.setattr(durable, "append_all_or_nothing", real)
    return run, seen


def crash_cuts(tmp_path: Path, monkeypatch, n: int, every: int, last_every: int | None = None) -> int:
    inbox = tmp_path / "inbox"
    varied_requests(inbox, n)
    ref_records, out = tmp_path / "ref-records", tmp_path / "out"
    ref, appends = _appends_of_a_run(inbox, ref_records, out, monkeypatch)
    assert len(appends) == -(-n // 48)  # one append a chunk
    full = (ref_records / "events.jsonl").read_bytes()
    ref_book, ref_events = book(ref_records), normalized_events(ref_records, out)
    cuts = []
    for k, (start, length) in enumerate(appends):
        step = last_every if last_every and k == len(appends) - 1 else every
        chunk = full[start:start + length]
        bounds = [start + i + 1 for i, b in enumerate(chunk) if b == ord("\n")][:-1]  # every whole line but the last
        mids = [(a + b) // 2 for a, b in zip([start] + bounds, bounds + [start + length])]
        cuts += sorted(set(bounds + mids + [start, start + 1, start + length - 1]))[::step]
    for cut in cuts:
        records = tmp_path / "records"
        subprocess.run(["rm", "-rf", str(records)], check=True)
        records.mkdir(mode=0o700)
        (records / "events.jsonl").write_bytes(full[:cut])
        started = max(s for s, _ in appends if s <= cut)
        (records / ".events.jsonl.pending").write_text(f"{started}\n")  # the intent a killed append leaves

        again = cli_run(inbox, records, out)

        assert again.code == 1, (cut, again.stderr[-500:])
        pd.testing.assert_frame_equal(book(records), ref_book)
        assert normalized_events(records, out) == ref_events, f"cut at byte {cut}: the log differs"
        assert leftovers(records) == [], leftovers(records)
    return len(cuts)


@pytest.mark.slow  # over 1.4 s: in make test, not the fast loop
def test_a_crash_at_a_few_bytes_of_an_append_loses_nothing(tmp_path, monkeypatch):
    """The fast loop's share: 6 requests, one append, every eighth cut point."""
    assert crash_cuts(tmp_path, monkeypatch, 6, 8) >= 5


@pytest.mark.slow
def test_a_crash_at_any_line_of_an_append_loses_nothing(tmp_path, monkeypatch):
    """50 requests, two appends (chunks of 48): the state a kill leaves inside an append
    (the intent file and the bytes written so far), at every line boundary and mid-line
    of the second append and every sixth of the first. The rerun gives the register and
    log of an uninterrupted run. Before the intent file, a cut at a line boundary left a
    request registered without its letters, for good."""
    n = crash_cuts(tmp_path, monkeypatch, 50, 6, last_every=1)
    CUT_FIGURES["cuts"] = n
    print(f"\n[robustness] crash inside an append: {n} cut points in two appends (50 requests); "
          "every rerun equal to the uninterrupted run")


EVENT_VALUES = [None, 0, -1, 10**20, "", "x", "2026-13-45", "2026-11-20 25:99", [], {}, [1], {"a": 1}, True, 1.5]
EVENT_FIGURES: dict[str, int] = {}


@pytest.mark.slow  # thousands of generated cases; the fast loop has smaller ones
def test_random_damage_to_valid_json_events_is_a_register_error_or_harmless(tmp_path, cfg):
    """2,000 logs, each with one event damaged while staying valid JSON (a key dropped, a
    value of another type, a book field of the wrong type): replaying the log and
    rebuilding the book either work or raise RegisterError naming that line; no other
    exception (which would be a traceback for the clerk)."""
    from pipeline.errors import RegisterError
    from pipeline.register import Register

    inbox = tmp_path / "inbox"
    varied_requests(inbox, 12)
    cli_run(inbox, tmp_path / "records", tmp_path / "out")
    lines = (tmp_path / "records" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    rng = random.Random(12)
    folder = tmp_path / "damaged"
    folder.mkdir()
    refused = harmless = 0
    for trial in range(2000):
        evs = [json.loads(x) for x in lines]
        i = rng.randrange(len(evs))
        ev = evs[i]
        key = rng.choice(list(ev))
        if rng.random() < 0.3:
            del ev[key]
        else:
            ev[key] = rng.choice(EVENT_VALUES)
        if isinstance(ev.get("row"), dict) and ev["row"] and rng.random() < 0.4:
            ev["row"][rng.choice(list(ev["row"]))] = rng.choice(EVENT_VALUES)
        (folder / "events.jsonl").write_text("\n".join(json.dumps(e) for e in evs) + "\n", encoding="utf-8")
        try:
            reg = Register(folder).load()
            book_module.build_rows(reg.records.values(), cfg.clock)
            if trial % 20 == 0:
                reg.write_book(cfg.clock)
            harmless += 1
        except RegisterError as exc:
            assert f"events.jsonl:{i + 1}:" in str(exc) and "\n" not in str(exc), str(exc)
            refused += 1
    EVENT_FIGURES.update(refused=refused, harmless=harmless)
    print(f"\n[robustness] damaged events: 2000 logs with one valid-JSON event damaged; {refused} refused naming "
          f"the line, {harmless} harmless; no other exception")
    assert refused > 500


def test_purge_on_a_full_disk_deletes_nothing_then_completes(tmp_path):
    """The purge rewrites the log (a whole copy) before deleting any file: on a full disk
    it stops in one line with every attachment still there; run again with space, it
    erases and deletes everything and records each deleted file."""
    import shutil

    inbox = tmp_path / "inbox"
    shutil.copytree(ROOT / "examples" / "inbox", inbox)
    with SmallDisk(tmp_path, 4 << 20) as disk:
        records = disk.mnt / "records"
        cli_run(inbox, records, tmp_path / "out", date="2026-11-27")
        attachments = sorted(p for p in (inbox / "lampiran").iterdir())
        args = ["purge", "--before", "2026-11-27", "--date", "2027-03-01", "--records", str(records),
                "--config", str(ROOT / "config"), "--inbox", str(inbox), "--out", str(tmp_path / "out")]
        disk.leave(0)
        full = CliRunner().invoke(main, args)
        _one_line_error(full, "No space left on device")
        assert sorted(p for p in (inbox / "lampiran").iterdir()) == attachments, "files deleted by a failed purge"
        assert not any(e["type"] == "purged" for e in events(records))
        disk.release()
        done = CliRunner().invoke(main, args)
        assert done.exit_code == 0, done.output
        purged = [e for e in events(records) if e["type"] == "purged"]
        deleted = {f for e in purged for f in e["files"]}
        assert len(purged) >= 10 and deleted and all(not Path(f).exists() for f in deleted)
        assert deleted == {str(p) for p in attachments} - {str(p) for p in (inbox / "lampiran").iterdir()}
        assert leftovers(records) == []
