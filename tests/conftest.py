"""Shared fixtures: the repository's own config, and request files written to a real inbox."""

from __future__ import annotations

import os

import pytest

from helpers import ROOT, TEMPLATES, TODAY, base_request, write_request  # noqa: F401 (fixtures' helpers)
from pipeline.config import load_config


if os.environ.get("PPID_FAST_LOOP") == "1":
    # `make test-fast` sets this: the fast loop does not wait for the disk (os.fsync is a no-op),
    # and runs fewer Hypothesis examples (helpers.examples). `make test` leaves it unset: every
    # test with the real fsync and every example.
    @pytest.fixture(autouse=True)
    def _no_fsync(monkeypatch):
        monkeypatch.setattr(os, "fsync", lambda fd: None)


@pytest.fixture(scope="session")
def cfg():
    return load_config(ROOT / "config")


@pytest.fixture
def inbox(tmp_path) -> Path:
    d = tmp_path / "inbox"
    d.mkdir()
    return d


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium driven by Playwright (no browser download), one per test module."""
    from playwright.sync_api import sync_playwright

    from desk_support import ARGS_CHROMIUM, CHROMIUM

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS_CHROMIUM)
        yield b
        b.close()
