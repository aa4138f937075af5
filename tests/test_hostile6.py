"""The sixth hostile round (issue 18): e-mail addresses that went through the masker on the main of
before, each reproduced here, and beside them office text that must come through unchanged.

1. "%" typed for "@" (the old "percent hack" of mail routing, or an evasion): ``nama%gmail.com``,
   in brackets ``nama (%) gmail.com``, spaced ``nama % gmail``, and the "@" URL-encoded twice
   (``nama%2540gmail.com``).
2. A digit typed for a letter of the top-level domain or the provider: ``maria.bria@gmail.c0m``,
   ``x@yahoo.co.1d`` (only ``x@yahoo.co`` was masked), ``maria@gmai1`` without a domain,
   ``budi99 di gmail titik c0m``.
3. Close variants found beside them: another mark typed for "@" before a provider
   (``nama#gmail.com``, ``nama&yahoo.co.id``, ``nama!gmail.com``), "%" written as a word in
   brackets (``nama (persen) gmail.com``) or as an HTML entity (``nama&#37;gmail.com``), and a
   dot before the "@" (``nama.@gmail.com``).
"""

from __future__ import annotations

import time

import pytest

from pipeline import pii

M = pii.MASK


@pytest.mark.parametrize("text, expected", [
    # 1. "%" for "@"
    ("surel nama%gmail.com", f"surel {M}"),
    ("surel maria.bria%gmail.com ya", f"surel {M} ya"),
    ("surel budi99%yahoo.co.id", f"surel {M}"),
    ("surel maria%undana.ac.id.", f"surel {M}."),
    ("surel NAMA%GMAIL.COM", f"surel {M}"),
    ("surel nama (%) gmail.com", f"surel {M}"),
    ("surel nama [%] gmail [dot] com", f"surel {M}"),
    ("surel nama % gmail.com", f"surel {M}"),
    ("surel nama %gmail.com", f"surel {M}"),
    ("surel nama% gmail.com", f"surel {M}"),
    ("surel nama % undana.ac.id", f"surel {M}"),
    ("surel nama%gmail ya", f"surel {M} ya"),
    ("surel nama % yahoo", f"surel {M}"),
    ("surel nama%gmail%2ecom", f"surel {M}"),
    ("surel nama％gmail．com", f"surel {M}"),  # full-width, folded to ASCII
    ("surel nama%40gmail.com", f"surel {M}"),  # URL-encoded "@": masked before this round too
    ("surel nama%2540gmail.com", f"surel {M}"),  # URL-encoded twice
    ("surel nama%252540gmail.com", f"surel {M}"),  # and three times
    # 2. a digit for a letter of the top-level domain or the provider
    ("surel maria.bria@gmail.c0m", f"surel {M}"),
    ("surel maria.bria@gmail.c0m ya", f"surel {M} ya"),
    ("surel x@yahoo.co.1d", f"surel {M}"),
    ("surel maria@undana.ac.1d", f"surel {M}"),
    ("surel maria@kpu.g0.1d", f"surel {M}"),
    ("surel maria@gmail.0rg", f"surel {M}"),
    ("surel maria@gmail.n3t", f"surel {M}"),
    ("surel maria@gmail.c0", f"surel {M}"),
    ("surel maria (at) gmail [dot] c0m", f"surel {M}"),
    ("surel maria%gmail.c0m", f"surel {M}"),
    ("surel nama@gmai1.com", f"surel {M}"),  # a look-alike provider with a top-level domain: masked before too
    ("surel maria@gmai1", f"surel {M}"),
    ("surel maria@yah00 ya", f"surel {M} ya"),
    ("surel maria (at) 9mail", f"surel {M}"),
    ("surel budi99 di gmail titik c0m", f"surel {M}"),
])
def test_percent_for_at_and_digits_in_the_domain_are_masked(text, expected):
    assert pii.mask(text, [], own=None) == expected


@pytest.mark.parametrize("text, expected", [
    ("surel nama#gmail.com", f"surel {M}"), ("surel nama&yahoo.co.id ya", f"surel {M} ya"),
    ("surel nama!gmail.com", f"surel {M}"), ("surel nama$gmail.com", f"surel {M}"),
    ("surel nama*gmail.com", f"surel {M}"), ("surel nama^hotmail.com", f"surel {M}"),
    ("surel nama~gmail.com", f"surel {M}"), ("surel nama|outlook.co.id", f"surel {M}"),
    ("surel nama＃gmail．c0m", f"surel {M}"),
    ("surel nama (persen) gmail.com", f"surel {M}"), ("surel nama [percent] yahoo", f"surel {M}"),
    ("surel nama&#37;gmail.com", f"surel {M}"), ("surel nama&percnt;gmail.com", f"surel {M}"),
    ("surel nama.@gmail.com", f"surel {M}"), ("surel maria.bria.%gmail.com", f"surel {M}"),
    ("surel nama. (at) undana.ac.id", f"surel {M}"),
])
def test_other_marks_for_at_and_a_dot_before_it_are_masked(text, expected):
    assert pii.mask(text, [], own=None) == expected


@pytest.mark.parametrize("text", [
    # percentages, next to words and numbers
    "partisipasi pemilih naik 100%", "50% dari pemilih", "sebesar 75%pemilih", "naik 50%gmail",
    "diskon 50%gmail.com", "kenaikan 12%yoy", "sebesar 5,5% dari DPT 2024.", "100%,50%", "10%.com",
    "turun 5 % saja. Kemudian rapat", "naik 20 % dari 2025. Info lebih lanjut di kpu.go.id",
    "realisasi 99.5%anggaran.id", "target 100 % tercapai. Com",
    # URL-encoded paths and file names
    "https://ppid.kpu.go.id/a%20b", "https://ppid.kpu.go.id/laporan%20akhir.pdf",
    "unduh laporan%20akhir%202026.pdf", "https://kpu.go.id/cari?q=dpt%2Ckupang", "file%C3%A9t%C3%A9.pdf",
    "data%E2%80%93final.xlsx", "https://kpu.go.id/x?nama=ab%cd.html", "lihat %ef%bb%bfdata.csv",
    # register numbers, versions, amounts, file names, dates
    "register 0009/PPID/2026", "Keputusan Nomor 0009/PPID/2026 tanggal 2026-11-20", "v1.0", "versi 2.1.0",
    "Rp1.000", "Rp 1.500.000", "laporan-2026.pdf", "Pasal 17 huruf j", "pukul 09.15 WITA",
    # "@" for "each" in a price list, with digits in what follows it
    "kertas 5 rim @ 1.5kg", "2 unit @1,5jt", "3 buah @ Rp 5.000", "konsumsi 40 kotak @ Rp25.000,00",
    # the other marks before a word that is no provider, or with no top-level domain after it
    "AT&T.com", "C#gmail", "tag #gmail.com", "harga 5*gmail.com", "skor 3!gmail.com", "Q&A.pdf",
    "https://kpu.go.id/?email=gmail.com", "kontak: gmail.com", "naik 5&#37; dari 2025", "50&percnt;",
    "lihat a&#37;20b.pdf",
    # "di" before a sentence's end and a number: no look-alike top-level domain ("10" is no "io")
    "tahun 2019 di Kupang. 10 orang hadir", "rapat 2026 di aula. 1 orang izin",
])
def test_percentages_encoded_paths_and_numbers_beside_them_survive(text):
    assert pii.mask(text, ["Yuliana Nenobais"], own=None) == text


@pytest.mark.parametrize("text", [
    "a" + ".a" * 5000 + "%", "a" + " % a" * 2000, "x%" + "a." * 3000, "a" + "%a" * 4000 + ".c0m",
    "x@" + "a." * 3000 + "c0", "a" + " (%) a" * 1500 + ".c0m", "nama%" * 1600, "a" + ".a" * 4000 + "%gmail",
    "%" + "25" * 4000 + "40", "x@gmai1" * 1100,
    "a" + ".a" * 5000 + "#gmail.com", "a#" * 4000 + "gmail.com", "a." * 4000 + "@gmail.com", "&#37;" * 1600 + "gmail.com",
])
def test_long_hostile_runs_with_the_new_forms_end_quickly(text):
    """The new forms read a bounded stretch from each start (as the local part's {0,80}): on
    8,000 characters and more, a fraction of a second; a pattern that backtracks takes minutes."""
    start = time.perf_counter()
    assert pii.mask(text, ["Yuliana Nenobais", "Yo Ko"], own=None) is not None
    assert time.perf_counter() - start < 3.0
