"""Cost of delivering a letter by e-mail through the outbox, against smtplib alone.

    .venv/bin/python bench/bench_delivery.py [--letters 300] [--requests 2000] [--keep]

Makes a register of `--requests` requests (every fifth by e-mail, one letter each with a
120 kB PDF) under bench/work/delivery/, starts aiosmtpd on a free loopback port, and times
in this process:

- the baseline: the same messages (bytes already built) handed over with one smtplib
  session, `sendmail` each: what any sender pays for the network and the server;
- `outbox.deliver`: what `ppid deliver` does per letter: the register read, the letters'
  states, the lock per message, the log re-read since the last look, the .eml built and
  written (fsync'ed), the send, the `sent` event appended (fsync'ed) under the records lock.

Prints the cost per letter of both and their ratio, and checks: messages received, no
duplicate Message-ID, none lost (every letter has its `sent` event).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import smtplib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.config import load_config  # noqa: E402
from pipeline.delivery import outbox  # noqa: E402
from pipeline.delivery.settings import delivery_settings  # noqa: E402
from pipeline.register import Register  # noqa: E402
from tests.delivery_support import Server, Sink, config_with, mail_config  # noqa: E402

WORK = Path(__file__).resolve().parent / "work" / "delivery"


def make_register(folder: Path, requests: int, letters: int, pdf: Path) -> None:
    reg = Register(folder)
    events, n_email = [], 0
    for i in range(1, requests + 1):
        rno = f"{i:05d}/PPID/2026"
        email = n_email < letters and i % 5 == 0
        n_email += email
        events.append({"type": "received", "register_no": rno, "key": f"k{i}", "register_seq": i,
                       "register_year": 2026, "received_at": "2026-11-20 09:00", "status_code": "K7M4QX9P",
                       "row": {"received_at": "2026-11-20 09:00", "service": "information", "channel": "email",
                               "delivery": "email" if email else "pickup", "requester_name": f"Pemohon {i}",
                               "status": "answered", "outcome": "granted", "status_code": "K7M4QX9P"},
                       "personal": {"email": f"pemohon{i}@example.org", "phone": None}})
        events.append({"type": "letter", "register_no": rno, "kind": "decision_notice", "letter_no": f"{i}/L/2026",
                       "letter_seq": i, "letter_year": 2026, "date": "2026-11-26", "pdf": str(pdf), "code": f"C{i}"})
    reg.append(events)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--letters", type=int, default=300)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    pdf = WORK / "letter.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 120_000 + b"\n%%EOF\n")
    records = WORK / "records"
    make_register(records, a.requests, a.letters, pdf)
    sink = Sink()
    server = Server(sink)
    server.start()
    try:
        cfg = load_config(config_with(WORK, mail=mail_config(server.port)))
        settings = delivery_settings(cfg)
        # baseline: the same bytes, one smtplib session
        reg = Register(records).load()
        todo = [(rec, d) for rec in reg.records.values() for d in outbox.states(rec, settings) if d.state == "owed"]
        from pipeline.delivery import message as M

        built = [M.build(outbox._letter(rec, d), sender=settings.mail.sender, message_id=d.message_id,
                         office=cfg.office, base_url=None, now=outbox.now_wita()) for rec, d in todo]
        t = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", server.port) as s:
            for data, (rec, d) in zip(built, todo):
                s.sendmail(settings.mail.sender_address, [rec.personal["email"]], data)
        base = (time.perf_counter() - t) / len(todo)
        sink.messages.clear()
        sink.raw.clear()
        t = time.perf_counter()
        report = outbox.deliver(records, cfg)
        ppid = (time.perf_counter() - t) / len(todo)
        sent = [e for e in Register(records).load().records.values() for x in e.deliveries if x["type"] == "sent"]
        ids = sink.message_ids()
        print(f"register: {a.requests} requests, {len(todo)} letters by e-mail (PDF {pdf.stat().st_size // 1000} kB)")
        print(f"baseline smtplib.sendmail, one session:  {base * 1000:7.2f} ms per letter")
        print(f"ppid deliver (outbox, locks, events):   {ppid * 1000:7.2f} ms per letter   ratio {ppid / base:.2f}")
        print(f"messages received {len(ids)}, duplicates {len(ids) - len(set(ids))}, "
              f"lost {len(todo) - len(sent)}, sent {report.count('sent')}")
    finally:
        server.stop()
        if not a.keep:
            shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
