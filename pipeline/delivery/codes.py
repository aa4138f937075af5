"""The request's status code (spec section 3): the key of the public status page.

Eight characters drawn with `secrets` from an alphabet without look-alikes (no 0/O,
1/I/L), so that a requester can type it from a printed receipt. With 31 symbols that is
31**8 ≈ 8.5e11 codes, and the page is rate-limited, so guessing one is not practical.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlencode

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
_SHAPE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")


def new_status_code() -> str:
    """A fresh random status code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def clean(code: str | None) -> str | None:
    """A code as typed (spaces, dashes, lower case) in its printed form, or None if it cannot be one."""
    if not code:
        return None
    text = re.sub(r"[\s\-]", "", str(code)).upper()
    return text if _SHAPE.fullmatch(text) else None


def status_url(base: str | None, register_no: str, code: str) -> str:
    """The public status page of a request, when the office publishes one (`public_base_url`)."""
    if not base:
        return ""
    return f"{base.rstrip('/')}/cek?{urlencode({'no': register_no, 'kode': code})}"
