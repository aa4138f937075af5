"""Text normalisation (spec section 4): one engine, two profiles, so spelling cannot dodge a rule.

Public API (also used by the free-text personal-data masker):

    fold(text, profile="rule" | "strong") -> Folded
        The folded text, a `str`, that also maps back to the original: `folded.span(i, j)`
        is the (start, end) slice of `text` that produced `folded[i:j]`, so a span found in
        the folded text can be masked in the original. Folding is idempotent:
        fold(fold(t, p), p) == fold(t, p).
    views(text, profile="rule") -> tuple[str, ...]
        The folded text as words joined by single spaces, in the readings matching uses.
    suffixes(profile) -> tuple[str, ...]
        The Indonesian suffixes a keyword may carry in that profile.

Profile "rule" (what `open` rules match with), per character:
1. Unicode NFKC (full-width, ligatures, mathematical letters, no-break spaces);
2. combining marks and invisible format characters dropped (zero-width space, joiners,
   word joiner, BOM, soft hyphen, bidi controls: Unicode categories Mn and Cf, plus the
   Hangul fillers that render as blanks);
3. look-alike letters folded to Latin (the Unicode confusables data shipped by the
   `confusable-homoglyphs` package), lower case; repeated until nothing changes, so
   `Σ` -> `σ` -> `o` lands on `o` at once and folding twice changes nothing.
`views` then cuts the text into words two ways: punctuation between letters removed
(`N.I.K.` -> `nik`) and every punctuation mark, hyphens included, read as a space.

Profile "strong" (the personal-data screen and closing rules only; it never widens what
an open rule matches) adds:
4. letters styled or borrowed that step 3 leaves non-ASCII transliterated by `anyascii`
   (small capitals `ɴɪᴋ`, squared `🅽🅸🅺`, Armenian, Cherokee);
5. spaced single letters joined (`N I K`, `N . I . K`);
6. digit/letter swaps (`N1K`, `NlK` -> `nik`, `kes3hatan`): in a word with a letter, digits
   read as the letters they resemble; `l` read as `i` everywhere, on both sides of a match
   (`lahir` reads `iahir` in the item and in the term alike);
7. abbreviations written out (`no.`, `nmr` -> `nomor`; `tgl` -> `tanggal`, see ABBREVIATIONS);
and accepts the suffixes `-pun` and `-kah` besides `-nya`, `-ku`, `-mu`, `-lah`.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from importlib import resources

from anyascii import anyascii

PROFILES = ("rule", "strong")

# Indonesian possessive and emphatic clitics a keyword may carry: NIKnya, datamu, KKlah.
SUFFIXES = ("nya", "ku", "mu", "lah", "nyalah", "kulah", "mulah")
# The strong profile adds the particles -pun and -kah (NIKpun, NIKkah).
STRONG_SUFFIXES = SUFFIXES + ("pun", "kah", "nyapun", "nyakah")

# Abbreviations the strong profile writes out (keys as they read after step 6).
ABBREVIATIONS = {
    "no": "nomor", "nmr": "nomor", "nomer": "nomor", "nmor": "nomor", "nr": "nomor",
    "tgi": "tanggal", "tggi": "tanggal",  # tgl, tggl after l -> i
    "tmpt": "tempat", "tpt": "tempat",
    "aimt": "alamat",  # almt
    "tip": "telepon", "teip": "telepon", "tipn": "telepon", "teipn": "telepon",  # tlp, telp
    "nohp": "nomor hp", "nowa": "nomor wa", "nokk": "nomor kk", "ektp": "e ktp", "ktpei": "ktp el",
    "ttg": "tentang", "dgn": "dengan", "dg": "dengan", "yg": "yang", "utk": "untuk",
}

# Digits read as the letters they resemble (1 and l both as i: N1K, NlK, NIK are one word).
_SWAP = str.maketrans("013456789", "oieasgtbg")

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


def prepare() -> None:
    """Load the look-alike table now (before forking workers)."""
    _confusable_table()


def _step(text: str, strong: bool) -> str:
    table = _confusable_table()
    # look-alikes first: NFKC turns some of them into letters that no longer look Latin
    # (Greek lunate sigma ϲ, a "c", becomes σ)
    text = unicodedata.normalize("NFKC", text.translate(table))
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf", "Me") and c not in _BLANK_LETTERS)
    # casefold maps Cherokee small letters to capitals (Unicode's CaseFolding for U+AB70..);
    # lower() after it gives one lower-case form, so a folded text folds to itself
    text = unicodedata.normalize("NFC", text.translate(table)).casefold().lower().translate(table)
    if strong and not text.isascii():
        text = "".join(c if c.isascii() or not (c.isalpha() or unicodedata.category(c) == "So")
                       else anyascii(c).lower() for c in text)
    return text


_CHAR_CACHE: tuple[dict[str, str], dict[str, str]] = ({}, {})


def _char(ch: str, strong: bool) -> str:
    """What one character folds to, repeated until it no longer changes (idempotence)."""
    cache = _CHAR_CACHE[strong]
    out = cache.get(ch)
    if out is None:
        out = _step(ch, strong)
        for _ in range(8):
            again = "".join(_step(c, strong) for c in out)
            if again == out:
                break
            out = again
        cache[ch] = out
    return out


class Folded(str):
    """Folded text that can say which slice of the original produced each of its parts."""

    __slots__ = ("_source", "_starts", "_ends")

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The (start, end) slice of the original text that produced self[start:end]."""
        if not 0 <= start <= end <= len(self):
            raise IndexError(f"span {start}:{end} outside 0:{len(self)}")
        if start == end:
            pos = self._starts[start] if start < len(self) else len(self._source)
            return pos, pos
        return self._starts[start], max(self._ends[start:end])

    @property
    def source(self) -> str:
        """The original text."""
        return self._source


def _make(text: str, source: str, starts: list[int], ends: list[int]) -> Folded:
    out = Folded(text)
    out._source, out._starts, out._ends = source, starts, ends
    return out


def _fold_chars(text: str, strong: bool) -> tuple[str, list[int], list[int]]:
    chars, starts, ends = [], [], []
    for i, ch in enumerate(text):
        out = ch.lower() if ch.isascii() else _char(ch, strong)
        for c in out:
            chars.append(c)
            starts.append(i)
            ends.append(i + 1)
    return "".join(chars), starts, ends


# Step 5: two or more single letters or digits, each apart from the next by blanks
# and/or a little punctuation ("N I K", "N. I. K.", "N - I - K").
_SPACED = re.compile(r"(?<![^\W_])[^\W_](?:[\s.\-_*·•:/|]{1,4}[^\W_](?![^\W_]))+")
_WORD = re.compile(r"[^\W_]+")


def _strong_tokens(text: str, starts: list[int], ends: list[int], digits: bool) -> tuple[str, list[int], list[int]]:
    """Steps 5-7 over char-folded text, keeping each character's source slice."""
    # step 5: join spaced single characters
    out, o_starts, o_ends, pos = [], [], [], 0
    for m in _SPACED.finditer(text):
        out.append(text[pos:m.start()])
        o_starts += starts[pos:m.start()]
        o_ends += ends[pos:m.start()]
        for k in range(m.start(), m.end()):
            if text[k].isalnum() and text[k] != "_":
                out.append(text[k])
                o_starts.append(starts[k])
                o_ends.append(ends[k])
        pos = m.end()
    out.append(text[pos:])
    o_starts += starts[pos:]
    o_ends += ends[pos:]
    text, starts, ends = "".join(out), o_starts, o_ends
    # steps 6 and 7, word by word
    out, o_starts, o_ends, pos = [], [], [], 0
    for m in _WORD.finditer(text):
        word = m.group()
        new = _word(m, digits)
        out.append(text[pos:m.start()])
        o_starts += starts[pos:m.start()]
        o_ends += ends[pos:m.start()]
        if len(new) == len(word):
            out.append(new)
            o_starts += starts[m.start():m.end()]
            o_ends += ends[m.start():m.end()]
        else:  # a written-out abbreviation: every letter comes from the whole word
            out.append(new)
            o_starts += [starts[m.start()]] * len(new)
            o_ends += [ends[m.end() - 1]] * len(new)
        pos = m.end()
    out.append(text[pos:])
    o_starts += starts[pos:]
    o_ends += ends[pos:]
    return "".join(out), o_starts, o_ends


def _swap(word: str, digits: bool = True) -> str:
    """Step 6 on one word: `l` read as `i`; in a word with a letter, digits read as the letters they resemble."""
    if "l" in word:
        word = word.replace("l", "i")
    if not digits or not _MIXED.fullmatch(word):
        return word
    return word.translate(_SWAP)


def fold(text: str, profile: str = "rule", *, digits: bool = True) -> Folded:
    """The text folded by the profile ("rule" or "strong"), mapping back to the original.

    `digits=False` (strong profile only) leaves digits as written: the reading used for
    keywords that contain digits themselves (`dp4`).
    """
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, not {profile!r}")
    strong = profile == "strong"
    if text.isascii() and not strong:
        n = len(text)
        return _make(text.lower(), text, list(range(n)), list(range(1, n + 1)))
    folded, starts, ends = _fold_chars(text, strong)
    if strong:
        folded, starts, ends = _strong_tokens(folded, starts, ends, digits)
    return _make(folded, text, starts, ends)


def _join_spaced(m: re.Match) -> str:
    return "".join(c for c in m.group() if c.isalnum() and c != "_")


def _word(m: re.Match, digits: bool) -> str:
    word = m.group()
    new = _swap(word, digits)
    new = ABBREVIATIONS.get(new, new)
    if new is not word and " " in new:
        new = " ".join(_swap(w, digits) for w in new.split(" "))
    elif new is not word:
        new = _swap(new, digits)
    return new


_MIXED = re.compile(r"(?<![^\W_])(?=[^\W_]*?[^\W\d_])(?=[^\W_]*?[0-9])[^\W_]+")  # a word with a letter and a digit
_ABBREVIATED = re.compile(r"(?<![^\W_])(?:%s)(?![^\W_])" % "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)))
_WRITTEN_OUT = {k: v.replace("l", "i") for k, v in ABBREVIATIONS.items()}
_ABBREVIATION_KEYS = frozenset(ABBREVIATIONS)


def _chars(text: str, strong: bool) -> str:
    if text.isascii():
        return text.lower()
    return "".join(c.lower() if c.isascii() else _char(c, strong) for c in text)


_LONE = re.compile(r"(?<![^\W_])[^\W_](?![^\W_])")  # a single letter or digit standing alone
_LONE_ASCII = re.compile(r"(?<![a-z0-9])[a-z0-9](?![a-z0-9])")
_DIGIT = re.compile(r"[0-9]")
_ABBREVIATION_WORDS = re.compile(r"[a-z]+")


def _strong_base(text: str) -> str:
    """Steps 1-5 and the l of step 6."""
    if text.isascii():
        text = text.lower()
        lone = _LONE_ASCII.search(text)
    else:
        text = _chars(text, True)
        lone = _LONE.search(text)
    if lone:
        text = _SPACED.sub(_join_spaced, text)
    return text.replace("l", "i")


def _has_mixed(text: str) -> bool:
    """A word with a letter and a digit in it."""
    return _DIGIT.search(text) is not None and _MIXED.search(text) is not None


def _strong_rest(text: str, digits: bool, mixed: bool | None = None) -> str:
    """Steps 6-7 on the output of `_strong_base` (`mixed`: whether `_has_mixed`, when known)."""
    if digits and (_has_mixed(text) if mixed is None else mixed):
        text = _MIXED.sub(lambda m: m.group().translate(_SWAP), text)
    if not _ABBREVIATION_KEYS.isdisjoint(_ABBREVIATION_WORDS.findall(text)):
        text = _ABBREVIATED.sub(lambda m: _WRITTEN_OUT[m.group()], text)
    return text


def fold_text(text: str, profile: str = "rule", *, digits: bool = True) -> str:
    """`fold` as a plain string, without the map back (the fast path for matching)."""
    if profile == "rule":
        return _chars(text, False)
    return _strong_rest(_strong_base(text), digits)


def suffixes(profile: str = "rule") -> tuple[str, ...]:
    """The Indonesian suffixes a keyword may carry in the profile."""
    return STRONG_SUFFIXES if profile == "strong" else SUFFIXES


_INNER_PUNCT = re.compile(r"(?<=[^\W_])(?:[^\w\s]|_)+(?=[^\W_])")
_ANY_PUNCT = re.compile(r"(?:[^\w\s]|_)+")


def _readings(folded: str) -> tuple[str, ...]:
    if folded.replace(" ", "").isalnum():  # no punctuation: one reading
        return (" ".join(folded.split()),)
    joined = " ".join(_ANY_PUNCT.sub(" ", _INNER_PUNCT.sub("", folded)).split())
    spaced = " ".join(_ANY_PUNCT.sub(" ", folded).split())
    return (joined,) if joined == spaced else (joined, spaced)


def views(text: str, profile: str = "rule") -> tuple[str, ...]:
    """The folded text as words joined by single spaces, in the readings matching uses (one if they agree).

    Two readings: punctuation between letters removed (`n.i.k` -> `nik`), and every
    punctuation mark read as a space. The strong profile adds the readings with digits
    kept as written, when they differ, so a keyword with a digit (`dp4`) still matches.
    """
    if profile == "rule":
        return _readings(fold_text(text))
    base = _strong_base(text)
    mixed = _has_mixed(base)
    out = _readings(_strong_rest(base, True, mixed))
    if not mixed:
        return out
    kept = _readings(_strong_rest(base, False))
    return out if kept == out else out + tuple(v for v in kept if v not in out)


_PLAIN_ABBREVIATIONS = frozenset(k for k in ABBREVIATIONS) | {"tgl", "tggl", "almt", "tlp", "telp", "tlpn", "telpn",
                                                               "ktpel"}


def both_views(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`views(text)` and `views(text, "strong")`, the second derived from the first where it can be.

    For ASCII text with no letter standing alone, no word of letters and digits and no
    abbreviation, the strong readings are the rule readings with `l` read as `i`.
    """
    rule = views(text)
    if (text.isascii() and _LONE_ASCII.search(rule[-1]) is None and not _has_mixed(rule[0])
            and _PLAIN_ABBREVIATIONS.isdisjoint(rule[-1].split(" "))):
        return rule, tuple(v.replace("l", "i") for v in rule)
    return rule, views(text, "strong")


def keyword_views(phrase: str, profile: str = "rule") -> tuple[str, ...]:
    """The readings of a keyword: like `views`, but a keyword's digits stay digits (`dp4` is not `dpa`)."""
    if profile == "rule":
        return views(phrase)
    return _readings(fold_text(phrase, "strong", digits=False))


_SHORT_FORMS: dict[str, list[str]] = {}
for _short, _long in _WRITTEN_OUT.items():
    if " " not in _long:
        _SHORT_FORMS.setdefault(_long, []).append(_short)


def _abbreviated(form: str, most: int = 8) -> list[str]:
    """The phrase with each word that has an abbreviation also abbreviated ("nomor ktp", "nmr ktp", ...).

    Folding writes abbreviations out, so this matters only once spaced letters have run
    an abbreviation into the next word ("n m r k t p" -> "nmrktp").
    """
    out = [""]
    for word in form.split(" "):
        out = [f"{o} {w}".strip() for o in out for w in (word, *_SHORT_FORMS.get(word, ()))][:most]
    return out


def _joinings(form: str, most: int = 4) -> list[str]:
    """The phrase with each gap between its words kept or closed ("rekam medis", "rekammedis")."""
    words = form.split(" ")
    if len(words) == 1 or len(words) > most:
        return [form]
    out = []
    for mask in range(2 ** (len(words) - 1)):
        text = words[0]
        for n, w in enumerate(words[1:]):
            text += ("" if mask >> n & 1 else " ") + w
        out.append(text)
    return out


class PhraseIndex:
    """Whole-word phrase lookup, the one matching engine of rules and screen.

    Each phrase is indexed in every reading of the profile and with each suffix on its
    last word (`nik`, `niknya`, ...); `prefixes` holds the leading words of multi-word
    phrases, so a phrase grows only while some phrase still starts with it.
    """

    def __init__(self, entries, profile: str = "rule"):
        """`entries`: (phrase, key) pairs; a key is returned for every phrase of it found."""
        self.profile = profile
        self.index: dict[str, set] = {}
        self.prefixes: set[str] = set()
        ends = tuple(fold_text(s, profile) for s in suffixes(profile))  # "lah" reads "iah" in the strong profile
        for phrase, key in entries:
            forms = [f for f in keyword_views(phrase, profile) if f]
            if profile == "strong":  # spaced letters join across words, abbreviations too: "a l m t r u m a h"
                forms = [v for f in forms for a in _abbreviated(f) for v in _joinings(a)]
            for form in forms:
                for f in (form, *(form + s for s in ends)):
                    self.index.setdefault(f, set()).add(key)
                words = form.split(" ")
                self.prefixes.update(" ".join(words[:n]) for n in range(1, len(words)))

    def spans(self, words: list[str]):
        """(key, first word, word after the last) for every phrase found in a list of words."""
        index, prefixes = self.index, self.prefixes
        for i in range(len(words)):
            phrase, j = words[i], i
            while True:
                found = index.get(phrase)
                j += 1
                if found:
                    for key in found:
                        yield key, i, j
                if j == len(words) or phrase not in prefixes:
                    break
                phrase = phrase + " " + words[j]

    def keys(self, text: str, readings: tuple[str, ...] | None = None) -> set:
        """Every key with a phrase in the text, in any reading of the profile (`readings`: when known)."""
        hits: set = set()
        for view in views(text, self.profile) if readings is None else readings:
            for key, _, _ in self.spans(view.split(" ")):
                hits.add(key)
        return hits


@functools.lru_cache(maxsize=32)
def phrase_index(entries: tuple, profile: str = "rule") -> PhraseIndex:
    """The index of these (phrase, key) pairs, built once: every load of the same config shares it
    (an index is never changed once built)."""
    return PhraseIndex(entries, profile)
