"""Benchmark of the letter pipeline, `ppid validate` and the batch's memory (issue 7).

    .venv/bin/python bench/bench_pipeline.py [--letters 60] [--naive-sample 6] [--repeat 3]
        [--validate-n 3000] [--memory-n 2000] [--memory-pdf] [--skip-memory]
        [--skip-letters] [--phases] [--sign] [--json] [--keep]

Everything runs in one temporary folder (inbox, records, letters, LibreOffice profiles
under an own XDG_CACHE_HOME), built from the realistic requests of examples/inbox: a
mix of information requests (letter, e-mail, e-PPID, WhatsApp with a photo or a scan,
walk-in with a leader's letter) and answered consultations (letter, e-mail), each
complete, so that each one gives a receipt and a decision notice or a consultation
answer. The figures, all measured in this one run on these same letters (after an
untimed warm-up that creates the LibreOffice profiles):

- pipeline: ``python -m pipeline run INBOX --json`` as a fresh process on fresh records
  (check, register, fill, convert, stamp, record), wall time; letters = the letters the
  JSON output reports with a PDF.
- ceiling: ``pipeline.pdf.convert_to_pdf(docx, tmp, workers=2)`` on the DOCX files that
  run produced, into a fresh folder: the two-process LibreOffice batch conversion alone.
  Pipeline and ceiling run alternately R times (--repeat); the median of each counts.
- naive: one ``soffice --headless --convert-to pdf`` process per letter, on K of those
  DOCX files, with a persistent (warmed) profile, so that only process start-up is
  counted; the median per-letter time is extrapolated to all the letters.
- validate: ``python -m pipeline validate DIR --json`` on V request files against a bare
  pure-Python ``yaml.load(f, Loader=yaml.SafeLoader)`` of the same files, each a fresh
  Python process, subprocess wall time; R alternating runs each, the medians.
- memory: peak RSS of ``python -m pipeline run --no-pdf`` over N requests (the child's
  ru_maxrss from os.wait4, the figure getrusage(RUSAGE_CHILDREN) gives for that child).
- --phases: one more pipeline run with its phases timed (fill, convert, stamp, ...),
  functions wrapped in that child process only: where the time goes.

Goals (issue 7): pipeline >= 10 x naive and >= 0.70 x ceiling in letters/s; validate
>= 2 x the bare YAML load; peak RSS < 1 GiB for a batch (goal size 10,000 requests).
The script reports; it always exits 0.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLES = ROOT / "examples" / "inbox"
DATE = "2026-11-27"
RUN_OPTIONS: list[str] = []  # --sign: ["--config", a copy of config/ with signing:]
GIB = 1 << 30

# Complete requests of examples/inbox: (file, what they give). Each gives a receipt and a
# decision notice or a consultation answer (the walk-in one has its leader's letter).
TEMPLATES = [
    "2026-11-20-maria-bria.yaml",            # information, letter, granted
    "2026-11-24-sarah-lindqvist.yaml",       # information, email, passport, granted
    "2026-11-13-gabriel-da-costa.yaml",      # information, e-PPID, decision block, partial
    "2026-11-16-yoakim-tefa.yaml",           # information, WhatsApp, letter as a JPEG photo
    "2026-11-19-kristoforus-lena.yaml",      # information, email, institution, rejected
    "2026-11-23-benediktus-seran.yaml",      # information, letter, not held
    "2026-11-23-dominggus-ratu.yaml",        # information, WhatsApp, letter as a PNG scan
    "2026-11-24-marselina-nalle.yaml",       # information, walk-in, NGO with leader's letter
    "2026-11-06-fransiska-moa-parera.yaml",  # information, email, completed later
    "2026-11-16-kornelis-jehadu.yaml",       # consultation, letter, answered
    "2026-11-19-paulus-bata.yaml",           # consultation -> made e-mail and answered below
]

FIRST = ["Maria", "Yohanes", "Agustina", "Fransiskus", "Theresia", "Yosef", "Margaretha", "Petrus",
         "Elisabeth", "Stefanus", "Veronika", "Aloysius", "Katarina", "Markus", "Yuliana", "Gregorius",
         "Florentina", "Bernadus", "Skolastika", "Lukas", "Imelda", "Kornelius", "Adriana", "Simon"]
LAST = ["Bria", "Seran", "Manehat", "Tefa", "Nalle", "Ndolu", "Ratu", "Bere", "Kolo", "Taolin", "Nubatonis",
        "Lena", "Parera", "Jehadu", "Wangge", "Hunggu", "Mau", "Bata", "Pello", "Da Costa", "Lawa", "Kase",
        "Riwu", "Lado", "Fanggidae", "Tallo", "Benu", "Sabu", "Dethan", "Amalo"]

ANSWER = """answer:
  text: |
    Pemerintah daerah dapat mendukung pemutakhiran data pemilih berkelanjutan dengan menyampaikan data kependudukan yang mutakhir kepada KPU Kabupaten Ende melalui mekanisme koordinasi yang telah disepakati, serta memfasilitasi rapat koordinasi triwulanan bersama Dinas Kependudukan dan Pencatatan Sipil.

    KPU Provinsi Nusa Tenggara Timur menyarankan agar dukungan tersebut dituangkan dalam nota kesepahaman antara Pemerintah Kabupaten Ende dan KPU Kabupaten Ende, dengan pembagian tugas yang jelas dan perlindungan data pribadi sesuai UU 27/2022.
  by: Magdalena Kase, S.H., M.H.
  role: member
  date: 2026-11-25
"""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Request files
# ---------------------------------------------------------------------------

def _templates() -> list[tuple[str, str]]:
    out = []
    for name in TEMPLATES:
        text = (EXAMPLES / name).read_text(encoding="utf-8")
        text = "\n".join(ln for ln in text.splitlines() if not ln.startswith("#")) + "\n"
        if "paulus-bata" in name:
            text = text.replace("channel: letter", "channel: email") + ANSWER
        slug = name[len("2026-11-20-"):-len(".yaml")]
        out.append((slug, text))
    return out


def requester_name(i: int) -> str:
    """A distinct name for each i below 17,280: given name, [second given name,] family name."""
    first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
    k = i // (len(FIRST) * len(LAST))
    return f"{first} {FIRST[(i + k) % len(FIRST)]} {last}" if k else f"{first} {last}"


def make_inbox(folder: Path, n: int, seed: int = 7) -> Path:
    """n complete request files (the templates in turn) and the attachments of
    examples/inbox/lampiran. Each file has its own requester name, identity number and
    minute of receipt (same day and hour as its model), so that no two are the same
    request whatever identifies one (file, name, received)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(EXAMPLES / "lampiran", folder / "lampiran", dirs_exist_ok=True)
    rng = random.Random(seed)
    templates = _templates()
    order = list(range(n))
    rng.shuffle(order)  # names not tied to the templates' cycle
    for i in range(n):
        slug, text = templates[i % len(templates)]
        text = re.sub(r"(?m)^  name: .*$", f"  name: {requester_name(order[i])}", text, count=1)
        text = re.sub(r"(?m)^(received: \d{4}-\d\d-\d\d \d\d?:)\d\d\s*$",
                      lambda m: f"{m.group(1)}{i % 60:02d}", text, count=1)
        # the identity number keeps its form: its last run of digits (the last 6 when
        # longer) becomes the file's index
        text = re.sub(r'(?m)^(    number: "[^"]*?)(\d{1,6})(\D*")$',
                      lambda m: f"{m.group(1)}{i:06d}{m.group(3)}", text, count=1)
        (folder / f"{i:05d}-{slug}.yaml").write_text(text, encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------

def run_child(cmd: list[str], *, env: dict[str, str], stdout=subprocess.DEVNULL, cwd: Path = ROOT
              ) -> tuple[float, int, int]:
    """Run cmd; (wall seconds, exit code, the child's peak RSS in bytes)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=str(cwd), env=env, stdout=stdout, stderr=subprocess.PIPE
                            if stdout is not subprocess.DEVNULL else subprocess.DEVNULL)
    if proc.stderr is not None:  # keep the error text small and never block on the pipe
        err = proc.stderr.read()
        proc.stderr.close()
    else:
        err = b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        log(f"  ! {' '.join(cmd[:4])} ... exited {proc.returncode}: {err.decode(errors='replace')[-2000:]}")
    return wall, proc.returncode, usage.ru_maxrss * 1024  # Linux: KiB


def ppid_run(py: str, inbox: Path, work: Path, tag: str, env: dict[str, str], *, pdf: bool = True
             ) -> dict:
    records, out = work / f"records-{tag}", work / f"out-{tag}"
    shutil.rmtree(records, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    cmd = [py, "-m", "pipeline", "run", str(inbox), "--json", "--records", str(records),
           "--out", str(out), "--date", DATE, *RUN_OPTIONS] + ([] if pdf else ["--no-pdf"])
    jsonl = work / f"run-{tag}.jsonl"
    with open(jsonl, "wb") as fh:
        wall, rc, rss = run_child(cmd, env=env, stdout=fh)
    files = statuses = unchanged = 0
    kinds: dict[str, int] = {}
    docx, pdfs = [], 0
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        files += 1
        statuses += row.get("status") != "rejected_file"
        unchanged += bool(row.get("unchanged"))
        for letter in row.get("letters", []):
            kinds[letter["kind"]] = kinds.get(letter["kind"], 0) + 1
            docx.append(Path(letter["docx"]))
            pdfs += bool(letter.get("pdf"))
    if unchanged or statuses != files:
        log(f"  ! {tag}: {files - statuses} rejected, {unchanged} unchanged of {files} files")
    return {"wall": wall, "rc": rc, "rss": rss, "files": files, "registered": statuses,
            "letters": pdfs if pdf else len(docx), "docx": docx, "kinds": kinds}


def naive_convert(soffice: str, docs: list[Path], outdir: Path, profile: Path) -> list[float]:
    """One soffice process per letter, one after the other; wall seconds of each."""
    outdir.mkdir(parents=True, exist_ok=True)
    times = []
    for doc in docs:
        t0 = time.perf_counter()
        subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
                        "--convert-to", "pdf", "--outdir", str(outdir), str(doc)],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False, timeout=300)
        times.append(time.perf_counter() - t0)
    made = sum(1 for d in docs if (outdir / f"{d.stem}.pdf").is_file())
    if made != len(docs):
        log(f"  ! naive path: {made} of {len(docs)} PDFs made")
    return times


# `ppid run` with wall-time accumulators around its phases (functions wrapped in the child
# process only; nothing in pipeline/ changes). Prints a JSON object on the last stderr line.
PHASES = r"""
import atexit, functools, json, sys, time
t0 = time.perf_counter()
import pipeline.cli as cli, pipeline.batch as B, pipeline.pdf as P, pipeline.letters as L, pipeline.register as R
acc = {"imports (pipeline.cli and the rest)": [time.perf_counter() - t0, 1]}
def wrap(owner, name, label):
    fn = getattr(owner, name)
    @functools.wraps(fn)
    def timed(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            c = acc.setdefault(label, [0.0, 0]); c[0] += time.perf_counter() - t; c[1] += 1
    setattr(owner, name, timed)
wrap(B.Batch, "assess", "check + plan (load, requirements, rules)")
wrap(B.Batch, "_produce", "letters: fill, convert, stamp")
wrap(L.Renderer, "render", "  of which: fill DOCX (prepared templates)")
wrap(P, "convert_to_pdf", "  of which: convert (2 LibreOffice, a thread)")
wrap(P, "issue_letter", "  of which: stamp (and sign) letters (during convert)")
wrap(P.Signer, "sign", "    of which: sign (pyHanko; with --sign)")
wrap(P, "stamp_incoming", "  of which: stamp incoming (during convert)")
wrap(R.Register, "append", "append events (fsync)")
wrap(R.Register, "write_book", "write register book (CSV + Parquet)")
atexit.register(lambda: print(json.dumps({"total": time.perf_counter() - t0, **acc}), file=sys.stderr))
sys.argv = ["ppid"] + sys.argv[1:]
cli.main()
"""


def phases(py: str, inbox: Path, work: Path, env: dict[str, str]) -> dict:
    """Run the pipeline once more with its phases timed; {phase: [seconds, calls]}."""
    records, out = work / "records-phases", work / "out-phases"
    cmd = [py, "-c", PHASES, "run", str(inbox), "--json", "--records", str(records), "--out", str(out), *RUN_OPTIONS,
           "--date", DATE]
    proc = subprocess.run(cmd, cwd=str(ROOT), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False)
    lines = proc.stderr.decode(errors="replace").strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, ValueError):
        log(f"  ! phases: no figures ({lines[-1:] or proc.returncode})")
        return {}


YAML_BASELINE = ("import sys, pathlib, yaml\n"
                 "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
                 "    with open(p, encoding='utf-8') as f:\n"
                 "        yaml.load(f, Loader=yaml.SafeLoader)\n")


def bench_letters(args, py: str, work: Path, env: dict[str, str]) -> dict:
    """Pipeline, ceiling and naive path on the same letters; the two ratios."""
    from pipeline.pdf import convert_to_pdf, find_soffice

    fig: dict = {}
    soffice = find_soffice()
    per_request = 2  # every template gives two letters
    n_req = max(1, math.ceil(args.letters / per_request))

    # warm-up (untimed): LibreOffice profiles created, binaries in the page cache
    log("warm-up: a small batch, profiles for the pipeline and the naive path")
    ppid_run(py, make_inbox(work / "inbox-warm", 4, seed=1), work, "warm", env)
    naive_profile = work / "naive-profile"
    warm_docs = sorted((work / "out-warm").rglob("*.docx"))[:1]
    naive_convert(soffice, warm_docs, work / "pdf-naive-warm", naive_profile)

    # 1 and 2, alternating R times: the pipeline end to end (fresh records each time)
    # and the ceiling, the two-process batch conversion alone of the DOCX files the
    # first pipeline run produced; the median of each, so that a burst of load from
    # a neighbour on a shared machine hits both alike
    inbox = make_inbox(work / "inbox", n_req)
    runs, ceil_runs, docs, letters = [], [], [], 0
    for r in range(args.repeat):
        log(f"pipeline [{r + 1}/{args.repeat}]: {n_req} requests end to end")
        run = ppid_run(py, inbox, work, f"e2e-{r}", env)
        runs.append(run)
        if r == 0:
            letters, docs = run["letters"], run["docx"]
        elif run["letters"] != letters:
            log(f"  ! run {r + 1} produced {run['letters']} letters, the first {letters}")
        log(f"ceiling  [{r + 1}/{args.repeat}]: convert_to_pdf of the same {len(docs)} DOCX files, workers=2")
        out = work / f"pdf-ceiling-{r}"
        t0 = time.perf_counter()
        res = convert_to_pdf(docs, out, workers=2)
        ceil_runs.append((time.perf_counter() - t0, sum(x.pdf is not None for x in res)))
        shutil.rmtree(out, ignore_errors=True)
    first = runs[0]
    p_s = statistics.median(x["wall"] for x in runs)
    c_s = statistics.median(t for t, _ in ceil_runs)
    fig["pipeline"] = {"requests": first["files"], "letters": letters, "kinds": first["kinds"],
                       "seconds": p_s, "letters_per_s": letters / p_s, "runs_s": [x["wall"] for x in runs],
                       "peak_rss_mib": max(x["rss"] for x in runs) / 2**20, "exit": first["rc"]}
    fig["ceiling"] = {"letters": ceil_runs[0][1], "seconds": c_s, "letters_per_s": ceil_runs[0][1] / c_s,
                      "runs_s": [t for t, _ in ceil_runs]}

    # 3. the naive path: one soffice per letter, K letters spread over the kinds
    k = max(1, min(args.naive_sample, len(docs)))
    sample = [docs[round(i * (len(docs) - 1) / max(1, k - 1))] for i in range(k)] if k > 1 else docs[:1]
    log(f"naive: {k} letters, one soffice process each")
    times = naive_convert(soffice, sample, work / "pdf-naive", naive_profile)
    per_letter = statistics.median(times)
    fig["naive"] = {"sample": k, "per_letter_runs_s": times, "seconds_per_letter": per_letter,
                    "letters": letters, "seconds": per_letter * letters,
                    "letters_per_s": 1 / per_letter}

    p, c, nv = fig["pipeline"]["letters_per_s"], fig["ceiling"]["letters_per_s"], fig["naive"]["letters_per_s"]
    fig["goals"] = {
        "vs_naive": {"ratio": p / nv, "goal": 10.0, "met": p / nv >= 10.0},
        "vs_ceiling": {"ratio": p / c, "goal": 0.70, "met": p / c >= 0.70},
    }

    if args.phases:
        log("phases: the same pipeline run once more, phases timed")
        fig["phases"] = phases(py, inbox, work, env)
    return fig


def bench_validate(args, py: str, work: Path, env: dict[str, str]) -> dict:
    """`ppid validate` against a bare pure-Python YAML load of the same files."""
    fig: dict = {}
    # fresh processes, alternating, R times each; the medians
    log(f"validate: {args.validate_n} files, ppid validate vs yaml.SafeLoader")
    vbox = make_inbox(work / "inbox-validate", args.validate_n, seed=3)
    base_cmd = [py, "-c", YAML_BASELINE, str(vbox)]
    val_cmd = [py, "-m", "pipeline", "validate", str(vbox), "--json", "--date", DATE]
    base_t, val_t = [], []
    for _ in range(args.repeat):
        base_t.append(run_child(base_cmd, env=env)[0])
        val_t.append(run_child(val_cmd, env=env)[0])
    b, v = statistics.median(base_t), statistics.median(val_t)
    fig["validate"] = {"files": args.validate_n, "yaml_safeloader_s": b, "validate_s": v,
                       "yaml_runs": base_t, "validate_runs": val_t,
                       "ratio": b / v, "goal": 3.0, "met": b / v >= 3.0}
    return fig


def bench_memory(args, py: str, work: Path, env: dict[str, str]) -> dict:
    """Peak RSS of one batch of N requests."""
    fig: dict = {}
    log(f"memory: {args.memory_n} requests, {'with PDFs' if args.memory_pdf else '--no-pdf'}")
    mbox = make_inbox(work / "inbox-memory", args.memory_n, seed=5)
    m = ppid_run(py, mbox, work, "memory", env, pdf=args.memory_pdf)
    fig["memory"] = {"requests": m["files"], "pdf": args.memory_pdf, "letters": m["letters"],
                     "seconds": m["wall"], "peak_rss_mib": m["rss"] / 2**20,
                     "goal_mib": 1024, "met": m["rss"] < GIB, "goal_size": 10_000, "exit": m["rc"]}
    return fig


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--letters", type=int, default=60, help="letters to produce end to end (default 60)")
    ap.add_argument("--naive-sample", type=int, default=6,
                    help="letters converted one soffice process each (default 6)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="pipeline and ceiling runs, alternating; the median is reported (default 3)")
    ap.add_argument("--validate-n", type=int, default=3000, help="request files to validate (default 3000)")
    ap.add_argument("--memory-n", type=int, default=2000, help="requests in the memory batch (default 2000)")
    ap.add_argument("--memory-pdf", action="store_true", help="memory batch with PDFs (default: --no-pdf)")
    ap.add_argument("--skip-memory", action="store_true", help="skip the memory batch")
    ap.add_argument("--skip-letters", action="store_true", help="skip the letters (pipeline, ceiling, naive)")
    ap.add_argument("--phases", action="store_true",
                    help="run the pipeline once more with its phases timed (where the time goes)")
    ap.add_argument("--sign", action="store_true",
                    help="sign every letter (PAdES, pyHanko) with a throw-away certificate made for the run")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)
    args.repeat = max(1, args.repeat)

    py = sys.executable
    work = Path(tempfile.mkdtemp(prefix="ppid-bench-"))
    env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"))
    os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]  # convert_to_pdf here: same profiles
    fig: dict = {"machine": {"nproc": os.cpu_count(), "python": sys.version.split()[0]}, "signed": args.sign}
    if args.sign:  # the office's config with a signing: block, a test PKI (tests/sign_pki.py)
        from tests.sign_pki import PASSPHRASE, make_pki

        pki = make_pki(work / "pki")
        config = work / "config"
        shutil.copytree(ROOT / "config", config)
        shutil.copy(pki.signer, config / "bench.p12")
        shutil.copy(pki.ca, config / "bench-ca.pem")
        with open(config / "office.yaml", "a", encoding="utf-8") as f:
            f.write("\nsigning:\n  pkcs12: bench.p12\n  passphrase_env: PPID_BENCH_PASSPHRASE\n"
                    "  trust_roots: [bench-ca.pem]\n")
        env["PPID_BENCH_PASSPHRASE"] = PASSPHRASE
        RUN_OPTIONS[:] = ["--config", str(config)]
    sections = [("letters", not args.skip_letters, bench_letters),
                ("validate", args.validate_n > 0, bench_validate),
                ("memory", not args.skip_memory and args.memory_n > 0, bench_memory)]
    try:
        for name, wanted, fn in sections:
            if not wanted:
                continue
            try:
                fig.update(fn(args, py, work, env))
            except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not fail
                log(f"  ! {name}: {type(exc).__name__}: {exc}")
                fig.setdefault("errors", {})[name] = f"{type(exc).__name__}: {exc}"
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps(fig, indent=2))
    else:
        report(fig)
    return 0


def report(fig: dict) -> None:
    if "pipeline" in fig:
        report_letters(fig)
    if "validate" in fig:
        v = fig["validate"]
        print(f"Validate {v['files']} files (a fresh process each; median of {len(v['validate_runs'])})")
        print(f"  yaml.SafeLoader (pure Python)  {v['yaml_safeloader_s']:7.2f} s")
        print(f"  ppid validate                  {v['validate_s']:7.2f} s")
        print(f"  speed-up  {v['ratio']:5.2f} x   goal >= 3      {_ok(v['met'])}")
    if "memory" in fig:
        m = fig["memory"]
        print(f"Memory: ppid run{'' if m['pdf'] else ' --no-pdf'} of N={m['requests']} requests "
              f"({m['letters']} letters, {m['seconds']:.0f} s)")
        print(f"  peak RSS {m['peak_rss_mib']:.0f} MiB   goal < 1024 MiB (goal size N=10,000)   {_ok(m['met'])}")
    for name, err in fig.get("errors", {}).items():
        print(f"{name}: not measured ({err})")
    print(f"Machine: {fig['machine']['nproc']} CPUs, Python {fig['machine']['python']}; "
          f"ratios are from this one run{'; letters signed (PAdES)' if fig.get('signed') else ''}")


def _ok(met: bool) -> str:
    return "met" if met else "MISSED"


def report_letters(fig: dict) -> None:
    ok = _ok
    p, c, n = fig["pipeline"], fig["ceiling"], fig["naive"]
    print(f"Letters end to end ({p['requests']} requests; median of {len(p['runs_s'])} alternating runs; "
          + ", ".join(f"{k} {v}" for k, v in sorted(p["kinds"].items())) + ")")
    naive = f"naive: 1 soffice per letter ({n['sample']} timed, extrapolated)"
    print(f"  {'path':<52} {'letters':>7} {'seconds':>8} {'letters/s':>9}")
    print(f"  {naive:<52} {n['letters']:>7} {n['seconds']:>8.1f} {n['letters_per_s']:>9.2f}")
    print(f"  {'ceiling: convert_to_pdf, 2 soffice processes':<52} {c['letters']:>7} {c['seconds']:>8.1f} "
          f"{c['letters_per_s']:>9.2f}")
    print(f"  {'pipeline: ppid run (check..record), fresh process':<52} {p['letters']:>7} "
          f"{p['seconds']:>8.1f} {p['letters_per_s']:>9.2f}")
    print("  runs (s): pipeline " + " ".join(f"{t:.1f}" for t in p["runs_s"]) + "; ceiling "
          + " ".join(f"{t:.1f}" for t in c["runs_s"]) + "; naive per letter "
          + " ".join(f"{t:.2f}" for t in n["per_letter_runs_s"]))
    g = fig["goals"]
    print(f"  pipeline / naive    {g['vs_naive']['ratio']:6.2f} x   goal >= 10     {ok(g['vs_naive']['met'])}")
    print(f"  pipeline / ceiling  {g['vs_ceiling']['ratio']:6.2f}     goal >= 0.70   {ok(g['vs_ceiling']['met'])}")
    print(f"  peak RSS of the pipeline runs: {p['peak_rss_mib']:.0f} MiB")
    if fig.get("phases"):
        ph = dict(fig["phases"])
        total = ph.pop("total")
        print(f"  where the time goes (one more run, {total:.1f} s; the 'of which' lines overlap each other):")
        for label, (sec, calls) in ph.items():
            per = f"{1000 * sec / calls:6.1f} ms x {calls}" if calls > 1 else ""
            print(f"    {label:<44} {sec:6.2f} s {100 * sec / total:4.0f} %  {per}")
        rest = total - sum(sec for label, (sec, _) in ph.items() if not label.startswith(" "))
        print(f"    {'other (imports on first use, JSON, ...)':<44} {rest:6.2f} s {100 * rest / total:4.0f} %")


if __name__ == "__main__":
    sys.exit(main())
