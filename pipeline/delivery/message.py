"""The e-mail of one letter (spec section 9): Indonesian subject and body naming the
register number, the letter's number and the status code; the letter's PDF attached and,
with a decision notice, the documents the PPID released.

Built with the standard library's `email` package (EmailMessage, policy SMTP: CRLF line
ends, RFC 2047 headers, base64 attachments); its Message-ID is fixed by the register and
letter numbers (state.message_id), and the bytes are written once to the outbox, so a
resend is the same message.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from pipeline.delivery.codes import status_url
from pipeline.wording import SERVICE_LABELS

LETTER_LABELS = {  # the letter kinds' names as a requester reads them (letters.REGISTRY labels)
    "receipt": "Tanda Bukti Penerimaan Permohonan",
    "incomplete_notice": "Pemberitahuan Kekurangan Persyaratan",
    "decision_notice": "Pemberitahuan Tertulis",
    "refusal_decree": "Keputusan PPID tentang Penolakan Permohonan Informasi Publik",
    "extension_notice": "Pemberitahuan Perpanjangan Jangka Waktu",
    "consultation_answer": "Surat Jawaban Konsultasi",
    "objection_receipt": "Tanda Bukti Penerimaan Keberatan",
    "objection_response": "Tanggapan atas Keberatan",
}


# CRLF and RFC 2047 as policy.SMTP, folding headers only past RFC 5322's 998 characters:
# at 78, Python folds a long Subject before its first word and readers show a leading space
SMTP_POLICY = policy.SMTP.clone(max_line_length=998)


class MessageError(Exception):
    """A message cannot be built (an attachment is gone, the address is not one)."""


@dataclass(frozen=True)
class Letter:
    """What a message says and carries."""

    register_no: str
    letter_no: str
    kind: str
    service: str
    requester_name: str
    to: str
    status_code: str
    pdf: Path
    released: tuple[Path, ...] = ()


def label(kind: str) -> str:
    try:
        from pipeline.letters import REGISTRY  # one home for a letter kind's name

        return REGISTRY[kind].label.split(" (")[0]
    except (ImportError, KeyError):
        return LETTER_LABELS.get(kind, kind)


def subject(letter: Letter) -> str:
    return f"{label(letter.kind)} Nomor {letter.letter_no} (Registrasi {letter.register_no})"


def body(letter: Letter, *, office: dict, base_url: str | None) -> str:
    service = SERVICE_LABELS.get(letter.service, "permohonan")
    url = status_url(base_url, letter.register_no, letter.status_code)
    lines = [
        f"Yth. Sdr./Sdri. {letter.requester_name},",
        "",
        f"Bersama pos-el ini kami sampaikan {label(letter.kind)} Nomor {letter.letter_no} atas {service} "
        f"Saudara dengan nomor registrasi {letter.register_no}. Surat tersebut terlampir dalam bentuk PDF; "
        "keasliannya dapat diperiksa dengan kode verifikasi yang tercantum pada bagian bawah surat.",
    ]
    if letter.released:
        lines += ["", f"Turut kami lampirkan {len(letter.released)} berkas informasi yang Saudara minta "
                      "sebagaimana disebutkan dalam pemberitahuan tertulis tersebut."]
    lines += ["",
              f"Status permohonan dapat Saudara periksa dengan nomor registrasi {letter.register_no} dan kode cek "
              f"status {letter.status_code}" + (f" pada {url}" if url else "") + ".",
              "",
              "Mohon membalas pos-el ini untuk memberitahukan bahwa surat telah Saudara terima.",
              "",
              "Hormat kami,",
              f"PPID {office.get('short') or ''}".strip(),
              office.get("address") or ""]
    return "\n".join(lines).rstrip() + "\n"


def build(letter: Letter, *, sender: str, message_id: str, office: dict, base_url: str | None,
          now) -> bytes:
    """The message's bytes (CRLF), with its Message-ID and Date fixed."""
    name, addr = parseaddr(letter.to)
    if "@" not in addr:
        raise MessageError(f"'{letter.to}' is not an e-mail address")
    msg = EmailMessage(policy=SMTP_POLICY)
    msg["From"] = sender
    try:
        msg["To"] = Address(display_name=letter.requester_name, addr_spec=addr)
    except (ValueError, IndexError) as exc:
        raise MessageError(f"'{letter.to}' is not an e-mail address ({exc})") from None
    msg["Subject"] = subject(letter)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    msg["X-PPID-Register"] = letter.register_no
    msg["X-PPID-Letter"] = letter.letter_no
    msg.set_content(body(letter, office=office, base_url=base_url))
    for path in (letter.pdf, *letter.released):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise MessageError(f"{path}: cannot be read ({exc.strerror}); restore the file, the message waits") from None
        ctype = mimetypes.guess_type(str(path))[0] or "application/octet-stream"
        maintype, _, subtype = ctype.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=Path(path).name)
    return msg.as_bytes()
