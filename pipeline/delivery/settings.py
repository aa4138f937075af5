"""`mail:` and `public_base_url` of config/office.yaml (spec section 9), checked; `staff:` as
config reads it.

A mistake is a ConfigError (exit 2) naming the file, the key and how to fix it.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.errors import ConfigError

SECURITY = ("starttls", "ssl", "none")
MAIL_KEYS = ("host", "port", "security", "username", "password_env", "from", "timeout", "retry_minutes",
             "max_attempts", "ca_file")
# back-off between attempts of one message: 5 min, 15 min, 1 h, 4 h, then every 4 h
DEFAULT_RETRY_MINUTES = (5, 15, 60, 240)


@dataclass(frozen=True)
class MailSettings:
    """The office's mail relay."""

    host: str
    port: int
    security: str
    sender: str
    username: str | None = None
    password_env: str | None = None
    timeout: float = 30.0
    retry_minutes: tuple[int, ...] = DEFAULT_RETRY_MINUTES
    max_attempts: int = 20  # temporary failures of one message before it waits for a person
    ca_file: str | None = None  # the office's own CA (PEM), relative to the config folder, beside the system's

    def password(self) -> str | None:
        """The password, read from the environment only (never from the config)."""
        if not self.password_env:
            return None
        value = os.environ.get(self.password_env)
        if value is None:
            raise ConfigError(f"mail.password_env: the environment variable {self.password_env} is not set; "
                              f"export {self.password_env}=… before sending, or remove username/password_env")
        return value

    @property
    def sender_address(self) -> str:
        return parseaddr(self.sender)[1]


@dataclass(frozen=True)
class DeliverySettings:
    mail: MailSettings | None
    public_base_url: str | None
    staff: tuple = field(default_factory=tuple)  # config.Person of `staff:`


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _mail(path: Path, raw: Any) -> MailSettings | None:
    if raw in (None, {}):
        return None
    where = f"{path}: mail"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a mapping with host, port, security and from (see README, E-mail)")
    unknown = sorted(set(raw) - set(MAIL_KEYS))
    if unknown:
        raise ConfigError(f"{where}.{unknown[0]} is unknown; the keys are {', '.join(MAIL_KEYS)}")
    host = raw.get("host")
    if not isinstance(host, str) or not host.strip():
        raise ConfigError(f"{where}.host is missing; give the office's mail relay, like smtp.example.go.id")
    security = raw.get("security", "starttls")
    if security not in SECURITY:
        raise ConfigError(f"{where}.security '{security}' is unknown; use starttls, ssl or none")
    if security == "none" and not is_loopback(host):
        raise ConfigError(f"{where}.security none sends letters and passwords in clear text: it is allowed only to a "
                          f"loopback host (127.0.0.1, ::1, localhost), not to '{host}'; use starttls or ssl")
    port = raw.get("port", {"starttls": 587, "ssl": 465, "none": 25}[security])
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ConfigError(f"{where}.port must be a port number like 587 (starttls) or 465 (ssl)")
    sender = raw.get("from")
    name, addr = parseaddr(str(sender or ""))
    if not sender or "@" not in addr:
        raise ConfigError(f"{where}.from is missing or not an address; write it like "
                          "\"PPID Nama Kantor <ppid@example.go.id>\"")
    try:
        Address(display_name=name, addr_spec=addr)
    except (ValueError, IndexError) as exc:
        raise ConfigError(f"{where}.from '{sender}' is not a valid address ({exc})") from None
    username = raw.get("username")
    password_env = raw.get("password_env")
    if username and not password_env:
        raise ConfigError(f"{where}: username is given but no password_env; name the environment variable "
                          "that holds the password, like PPID_SMTP_PASSWORD (never the password itself)")
    if "password" in str(password_env or "").lower() and " " in str(password_env):
        raise ConfigError(f"{where}.password_env must name an environment variable, not hold the password")
    minutes = raw.get("retry_minutes", list(DEFAULT_RETRY_MINUTES))
    if not isinstance(minutes, list) or not minutes or not all(isinstance(m, int) and m >= 0 for m in minutes):
        raise ConfigError(f"{where}.retry_minutes must be a list of whole minutes, like [5, 15, 60, 240]")
    attempts = raw.get("max_attempts", 20)
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
        raise ConfigError(f"{where}.max_attempts must be a whole number, at least 1")
    timeout = raw.get("timeout", 30)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ConfigError(f"{where}.timeout must be a number of seconds")
    return MailSettings(host=host.strip(), port=port, security=security, sender=str(sender),
                        username=str(username) if username else None,
                        password_env=str(password_env) if password_env else None, timeout=float(timeout),
                        retry_minutes=tuple(minutes), max_attempts=attempts,
                        ca_file=str(raw["ca_file"]) if raw.get("ca_file") else None)


def _base_url(path: Path, raw: Any) -> str | None:
    if raw in (None, ""):
        return None
    parts = urlsplit(str(raw))
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"{path}: public_base_url '{raw}' must be a web address like https://ppid.example.go.id "
                          "(the status page is its /cek)")
    return str(raw).rstrip("/")


def delivery_settings(cfg) -> DeliverySettings:
    """The delivery part of a loaded Config (its `raw` office.yaml), checked."""
    cached = getattr(cfg, "_delivery_settings", None)
    if cached is not None:
        return cached
    path = Path(cfg.folder) / "office.yaml"
    raw = cfg.raw or {}
    people = tuple(getattr(cfg, "staff", None) or ())  # config.Person: name, role, email (`staff:`)
    out = DeliverySettings(mail=_mail(path, raw.get("mail")), public_base_url=_base_url(path, raw.get("public_base_url")),
                           staff=people)
    try:
        object.__setattr__(cfg, "_delivery_settings", out)
    except AttributeError:
        pass
    return out
