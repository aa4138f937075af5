"""The shipped DIP/DIK list (config/information.yaml), one test per rule corrected for issue 11 item 3."""

from __future__ import annotations

import pytest

from pipeline import rules


def one(cfg, item):
    [r] = rules.classify([item], cfg.rules, screen=cfg.screen)
    return r


def by_id(cfg, rid):
    return next(r for r in cfg.rules if r.id == rid)


# LAIN-01..04 no longer answer "tidak dikuasai" for what KPU itself holds.
@pytest.mark.parametrize("item", [
    "Keputusan KPU Provinsi NTT tentang tindak lanjut putusan DKPP atas pengaduan terhadap anggota KPU Kabupaten Belu",
    "Jawaban KPU Provinsi NTT sebagai Termohon dalam perselisihan hasil Pemilihan Gubernur 2024 di Mahkamah Konstitusi",
    "Jawaban Termohon dalam perkara PHPU DPRD Provinsi NTT 2024",
    "Surat KPU Provinsi NTT kepada Bawaslu Provinsi NTT tentang tindak lanjut rekomendasi",
    "Putusan Bawaslu Provinsi NTT atas laporan dugaan pelanggaran administratif Pemilihan 2024 di Kabupaten Malaka",
    "Putusan Mahkamah Konstitusi atas perselisihan hasil Pemilihan Bupati Sumba Barat Daya 2024",
    "Putusan DKPP tentang pelanggaran kode etik anggota KPU Kabupaten Sikka",
    "DAK2 per kecamatan untuk penataan daerah pemilihan 2024",
    "Data agregat kependudukan per kecamatan (DAK2)",
])
def test_documents_kpu_holds_are_not_answered_not_held(cfg, item):
    r = one(cfg, item)
    assert r.status != "not_held" and r.holder is None
    assert r.status == "open" and r.rule in ("DIP-15", "DIP-16")


def test_dp4_is_held_and_given_only_with_personal_data_blacked_out(cfg):
    # UU 7/2017 Pasal 201 ayat 1 huruf b: DP4 is handed to KPU
    r = one(cfg, "DP4 Kabupaten Kupang untuk penyusunan daftar pemilih Pemilu 2024")
    assert (r.status, r.proposed, r.rule) == ("review", "partial", "DIK-01")
    assert {"NIK", "NKK"} <= set(r.redact)


@pytest.mark.parametrize("item,holder_word", [
    ("Temuan pelanggaran pemilu di Kabupaten Belu", "Bawaslu"),
    ("Berkas perkara DKPP atas pengaduan terhadap anggota KPU Kabupaten Ende", "DKPP"),
    ("Risalah sidang Mahkamah Konstitusi perkara PHPU DPR 2024", "Mahkamah Konstitusi"),
    ("Akta kelahiran penduduk Kelurahan Oebobo tahun 2020", "Kependudukan"),
])
def test_not_held_stays_for_what_others_hold(cfg, item, holder_word):
    r = one(cfg, item)
    assert r.status == "not_held" and holder_word in r.holder


def test_sentra_gakkumdu_files_are_not_held_by_kpu(cfg):
    # UU 7/2017 Pasal 486 ayat 1: Bawaslu, Polri and Kejaksaan form Gakkumdu; no ground for secrecy
    r = one(cfg, "Berkas penyidikan tindak pidana pemilu di Sentra Gakkumdu Kabupaten Manggarai Barat yang sedang berjalan")
    assert (r.status, r.rule, r.ground) == ("not_held", "LAIN-07", None)
    # a referral names a body with a PPID that holds the file, never the coordination centre
    assert r.holder.startswith("Kepolisian Negara Republik Indonesia") and "Gakkumdu" not in r.holder
    assert one(cfg, "Berkas penuntutan tindak pidana pemilu Kabupaten Belu").holder.startswith("Kejaksaan")
    assert not any("486" in (x.basis or "") for x in cfg.rules)


@pytest.mark.parametrize("item", [
    "DPT by name Kecamatan Oebobo Pemilu 2024",
    "Salinan DPT per TPS Kelurahan Fatululi",
    "Daftar pemilih lengkap dengan NIK dan NKK Kecamatan Oebobo",
    "Daftar pemilih tetap Kota Kupang dengan nomor induk kependudukan",
])
def test_dpt_by_name_and_with_nik_are_partial_with_nik_and_nkk_blacked_out(cfg, item):
    r = one(cfg, item)
    assert (r.status, r.proposed, r.rule, r.ground) == ("review", "partial", "DIK-01", "j")
    assert {"NIK", "NKK", "tanggal lahir"} <= set(r.redact)


@pytest.mark.parametrize("item", [
    "Daftar Pemilih Tetap (DPT) Kecamatan Oebobo Pemilu 2024",
    "DPT Kabupaten Kupang",
])
def test_a_bare_dpt_request_waits_for_the_ppid(cfg, item):
    # neither clearly aggregate nor clearly by name: no rule decides it, the PPID does
    r = one(cfg, item)
    assert (r.status, r.rule, r.proposed) == ("review", None, None)


@pytest.mark.parametrize("item", [
    "Jumlah pemilih dalam DPT Pemilihan 2024 Kota Kupang per kecamatan",
    "Rekapitulasi DPT Pemilu 2024 per kabupaten/kota",
    "Data pemilih disabilitas per kabupaten/kota",
])
def test_aggregate_voter_figures_stay_open(cfg, item):
    assert one(cfg, item).status == "open"


@pytest.mark.parametrize("item", [
    "Salinan formulir C.Hasil TPS 05 Kelurahan Oebobo",
    "Model C.Hasil-DPRD Provinsi TPS 12 Desa Oelnasi",
    "Foto formulir C hasil plano TPS 3",
])
def test_c_hasil_is_open(cfg, item):
    r = one(cfg, item)
    assert (r.status, r.rule, r.redact) == ("open", "DIP-03", ())


@pytest.mark.parametrize("item", [
    "Surat keterangan kesehatan pasangan calon Bupati dan Wakil Bupati Kupang 2024",
    "Hasil pemeriksaan kesehatan pasangan calon Gubernur NTT",
    "Rekam medis calon anggota DPD",
])
def test_candidate_health_records_are_withheld_not_opened_by_pasangan_calon(cfg, item):
    r = one(cfg, item)
    assert (r.status, r.proposed, r.rule, r.ground) == ("review", "exempt", "DIK-02", "h")
    assert "huruf h angka 2" in r.basis
    assert "DIP-04" in [x.id for x in rules.matches(item, cfg.rules)] or "pasangan calon" not in item.lower()


def test_nik_rests_on_huruf_j_with_adminduk_and_pdp(cfg):
    for rid in ("DIK-01", "DIK-10"):
        r = by_id(cfg, rid)
        # NIK is huruf j, never huruf h alone; DIK-01 adds huruf h angka 2 for its disability data only
        assert r.ground == "j" and "huruf h" not in r.basis.replace("huruf h angka 2", "")
        assert "UU 24/2013" in r.basis and "UU 27/2022" in r.basis and "Pasal 79" in r.basis
    assert all(r.ground == "j" for r in cfg.rules if "nik" in r.keywords)


@pytest.mark.parametrize("item,rule_id", [
    ("Salinan ijazah calon anggota DPRD Provinsi NTT", "DIK-11"),
    ("Dokumen persyaratan calon Gubernur NTT 2024", "DIK-11"),
    ("SKCK pasangan calon Bupati Belu", "DIK-11"),
])
def test_candidate_documents_where_practice_varies_only_propose(cfg, item, rule_id):
    # Keputusan KPU 731/2025 on candidate documents was issued, then revoked
    r = one(cfg, item)
    assert (r.status, r.rule) == ("review", rule_id) and r.proposed in ("exempt", "partial")


def test_closing_rules_only_propose_and_no_decree_is_invented(cfg):
    closing = [r for r in cfg.rules if r.closing]
    assert closing and all(not r.decides and r.consequence_test is None for r in closing)
    text = (cfg.folder / "information.yaml").read_text(encoding="utf-8")
    assert "3/PPID/2024" not in text


def test_header_names_the_holding_articles_and_every_status(cfg):
    text = (cfg.folder / "information.yaml").read_text(encoding="utf-8")
    assert "Pasal 22 ayat 7 huruf a dan b" in text and "huruf d" not in text
    assert "not_documented" in text
    assert "consequence_test: Keputusan PPID" in text and "CONSEQUENCE TEST" in text


def test_the_issue_reproduction_end_to_end_is_not_granted(tmp_path, inbox):
    """issue 12 item 4 through `ppid run --json`: a zero-width NIK waits for the PPID, with the proposal shown."""
    import json

    from click.testing import CliRunner

    from pipeline.cli import main
    from tests.conftest import ROOT, base_request, write_request

    item = "Daftar pemilih tetap Kecamatan Oebobo lengkap dengan N\u200bIK dan N\u0406KK"
    write_request(inbox, "a.yaml", base_request(information=[item]))
    args = ["run", str(inbox), "--json", "--no-pdf", "--config", str(ROOT / "config"), "--templates",
            str(ROOT / "templates"), "--records", str(tmp_path / "records"), "--out", str(tmp_path / "out"),
            "--date", "2026-11-27"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    [line] = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert (line["status"], line["outcome"]) == ("review", "review")
    assert line["items"] == [{"text": item, "status": "review", "rule": "DIK-01", "ground": "j", "proposed": "partial"}]
    assert not [x for x in line["letters"] if x["kind"] == "decision_notice"]
