"""Information rules (DIP/DIK, spec section 4): each requested item decided, then the outcome.

Matching: the item and the keywords are normalised alike (`pipeline.normalise`), and a
keyword matches whole words, also with an Indonesian suffix (`NIKnya`). Open rules match
in the rule profile; closing rules also in the strong one (`N I K`, `N1K`, `ɴɪᴋ`). When an item
matches an `open` rule and a closing rule (`exempt`, `partial`) anywhere in the list,
the first closing rule decides, the most protective reading; otherwise the first
matching rule decides.

A closing rule decides alone only when its `consequence_test` names the office's decree
(UU KIP Pasal 19; Perki 1/2021). Without one the item is `review`, with `proposed` = the
rule's status, until the PPID confirms or overrides it in the `decision` block, which
overrides rules item by item. Unmatched items are `review` too.

The personal-data screen (`pipeline.screen`) comes before any open rule: an item it flags
is never `open` by a rule. With no closing rule matching, it is `review` with
`proposed: partial`, the category's ground and `screen: <category>`, until the PPID decides.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

from pipeline import normalise
from pipeline.config import Rule
from pipeline.model import Decision, DecisionItem
from pipeline.screen import Screen

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
    proposed: str | None = None  # exempt | partial: what a closing rule without a decree, or the screen, proposes
    screen: str | None = None  # the personal-data category the screen flagged (spec section 4)
    grounds: tuple[str, ...] = ()  # every Pasal 17 letter when there are several; () means (ground,)

    @property
    def cited(self) -> tuple[str, ...]:
        """Every UU KIP Pasal 17 letter the item rests on, `ground` first."""
        return self.grounds or ((self.ground,) if self.ground else ())

    def as_json(self) -> dict:
        """The item as `ppid run --json` prints it (spec section 7); `proposed` only when a rule proposes."""
        out = {"text": self.text, "status": self.status, "rule": self.rule, "ground": self.ground}
        if self.proposed:
            out["proposed"] = self.proposed
        if self.screen:
            out["screen"] = self.screen
        return out

    @property
    def proposal(self) -> str | None:
        """What is proposed and by whom, for the register and `ppid due`: 'partial (DIK-01)', 'partial (screen: health)'."""
        if not self.proposed:
            return None
        return f"{self.proposed} ({self.rule or 'screen: ' + str(self.screen)})"


class _Matcher:
    """The rule list compiled for matching: every rule in the rule profile; closing rules, and the
    personal-data screen's terms, in one strong-profile index.

    The strong profile (spaced letters, styled letters, digit swaps, abbreviations) serves
    the closing rules and the screen only, so it never widens what an open rule matches
    (spec section 4). Closing rules are keyed by their position (an int), the screen's
    entries by tuples.
    """

    def __init__(self, rules: tuple[Rule, ...], screen: Screen | None):
        self.rules, self.screen = rules, screen
        self.plain = normalise.phrase_index(tuple((k, pos) for pos, r in enumerate(rules) for k in r.keywords))
        strong = [(k, pos) for pos, r in enumerate(rules) if r.closing for k in r.keywords]
        self.strong = normalise.phrase_index(tuple(strong + list(screen.entries() if screen else ())), "strong")

    def read(self, item: str) -> tuple[set[int], list[list[tuple]]]:
        """The positions of every rule with a keyword in the item, and the strong readings' spans."""
        plain, strong = normalise.both_views(item)
        hits = self.plain.keys(item, plain)
        readings = [list(self.strong.spans(v.split(" "))) for v in strong]
        hits.update(key for spans in readings for key, _, _ in spans if isinstance(key, int))
        return hits, readings


@functools.lru_cache(maxsize=16)
def _matcher(rules: tuple[Rule, ...], screen: Screen | None = None) -> _Matcher:
    return _Matcher(rules, screen)  # Rule and Screen hash by identity, so a loaded config is compiled once


def prepare(rules: list[Rule], screen: Screen | None) -> None:
    """Compile the rules and the screen now (before forking workers, which would each compile them)."""
    _matcher(tuple(rules), screen)
    normalise.prepare()


def matches(item: str, rules: list[Rule]) -> list[Rule]:
    """Every rule with a keyword in the item, in list order."""
    m = _matcher(tuple(rules))
    return [m.rules[p] for p in sorted(m.read(item)[0])]


def _decider(found: list[Rule]) -> Rule | None:
    """The first closing rule if any matches, else the first match."""
    return next((r for r in found if r.closing), found[0]) if found else None


def match(item: str, rules: list[Rule]) -> Rule | None:
    """The rule that decides the item: the first closing rule if any matches, else the first match."""
    return _decider(matches(item, rules))


def decide(no: int, text: str, rules: list[Rule], screen: Screen | None = None) -> ItemResult:
    """One item by the rules, after the personal-data screen when the decider would be an open rule or none."""
    m = _matcher(tuple(rules), screen)
    hits, readings = m.read(text)
    rule = _decider([m.rules[p] for p in sorted(hits)])
    if screen is not None and (rule is None or rule.status == "open"):
        category = screen.judge(readings)
        if category is not None:
            # spec section 4: never open by a rule; the PPID decides, the category proposes
            return ItemResult(no, text, "review", None, category.ground, category.basis, None, category.title,
                              None, None, category.redact, proposed="partial", screen=category.id,
                              grounds=category.grounds)
    return _from_rule(no, text, rule)


def _from_rule(no: int, text: str, rule: Rule | None) -> ItemResult:
    if rule is None:
        return ItemResult(no, text, "review")
    return ItemResult(
        no, text, rule.status if rule.decides else "review", rule.id, rule.ground, rule.basis,
        rule.consequence_test, None, rule.consequence, rule.holder, tuple(rule.redact),
        proposed=None if rule.decides else rule.status, grounds=rule.grounds,
    )


def _apply(base: ItemResult, d: DecisionItem) -> ItemResult:
    """The PPID's decision on one item; confirming what a rule said keeps its basis and redactions."""
    same = d.status in (base.status, base.proposed)
    closing = d.status in CLOSING
    return replace(
        base, status=d.status, rule="decision",
        ground=(d.ground or (base.ground if same else None)) if closing else None,
        grounds=_grounds_after(base, d, same) if closing else (),
        basis=d.basis or (base.basis if same else None),
        consequence_test=d.consequence_test or (base.consequence_test if same else None),
        reason=d.reason or (base.reason if same else None),
        consequence=d.consequence or (base.consequence if same else None),
        holder=d.holder or (base.holder if same and d.status == "not_held" else None),
        redact=tuple(d.redact) or (base.redact if same and d.status == "partial" else ()),
        proposed=None,
    )


def _grounds_after(base: ItemResult, d: DecisionItem, same: bool) -> tuple[str, ...]:
    """The Pasal 17 letters after the PPID's decision. A decision item names one ground (spec section 3);
    confirming the rule with one of the rule's own grounds and no basis of its own keeps every ground
    the rule's basis cites (DIK-01: huruf h angka 2 and huruf j), so the ground and the basis agree.
    A ground of its own, or a basis of its own, replaces them."""
    if same and (not d.ground or d.ground in base.cited) and not d.basis:
        return base.cited
    return (d.ground,) if d.ground else ()


def classify(items: list[str], rules: list[Rule], decision: Decision | None = None,
             screen: Screen | None = None) -> list[ItemResult]:
    """Decide every item by the rules behind the personal-data screen, then apply the PPID's decision on top.

    `screen` is the config's (`cfg.screen`); every caller that decides a request passes it.
    """
    out = [decide(no, text, rules, screen) for no, text in enumerate(items, 1)]
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
    """The Pasal 17 letters cited for withheld items (every one an item rests on), sorted, once each."""
    return sorted({g for i in items if i.status in CLOSING for g in i.cited})


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
