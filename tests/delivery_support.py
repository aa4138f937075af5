"""A real SMTP server (aiosmtpd) on a free loopback port, a throwaway CA, and a register
with real issued letters, for the delivery tests."""

from __future__ import annotations

import datetime as dt
import email
import ipaddress
import shutil
import socket
import ssl
import threading
from email import policy
from pathlib import Path

import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "inbox"
USER, PASSWORD = "ppid.ntt", "rahasia-uji-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    """Keeps every message the server accepted; replies as told (a list of codes, used in turn)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []
        self.envelopes: list[dict] = []
        self.rcpt_replies: list[str] = []  # e.g. ["451 4.3.0 try later"]: one per RCPT, then 250
        self.on_rcpt = None  # called before the reply (a test kills the client here)
        self.on_data = None  # called after the message is kept, before 250
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if getattr(server, "dsn", False):
            responses.insert(-1, "250-DSN")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.on_rcpt:
            self.on_rcpt()
        with self.lock:
            if self.rcpt_replies:
                return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.raw.append(envelope.content)
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
            self.envelopes.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                   "mail_options": list(envelope.mail_options),
                                   "rcpt_options": list(getattr(server, "last_rcpt_params", []))})
        if self.on_data:
            self.on_data()
        return "250 2.0.0 queued"

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.messages]


class DsnSMTP(SMTP):
    """aiosmtpd with the DSN extension (RFC 3461) announced: NOTIFY, RET and ENVID accepted."""

    dsn = True

    async def smtp_MAIL(self, arg):
        if arg:
            kept = [p for p in arg.split() if not p.upper().startswith(("RET=", "ENVID="))]
            self.last_mail_params = [p for p in arg.split() if p not in kept]
            arg = " ".join(kept)
        return await super().smtp_MAIL(arg)

    async def smtp_RCPT(self, arg):
        if arg:
            kept = [p for p in arg.split() if not p.upper().startswith(("NOTIFY=", "ORCPT="))]
            self.last_rcpt_params = [p for p in arg.split() if p not in kept]
            arg = " ".join(kept)
        return await super().smtp_RCPT(arg)


class Server(Controller):
    """aiosmtpd on 127.0.0.1:<free port>; `dsn` announces DSN; `tls` a server SSLContext for STARTTLS;
    `auth` requires a login (USER, PASSWORD)."""

    def __init__(self, sink: Sink, *, port: int | None = None, dsn: bool = False, tls: ssl.SSLContext | None = None,
                 auth: bool = False):
        self.dsn = dsn
        kwargs = {}
        if tls is not None:
            kwargs.update(tls_context=tls, require_starttls=True)
        if auth:
            kwargs.update(authenticator=_authenticator, auth_required=True, auth_require_tls=tls is not None)
        super().__init__(sink, hostname="127.0.0.1", port=port or free_port(), **kwargs)
        self._tls = tls

    def factory(self):
        cls = DsnSMTP if self.dsn else SMTP
        return cls(self.handler, **self.SMTP_kwargs)

    def _trigger_server(self):
        # with STARTTLS required, the controller's own probe must not fail on it
        with socket.create_connection((self.hostname, self.port), timeout=5) as s:
            s.recv(1024)
            s.sendall(b"QUIT\r\n")
            s.recv(1024)


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and \
        auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


# --- a throwaway CA ----------------------------------------------------------------------------


def make_ca(folder: Path, name: str = "Uji CA") -> tuple[Path, object, object]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    path = folder / f"{name.replace(' ', '-').lower()}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path, cert, key


def server_tls(folder: Path, ca_cert, ca_key, *, host: str = "127.0.0.1") -> ssl.SSLContext:
    """A server context with a certificate for `host` issued by the CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    crt, pem = folder / f"server-{id(cert)}.crt", folder / f"server-{id(cert)}.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(crt, pem)
    return ctx


# --- config and register ---------------------------------------------------------------------


def config_with(folder: Path, **extra) -> Path:
    """A copy of the shipped config with `extra` keys (mail:, public_base_url:, staff:) in office.yaml."""
    dst = folder / "config"
    if not dst.exists():
        shutil.copytree(ROOT / "config", dst)
    office = dst / "office.yaml"
    data = yaml.safe_load(office.read_text(encoding="utf-8"))
    data.update(extra)
    office.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dst


def mail_config(port: int, **over) -> dict:
    return {"host": "127.0.0.1", "port": port, "security": "none",
            "from": "PPID KPU Provinsi NTT <ppid@kpu-ntt.example>", "retry_minutes": [0], **over}


def inbox_with(folder: Path, names: list[str], *, edit=None) -> Path:
    """An inbox with the named example files (and their attachments)."""
    inbox = folder / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    shutil.copytree(EXAMPLES / "lampiran", inbox / "lampiran", dirs_exist_ok=True)
    for n in names:
        text = (EXAMPLES / n).read_text(encoding="utf-8")
        if edit:
            text = edit(n, text)
        (inbox / n).write_text(text, encoding="utf-8")
    return inbox


def pdf_attachments(msg) -> list[tuple[str, bytes]]:
    return [(p.get_filename(), p.get_content()) for p in msg.iter_attachments()
            if p.get_content_type() == "application/pdf"]


def dsn_message(message_id: str, action: str = "delivered", arrival: str = "Sat, 28 Nov 2026 02:09:00 +0000") -> bytes:
    """A delivery status notification as a relay writes it (RFC 3464, RET=HDRS)."""
    return (
        "From: MAILER-DAEMON@relay.example\r\nTo: ppid@kpu-ntt.example\r\n"
        "Subject: Delivery Status Notification\r\nDate: Sat, 28 Nov 2026 02:10:00 +0000\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message was delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; relay.example\r\nArrival-Date: {arrival}\r\n\r\n"
        f"Final-Recipient: rfc822; a@example.org\r\nAction: {action}\r\nStatus: 2.0.0\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {message_id}\r\nSubject: x\r\n\r\n--B--\r\n").encode()
