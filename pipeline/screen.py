"""The personal-data screen (spec section 4): no personal data of a natural person opened by a keyword.

Before an `open` rule may decide a requested item, the item is read with the strong
profile of `pipeline.normalise` and checked against the categories of
`config/personal-data.yaml`. A flagged item is never `open` by a rule (`pipeline.rules`).

What does not flag an item, all of it data in the YAML file:
- a `datum` term counted ("jumlah pemilih tanpa KTP-el"): a counting word before it, no
  "dan"/"serta" between, and no word that asks for persons one by one;
- a `group` term ("disabilitas") counted, or in an item with a breakdown word ("per
  kecamatan", "rekapitulasi"), and no word that asks for persons one by one;
- a name the law makes public (candidate lists, elected members, officials in office),
  for categories with `public_names`, unless the item also names persons whose names are
  not public (voters, residents);
- a body's contact or address ("nomor telepon kantor KPU"), for categories with
  `bodies_ok`, unless the item also names persons.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from pipeline import normalise

CATEGORY_KINDS = ("datum", "group")
# the word lists of personal-data.yaml, by key
WORD_LISTS = ("counting_words", "count_breakers", "breakdown_words", "person_words", "public_roles",
              "private_persons", "bodies", "person_nouns")


@dataclass(frozen=True)
class Category:
    """One category of personal data of natural persons."""

    id: str
    title: str
    kind: str  # datum | group
    ground: str  # UU KIP Pasal 17 letter, the first of `grounds`
    basis: str
    terms: tuple[str, ...]
    redact: tuple[str, ...] = ()
    public_names: bool = False
    bodies_ok: bool = False
    line: int | None = None
    grounds: tuple[str, ...] = ()  # every Pasal 17 letter (config.ground_list); () means (ground,)


@dataclass(frozen=True, eq=False)
class Screen:
    """The categories and the word lists that tell a count or a public name from a person's data."""

    categories: tuple[Category, ...]
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def entries(self):
        """(phrase, key) pairs for a strong-profile `normalise.PhraseIndex`: terms and the word lists."""
        for n, c in enumerate(self.categories):
            for t in c.terms:
                yield t, ("term", n)
        for key in WORD_LISTS:
            for w in self.words.get(key, ()):
                yield w, (key,)

    @functools.cached_property
    def _index(self) -> normalise.PhraseIndex:
        return normalise.phrase_index(tuple(self.entries()), "strong")

    def check(self, item: str) -> Category | None:
        """The first category (in file order) whose data the item asks for, or None."""
        views = normalise.views(item, "strong")
        return self.judge([list(self._index.spans(v.split(" "))) for v in views])

    def judge(self, readings: list[list[tuple]]) -> Category | None:
        """The verdict from the spans (key, first word, word after) found in each strong reading of an item.

        Keys other than this screen's (`entries`) are ignored, so one index pass can serve
        the closing rules and the screen together.
        """
        terms: list[tuple[int, int, dict]] = []  # (category, word position, that reading's marks)
        present: set[str] = set()  # marks found in any reading: "per kabupaten/kota" reads both ways
        for spans in readings:
            marks: dict[str, list[tuple[int, int]]] = {}
            for key, i, j in spans:
                if not isinstance(key, tuple):
                    continue
                if key[0] == "term":
                    terms.append((key[1], i, marks))
                else:
                    marks.setdefault(key[0], []).append((i, j))
            present.update(marks)
        flagged = [n for n, at, marks in terms if self._flags(self.categories[n], at, marks, present)]
        return self.categories[min(flagged)] if flagged else None

    def _flags(self, cat: Category, at: int, marks: dict, present: set[str]) -> bool:
        if cat.public_names and "public_roles" in present and "private_persons" not in present:
            return False
        if cat.bodies_ok and "bodies" in present and "person_nouns" not in present:
            return False
        if "person_words" in present:
            return True
        if cat.kind == "group" and "breakdown_words" in present:
            return False
        return not self._counted(at, marks)

    @staticmethod
    def _counted(at: int, marks: dict[str, list[tuple[int, int]]]) -> bool:
        """A counting word before the term with no "dan"/"serta" between: a count, not the datum."""
        breaks = [i for i, _ in marks.get("count_breakers", ())]
        return any(end <= at and not any(end <= b < at for b in breaks) for _, end in marks.get("counting_words", ()))
