"""Information rules (spec section 4): which rule decides, proposals, the PPID's decision, outcomes, config errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import examples
from pipeline import model, rules
from pipeline.config import Rule, load_rules
from pipeline.errors import ConfigError
from pipeline.model import Decision, DecisionItem

DECREE = "Keputusan PPID KPU Provinsi NTT Nomor 1 Tahun 2099 tentang Penetapan Informasi yang Dikecualikan"  # test-only


def rule(id, status, *keywords, **kw):
    return Rule(id=id, status=status, keywords=list(keywords), **kw)


RULES = [
    rule("DIK-01", "exempt", "nik", "nkk", "nomor induk kependudukan", ground="j", basis="b", consequence_test=DECREE),
    rule("LAIN-01", "not_held", "temuan pelanggaran", holder="Bawaslu Provinsi NTT"),
    rule("DIK-02", "partial", "formulir c.hasil", ground="h", basis="b", redact=["NIK"], consequence_test=DECREE),
    rule("DIK-03", "exempt", "rekam medis", "surat keterangan kesehatan", ground="h", basis="b"),  # no decree
    rule("ND-01", "not_documented", "kajian yang belum disusun"),
    rule("DIP-01", "open", "keputusan kpu", "rekapitulasi", "dpt", "pasangan calon"),
]


@pytest.mark.parametrize("item,rule_id", [
    ("Daftar pemilih dengan NIK", "DIK-01"),
    ("daftar pemilih dengan nik", "DIK-01"),                      # any case
    ("NIK, NKK dan alamat pemilih", "DIK-01"),                   # punctuation is a word boundary
    ("Nomor   Induk Kependudukan pemilih", "DIK-01"),            # phrase, any spacing
    ("Rekapitulasi DPT yang memuat NIK", "DIK-01"),              # closing rule wins over the open one
    ("Salinan Keputusan KPU Provinsi NTT 2024", "DIP-01"),
    ("Temuan pelanggaran di Kabupaten Belu", "LAIN-01"),
    ("Salinan Formulir C.Hasil TPS 05", "DIK-02"),
    ("Surat keterangan kesehatan pasangan calon Bupati Kupang", "DIK-03"),  # closing wins wherever it is listed
    ("Kajian yang belum disusun tentang partisipasi", "ND-01"),
])
def test_the_rule_that_decides(item, rule_id):
    assert rules.match(item, RULES).id == rule_id


@pytest.mark.parametrize("item", [
    "Laporan teknik pemungutan suara",   # "teknik" is not "nik"
    "Daftar NIKAH massal",               # nor is "nikah"
    "Formulir CXHasil",                  # letters are not punctuation
    "Laporan kinerja",
    "",
])
def test_no_rule_decides(item):
    assert rules.match(item, RULES) is None


def test_closing_rules_keep_first_match_order_among_themselves():
    both = [rule("A", "partial", "dpt", ground="j", basis="b", redact=["NIK"]),
            rule("B", "exempt", "nik", ground="j", basis="b"),
            rule("C", "open", "daftar")]
    assert rules.match("Daftar DPT dengan NIK", both).id == "A"
    assert rules.match("Daftar DPT dengan NIK", [both[1], both[0], both[2]]).id == "B"
    assert [r.id for r in rules.matches("Daftar DPT dengan NIK", both)] == ["A", "B", "C"]


def test_non_closing_rules_keep_first_match_order():
    held = [rule("DIP-15", "open", "putusan bawaslu"), rule("LAIN-01", "not_held", "laporan dugaan pelanggaran", holder="B")]
    assert rules.match("Putusan Bawaslu atas laporan dugaan pelanggaran", held).id == "DIP-15"
    assert rules.match("Putusan Bawaslu atas laporan dugaan pelanggaran", held[::-1]).id == "LAIN-01"


# --- what a rule alone decides ------------------------------------------------------------

@pytest.mark.parametrize("item,status,rule_id,proposed", [
    ("Keputusan KPU tentang DPT", "open", "DIP-01", None),
    ("Daftar pemilih dengan NIK", "exempt", "DIK-01", None),             # names the decree: decides
    ("Salinan formulir C.Hasil TPS 05", "partial", "DIK-02", None),
    ("Rekam medis calon", "review", "DIK-03", "exempt"),                 # no decree: only proposes
    ("Temuan pelanggaran di Belu", "not_held", "LAIN-01", None),
    ("Kajian yang belum disusun", "not_documented", "ND-01", None),
    ("Memo rapat koordinasi", "review", None, None),                     # nothing matched
])
def test_a_rule_decides_or_proposes(item, status, rule_id, proposed):
    [r] = rules.classify([item], RULES)
    assert (r.status, r.rule, r.proposed) == (status, rule_id, proposed)


def test_a_proposal_carries_the_rules_ground_and_basis_for_the_ppid():
    [r] = rules.classify(["Rekam medis calon"], RULES)
    assert (r.ground, r.basis, r.consequence_test, r.consequence) == ("h", "b", None, None)
    assert rules.outcome([r]) == "review" and rules.grounds([r]) == []


# --- the PPID's decision overrides item by item -------------------------------------------

def test_the_ppid_confirms_a_proposal():
    decision = Decision(by="PPID", items=[DecisionItem(
        item=1, status="exempt", ground="h", reason="Data kesehatan calon",
        consequence="Membuka rincian pemeriksaan mengungkap kondisi kesehatan pribadi calon")])
    [r] = rules.classify(["Rekam medis calon"], RULES, decision)
    assert (r.status, r.rule, r.ground, r.basis, r.proposed) == ("exempt", "decision", "h", "b", None)
    assert r.consequence.startswith("Membuka rincian") and rules.outcome([r]) == "rejected"


def test_the_ppid_overrides_a_proposal_to_partial():
    decision = Decision(items=[DecisionItem(item=1, status="partial", ground="h", redact=["rincian pemeriksaan"],
                                            reason="Kesimpulan memenuhi syarat diberikan")])
    [r] = rules.classify(["Surat keterangan kesehatan pasangan calon"], RULES, decision)
    assert (r.status, r.redact, r.basis) == ("partial", ("rincian pemeriksaan",), None)
    assert rules.outcome([r]) == "partially_granted"


def test_unmatched_item_is_review_until_the_ppid_decides():
    items = ["Keputusan KPU tentang DPT", "Memo rapat koordinasi tertutup"]
    before = rules.classify(items, RULES)
    assert [i.status for i in before] == ["open", "review"] and rules.outcome(before) == "review"
    decision = Decision(by="PPID", items=[DecisionItem(item=2, status="exempt", ground="i", reason="Memorandum internal")])
    after = rules.classify(items, RULES, decision)
    assert [(i.status, i.rule, i.ground) for i in after] == [("open", "DIP-01", None), ("exempt", "decision", "i")]
    assert rules.outcome(after) == "partially_granted" and rules.grounds(after) == ["i"]


def test_decision_overrides_a_deciding_rule():
    decision = Decision(items=[DecisionItem(item=1, status="open", reason="Data agregat tanpa NIK")])
    [item] = rules.classify(["Jumlah pemilih dengan NIK ganda per kecamatan"], RULES, decision)
    assert (item.status, item.rule, item.ground, item.basis) == ("open", "decision", None, None)


def test_decision_not_documented():
    decision = Decision(items=[DecisionItem(item=1, status="not_documented", reason="Belum disusun")])
    [item] = rules.classify(["Memo rapat koordinasi"], RULES, decision)
    assert item.status == "not_documented" and rules.outcome([item]) == "not_held"


def test_not_documented_is_an_item_status():
    assert "not_documented" in model.ITEM_STATUSES


# --- outcome (spec section 4's table) --------------------------------------------------------

OUTCOMES = [
    (["open"], "granted"),
    (["open", "open"], "granted"),
    (["partial"], "partially_granted"),
    (["open", "exempt"], "partially_granted"),
    (["open", "not_held"], "partially_granted"),
    (["partial", "exempt"], "partially_granted"),
    (["partial", "not_documented"], "partially_granted"),
    (["exempt"], "rejected"),
    (["exempt", "exempt"], "rejected"),
    (["exempt", "not_held"], "rejected"),                 # nothing given, one exempt
    (["exempt", "not_documented"], "rejected"),
    (["not_held"], "not_held"),
    (["not_held", "not_documented"], "not_held"),
    (["not_documented"], "not_held"),
    (["open", "review"], "review"),
    (["exempt", "review"], "review"),
    ([], "review"),
]


@pytest.mark.parametrize("statuses,outcome", OUTCOMES)
def test_outcome(statuses, outcome):
    items = [rules.ItemResult(i, "x", s) for i, s in enumerate(statuses, 1)]
    assert rules.outcome(items) == outcome


@pytest.mark.parametrize("statuses", [s for s, o in OUTCOMES if o == "partially_granted"])
def test_partially_granted_always_gives_something(statuses):
    assert any(s in ("open", "partial") for s in statuses)


def test_proposing_lists_the_closing_rules_without_a_decree():
    assert [r.id for r in rules.proposing(RULES)] == ["DIK-03"]
    assert rules.proposing_note(RULES).startswith("1 exempt/partial rule(s) in information.yaml only propose (DIK-03)")
    assert rules.proposing_note([r for r in RULES if r.id != "DIK-03"]) is None


def test_json_line_of_an_item_carries_proposed_only_when_a_rule_proposes():
    proposed, opened = rules.classify(["Rekam medis calon", "Keputusan KPU 2024"], RULES)
    assert proposed.as_json() == {"text": "Rekam medis calon", "status": "review", "rule": "DIK-03", "ground": "h",
                                  "proposed": "exempt"}
    assert opened.as_json() == {"text": "Keputusan KPU 2024", "status": "open", "rule": "DIP-01", "ground": None}


# --- config errors name the file, the line and the rule ----------------------------------------

GOOD = "- id: DIP-01\n  status: open\n  keywords: [jadwal]\n"
BAD_RULES = [  # (yaml, line, words)
    (GOOD + "- id: X\n  title: t\n  status: secret\n  keywords: [a1]\n", 6, "rule X: status 'secret' is unknown"),
    (GOOD + "- id: X\n  status: exempt\n  keywords: [a1]\n  basis: b\n", 4, "rule X: an exempt rule needs ground"),
    (GOOD + "- id: X\n  status: exempt\n  keywords: [a1]\n  ground: k\n  basis: b\n", 7, "a-j"),
    (GOOD + "- id: X\n  status: exempt\n  keywords: [a1]\n  ground: h\n", 4, "needs basis"),
    (GOOD + "- id: X\n  status: partial\n  keywords: [a1]\n  ground: h\n  basis: b\n  consequence: c\n", 4,
     "needs redact"),
    # UU KIP Pasal 19; Perki 1/2021 Pasal 49: the harm opening it would cause (issue 17 item 2)
    (GOOD + "- id: X\n  status: exempt\n  keywords: [a1]\n  ground: h\n  basis: b\n", 4, "needs consequence"),
    (GOOD + "- id: X\n  status: partial\n  keywords: [a1]\n  ground: h\n  basis: b\n  redact: [NIK]\n", 4,
     "needs consequence"),
    (GOOD + "- id: X\n  status: open\n  keywords: [a1]\n  consequence: c\n", 7, "only for exempt or partial"),
    (GOOD + "- id: X\n  status: exempt\n  keywords: [a1]\n  ground: h\n  basis: b\n  consequence: c\n  consequence_test: sudah diuji\n",
     10, "consequence_test must name the office's own decree"),
    (GOOD + "- id: X\n  status: open\n  keywords: [a1]\n  consequence_test: " + DECREE + "\n", 7,
     "only for exempt or partial"),
    (GOOD + "- id: X\n  status: not_held\n  keywords: [a1]\n", 4, "needs holder"),
    (GOOD + "- id: X\n  status: open\n  keywords: [a1]\n  holder: Bawaslu\n", 7, "holder is only for not_held"),
    (GOOD + "- id: X\n  status: open\n  keywords: []\n", 6, "keywords must be"),
    (GOOD + "- id: X\n  status: open\n  keywords: [\"...\"]\n", 6, "keyword '...' has no letters"),
    (GOOD + "- id: X\n  status: open\n  keywords: [\"\u200b\"]\n", 6, "has no letters"),
    (GOOD + "- id: X\n  status: open\n  keywords: [2024]\n", 6, "keyword 2024 is not text"),
    (GOOD + "- id: X\n  status: open\n  keywords: [Jadwal-]\n", 6, "also rule DIP-01's ('jadwal', line 1)"),
    (GOOD + "- id: DIP-01\n  status: open\n  keywords: [b1]\n", 4, "used twice (first at line 1)"),
    (GOOD + "- id: X\n  status: open\n  keywords: [a1]\n  grond: h\n", 7, "unknown key grond"),
    (GOOD + "- status: open\n  keywords: [a1]\n", 4, "entry 2 (no id): has no id"),
    (GOOD + "- just text\n", 4, "entry 2 (no id): must be a mapping"),
]


@pytest.mark.parametrize("text,line,words", BAD_RULES)
def test_bad_information_rules_are_a_config_error(tmp_path, text, line, words):
    path = tmp_path / "information.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}: ") and words in message and "\n" not in message


GOOD_RULES = [
    GOOD,
    "- id: DIK-01\n  status: exempt\n  keywords: [nik]\n  ground: j\n  basis: b\n  consequence: c\n",          # proposes
    "- id: DIK-01\n  status: exempt\n  keywords: [nik]\n  ground: j\n  basis: b\n  consequence: c\n  consequence_test: " + DECREE + "\n",
    "- id: ND-01\n  status: not_documented\n  keywords: [kajian]\n",
    "- id: DIP-01\n  status: open\n  keywords: [c.hasil, c1-plano]\n",
]


@pytest.mark.parametrize("text", GOOD_RULES)
def test_good_information_rules_load(tmp_path, text):
    path = tmp_path / "information.yaml"
    path.write_text(text, encoding="utf-8")
    [r] = load_rules(path)
    assert r.line == 1 and r.phrases


def test_shipped_rules_carry_no_decree_number(cfg):
    text = (cfg.folder / "information.yaml").read_text(encoding="utf-8")
    assert not re.search(r"Nomor\s+\d", text), "the starter list must not invent a decree number"
    assert all(r.consequence_test is None for r in cfg.rules)
    assert [r.id for r in rules.proposing(cfg.rules)] == [r.id for r in cfg.rules if r.closing]


# --- Hypothesis: whatever the order, a closing match wins, and first-match order holds within a kind --------

POOL = [rule(f"R{i}", status, f"kata{i}", **extra) for i, (status, extra) in enumerate([
    ("open", {}), ("exempt", {"ground": "j", "basis": "b"}), ("partial", {"ground": "j", "basis": "b", "redact": ["NIK"]}),
    ("not_held", {"holder": "Bawaslu"}), ("not_documented", {}), ("open", {}), ("exempt", {"ground": "i", "basis": "b"}),
])]


@settings(max_examples=examples(300), deadline=None)
@given(order=st.permutations(POOL), words=st.lists(st.integers(0, len(POOL) - 1), min_size=1, max_size=5))
def test_closing_wins_whatever_the_order(order, words):
    item = "Permohonan " + " dan ".join(f"kata{w}" for w in words)
    hit = [r for r in order if int(r.id[1:]) in words]
    closing = [r for r in hit if r.closing]
    assert rules.match(item, order) is (closing[0] if closing else hit[0])


# --- several Pasal 17 grounds on one rule (disability data: huruf h angka 2 and huruf j) -----------

_SEVERAL = ("- id: DIK-09\n  status: partial\n  keywords: [keterangan disabilitas]\n  {key}: {value}\n"
            "  basis: Pasal 17 huruf h angka 2 dan huruf j UU 14/2008; Pasal 4 ayat (2) huruf a UU 27/2022\n"
            "  consequence: akibat\n  redact: [keterangan disabilitas]\n")


@pytest.mark.parametrize("key,value,grounds", [
    ("ground", "j", ("j",)),            # the old single form still loads
    ("ground", "[h, j]", ("h", "j")),
    ("grounds", "[h, j]", ("h", "j")),
])
def test_a_rule_rests_on_one_ground_or_several(tmp_path, key, value, grounds):
    path = tmp_path / "information.yaml"
    path.write_text(_SEVERAL.format(key=key, value=value), encoding="utf-8")
    [r] = load_rules(path)
    assert (r.grounds, r.ground) == (grounds, grounds[0])


@pytest.mark.parametrize("value,words", [
    ("[h, k]", "got 'k'"),
    ("[h, h]", "names a letter twice"),
    ("[]", "needs ground"),
])
def test_a_bad_ground_list_is_a_config_error(tmp_path, value, words):
    path = tmp_path / "information.yaml"
    path.write_text(_SEVERAL.format(key="ground", value=value), encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(words)):
        load_rules(path)


def test_several_grounds_reach_the_item_the_register_and_the_citation():
    from pipeline.wording import pasal17

    r = rule("DIK-09", "partial", "keterangan disabilitas", grounds=("h", "j"), redact=["x"], consequence="a",
             basis="Pasal 17 huruf h angka 2 dan huruf j UU 14/2008", consequence_test=DECREE)
    [item] = rules.classify(["Keterangan disabilitas pemilih"], [r])
    assert (item.status, item.cited) == ("partial", ("h", "j"))
    assert rules.grounds([item]) == ["h", "j"]
    assert pasal17(item.cited, item.basis) == "Pasal 17 huruf h angka 2 dan huruf j UU 14/2008"
    # the PPID confirming the rule (with one of its grounds) keeps both; its own basis or another ground replaces
    text = ["Keterangan disabilitas pemilih"]
    confirm = [DecisionItem(1, "partial"), DecisionItem(1, "partial", ground="j")]
    assert [rules.classify(text, [r], Decision(items=[d]))[0].cited for d in confirm] == [("h", "j")] * 2
    own = [DecisionItem(1, "partial", ground="j", basis="Pasal 17 huruf j UU 14/2008"),
           DecisionItem(1, "partial", ground="g"), DecisionItem(1, "exempt", ground="j")]
    assert [rules.classify(text, [r], Decision(items=[d]))[0].cited for d in own] == [("j",), ("g",), ("j",)]


def test_stock_disability_rule_and_screen_cite_both_grounds():
    from pipeline.config import load_screen

    stock = {r.id: r for r in load_rules(Path("config/information.yaml"))}
    assert stock["DIK-01"].grounds == ("j", "h") and "Pasal 4 ayat (2) huruf a" in stock["DIK-01"].basis
    screen = load_screen(Path("config/personal-data.yaml"))
    assert next(c for c in screen.categories if c.id == "disability").grounds == ("h", "j")
