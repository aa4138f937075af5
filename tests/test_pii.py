"""Personal data typed into free text (issue 18 item 6): a generated corpus of disguises that
must all be masked, and a corpus of numbers and words that must come through unchanged."""

from __future__ import annotations

import random
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from helpers import TEMPLATES, base_request, write_request
from pipeline import export, pii
from pipeline.book import read_book
from pipeline.cli import main

SEED = 20261125
NAMES = ["Yuliana Nenobais", "Maria Goreti Bria", "Yohanes Ndun", "Kornelis Bani", "Agustinus Lake",
         "Fransiska Romana Tiu", "Deviyanti Manafe", "Oktovianus Seran"]
CONTEXTS = ["Mohon hubungi saya di {x} untuk konfirmasi", "Salinan SK penetapan, kirim ke {x}", "{x}",
            "Data pemilih disabilitas per kabupaten/kota (kontak: {x})", "Rekap DPT Pemilu 2024; {x} terima kasih",
            "Penelitian skripsi, pembimbing dapat dihubungi lewat {x}."]
MOBILE = ["0811", "0812", "0813", "0821", "0822", "0852", "0853", "0857", "0878", "0896"]
PLACES = ["5371", "5301", "5302", "5303", "5310", "5313", "5321", "3171", "5171", "6471"]


def _phone(r: random.Random) -> str:
    if r.random() < 0.2:  # a Kupang landline
        a, b = "0380", f"{r.randrange(800000, 899999)}"
        return r.choice([f"{a} {b}", f"({a}) {b}", f"{a}-{b}", f"+62 380 {b}", f"{a}{b}"])
    p, d = r.choice(MOBILE), f"{r.randrange(10 ** 7, 10 ** 8)}"
    a, b, c = p[1:], d[:4], d[4:]
    return r.choice([
        f"{p}{d}", f"{p}-{b}-{c}", f"{p} {b} {c}", f"{p}  {b}  {c}", f"({p}) {d[:3]}-{d[3:]}",
        f"{p}.{b}.{c}", f"+62 {a}-{b}-{c}", f"+62{a}{d}", f"62{a}{d}", f"+62 ({a}) {b} {c}", f"+62-{a}-{d}",
        f"{p[:2]} {p[2:]} {b} {c}",
    ])


def _identity(r: random.Random) -> str:
    if r.random() < 0.1:
        return f"{r.choice('ABCEX')}{r.randrange(10 ** 6, 10 ** 7 - 1):07d}"  # a passport-like number
    n = r.choice(PLACES) + f"{r.randrange(10 ** 11, 10 ** 12)}"
    g = [n[i:i + 4] for i in range(0, 16, 4)]
    return r.choice([n, "/".join(g), " ".join(g), "-".join(g), ".".join(g), f"{n[:6]} {n[6:12]} {n[12:]}",
                     "  ".join(g), "5371/0000/0000/0099"])


def _email(r: random.Random, name: str) -> str:
    first, last = name.lower().split()[0], name.lower().split()[-1]
    local = r.choice([f"{first}.{last[0]}", f"{first}{r.randrange(10, 99)}", f"{last}_{first}", first])
    dom, tld = r.choice([("example", "org"), ("gmail", "com"), ("undana.ac", "id"), ("yahoo.co", "id")])
    dot = lambda s, d: s.replace(".", d)  # noqa: E731
    return r.choice([
        f"{local}@{dom}.{tld}", f"{local}＠{dom}.{tld}", f"{local} [at] {dot(dom, ' [dot] ')} [dot] {tld}",
        f"{local}(at){dot(dom, '(dot)')}(dot){tld}", f"{local} at {dot(dom, ' dot ')} dot {tld}",
        f"{local} (at) {dot(dom, ' (dot) ')} (dot) {tld}", f"{local}{{at}}{dom}.{tld}", f"{local} @ {dom} . {tld}",
        f"{local}＠{dom}．{tld}", f"{local.upper()}@{dom.upper()}.{tld.upper()}",
    ])


def _own_name(r: random.Random, name: str) -> str:
    words = name.split()
    return r.choice([
        name, ", ".join([words[-1], " ".join(words[:-1])]), " ".join(reversed(words)).upper(), "-".join(words),
        "  ".join(words).lower(), "".join(words), " ".join(words[0]), f"Sdri. {words[-1]}",
    ])


def positives(n: int = 600) -> list[tuple[str, str, list[str]]]:
    """(text, requester name, pieces that must not survive), `n` of them."""
    r = random.Random(SEED)
    out = []
    kinds = ["phone", "identity", "email", "name"]
    for i in range(n):
        name = r.choice(NAMES)
        kind = kinds[i % 4]
        value = {"phone": lambda: _phone(r), "identity": lambda: _identity(r), "email": lambda: _email(r, name),
                 "name": lambda: _own_name(r, name)}[kind]()
        if kind in ("phone", "identity"):
            pieces = [g for g in re.findall(r"\d{3,}", value) if len(g) >= 3]
            pieces += re.findall(r"[A-Z]\d{7}", value)
        elif kind == "email":
            pieces = [w for w in re.findall(r"[^\W\d_]{3,}", value.split("@")[0].split("＠")[0].split(" ")[0].split("(")[0].split("{")[0])]
        else:
            pieces = [w for w in name.split() if len(w) >= 3]
        out.append((r.choice(CONTEXTS).format(x=value), name, pieces))
    return out


MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()


def negatives(n: int = 600) -> list[str]:
    """Free text a requester writes without personal data in it, `n` of them."""
    r = random.Random(SEED + 1)
    y = lambda: r.randrange(1999, 2031)  # noqa: E731
    makers = [
        lambda: f"Salinan Keputusan KPU Provinsi NTT Nomor {r.randrange(1, 999)} TAHUN {y()}",
        lambda: f"Surat nomor {r.randrange(1, 9999):04d}/PPID/{y()} tentang jawaban permohonan",
        lambda: f"Surat {r.randrange(1, 99)}/HM.02-SD/{r.randrange(1, 99)}/{y()} perihal undangan",
        lambda: f"Keberatan atas {r.randrange(1, 999):04d}/KEB/PPID/{y()}",
        lambda: f"Berita acara tanggal {r.randrange(1, 29)} {r.choice(MONTHS)} {y()}",
        lambda: f"Rapat pleno {y()}-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d} pukul {r.randrange(7, 22):02d}:{r.randrange(0, 60):02d} WITA",
        lambda: f"Jadwal {r.randrange(1, 29):02d}/{r.randrange(1, 13):02d}/{y()} {r.randrange(7, 22):02d}:{r.randrange(0, 60):02d}",
        lambda: f"Dokumen {r.randrange(1, 29):02d}-{r.randrange(1, 13):02d}-{y()} 0{r.randrange(7, 10)}:{r.randrange(10, 60)}",
        lambda: f"Informasi yang dikecualikan Pasal {r.randrange(1, 40)} huruf {r.choice('abcdefghij')} UU 14/2008",
        lambda: f"Pasal {r.randrange(1, 40)} ayat ({r.randrange(1, 9)}) PP 61/2010 dan Perki 1/2021",
        lambda: f"Anggaran hibah Rp {r.randrange(1, 999) * 1000:,}".replace(",", ".") + ",00",
        lambda: f"Belanja Rp{r.randrange(1, 99999) * 100000:,}".replace(",", "."),
        lambda: f"Dana Rp {r.randrange(1, 999)} juta untuk {r.randrange(2, 30)} kabupaten/kota",
        lambda: f"Jumlah pemilih {r.randrange(1000, 5_000_000):,} orang di {r.randrange(1, 22)} kabupaten".replace(",", "."),
        lambda: f"Rekap suara tahun {y()} dan {y()} per TPS ({r.randrange(1, 9999)} TPS)",
        lambda: f"Data periode {y()}-{y()} untuk {r.randrange(2, 500)} desa",
        lambda: f"PKPU Nomor {r.randrange(1, 30)} Tahun {y()} tentang tahapan",
        lambda: f"Hasil Pemilu {y()}: {r.randrange(1, 100)}% partisipasi, {r.randrange(1, 65)} kursi DPRD",
        lambda: f"Daftar calon terpilih dapil NTT {r.randrange(1, 9)} tahun {y()} (halaman {r.randrange(1, 300)})",
        lambda: "Salinan SK KPU Provinsi NTT tentang penetapan calon terpilih DPRD Provinsi 2024",
        lambda: f"Nomor urut {r.randrange(1, 30)} dan {r.randrange(1, 30)}; tahun {y()} {y()}",
        lambda: f"Lampiran {r.randrange(1, 20)} berkas, total {r.randrange(1, 99999)} lembar",
    ]
    return [r.choice(makers)() for _ in range(n)]


POSITIVES = positives()
NEGATIVES = negatives()


def test_corpus_sizes():
    assert len(POSITIVES) >= 500 and len(NEGATIVES) >= 500


def test_every_disguise_is_masked():
    leaks = []
    for text, name, pieces in POSITIVES:
        masked = pii.mask(text, [name])
        if pii.MASK not in masked or any(p.casefold() in masked.casefold() for p in pieces):
            leaks.append((text, masked))
    assert not leaks, f"{len(leaks)} of {len(POSITIVES)} leak: {leaks[:10]}"


def test_what_is_no_personal_data_survives_unchanged():
    changed = [(t, m) for t in NEGATIVES for m in [pii.mask(t, [NAMES[0]])] if m != t]
    assert not changed, f"{len(changed)} of {len(NEGATIVES)} changed: {changed[:10]}"


@pytest.mark.parametrize("text, expected", [
    # the issue's own examples (issue 18 item 6)
    ("Hubungi (0812) 345-6789", "Hubungi [dihapus]"),
    ("atau 0812  3456  7890 sore", "atau [dihapus] sore"),
    ("NIK 5371/0000/0000/0099", "NIK [dihapus]"),
    ("ke yuliana.n＠example.org", "ke [dihapus]"),
    ("ke yuliana [at] example [dot] org ya", "ke [dihapus] ya"),
    ("a.n. Nenobais, Yuliana", "a.n. [dihapus], [dihapus]"),
    # offsets lead back to the original: invisible and full-width characters masked with it
    ("surel yu\u200bli\u200bana＠example．org.", "surel [dihapus]."),
    ("ＮＩＫ ５３７１０１２３４５６７０００１", "ＮＩＫ [dihapus]"),
    ("no 0012/PPID/2026 Rp 1.500.000", "no 0012/PPID/2026 Rp 1.500.000"),
])
def test_examples(text, expected):
    assert pii.mask(text, ["Yuliana Nenobais"]) == expected


def test_spans_are_offsets_of_the_original_text():
    text = "Kontak: ０８１２\u200b３４５６７８９０, terima kasih"
    [span] = pii.find(text)
    assert span.kind == "phone"
    assert text[span.start:span.end] == "０８１２\u200b３４５６７８９０"


# --- every output ------------------------------------------------------------------------------

LEAKS = ["0812", "3456", "5371", "0099", "yuliana", "nenobais", "example"]


def test_the_book_and_every_export_carry_no_personal_data_typed_in_free_text(tmp_path):
    inbox, records = tmp_path / "inbox", tmp_path / "records"
    req = base_request()
    req["requester"]["name"] = "Yuliana Nenobais"
    req["information"] = ["Rekap DPT 2024, hubungi (0812) 345-6789 atau 0812  3456  7890",
                          "Salinan SK 0012/PPID/2026; NIK saya 5371/0000/0000/0099"]
    req["purpose"] = "Skripsi Nenobais, Yuliana — surel yuliana.n＠example.org / yuliana [at] example [dot] org"
    write_request(inbox, "permohonan-1.yaml", req)
    result = CliRunner().invoke(main, ["run", str(inbox), "--out", str(tmp_path / "out"), "--no-pdf",
                                       "--templates", str(TEMPLATES), "--records", str(records),
                                       "--date", "2026-12-31"])
    assert result.exit_code == 0, result.output
    book = read_book(records)
    assert book.loc[0, "requester_name"] == "Yuliana Nenobais"  # the staff's book keeps the name column
    assert "0012/PPID/2026" in book.loc[0, "subject"] and "Rekap DPT 2024" in book.loc[0, "subject"]
    for text in [(records / "register.csv").read_text(encoding="utf-8").split("\n", 1)[1].replace(
            "Yuliana Nenobais", ""), " ".join(book[["subject", "purpose"]].iloc[0])]:
        assert not [w for w in LEAKS if w in text.lower()], text
    for fmt in export.FORMATS:
        path = export.export_book(book, tmp_path / "x", fmt, key=b"kunci-uji-yang-cukup-panjang-2026")
        frame = pd.read_parquet(path) if fmt == "parquet" else (
            pd.read_csv(path, dtype=str) if fmt == "csv" else pd.read_excel(path, dtype=str))
        text = frame.astype(str).to_csv(index=False).lower()
        assert not [w for w in LEAKS if w in text], (fmt, text)


def test_the_export_masks_a_book_written_before_the_detector():
    """An old book still holds free-text personal data: the export masks it on its own."""
    from pipeline.book import frame

    row = {"register_no": "0001/PPID/2026", "received_at": "2026-11-20 09:15", "service": "information",
           "requester_name": "Yuliana Nenobais", "subject": "hubungi (0812) 345-6789, Nenobais Yuliana",
           "purpose": "yuliana [at] example [dot] org", "year": 2026}
    out = export.anonymise(frame([row]), key=b"kunci-uji-yang-cukup-panjang-2026")
    assert out.loc[0, "subject"] == "hubungi [dihapus], [dihapus] [dihapus]"
    assert out.loc[0, "purpose"] == "[dihapus]"


def test_the_organization_keeps_its_name_but_not_a_phone_email_or_nik_typed_into_it():
    """Found by a hostile test: the organization column of the staff's book was not masked."""
    from pipeline import pii

    row = pii.mask_row({"requester_name": "Bernadus Lelo", "requester_organization":
                        "LSM Hubungi 0813 3344 5566 / bernadus.l@gmail.com NIK 5371 0000 0000 0077",
                        "subject": "Data pemilih", "purpose": "Penelitian"})
    org = row["requester_organization"]
    assert org.startswith("LSM Hubungi")
    for leaked in ("0813 3344 5566", "bernadus.l@gmail.com", "5371 0000 0000 0077"):
        assert leaked not in org, org
