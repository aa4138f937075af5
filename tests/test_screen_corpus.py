"""The evasion corpus (issue 17 item 2; STYLE rule 17): no disguise opened, aggregates and public names still open."""

from __future__ import annotations

import collections

import pytest

from pipeline import rules
import corpus_screen as corpus


@pytest.fixture(scope="module")
def decided(cfg):
    return [(family, rules.classify([item], cfg.rules, screen=cfg.screen)[0]) for item, family, _ in corpus.disguised()]


def test_corpus_sizes():
    items = corpus.disguised()
    assert len(items) >= 2000 and len(corpus.must_pass()) >= 300
    assert len({family for _, family, _ in items}) >= 12
    assert len(set(items)) >= 0.9 * len(items)  # mostly distinct items, not one item repeated
    assert set(corpus.HELD_BACK).isdisjoint(corpus.DESIGNED) and len(corpus.HELD_BACK) >= 2


def test_corpus_is_deterministic():
    assert corpus.disguised()[:50] == corpus.disguised()[:50]
    assert corpus.must_pass() == corpus.must_pass()


def test_no_disguise_is_opened(decided):
    opened = [(family, r.text) for family, r in decided if r.status == "open"]
    assert opened == []


def test_every_disguise_waits_for_the_ppid_or_is_withheld(decided):
    """Flagged by the screen, or proposed/decided by a closing rule: never decided open, never unexplained."""
    by_family = collections.Counter()
    for family, r in decided:
        assert r.screen or r.status in rules.CLOSING or r.proposed in rules.CLOSING, (family, r.text, r.status)
        by_family[family] += 1
    assert set(by_family) == set(corpus.FAMILIES)


def test_held_back_families_are_caught_too(decided):
    held = [r for family, r in decided if family in corpus.HELD_BACK]
    assert len(held) >= 2 * 100
    assert all(r.status != "open" for r in held)


def test_must_pass_items_stay_open(cfg):
    items = corpus.must_pass()
    results = [rules.classify([item], cfg.rules, screen=cfg.screen)[0] for item, _ in items]
    opened = sum(r.status == "open" for r in results)
    assert opened / len(items) >= 0.95, [r.text for r in results if r.status != "open"][:10]
    assert not any(r.screen for r in results if r.status == "open")
