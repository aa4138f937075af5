"""Mail in: an .eml file read with the standard library's `email` package into a draft.

Sender, date, subject, the plain-text body and the PDF/JPEG/PNG attachments are taken
from the message. Whatever is odd about a message (an unknown character set, a broken
header, an attachment too large or of another type) becomes a note shown to the clerk;
the draft is made all the same, and nothing is written to the inbox until the clerk
saves the completed form.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import errno
import html
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _

from pipeline.loading import WITA

MAX_EML = 40 * 1024 * 1024  # a message file larger than this is not read at all


@dataclass
class Attachment:
    name: str
    data: bytes | None  # None when refused (see note)
    note: str = ""


@dataclass
class Draft:
    source: str
    sender_name: str = ""
    sender_email: str = ""
    received: str = ""  # 'YYYY-MM-DD HH:MM' WITA
    subject: str = ""
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _text(part, notes: list[str]) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError, ValueError) as exc:
        charset = part.get_content_charset() or "?"
        notes.append(_("The message text is in an unknown or broken character set (%(charset)s); it is shown "
                       "with unreadable characters replaced: check it against the original.", charset=charset))
        payload = part.get_payload(decode=True) or b""
        del exc
        return payload.decode("utf-8", errors="replace")


def _plain_from_html(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style).*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</p>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()


def read_eml(data: bytes, source: str, *, max_attachment: int) -> Draft:
    """A draft from a message's bytes; never raises for a bad message."""
    draft = Draft(source=source)
    if len(data) > MAX_EML:
        draft.notes.append(_("%(name)s is %(size).0f MB; messages over %(limit).0f MB are not read: save its "
                             "attachments and enter the request by hand.", name=source, size=len(data) / 1048576,
                             limit=MAX_EML / 1048576))
        return draft
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    except Exception:  # noqa: BLE001 - the parser is lenient; anything left is a broken file
        draft.notes.append(_("%(name)s cannot be read as an e-mail message; enter the request by hand.", name=source))
        return draft
    if msg.defects:
        draft.notes.append(_("The message has formatting defects; check the fields taken from it."))
    try:
        name, addr = email.utils.parseaddr(str(msg.get("From", "")))
    except Exception:  # noqa: BLE001 - a header the policy cannot parse
        name, addr = "", ""
        draft.notes.append(_("The sender cannot be read; fill in the requester by hand."))
    draft.sender_name, draft.sender_email = name.strip(), addr.strip()
    try:
        draft.subject = str(msg.get("Subject", "") or "").strip()
    except Exception:  # noqa: BLE001
        draft.notes.append(_("The subject cannot be read."))
    try:
        when = email.utils.parsedate_to_datetime(str(msg.get("Date")))
        if when.tzinfo is None:
            when = when.replace(tzinfo=WITA)
        draft.received = when.astimezone(WITA).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError, IndexError):
        draft.notes.append(_("The message has no readable date; enter when it was received."))

    try:
        body = msg.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001
        body = None
    if body is not None:
        text = _text(body, draft.notes)
        draft.body = _plain_from_html(text) if body.get_content_type() == "text/html" else text.strip()
    else:
        draft.notes.append(_("The message has no text."))

    for part in msg.walk():
        if part.is_multipart() or part is body:
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if disposition != "attachment" and not filename:
            continue
        name = filename or f"lampiran.{part.get_content_subtype()}"
        try:
            payload = part.get_payload(decode=True) or b""
        except Exception:  # noqa: BLE001
            payload = b""
        if len(payload) > max_attachment:
            draft.attachments.append(Attachment(name, None, _(
                "%(name)s is %(size).1f MB; an attachment is at most %(limit).0f MB, so it was not taken: ask the "
                "sender for a smaller scan.", name=name, size=len(payload) / 1048576, limit=max_attachment / 1048576)))
        elif not payload:
            draft.attachments.append(Attachment(name, None, _("%(name)s is empty or cannot be decoded; not taken.",
                                                              name=name)))
        else:
            draft.attachments.append(Attachment(name, payload))
    return draft


def read_bounded(path: Path) -> bytes:
    """A message file's bytes, at most MAX_EML + 1 of them (read_eml refuses more), never
    through a link nor from anything but a regular file (a FIFO, a device)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return fh.read(MAX_EML + 1)


def list_mail(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".eml" and p.is_file())


def received_default(draft: Draft, today: dt.date, now: dt.datetime) -> str:
    """The message's date when it is not after the processing date, else now."""
    if draft.received and draft.received[:10] <= today.isoformat():
        return draft.received
    return now.strftime("%Y-%m-%d %H:%M")
