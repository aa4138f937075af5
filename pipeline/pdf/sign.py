"""PAdES signatures on outgoing letters (pyHanko), and their validation for ``ppid verify``.

Indonesian government letters are signed electronically. A certified electronic
signature (tanda tangan elektronik tersertifikasi) has legal force when its signing data
belong to the signer alone and any change after signing can be detected (UU 11/2008 jo.
UU 19/2016 Pasal 11 ayat 1; PP 71/2019 Pasal 59 ayat 3), and it uses a certificate from an
Indonesian certification authority such as BSrE (PP 71/2019 Pasal 60 ayat 2-3). When the
office names its certificate in config/office.yaml::

    signing:
      pkcs12: tte/ppid.p12              # relative to the config folder
      passphrase_env: PPID_TTE_PASSPHRASE   # the passphrase is read from this variable only
      trust_roots: [tte/bsre-root.pem]  # roots ``ppid verify`` accepts

every outgoing letter is signed after it is stamped (stamp first, so the signature covers
the stamp), with a visible signature in the letter's signature block: who signs (the
letter's signatory), when, and the QR code. Without ``signing:`` nothing is signed and
everything works as before.

pyHanko is imported where used: commands that sign nothing do not pay for it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.signing import SigningConfig, load_certs, load_signing  # noqa: F401 (load_signing: for callers of this module)

SIGNATURE_FIELD = "TTE"
def trust_roots(sc: SigningConfig | None) -> list:
    """The configured trust roots (cryptography's x509)."""
    return [c for p in (sc.trust_roots if sc else ()) for c in load_certs(p)]


def _asn1(cert):
    """cryptography's certificate as asn1crypto's, which pyHanko speaks."""
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def _chain_problem(cert, chain: list, roots: list) -> str:
    """"" if cert leads, through chain, to one of roots (each signature checked), else why
    not. A pre-flight check with cryptography alone; ``ppid verify`` validates with pyHanko."""
    current = cert
    for _ in range(10):
        for issuer in [*roots, *chain]:
            if issuer.subject != current.issuer or issuer == current:
                continue
            try:
                current.verify_directly_issued_by(issuer)
            except Exception:  # noqa: BLE001 - a wrong signature or key type: not this issuer
                continue
            if issuer in roots:
                return ""
            current = issuer
            break
        else:
            return "issued by an unknown certificate authority"
    return "the chain of certificates is too long"


def _wita() -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Makassar")


def _import_pyhanko() -> None:
    try:
        import pyhanko.pdf_utils.incremental_writer  # noqa: F401
        import pyhanko.sign.signers  # noqa: F401
        import pyhanko.stamp  # noqa: F401
    except Exception:  # noqa: BLE001 - an import failing here fails again, loudly, where it is used
        pass


class Signer:
    """The office's key and certificate, loaded once per run.

    Checked and loaded with ``cryptography`` alone (fast); pyHanko (about a second of
    imports) is imported in the background once LibreOffice is converting (``warm``) and
    used from the first letter on."""

    def __init__(self, key, cert, chain: list) -> None:
        import threading

        self.key, self.cert, self.chain = key, cert, list(chain)
        self._signer = None
        self._lock = threading.Lock()
        from cryptography.hazmat.primitives.serialization import Encoding

        # room for the CMS (hex): the certificates it carries, the signature and attributes;
        # fixed, so pyHanko does not sign a dummy first to measure it
        der = sum(len(c.public_bytes(Encoding.DER)) for c in (cert, *self.chain))
        self._reserve = 2 * (der + 3072)
        self._warming = None

    def warm(self) -> None:
        """Import pyHanko (about a second) in the background, once: call it when the main
        thread is about to wait for LibreOffice, so the import takes no time from filling
        letters. The first signature waits for it if it has not finished."""
        import threading

        if self._warming is None:
            self._warming = threading.Thread(target=_import_pyhanko, name="import-pyhanko")
            self._warming.start()

    def _pyhanko(self):
        """pyHanko's signer over this key, made once (thread-safe)."""
        with self._lock:
            if self._signer is not None:
                return self._signer
            from asn1crypto import keys as asn1_keys
            from cryptography.hazmat.primitives import serialization as ser
            from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
            from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
            from pyhanko.sign import signers
            from pyhanko.sign.general import get_pyca_cryptography_hash
            from pyhanko_certvalidator.registry import SimpleCertificateStore

            pyca_key = self.key

            class _Cached(signers.SimpleSigner):
                # pyHanko's SimpleSigner parses the private key again for every signature
                # (30 ms for RSA-2048, most of the signing time); the parsed key is kept.
                def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
                    mech = self.get_signature_mechanism_for_digest(digest_algorithm)
                    if isinstance(pyca_key, RSAPrivateKey) and mech.signature_algo == "rsassa_pkcs1v15":
                        return pyca_key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
                    return super().sign_raw(data, digest_algorithm)

            asn_cert = _asn1(self.cert)
            asn_key = asn1_keys.PrivateKeyInfo.load(self.key.private_bytes(
                ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption()))
            self._signer = _Cached(signing_cert=asn_cert, signing_key=asn_key, cert_registry=SimpleCertificateStore
                                   .from_certs([asn_cert, *map(_asn1, self.chain)]))
            return self._signer

    @classmethod
    def from_pkcs12(cls, path: Path, passphrase: str | None) -> Signer:
        """Open a PKCS#12 file; ValueError with a plain reason when it cannot be opened."""
        from cryptography.hazmat.primitives.serialization import pkcs12

        try:
            key, cert, chain = pkcs12.load_key_and_certificates(
                Path(path).read_bytes(), passphrase.encode() if passphrase else None)
        except (ValueError, TypeError):
            raise ValueError("wrong passphrase, or not a PKCS#12 file") from None
        if key is None or cert is None:
            raise ValueError("the file holds no private key and certificate")
        return cls(key, cert, list(chain or []))

    @classmethod
    def from_config(cls, sc: SigningConfig, *, environ=None, now: dt.datetime | None = None) -> Signer:
        """The office's signer, checked before any letter is signed: ConfigError if the
        passphrase is not set or wrong, the certificate is expired or not yet valid, or it
        does not chain to a configured trust root (then no letter would verify)."""
        environ = os.environ if environ is None else environ
        where = f"{sc.source}: signing"
        passphrase = environ.get(sc.passphrase_env)
        if passphrase is None:
            raise ConfigError(f"{where}: the environment variable {sc.passphrase_env} is not set; set it to "
                              f"the passphrase of {sc.pkcs12.name} before 'ppid run' (or remove 'signing:')")
        try:
            signer = cls.from_pkcs12(sc.pkcs12, passphrase)
        except ValueError as exc:
            raise ConfigError(f"{where}.pkcs12: {sc.pkcs12.name} cannot be opened ({exc}); check "
                              f"{sc.passphrase_env}") from None
        now = now or dt.datetime.now(dt.timezone.utc)
        cert = signer.cert
        if now > cert.not_valid_after_utc:
            raise ConfigError(f"{where}.pkcs12: the certificate in {sc.pkcs12.name} expired on "
                              f"{cert.not_valid_after_utc:%Y-%m-%d}; renew it (BSrE) before signing letters")
        if now < cert.not_valid_before_utc:
            raise ConfigError(f"{where}.pkcs12: the certificate in {sc.pkcs12.name} is valid only from "
                              f"{cert.not_valid_before_utc:%Y-%m-%d}")
        problem = _chain_problem(cert, signer.chain, trust_roots(sc))
        if problem:
            raise ConfigError(f"{where}: the certificate in {sc.pkcs12.name} does not chain to a trust root in "
                              f"trust_roots ({problem}); letters signed with it would not verify")
        return signer

    def sign(self, data: bytes, *, place: tuple[int, tuple[int, int, int, int]] | None,
             signatory: dict[str, str], qr_payload: str, when: dt.datetime | None = None) -> bytes:
        """data signed (PAdES B-B, SHA-256) as an incremental update; a visible signature
        at ``place`` (page index, box in page points), else an invisible one."""
        from pyhanko.pdf_utils.font.basic import SimpleFontEngineFactory
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.pdf_utils.text import TextBoxStyle
        from pyhanko.sign import fields, signers
        from pyhanko.stamp import QRStampStyle

        from pipeline.formatting import datetime_id

        when = (when or dt.datetime.now(dt.timezone.utc)).astimezone(_wita())
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        meta = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
            name=signatory.get("name") or None, location=signatory.get("office") or None,
            reason=f"Ditandatangani sebagai {signatory.get('title')}" if signatory.get("title") else None)
        spec = (fields.SigFieldSpec(SIGNATURE_FIELD, on_page=place[0], box=place[1]) if place
                else fields.SigFieldSpec(SIGNATURE_FIELD))
        style = QRStampStyle(
            stamp_text="Ditandatangani secara elektronik oleh\n%(name)s\n%(title)s\n%(when)s",
            border_width=0, innsep=1,
            text_box_style=TextBoxStyle(font=SimpleFontEngineFactory("Helvetica", 0.5), font_size=7, leading=8))
        pdf_signer = signers.PdfSigner(meta, self._pyhanko(), stamp_style=style, new_field_spec=spec)
        params = {"url": qr_payload, "name": signatory.get("name", ""), "title": signatory.get("title", ""),
                  "when": datetime_id(when)}
        out = pdf_signer.sign_pdf(writer, bytes_reserved=self._reserve, appearance_text_params=params,
                                  in_place=False)
        return out.getvalue()


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def _words(data: bytes, page: int) -> list[tuple[str, float, float, float, float]] | None:
    """The words of page (1-based) with their boxes (x0, top, x1, bottom; y down from the
    page's top), by poppler's pdftotext: a few ms of C, where pypdf's text extraction
    takes ten times as long. None without pdftotext."""
    import html
    import shutil
    import subprocess

    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "-bbox", "-f", str(page), "-l", str(page), "-", "-"], input=data,
                             capture_output=True, timeout=60, check=True).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return None
    return [(html.unescape(m[4]), float(m[0]), float(m[1]), float(m[2]), float(m[3])) for m in _WORD.findall(out)]


def signature_place(data: bytes, reader, name: str) -> tuple[int, tuple[int, int, int, int]] | None:
    """Where the visible signature goes: the blank space above the signatory's name in the
    letter's signature block (the room left for a wet signature), as (page index, box in
    points).

    Found from the words' positions on the page (pdftotext), last page first; None when
    the name is not there (a template without the usual block) or there is no room: the
    signature is then invisible, and the letter keeps its QR code in the footer."""
    target = name.split()
    if not target:
        return None
    for index in range(len(reader.pages) - 1, -1, -1):
        page = reader.pages[index]
        if page.rotation % 360:
            return None
        words = _words(data, index + 1)
        if words is None:
            return None
        starts = [k for k in range(len(words) - len(target) + 1)
                  if [w[0] for w in words[k:k + len(target)]] == target
                  and all(abs(w[2] - words[k][2]) < 1 for w in words[k:k + len(target)])]
        if not starts:
            continue
        k = max(starts, key=lambda k: words[k][2])  # the lowest: the signature block's
        x0, top = words[k][1], words[k][2]
        x1 = words[k + len(target) - 1][3]
        centre = (x0 + x1) / 2
        column = (x0 - 100, x1 + 100)
        above = [w for w in words if w[4] <= top and w[3] > column[0] and w[1] < column[1]]
        if not above:
            continue
        ceiling = max(w[4] for w in above)  # the bottom of the line just above the gap
        box = page.cropbox
        height, right = float(box.height), float(box.right)
        if top - ceiling < 26:  # under ~0.9 cm: no room for a readable QR code
            return None
        cm = 72 / 2.54
        half = min(4.1 * cm, right - 1.0 * cm - centre, centre - float(box.left) - 1.0 * cm)
        rect = (centre - half, float(box.bottom) + height - top + 1, centre + half, float(box.bottom) + height - ceiling - 1)
        if any(w[1] < centre + half and w[3] > centre - half and w[2] < top - 1 and w[4] > ceiling + 1 for w in words):
            return None  # something else in the gap: no place that is surely blank
        return index, tuple(round(v) for v in rect)  # pyHanko wants whole points
    return None


_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def signature_digest(data: bytes) -> str | None:
    """SHA-256 (hex) of what the last signature in data signs (its /ByteRange): the
    digest the register records. None if data carries no signature."""
    found = list(_BYTE_RANGE.finditer(data))
    if not found:
        return None
    a, b, c, d = (int(v) for v in found[-1].groups())
    return hashlib.sha256(data[a:a + b] + data[c:c + d]).hexdigest()


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------

@dataclass
class SignatureReport:
    """What pyHanko's validator found in a signed letter."""

    signer: str  # the certificate's subject
    signed_at: dt.datetime | None  # as the signer states it
    intact: bool  # the signed bytes hash to the signed digest and the signature is sound
    chain: str  # "" if the certificate chains to a configured trust root, else why not
    expired: str  # "" if the certificate was valid when signed and is valid now, else when it ran out
    unchanged: str  # "" if nothing was added or changed after signing, else what
    digest: str  # of the signed byte ranges


def _validate_cert(cert, roots: list, registry, now: dt.datetime) -> str:
    """"" if cert chains to one of roots at ``now``, else the validator's reason."""
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    if not roots:
        return "no trust roots configured"
    vc = ValidationContext(trust_roots=roots, other_certs=list(registry), allow_fetching=False,
                           revocation_mode="soft-fail", moment=now)
    import asyncio

    try:
        asyncio.run(CertificateValidator(cert, validation_context=vc).async_validate_path())
    except PathBuildingError:
        return "issued by an unknown certificate authority"
    except PathValidationError as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - the validator's other complaints, in its words
        return str(exc) or type(exc).__name__
    return ""


def validate(data: bytes, roots: list, *, now: dt.datetime | None = None) -> SignatureReport | None:
    """Validate the letter's signature with pyHanko; None if it carries none."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    now = now or dt.datetime.now(dt.timezone.utc)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - an unreadable file has no readable signature
        return None
    if not sigs:
        return None
    sig = sigs[-1]
    roots = [_asn1(r) for r in roots]
    vc = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=now)
    cert = sig.signer_cert
    subject = cert.subject.human_friendly if cert is not None else "unknown"
    try:
        status = validate_pdf_signature(sig, vc)
    except (SignatureValidationError, ValueError) as exc:
        return SignatureReport(subject, None, False, "not checked", "not checked",
                               f"the signature cannot be read ({exc})", signature_digest(data) or "")
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    signed_at = status.signer_reported_dt
    not_after = cert["tbs_certificate"]["validity"]["not_after"].native
    not_before = cert["tbs_certificate"]["validity"]["not_before"].native
    if signed_at is not None and not (not_before <= signed_at <= not_after):
        expired = f"the certificate was not valid when the letter was signed (valid {not_before:%Y-%m-%d} to {not_after:%Y-%m-%d})"
    elif now > not_after:
        expired = f"the certificate expired on {not_after:%Y-%m-%d}"
    else:
        expired = ""
    if not roots:
        chain = "no trust roots configured (signing.trust_roots in office.yaml)"
    else:  # judged at a moment the certificate was valid: an expiry is `expired`'s to report
        chain = _validate_cert(cert, roots, sig.other_embedded_certs, min(max(now, not_before), not_after))
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE or status.modification_level not in (
            ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        unchanged = "the file was changed after it was signed"
    elif not status.intact or not status.valid:
        unchanged = "the signed content does not match its signature"
    else:
        unchanged = ""
    return SignatureReport(subject, signed_at, bool(status.intact and status.valid), chain, expired, unchanged,
                           signature_digest(data) or "")
