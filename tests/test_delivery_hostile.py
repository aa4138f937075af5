"""Delivery findings of the hostile test (issue 18): a receipt nobody can forge or backdate,
a DSN folder that cannot hang the command, `remind` as the README's cron line runs it, and a
status page that answers when its index is damaged. Real SMTP server (aiosmtpd), real files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.delivery import handover, receipt_day
from pipeline.loading import WITA
from pipeline.register import Register
from tests.delivery_support import ROOT, Server, Sink, config_with, dsn_message, mail_config

RNO, NOTICE, DATE = "0001/PPID/2026", "2/L/2026", "2026-11-27"


def unkeyed_id(register_no: str, letter_no: str, domain: str = "kpu-ntt.example") -> str:
    """The Message-ID as anyone could compute it from the printed numbers (ppid before issue 18)."""
    digest = hashlib.sha256(f"{register_no}\x00{letter_no}".encode()).hexdigest()[:24]
    return f"<ppid.{digest}@{domain}>"


def records_with(tmp: Path, *deliveries: dict) -> Path:
    """A register with one e-mail request and its written notice dated 2026-11-26 (a real PDF file)."""
    pdf = tmp / "surat.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    reg = Register(tmp / "records")
    reg.append([{"type": "received", "register_no": RNO, "key": "k", "register_seq": 1, "register_year": 2026,
                 "received_at": "2026-11-20 09:00",
                 "row": {"received_at": "2026-11-20 09:00", "service": "information", "channel": "email",
                         "delivery": "email", "requester_name": "Maria Bria", "status_code": "K7M4QX9P"},
                 "personal": {"email": "maria@example.org"}},
                {"type": "letter", "register_no": RNO, "kind": "decision_notice", "letter_no": NOTICE,
                 "date": "2026-11-26", "pdf": str(pdf)}, *deliveries])
    return tmp / "records"


def deliver(tmp: Path, *extra: str, date: str = DATE) -> tuple[int, list[dict], str]:
    r = CliRunner().invoke(main, ["deliver", "--json", "--config", str(tmp / "config"), "--records",
                                  str(tmp / "records"), "--date", date, *extra])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    return r.exit_code, [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")], r.output


def refused(out: list[dict]) -> list[str]:
    return [x["refused"] for x in out if "refused" in x]


def delivered(tmp: Path) -> list[dict]:
    return [e for e in Register(tmp / "records").load().records[RNO].deliveries if e["type"] == "delivered"]


def dsn_at(message_id: str, arrival: str) -> bytes:
    return dsn_message(message_id, arrival=arrival)


# --- the Message-ID is keyed with the office's secret ------------------------------------------------


def test_the_message_id_sent_cannot_be_computed_from_the_printed_numbers_and_a_forged_dsn_is_refused(tmp_path):
    records_with(tmp_path)
    sink = Sink()
    server = Server(sink)
    server.start()
    try:
        config_with(tmp_path, mail=mail_config(server.port))
        assert deliver(tmp_path)[0] == 0
    finally:
        server.stop()
    [msg] = sink.messages
    sent_id = msg["Message-ID"]
    assert sent_id != unkeyed_id(RNO, NOTICE)
    key = tmp_path / "records" / "outbox" / "message-id.key"
    assert key.is_file() and (key.stat().st_mode & 0o077) == 0 and len(key.read_bytes()) == 32
    sent = [e for e in Register(tmp_path / "records").load().records[RNO].deliveries if e["type"] == "sent"]
    assert [e["message_id"] for e in sent] == [sent_id]

    dsns = tmp_path / "dsn"
    dsns.mkdir()
    (dsns / "palsu.eml").write_bytes(dsn_message(unkeyed_id(RNO, NOTICE)))
    code, out, _ = deliver(tmp_path, "--dsn", str(dsns))
    assert delivered(tmp_path) == [] and "Message-ID unknown" in refused(out)[0]
    (dsns / "palsu.eml").unlink()
    now = dt.datetime.now(WITA)  # `sent` is stamped with the clock's time, not --date
    (dsns / "asli.eml").write_bytes(dsn_at(sent_id, format_datetime(now)))  # the relay's own report
    code, out, _ = deliver(tmp_path, "--dsn", str(dsns), date=now.date().isoformat())
    assert [e["at"][:10] for e in delivered(tmp_path)] == [now.date().isoformat()]


BACKDATED = [  # the repro: an old letter sent under the computable ID; the DSN's date decides
    ("Thu, 19 Nov 2026 02:09:00 +0000", "before the letter's date 2026-11-26"),
    ("Thu, 26 Nov 2026 01:00:00 +0000", "before the letter was sent (2026-11-27)"),
    ("Tue, 01 Dec 2026 02:09:00 +0000", "after today (2026-11-27)"),
]


@pytest.mark.parametrize("arrival,why", BACKDATED)
def test_a_dsn_dated_before_the_letter_or_its_sending_or_after_today_records_nothing(tmp_path, arrival, why):
    old = unkeyed_id(RNO, NOTICE)  # sent before the key existed: its recorded ID still matches
    records_with(tmp_path, {"type": "sent", "register_no": RNO, "letter_no": NOTICE, "channel": "email",
                            "at": "2026-11-27T08:00:00+08:00", "message_id": old})
    config_with(tmp_path)
    dsns = tmp_path / "dsn"
    dsns.mkdir()
    (dsns / "a.eml").write_bytes(dsn_at(old, arrival))
    code, out, text = deliver(tmp_path, "--dsn", str(dsns))
    assert delivered(tmp_path) == [] and [why in x for x in refused(out)] == [True]


def test_a_dsn_for_a_letter_never_sent_records_nothing(tmp_path):
    records_with(tmp_path)
    config_with(tmp_path)
    dsns = tmp_path / "dsn"
    dsns.mkdir()
    (dsns / "a.eml").write_bytes(dsn_message(unkeyed_id(RNO, NOTICE)))
    code, out, _ = deliver(tmp_path, "--dsn", str(dsns))
    assert delivered(tmp_path) == [] and ["no message the office sent" in x for x in refused(out)] == [True]


def test_the_dsn_refusal_is_printed_in_plain_words(tmp_path):
    old = unkeyed_id(RNO, NOTICE)
    records_with(tmp_path, {"type": "sent", "register_no": RNO, "letter_no": NOTICE, "channel": "email",
                            "at": "2026-11-27T08:00:00+08:00", "message_id": old})
    config_with(tmp_path)
    dsns = tmp_path / "dsn"
    dsns.mkdir()
    (dsns / "a.eml").write_bytes(dsn_at(old, "Thu, 19 Nov 2026 02:09:00 +0000"))
    r = CliRunner().invoke(main, ["deliver", "--config", str(tmp_path / "config"), "--records",
                                  str(tmp_path / "records"), "--date", DATE, "--dsn", str(dsns)])
    assert "not recorded" in r.output and "a.eml" in r.output and "before the letter's date 2026-11-26" in r.output


def test_a_report_whose_message_id_the_email_package_cannot_parse_is_no_traceback(tmp_path):
    # found by a mutation fuzz of a DSN (3000 cases): policy.default's Message-ID parser raised IndexError
    records_with(tmp_path)
    config_with(tmp_path)
    dsns = tmp_path / "dsn"
    dsns.mkdir()
    (dsns / "a.eml").write_bytes(dsn_message("<;;;;;ppid.x@y>"))
    code, out, _ = deliver(tmp_path, "--dsn", str(dsns))
    assert delivered(tmp_path) == [] and ["Message-ID unknown" in x for x in refused(out)] == [True]


# --- receipts recorded by staff (the desk's /pengiriman/catat calls these) ----------------------------

def _rec(tmp: Path, *deliveries: dict):
    records_with(tmp, *deliveries)
    return Register(tmp / "records").load().records[RNO]


RECEIPT_REFUSED = [  # (recorded before, the day entered, the message's words)
    ((), "2026-11-19", "sebelum tanggal surat 2026-11-26"),
    ((), "2026-12-05", "sesudah hari ini"),
    (({"type": "sent", "register_no": RNO, "letter_no": NOTICE, "channel": "post", "at": "2026-11-27"},),
     "2026-11-26", "sebelum tanggal pengiriman 2026-11-27"),
    (({"type": "delivered", "register_no": RNO, "letter_no": NOTICE, "how": "post", "at": "2026-11-30"},),
     "2026-11-28", "sudah tercatat diterima pada 2026-11-30"),
]


@pytest.mark.parametrize("before,day,words", RECEIPT_REFUSED)
def test_a_receipt_staff_record_is_refused_when_no_receipt_can_have_that_day(tmp_path, before, day, words):
    rec = _rec(tmp_path, *before)
    with pytest.raises(handover.HandoverError, match=words):
        handover.receipt_events(rec, NOTICE, how="reply", day=dt.date.fromisoformat(day), user="clerk",
                                today=dt.date(2026, 12, 1))


def test_a_receipt_on_or_after_the_letters_date_is_recorded(tmp_path):
    rec = _rec(tmp_path)
    [e] = handover.receipt_events(rec, NOTICE, how="reply", day=dt.date(2026, 11, 26), user="clerk",
                                  today=dt.date(2026, 12, 1))
    assert e["type"] == "delivered" and e["at"] == "2026-11-26"


def test_conflicting_records_of_receipt_prove_no_day(tmp_path):
    rec = _rec(tmp_path, {"type": "delivered", "register_no": RNO, "letter_no": NOTICE, "how": "post",
                          "at": "2026-11-30"},
               {"type": "delivered", "register_no": RNO, "letter_no": NOTICE, "how": "dsn", "at": "2026-11-27"})
    assert receipt_day(rec, NOTICE) is None  # never the earliest: an objection is then not proven late


# --- `ppid remind` as cron runs it ----------------------------------------------------------------

from tests.test_delivery_remind import office  # noqa: E402,F401 - a register with staff: and requests due


def readme_cron_remind() -> list[str]:
    """The arguments of the README's crontab line for the reminders, exactly as written there."""
    import re
    import shlex

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if re.match(r"^[\d*/, -]+ .*ppid remind", x))
    command = line.split("&&", 1)[1].split(">>", 1)[0]
    args = shlex.split(command)
    assert args[0].endswith("/ppid")
    return args[1:]


@pytest.mark.slow  # the fixture runs the register once (about 5 s)
def test_the_readmes_cron_line_for_reminders_runs_without_date(office, monkeypatch):
    args = readme_cron_remind()
    assert args == ["remind", "--within", "3"]
    monkeypatch.chdir(office)  # cron: `cd /srv/ppid && …`, config/ and records/ found there
    r = CliRunner().invoke(main, args)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    assert r.exit_code == 0, r.output
    today = dt.datetime.now(WITA).date()
    # the requests of November are overdue by now: each officer's digest lists them
    assert "=== Yosefina Ndoen" in r.output and f"{today:%Y}" in r.output


# --- the --dsn folder holds only what a mailbox saves ---------------------------------------------

@pytest.mark.slow  # a child process, so that a hang is a timeout and not a stuck suite
def test_a_fifo_link_or_folder_named_eml_is_skipped_with_a_message_and_never_waited_on(tmp_path):
    old = unkeyed_id(RNO, NOTICE)
    records_with(tmp_path, {"type": "sent", "register_no": RNO, "letter_no": NOTICE, "channel": "email",
                            "at": "2026-11-27T08:00:00+08:00", "message_id": old})
    config_with(tmp_path)
    dsns = tmp_path / "dsn"
    dsns.mkdir()
    os.mkfifo(dsns / "a.eml")
    (dsns / "b.eml").symlink_to(tmp_path / "records" / "events.jsonl")
    (dsns / "c.eml").mkdir()
    (dsns / "d.eml").write_bytes(dsn_at(old, "Fri, 27 Nov 2026 02:09:00 +0000"))
    code = [
        sys.executable, "-m", "pipeline", "deliver", "--json", "--config", str(tmp_path / "config"),
        "--records", str(tmp_path / "records"), "--date", DATE, "--dsn", str(dsns)]
    r = subprocess.run(code, cwd=ROOT, capture_output=True, text=True, timeout=60)  # on main: hangs on the FIFO
    out = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
    skipped = {Path(x["file"]).name: x["refused"] for x in out if "refused" in x}
    assert set(skipped) == {"a.eml", "b.eml", "c.eml"}, r.stdout + r.stderr
    assert "not a regular file" in skipped["a.eml"] and "symbolic link" in skipped["b.eml"]
    assert [e["at"][:10] for e in delivered(tmp_path)] == ["2026-11-27"]  # the real report still counts


# --- the desk: POST /pengiriman/catat --------------------------------------------------------------

from tests.test_delivery_public import _login, desk_env, registered  # noqa: E402,F401 - the desk on a register


@pytest.mark.slow  # the fixture runs the register once
def test_the_desk_refuses_a_receipt_dated_before_the_letter_and_writes_nothing(desk_env):
    import re

    env, lines = desk_env
    line = lines["2026-11-20-maria-bria.yaml"]
    notice = next(x for x in line["letters"] if x["kind"] == "decision_notice")
    c = env.app.test_client()
    _login(c, "ppid")
    tok = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/pengiriman").get_data(as_text=True)).group(1)
    before = (env.records / "events.jsonl").read_text(encoding="utf-8")
    form = {"csrf_token": tok, "register_no": line["register_no"], "letter_no": notice["letter_no"],
            "action": "receipt", "how": "reply"}
    r = c.post("/pengiriman/catat", data={**form, "received_on": "2026-11-02"}, follow_redirects=True)
    assert "sebelum tanggal surat" in r.get_data(as_text=True)
    assert (env.records / "events.jsonl").read_text(encoding="utf-8") == before
    c.post("/pengiriman/catat", data={**form, "received_on": "2026-11-27"})  # the desk's today
    rec = Register(env.records).load().records[line["register_no"]]
    assert receipt_day(rec, notice["letter_no"]) == dt.date(2026, 11, 27)


def test_conflicting_receipt_days_prove_no_day_for_the_objection_window():
    """Two `delivered` days of one notice (a hand edit, or a forged report beside a true one) prove
    none: the objection window falls back to 'unproven' (spec section 6) instead of the earliest."""
    import datetime as _dt

    from pipeline.assess import _received_on as received_on
    from pipeline.register import Record

    rec = Record(register_no="0001/PPID/2026", key="k", year=2026)
    one = {"type": "delivered", "letter_no": "2/HM.02-SD/53/2026", "at": "2026-12-02T10:00:00+08:00"}
    assert received_on(rec, "2/HM.02-SD/53/2026") is None
    rec.deliveries.append(one)
    assert received_on(rec, "2/HM.02-SD/53/2026") == _dt.date(2026, 12, 2)
    rec.deliveries.append(dict(one, at="2026-11-01T08:00:00+08:00"))
    assert received_on(rec, "2/HM.02-SD/53/2026") is None
