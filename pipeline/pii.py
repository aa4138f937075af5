"""Personal data in free text: found and masked before any free-text column leaves the staff.

Identity numbers, phone numbers, e-mail addresses and the full name are personal data
(UU 27/2022 Pasal 4 ayat 3: "nama lengkap" and "data pribadi yang dikombinasikan untuk
mengidentifikasi seseorang"); the spec (section 8) keeps them out of statistics, reports and
the analysts' export. The request file's own fields for them are never copied to the book; this module
catches what a requester typed into free text (an item, the purpose, a topic, a complaint):

- phone numbers: `phonenumbers`' matcher for region ID, plus digit runs that begin like an
  Indonesian number (0…, +62…, 62…) whatever their spacing, brackets or separator
  (``0812_3456_7890``, ``5371 - 0000 - …``, a line break), glued to a word (``HP0812…``);
- identity numbers: 16 digits (NIK, NKK) whose first four are a registered place of
  Indonesia (python-stdnum's table), in any grouping (``5371/0000/0000/0099``); a
  passport-like letter and 7 digits (``A1234567``);
- e-mail addresses, also disguised: full-width ``＠``, ``[at]``, ``(at)``, ``(a)``, ``«at»``,
  ``%40``, ``&#64;``, `` at `` … ``dot``, ideographic full stops or a comma in the domain, ``%``
  for ``@`` (``nama%gmail.com``, never a URL's ``%20``), a digit for a letter of the top-level
  domain or the provider (``gmail.c0m``, ``co.1d``, ``gmai1``);
- the requester's own name, its words in any order, case or spacing (``Nenobais, Yuliana``,
  ``YULIANA-NENOBAIS``), in small capitals, with look-alike characters (``Yu1iana``), a clitic
  (``Nenobaisnya``), its short words beside another of its words (``Yo Ko``), and the
  organization's name as a phrase;
- the requester's own registered identity number, phone and e-mail (`own`), compared with the
  text digits-only, whatever stands between them;
- numbers with look-alike letters for digits (``5371O00000000077``), spelled out in words
  (``nol delapan satu tiga …``), 15 digits or more (NPWP by python-stdnum's ``id.npwp``), and
  the number after an account or tax word (``rek. BRI 1234-01-000123-50-9``);
- street addresses (``Jl. Soeharto No. 12 RT 003/RW 002``, ``Gang Mawar 7``, ``RT/RW 004/001``);
- third parties' names after an honorific or a relation word (``Bapak Yohanes Ndun``,
  ``anak saya Maria``), unless an office or a body follows it (``Bapak Ketua KPU``, ``Ibu Kota``).

What must survive is protected first: dates that can be dates, times, amounts
(``Rp 1.500.000``) and numbers with letters or slashes between their digit groups
(``0012/PPID/2026``, ``18/HM.02-SD/53/2026``); but no protected stretch absorbs a number that,
with the digit groups beside it, is a phone or NIK (``Rp 0812.3456.7890``, ``jam 08.12 34.56
78.90``), and a register number's own number is short (``081234567890/wa`` is a phone).

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
# The book's free-text columns (pipeline.schema): what a requester typed, and the Komisi
# Informasi's case number, typed by the staff as they got it.
FREE_TEXT = ("subject", "purpose", "dispute_case_no")


@dataclass(frozen=True)
class Span:
    """A finding: `kind` at text[start:end] of the original text."""

    start: int
    end: int
    kind: str  # phone | identity | tax | account | number | email | name | address


# --- folding with an offset map ----------------------------------------------------------------

_DIGITS = {c: str(d) for c, d in ((chr(i), unicodedata.decimal(chr(i), None)) for i in range(0x660, 0x1100))
           if d is not None}  # Arabic-Indic, Devanagari… digits read as 0-9 (NFKC leaves them)
# Small capitals (``ʏᴜʟɪᴀɴᴀ``): NFKC leaves them, and they read as the letter (one for one, so
# the offset map holds).
_SMALL_CAPS = {chr(i): unicodedata.name(chr(i)).rsplit(" ", 1)[1].lower() for i in range(0x250, 0xAB70)
               if unicodedata.name(chr(i), "").startswith("LATIN LETTER SMALL CAPITAL ")
               and len(unicodedata.name(chr(i)).rsplit(" ", 1)[1]) == 1}


class _Table(dict):
    """Other scripts' digits, small capitals, and any other letter `anyascii` reads as one ASCII
    letter (``ɛ`` of ``Pɛtrus``, which the confusables data leaves): one for one, so the offset
    map holds."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if code < 128 or not c.isalpha():
            raise LookupError(code)  # str.translate keeps it
        from anyascii import anyascii

        out = anyascii(c).lower()
        if len(out) != 1 or not out.isalpha():
            raise LookupError(code)
        self[code] = out
        return out


_DIGIT_TABLE = _Table(str.maketrans({**_DIGITS, **_SMALL_CAPS}))


def fold(text: str):
    """The text as the detector reads it (pipeline.normalise's "rule" folding: full-width
    forms, look-alike letters, invisible characters, case; other scripts' digits as 0-9),
    and the folded object whose `span(i, j)` leads back to the original text."""
    from pipeline import normalise

    folded = normalise.fold(text, "rule")
    return (folded.translate(_DIGIT_TABLE) if not folded.isascii() else str(folded)), folded


# --- what must survive -------------------------------------------------------------------------

_MONTH, _DAY = r"(?:0?[1-9]|1[0-2])", r"(?:0?[1-9]|[12]\d|3[01])"
_PROTECTED = re.compile(
    r"\brp\.?\s*\d[\d.,]*(?:\s*(?:ribu|juta|miliar|triliun))?"      # amounts
    # ISO dates and times, 25/11/2026, 05-11-26: only what can be a date, and not one group of a
    # longer run (0813-33-445-566 is a phone, not 0813-33-44)
    rf"|(?<![\d/.-])(?:19|20)\d\d-{_MONTH}-{_DAY}(?:[ t]\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?)?(?![\d/.-]?\d)"
    rf"|(?<![\d/.-]){_DAY}[/.-]{_MONTH}[/.-](?:(?:19|20)\d\d|\d\d)(?![\d/.-]?\d)"
    r"|\b(?:[01]?\d|2[0-4])[:.][0-5]\d(?:[:.][0-5]\d)?\s*(?:wita|wib|wit)?\b(?![\d.:/-])"  # 09:15 WITA
    # 0012/PPID/2026, 18/HM.02-SD/53/2026: a register or decree number's own number is short, so
    # 081234567890/wa is a phone; no spaces either ("0813 … / name" is no number)
    r"|\b\d{1,6}(?:/[a-z][\w.\-]*)+(?:/\d+)*"
)
# Digit groups next to a protected stretch: joined with it they may make a phone or NIK
# (``jam 08.12 34.56 78.90``, ``Rp 0812.3456.7890``), which no date, time or amount absorbs.
_JOIN = r"(?:[ \t]{0,4}\n?[ \t]{0,4}[().\-–—/_,:;*|~\\·'\"+&!?>{}⁃]?[ \t]{0,4}(?:(?<=[.\-–—/_,:;*|~\\·'\"+&!?>{}⁃])\n[ \t]{0,4})?)"  # what may stand between a number's groups (never '#', the protection mark)
_NEXT_GROUP = re.compile(rf"(?!\d){_JOIN}(\d+)")
_PREV_GROUP = re.compile(rf"(\d+){_JOIN}$")

# --- numbers -------------------------------------------------------------------------------------

# Digit groups however they are separated: spaces (up to 4, a line break), one mark among
# them (``5371 - 0000``, ``0812_3456``, ``0812|3456``), brackets; and glued to a word before
# them (``NIK5371…``, ``HP0812…``): only a digit before a run makes it part of another.
_DIGIT_RUN = re.compile(rf"(?<!\d)\+?\(?\d(?:\d|{_JOIN}(?=\(?\d)|\)\s?)*\d")
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


_LETTER_NO = "letter number"
_LIST = re.compile(r"[,;]\s|\n")  # _number_kind: not personal, and no phone may be read inside it


def _number_kind(raw: str) -> str | None:
    digits = re.sub(r"\D", "", raw)
    n = len(digits)
    if _LIST.search(raw) and all(len(g) <= 2 for g in re.findall(r"\d+", raw)):
        return None  # "nomor urut 01, 02, 03, 04, 05": a list of small numbers, one a line or after a comma
    if n >= 15:
        groups = re.findall(r"\d+", raw)
        if len(groups) > 1 and all(len(g) == 4 and _YEAR.fullmatch(g) for g in groups):
            return None  # a list of years
        if "/" in raw and len(groups) >= 5 and _YEAR.fullmatch(groups[-1]):
            return _LETTER_NO  # a letter's number all in digits, 005/123/456/789/2024 (a NIK has 4 groups)
        if n == 16 and _registered_place(digits[:4]):
            return "identity"  # NIK or NKK: both begin with the code of a place
        if n in (15, 16) and _npwp(digits):
            return "tax"
        if "/" in raw and _YEAR.fullmatch(groups[-1]):
            return _LETTER_NO
        # 15 digits and more that are no list of years: an account, a card, a tax or identity
        # number with a slip; no register, decree, amount or date is written so (fail closed)
        return "number"
    national = digits[2:] if digits.startswith("62") else digits[1:] if digits.startswith("0") else None
    if national is not None and 8 <= len(national) <= 12 and national[0] != "0":
        # as dialled in Indonesia: 0 + area or mobile prefix, or the country code 62
        if raw.lstrip("(").startswith(("0", "+62", "62")):
            return "phone"
    if raw.startswith("+") and n >= 9:
        return "phone"
    return None


def _npwp(digits: str) -> bool:
    from stdnum.id import npwp

    return npwp.is_valid(digits)


# Letters written for the digits they resemble inside a number (``5371O00000000077``,
# ``O8l2 3456 7890``): the normaliser's digit/letter swaps (normalise._SWAP) read the other way,
# for the letters that stand for a digit in handwriting and on keyboards.
_LETTER_DIGITS = str.maketrans("oilzsb", "011258")
_MAYBE_NUMBER = re.compile(r"(?<![a-z0-9])(?=[a-z]*\d)[a-z0-9]*[oilzsb][a-z0-9]*(?![a-z0-9])")
_NOT_SWAPPED = re.compile(r"[ac-hj-kmnp-rt-y]")
_LETTER_PREFIX = re.compile(r"[ac-hj-kmnp-rt-y]{0,2}")


@functools.lru_cache(maxsize=64)  # read by the number patterns and by the own contacts
def _digit_view(text: str) -> str:
    """`text` (same length) with each word of digits and look-alike letters read as digits;
    a word with more letters than digits, or any other letter, stays a word."""
    def read(m: re.Match) -> str:
        w = m.group()
        head = _LETTER_PREFIX.match(w).end()  # a passport's letters stay letters: X887646l
        tail = w[head:]
        letters = sum(c.isalpha() for c in tail)
        if _NOT_SWAPPED.search(tail) or (letters > len(tail) - letters and (len(tail) < 9 or letters == len(tail)
                                                                          or len(tail) - letters < 2)):
            return w  # a word; but 9 characters of o, i, l … and digits are no word (53O2OOOOOOOOOO99)
        return w[:head] + tail.translate(_LETTER_DIGITS)

    return _MAYBE_NUMBER.sub(read, text)


# Digits spelled out in Indonesian (and English): "nol delapan satu tiga …", "kosong" for 0.
_NUMBER_WORDS = {"nol": "0", "kosong": "0", "satu": "1", "dua": "2", "tiga": "3", "empat": "4", "lima": "5",
                 "enam": "6", "tujuh": "7", "delapan": "8", "lapan": "8", "sembilan": "9", "zero": "0",
                 "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9",
                 # pairs read as they are said: "dua belas" 12, "tiga puluh empat" 34 (hostile round 3)
                 "sepuluh": "10", "sebelas": "11", "belas": "", "puluh": ""}
_WORD_ALT = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))


def _said_digits(parts: list[str]) -> str:
    """The digits spelled by `parts`: each word a digit, except "X belas" (10+X) and
    "X puluh [Y]" (10X+Y), which are two digits."""
    out, i = [], 0
    while i < len(parts):
        p = parts[i]
        word = _NUMBER_WORDS.get(p, p)
        nxt = parts[i + 1] if i + 1 < len(parts) else ""
        if nxt == "belas" and len(word) == 1:
            out.append(str(10 + int(word)))
            i += 2
        elif nxt == "puluh" and len(word) == 1:
            unit = _NUMBER_WORDS.get(parts[i + 2], "") if i + 2 < len(parts) else ""
            if len(unit) == 1 and parts[i + 3:i + 4] not in (["belas"], ["puluh"]):  # not the next pair's tens
                out.append(word + unit)
                i += 3
            else:
                out.append(word + "0")
                i += 2
        else:
            out.append(word)
            i += 1
    return "".join(out)
_SPELLED_NUMBER = re.compile(
    rf"(?<![^\W_])(?:{_WORD_ALT}|\d+)(?:[\s,.\-/]{{1,3}}(?:{_WORD_ALT}|\d+)){{4,}}(?![^\W_])")
_NUMBER_WORD_SET = frozenset(_NUMBER_WORDS)


def _spelled_numbers(folded: str) -> Iterable[tuple[int, int, str]]:
    for m in _SPELLED_NUMBER.finditer(folded):
        parts = re.findall(rf"{_WORD_ALT}|\d+", m.group())
        if not any(p in _NUMBER_WORDS for p in parts):
            continue
        digits = _said_digits(parts)
        # nine digits or more spelled out are no count or year: a phone, NIK or account
        if len(digits) >= 9:
            yield m.start(), m.end(), _number_kind(digits) or "number"


# Numbers that follow an account or tax keyword: "rek. BRI 1234-01-000123-50-9", "no rekening
# 0123456789", "NPWP 01.234.567.8-912.000"; eight digits or more, within a short stretch.
_ACCOUNT = re.compile(
    r"(?<![^\W_])(?:rek(?:ening)?|norek|npwp|a/c|acc(?:ount)?|virtual\s+account|bank|bri|bni|bca|btn|bsi|"
    r"mandiri|cimb|danamon|permata|ovo|gopay|shopeepay|linkaja|atm|bpjs|sim|paspor|passport)(?![^\W_])"
    r"[^\d\n;]{0,30}?(\d(?:[ \t.\-/]?\d){7,})")  # 8 digits or more: a count of 1.234.567 stays


_ACCOUNT_WORDS = frozenset("rek rekening norek npwp c acc account virtual bank bri bni bca btn bsi mandiri cimb "
                           "danamon permata ovo gopay shopeepay linkaja atm bpjs sim paspor passport".split())


def _accounts(folded: str) -> Iterable[tuple[int, int, str]]:
    for m in _ACCOUNT.finditer(folded):
        yield m.start(1), m.end(1), "account"


def _protect(folded: str) -> str:
    """`folded` (same length) with what must survive blotted out as ``#``."""
    if not _ANY_DIGIT.search(folded):
        return folded
    found = [m.span() for m in _PROTECTED.finditer(folded)]
    if not found:
        return folded
    out = list(folded)
    for i, (start, end) in enumerate(found):
        if not _absorbs_a_number(folded, start, end, found[i - 1][1] if i else 0,
                                 found[i + 1][0] if i + 1 < len(found) else len(folded)):
            out[start:end] = "#" * (end - start)
    ends = {a: i for i, (a, _) in enumerate(found)}
    for chain in _time_chains(folded, found):
        i, j = ends[chain[0][0]], ends[chain[-1][0]]
        if _absorbs_a_number(folded, chain[0][0], chain[-1][1], found[i - 1][1] if i else 0,
                             found[j + 1][0] if j + 1 < len(found) else len(folded), _mobile, times=True):
            for a, b in chain:
                out[a:b] = folded[a:b]
    return "".join(out)


_BARE_TIME = re.compile(r"\d{1,2}[:.]\d{2}\s*")
_ONLY_JOIN = re.compile(rf"{_JOIN}")


def _time_chains(folded: str, found: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Runs of two or more bare times with nothing but separators between them
    (``08.22 20.25 11.45``): a mobile number split in pairs, unless it cannot be one."""
    chains, chain = [], []
    for a, b in found:
        if _BARE_TIME.fullmatch(folded, a, b) and (
                not chain or _ONLY_JOIN.fullmatch(folded, chain[-1][1], a)):
            chain.append((a, b))
            continue
        if len(chain) >= 2:
            chains.append(chain)
        chain = [(a, b)] if _BARE_TIME.fullmatch(folded, a, b) else []
    if len(chain) >= 2:
        chains.append(chain)
    return chains


def _mobile(digits: str) -> bool:
    import phonenumbers

    try:
        number = phonenumbers.parse(digits, "ID")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


def _absorbs_a_number(folded: str, start: int, end: int, left: int, right_limit: int, mobile=None,
                      times: bool = False) -> bool:
    """Whether the protected stretch folded[start:end] spells a phone or identity number on its
    own (``Rp 0812.3456.7890``), or with the digit groups beside it up to the neighbouring
    protected stretches (``jam 08.12 34.56 78.90``). Joined over a space, only a valid mobile
    number counts, and a date is never joined so ("08/12/2024 105 TPS" is a date and a count);
    `mobile`, when given, must pass in every case; `times`: the stretch is a chain of times."""
    candidates = [(start, end)]
    if times or folded[start].isalpha() or _BARE_TIME.fullmatch(folded, start, end):  # an amount or a time
        right, left_ = end, start
        while (m := _NEXT_GROUP.match(folded, right)) and m.end() <= right_limit and m.end() > right:
            right = m.end()
        while (m := _PREV_GROUP.search(folded, left, left_)) and m.start() < left_:
            left_ = m.start()
        candidates += [(start, right), (left_, end), (left_, right)]
    for a, b in candidates:
        digits = re.sub(r"\D", "", folded[a:b])
        if len(digits) < 9 or _number_kind(digits) not in ("phone", "identity"):
            continue
        spaced = (a, b) != (start, end) and any(c.isspace() for c in folded[a:start] + folded[end:b])
        if (mobile or (_mobile if spaced else None) or (lambda _: True))(digits):
            return True
    return False


_SWAPPED_DIGIT = re.compile(r"[oilzsb]\d|\d[oilzsb]")


def _numbers(folded: str, words: frozenset[str]) -> Iterable[tuple[int, int, str]]:
    guard = _protect(folded)
    yield from _number_runs(guard)
    view = _digit_view(folded) if _SWAPPED_DIGIT.search(folded) else folded
    if view != folded:  # read before protecting: 5371/o0o0/0000/0099 is no register number
        view = _protect(view)
        yield from _number_runs(view)
    else:
        view = guard
    if words & _NUMBER_WORD_SET:
        yield from _spelled_numbers(guard)
    if words & _ACCOUNT_WORDS:
        yield from _accounts(view)


def _number_runs(folded: str) -> Iterable[tuple[int, int, str]]:
    for m in _DIGIT_RUN.finditer(folded):
        kind = _number_kind(m.group())
        if kind == _LETTER_NO:  # no part of it is a phone either (622/814/… is no +62 number)
            folded = folded[:m.start()] + "#" * (m.end() - m.start()) + folded[m.end():]
        elif kind:
            yield m.start(), m.end(), kind
    if _LONG_DIGITS.search(folded):
        import phonenumbers  # only then: the matcher is the costly part

        for m in phonenumbers.PhoneNumberMatcher(folded, "ID"):
            yield m.start, m.end, "phone"
    for m in _PASSPORT.finditer(folded):
        yield m.start(), m.end(), "identity"


# --- e-mail addresses ------------------------------------------------------------------------------

_OPEN, _CLOSE = r"[\[\(\{<«‹\"'“‘]", r"[\]\)\}>»›\"'”’]"
# "@" however written: in brackets or guillemets (``(a)``, ``«at»``), URL-encoded (``%40``),
# as an HTML entity (``&#64;``, ``&#x40;``, ``&commat;``).
_AT = (rf"(?:\s*(?:@+|%40|\\x40|&#0*64;?|&#x0*40;?|&commat;?)\s*|\s*{_OPEN}\s*(?:at|@|et|a)\s*{_CLOSE}\s*"
       r"|\s+(?:at|et)\s+|[\-_](?:at|et)[\-_])")  # yohanes-at-gmail, yohanes_at_gmail
_DOT = rf"(?:\s*\.\s*|\s*{_OPEN}\s*(?:dot|titik|\.)\s*{_CLOSE}\s*|\s+(?:dot|titik)\s+|[\-_](?:dot|titik)[\-_])"
# In the domain a dot may also be an ideographic full stop (``。``, ``｡``) or a comma typed for it.
_DOMAIN_DOT = rf"(?:{_DOT}|[。｡,]|&#0*46;?|%2e)"
# A letter and the digits typed for it (normalise._SWAP read back, and "1" for "l"): ``c0m``, ``1d``, ``gmai1``.
_LOOKALIKE_DIGITS = {"o": "0", "i": "1", "l": "1", "e": "3", "a": "4", "s": "5", "g": "69", "t": "7", "b": "8"}


def _lookalike(words: str) -> str:
    """The alternation `words` with each letter also matching the digits typed for it, and at
    least one letter in what it matches (``10`` is no ``io``, ``401`` no ``aol``)."""
    spelled = "".join(f"[{c}{_LOOKALIKE_DIGITS[c]}]" if c in _LOOKALIKE_DIGITS else c for c in words)
    return rf"(?=\d{{0,4}}[a-z]){spelled}"


_COMMON_TLD = r"(?:com|id|org|net|co|go|ac|sch|or|info|biz|me|io|edu|gov|web|my)"
# The top-level domain runs on over what is glued to it (``org_``, ``org2``), and a punycode one is
# masked whole (``xn--p1ai``); a common one with a digit for a letter is one too (``c0m``, ``co.1d``,
# ``0rg``: hostile round 6), but no other word that begins with a digit (``@ 1.5kg``).
_TLD = rf"(?:xn--[a-z0-9\-]+|[a-z]{{2,}}[a-z0-9_]*|{_lookalike(_COMMON_TLD)}(?![a-z])[a-z0-9_]*)"
_EMAIL = re.compile(
    # a dot of the local part is read by _DOT alone, and a local part starts at its beginning: a
    # second reading of "." made "a.a.a…@" take exponential time, every start within it quadratic.
    # A local part is at most 64 characters (RFC 5321 section 4.5.3.1.1), each piece here one of
    # them: read up to 80 pieces, so that "a . a . a … @" (every "a" a start) costs each start 80
    # steps, not the rest of the text. A dot may end it (``nama.@gmail.com``, hostile round 6): one
    # character, read only there, so no second reading.
    rf"(?<![a-z0-9_%+.\-])[a-z0-9](?:[a-z0-9_%+\-]|{_DOT}(?=[a-z0-9])){{0,80}}\.?{_AT}[a-z0-9\-]+(?:{_DOMAIN_DOT}[a-z0-9\-]+)*"
    rf"{_DOMAIN_DOT}{_TLD}")
_EMAIL_HINT = re.compile(rf"@|\bat\b|\bet\b|_at_|_et_|%40|\\x40|&#|&commat|{_OPEN}a{_CLOSE}")
# Spaced out letter by letter (``y o h a n e s @ g m a i l . c o m``): one space between the
# characters, the domain's dot and top-level domain likewise; no word beside it is taken. At
# most 80 characters before the "@" (a local part has 64), so each start reads a bounded stretch.
_SPACED_EMAIL = re.compile(
    r"(?<![^\W_])[a-z0-9](?:[ \t][a-z0-9._\-]){1,80}[ \t]*@[ \t]*[a-z0-9](?:[ \t]?[a-z0-9\-])*"
    r"(?:[ \t]?\.[ \t]?[a-z0-9](?:[ \t][a-z0-9\-])*)+(?![^\W_])")


# "@" as an Indonesian word (``budi99 di gmail titik com``, ``(di)``, ``pada``): "di" is the
# commonest preposition, so the whole must look like an address: a top-level domain at its end,
# and a local part with a digit, dot or underscore, or a known mail provider, or an e-mail label
# before it (hostile round 3).
# the providers, also with a digit for a letter (``gmai1``, ``yah00``, ``9mail``: hostile round 6)
_MAIL_PROVIDERS = _lookalike(r"(?:gmail|googlemail|yahoo|ymail|rocketmail|hotmail|outlook|live|icloud|proton(?:mail)?|aol|gmx)")
_WORD_AT = rf"(?:\s*{_OPEN}\s*(?:di|pada)\s*{_CLOSE}\s*|\s+(?:di|pada)\s+)"
_WORD_AT_HINT = re.compile(rf"\s(?:di|pada)\s|{_OPEN}\s*(?:di|pada)\s*{_CLOSE}")
_WORDY_EMAIL = re.compile(
    rf"(?:(e-?mail|surel|pos-?el|email)\s*:?\s*)?(?<![\w.@])([a-z0-9][a-z0-9._\-]*){_WORD_AT}([a-z0-9\-]+)"
    rf"(?:{_DOT}[a-z0-9\-]+)*{_DOT}{_lookalike(_COMMON_TLD)}\b")  # also ``c0m``, ``1d``
# letter by letter with dots (``b.u.d.i.9.9.@.g.m.a.i.l...c.o.m``)
_DOTTED_EMAIL = re.compile(r"(?<![\w.])[a-z0-9](?:\.{1,3}[a-z0-9]){2,}\.{0,3}@\.{0,3}[a-z0-9](?:\.{1,3}[a-z0-9]){3,}(?![\w])")
# no top-level domain (``budi99@gmail``): a known provider
_BARE_EMAIL = re.compile(rf"(?<![\w.%+\-])[a-z0-9][a-z0-9._%+\-]{{0,80}}{_AT}{_MAIL_PROVIDERS}\b(?!\s*(?:\.|{_OPEN}))")
# "%" typed for "@" (the old "percent hack" of mail routing, or an evasion; hostile round 6):
# glued (``nama%gmail.com``) or in brackets, also as a word (``nama (%) gmail.com``,
# ``nama (persen) gmail.com``) before any domain with a
# top-level domain or a provider; with a space beside it (``nama % gmail``, ``nama %undana.ac.id``)
# only before a provider or a domain whose dots are glued (``turun 5 % saja. Kemudian`` is no
# address). Never a URL's escape (``a%20b``, ``%c3%a9``, ``ab%cd.html``): two hex digits after the
# "%" that hold a digit or end there; and a local part of digits only is a percentage (`_emails`).
_URL_ESCAPE = r"(?:\d[0-9a-f]|[a-f]\d|[a-f]{2}(?![a-z]))"
_PROVIDER_DOMAIN = rf"{_MAIL_PROVIDERS}\b(?:{_DOMAIN_DOT}{_TLD})*"
_PERCENT_EMAIL = re.compile(
    rf"(?<![a-z0-9_%+.\-])([a-z0-9](?:[a-z0-9_%+\-]|{_DOT}(?=[a-z0-9])){{0,80}})\.?"
    rf"(?:(?:%(?!{_URL_ESCAPE})|\s*{_OPEN}\s*(?:%|persen|percent)\s*{_CLOSE}\s*)"
    rf"(?:[a-z0-9\-]+(?:{_DOMAIN_DOT}[a-z0-9\-]+)*{_DOMAIN_DOT}{_TLD}|{_PROVIDER_DOMAIN})"
    # spaced (also an entity's padding: ``a&#37;20b.pdf`` reads "a%    20b.pdf")
    rf"|(?:\s+%\s*|%\s+)(?!{_URL_ESCAPE})(?:{_PROVIDER_DOMAIN}|[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.{_TLD}))")
# Another mark typed for "@" (``nama#gmail.com``, ``nama&yahoo.co.id``, ``nama!gmail.com``; hostile
# round 6): only before a provider and its top-level domain ("AT&T.com", "C#", "Q&A.pdf" stay);
# never a URL's or a list's mark (/ : = ; ,), which stands between words and domains. Spaces may
# follow a mark glued to the name (an entity read back: ``nama&#35;gmail.com``), and stand on
# both sides of a "#" (``nama # gmail.com``), never of another mark ("akun facebook & gmail.com"
# stays), nor before a "#" alone (a hashtag: "tag #gmail.com"; hostile round 7).
_MARK_EMAIL = re.compile(
    rf"(?<![a-z0-9_%+.\-])([a-z0-9][a-z0-9._+\-]{{0,80}})(?:[#$&!*^~|]\s*|\s+#\s+){_MAIL_PROVIDERS}"
    rf"(?:{_DOMAIN_DOT}{_TLD})+")
_MARK_HINT = re.compile(r"[#$&!*^~|]")
_PERCENT_HINT = re.compile(r"%|persen|percent")
_LETTER = re.compile(r"[a-z]")


def _emails(folded: str) -> Iterable[tuple[int, int, str]]:
    if _WORD_AT_HINT.search(folded):
        for m in _WORDY_EMAIL.finditer(folded):
            label, local, domain = m.groups()
            if label or re.search(r"[\d._]", local) or re.fullmatch(_MAIL_PROVIDERS, domain):
                yield m.start(2), m.end(), "email"
    for m in itertools.chain(_PERCENT_EMAIL.finditer(folded) if _PERCENT_HINT.search(folded) else (),
                             _MARK_EMAIL.finditer(folded) if _MARK_HINT.search(folded) else ()):
        if _LETTER.search(m.group(1)):  # "naik 50%gmail", "skor 3!gmail.com": a number and a mark
            yield m.start(), m.end(), "email"
    if not _EMAIL_HINT.search(folded):
        return
    for m in _EMAIL.finditer(folded):
        yield m.start(), m.end(), "email"
    if "@" in folded:
        for m in _SPACED_EMAIL.finditer(folded):
            yield m.start(), m.end(), "email"
        for m in _DOTTED_EMAIL.finditer(folded):
            yield m.start(), m.end(), "email"
    for m in _BARE_EMAIL.finditer(folded):  # "@" in any of its written forms (hostile round 5: "(at) gmail")
        yield m.start(), m.end(), "email"


# --- names -------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")
_TITLES = {"dr", "drs", "dra", "ir", "sh", "se", "st", "mh", "msi", "mpd", "spd", "skom", "bapak", "ibu",
           "sdr", "sdri", "saudara", "saudari", "hj", "h"}


# Characters written for a letter of a name (``Yu1iana``, ``Yu|iana``, ``Y0hanes``).
_LOOKALIKE = {"l": "1|!i", "i": "1l|!", "o": "0", "e": "3", "a": "4@", "s": "5$", "t": "7", "b": "8", "g": "9",
              "z": "2"}
# Indonesian clitics and particles glued to a name (``Nenobaisnya``, ``Yulianalah``).
_CLITIC = r"(?:nya|ku|mu|lah|kah|pun)?"


def _letters(word: str) -> str:
    return "".join(f"[{re.escape(c + _LOOKALIKE[c])}]" if c in _LOOKALIKE else re.escape(c) for c in word)


@functools.lru_cache(maxsize=4096)
def _name_words(name: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The name's words (3 letters or more, titles left out), each two- and three-word
    joining of them in any order (``yuliananenobais``, ``nenobaisyuliana``), and its short
    words (``Yo Ko``, the ``Lo`` of ``Andi Lo``)."""
    every = [w for w in _WORD.findall(fold(name)[0]) if w not in _TITLES]
    words = [w for w in every if len(w) >= 3]
    joined = {"".join(p) for k in (2, 3) for p in itertools.permutations(dict.fromkeys(words), k)} \
        if len(words) <= 5 else set()
    return frozenset(words), frozenset(joined), frozenset(w for w in every if len(w) < 3)


@functools.lru_cache(maxsize=4096)
def _name_pattern(names: tuple[str, ...]) -> tuple[re.Pattern | None, frozenset[str]]:
    """One pattern for the names' words and joinings (a letter may be written as a look-alike
    character, a clitic may follow), with the short words only beside another word of the
    name; and the set of words and joinings (spelled-out check)."""
    every: set[str] = set()
    short: set[str] = set()
    for n in names:
        w, j, s = _name_words(n)
        every |= w | j
        short |= s
    alternatives = [_letters(w) for w in sorted(every, key=len, reverse=True)]
    if short:
        # a short word counts only next to another word of the name: "Lo" alone is a common word
        s_alt = "|".join(re.escape(w) for w in sorted(short, key=len, reverse=True))
        any_alt = "|".join(re.escape(w) for w in sorted(every | short, key=len, reverse=True))
        alternatives.insert(0, rf"(?:{s_alt})[ \t,.\-]{{1,3}}(?:{any_alt})|(?:{any_alt})[ \t,.\-]{{1,3}}(?:{s_alt})")
    if not alternatives:
        return None, frozenset()
    return (re.compile(rf"(?<![^\W\d_])(?:{'|'.join(alternatives)}){_CLITIC}(?![^\W\d_])"),
            frozenset(every))


_SPELLED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_](?:[^\w\n]{1,2}|_)){2,}[^\W\d_](?![^\W\d_])")


def _names(folded: str, names: Iterable[str]) -> Iterable[tuple[int, int, str]]:
    pattern, every = _name_pattern(tuple(str(n) for n in names if n and str(n).strip()))
    if pattern is None:
        return
    for m in pattern.finditer(folded):
        word = m.group()
        if sum(not c.isalpha() and not c.isspace() for c in word) <= max(1, len(word) // 3):  # no number read as a name
            yield m.start(), m.end(), "name"
    # spelled out letter by letter: Y U L I A N A, y.u.l.i.a.n.a, Y_u_l_i_a_n_a
    for m in _SPELLED.finditer(folded):
        if re.sub(r"[\W_]", "", m.group()) in every:
            yield m.start(), m.end(), "name"
    # respelled by one letter (Johanes for Yohanes, Yulliana, Nenobias): long words of the name only,
    # where one letter more, less, other or swapped still reads as the name (hostile round 4)
    long_words = [w for w in every if len(w) >= RESPELL_MIN and " " not in w]
    if long_words:
        for m in _WORD.finditer(folded):
            word = m.group()
            if len(word) >= RESPELL_MIN - 1 and word not in every and any(_one_edit(word, w) for w in long_words):
                yield m.start(), m.end(), "name"


RESPELL_MIN = 6  # shorter words of a name are too near common words ("Seran", "serah")


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` is `b` with one letter added, dropped, changed, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long_)) if x != y), len(short))
    return short[i:] == long_[i + 1:]


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


# --- third parties' names and street addresses --------------------------------------------------
# Found by the words that introduce them and by capital letters in the original text: a name
# after an honorific or a relation ("Bapak Yohanes Ndun", "anak saya Maria", "alm. Kornelis"),
# an address after a street word ("Jl. Soeharto No. 12 RT 003/RW 002") or an RT/RW number.

_HONORIFIC = re.compile(
    # a relation with its possessive ("anak saya", "ibu kandung saya"; "Perlindungan Anak
    # Indonesia" is no relation), first, so that "ibu saya" is not read as "ibu" alone …
    r"(?<![^\W_])(?:(?:anak|suami|istri|isteri|ayah|ibu|bapak|kakak|adik|adek|cucu|keponakan|menantu|mertua|"
    r"paman|bibi|orang\s+tua|ortu)(?:\s+(?:saya|kami|kandung|almarhum|almarhumah|alm))+|"
    # … then an honorific, or a spouse, alone
    r"bapak|bpk|pak|bapa|ibu|bu|ibunda|ayahanda|sdr|sdri|saudara|saudari|almarhum|almarhumah|alm|"
    r"almh|tuan|tn|nyonya|ny|nona|mama|om|tante|opa|oma|suami|istri|isteri|a\.\s?n|atas\s+nama"
    r")(?![^\W_])\.?(?:[ \t]+(?:yang\s+)?(?:bernama|yaitu|yakni))?[ \t]*:?")
# Words after an honorific that make it an office or a body, not a person ("Bapak Ketua KPU",
# "Ibu Kota"), or that end a name.
_OFFICE = frozenset("""
ketua wakil anggota kepala sekretaris sekjen bendahara gubernur wagub bupati wabup walikota wali camat
lurah kades presiden menteri direktur dirjen komisioner kpu kpud bawaslu panwaslu dkpp dprd dpr dpd mpr
ppid ppk pps kpps atasan kota negara pejabat kasubag kasubbag kabag kabid kasi kadis panitera hakim jaksa
kapolda kapolres kapolsek pemohon pelapor terlapor termohon pimpinan komisi majelis rektor dekan yth
yang terhormat bapak ibu saudara saudari sdr sdri pak bu dan atau serta dengan di ke dari pada untuk
hamil menyusui rumah tangga guru bidan kader pkk dharma pertiwi pembangunan bangsa
pemilih penduduk warga data daftar rekap laporan surat keputusan provinsi kabupaten pemilu pemilihan tahun
nomor berita acara hasil calon peserta partai dinas badan kantor sekolah gereja masjid desa kelurahan
kecamatan daerah umum khusus indonesia republik nasional perempuan disabilitas lansia muda
""".split())
_TITLE_WORDS = frozenset("dr drs dra ir prof hj h st sh se mh msi mpd spd skom".split())
_NEXT_WORD = re.compile(r"[ \t]{0,2}([^\W\d_][^\W\d_'\-]*)\.?")


def _capitalised_run(folded: str, text: str, at, pos: int, most: int = 5, stop=_OFFICE) -> int:
    """Where a run of capitalised words (in the original) starting at `pos` ends; `pos` if none."""
    end, count = pos, 0
    while count < most:
        m = _NEXT_WORD.match(folded, end)
        if not m:
            break
        word = m.group(1)
        if word in stop or (word in _HONORIFIC_WORDS and len(word) > 1) or not text[at(m.start(1))].isupper():
            break
        if word not in _TITLE_WORDS:
            count += 1
        end = m.end() if word in _TITLE_WORDS or len(word) == 1 else m.end(1)  # "Dr.", "W.J." keep their dots
    return end if count else pos


# The words that can begin a third party's name or an address (the cheap test before the patterns).
_HONORIFIC_WORDS = frozenset("""bapak bpk pak bapa ibu bu ibunda ayahanda sdr sdri saudara saudari almarhum
almarhumah alm almh tuan tn nyonya ny nona mama om tante opa oma a atas anak suami istri isteri ayah kakak adik
adek cucu keponakan menantu mertua paman bibi orang ortu""".split())  # the first words of _HONORIFIC
_ADDRESS_WORDS = frozenset("jl jln j jalan gg gang lorong lr komp kompleks komplek perum perumahan perumnas blok rt "
                           "alamat beralamat domisili berdomisili tinggal".split())


# A full title word may stand before a name written in lower case ("Saudari maria bria"); Bapak
# and Ibu only before two such words ("ibu hamil", "bapak ketua" are no names), and none of these
# common words is read as a name.
_FULL_TITLES = frozenset("saudara saudari sdr sdri tuan nyonya nona almarhum almarhumah".split())
_BAPAK_IBU = frozenset("bapak ibu".split())
_NOT_A_NAME = _OFFICE | frozenset("""sekalian semua semuanya yang telah sudah akan dapat bisa harus mohon minta
meminta memohon tidak belum juga pun hanya masih selalu sering adalah ialah sebagai selaku merupakan bersama
beserta punya mempunyai memiliki sendiri selama saat ketika kalau jika bila apabila sebagaimana menjadi jadi
datang pergi ada sebut tersebut itu ini tadi dulu lagi mau ingin kita kami saya kamu anda dia mereka beliau
sekeluarga sekarang kemarin besok bilang katakan mengatakan menyampaikan sampaikan terhormat bertugas menjabat
menerima memberi memberikan mengirim mengirimkan hadir kandung tiri angkat kita kalian sekeluarga bersalin
petugas pegawai staf operator pengurus pendamping pemilik penerima yg utk dgn tsb dll kepada oleh agar supaya
karena sebab telah sedang bekerja tinggal meninggal wafat lahir berusia umur usia""".split())
_LOWER_NAME = re.compile(r"[ \t]{1,2}([a-z]{2,})(?![^\W_])")


def _lower_case_name(folded: str, title: str, pos: int) -> int:
    """Where a lower-case name after `title` ends; `pos` if none."""
    if title not in _FULL_TITLES and title not in _BAPAK_IBU:
        return pos
    end, count = pos, 0
    while count < 3 and (w := _LOWER_NAME.match(folded, end)) and w.group(1) not in _NOT_A_NAME \
            and w.group(1) not in _HONORIFIC_WORDS:
        end, count = w.end(), count + 1
    return end if count >= (2 if title in _BAPAK_IBU else 1) else pos


def _third_parties(folded: str, text: str, at) -> Iterable[tuple[int, int, str]]:
    for m in _HONORIFIC.finditer(folded):
        end = _capitalised_run(folded, text, at, m.end())
        if end == m.end():
            title_end = m.start() + len(m.group().rstrip(" \t:"))
            lower = _lower_case_name(folded, folded[m.start():title_end].rstrip("."), title_end)
            if lower > title_end:
                yield lower - len(folded[title_end:lower].lstrip(" \t")), lower, "name"
            continue
        if end > m.end():
            start = m.end() + len(folded[m.end():end]) - len(folded[m.end():end].lstrip())
            yield start, end, "name"


_STREET = re.compile(r"(?<![^\W_])(?:j[ \t]?ln?|jalan|gg|gang|lorong|lr|komp|kompleks|komplek|perum|perumahan|perumnas|blok)"
                     r"(?![^\W_])\.?")
_ADDRESS_PART = re.compile(
    r"[ \t]*,?[ \t]*(?:(?:no|nomor|nmr|km|blok|rt|rw|rt/rw|gg|gang)(?![^\W_])\.?[ \t]*:?[ \t]*)?"
    r"\d+[a-z]?(?:[ \t]*[/\-][ \t]*(?:rw\.?[ \t]*)?\d+[a-z]?)*(?![^\W_])")
# An RT with its RW ("RT 003/RW 002", "RT/RW 003/002") locates a household; "Ketua RT 003" alone does not.
_RT_RW = re.compile(r"(?<![^\W_])(?:rt|rt\s*/\s*rw)(?![^\W_])\.?[ \t]*:?[ \t]*\d{1,3}(?!\d)"
                    r"[ \t]*[/,\-]?[ \t]*(?:rw\.?[ \t]*:?[ \t]*)?\d{1,3}(?!\d)")
_STREET_STOP = _OFFICE | frozenset("no nomor nmr km blok rt rw gg gang kel kelurahan kec kecamatan desa provinsi "
                                   "nasional kabupaten tol umum lingkungan setapak".split())  # road classes, not streets
# A street written in lower case ("di jalan ahmad yani 12") is one only with a house number after
# it; these words before a number say it is no street ("jalan keluar sengketa pasal 12").
_LOWER_STREET_STOP = _STREET_STOP | frozenset("""keluar masuk pasal ayat huruf tahun hari bulan minggu jam pukul
sepanjang menuju rusak berlubang anggaran kegiatan dana rapat sidang halaman lampiran dan atau yang untuk ke dari
sampai hingga sekitar sejauh kurang lebih""".split())
_LOWER_WORD = re.compile(r"[ \t]{1,2}([a-z][a-z'\-]*)(?![^\W_])")
# A label that introduces the requester's or another's address: the rest of its clause is masked
# ("alamat: Perumnas Blok B no 12 Kupang", "tinggal di Desa Oelaba"), unless an office or a body
# follows ("alamat kantor KPU", "tinggal di luar negeri", "domisili pemilih").
_ADDRESS_LABEL = re.compile(
    r"(?<![^\W_])(?:alamat|beralamat|berdomisili|domisili|(?:ber)?tempat\s+tinggal|tinggal)"
    r"(?:[ \t]+(?:saya|kami|rumah|lengkap|pemohon|sekarang|tetap))*(?:nya)?(?![^\W_])"
    r"(?:[ \t]*(:)|[ \t]+di(?![^\W_]))?[ \t]*(:)?[ \t]*")
_CLAUSE_END = re.compile(r"[;\n()]|,\s|(?:(?<=[a-z]{4})|(?<=\d))[.!?](?:\s|$)|[ \t](?:dan|untuk|karena|mohon|agar|yang|serta|"
                         r"hp|wa|telp|email|surel|nik)(?![^\W_])")
_NOT_AN_ADDRESS = (_OFFICE | frozenset("""luar dalam website web situs laman email surel e surat kantor sekretariat
yang ini itu tersebut sesuai tidak belum sudah tetap di pada wilayah sana sini mana""".split())) - frozenset(
    "desa kelurahan kecamatan".split())


def _addresses(folded: str, text: str, at) -> Iterable[tuple[int, int, str]]:
    for m in _STREET.finditer(folded):
        yield from _lower_case_street(folded, m)  # "jalan ahmad yani 12", also "jalan Ahmad yani 12"
        end = _capitalised_run(folded, text, at, m.end(), most=6, stop=_STREET_STOP)
        if end == m.end():
            continue  # "jalan keluar", "gang" as a common word: no street named
        while (part := _ADDRESS_PART.match(folded, end)) and part.end() > end:
            end = part.end()
        yield m.start(), end, "address"
    for m in _ADDRESS_LABEL.finditer(folded):
        yield from _labelled_address(folded, text, at, m)
    for m in _RT_RW.finditer(folded):
        yield m.start(), m.end(), "address"


def _lower_case_street(folded: str, m: re.Match) -> Iterable[tuple[int, int, str]]:
    """A street in lower case ("di jalan ahmad yani 12"): words, then a house number (no year)."""
    end, words = m.end(), 0
    while words < 4 and (w := _LOWER_WORD.match(folded, end)) and w.group(1) not in _LOWER_STREET_STOP:
        end, words = w.end(), words + 1
    part = _ADDRESS_PART.match(folded, end)
    if words and part and part.end() > end and not _YEAR.fullmatch(folded[part.end() - 4:part.end()]):
        yield m.start(), part.end(), "address"


def _labelled_address(folded: str, text: str, at, m: re.Match) -> Iterable[tuple[int, int, str]]:
    """The rest of the clause after an address label: after a colon whatever follows, else only
    what begins with a capital letter or a digit; never an office or a body."""
    start = m.end()
    first = _NEXT_WORD.match(folded, start)
    if first is None:
        if not folded[start:start + 1].isdigit():
            return
    elif first.group(1) in _NOT_AN_ADDRESS or not (m.group(1) or m.group(2) or text[at(first.start(1))].isupper()):
        return  # "alamat kantor KPU", "tinggal di luar negeri", "domisili pemilih"
    limit = min(len(folded), start + 100)
    stop = _CLAUSE_END.search(folded, start, limit)
    end = start + len(folded[start:stop.start() if stop else limit].rstrip(" \t,.:"))
    if end > start:
        yield start, end, "address"


# --- the requester's own registered numbers and e-mail --------------------------------------------
# What the requester registered is known: the text is compared with it directly, digits only
# after folding, whatever separates them (``53..71..01``, ``0812=3900=4455``, ``(62) 812…``), and
# the e-mail's local part as a word. That catches disguises no pattern foresees.

_GAP = r"(?:[^\w\n]|_){0,4}"


@functools.lru_cache(maxsize=1024)
def _own_pattern(identity: str, phone: str, email: str) -> tuple[re.Pattern | None, tuple[str, ...], tuple[str, ...]]:
    """The pattern for the registered contacts, and what a text must hold for it to match:
    one of the digit strings (among its digits) or one of the words."""
    parts, digit_keys, word_keys = [], [], []
    nik = re.sub(r"\D", "", identity)
    if len(nik) >= 8:
        parts.append(_GAP.join(nik))
        digit_keys.append(nik)
    digits = re.sub(r"\D", "", phone)
    national = digits[2:] if digits.startswith("62") else digits[1:] if digits.startswith("0") else digits
    if len(national) >= 8:
        parts.append(rf"(?:(?:\+{_GAP})?6{_GAP}2{_GAP}|0{_GAP})?" + _GAP.join(national))
        digit_keys.append(national)
    local = fold(email.split("@")[0])[0] if "@" in email else ""
    alnum = re.sub(r"[\W_]", "", local)
    if len(alnum) >= 5 or (len(alnum) >= 3 and re.search(r"\d", alnum)):  # "info" alone stays a word
        label = fold(email.split("@", 1)[1].split(".")[0])[0]
        domain = rf"{_GAP}(?:@|\bat\b|\bet\b|%40|&#0*64;?){_GAP}{re.escape(label)}\w*" if label else r"(?!)"
        # the local part as registered (``yuliana.n``, ``yuliana99``), with its domain if one follows;
        # a local part of letters only (``redaksi``, ``info``) or spaced, broken up (``y-u-l-i-a-n-a-n``)
        # only before its domain: "Redaksi Warta Flobamora", "kantor ppid" alone are words
        if not local.isalpha():
            parts.append(rf"(?<![^\W_]){re.escape(local)}(?![^\W_])(?:{domain})?")
            word_keys.append(local)
        if label:
            parts.append(rf"(?<![^\W_]){_GAP.join(re.escape(c) for c in alnum)}(?![^\W_]){domain}")
            word_keys.append(label)
    if not parts:
        return None, (), ()
    return re.compile("|".join(f"(?:{p})" for p in parts)), tuple(digit_keys), tuple(word_keys)


_NON_DIGIT = re.compile(r"\D+")


def _own(folded: str, own: dict | None) -> Iterable[tuple[int, int, str]]:
    if not own or not isinstance(own, dict):  # a hand-edited log's "personal" may be anything
        return
    pattern, digit_keys, word_keys = _own_pattern(
        str(own.get("identity_number") or ""), str(own.get("phone") or ""), str(own.get("email") or ""))
    if pattern is None:
        return
    views = [folded]
    if _SWAPPED_DIGIT.search(folded):
        views.append(_digit_view(folded))  # 5371O1… read with its look-alike letters as digits
    for view in views:
        digits = _NON_DIGIT.sub("", view) if digit_keys else ""
        if any(k in digits for k in digit_keys) or any(k in view for k in word_keys):  # the cheap test first
            for m in pattern.finditer(view):
                yield m.start(), m.end(), "own"


# The registered address: two or more of its words in a row, as registered, within one of its
# comma-separated parts (``Desa Oelaba``, ``Timor Raya nomor 5``), at least one of them distinctive
# (no street, house-number or region word); a part naming a town or a region (``Kota Kupang``)
# locates no one and stays.
_ADDRESS_GENERIC = frozenset("""jl jln jalan gg gang lorong lr komp kompleks komplek perum perumahan perumnas blok
no nomor nmr rt rw km desa ds kel kelurahan dusun dsn lingkungan kampung kp kec kecamatan kab kabupaten kota prov
provinsi ntt raya""".split())
_REGION = frozenset("kota kab kabupaten prov provinsi kec kecamatan".split())


@functools.lru_cache(maxsize=1024)
def _own_address_pattern(address: str) -> re.Pattern | None:
    grams = set()
    for part in re.split(r"[,;\n]", fold(address)[0]):
        words = re.findall(r"[^\W_]+", part)
        if not words or words[0] in _REGION:
            continue
        for i, j in itertools.combinations(range(len(words) + 1), 2):
            gram = words[i:j]
            if len(gram) >= 2 and any(len(w) >= 3 and w.isalpha() and w not in _ADDRESS_GENERIC for w in gram):
                grams.add(tuple(gram))
    if not grams:
        return None
    alternatives = sorted((r"[^\w\n]{1,3}".join(_letters(w) for w in g) for g in grams), key=len, reverse=True)
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(alternatives)})(?![^\W_])")


def _own_address(folded: str, own: dict | None) -> Iterable[tuple[int, int, str]]:
    address = own.get("address") if isinstance(own, dict) else None
    if not address or not isinstance(address, str):
        return
    pattern = _own_address_pattern(address)
    if pattern is not None:
        for m in pattern.finditer(folded):
            yield m.start(), m.end(), "address"


# --- the detector ---------------------------------------------------------------------------------


_ASCII_WORD = re.compile(r"[a-z]+")
# A mark typed as an HTML entity or URL-encoded (``0812&#45;3456``, ``0812%2D3456``,
# ``budi&#46;99``): read as the mark, padded with spaces to the same length, so that the
# offset map still leads back to the original text (hostile round 3).
# A "%" itself URL-encoded up to four times before the mark (``%2540``: "@" encoded twice; hostile round 6).
# "%" as an HTML entity too (``&#37;``, ``&percnt;``: a "%" typed for "@", hostile round 6); and
# "#" and "&", the marks _MARK_EMAIL reads for "@" (``&#35;``, ``%23``, ``&num;``, ``&amp;``: hostile round 7).
_ENCODED = re.compile(r"&#0*(3[578]|4[5-7]|64);?|&#x0*(2[356d-f]|40);?|%(?:25){0,4}(2[36d-f]|40)"
                      r"|&(minus|hyphen|dash|ndash|period|sol|commat|percnt|num|amp);?")
_NAMED = {"minus": "-", "hyphen": "-", "dash": "-", "ndash": "-", "period": ".", "sol": "/", "commat": "@",
          "percnt": "%", "num": "#", "amp": "&"}


def _plain_marks(folded: str) -> str:
    if "&" not in folded and "%" not in folded:
        return folded

    def read(m: re.Match) -> str:
        dec, hx, url, named = m.groups()
        char = chr(int(dec)) if dec else chr(int(hx or url, 16)) if (hx or url) else _NAMED[named]
        return char + " " * (len(m.group()) - 1)

    return _ENCODED.sub(read, folded)


def find(text: str, names: Iterable[str] = (), phrases: Iterable[str] = (), own: dict | None = None) -> list[Span]:
    """Every finding in `text`, as spans of the original text, in order, overlaps merged.
    `own`: the requester's registered ``identity_number``, ``phone``, ``email`` and ``address`` (any missing)."""
    if not text:
        return []
    folded, mapping = fold(text)
    folded = _plain_marks(folded)  # same length: the offsets hold
    at = lambda i: mapping.span(i, i + 1)[0]  # noqa: E731 - the original character behind folded[i]
    words = frozenset(_ASCII_WORD.findall(folded))
    hits = sorted(itertools.chain(
        _numbers(folded, words), _emails(folded), _names(folded, names), _phrases(folded, phrases), _own(folded, own), _own_address(folded, own),
        _third_parties(folded, text, at) if words & _HONORIFIC_WORDS else (),
        _addresses(folded, text, at) if words & _ADDRESS_WORDS else ()))
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


def mask(text: str | None, names: Iterable[str] = (), phrases: Iterable[str] = (),
         own: dict | None = None) -> str | None:
    """`text` with each finding replaced by ``[dihapus]``; None and "" stay as they are."""
    if not text:
        return text
    spans = find(text, names, phrases, own)
    if not spans:
        return text
    out, at = [], 0
    for s in spans:
        out.append(text[at:s.start])
        out.append(MASK)
        at = s.end
    out.append(text[at:])
    return "".join(out)


def mask_row(row: dict, columns: Iterable[str] = FREE_TEXT, own: dict | None = None) -> dict:
    """A book row with its free-text columns masked, the requester's name and organization
    as the row gives them, and the registered identity number, phone and e-mail in `own`
    (`register.Record.personal`), which the book itself never holds."""
    names = [row.get("requester_name") or ""]
    phrases = [row.get("requester_organization") or ""]
    for col in columns:
        value = row.get(col)
        if isinstance(value, str) and value:
            row[col] = mask(value, names, phrases, own)
    org = row.get("requester_organization")
    if isinstance(org, str) and org:  # the organization's name stays; a phone, e-mail or NIK typed into it does not
        # its numbers compared with the registered ones; not the e-mail's local part, which may be a
        # word of the organization's name (maria@… of "Yayasan Maria")
        numbers = {k: own.get(k) for k in ("identity_number", "phone")} if isinstance(own, dict) else None
        row["requester_organization"] = mask(org, [], [], numbers)
    source = row.get("source_file")
    if isinstance(source, str) and source and isinstance(own, dict):
        # a file named with the requester's NIK, phone or e-mail (hostile round 5): those alone, since a
        # path's dates and folders read as numbers to the free-text detector
        row["source_file"] = mask_registered(source, own)
    return row


def mask_registered(text: str, own: dict) -> str:
    """`text` with the registered identity number, phone and e-mail in `own` masked, however
    written (`_own`), and nothing else."""
    folded, mapping = fold(text)
    spans = sorted(mapping.span(a, b) for a, b, _ in _own(_plain_marks(folded), own) if b > a)
    out, at = [], 0
    for a, b in spans:
        if b <= at:
            continue
        out.append(text[at:max(a, at)])
        out.append(MASK)
        at = b
    out.append(text[at:])
    return "".join(out)
