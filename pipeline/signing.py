"""The office's electronic-signature settings (``signing:`` in config/office.yaml), checked
when the config is read; pipeline.pdf.sign signs with them and pipeline.pdf.verify trusts
their roots. Kept apart from pipeline.pdf so that reading the config loads no PDF code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEYS = {"pkcs12", "passphrase_env", "trust_roots"}


@dataclass(frozen=True)
class SigningConfig:
    """``signing:`` of config/office.yaml, checked; paths resolved against the config folder."""

    pkcs12: Path
    passphrase_env: str
    trust_roots: tuple[Path, ...]
    source: Path  # office.yaml, for messages


def load_signing(value: Any, folder: Path, source: Path) -> SigningConfig | None:
    """Check ``signing:`` (None when absent). ConfigError names the key and how to fix it.

    The key is not opened here (that needs the passphrase, only ``ppid run`` has it);
    the files must exist and the trust roots must be certificates."""
    if value is None:
        return None
    where = f"{source}: signing"
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: must be a mapping with pkcs12, passphrase_env and trust_roots, "
                          "or left out to sign nothing")
    if "passphrase" in value:
        raise ConfigError(f"{where}.passphrase: never write the passphrase in config; name an "
                          "environment variable in passphrase_env and set the passphrase there")
    unknown = set(value) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                          "use pkcs12, passphrase_env, trust_roots")
    p12 = value.get("pkcs12")
    if not isinstance(p12, str) or not p12.strip():
        raise ConfigError(f"{where}.pkcs12: give the PKCS#12 file (.p12/.pfx) of the office's "
                          "certificate, relative to the config folder")
    p12_path = folder / p12
    if not p12_path.is_file():
        raise ConfigError(f"{where}.pkcs12: '{p12}' is not a file in {folder}")
    env = value.get("passphrase_env")
    if not isinstance(env, str) or not _ENV_NAME.fullmatch(env):
        raise ConfigError(f"{where}.passphrase_env: give the name of the environment variable "
                          "that holds the passphrase, like PPID_TTE_PASSPHRASE")
    roots = value.get("trust_roots")
    if isinstance(roots, str):
        roots = [roots]
    if not isinstance(roots, list) or not roots or not all(isinstance(r, str) and r.strip() for r in roots):
        raise ConfigError(f"{where}.trust_roots: give a list of root certificate files (PEM or DER) "
                          "that verify accepts, e.g. [tte/bsre-root.pem]")
    paths = []
    for r in roots:
        path = folder / r
        if not path.is_file():
            raise ConfigError(f"{where}.trust_roots: '{r}' is not a file in {folder}")
        try:
            load_certs(path)
        except ValueError:
            raise ConfigError(f"{where}.trust_roots: '{r}' is not a PEM or DER certificate") from None
        paths.append(path)
    return SigningConfig(p12_path, env, tuple(paths), source)


def load_certs(path: Path) -> list:
    """The certificates in a PEM or DER file (cryptography's x509), or ValueError."""
    from cryptography import x509

    data = Path(path).read_bytes()
    try:
        certs = (x509.load_pem_x509_certificates(data) if b"-----BEGIN" in data
                 else [x509.load_der_x509_certificate(data)])
    except Exception:  # noqa: BLE001 - cryptography raises several kinds on garbage
        raise ValueError(path) from None
    if not certs:
        raise ValueError(path)
    return certs
