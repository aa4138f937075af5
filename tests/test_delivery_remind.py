"""`ppid remind`: one digest per officer of what is theirs; printed without a mail server,
e-mailed through a real one (aiosmtpd) with it."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.delivery.remind import report_due
from tests.delivery_support import ROOT, Server, Sink, config_with, inbox_with, mail_config

STAFF = [
    {"name": "Yosefina Ndoen", "role": "ppid", "email": "ppid@kpu-ntt.example", "position": "PPID"},
    {"name": "Gregorius Lake", "role": "atasan_ppid", "email": "atasan@kpu-ntt.example"},
    {"name": "Yuliana Seran", "role": "clerk", "email": "umum@kpu-ntt.example"},
]
# requests decided, and one the PPID must still decide (review)
FILES = ["2026-11-20-maria-bria.yaml", "2026-11-18-theresia-mau.yaml", "2026-11-16-yoakim-tefa.yaml"]


@pytest.fixture
def office(tmp_path):
    cfg = config_with(tmp_path, staff=STAFF)
    inbox = inbox_with(tmp_path, FILES)
    r = CliRunner().invoke(main, ["run", str(inbox), "--no-pdf", "--config", str(cfg), "--records",
                                  str(tmp_path / "records"), "--out", str(tmp_path / "out"), "--date", "2026-11-27",
                                  "--templates", str(ROOT / "templates")], catch_exceptions=False)
    assert r.exit_code in (0, 1), r.output
    return tmp_path


def remind(tmp, *args, date="2026-12-09"):
    return CliRunner().invoke(main, ["remind", "--config", str(tmp / "config"), "--records", str(tmp / "records"),
                                     "--date", date, *args])


def test_without_mail_the_digests_are_printed_one_per_officer_with_their_own_items(office):
    r = remind(office, "--within", "10")
    assert r.exit_code == 0, r.output
    blocks = {b.split(" <")[0]: b for b in r.stdout.split("=== ")[1:]}
    assert set(blocks) <= {"Yosefina Ndoen", "Gregorius Lake", "Yuliana Seran"} and "Yosefina Ndoen" in blocks
    assert "permohonan informasi publik" in blocks["Yosefina Ndoen"]
    assert "Yth. Yosefina Ndoen" in blocks["Yosefina Ndoen"]
    assert "keberatan" not in blocks.get("Yuliana Seran", "")


@pytest.mark.parametrize("today,expected", [
    (dt.date(2027, 3, 31), dt.date(2027, 3, 31)),
    (dt.date(2027, 3, 10), dt.date(2027, 3, 31)),  # 15 working days before
    (dt.date(2027, 2, 15), None),
    (dt.date(2027, 4, 1), None),
])
def test_the_annual_report_is_reminded_from_15_working_days_before_31_march(today, expected):
    from pipeline.calendar import WorkingCalendar

    assert report_due(today, WorkingCalendar()) == expected


def test_the_ppid_is_reminded_of_the_annual_report_in_march(office):
    r = remind(office, "--within", "0", date="2027-03-20")
    assert "Laporan Layanan Informasi Publik tahun 2026" in r.stdout and "31 Maret 2027" in r.stdout


def test_with_mail_each_officer_gets_one_message(office):
    sink = Sink()
    server = Server(sink)
    server.start()
    try:
        config_with(office, mail=mail_config(server.port))
        r = remind(office, "--within", "10")
        assert r.exit_code == 0, r.output
        to = sorted(m["To"] for m in sink.messages)
        assert len(to) == len(set(to)) and "ppid@kpu-ntt.example" in to
        msg = next(m for m in sink.messages if m["To"] == "ppid@kpu-ntt.example")
        assert msg["Subject"].startswith("Pengingat PPID:") and "Yth. Yosefina Ndoen" in msg.get_content()
    finally:
        server.stop()


def test_no_staff_is_a_usage_error(tmp_path):
    cfg = config_with(tmp_path, staff=[])
    r = CliRunner().invoke(main, ["remind", "--config", str(cfg), "--records", str(tmp_path / "records")])
    assert r.exit_code == 2 and "staff:" in r.output
