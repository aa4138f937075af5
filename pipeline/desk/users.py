"""The desk's users: name, role and an argon2id password hash, in a JSON file (records/users.json).

Roles and what each may open are defined once, in ROLES; pipeline.desk.app checks them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pipeline.errors import UsageError
from pipeline.files import private_mkdir, write

# role -> what it is for; the pages of each role are marked in app.py with @role(...)
ROLES = {
    "clerk": "Front office (Sub Bagian Umum): intake, today's inbox, mail-in, receipts",
    "ppid": "PPID officer: review queue, decisions, running the batch, letters, register, statistics",
    "analyst": "Analyst: due list, register and statistics without personal data, export",
}
MIN_PASSWORD = 10
NAME_RE = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
_HASHER = PasswordHasher()  # argon2id, the library's current parameters
_DUMMY = _HASHER.hash("not a password of anyone")  # for unknown names: the same time spent


def load(path: Path) -> dict[str, dict]:
    """name -> {role, hash}; an absent file has no users."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read the desk's users ({exc}); restore it or add users again") from None
    return data.get("users", {}) if isinstance(data, dict) else {}


def add(path: Path, name: str, role: str, password: str) -> None:
    """Add a user, or set an existing user's role and password."""
    if not NAME_RE.match(name):
        raise UsageError(f"user name '{name}': use 2-32 lowercase letters, digits, '.', '_' or '-', starting with a letter")
    if role not in ROLES:
        raise UsageError(f"role '{role}': use one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password has {len(password)} characters; use at least {MIN_PASSWORD}")
    users = load(path)
    users[name] = {"role": role, "hash": _HASHER.hash(password)}
    private_mkdir(Path(path).parent)
    write(Path(path), (json.dumps({"users": users}, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def verify(path: Path, name: str, password: str) -> str | None:
    """The user's role when the password is right, else None."""
    user = load(path).get(name)
    try:
        _HASHER.verify(user["hash"] if user else _DUMMY, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return user["role"] if user and user.get("role") in ROLES else None


def role_of(path: Path, name: str) -> str | None:
    user = load(path).get(name)
    return user.get("role") if user and user.get("role") in ROLES else None
