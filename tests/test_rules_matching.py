"""Spelling cannot dodge a DIP/DIK rule (issue 12 item 4; spec section 4): normalisation and its attacks."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import examples
from pipeline import normalise, rules

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u200e", "\u2062"]
# Look-alikes written out by hand (not taken from the table under test): Cyrillic, Greek,
# full-width and mathematical letters.
LOOK_ALIKES = {
    "a": ["\u0430", "\u03b1", "\u0410", "\uff41"], "c": ["\u0441", "\u03f2", "\u0421"], "e": ["\u0435", "\u0415", "\u0395"],
    "i": ["\u0456", "\u03b9", "\u0406", "\u0399", "\u04c0"], "j": ["\u0458", "\u0408"], "k": ["\u043a", "\u03ba", "\u041a", "\u039a"],
    "m": ["\u041c", "\u039c"], "n": ["\u039d", "\U0001d427"], "o": ["\u043e", "\u03bf", "\u041e", "\u039f"],
    "p": ["\u0440", "\u03c1", "\u0420", "\u03a1"], "s": ["\u0455", "\u0405"], "t": ["\u0422", "\u03a4"],
    "x": ["\u0445", "\u0425", "\u03a7"], "y": ["\u0443", "\u03a5"], "h": ["\u04bb", "\u041d", "\u0397"],
    "b": ["\u0412", "\u0392"], "d": ["\u0501"], "z": ["\u0396"],
}


# --- the reproductions of issue 12 item 4, against the shipped list ----------------------

DPT = "Daftar pemilih tetap Kecamatan Oebobo lengkap dengan "
VARIANTS = [
    "Daftar pemilih tetap lengkap dengan NIKnya dan KKnya",
    DPT + "N.I.K.",
    DPT + "N\u200bIK",
    DPT + "N\u0406K",                                   # Cyrillic capital І
    DPT + "nomor-induk-kependudukan",
    "nomor KK, tanggal lahir dan alamat rumah",
    DPT + "NIK dan NKK",
    DPT + "N-I-K",
    DPT + "N_I_K",
    DPT + "\uff2e\uff29\uff2b",                          # full-width
    DPT + "\U0001d40d\U0001d408\U0001d40a",              # mathematical bold
    DPT + "\u039d\u0399\u039a",                          # Greek capitals
    DPT + "N\u00adI\u00adK",                             # soft hyphens
    DPT + "NIK/NKK",
    DPT + "NIK,NKK",
    DPT + "Nomor Induk Kependudukannya",
    DPT + "NIKmu",
    DPT + "NIKlah",
    DPT + "NIKku",
    DPT + "n\u0131k",                                     # dotless i
    DPT + "NI\u0301K",                                   # combining accent
]


@pytest.mark.parametrize("item", VARIANTS)
def test_issue_variants_do_not_come_out_open(cfg, item):
    [r] = rules.classify([item], cfg.rules, screen=cfg.screen)
    assert (r.status, r.proposed, r.rule) == ("review", "partial", "DIK-01")
    assert rules.outcome([r]) == "review"


@pytest.mark.parametrize("item", [
    "Laporan teknik pemungutan suara",
    "Buku nikah massal Kecamatan Oebobo",
    "Kajian politik lokal",
    "Daftar calon tetap anggota DPRD Provinsi NTT",
])
def test_whole_words_still(cfg, item):
    assert not any(r.id == "DIK-01" for r in rules.matches(item, cfg.rules))


@pytest.mark.parametrize("text,views", [
    ("N.I.K.", ("nik", "n i k")),
    ("N\u200bIK", ("nik",)),
    ("N\u0406K", ("nik",)),
    ("nomor-induk-kependudukan", ("nomorindukkependudukan", "nomor induk kependudukan")),
    ("NIK/NKK", ("niknkk", "nik nkk")),
    ("C.Hasil TPS 05", ("chasil tps 05", "c hasil tps 05")),
    ("  Daftar\u00a0 Pemilih ", ("daftar pemilih",)),
    ("\u039d\u0399\u039a", ("nik",)),
    ("teknik", ("teknik",)),
])
def test_views(text, views):
    assert normalise.views(text) == views


# --- Hypothesis: zero-width and look-alike characters in every closing keyword ------------

def closing_keywords(cfg):
    return [(r.id, k) for r in cfg.rules if r.closing for k in r.keywords]


def disguise(keyword: str, draw) -> str:
    out = []
    for ch in keyword:
        if ch.lower() in LOOK_ALIKES and draw(st.booleans()):
            ch = draw(st.sampled_from(LOOK_ALIKES[ch.lower()]))
        elif ch.isalpha() and draw(st.booleans()):
            ch = ch.upper()
        out.append(ch)
        if ch != " " and draw(st.booleans()):
            out.append(draw(st.sampled_from(ZERO_WIDTH)))
    return "".join(out)


@pytest.mark.slow  # thousands of generated cases; the fast loop has smaller ones
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_disguised_closing_keywords_still_close(cfg, data):
    rule_id, keyword = data.draw(st.sampled_from(closing_keywords(cfg)))
    disguised = disguise(keyword, data.draw)
    suffix = data.draw(st.sampled_from(["", "nya", "ku", "mu", "lah"]))
    item = f"Mohon salinan {disguised}{suffix} Pemilu 2024 dari KPU Provinsi NTT"
    assert rule_id in [r.id for r in rules.matches(item, cfg.rules)], item
    [r] = rules.classify([item], cfg.rules, screen=cfg.screen)
    assert r.status == "review" and r.proposed in ("exempt", "partial"), item


def test_every_closing_keyword_fully_disguised(cfg):
    """Each closing keyword with every letter swapped for a look-alike and a zero-width space after each character."""
    tried = 0
    for rule_id, keyword in closing_keywords(cfg):
        for pick in range(3):
            chars = [LOOK_ALIKES[c][pick % len(LOOK_ALIKES[c])] if c in LOOK_ALIKES else c for c in keyword]
            item = "Permohonan " + "\u200b".join(chars) + " tahun 2024"
            assert rule_id in [r.id for r in rules.matches(item, cfg.rules)], (rule_id, keyword, item)
            tried += 1
    assert tried >= 3 * 60


@settings(max_examples=examples(500), deadline=None)
@given(st.text(max_size=60))
def test_views_are_plain_lower_case_words(text):
    for view in normalise.views(text):
        assert view == view.strip() and "  " not in view
        assert all(c == " " or (c.isalnum() and c == c.lower()) for c in view)
    assert normalise.views(normalise.fold(text)) == normalise.views(text)  # folding twice changes nothing


@pytest.mark.parametrize("profile", normalise.PROFILES)
@settings(max_examples=examples(300), deadline=None)
@given(text=st.text(max_size=40))
def test_folding_is_idempotent_and_maps_back(profile, text):
    folded = normalise.fold(text, profile)
    assert normalise.fold(folded, profile) == folded
    assert normalise.views(folded, profile)[0] == normalise.views(text, profile)[0]
    for end in range(len(folded) + 1):
        start, stop = folded.span(0, end)
        assert 0 <= start <= stop <= len(text)


@pytest.mark.parametrize("text,folded", [
    ("\u03a3", "o"),        # Hypothesis found it: capital sigma -> sigma -> o in two passes
    ("\u03c3", "o"),
    ("\u03f9", "c"),        # lunate sigma symbol
])
def test_found_examples_fold_in_one_pass(text, folded):
    assert normalise.fold(text) == folded
    assert normalise.fold(normalise.fold(text)) == folded


@pytest.mark.parametrize("text", ["Ꮦ", "ꮦ", "ᏕᏍ ꮧ"])
def test_cherokee_capitals_fold_to_one_lower_case_form(text):
    """Found by Hypothesis: casefold turns Cherokee small letters into capitals, so a view
    held a capital and folding twice could differ."""
    for view in normalise.views(text):
        assert all(c == " " or (c.isalnum() and c == c.lower()) for c in view)
    assert normalise.views(normalise.fold(text)) == normalise.views(text)
