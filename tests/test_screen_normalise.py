"""The strong profile of the normaliser (spec section 4): what the personal-data screen and closing rules read."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import examples
from pipeline import normalise

STRONG = [
    ("N I K", "nik"),
    ("\uff2e \uff29 \uff2b", "nik"),                        # full-width, spaced
    ("N . I . K", "nik"),
    ("N1K", "nik"),
    ("NlK", "nik"),
    ("\u0274\u026a\u1d0b", "nik"),                          # small capitals
    ("\U0001f17d\U0001f178\U0001f17a", "nik"),              # negative squared letters
    ("\U0001d4dd\U0001d4d8\U0001d4da", "nik"),              # mathematical script
    ("\u13e6\u13aa", "ka"),                                  # Cherokee
    ("\u0585\u057d", "ou"),                                  # Armenian o, u
    ("no. induk kependudukan", "nomor. induk kependudukan"),
    ("nmr KK", "nomor kk"),
    ("tgl lahir", "tanggai iahir"),                          # l read as i, in items and terms alike
    ("riw4yat kes3hatan", "riwayat kesehatan"),
    ("\u03a3", "o"),
]


@pytest.mark.parametrize("text,folded", STRONG)
def test_strong_profile(text, folded):
    assert normalise.fold(text, "strong") == folded
    assert normalise.fold(normalise.fold(text, "strong"), "strong") == folded


@pytest.mark.parametrize("text", ["N I K", "N1K", "\u0274\u026a\u1d0b", "nmr KK", "no. induk kependudukan"])
def test_rule_profile_does_not_read_what_strong_reads(text):
    """The strong folding never widens what an open rule matches."""
    assert normalise.views(text, "rule") != normalise.views(text, "strong")


@pytest.mark.parametrize("text,found,original", [
    ("Rekap DPT beserta N I K dan tanggal lahir", "nik", "N I K"),
    ("salinan \uff2e\uff29\uff2b pemilih", "nik", "\uff2e\uff29\uff2b"),
    ("data dengan no. induk kependudukan", "nomor", "no"),
    ("N\u200bI\u200bK: 5301", "5301", "5301"),
])
def test_spans_map_back_to_the_original(text, found, original):
    folded = normalise.fold(text, "strong")
    at = folded.index(found)
    start, end = folded.span(at, at + len(found))
    assert text[start:end] == original
    assert folded.source == text


def test_digits_kept_reading_for_keywords_with_digits():
    assert normalise.views("salinan DP4", "strong") == ("saiinan dpa", "saiinan dp4")
    assert normalise.views("DPA 2024", "strong") == ("dpa 2024",)


def test_unknown_profile():
    with pytest.raises(ValueError):
        normalise.fold("x", "loose")


# --- the fast paths agree with the folding that keeps the map back -----------------------

WORDY = (st.text(max_size=40)
         | st.from_regex(r"[a-zA-Z0-9 .l|\-/]{0,40}", fullmatch=True)
         | st.lists(st.sampled_from(["no", "tgl", "N", "I", "K", "n1k", "almt", "lahir", "-", ".", "telp", " ",
                                     "2024", "kab/kota", "0\ua9f0A"])).map(" ".join))


@settings(max_examples=examples(400), deadline=None)
@given(text=WORDY, digits=st.booleans())
def test_fast_strong_folding_is_the_mapped_folding(text, digits):
    assert normalise.fold_text(text, "strong", digits=digits) == str(normalise.fold(text, "strong", digits=digits))


@settings(max_examples=examples(400), deadline=None)
@given(text=WORDY)
def test_both_views_are_the_two_profiles(text):
    assert normalise.both_views(text) == (normalise.views(text), normalise.views(text, "strong"))


def test_found_example_digit_of_another_script():
    """Hypothesis found it: a word with an ASCII digit, a Myanmar digit and a letter read one way in both paths."""
    text = "0\ua9f0A"
    assert normalise.views(normalise.fold(text, "strong"), "strong")[0] == normalise.views(text, "strong")[0]
