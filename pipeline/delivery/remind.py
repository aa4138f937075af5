"""`ppid remind`: each officer in `staff:` gets one digest of what is theirs (spec section 7).

Who gets what is one table, DUTIES, keyed by the `role` of `staff:`:

- ppid: information requests, consultations and complaints due within N working days or
  overdue; e-mails refused or failing; the annual report near its deadline;
- atasan_ppid: objections to answer (UU KIP Pasal 36 ayat 2);
- clerk: letters to hand over, post or send by WhatsApp, and e-mails owed.

The annual report (Laporan Layanan Informasi Publik) goes to the Komisi Informasi within
three months after the budget year ends, i.e. by 31 March (Perki 1/2021 Pasal 56, as
published summaries give it); from 15 working days before that day it is in the PPID's
digest. Pure: `digests` takes the register, the config and the date and returns text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.formatting import date_id
from pipeline.wording import SERVICE_LABELS

DUTIES = {
    "ppid": ("requests", "mail_problems", "annual_report"),
    "atasan_ppid": ("objections",),
    "clerk": ("handovers", "mail_problems"),
}
REPORT_DEADLINE = (3, 31)  # 31 March: Perki 1/2021 Pasal 56 (three months after the budget year)
REPORT_LEAD_DAYS = 15  # working days before it that the reminder starts


@dataclass
class Digest:
    name: str
    email: str
    role: str
    lines: list[str] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return f"Pengingat PPID: {len(self.lines)} hal perlu ditindaklanjuti"

    def text(self, today: dt.date) -> str:
        head = [f"Yth. {self.name},", "",
                f"Berikut hal yang menjadi tanggung jawab Saudara per {date_id(today)}:", ""]
        return "\n".join(head + [f"- {line}" for line in self.lines] + ["", "Pesan ini dikirim oleh ppid."]) + "\n"


def report_due(today: dt.date, calendar) -> dt.date | None:
    """31 March of this year when it is within REPORT_LEAD_DAYS working days (or today), else None."""
    deadline = dt.date(today.year, *REPORT_DEADLINE)
    if today > deadline:
        return None
    return deadline if calendar.working_days(today, deadline) <= REPORT_LEAD_DAYS else None


def items(reg, cfg, today: dt.date, within: int) -> dict[str, list[str]]:
    """What is due, by duty, as Indonesian lines."""
    from pipeline.deadlines import due_list
    from pipeline.delivery.message import label
    from pipeline.delivery.outbox import owed
    from pipeline.delivery.settings import delivery_settings

    out: dict[str, list[str]] = {k: [] for duties in DUTIES.values() for k in duties}
    for d in due_list(reg, cfg, today, within=within):
        when = (f"LEWAT {-d.days_left} hari kerja (batas {date_id(d.due)})" if d.overdue
                else f"batas {date_id(d.due)}, sisa {d.days_left} hari kerja")
        line = f"{d.register_no} ({SERVICE_LABELS.get(d.service, d.service)}, {d.status}): {when}"
        out["objections" if d.service == "objection" else "requests"].append(line)
    for d in owed(reg, delivery_settings(cfg)):
        what = f"{d.register_no}: {label(d.kind)} Nomor {d.letter_no}"
        if d.state == "handover":
            out["handovers"].append(f"{what} — serahkan/kirim melalui {d.method}")
        else:
            out["mail_problems"].append(f"{what} — e-mail belum terkirim ({d.error or d.state})")
    deadline = report_due(today, cfg.clock)  # the one clock counts the working days
    if deadline:
        out["annual_report"].append(
            f"Laporan Layanan Informasi Publik tahun {today.year - 1} disampaikan kepada Komisi Informasi paling "
            f"lambat {date_id(deadline)} (Perki 1/2021 Pasal 56); `ppid report --year {today.year - 1}`")
    return out


def digests(reg, cfg, today: dt.date, within: int = 3) -> tuple[list[Digest], list[str]]:
    """One digest per officer with something due, and notes on officers the table gives nothing."""
    from pipeline.delivery.settings import delivery_settings

    due = items(reg, cfg, today, within)
    out, notes = [], []
    for person in delivery_settings(cfg).staff:
        duties = DUTIES.get(person.role)
        if duties is None:
            notes.append(f"{person.name}: role '{person.role}' has no reminders (roles: {', '.join(DUTIES)})")
            continue
        d = Digest(person.name, person.email, person.role, [line for k in duties for line in due[k]])
        if d.lines:
            out.append(d)
    return out, notes


def send(digests_: list[Digest], settings, today: dt.date, *, config_folder=None) -> list[tuple[Digest, str | None]]:
    """E-mail each digest; (digest, error or None)."""
    from email import policy
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    from pipeline.delivery.outbox import now_wita
    from pipeline.delivery.smtp import Failure, Session

    session = Session(settings.mail, config_folder=config_folder)
    results = []
    try:
        for d in digests_:
            if not d.email:
                results.append((d, "no e-mail address in staff:"))
                continue
            msg = EmailMessage(policy=policy.SMTP.clone(max_line_length=998))
            msg["From"], msg["To"], msg["Subject"] = settings.mail.sender, d.email, d.subject
            msg["Date"] = format_datetime(now_wita())
            msg["Message-ID"] = make_msgid(domain=settings.mail.sender_address.rpartition("@")[2] or None)
            msg.set_content(d.text(today))
            try:
                session.send(msg.as_bytes(), settings.mail.sender_address, d.email, msg["Message-ID"].strip("<>"))
                results.append((d, None))
            except Failure as f:
                results.append((d, f.error))
                if f.connection:
                    break
    finally:
        session.close()
    return results
