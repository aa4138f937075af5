"""Information rules (DIP/DIK, spec section 4): each requested item decided, then the outcome.

The first rule whose keyword occurs in the item as whole words decides it; unmatched
items wait for the PPID (`review`). The PPID's `decision` block overrides item by item.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pipeline.config import Rule
from pipeline.model import Decision


@dataclass(frozen=True)
class ItemResult:
    """How one requested item is decided."""

    no: int
    text: str
    status: str  # open | exempt | partial | not_held | review
    rule: str | None = None  # rule id, "decision" when the PPID decided, None for review
    ground: str | None = None  # UU KIP Pasal 17 letter
    basis: str | None = None
    consequence_test: str | None = None
    reason: str | None = None
    holder: str | None = None
    redact: tuple[str, ...] = field(default=())


def match(item: str, rules: list[Rule]) -> Rule | None:
    """The first rule with a keyword in the item (whole words, any case)."""
    for rule in rules:
        if rule.pattern.search(item):
            return rule
    return None


def classify(items: list[str], rules: list[Rule], decision: Decision | None = None) -> list[ItemResult]:
    """Decide every item by the rules, then apply the PPID's decision on top."""
    out = []
    for no, text in enumerate(items, 1):
        rule = match(text, rules)
        if rule is None:
            out.append(ItemResult(no, text, "review"))
        else:
            out.append(ItemResult(no, text, rule.status, rule.id, rule.ground, rule.basis,
                                  rule.consequence_test, rule.title or None, rule.holder, tuple(rule.redact)))
    for d in decision.items if decision else []:
        base = out[d.item - 1]
        out[d.item - 1] = replace(
            base, status=d.status, rule="decision",
            ground=d.ground if d.status in ("exempt", "partial") else None,
            basis=d.basis or (base.basis if d.status == base.status else None),
            consequence_test=d.consequence_test or (base.consequence_test if d.status == base.status else None),
            reason=d.reason, holder=d.holder, redact=tuple(d.redact),
        )
    return out


def outcome(items: list[ItemResult]) -> str:
    """Request outcome from its items (spec section 4)."""
    statuses = {i.status for i in items}
    if not statuses or "review" in statuses:
        return "review"
    if statuses == {"open"}:
        return "granted"
    if statuses == {"exempt"}:
        return "rejected"
    if statuses == {"not_held"}:
        return "not_held"
    return "partially_granted"


def grounds(items: list[ItemResult]) -> list[str]:
    """The Pasal 17 letters cited, sorted, once each."""
    return sorted({i.ground for i in items if i.ground and i.status in ("exempt", "partial")})
