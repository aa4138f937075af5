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

The figures (how many inputs, kill points, runs) are printed: run with `pytest -s` to see them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
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

from pipeline.cli import main
from pipeline.loading import _DATETIME_RE
from helpers import ROOT, base_request, write_request
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
    return pd.read_csv(records / "register.csv", dtype=str, keep_default_na=False)


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

@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(received=st.from_regex(_DATETIME_RE), completed=st.one_of(st.none(), st.from_regex(_DATETIME_RE)))
def test_any_date_the_loader_pattern_admits_is_a_request_or_a_rejected_file(tmp_path_factory, cfg, received,
                                                                             completed):
    """Whatever matches the loader's date pattern: loaded and planned, or RequestFileError. Never a crash."""
    from pipeline.batch import Batch
    from pipeline.register import Register

    base = tmp_path_factory.mktemp("dates")
    inbox = base / "inbox"
    data = base_request("consultation", "email", received=received)
    if completed is not None:
        data["completed"] = completed
    path = write_request(inbox, "a.yaml", yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    batch = Batch(cfg, Register(base / "records"), today=dt.date.fromisoformat(DATE), out=base / "out",
                  templates=ROOT / "templates", pdf=False)
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


@pytest.mark.parametrize("item", ['""', "", "null", '"   "', "~"], ids=["empty-string", "nothing", "null",
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
        data["requester"]["name"] = f"Pemohon Lampiran {i}"
        write_request(inbox, name, data, attachments=())
    data = base_request(received="2026-11-25 10:00", letter="valid.pdf")
    data["requester"]["identity"]["copy"] = "empty.jpg"
    write_request(inbox, "a-empty-ktp.yaml", data, attachments=())
    return letters


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
    for name in ("a-valid.yaml", "a-foto.yaml", "a-truncated.yaml", "a-damaged.yaml", "a-encrypted.yaml",
                 "a-owner-only.yaml", "a-teks.yaml", "a-bomb.yaml", "a-link-in.yaml"):
        assert out[name]["status"] == "answered", out[name]  # without PDFs the attachment is only looked at
    assert run.code == 1
    assert "a-link-out.yaml" not in (tmp_path / "records" / "events.jsonl").read_text()
    check_numbering(tmp_path / "records")


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
        assert line["status"] == "registered", line
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


def normalized_events(records: Path, out: Path, *, drop=("logged_at",)) -> list[dict]:
    """The log with run-specific parts taken out: time of logging, the out folder's path."""
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
            found[rel] = docx_text(p) if p.suffix == ".docx" else p.suffix
    return found


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


def test_sigkill_during_a_run_with_pdfs(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "surat.pdf").write_bytes(minimal_pdf())
    (inbox / "ktp.jpg").write_bytes(photo_jpeg())
    varied_requests(inbox, 3)
    ref_records, ref_out = tmp_path / "ref-records", tmp_path / "ref-out"
    ref = proc_run(inbox, ref_records, ref_out, pdf=True)
    assert ref.code == 1 and len(ref.lines) == 3
    drop = ("logged_at", "code", "sha256")  # a PDF's bytes (its creation time) differ from run to run
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
    "answer_by": "{{ signatory.name }} 🗳️ \u202eterbalik",
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
    for key in ("topic", "answer", "answer_by", "name"):
        assert HOSTILE[key] in answer, (key, HOSTILE[key])
    everything = "\n".join(texts.values())
    assert "Maria 49 Bria" not in everything and "KPU 49" not in everything and "Jawaban 49" not in everything
    assert "\ndisisipkan" not in everything  # no paragraph injected by the requester's markup
    # the book keeps the text as written, too
    reg = book(tmp_path / "records")
    assert HOSTILE["name"] in set(reg["requester_name"])


@pytest.mark.parametrize("char", ["\\x0b", "\\x0c", "\\x1f", "\\x01", "\\ufffe", "\\uffff", "\\x7f"])
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
