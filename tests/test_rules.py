"""Information rules (spec section 4): first match on whole words, outcomes, the PPID's override."""

from __future__ import annotations

import pytest

from pipeline import rules
from pipeline.config import Rule, _keyword_pattern, load_rules
from pipeline.errors import ConfigError
from pipeline.model import Decision, DecisionItem


def rule(id, status, *keywords, **kw):
    return Rule(id=id, status=status, keywords=list(keywords), pattern=_keyword_pattern(list(keywords)), **kw)


RULES = [
    rule("DIK-01", "exempt", "nik", "nkk", "nomor induk kependudukan", ground="h"),
    rule("LAIN-01", "not_held", "temuan pelanggaran", holder="Bawaslu Provinsi NTT"),
    rule("DIK-02", "partial", "formulir c.hasil", ground="h", redact=["NIK"]),
    rule("DIP-01", "open", "keputusan kpu", "rekapitulasi", "dpt"),
]


@pytest.mark.parametrize("item,rule_id", [
    ("Daftar pemilih dengan NIK", "DIK-01"),
    ("daftar pemilih dengan nik", "DIK-01"),                      # any case
    ("NIK, NKK dan alamat pemilih", "DIK-01"),                   # punctuation is a word boundary
    ("Nomor   Induk Kependudukan pemilih", "DIK-01"),            # phrase, any spacing
    ("Laporan teknik pemungutan suara", None),                   # "teknik" is not "nik"
    ("Daftar NIKAH massal", None),                               # nor is "nikah"
    ("Rekapitulasi DPT yang memuat NIK", "DIK-01"),              # first match wins, order matters
    ("Salinan Keputusan KPU Provinsi NTT 2024", "DIP-01"),
    ("Temuan pelanggaran di Kabupaten Belu", "LAIN-01"),
    ("Salinan Formulir C.Hasil TPS 05", "DIK-02"),
    ("Formulir CXHasil", None),                                   # the dot is literal
])
def test_first_rule_with_a_whole_word_keyword_decides(item, rule_id):
    hit = rules.match(item, RULES)
    assert (hit.id if hit else None) == rule_id


@pytest.mark.parametrize("statuses,outcome", [
    (["open"], "granted"),
    (["open", "open"], "granted"),
    (["exempt"], "rejected"),
    (["exempt", "exempt"], "rejected"),
    (["not_held"], "not_held"),
    (["open", "exempt"], "partially_granted"),
    (["partial"], "partially_granted"),
    (["open", "not_held"], "partially_granted"),
    (["exempt", "not_held"], "partially_granted"),
    (["open", "review"], "review"),
    ([], "review"),
])
def test_outcome(statuses, outcome):
    items = [rules.ItemResult(i, "x", s) for i, s in enumerate(statuses, 1)]
    assert rules.outcome(items) == outcome


def test_unmatched_item_is_review_until_the_ppid_decides():
    items = ["Keputusan KPU tentang DPT", "Memo rapat koordinasi tertutup"]
    before = rules.classify(items, RULES)
    assert [i.status for i in before] == ["open", "review"] and rules.outcome(before) == "review"
    decision = Decision(by="PPID", items=[DecisionItem(item=2, status="exempt", ground="i", reason="Memorandum internal")])
    after = rules.classify(items, RULES, decision)
    assert [(i.status, i.rule, i.ground) for i in after] == [("open", "DIP-01", None), ("exempt", "decision", "i")]
    assert rules.outcome(after) == "partially_granted" and rules.grounds(after) == ["i"]


def test_decision_overrides_a_rule():
    decision = Decision(items=[DecisionItem(item=1, status="open", reason="Data agregat tanpa NIK")])
    [item] = rules.classify(["Jumlah pemilih dengan NIK ganda per kecamatan"], RULES, decision)
    assert (item.status, item.rule, item.ground) == ("open", "decision", None)


BAD_RULES = [
    ("- id: X\n  status: secret\n  keywords: [a]\n", "status 'secret' is unknown"),
    ("- id: X\n  status: exempt\n  keywords: [a]\n  basis: b\n  consequence_test: c\n", "needs ground"),
    ("- id: X\n  status: exempt\n  keywords: [a]\n  ground: k\n  basis: b\n  consequence_test: c\n", "a-j"),
    ("- id: X\n  status: exempt\n  keywords: [a]\n  ground: h\n  consequence_test: c\n", "needs basis"),
    ("- id: X\n  status: exempt\n  keywords: [a]\n  ground: h\n  basis: b\n", "needs consequence_test"),
    ("- id: X\n  status: partial\n  keywords: [a]\n  ground: h\n  basis: b\n  consequence_test: c\n", "needs redact"),
    ("- id: X\n  status: not_held\n  keywords: [a]\n", "needs holder"),
    ("- id: X\n  status: open\n  keywords: []\n", "keywords must be"),
    ("- id: X\n  status: open\n  keywords: [a]\n- id: X\n  status: open\n  keywords: [b]\n", "used twice"),
    ("- id: X\n  status: open\n  keywords: [a]\n  grond: h\n", "unknown key"),
]


@pytest.mark.parametrize("text,words", BAD_RULES)
def test_bad_information_rules_are_a_config_error(tmp_path, text, words):
    path = tmp_path / "information.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=words):
        load_rules(path)


@pytest.mark.parametrize("item,status,rule_prefix", [
    ("Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih DPRD Provinsi 2024", "open", "DIP"),
    ("Data pemilih disabilitas per kabupaten/kota", "open", "DIP"),
    ("Daftar pemilih lengkap dengan NIK dan NKK Kecamatan Oebobo", "exempt", "DIK"),
    ("Salinan formulir C.Hasil TPS 05 Kelurahan Oebobo", "partial", "DIK"),
    ("Temuan pelanggaran pemilu di Kabupaten Belu", "not_held", "LAIN"),
    ("Nota dinas internal Sekretaris tentang pengadaan logistik", "exempt", "DIK"),
])
def test_stock_rules_classify_typical_items(cfg, item, status, rule_prefix):
    [result] = rules.classify([item], cfg.rules)
    assert result.status == status and result.rule.startswith(rule_prefix)
