"""Time rules.classify on 10,000 requested items against the shipped DIP/DIK list.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_rules.py [--items 10000] [--repeat 5]

Prints the best of N runs beside a baseline (a plain lower-casing pass over the same
items), so figures from different machines compare as ratios.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from pipeline import rules
from pipeline.config import load_rules

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
]
PLACES = ["Oebobo", "Kupang", "Belu", "Ende", "Sikka", "Alor", "Manggarai", "Sumba Timur"]


def items(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    return [rnd.choice(TEMPLATES).format(y=rnd.choice([2019, 2024, 2026]), k=rnd.choice(PLACES), n=rnd.randint(1, 40))
            for _ in range(n)]


def best(fn, repeat: int) -> float:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--config", default=str(Path(__file__).resolve().parent.parent / "config" / "information.yaml"))
    args = ap.parse_args()
    rule_list = load_rules(Path(args.config))
    data = items(args.items)
    base = best(lambda: [s.lower() for s in data], args.repeat)
    one = best(lambda: rules.classify(data, rule_list), args.repeat)
    per_request = best(lambda: [rules.classify([s], rule_list) for s in data], args.repeat)
    print(f"{args.items:,} items, {len(rule_list)} rules, best of {args.repeat}:")
    print(f"  baseline: str.lower over the items          {base:8.4f} s")
    print(f"  classify(all items in one call)             {one:8.4f} s   {one / args.items * 1e6:6.1f} us/item")
    print(f"  classify(one call per item, as a batch does) {per_request:8.4f} s   {per_request / args.items * 1e6:6.1f} us/item")
    # worst case: every item non-ASCII (a zero-width space after each word, Cyrillic a and o)
    hostile = [s.replace(" ", "\u200b ").replace("a", "\u0430").replace("o", "\u043e") for s in data]
    worst = best(lambda: rules.classify(hostile, rule_list), args.repeat)
    print(f"  classify(every item disguised, non-ASCII)    {worst:8.4f} s   {worst / args.items * 1e6:6.1f} us/item")


if __name__ == "__main__":
    main()
