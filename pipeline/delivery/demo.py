"""`make demo`'s delivery: the letters owed by e-mail go to a local SMTP sink (aiosmtpd on
127.0.0.1, each message kept as .eml under out/demo/mail/), or, without aiosmtpd, are
written there as .eml without being sent; it says which. Then one request's status as
the public page shows it, and the officers' reminders.

    python -m pipeline.delivery.demo --records records --out out/demo --date 2027-01-20

The e-mails go out at the machine's clock, which may be the processing date's next day in
WITA (from 16:00 UTC) or weeks before it. `--now 2027-01-20T16:30:00+00:00` stands the
clock still at that moment while they are sent (each `sent` event bears it), so that a test
can run the demo at any time of day (tests/test_delivery_demo.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import yaml


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Keep:
    """aiosmtpd handler: each accepted message written to a folder."""

    def __init__(self, folder: Path):
        self.folder, self.n = folder, 0

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        (self.folder / f"{self.n:03d}.eml").write_bytes(envelope.content)
        return "250 2.0.0 kept by the demo sink"


def demo_config(src: Path, dst: Path, port: int | None) -> Path:
    """The office's config with a mail relay on loopback (and placeholder staff, if none)."""
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    office = yaml.safe_load((dst / "office.yaml").read_text(encoding="utf-8"))
    if port:
        office["mail"] = {"host": "127.0.0.1", "port": port, "security": "none", "retry_minutes": [0],
                          "from": f"PPID {office.get('office', {}).get('short', '')} <ppid@demo.invalid>"}
    office.setdefault("public_base_url", "http://127.0.0.1:8470")
    if not office.get("staff"):
        sig = office.get("signatories") or {}
        office["staff"] = [
            {"name": sig.get("ppid", {}).get("name", "PPID"), "role": "ppid", "email": "ppid@demo.invalid"},
            {"name": sig.get("atasan_ppid", {}).get("name", "Atasan PPID"), "role": "atasan_ppid",
             "email": "atasan@demo.invalid"},
            {"name": "Petugas Sub Bagian Umum", "role": "clerk", "email": "umum@demo.invalid"}]
    (dst / "office.yaml").write_text(yaml.safe_dump(office, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dst


def _acknowledged(records: Path, cfg: Path, date: str) -> str | None:
    """The first requester who got a written notice by e-mail replies two working days
    later: the clerk records it in the desk (here, through the same core function)."""
    from pipeline.config import load_config
    from pipeline.delivery import handover
    from pipeline.office import Office

    office = Office(cfg, records, date=dt.date.fromisoformat(date))
    reg = office.refresh()
    for rec in reg.records.values():
        sent = [e for e in rec.deliveries if e["type"] == "sent" and e.get("channel") == "email"]
        notice = rec.last_letter("decision_notice")
        if notice and any(e["letter_no"] == notice["letter_no"] for e in sent):
            day = office.clock.explain_from(dt.date.fromisoformat(notice["date"]), 2).due  # the one clock
            # the e-mail went out just now (the machine's clock), which may be after the demo's dates:
            # the reply comes on the day it was sent at the earliest, and not after the processing date
            sent_on = max(dt.date.fromisoformat(str(e["at"])[:10]) for e in sent
                          if e["letter_no"] == notice["letter_no"] and e.get("at"))
            day = max(day, sent_on)
            if day > office.today():
                continue
            handover.record(records, rec.register_no, lambda r: handover.receipt_events(
                r, notice["letter_no"], how="reply", day=day, user="demo-clerk", today=office.today()),
                load_config(cfg))
            office.write_book()
            from pipeline.delivery import index

            index.publish(office.refresh(), office.cfg, records, office.today())
            print(f"The requester of {rec.register_no} replied on {day} that the written notice "
                  f"{notice['letter_no']} arrived: recorded as its day of receipt (delivered, how reply).")
            return rec.register_no
    return None


def _deliver(cfg: Path, records: Path, date: str, now: dt.datetime | None) -> None:
    """`ppid deliver`, in this process (Office.deliver and the command's report) so that --now
    reaches the outbox."""
    from pipeline import files
    from pipeline.delivery.cli import print_report
    from pipeline.errors import PpidError
    from pipeline.office import Office

    try:
        with files.rooted(cfg, records):
            office = Office(cfg, records, date=dt.date.fromisoformat(date))
            report, received = office.deliver(now=now)
    except PpidError as exc:
        print(f"Error: {exc}")
        return
    from pipeline.delivery.settings import delivery_settings

    print_report(report, delivery_settings(office.cfg), received)


def _moment(text: str) -> dt.datetime:
    """--now: an ISO 8601 date and time with its UTC offset."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date and time like 2027-01-20T16:30:00+00:00") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"'{text}' has no UTC offset; write e.g. {text}+08:00 (WITA)")
    return moment


def ppid(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", type=Path, default=Path("config"))
    ap.add_argument("--records", type=Path, default=Path("records"))
    ap.add_argument("--out", type=Path, default=Path("out/demo"))
    ap.add_argument("--date", required=True)
    ap.add_argument("--now", type=_moment, default=None,
                    help="the moment the e-mails go out, with its UTC offset, e.g. 2027-01-20T16:30:00+00:00 "
                         "[default: the machine's clock]; for tests of the demo at a given time of day")
    a = ap.parse_args(argv)
    mail = a.out / "mail"
    shutil.rmtree(mail, ignore_errors=True)
    mail.mkdir(parents=True)
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        Controller = None
    common = ["--records", str(a.records), "--date", a.date]
    if Controller is None:
        cfg = demo_config(a.config, a.out / "config", None)
        print(f"No SMTP server here (aiosmtpd is not installed): the e-mails owed are written as .eml to {mail}/ "
              "and NOT sent.")
        from pipeline.config import load_config
        from pipeline.delivery import outbox
        from pipeline.delivery.settings import DeliverySettings, MailSettings, delivery_settings
        from pipeline.register import Register

        conf = load_config(cfg)
        reg = Register(a.records).load()
        base = delivery_settings(conf)
        settings = DeliverySettings(mail=MailSettings("127.0.0.1", 25, "none", "PPID <ppid@demo.invalid>"),
                                    public_base_url=base.public_base_url, staff=base.staff)
        for rec in reg.records.values():
            for d in outbox.states(rec, settings):
                if d.state == "owed":
                    d.message_id = outbox.new_message_id(a.records, d, settings)
                    src = outbox.queue(mail, rec, d, conf, settings, a.now or outbox.now_wita())
                    shutil.move(src, mail / src.name)
        print(f"  {len(list(mail.glob('*.eml')))} message(s) written")
    else:
        port = _free_port()
        keep = _Keep(mail)
        sink = Controller(keep, hostname="127.0.0.1", port=port)
        sink.start()
        try:
            cfg = demo_config(a.config, a.out / "config", port)
            print(f"A local SMTP sink (aiosmtpd) listens on 127.0.0.1:{port}; {a.out / 'config'} is the office's "
                  f"config with mail: pointing to it. ppid deliver:")
            _deliver(cfg, a.records, a.date, a.now)
        finally:
            sink.stop()
        print(f"  the sink received {keep.n} message(s), kept as .eml in {mail}/")
    first = next(iter(sorted(mail.glob("*.eml"))), None)
    if first is not None:
        from email import message_from_bytes, policy

        msg = message_from_bytes(first.read_bytes(), policy=policy.default)
        print(f"  e.g. {first.name}: To {msg['To']}; Subject: {msg['Subject']}; attachments: "
              + ", ".join(p.get_filename() or "?" for p in msg.iter_attachments()))
    shown = _acknowledged(a.records, cfg, a.date)
    index = a.records / "public" / "status-index.json"
    events = [json.loads(x) for x in (a.records / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    code = next((e for e in events if e.get("status_code") and e["type"] == "received"
                 and (shown is None or e["register_no"] == shown)), None)
    if code and index.is_file():
        from pipeline.delivery.index import Index

        entry = Index(index).find(code["register_no"], code["status_code"])
        print(f"Status page (make desk, then http://127.0.0.1:8470/cek?no={code['register_no']}&kode="
              f"{code['status_code']}): status {entry['status'] if entry else '?'}, "
              f"{len(entry['letters']) if entry else 0} letter(s); `ppid public` serves it alone from {index}")
    print("ppid remind --print (each officer's digest):")
    r = ppid("remind", "--print", "--within", "5", "--config", str(cfg), *common)
    print("\n".join(r.stdout.splitlines()[:14]) + ("\n  …" if len(r.stdout.splitlines()) > 14 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
