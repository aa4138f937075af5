"""Verification codes, and reading a letter's stamp back for ``ppid verify``."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pipeline.pdf.reading import _open_pdf, _read_bytes
from pipeline.pdf.stamp import _META_CODE, _META_LETTER, _META_REGISTER, StampInfo

# 32 symbols without 0/O and 1/I, so a code read off paper can be typed back.
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_CODE_RE = re.compile(r"\b([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})\b")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verification_code(pdf_bytes: bytes) -> str:
    """12 base-32 symbols (60 bits) of the SHA-256 of pdf_bytes, as XXXX-XXXX-XXXX."""
    n = int.from_bytes(hashlib.sha256(pdf_bytes).digest()[:8], "big") >> 4
    chars = "".join(_CODE_ALPHABET[(n >> (5 * i)) & 31] for i in reversed(range(12)))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


_FOOTER_FIELDS = {
    "register_no": re.compile(r"No\. Registrasi:\s*(.+?)\s*(?:\u00b7|\n|$)"),
    "letter_no": re.compile(r"Nomor Surat:\s*(.+?)\s*(?:\u00b7|\n|$)"),
}


def read_stamp(pdf: Path) -> StampInfo | None:
    """The stamp of a ppid letter (metadata, else the printed footer); None if unstamped."""
    pdf = Path(pdf)
    reader = _open_pdf(pdf, _read_bytes(pdf))
    try:
        meta = reader.metadata or {}
        values = {}
        for key in (_META_CODE, _META_LETTER, _META_REGISTER):
            v = meta.get(key)
            values[key] = str(v.get_object()) if v is not None else ""
        if values[_META_CODE]:
            return StampInfo(values[_META_CODE], values[_META_LETTER], values[_META_REGISTER])
        # Metadata dropped (e.g. re-saved by a viewer): read the footer of page 1.
        text = reader.pages[0].extract_text() or ""
    except Exception:  # noqa: BLE001 - unreadable text layer: treat as not a ppid letter
        return None
    m = re.search(r"Kode verifikasi:\s*" + _CODE_RE.pattern, text)
    if not m:
        return None
    found = {k: (rx.search(text) or [None, ""])[1] for k, rx in _FOOTER_FIELDS.items()}
    return StampInfo(m.group(1), found["letter_no"], found["register_no"])
