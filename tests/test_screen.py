"""The personal-data screen (issue 17 item 1; spec section 4): no personal data opened by a keyword."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from pipeline import rules
from pipeline.cli import main
from pipeline.config import load_config, load_screen
from pipeline.errors import ConfigError
from pipeline.model import Decision, DecisionItem
from helpers import ROOT, TEMPLATES, base_request, write_request


def one(cfg, item):
    [r] = rules.classify([item], cfg.rules, screen=cfg.screen)
    return r


# Issue 17 item 1: each came out `open` under DIP-05 on main.
@pytest.mark.parametrize("item", [
    "Rekap DPT Kota Kupang beserta N I K dan tanggal lahir tiap pemilih",
    "Data pemilih pemula lengkap dengan no. induk kependudukan",
    "Daftar pemilih disabilitas Kota Kupang dengan nama dan alamat",
])
def test_issue_items_are_not_open(cfg, item):
    r = one(cfg, item)
    assert (r.status, r.proposed) == ("review", "partial")
    assert rules.outcome([r]) == "review"


# Closing rules match in the strong profile: the rule that withholds it proposes.
@pytest.mark.parametrize("item,rule", [
    ("Rekap DPT Kota Kupang beserta N I K dan tanggal lahir tiap pemilih", "DIK-01"),
    ("Data pemilih pemula lengkap dengan no. induk kependudukan", "DIK-01"),
    ("Daftar pemilih dengan \u0274\u026a\u1d0b", "DIK-01"),
    ("Daftar pemilih dengan \U0001f17d\U0001f178\U0001f17a", "DIK-01"),
    ("Daftar pemilih dengan N1K", "DIK-01"),
    ("Daftar pemilih dengan NlK", "DIK-01"),
    ("Daftar pemilih dengan NIKpun", "DIK-01"),
    ("Daftar pemilih dengan NIKkah", "DIK-01"),
    ("Salinan rekam medis calon", "DIK-02"),
])
def test_closing_rules_read_the_strong_profile(cfg, item, rule):
    r = one(cfg, item)
    assert (r.status, r.rule, r.proposed, r.screen) == ("review", rule, r.proposed, None)
    assert r.proposed in ("exempt", "partial")


# No closing rule matches: the screen's category proposes, with its own ground.
@pytest.mark.parametrize("item,category,ground", [
    ("Daftar pemilih disabilitas Kota Kupang dengan nama dan alamat", "address", "j"),
    ("Fotocopy KTP anggota tim kampanye", "identity_number", "j"),
    ("Salinan e-KTP pemilih pemula Kecamatan Alak", "identity_number", "j"),
    ("Nomor KTP petugas KPPS", "identity_number", "j"),
    ("Rekam medik pemilih di rumah sakit", "health", "h"),
    ("Daftar pemilih tunanetra di Kecamatan Oebobo", "disability", "h"),
    ("Data pemilih berkebutuhan khusus Kota Kupang", "disability", "h"),
    ("Nomor WhatsApp pemilih pemula Kota Kupang", "contact", "j"),
    ("Biodata pemilih Kelurahan Oepura", "persons_by_name", "j"),
    ("Tempat lahir pemilih pemula", "birth", "j"),
])
def test_screen_proposes_partial_with_the_category_ground(cfg, item, category, ground):
    r = one(cfg, item)
    assert (r.status, r.proposed, r.screen, r.ground, r.rule) == ("review", "partial", category, ground, None)
    assert r.redact  # the category's default redactions
    assert r.as_json()["screen"] == category and r.as_json()["proposed"] == "partial"
    assert r.proposal == f"partial (screen: {category})"


# What the law makes public and aggregates stay open.
@pytest.mark.parametrize("item", [
    "Jumlah pemilih disabilitas per kecamatan",
    "Rekapitulasi pemilih disabilitas Pemilu 2024 per kabupaten/kota",
    "Persentase pemilih disabilitas yang menggunakan hak pilih per kabupaten",
    "Jumlah pemilih yang belum memiliki KTP-el per kabupaten",
    "Data pemilih disabilitas per kabupaten/kota",
    "Daftar calon tetap anggota DPRD Provinsi NTT 2024",
    "Daftar nama calon terpilih DPRD Provinsi NTT 2024",
    "Nama-nama anggota KPU Provinsi NTT dalam struktur organisasi",
    "Daftar pejabat struktural Sekretariat KPU Provinsi NTT dengan nama dan jabatannya",
    "Daftar nama calon sementara (DCS) Dapil NTT 1",
])
def test_aggregates_and_public_names_stay_open(cfg, item):
    r = one(cfg, item)
    assert r.status == "open" and r.screen is None


@pytest.mark.parametrize("item", [
    "Jumlah dan NIK pemilih per kecamatan",                 # "dan" ends the count
    "Jumlah pemilih disabilitas per kecamatan beserta nama", # asks for persons one by one
    "Daftar nama dan NIK calon terpilih",                    # a public name, a private number
    "Nomor telepon pribadi anggota KPU",
    "Nama-nama pemilih yang memilih calon terpilih di TPS 3",  # a public role beside voters' names
    "Jumlah pemilih disabilitas Kota Kupang dan jenis disabilitas",  # "dan" ends the count
])
def test_counts_and_public_roles_do_not_carry_personal_data(cfg, item):
    assert one(cfg, item).status != "open"


def test_only_the_ppid_opens_a_flagged_item(cfg):
    item = "Daftar pemilih tunanetra di Kecamatan Oebobo"
    decision = Decision(by="PPID", items=[DecisionItem(item=1, status="open", reason="Persetujuan tertulis")])
    [r] = rules.classify([item], cfg.rules, decision, cfg.screen)
    assert (r.status, r.rule, r.proposed) == ("open", "decision", None)


def test_screen_is_skipped_when_a_closing_rule_decides(cfg):
    r = one(cfg, "Salinan KTP pendukung calon perseorangan")
    assert r.rule == "DIK-10" and r.screen is None


# --- the register, `ppid run --json` and `ppid due` ------------------------------------

def test_flagged_item_in_json_register_and_due(tmp_path, inbox):
    data = base_request(information=["Daftar pemilih tunanetra di Kecamatan Oebobo"])
    write_request(inbox, "a.yaml", data)
    args = ["--config", str(ROOT / "config"), "--records", str(tmp_path / "records"), "--date", "2026-11-27"]
    result = CliRunner().invoke(main, ["run", str(inbox), "--json", "--no-pdf", "--templates", str(TEMPLATES),
                                       "--out", str(tmp_path / "out"), *args], catch_exceptions=False)
    [line] = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert line["status"] == "review"
    assert line["items"] == [{"text": data["information"][0], "status": "review", "rule": None, "ground": "h",
                              "proposed": "partial", "screen": "disability"}]
    rows = [json.loads(x) for x in (tmp_path / "records" / "events.jsonl").read_text().splitlines()]
    assert [e["row"]["proposed"] for e in rows if e.get("row")] == ["1: partial (screen: disability)"]
    due = CliRunner().invoke(main, ["due", "--json", *args], catch_exceptions=False)
    [row] = [json.loads(x) for x in due.stdout.splitlines() if x.strip()]
    assert row["proposed"] == "1: partial (screen: disability)"


# --- personal-data.yaml is checked like every config file ------------------------------

@pytest.mark.parametrize("old,new,message", [
    ("    ground: [h, j]\n    basis: Pasal 17 huruf h angka 2 dan", "    ground: z\n    basis: Pasal 17 huruf h angka 2 dan",
     "categories.disability: ground must be UU KIP Pasal 17 letters a-j, one or a list like [h, j] (got 'z')"),
    ("    kind: group", "    kind: crowd", "categories.disability: kind 'crowd' is unknown"),
    ("  - id: health\n", "  - id: Health Data\n", "categories.Health Data: needs an id of lower-case letters"),
    ("      - rekam medis\n", "      - rekam medis\n      - '!!'\n", "categories.health: term '!!' has no letters"),
    ("counting_words: [", "countin_words: [", "unknown key countin_words"),
])
def test_bad_personal_data_file_names_file_line_and_field(tmp_path, old, new, message):
    text = (ROOT / "config" / "personal-data.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "personal-data.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_screen(path)
    assert str(err.value).startswith(f"{path}:") and message in str(err.value)


def test_missing_personal_data_file_exits_two(tmp_path, inbox):
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    (config / "personal-data.yaml").unlink()
    write_request(inbox, "a.yaml", base_request())
    result = CliRunner().invoke(main, ["run", str(inbox), "--config", str(config), "--records", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "personal-data.yaml: not found" in result.stderr
    assert not (tmp_path / "r" / "events.jsonl").exists()


def test_shipped_file_loads(cfg):
    ids = [c.id for c in cfg.screen.categories]
    assert {"identity_number", "persons_by_name", "address", "birth", "contact", "disability", "health"} <= set(ids)
    grounds = {c.id: c.ground for c in cfg.screen.categories}
    assert grounds["identity_number"] == "j" and grounds["health"] == "h" and grounds["disability"] == "h"
    assert load_config(ROOT / "config").screen.categories == cfg.screen.categories
