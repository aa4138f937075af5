"""What `ppid run` and `ppid due` ask of delivery (through the Office): the sending at the
end of a run, and the letters not yet on their way."""

from __future__ import annotations

from pathlib import Path

from pipeline.terminal import json_line


def after_run(records: Path, cfg, reg, date):
    """The end of `ppid run`: send what is owed (the run holds the records lock), publish the index."""
    from pipeline.delivery import index
    from pipeline.delivery.outbox import deliver as send_owed

    report = send_owed(records, cfg, reg=reg, records_locked=True)
    index.publish(reg, cfg, records, date)
    return report


def due_deliveries(reg, cfg, *, as_json: bool) -> tuple[list[str], bool]:
    """`ppid due`'s part: letters not yet on their way, as lines to print (JSON Lines with
    `as_json`), and True when an e-mail is owed (unsent, retrying or refused): exit 1."""
    from pipeline.delivery.outbox import owed, stamp
    from pipeline.delivery.settings import delivery_settings

    letters = owed(reg, delivery_settings(cfg))
    email_owed = any(d.state in ("owed", "retry", "failed") for d in letters)
    if as_json:
        return [json_line({"register_no": d.register_no, "delivery": d.state, "letter_no": d.letter_no,
                           "kind": d.kind, "method": d.method, "error": d.error,
                           "next_try": stamp(d.next_try) if d.next_try else None}) for d in letters], email_owed
    lines = []
    mail = [d for d in letters if d.state != "handover"]
    hand = [d for d in letters if d.state == "handover"]
    if mail:
        lines.append(f"E-mails owed (`ppid deliver` and `ppid run` retry them; refused ones wait for a corrected "
                     f"address in the desk): {len(mail)}")
        for d in mail:
            lines.append(f"  {d.state:<7} {d.letter_no:<18} {d.kind:<20} {d.register_no:<16} {d.error or ''}")
    if hand:
        lines.append(f"Letters to hand over (pickup, post, WhatsApp, or e-mail without a mail server): {len(hand)}")
        for d in hand:
            lines.append(f"  {d.method:<8} {d.letter_no:<18} {d.kind:<20} {d.register_no}")
    return lines, email_owed
