"""E-mail through the outbox with a real SMTP server (aiosmtpd on a free loopback port):
every message received is parsed and its PDF checked with `ppid verify` (spec section 9)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from email.utils import format_datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.loading import WITA
from tests.delivery_support import (PASSWORD, ROOT, USER, Server, Sink, config_with, free_port, inbox_with,
                                    mail_config, make_ca, pdf_attachments, server_tls)

pytestmark = pytest.mark.slow  # the letters are made by LibreOffice once per module

EMAIL_REQUEST = "2026-11-20-maria-bria.yaml"  # information, delivery: email, granted: receipt and notice
# the PPID attaches the released document to item 3: it goes with the notice (spec section 9)
RELEASED = """decision:
  by: Yosefina Lawa, S.E., M.M.
  items:
    - item: 3
      status: open
      attachments: [lampiran/rekap-partisipasi-2024.csv]
"""
DATE = "2026-11-27"


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    """A register with real letters for one e-mail request (and no mail server yet)."""
    tmp = tmp_path_factory.mktemp("issued")
    cfg = config_with(tmp)
    inbox = inbox_with(tmp, [EMAIL_REQUEST], edit=lambda name, text: text + RELEASED)
    (inbox / "lampiran" / "rekap-partisipasi-2024.csv").write_text("kabupaten,partisipasi\nKupang,81.2\n")
    r = CliRunner().invoke(main, ["run", str(inbox), "--json", "--config", str(cfg), "--records",
                                  str(tmp / "records"), "--out", str(tmp / "out"), "--date", DATE,
                                  "--templates", str(ROOT / "templates")], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    line = json.loads(r.stdout.splitlines()[0])
    return tmp, line


@pytest.fixture
def office(issued, tmp_path):
    """A fresh copy of the records (the letters stay where they were issued) and a config folder."""
    src, line = issued
    shutil.copytree(src / "records", tmp_path / "records")
    shutil.copytree(src / "config", tmp_path / "config")
    return tmp_path, line


def deliver(tmp: Path, *extra, env=None) -> tuple[int, list[dict]]:
    r = CliRunner().invoke(main, ["deliver", "--json", "--config", str(tmp / "config"), "--records",
                                  str(tmp / "records"), "--date", DATE, *extra], env=env)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.output
    return r.exit_code, [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]


def events(tmp: Path, *types: str) -> list[dict]:
    lines = (tmp / "records" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    return [e for e in map(json.loads, lines) if e["type"] in types]


def verify(tmp: Path, data: bytes, name: str) -> str:
    pdf = tmp / f"received-{name}"
    pdf.write_bytes(data)
    r = CliRunner().invoke(main, ["verify", str(pdf), "--records", str(tmp / "records"),
                                  "--config", str(tmp / "config")])
    assert r.exit_code == 0, r.output
    return r.stdout


def check_received(tmp: Path, line: dict, sink: Sink) -> None:
    """Each message: to the requester, Indonesian subject naming the numbers, one verified PDF."""
    code = line["status_code"]
    numbers = {x["letter_no"] for x in line["letters"]}
    assert len(sink.messages) == len(numbers)
    for msg in sink.messages:
        assert msg["To"].addresses[0].addr_spec == "maria.bria@example.org"
        assert line["register_no"] in msg["Subject"] and msg["X-PPID-Letter"] in msg["Subject"]
        text = msg.get_body(("plain",)).get_content()
        assert code in text and line["register_no"] in text and "Yth." in text
        pdfs = pdf_attachments(msg)
        assert len(pdfs) == 1
        others = [p.get_filename() for p in msg.iter_attachments() if p.get_content_type() != "application/pdf"]
        assert others == (["rekap-partisipasi-2024.csv"] if "decision_notice" in pdfs[0][0] else [])
        out = verify(tmp, pdfs[0][1], pdfs[0][0])
        assert f"letter {msg['X-PPID-Letter']} " in out
    assert {m["X-PPID-Letter"] for m in sink.messages} == numbers


def test_plain_smtp_on_loopback_sends_each_letter_once(office):
    tmp, line = office
    sink = Sink()
    server = Server(sink)
    server.start()
    try:
        config_with(tmp, mail=mail_config(server.port))
        code, out = deliver(tmp)
        assert code == 0 and [x["result"] for x in out] == ["sent", "sent"]
        check_received(tmp, line, sink)
        sent = events(tmp, "sent")
        assert {e["message_id"] for e in sent} == set(sink.message_ids())
        assert all(e["channel"] == "email" and e["at"] for e in sent)
        # a rerun sends nothing more
        code, out = deliver(tmp)
        assert code == 0 and out == [] and len(sink.messages) == 2
        outbox = sorted(p.name for p in (tmp / "records" / "outbox").glob("*.eml"))
        assert len(outbox) == 2
    finally:
        server.stop()


def test_starttls_with_the_office_ca_verifies_and_a_foreign_certificate_is_refused(office):
    tmp, line = office
    ca, ca_cert, ca_key = make_ca(tmp, "Uji CA")
    _, other_cert, other_key = make_ca(tmp, "CA Lain")
    shutil.copy(ca, tmp / "config" / "ca-kantor.pem")
    sink = Sink()
    bad = Server(sink, tls=server_tls(tmp, other_cert, other_key))  # not issued by a CA we trust
    bad.start()
    try:
        config_with(tmp, mail=mail_config(bad.port, security="starttls", ca_file="ca-kantor.pem"))
        code, out = deliver(tmp)
        assert code == 1 and sink.messages == []
        assert out[0]["result"] == "failed" and "certificate does not verify" in out[0]["error"]
        assert not out[0].get("permanent")
    finally:
        bad.stop()
    good = Server(sink, tls=server_tls(tmp, ca_cert, ca_key), auth=True)
    good.start()
    try:
        config_with(tmp, mail=mail_config(good.port, security="starttls", ca_file="ca-kantor.pem",
                                          username=USER, password_env="PPID_TEST_SMTP_PASSWORD"))
        code, out = deliver(tmp, env={"PPID_TEST_SMTP_PASSWORD": "salah"})
        assert code == 1 and "login as ppid.ntt refused" in out[0]["error"] and sink.messages == []
        code, out = deliver(tmp, env={"PPID_TEST_SMTP_PASSWORD": PASSWORD})
        assert code == 0 and [x["result"] for x in out] == ["sent", "sent"]
        check_received(tmp, line, sink)
    finally:
        good.stop()


def test_server_down_then_up(office):
    tmp, line = office
    port = free_port()
    config_with(tmp, mail=mail_config(port))
    code, out = deliver(tmp)
    assert code == 1 and out[0]["result"] == "failed" and "connection refused" in out[0]["error"]
    assert out[1]["result"] == "waiting"  # the session stopped: the second letter was not tried
    due = CliRunner().invoke(main, ["due", "--config", str(tmp / "config"), "--records", str(tmp / "records"),
                                    "--date", DATE])
    assert due.exit_code == 1 and "connection refused" in due.stdout
    sink = Sink()
    server = Server(sink, port=port)
    server.start()
    try:
        code, out = deliver(tmp)
        assert code == 0 and [x["result"] for x in out] == ["sent", "sent"]
        check_received(tmp, line, sink)
    finally:
        server.stop()


def test_temporary_refusal_then_success_and_dsn_asked(office):
    tmp, line = office
    sink = Sink()
    sink.rcpt_replies = ["451 4.3.0 Mailbox busy, try again later"]
    server = Server(sink, dsn=True)
    server.start()
    try:
        config_with(tmp, mail=mail_config(server.port))
        code, out = deliver(tmp)
        assert code == 1 and [x["result"] for x in out] == ["failed", "sent"]
        assert out[0]["error"].startswith("451") and not out[0].get("permanent")
        code, out = deliver(tmp)  # retry_minutes [0]: due again at once
        assert code == 0 and [x["result"] for x in out] == ["sent"]
        check_received(tmp, line, sink)
        assert all("NOTIFY=SUCCESS,FAILURE" in e["rcpt_options"] for e in sink.envelopes)
        failed = events(tmp, "delivery_failed")
        assert len(failed) == 1 and failed[0]["permanent"] is False
    finally:
        server.stop()


def test_permanent_refusal_waits_for_a_corrected_address(office):
    tmp, line = office
    sink = Sink()
    sink.rcpt_replies = ["550 5.1.1 No such user", "550 5.1.1 No such user"]
    server = Server(sink)
    server.start()
    try:
        config_with(tmp, mail=mail_config(server.port))
        code, out = deliver(tmp)
        assert code == 1 and [(x["result"], x.get("permanent")) for x in out] == [("failed", True)] * 2
        for _ in range(3):  # never retried on its own
            code, out = deliver(tmp)
            assert code == 1 and [x["result"] for x in out] == ["waiting", "waiting"]
        assert sink.messages == [] and len(events(tmp, "delivery_failed")) == 2
        due = CliRunner().invoke(main, ["due", "--json", "--config", str(tmp / "config"), "--records",
                                        str(tmp / "records"), "--date", DATE])
        owed = [json.loads(x) for x in due.stdout.splitlines() if "delivery" in x]
        assert due.exit_code == 1 and {x["delivery"] for x in owed} == {"failed"}
        from pipeline.delivery import handover
        handover.correct_address(tmp / "records", line["register_no"], "maria.bria@contoh.ac.id", user="ppid1",
                                 cfg=_cfg(tmp))
        code, out = deliver(tmp)
        assert code == 0 and [x["result"] for x in out] == ["sent", "sent"]
        assert {m["To"].addresses[0].addr_spec for m in sink.messages} == {"maria.bria@contoh.ac.id"}
        assert len(list((tmp / "records" / "outbox").glob("*.eml"))) == 2  # the old copies replaced
    finally:
        server.stop()


def _cfg(tmp):
    from pipeline.config import load_config
    return load_config(tmp / "config")


def _run_deliver(tmp: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "pipeline", "deliver", "--json", "--config", str(tmp / "config"),
                             "--records", str(tmp / "records"), "--date", DATE], cwd=tmp, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("where,expected", [
    ("rcpt", 2),   # killed before the first message was handed over: the rerun sends each once
    ("data", 3),   # killed after the server took the first message, before it was recorded: sent again
    ("second", 2),  # killed at the second letter, after the first was recorded: nothing twice
])
def test_kill_during_the_send_loses_nothing_and_duplicates_only_in_the_window(office, where, expected):
    tmp, line = office
    sink = Sink()
    server = Server(sink)
    server.start()
    proc: list[subprocess.Popen] = []
    count = {"rcpt": 0}

    def kill():
        os.kill(proc[0].pid, signal.SIGKILL)
        time.sleep(0.3)

    def on_rcpt():
        count["rcpt"] += 1
        if where == "rcpt" and count["rcpt"] == 1 or where == "second" and count["rcpt"] == 2:
            kill()

    def on_data():
        if where == "data" and len(sink.messages) == 1:
            kill()

    sink.on_rcpt, sink.on_data = on_rcpt, on_data
    try:
        config_with(tmp, mail=mail_config(server.port))
        proc.append(_run_deliver(tmp))
        proc[0].wait(60)
        assert proc[0].returncode == -signal.SIGKILL
        sink.on_rcpt = sink.on_data = None
        rerun = _run_deliver(tmp)
        out, err = rerun.communicate(timeout=60)
        assert rerun.returncode == 0, err
        ids = sink.message_ids()
        assert len(ids) == expected
        assert len(set(ids)) == 2  # every letter arrived; a duplicate carries the same Message-ID
        assert len(events(tmp, "sent")) == 2  # one `sent` per letter
        dup = [i for i in set(ids) if ids.count(i) > 1]
        assert all(sink.raw[ids.index(i)] == sink.raw[len(ids) - 1 - ids[::-1].index(i)] for i in dup)
    finally:
        server.stop()


def test_two_concurrent_runs_send_each_letter_once(office):
    tmp, line = office
    sink = Sink()
    gate = threading.Event()
    sink.on_rcpt = lambda: gate.wait(1.0)  # slow server: both runs are under way at once
    server = Server(sink)
    server.start()
    try:
        config_with(tmp, mail=mail_config(server.port))
        a, b = _run_deliver(tmp), _run_deliver(tmp)
        outs = [p.communicate(timeout=120) for p in (a, b)]
        assert a.returncode == 0 and b.returncode == 0, outs
        results = [json.loads(x)["result"] for out, _ in outs for x in out.decode().splitlines()]
        assert results.count("sent") == 2 and len(sink.messages) == 2
        assert {"busy", "skipped"} & set(results), results  # the runs met: one found the other at work
        assert len(set(sink.message_ids())) == 2 and len(events(tmp, "sent")) == 2
        check_received(tmp, line, sink)
    finally:
        server.stop()


def test_purge_erases_the_outbox_copies_and_the_address(office):
    tmp, line = office
    sink = Sink()
    server = Server(sink)
    server.start()
    try:
        config_with(tmp, mail=mail_config(server.port))
        assert deliver(tmp)[0] == 0
    finally:
        server.stop()
    from pipeline.delivery import handover
    handover.record(tmp / "records", line["register_no"], lambda rec: handover.handover_events(
        rec, line["letters"][0]["letter_no"], "pickup", user="yuliana", today=__import__("datetime").date(2030, 1, 1),
        receiver="Maria Goreti Bria", signed_for=True), _cfg(tmp))
    assert list((tmp / "records" / "outbox").glob("*.eml"))
    src = Path(line["file"]).parent  # the records are a copy: purge deletes only in the folders it is given
    r = CliRunner().invoke(main, ["purge", "--before", "2030-01-01", "--config", str(tmp / "config"),
                                  "--records", str(tmp / "records"), "--date", "2030-01-01",
                                  "--inbox", str(src), "--out", str(src.parent / "out")])
    assert r.exit_code == 0, r.output
    assert not list((tmp / "records" / "outbox").glob("*.eml"))
    log = (tmp / "records" / "events.jsonl").read_text(encoding="utf-8")
    assert "maria.bria@example.org" not in log
    handed = events(tmp, "delivered")
    assert handed and all(e["receiver"] is None for e in handed)  # who collected it, erased too


def test_a_dsn_saved_from_the_mailbox_records_the_day_of_receipt(office, tmp_path):
    from tests.test_delivery_core import dsn_message

    tmp, line = office
    sink = Sink()
    server = Server(sink, dsn=True)
    server.start()
    try:
        config_with(tmp, mail=mail_config(server.port))
        assert deliver(tmp)[0] == 0
    finally:
        server.stop()
    notice = next(m for m in sink.messages if "Pemberitahuan Tertulis" in m["Subject"])
    reports = tmp_path / "dsn"
    reports.mkdir()
    # the relay reports it delivered after it was sent (`sent` bears the clock's time, not --date)
    now = dt.datetime.now(WITA)
    (reports / "laporan.eml").write_bytes(dsn_message(notice["Message-ID"], arrival=format_datetime(now)))
    (reports / "bukan-laporan.eml").write_bytes(b"Subject: halo\r\n\r\nbukan DSN\r\n")
    code, out = deliver(tmp, "--dsn", str(reports), "--date", now.date().isoformat())
    assert code == 0 and [(x["how"], x["at"][:10]) for x in out if x.get("type") == "delivered"] == \
        [("dsn", now.date().isoformat())]
    from pipeline.delivery import receipt_day
    from pipeline.register import Register
    rec = Register(tmp / "records").load().records[line["register_no"]]
    assert receipt_day(rec, notice["X-PPID-Letter"]) == now.date()
    code, out = deliver(tmp, "--dsn", str(reports), "--date", now.date().isoformat())  # read again: recorded once
    assert [x for x in out if x.get("type") == "delivered"] == [] and len(events(tmp, "delivered")) == 1
