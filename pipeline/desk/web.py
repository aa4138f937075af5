"""What every blueprint needs of the running desk: its state, settings and paths."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app

from .state import Desk, Settings


def desk() -> Desk:
    return current_app.extensions["desk"]


def settings() -> Settings:
    return current_app.extensions["desk_settings"]


def rel(path: Path | str | None) -> str:
    """A path as the desk names it: relative to the inbox root."""
    if not path:
        return ""
    try:
        return Path(path).resolve().relative_to(settings().inbox_root.resolve()).as_posix()
    except ValueError:
        return Path(path).name


def inbox_file(name: str) -> Path:
    """A request file named relative to the inbox root; never outside it (else 404)."""
    root = settings().inbox_root.resolve()
    path = (root / (name or "")).resolve()
    if not path.is_relative_to(root) or path.suffix not in (".yaml", ".yml") or not path.is_file():
        abort(404)
    return path
