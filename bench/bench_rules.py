"""The matcher's cost per item, and what the personal-data screen adds to `ppid validate`.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_rules.py [--items 10000] [--repeat 5] [--validate-n 2000]

CPU seconds (this process and its forked workers), not wall time: the machine is shared.
Per item (best of N, one process): `rules.classify` with the screen and the strong
profile, beside the baseline of the rule-profile matcher alone (what an open rule reads)
and `rules.classify` as it was before the screen (rule profile only, no screen).
`ppid validate`: the command as a fresh process (config loaded, rules compiled, forked
workers included) on V request files made from examples/inbox (bench_pipeline.make_inbox),
with the screen and without it (`rules.decide` as before the screen), alternating, best
of N each. Goal (issue 17): the screen costs `ppid validate` at most 10 % more.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

import datetime as dt
import shutil
import subprocess
import sys
import tempfile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pipeline import rules  # noqa: E402
from pipeline.config import load_config  # noqa: E402

TEMPLATES = [
    "Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih DPRD Provinsi {y}",
    "Data pemilih disabilitas per kabupaten/kota tahun {y}",
    "Daftar pemilih tetap lengkap dengan NIK dan NKK Kecamatan {k}",
    "Salinan formulir C.Hasil TPS {n:02d} Kelurahan {k}",
    "Temuan pelanggaran pemilu di Kabupaten {k}",
    "Nota dinas internal Sekretaris tentang pengadaan logistik {y}",
    "Laporan realisasi anggaran hibah pemilihan {y}",
    "Rekapitulasi hasil penghitungan suara Kabupaten {k} tahun {y}",
    "Surat keterangan kesehatan pasangan calon Bupati {k} {y}",
    "Jadwal dan tahapan Pemilihan Gubernur {y}",
    "Notulen rapat koordinasi persiapan pemungutan suara di {k}",
    "Profil dan struktur organisasi Sekretariat KPU Provinsi NTT",
    "Jumlah pemilih disabilitas per kecamatan di {k} tahun {y}",
    "Data pemilih pemula {k} lengkap dengan no. induk kependudukan",
    "Daftar pemilih disabilitas {k} dengan nama dan alamat",
]
PLACES = ["Oebobo", "Kupang", "Belu", "Ende", "Sikka", "Alor", "Manggarai", "Sumba Timur"]


def items(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    return [rnd.choice(TEMPLATES).format(y=rnd.choice([2019, 2024, 2026]), k=rnd.choice(PLACES), n=rnd.randint(1, 40))
            for _ in range(n)]


def cpu() -> float:
    """CPU seconds of this process and its reaped children (validate's forked workers): steadier than
    wall time on a shared machine."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def best(fn, repeat: int, clock=time.process_time) -> float:
    out = []
    for _ in range(repeat):
        t = clock()
        fn()
        out.append(clock() - t)
    return min(out)


def unscreened(no: int, text: str, rule_list, screen=None) -> rules.ItemResult:
    """An item decided as before the screen: rule profile only, no screen (the bench's "without")."""
    m = rules._matcher(tuple(rule_list))
    found = [m.rules[p] for p in sorted(m.plain.keys(text))]
    return rules._from_rule(no, text, next((r for r in found if r.closing), found[0]) if found else None)


def child(mode: str, inbox: str, records: str) -> None:
    """`ppid validate INBOX --json` in this process, with the screen or (mode "plain") as before it."""
    from pipeline.cli import main as cli

    if mode == "plain":
        rules.decide = unscreened
    sys.stdout = open(os.devnull, "w")
    try:
        cli(["validate", inbox, "--json", "--config", str(ROOT / "config"), "--records", records,
             "--date", "2026-11-27"], standalone_mode=False)
    except SystemExit:
        pass


def bench_validate(n: int, repeat: int) -> tuple[float, float]:
    """CPU seconds of `ppid validate` as a fresh process (and its workers), with and without the screen."""
    from bench_pipeline import make_inbox

    work = Path(tempfile.mkdtemp(prefix="bench-rules-"))
    try:
        inbox = make_inbox(work / "inbox", n)

        def run(mode: str) -> None:
            subprocess.run([sys.executable, __file__, "--child", mode, str(inbox), str(work / "records")],
                           check=True, cwd=ROOT)

        run("screen")  # warm the page cache
        screened, plain = [], []
        for _ in range(repeat):
            screened.append(best(lambda: run("screen"), 1, cpu))
            plain.append(best(lambda: run("plain"), 1, cpu))
        return min(screened), min(plain)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--validate-n", type=int, default=2000)
    ap.add_argument("--validate-repeat", type=int, default=5)
    ap.add_argument("--config", default=str(ROOT / "config"))
    ap.add_argument("--child", nargs=3, metavar=("MODE", "INBOX", "RECORDS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    cfg = load_config(Path(args.config))
    rule_list, screen = cfg.rules, cfg.screen
    data = items(args.items)
    plain = rules._matcher(tuple(rule_list)).plain
    base = best(lambda: [plain.keys(s) for s in data], args.repeat)
    lower = best(lambda: [s.lower() for s in data], args.repeat)
    before = best(lambda: [unscreened(1, s, rule_list) for s in data], args.repeat)
    one = best(lambda: rules.classify(data, rule_list, screen=screen), args.repeat)
    per_request = best(lambda: [rules.classify([s], rule_list, screen=screen) for s in data], args.repeat)
    # worst case: every item non-ASCII (a zero-width space after each word, Cyrillic a and o)
    hostile = [s.replace(" ", "\u200b ").replace("a", "\u0430").replace("o", "\u043e") for s in data]
    worst = best(lambda: rules.classify(hostile, rule_list, screen=screen), args.repeat)
    us = 1e6 / args.items

    def line(label: str, t: float) -> None:
        print(f"  {label:<58}{t:8.4f} s CPU {t * us:7.1f} us/item {t / base:6.2f} x baseline")

    print(f"{args.items:,} items, {len(rule_list)} rules, {len(screen.categories)} screen categories, "
          f"best of {args.repeat}:")
    line("baseline: rule-profile matcher alone (PhraseIndex.keys)", base)
    line("str.lower over the items", lower)
    line("classify before the screen (rule profile only)", before)
    line("classify with the screen and the strong profile", one)
    line("  the same, one call per item (as a batch does)", per_request)
    line("  the same, every item disguised (non-ASCII)", worst)
    if args.validate_n:
        screened, unscreened_t = bench_validate(args.validate_n, args.validate_repeat)
        print(f"ppid validate of {args.validate_n:,} request files (a fresh process each time), best of "
              f"{args.validate_repeat}:")
        print(f"  without the screen {unscreened_t:8.3f} s CPU")
        print(f"  with the screen    {screened:8.3f} s CPU   {screened / unscreened_t - 1:+6.1%} (goal: at most +10 %)")


if __name__ == "__main__":
    main()
