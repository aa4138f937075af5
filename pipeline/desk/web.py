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


def under(root: Path, name: str | None) -> Path | None:
    """`name` (a path a user gave) resolved under `root`, or None: outside it, or no path at
    all (a NUL byte, a name too long, a link loop), which `resolve()` and `stat` raise on."""
    if not isinstance(name, str) or "\x00" in name:
        return None
    try:
        top = Path(root).resolve()
        path = (top / name).resolve()
    except (ValueError, OSError, RuntimeError):
        return None
    return path if path.is_relative_to(top) else None


def inbox_file(name: str, root: Path | None = None) -> Path:
    """A request file named relative to the inbox root; never outside it, no path at all (else 404)."""
    path = under(root if root is not None else settings().inbox_root, name)
    try:
        if path is None or path.suffix not in (".yaml", ".yml") or not path.is_file():
            abort(404)
    except OSError:  # a name the file system refuses (too long)
        abort(404)
    return path
