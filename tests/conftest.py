"""Shared fixtures: the repository's own config, and request files written to a real inbox."""

from __future__ import annotations

import pytest

from helpers import ROOT, TEMPLATES, TODAY, base_request, write_request  # noqa: F401 (fixtures' helpers)
from pipeline.config import load_config


@pytest.fixture(scope="session")
def cfg():
    return load_config(ROOT / "config")


@pytest.fixture
def inbox(tmp_path) -> Path:
    d = tmp_path / "inbox"
    d.mkdir()
    return d
