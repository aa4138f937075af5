"""The fifth hostile test (issue 18): each finding reproduced on the main of before.

1. Items asking for persons' data in other words ("beserta namanya", "nomor induk 16 digit",
   "telepon genggam dan surel", "hasil pemeriksaan psikologi", NPWP) were opened by a rule.
2. A third party's phone or NIK with its groups split by ; · ' " + & ! ? > { } ⁃, and an e-mail
   without its top-level domain written "(at) gmail", went into the book and the export.
3. The book's source_file kept the requester's NIK and phone when the file was named with them.
4. calendar.cuti_bersama_is_working_day: "false" (quoted) was read as true.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from helpers import ROOT, base_request, write_request
from pipeline import pii
from pipeline.cli import main
from pipeline.config import ConfigError, load_config
from test_integrity import run

DISGUISED = [
    "Pemilih pemula di Kelurahan Oebobo beserta namanya",
    "Rekap DPT Kelurahan Oebobo beserta nomor induk 16 digit tiap pemilih",
    "Hasil verifikasi faktual keanggotaan partai politik beserta nama anggota dan alamatnya",
    "Daftar calon tetap beserta telepon genggam dan surel masing-masing",
    "Jadwal tes psikologi calon anggota KPU kabupaten beserta hasilnya",
    "Daftar calon tetap beserta NPWP",
    "Profil calon beserta hasil pemeriksaan psikologi",
    "Sosialisasi: daftar peserta beserta nomor kontak",
    "Laporan dana kampanye beserta identitas penyumbang",
]


@pytest.mark.parametrize("item", DISGUISED)
def test_persons_data_asked_in_other_words_goes_to_the_ppid(tmp_path, item):
    write_request(tmp_path / "in", "r.yaml", base_request(information=[item]))

    line = run(tmp_path / "in", tmp_path / "records")[1]["r.yaml"]

    assert line["status"] == "review" and line["items"][0]["status"] == "review", line
    assert line["items"][0].get("screen"), line


@pytest.mark.parametrize("text", [
    "hp 0812;3456;7890", "NIK 5302·0000·0000·0099", "hp 0812'3456'7890", 'hp 0812"3456"7890',
    "hp 0812+3456+7890", "hp 0812 ; 3456 ; 7890", "hp 0812&3456&7890", "hp 0812!3456!7890",
    "hp 0812?3456?7890", "hp 0812>3456>7890", "NIK 5371{0000}0000{0099}", "hp 0812⁃3456⁃7890",
    "surel yohana.bili (at) gmail", "surel yohana.bili at gmail", "surel yohana.bili @ gmail",
    "surel yohana.bili@@gmail.com", "surel yohana.bili\\x40gmail.com",
])
def test_a_third_partys_number_or_mail_split_otherwise_is_masked(text):
    masked = pii.mask(text, [], own=None)
    assert pii.MASK in masked and not any(d in masked for d in ("3456", "0099", "yohana")), masked


@pytest.mark.parametrize("text", ["Rp 1.500.000; 2026-11-20; Pasal 17 huruf j", "0012/PPID/2026 & 0013/PPID/2026",
                                  "tahun 2024; 2025; 2026"])
def test_what_the_wider_separators_must_leave_alone(text):
    assert pii.mask(text, [], own=None) == text


def test_the_books_source_file_drops_the_requesters_own_numbers(tmp_path):
    data = base_request()
    name = "maria-5371012345670001-081234567890.yaml"
    write_request(tmp_path / "in", name, data)
    run(tmp_path / "in", tmp_path / "records")
    book = pd.read_csv(tmp_path / "records" / "register.csv", dtype=str)
    assert book["source_file"].str.contains("5371012345670001|081234567890").sum() == 0
    assert book["source_file"].str.contains("maria-").all()


def test_a_quoted_false_is_no_yes_no_setting(tmp_path):
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    office = config / "office.yaml"
    office.write_text(office.read_text(encoding="utf-8").replace(
        "cuti_bersama_is_working_day: false", 'cuti_bersama_is_working_day: "false"', 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="calendar.cuti_bersama_is_working_day: must be true or false"):
        load_config(config)
    result = CliRunner().invoke(main, ["due", "--config", str(config), "--records", str(tmp_path / "r")])
    assert result.exit_code == 2
