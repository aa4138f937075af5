"""Which registered request a request file belongs to, and whether it may change it.

A file names its request by `register_no:` (a supplement filed elsewhere), else by its
key (inbox, file, minute received). A file in the same inbox under the same name is the
same request even when its `received` was corrected (issue 12 item 11): the number is
kept and the run says so. A file that would change a request must come from the same
requester for the same service (item 5), and a purged request stays closed (item 3).
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.model import Request
from pipeline.register import Record, Register


def file_part(key: str) -> str:
    """The inbox-and-file part of a request key (without '@received')."""
    return key.rsplit("@", 1)[0]


def file_index(reg: Register) -> dict[str, str]:
    """Inbox-and-file -> register number (the latest, should a name have been reused)."""
    return {file_part(key): rno for key, rno in reg.by_key.items()}


def same_file(reg: Register, req: Request, index: dict[str, str] | None = None) -> Record | None:
    """The request registered from this very file (same inbox, same name), if any."""
    rno = (index if index is not None else file_index(reg)).get(file_part(req.key))
    return reg.records.get(rno) if rno else None


def _name(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(re.findall(r"\w+", folded))


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def mismatch(rec: Record, req: Request) -> str | None:
    """Why `req` may not change `rec` (another service or another requester), or None.

    The name must match (letter case, spacing and punctuation aside); the identity
    number must match when both give one (a supplement may bring the one that was missing)."""
    service = rec.row.get("service")
    if service and req.service != service:
        return f"is a {req.service} request, but {rec.register_no} is a {service} request"
    old, new = _name(rec.row.get("requester_name")), _name(req.requester.name)
    if old and new != old:
        return (f"is from '{req.requester.name or ''}', but {rec.register_no} was filed by "
                f"'{rec.row.get('requester_name')}'")
    old_id, new_id = _digits((rec.personal or {}).get("identity_number")), _digits(req.requester.identity.number)
    if old_id and new_id and old_id != new_id:
        return f"gives another identity number than the one registered with {rec.register_no}"
    return None
