"""An outgoing letter, from LibreOffice's PDF to the file the office sends: stamp, then sign."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipeline.pdf.draw import write_pdf
from pipeline.errors import LetterError
from pipeline.pdf.stamp import read_letter, stamp_bytes


@dataclass(frozen=True)
class Issued:
    sha256: str  # of the file as written: what `ppid verify` compares
    signature_digest: str | None  # SHA-256 of what the signature covers; None when unsigned


def issue_letter(src: Path, dst: Path, *, register_no: str, letter_no: str, code: str, qr_payload: str,
                 signer=None, signatory: dict[str, str] | None = None) -> Issued:
    """Stamp src (footer, metadata, QR code) and, with a ``signer`` (sign.Signer), sign it
    (PAdES) with a visible signature in the signature block; write dst atomically.

    The signature comes last, over the stamp, so that nothing changes after signing. When
    the signature is visible it carries the QR code, and the footer has none."""
    from pipeline.pdf.sign import signature_digest, signature_place

    src, dst = Path(src), Path(dst)
    raw, reader = read_letter(src)
    place = None
    if signer is not None:
        place = signature_place(raw, reader, (signatory or {}).get("name", ""))
    data = stamp_bytes(src.name, raw, reader, register_no=register_no, letter_no=letter_no, code=code,
                       qr_payload=None if place else qr_payload)
    digest = None
    if signer is not None:
        try:
            data = signer.sign(data, place=place, signatory=signatory or {}, qr_payload=qr_payload)
        except Exception as exc:  # noqa: BLE001 - pyHanko's errors, as one line naming the letter
            raise LetterError(f"{src.name}: the letter cannot be signed ({exc}).") from None
        digest = signature_digest(data)
    write_pdf(dst, data)
    return Issued(hashlib.sha256(data).hexdigest(), digest)
