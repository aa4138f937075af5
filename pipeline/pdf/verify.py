"""Verification codes, reading a letter's stamp back, and the checks of ``ppid verify``."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.files import sha256
from pipeline.pdf.reading import open_pdf, read_file_bytes
from pipeline.pdf.stamp import META_CODE, META_LETTER, META_REGISTER, StampInfo

# 32 symbols without 0/O and 1/I, so a code read off paper can be typed back.
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_CODE_RE = re.compile(r"\b([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})\b")


sha256_file = sha256  # pipeline.files: one SHA-256 of a file


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
    reader = open_pdf(pdf, read_file_bytes(pdf))
    try:
        meta = reader.metadata or {}
        values = {}
        for key in (META_CODE, META_LETTER, META_REGISTER):
            v = meta.get(key)
            values[key] = str(v.get_object()) if v is not None else ""
        if values[META_CODE]:
            return StampInfo(values[META_CODE], values[META_LETTER], values[META_REGISTER])
        # Metadata dropped (e.g. re-saved by a viewer): read the footer of page 1.
        text = reader.pages[0].extract_text() or ""
    except Exception:  # noqa: BLE001 - unreadable text layer: treat as not a ppid letter
        return None
    m = re.search(r"Kode verifikasi:\s*" + _CODE_RE.pattern, text)
    if not m:
        return None
    found = {k: (rx.search(text) or [None, ""])[1] for k, rx in _FOOTER_FIELDS.items()}
    return StampInfo(m.group(1), found["letter_no"], found["register_no"])


# ---------------------------------------------------------------------------
# ppid verify
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    """One line of ``ppid verify``: what was checked, whether it holds, and the detail."""

    name: str
    holds: bool
    detail: str


@dataclass
class Verdict:
    checks: list[Check]
    entry: dict[str, Any] | None  # the register's letter event, when the code is found

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.holds for c in self.checks)

    @property
    def reason(self) -> str:
        """The first check that does not hold, as one line."""
        return next((c.detail for c in self.checks if not c.holds), "")


def verify_letter(pdf: Path, codes: dict[str, dict[str, Any]], signing=None, *,
                  now: dt.datetime | None = None) -> Verdict:
    """Every check of ``ppid verify`` on one letter; reads, never writes.

    ``codes``: the register's letter events by verification code. ``signing``: the
    office's SigningConfig (its trust roots), or None. A signed letter is checked first:
    the signature, the certificate chain against the trust roots, the certificate's
    validity, and that nothing changed after signing; then, signed or not, the letter
    against the register (code, digest of the file, digest of the signature)."""
    from pipeline.pdf import sign as S

    pdf = Path(pdf)
    data = read_file_bytes(pdf)
    checks: list[Check] = []
    report = None
    if b"/ByteRange" in data:  # cheap test before pyHanko is imported
        try:
            roots = S.trust_roots(signing)
        except ValueError:
            roots = []
        report = S.validate(data, roots, now=now)
    if report is not None:
        from pipeline.formatting import datetime_id

        who = f"{report.signer}"
        when = f", signed {datetime_id(report.signed_at.astimezone(S._wita()))}" if report.signed_at else ""
        checks.append(Check("signature", report.intact,
                            f"the signature is sound ({who}{when})" if report.intact
                            else f"the signature does not match the signed content ({who})"))
        checks.append(Check("certificate chain", not report.chain,
                            "the certificate chains to a configured trust root" if not report.chain
                            else f"the certificate is not trusted: {report.chain}"))
        checks.append(Check("certificate validity", not report.expired,
                            "the certificate was valid when the letter was signed and is valid today"
                            if not report.expired else report.expired))
        checks.append(Check("unchanged since signing", not report.unchanged,
                            "nothing was changed after the letter was signed" if not report.unchanged
                            else report.unchanged))
    stamp = read_stamp(pdf)
    if stamp is None:
        checks.append(Check("verification code", False, f"{pdf} carries no ppid verification code"))
        return Verdict(checks, None)
    entry = codes.get(stamp.code)
    if entry is None:
        checks.append(Check("verification code", False,
                            f"code {stamp.code} is not in the register"))
        return Verdict(checks, None)
    checks.append(Check("verification code", True,
                        f"code {stamp.code} is letter {entry['letter_no']} ({entry['kind']}) of register "
                        f"{entry['register_no']}, issued {entry['date']}"))
    same = hashlib.sha256(data).hexdigest() == entry.get("sha256")
    checks.append(Check("file as issued", same,
                        "the file is byte for byte the one the register recorded" if same
                        else f"{pdf} was altered after it was issued (letter {entry['letter_no']}, code {stamp.code})"))
    recorded = entry.get("signature_digest")
    if recorded or report is not None:
        digest = report.digest if report is not None else ""
        if not recorded:
            checks.append(Check("signature in the register", False,
                                "the register records no signature for this letter, but the file is signed"))
        elif not digest:
            checks.append(Check("signature in the register", False,
                                "the register records a signature, but the file carries none"))
        else:
            checks.append(Check("signature in the register", digest == recorded,
                                "the signature is the one the register recorded" if digest == recorded
                                else "the signature is not the one the register recorded"))
    return Verdict(checks, entry)
