"""Information rules (DIP/DIK, spec section 4): each requested item decided, then the outcome.

Matching: the item and the keywords are normalised alike (`pipeline.normalise`), and a
keyword matches whole words, also with an Indonesian suffix (`NIKnya`). When an item
matches an `open` rule and a closing rule (`exempt`, `partial`) anywhere in the list,
the first closing rule decides, the most protective reading; otherwise the first
matching rule decides.

A closing rule decides alone only when its `consequence_test` names the office's decree
(UU KIP Pasal 19; Perki 1/2021). Without one the item is `review`, with `proposed` = the
rule's status, until the PPID confirms or overrides it in the `decision` block, which
overrides rules item by item. Unmatched items are `review` too.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

from pipeline import normalise
from pipeline.config import Rule
from pipeline.model import Decision, DecisionItem

CLOSING = ("exempt", "partial")
GIVEN = ("open", "partial")  # an item is given when it is open or partial (spec section 4)


@dataclass(frozen=True)
class ItemResult:
    """How one requested item is decided."""

    no: int
    text: str
    status: str  # open | exempt | partial | not_held | not_documented | review
    rule: str | None = None  # rule id, "decision" when the PPID decided, None when nothing matched
    ground: str | None = None  # UU KIP Pasal 17 letter
    basis: str | None = None
    consequence_test: str | None = None
    reason: str | None = None
    consequence: str | None = None  # the harm opening would cause, from the PPID's decision item
    holder: str | None = None
    redact: tuple[str, ...] = field(default=())
    proposed: str | None = None  # exempt | partial: what a closing rule without a decree proposes


    def as_json(self) -> dict:
        """The item as `ppid run --json` prints it (spec section 7); `proposed` only when a rule proposes."""
        out = {"text": self.text, "status": self.status, "rule": self.rule, "ground": self.ground}
        if self.proposed:
            out["proposed"] = self.proposed
        return out


class _Matcher:
    """Every keyword form of a rule list in one dict, for a single pass over an item's words.

    Each keyword is indexed as written and with each Indonesian suffix on its last word
    (`nik`, `niknya`, `nikku`, ...); `prefixes` holds the leading words of multi-word
    keywords, so a phrase grows only while some keyword still starts with it.
    """

    def __init__(self, rules: tuple[Rule, ...]):
        self.rules = rules
        self.index: dict[str, set[int]] = {}
        self.prefixes: set[str] = set()
        for pos, rule in enumerate(rules):
            for phrase in rule.phrases:
                for form in (phrase, *(phrase + s for s in normalise.SUFFIXES)):
                    self.index.setdefault(form, set()).add(pos)
                words = phrase.split(" ")
                self.prefixes.update(" ".join(words[:n]) for n in range(1, len(words)))

    def positions(self, item: str) -> set[int]:
        """The positions (in list order) of every rule with a keyword in the item."""
        hits: set[int] = set()
        index, prefixes = self.index, self.prefixes
        for view in normalise.views(item):
            words = view.split(" ")
            for i in range(len(words)):
                phrase = words[i]
                j = i
                while True:
                    found = index.get(phrase)
                    if found:
                        hits |= found
                    j += 1
                    if j == len(words) or phrase not in prefixes:
                        break
                    phrase = phrase + " " + words[j]
        return hits


@functools.lru_cache(maxsize=16)
def _matcher(rules: tuple[Rule, ...]) -> _Matcher:
    return _Matcher(rules)  # Rule hashes by identity, so a loaded list is compiled once


def matches(item: str, rules: list[Rule]) -> list[Rule]:
    """Every rule with a keyword in the item, in list order."""
    m = _matcher(tuple(rules))
    return [m.rules[p] for p in sorted(m.positions(item))]


def match(item: str, rules: list[Rule]) -> Rule | None:
    """The rule that decides the item: the first closing rule if any matches, else the first match."""
    found = matches(item, rules)
    if not found:
        return None
    return next((r for r in found if r.closing), found[0])


def _from_rule(no: int, text: str, rule: Rule | None) -> ItemResult:
    if rule is None:
        return ItemResult(no, text, "review")
    return ItemResult(
        no, text, rule.status if rule.decides else "review", rule.id, rule.ground, rule.basis,
        rule.consequence_test, None, rule.consequence, rule.holder, tuple(rule.redact),
        proposed=None if rule.decides else rule.status,
    )


def _apply(base: ItemResult, d: DecisionItem) -> ItemResult:
    """The PPID's decision on one item; confirming what a rule said keeps its basis and redactions."""
    same = d.status in (base.status, base.proposed)
    closing = d.status in CLOSING
    return replace(
        base, status=d.status, rule="decision",
        ground=(d.ground or (base.ground if same else None)) if closing else None,
        basis=d.basis or (base.basis if same else None),
        consequence_test=d.consequence_test or (base.consequence_test if same else None),
        reason=d.reason or (base.reason if same else None),
        consequence=d.consequence or (base.consequence if same else None),
        holder=d.holder or (base.holder if same and d.status == "not_held" else None),
        redact=tuple(d.redact) or (base.redact if same and d.status == "partial" else ()),
        proposed=None,
    )


def classify(items: list[str], rules: list[Rule], decision: Decision | None = None) -> list[ItemResult]:
    """Decide every item by the rules, then apply the PPID's decision on top, item by item."""
    out = [_from_rule(no, text, match(text, rules)) for no, text in enumerate(items, 1)]
    for d in decision.items if decision else []:
        if 1 <= d.item <= len(out):
            out[d.item - 1] = _apply(out[d.item - 1], d)
    return out


def outcome(items: list[ItemResult]) -> str:
    """Request outcome from its items (spec section 4)."""
    statuses = [i.status for i in items]
    if not statuses or "review" in statuses:
        return "review"
    if all(s == "open" for s in statuses):
        return "granted"
    if any(s in GIVEN for s in statuses):
        return "partially_granted"
    if "exempt" in statuses:
        return "rejected"
    return "not_held"  # nothing given, every item not held or not documented


def grounds(items: list[ItemResult]) -> list[str]:
    """The Pasal 17 letters cited for withheld items, sorted, once each."""
    return sorted({i.ground for i in items if i.ground and i.status in CLOSING})


def proposing(rules: list[Rule]) -> list[Rule]:
    """The closing rules that only propose, for want of the office's decree (`ppid run` says how many)."""
    return [r for r in rules if not r.decides]


def proposing_note(rules: list[Rule]) -> str | None:
    """The one line `ppid run` prints at the start when closing rules only propose, else None."""
    waiting = proposing(rules)
    if not waiting:
        return None
    ids = ", ".join(r.id for r in waiting)
    return (f"{len(waiting)} exempt/partial rule(s) in information.yaml only propose ({ids}): no consequence_test "
            "names the office's decree, so their items wait for the PPID's decision")
