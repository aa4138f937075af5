"""A throw-away PKI made at test time with `cryptography`: no key is ever committed.

``make_pki(folder)`` writes, under folder:

- ``ca.pem``: a root CA (the office's trust root in tests, as BSrE's root would be);
- ``signer.p12``: the office's signing certificate and key, issued by that CA;
- ``expired.p12``: a certificate of the same CA that expired yesterday;
- ``stranger.p12`` and ``stranger-ca.pem``: a certificate of another, unknown CA.

Every PKCS#12 file is protected with ``PASSPHRASE``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = "kata-sandi-uji"


@dataclass
class Pki:
    folder: Path
    ca: Path
    signer: Path
    expired: Path
    stranger: Path
    stranger_ca: Path


def _name(cn: str, org: str = "KPU Provinsi Nusa Tenggara Timur") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _ca(cn: str, now: dt.datetime):
    key = _key()
    name = _name(cn, "Balai Sertifikasi Elektronik (uji)")
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=30)).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def _leaf(cn: str, ca_key, ca_cert, not_before: dt.datetime, not_after: dt.datetime):
    key = _key()
    cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def _p12(path: Path, key, cert, ca_cert) -> Path:
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"ppid", key, cert, [ca_cert], serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    return path


def _pem(path: Path, cert) -> Path:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def make_pki(folder: Path) -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.timezone.utc)
    ca_key, ca = _ca("Root CA Uji ppid", now)
    key, cert = _leaf("Pejabat PPID KPU Provinsi NTT (uji)", ca_key, ca, now - dt.timedelta(days=1),
                      now + dt.timedelta(days=365))
    old_key, old = _leaf("Sertifikat Kedaluwarsa (uji)", ca_key, ca, now - dt.timedelta(days=400),
                         now - dt.timedelta(days=1))
    other_ca_key, other_ca = _ca("Root CA Tak Dikenal", now)
    s_key, s_cert = _leaf("Penanda Tangan Tak Dikenal", other_ca_key, other_ca, now - dt.timedelta(days=1),
                          now + dt.timedelta(days=365))
    return Pki(folder=folder, ca=_pem(folder / "ca.pem", ca),
               signer=_p12(folder / "signer.p12", key, cert, ca),
               expired=_p12(folder / "expired.p12", old_key, old, ca),
               stranger=_p12(folder / "stranger.p12", s_key, s_cert, other_ca),
               stranger_ca=_pem(folder / "stranger-ca.pem", other_ca))
