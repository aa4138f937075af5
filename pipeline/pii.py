"""Personal data in free text: found and masked before any free-text column leaves the staff.

Identity numbers, phone numbers, e-mail addresses and the full name are personal data
(UU 27/2022 Pasal 4 ayat 3: "nama lengkap" and "data pribadi yang dikombinasikan untuk
mengidentifikasi seseorang"); the spec (section 8) keeps them out of statistics, reports and
the analysts' export. The request file's own fields for them are never copied to the book; this module
catches what a requester typed into free text (an item, the purpose, a topic, a complaint):

- phone numbers: `phonenumbers`' matcher for region ID, plus digit runs that begin like an
  Indonesian number (0…, +62…, 62…) whatever their spacing or brackets;
- identity numbers: 16 digits (NIK, NKK) whose first four are a registered place of
  Indonesia (python-stdnum's table), in any grouping (``5371/0000/0000/0099``); a
  passport-like letter and 7 digits (``A1234567``);
- e-mail addresses, also disguised: full-width ``＠``, ``[at]``, ``(at)``, `` at `` … ``dot``;
- the requester's own name, its words in any order, case or spacing (``Nenobais, Yuliana``,
  ``YULIANA-NENOBAIS``), and the organization's name as a phrase.

What must survive is protected first: dates, times, amounts (``Rp 1.500.000``) and numbers
with letters or slashes between their digit groups (``0012/PPID/2026``,
``18/HM.02-SD/53/2026``).

The search runs on a folded copy of the text (full-width forms and other digits made
ASCII, invisible characters dropped, lower case), whose offset map leads each finding back
to the characters of the original text; the original is masked there, so the rest of it
stays exactly as the requester wrote it.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

MASK = "[dihapus]"
# The book's free-text columns: what a requester typed (pipeline.schema).
FREE_TEXT = ("subject", "purpose")


@dataclass(frozen=True)
class Span:
    """A finding: `kind` at text[start:end] of the original text."""

    start: int
    end: int
    kind: str  # phone | identity | email | name


# --- folding with an offset map ----------------------------------------------------------------

_DIGITS = {c: str(d) for c, d in ((chr(i), unicodedata.decimal(chr(i), None)) for i in range(0x660, 0x1100))
           if d is not None}  # Arabic-Indic, Devanagari… digits read as 0-9 (NFKC leaves them)
_DIGIT_TABLE = str.maketrans(_DIGITS)


def fold(text: str):
    """The text as the detector reads it (pipeline.normalise's "rule" folding: full-width
    forms, look-alike letters, invisible characters, case; other scripts' digits as 0-9),
    and the folded object whose `span(i, j)` leads back to the original text."""
    from pipeline import normalise

    folded = normalise.fold(text, "rule")
    return (folded.translate(_DIGIT_TABLE) if not folded.isascii() else str(folded)), folded


# --- what must survive -------------------------------------------------------------------------

_PROTECTED = re.compile(
    r"\brp\.?\s*\d[\d.,]*(?:\s*(?:ribu|juta|miliar|triliun))?"      # amounts
    r"|\b\d{4}-\d{1,2}-\d{1,2}(?:[ t]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?"  # ISO dates and times
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"                          # 25/11/2026, 05-11-26
    r"|\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:wita|wib|wit)?\b(?![\d.:/-])"  # 09:15 WITA
    r"|\b\d+(?:/[a-z][\w.\-]*)+(?:/\d+)*"                # 0012/PPID/2026, 18/HM.02-SD/53/2026 (no spaces: "0813 … / name" is no number)
)

# --- numbers -------------------------------------------------------------------------------------

_DIGIT_RUN = re.compile(r"(?<![\w.])\+?\(?\d(?:[\d]|[ \t]{1,2}(?=\(?\d)|[().\-/](?=\s?\(?\d)|\)\s?)*\d")
_PASSPORT = re.compile(r"\b(?!(?:no|nr|rp|hp|wa|kk)\b)[a-z]{1,2} ?\d{7}\b")
_ANY_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(19|20)\d\d")
_LONG_DIGITS = re.compile(r"\d(?:[^\w#]{0,3}\d){8,}")  # 9 digits: the shortest number dialled with its area code


@functools.lru_cache(maxsize=4096)
def _registered_place(prefix: str) -> bool:
    from stdnum import numdb

    try:
        return bool(numdb.get("id/loc").info(prefix)[0][1])
    except Exception:  # noqa: BLE001 - a damaged table: fail closed, count it as a place
        return True


def _number_kind(raw: str) -> str | None:
    digits = re.sub(r"\D", "", raw)
    n = len(digits)
    if n in (15, 16, 17):
        groups = re.findall(r"\d+", raw)
        if len(groups) > 1 and all(len(g) == 4 and _YEAR.fullmatch(g) for g in groups):
            return None  # a list of years
        if n == 16 and _registered_place(digits[:4]):
            return "identity"  # NIK or NKK: both begin with the code of a place
    national = digits[2:] if digits.startswith("62") else digits[1:] if digits.startswith("0") else None
    if national is not None and 8 <= len(national) <= 12 and national[0] != "0":
        # as dialled in Indonesia: 0 + area or mobile prefix, or the country code 62
        if raw.lstrip("(").startswith(("0", "+62", "62")):
            return "phone"
    if raw.startswith("+") and n >= 9:
        return "phone"
    return None


def _numbers(folded: str) -> Iterable[tuple[int, int, str]]:
    for m in _DIGIT_RUN.finditer(folded):
        kind = _number_kind(m.group())
        if kind:
            yield m.start(), m.end(), kind
    if _LONG_DIGITS.search(folded):
        import phonenumbers  # only then: the matcher is the costly part

        for m in phonenumbers.PhoneNumberMatcher(folded, "ID"):
            yield m.start, m.end, "phone"
    for m in _PASSPORT.finditer(folded):
        yield m.start(), m.end(), "identity"


# --- e-mail addresses ------------------------------------------------------------------------------

_OPEN, _CLOSE = r"[\[\(\{<]", r"[\]\)\}>]"
_AT = rf"(?:\s*@\s*|\s*{_OPEN}\s*(?:at|@|et)\s*{_CLOSE}\s*|\s+(?:at|et)\s+)"
_DOT = rf"(?:\s*\.\s*|\s*{_OPEN}\s*(?:dot|titik|\.)\s*{_CLOSE}\s*|\s+(?:dot|titik)\s+)"
_EMAIL = re.compile(
    rf"[a-z0-9](?:[a-z0-9._%+\-]|{_DOT}(?=[a-z0-9]))*{_AT}[a-z0-9\-]+(?:{_DOT}[a-z0-9\-]+)*{_DOT}[a-z]{{2,}}\b")
_EMAIL_HINT = re.compile(r"@|\bat\b|\bet\b")


def _emails(folded: str) -> Iterable[tuple[int, int, str]]:
    if not _EMAIL_HINT.search(folded):
        return
    for m in _EMAIL.finditer(folded):
        yield m.start(), m.end(), "email"


# --- names -------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")
_TITLES = {"dr", "drs", "dra", "ir", "sh", "se", "st", "mh", "msi", "mpd", "spd", "skom", "bapak", "ibu",
           "sdr", "sdri", "saudara", "saudari", "hj", "h"}


@functools.lru_cache(maxsize=4096)
def _name_words(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """The name's words (3 letters or more, titles left out), and each two- and three-word
    joining of them in any order (``yuliananenobais``, ``nenobaisyuliana``)."""
    words = [w for w in _WORD.findall(fold(name)[0]) if len(w) >= 3 and w not in _TITLES]
    joined = {"".join(p) for k in (2, 3) for p in itertools.permutations(dict.fromkeys(words), k)} \
        if len(words) <= 5 else set()
    return frozenset(words), frozenset(joined)


@functools.lru_cache(maxsize=4096)
def _name_pattern(names: tuple[str, ...]) -> tuple[re.Pattern | None, frozenset[str]]:
    """One pattern for the names' words and joinings, and the set of them (spelled-out check)."""
    every: set[str] = set()
    for n in names:
        w, j = _name_words(n)
        every |= w | j
    if not every:
        return None, frozenset()
    alternation = "|".join(re.escape(w) for w in sorted(every, key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alternation})(?![^\W\d_])"), frozenset(every)


_SPELLED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][ .\-]){2,}[^\W\d_](?![^\W\d_])")


def _names(folded: str, names: Iterable[str]) -> Iterable[tuple[int, int, str]]:
    pattern, every = _name_pattern(tuple(str(n) for n in names if n and str(n).strip()))
    if pattern is None:
        return
    for m in pattern.finditer(folded):
        yield m.start(), m.end(), "name"
    # spelled out letter by letter: Y U L I A N A, y.u.l.i.a.n.a
    for m in _SPELLED.finditer(folded):
        if re.sub(r"[ .\-]", "", m.group()) in every:
            yield m.start(), m.end(), "name"


@functools.lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> re.Pattern | None:
    words = _WORD.findall(fold(phrase)[0])
    if len(" ".join(words)) < 3:
        return None
    return re.compile(r"(?<![^\W\d_])" + r"\W+".join(re.escape(w) for w in words) + r"(?![^\W\d_])")


def _phrases(folded: str, phrases: Iterable[str]) -> Iterable[tuple[int, int, str]]:
    for p in phrases:
        pattern = _phrase_pattern(str(p)) if p else None
        if pattern is not None:
            for m in pattern.finditer(folded):
                yield m.start(), m.end(), "name"


# --- the detector ---------------------------------------------------------------------------------


def find(text: str, names: Iterable[str] = (), phrases: Iterable[str] = ()) -> list[Span]:
    """Every finding in `text`, as spans of the original text, in order, overlaps merged."""
    if not text:
        return []
    folded, mapping = fold(text)
    guard = _PROTECTED.sub(lambda m: "#" * len(m.group()), folded) if _ANY_DIGIT.search(folded) else folded
    hits = sorted(itertools.chain(_numbers(guard), _emails(folded), _names(folded, names),
                                  _phrases(folded, phrases)))
    spans: list[Span] = []
    for start, end, kind in hits:
        if end <= start:
            continue
        a, b = mapping.span(start, end)
        if spans and a <= spans[-1].end:
            last = spans[-1]
            spans[-1] = Span(last.start, max(last.end, b), last.kind)
        else:
            spans.append(Span(a, b, kind))
    return spans


def mask(text: str | None, names: Iterable[str] = (), phrases: Iterable[str] = ()) -> str | None:
    """`text` with each finding replaced by ``[dihapus]``; None and "" stay as they are."""
    if not text:
        return text
    spans = find(text, names, phrases)
    if not spans:
        return text
    out, at = [], 0
    for s in spans:
        out.append(text[at:s.start])
        out.append(MASK)
        at = s.end
    out.append(text[at:])
    return "".join(out)


def mask_row(row: dict, columns: Iterable[str] = FREE_TEXT) -> dict:
    """A book row with its free-text columns masked, the requester's name and organization
    as the row gives them."""
    names = [row.get("requester_name") or ""]
    phrases = [row.get("requester_organization") or ""]
    for col in columns:
        value = row.get(col)
        if isinstance(value, str) and value:
            row[col] = mask(value, names, phrases)
    org = row.get("requester_organization")
    if isinstance(org, str) and org:  # the organization's name stays; a phone, e-mail or NIK typed into it does not
        row["requester_organization"] = mask(org, [], [])
    return row
