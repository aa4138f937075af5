"""The desk's users: name, role, an argon2id password hash and a session counter, in a
JSON file (records/users.json).

Roles are defined once, in ROLES; each page names the roles that may open it
(pipeline.desk.roles). The session counter (`epoch`) is part of every session: raising it
ends every session of that user on every machine (logout, a new password, a disabled user).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pipeline.errors import UsageError
from pipeline.files import private_mkdir, write

# role -> what it is for (English: the CLI's help; the desk shows the catalog's words)
ROLES = {
    "clerk": "Front office (Sub Bagian Umum): intake, the inbox, mail-in, receipts",
    "ppid": "PPID officer: review queue, decisions, running the batch, letters, register, statistics",
    # UU 14/2008 Pasal 36: the objection is answered by the atasan pejabat PPID
    "atasan_ppid": "Atasan PPID: decides objections; sees the register and statistics",
    "analyst": "Analyst: due list, register and statistics without personal data, export",
}
MIN_PASSWORD = 10
NAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
_HASHER = PasswordHasher()  # argon2id, the library's current parameters


@functools.cache
def _dummy() -> str:
    """A hash to verify against for unknown names, so that they take the same time; made on
    first use (an argon2 hash costs a fifth of a second, which every command importing the
    desk paid)."""
    return _HASHER.hash("not a password of anyone")
_CACHE: dict[str, tuple[tuple[int, int, int], dict]] = {}  # path -> (stat, users): read again when it changes


def load(path: Path) -> dict[str, dict]:
    """name -> {role, hash, epoch, disabled}; an absent file has no users."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        return {}
    stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    hit = _CACHE.get(str(path))
    if hit and hit[0] == stamp:
        return hit[1]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read the desk's users ({exc}); restore it or add users again") from None
    users = data.get("users", {}) if isinstance(data, dict) else {}
    users = {k: v for k, v in users.items() if isinstance(v, dict)}
    _CACHE[str(path)] = (stamp, users)
    return users


def _save(path: Path, users: dict[str, dict]) -> None:
    private_mkdir(Path(path).parent)
    write(Path(path), (json.dumps({"users": users}, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    _CACHE.pop(str(path), None)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password has {len(password)} characters; use at least {MIN_PASSWORD}")


def add(path: Path, name: str, role: str, password: str) -> None:
    """Add a user, or set an existing user's role and password (their sessions end)."""
    if not NAME_RE.match(name):
        raise UsageError(f"user name '{name}': use 2-32 lowercase letters, digits, '.', '_' or '-', starting with a letter")
    if role not in ROLES:
        raise UsageError(f"role '{role}': use one of {', '.join(ROLES)}")
    _check_password(password)
    users = dict(load(path))
    old = users.get(name, {})
    users[name] = {**old, "role": role, "hash": _HASHER.hash(password), "epoch": int(old.get("epoch", 0)) + 1,
                   "disabled": False}
    _save(path, users)


def set_password(path: Path, name: str, password: str) -> None:
    """A new password; every session of the user ends."""
    _check_password(password)
    users = dict(load(path))
    if name not in users:
        raise UsageError(f"no user '{name}' in {path}")
    users[name] = {**users[name], "hash": _HASHER.hash(password), "epoch": epoch(path, name) + 1}
    _save(path, users)


def set_disabled(path: Path, name: str, disabled: bool) -> None:
    """Disable (or enable) a user; a disabled user's sessions end and cannot log in."""
    users = dict(load(path))
    if name not in users:
        raise UsageError(f"no user '{name}' in {path}")
    users[name] = {**users[name], "disabled": bool(disabled), "epoch": epoch(path, name) + 1}
    _save(path, users)


def remove(path: Path, name: str) -> None:
    users = dict(load(path))
    if users.pop(name, None) is None:
        raise UsageError(f"no user '{name}' in {path}")
    _save(path, users)


def end_sessions(path: Path, name: str) -> None:
    """Every session of this user ends (their next page asks them to log in)."""
    users = dict(load(path))
    if name in users:
        users[name] = {**users[name], "epoch": epoch(path, name) + 1}
        _save(path, users)


def epoch(path: Path, name: str) -> int:
    user = load(path).get(name) or {}
    try:
        return int(user.get("epoch", 0))
    except (TypeError, ValueError):
        return 0


def verify(path: Path, name: str, password: str) -> str | None:
    """The user's role when the password is right and the user is enabled, else None."""
    user = load(path).get(name)
    try:
        _HASHER.verify(user["hash"] if user else _dummy(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError, TypeError):
        return None
    return role_of(path, name)


def role_of(path: Path, name: str) -> str | None:
    user = load(path).get(name)
    if not user or user.get("disabled") or user.get("role") not in ROLES:
        return None
    return user["role"]
