"""One SMTP session with the office's relay: the standard library's `smtplib`.

Why smtplib and not a library: the job is one authenticated session that hands over a
prepared message and reports the server's reply codes; smtplib does exactly that, is
maintained with Python, verifies certificates through `ssl.create_default_context()`,
and passes DSN parameters (RFC 3461) as it is told. What a library would add (templates,
pooling, async) the outbox does not need.

Errors are sorted: a 5xx reply to the recipient or the message is *permanent* (the
address or the message is refused: it waits for a person); everything else (4xx,
connection refused, timeouts, a certificate that does not verify, a failed login) is
*temporary* and retried with back-off. A failure of the connection itself ends the
session: the other messages would meet the same server.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from pipeline.delivery.settings import MailSettings


@dataclass
class Failure(Exception):
    """A message was not accepted."""

    error: str
    permanent: bool
    connection: bool = False  # the server, not this message: stop the session

    def __str__(self) -> str:
        return self.error


def tls_context(settings: MailSettings, config_folder: Path | None = None) -> ssl.SSLContext:
    """Certificates verified against the system's roots (and the office's CA file, if named)."""
    cafile = getattr(settings, "ca_file", None)
    if cafile and config_folder is not None:
        cafile = str(Path(config_folder) / cafile)
    ctx = ssl.create_default_context()
    if cafile:
        ctx.load_verify_locations(cafile=cafile)
    return ctx


class Session:
    """An open, authenticated connection; `send` hands over one message."""

    def __init__(self, settings: MailSettings, *, config_folder: Path | None = None):
        self.settings = settings
        self.config_folder = config_folder
        self.smtp: smtplib.SMTP | None = None
        self.dsn = False

    def open(self) -> None:
        s = self.settings
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                        context=tls_context(s, self.config_folder))
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            smtp.ehlo()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    smtp.close()
                    raise Failure(f"{s.host}:{s.port} does not offer STARTTLS; nothing was sent in clear text "
                                  "(check mail.security and mail.port)", permanent=False, connection=True)
                smtp.starttls(context=tls_context(s, self.config_folder))
                smtp.ehlo()
            if s.username:
                smtp.login(s.username, s.password() or "")
            self.dsn = smtp.has_extn("dsn")
            self.smtp = smtp
        except Failure:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            raise Failure(f"{s.host}: login as {s.username} refused ({exc.smtp_code} {_text(exc.smtp_error)}); "
                          f"check mail.username and the password in {s.password_env}",
                          permanent=False, connection=True) from None
        except ssl.SSLCertVerificationError as exc:
            raise Failure(f"{s.host}:{s.port}: the server's certificate does not verify ({exc.verify_message}); "
                          "nothing was sent", permanent=False, connection=True) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise Failure(f"{s.host}:{s.port}: {_describe(exc)}", permanent=False, connection=True) from None

    def send(self, data: bytes, sender: str, recipient: str, envelope_id: str) -> str:
        """Hand over one message; the server's reply, or Failure."""
        if self.smtp is None:
            self.open()
        # RFC 3461: ask the receiving side to report delivery (a DSN shows receipt)
        rcpt_options = ["NOTIFY=SUCCESS,FAILURE"] if self.dsn else []
        mail_options = ["RET=HDRS", f"ENVID={_xtext(envelope_id)}"] if self.dsn else []
        try:
            refused = self.smtp.sendmail(sender, [recipient], data, mail_options=mail_options,
                                         rcpt_options=rcpt_options)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise Failure(f"{code} {_text(text)}", permanent=500 <= code < 600) from None
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused
            raise Failure(f"{exc.smtp_code} {_text(exc.smtp_error)}", permanent=500 <= exc.smtp_code < 600) from None
        except (OSError, smtplib.SMTPException) as exc:  # the connection dropped
            self.smtp = None
            raise Failure(_describe(exc), permanent=False, connection=True) from None
        if refused:
            code, text = next(iter(refused.values()))
            raise Failure(f"{code} {_text(text)}", permanent=500 <= code < 600)
        return "250 accepted"

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the mail server running? check mail.host and mail.port)"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "no answer in time"
    if isinstance(exc, socket.gaierror):
        return f"host name not found ({exc.strerror})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _xtext(value: str) -> str:
    """RFC 3461 xtext: '+' and '=' and anything outside printable ASCII as +HH."""
    return "".join(c if 33 <= ord(c) <= 126 and c not in "+=" else f"+{ord(c):02X}" for c in value)
