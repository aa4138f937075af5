"""Text normalisation for the DIP/DIK rules (spec section 4): spelling cannot dodge a rule.

An item and every keyword go through the same steps, so a keyword matches whatever
way the item is written:

1. Unicode NFKC (full-width, ligatures, mathematical letters, no-break spaces);
2. combining marks and invisible format characters dropped (zero-width space, joiners,
   word joiner, BOM, soft hyphen, bidi controls: Unicode categories Mn and Cf, plus
   the Hangul fillers that render as blanks);
3. look-alike letters folded to Latin (Cyrillic and Greek confusables, from the
   Unicode confusables table shipped by the `confusable-homoglyphs` package);
4. lower case (casefold).

Then the text is cut into words two ways, and a rule matches if its keyword occurs in
either (see `views`): punctuation between letters removed (`N.I.K.` -> `nik`,
`N-I-K` -> `nik`), or every punctuation mark, hyphens included, read as a space
(`nomor-induk-kependudukan` -> `nomor induk kependudukan`, `NIK/NKK` -> `nik nkk`).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from importlib import resources

# Indonesian possessive and emphatic clitics a keyword may carry: NIKnya, datamu, KKlah.
SUFFIXES = ("nya", "ku", "mu", "lah", "nyalah", "kulah", "mulah")

# Blank-looking letters that are not format characters (category Lo).
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0"


@functools.lru_cache(maxsize=1)
def _confusable_table() -> dict[int, str]:
    """Non-ASCII letter -> the ASCII letter it looks like, for str.translate.

    The confusables data maps each character to look-alikes one step away (Cyrillic
    к -> Latin kra ĸ); we follow those steps until an ASCII letter is reached. An
    upper-case letter whose look-alike is "l" is the capital I shape (Cyrillic І,
    Greek Ι): it folds to "i", as its lower case does.
    """
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    graph = {ch: [h["c"] for h in hs] for ch, hs in data.items() if len(ch) == 1}

    def reach(ch: str) -> str | None:
        seen, frontier = {ch}, [ch]
        for _ in range(4):
            nxt = []
            for c in frontier:
                for h in graph.get(c, ()):
                    if len(h) == 1 and h.isascii() and h.isalpha():
                        return h
                    if len(h) == 1 and h not in seen:
                        seen.add(h)
                        nxt.append(h)
            frontier = nxt
        return None

    table: dict[int, str] = {}
    for ch in graph:
        if ch.isascii() or not ch.isalpha() or unicodedata.normalize("NFKC", ch).isascii():
            continue  # NFKC already makes it the right Latin letter (full-width, mathematical)
        hit = reach(ch)
        if hit is None and ch.upper() != ch and len(ch.upper()) == 1:
            hit = reach(ch.upper())
        if hit is None:
            continue
        if hit in "lI" and ch.isupper() and len(ch.lower()) == 1 and reach(ch.lower()) == "i":
            hit = "i"
        table[ord(ch)] = hit.lower()
    return table


def fold(text: str) -> str:
    """NFKC, invisible characters and marks dropped, look-alikes folded to Latin, lower case."""
    if text.isascii():
        return text.lower()  # nothing to normalise or fold in plain ASCII
    table = _confusable_table()
    # fold look-alikes before NFKC too: NFKC turns some of them into letters that no
    # longer look Latin (Greek lunate sigma ϲ, a "c", becomes σ)
    text = unicodedata.normalize("NFKC", text.translate(table))
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf") and c not in _BLANK_LETTERS)
    text = text.translate(table)
    return unicodedata.normalize("NFC", text).casefold()


_INNER_PUNCT = re.compile(r"(?<=[^\W_])(?:[^\w\s]|_)+(?=[^\W_])")
_ANY_PUNCT = re.compile(r"(?:[^\w\s]|_)+")


def views(text: str) -> tuple[str, ...]:
    """The folded text as words joined by single spaces, in the two readings (one if they agree)."""
    folded = fold(text)
    joined = " ".join(_ANY_PUNCT.sub(" ", _INNER_PUNCT.sub("", folded)).split())
    spaced = " ".join(_ANY_PUNCT.sub(" ", folded).split())
    return (joined,) if joined == spaced else (joined, spaced)
