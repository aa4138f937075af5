"""Delivery without a server: config checks, the state of a letter from its events, receipt
as the law counts it, the status code, DSN reading, the message's text (spec sections 3, 9)."""

from __future__ import annotations

import datetime as dt
import json
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.delivery import codes, dsn, message, receipt_day, state
from pipeline.delivery.settings import delivery_settings
from tests.delivery_support import dsn_message  # noqa: F401 - test_delivery imports it from here
from pipeline.errors import ConfigError
from pipeline.loading import WITA
from pipeline.register import Record
from tests.delivery_support import config_with

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=WITA)


def record(*deliveries, delivery="email", channel="letter", email="a@example.org", letters=None) -> Record:
    rec = Record(register_no="0001/PPID/2026", key="k", year=2026)
    rec.row.update(delivery=delivery, channel=channel, service="information", requester_name="Maria",
                   status_code="K7M4QX9P")
    rec.personal = {"email": email, "phone": "081234567890"}
    rec.letters = letters if letters is not None else [
        {"kind": "receipt", "letter_no": "1/L/2026", "date": "2026-11-20", "pdf": "/x/1.pdf"},
        {"kind": "decision_notice", "letter_no": "2/L/2026", "date": "2026-11-26", "pdf": "/x/2.pdf"}]
    rec.deliveries = list(deliveries)
    return rec


def ev(type_, letter_no="2/L/2026", **kw):
    return {"type": type_, "register_no": "0001/PPID/2026", "letter_no": letter_no, **kw}


# --- config ------------------------------------------------------------------------------------

BAD_MAIL = [
    ({"host": "smtp.example.go.id", "security": "none", "from": "a@b.id"}, "only to a loopback host"),
    ({"host": "127.0.0.1", "security": "plain", "from": "a@b.id"}, "security 'plain' is unknown"),
    ({"host": "", "from": "a@b.id"}, "mail.host is missing"),
    ({"host": "smtp.example.go.id", "from": "nobody"}, "mail.from is missing or not an address"),
    ({"host": "smtp.example.go.id", "from": "a@b.id", "username": "u"}, "no password_env"),
    ({"host": "smtp.example.go.id", "from": "a@b.id", "port": 0}, "port must be a port number"),
    ({"host": "smtp.example.go.id", "from": "a@b.id", "pasword": "x"}, "mail.pasword is unknown"),
]


@pytest.mark.parametrize("mail,message_part", BAD_MAIL)
def test_a_wrong_mail_block_is_a_config_error_exit_2(tmp_path, mail, message_part):
    cfg = config_with(tmp_path, mail=mail)
    r = CliRunner().invoke(main, ["deliver", "--config", str(cfg), "--records", str(tmp_path / "records")])
    assert r.exit_code == 2 and message_part in r.output and "office.yaml" in r.output


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "localhost"])
def test_security_none_is_accepted_for_a_loopback_host(tmp_path, host):
    from pipeline.config import load_config

    cfg = load_config(config_with(tmp_path, mail={"host": host, "security": "none", "from": "a@b.id"}))
    assert delivery_settings(cfg).mail.port == 25


def test_public_base_url_must_be_a_web_address(tmp_path):
    from pipeline.config import load_config

    with pytest.raises(ConfigError, match="public_base_url"):
        delivery_settings(load_config(config_with(tmp_path, public_base_url="ppid.example.go.id")))


# --- status code -------------------------------------------------------------------------------


def test_status_codes_are_eight_unambiguous_characters_and_differ():
    seen = {codes.new_status_code() for _ in range(2000)}
    assert len(seen) == 2000
    assert all(len(c) == 8 and not set(c) & set("01OIL") for c in seen)


@pytest.mark.parametrize("typed,printed", [("k7m4-qx9p", "K7M4QX9P"), (" K7M4 QX9P ", "K7M4QX9P"),
                                           ("K7M4QX90", None), ("K7M4QX9", None), ("", None)])
def test_a_typed_code_is_read_as_printed(typed, printed):
    assert codes.clean(typed) == printed


def test_status_url_names_number_and_code():
    assert codes.status_url("https://ppid.example.go.id/", "0001/PPID/2026", "K7M4QX9P") == \
        "https://ppid.example.go.id/cek?no=0001%2FPPID%2F2026&kode=K7M4QX9P"
    assert codes.status_url(None, "0001/PPID/2026", "K7M4QX9P") == ""


# --- the state of a letter ---------------------------------------------------------------------

STATES = [  # events of the decision notice -> its state, with mail configured
    ([], "owed"),
    ([ev("delivery_failed", at="2026-11-27T08:00:00+08:00", error="451 busy", permanent=False)], "retry"),
    ([ev("delivery_failed", at="2026-11-27T08:00:00+08:00", error="550 no", permanent=True)], "failed"),
    ([ev("delivery_failed", at="2026-11-27T08:00:00+08:00", error="550 no", permanent=True),
      {"type": "address_corrected", "register_no": "0001/PPID/2026", "at": "2026-11-27T08:30:00+08:00"}], "owed"),
    ([ev("sent", at="2026-11-27T08:00:00+08:00", channel="email", message_id="<m>")], "sent"),
    ([ev("sent", at="2026-11-27T08:00:00+08:00"), ev("delivered", at="2026-11-28", how="dsn")], "delivered"),
]


@pytest.mark.parametrize("events,expected", STATES)
def test_state_of_a_letter_follows_its_events(events, expected):
    d = {x.letter_no: x for x in state.letters_of(record(*events), mail=True)}["2/L/2026"]
    assert d.state == expected


@pytest.mark.parametrize("delivery,mail,email,expected", [
    ("email", False, "a@example.org", "handover"),  # no mail server: a person hands it over
    ("email", True, None, "handover"),  # no address on file (purged, or never given)
    ("pickup", True, "a@example.org", "handover"),
    ("post", True, "a@example.org", "handover"),
    ("whatsapp", True, "a@example.org", "handover"),
    ("email", True, "a@example.org", "owed"),
])
def test_what_is_not_sent_by_mail_is_a_hand_over_task(delivery, mail, email, expected):
    d = state.letters_of(record(delivery=delivery, email=email), mail=mail)[1]
    assert d.state == expected and d.open


def test_retry_waits_for_its_back_off_and_gives_up_after_max_attempts():
    fail = ev("delivery_failed", at="2026-11-27T08:00:00+08:00", error="451", permanent=False)
    d = state.letters_of(record(fail, fail), mail=True, retry_minutes=(5, 15, 60))[1]
    assert d.attempts == 2 and d.next_try == dt.datetime(2026, 11, 27, 8, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert not state.due_now(d, dt.datetime(2026, 11, 27, 8, 10, tzinfo=WITA))
    assert state.due_now(d, dt.datetime(2026, 11, 27, 8, 16, tzinfo=WITA))
    d = state.letters_of(record(fail, fail, fail), mail=True, max_attempts=3)[1]
    assert d.state == "failed"


def test_a_walk_in_receipt_is_handed_over_at_the_counter_and_not_owed():
    kinds = [d.kind for d in state.letters_of(record(channel="walk_in", delivery="pickup"), mail=True)]
    assert kinds == ["decision_notice"]


def test_a_letter_whose_pdf_failed_is_not_delivered_before_it_is_made():
    letters = [{"kind": "decision_notice", "letter_no": "2/L/2026", "date": "2026-11-26", "pdf": None,
                "error": "PDF conversion failed"}]
    assert state.letters_of(record(letters=letters), mail=True) == []


KEY = b"k" * 32


def test_message_id_is_fixed_by_register_and_letter_number_and_keyed_by_the_office():
    a = state.message_id("0001/PPID/2026", "2/L/2026", "kpu.go.id", KEY)
    assert a == state.message_id("0001/PPID/2026", "2/L/2026", "kpu.go.id", KEY)
    assert a != state.message_id("0001/PPID/2026", "3/L/2026", "kpu.go.id", KEY)
    assert a != state.message_id("0001/PPID/2026", "2/L/2026", "kpu.go.id", b"j" * 32)  # not computable without it
    assert a.startswith("<ppid.") and a.endswith("@kpu.go.id>")


# --- receipt as the law counts it ---------------------------------------------------------------

RECEIPT = [  # UU ITE Pasal 8 ayat 2: received when it enters the recipient's system
    ([ev("sent", at="2026-11-26T10:00:00+08:00", channel="email")], None),  # relay acceptance is not receipt
    ([ev("sent", at="2026-11-26T10:00:00+08:00"), ev("delivered", at="2026-11-26T10:05:00+08:00", how="dsn")],
     dt.date(2026, 11, 26)),
    ([ev("delivered", at="2026-11-30", how="reply")], dt.date(2026, 11, 30)),
    ([ev("delivered", at="2026-11-30", how="post"), ev("delivered", at="2026-11-28", how="reply")],
     None),  # conflicting records of receipt prove no day (never the earliest: fail closed)
    ([ev("delivered", at="2026-11-30", how="post"), ev("delivered", at="2026-11-30T15:00:00+08:00", how="reply")],
     dt.date(2026, 11, 30)),  # two records of one day agree
    ([ev("delivered", letter_no="1/L/2026", at="2026-11-21", how="pickup")], None),  # another letter
]


@pytest.mark.parametrize("events,day", RECEIPT)
def test_receipt_day_is_the_day_of_a_delivered_event(events, day):
    assert receipt_day(record(*events), "2/L/2026") == day


# --- DSN -----------------------------------------------------------------------------------------


def test_a_dsn_reporting_delivered_records_receipt_on_its_arrival_day():
    mid = state.message_id("0001/PPID/2026", "2/L/2026", "kpu-ntt.example", KEY)
    rec = record(ev("sent", at="2026-11-27T10:00:00+08:00", channel="email", message_id=mid))
    assert rec.register_no == "0001/PPID/2026"
    parsed = dsn.parse(dsn_message(mid))
    assert parsed["action"] == "delivered" and parsed["message_id"] == mid

    class Reg:
        records = {rec.register_no: rec}

    from pipeline.delivery.settings import DeliverySettings, MailSettings
    settings = DeliverySettings(mail=MailSettings("127.0.0.1", 25, "none", "p@kpu-ntt.example"),
                                public_base_url=None)
    events = dsn.events_for([parsed], Reg, settings, dt.date(2026, 11, 30))
    assert [(e["letter_no"], e["how"], e["at"][:10]) for e in events] == [("2/L/2026", "dsn", "2026-11-28")]
    assert dsn.events_for([dsn.parse(dsn_message(mid, "failed"))], Reg, settings, dt.date(2026, 11, 30)) == []
    assert dsn.parse(b"Subject: hello\r\n\r\nnot a report") is None


def dsn_dated(message_id: str, arrival: str) -> bytes:
    return dsn_message(message_id, arrival=arrival)


MID = state.message_id("0001/PPID/2026", "2/L/2026", "kpu-ntt.example", KEY)
OLD_MID = "<ppid.0123456789abcdef01234567@kpu-ntt.example>"  # an unkeyed ID from before, as recorded when sent
SENT = ev("sent", at="2026-11-27T10:00:00+08:00", channel="email", message_id=MID)
DSN_REFUSED = [  # (the letter's events, the DSN's Message-ID, its Arrival-Date, why it proves nothing)
    ([SENT], MID, "Thu, 19 Nov 2026 02:09:00 +0000", "before the letter's date 2026-11-26"),
    ([SENT], MID, "Thu, 26 Nov 2026 02:09:00 +0000", "before the letter was sent (2026-11-27)"),
    ([SENT], MID, "Wed, 02 Dec 2026 02:09:00 +0000", "after today (2026-11-30)"),
    ([ev("delivery_failed", at="2026-11-27T10:00:00+08:00", message_id=MID, error="x")], MID,
     "Sat, 28 Nov 2026 02:09:00 +0000", "never sent by e-mail"),
    ([SENT], "<ppid.9a3f@kpu-ntt.example>", "Sat, 28 Nov 2026 02:09:00 +0000", "Message-ID unknown"),
    ([SENT, ev("delivered", at="2026-11-29", how="reply")], MID, "Sat, 28 Nov 2026 02:09:00 +0000",
     "already recorded as received on 2026-11-29"),
]


def _reg(rec):
    class Reg:
        records = {rec.register_no: rec}
    return Reg


def _settings():
    from pipeline.delivery.settings import DeliverySettings, MailSettings
    return DeliverySettings(mail=MailSettings("127.0.0.1", 25, "none", "p@kpu-ntt.example"), public_base_url=None)


@pytest.mark.parametrize("events,mid,arrival,why", DSN_REFUSED)
def test_a_dsn_that_cannot_be_a_receipt_is_refused_with_the_reason(events, mid, arrival, why):
    out = dsn.events_for([dsn.parse(dsn_dated(mid, arrival))], _reg(record(*events)), _settings(),
                         dt.date(2026, 11, 30))
    assert len(out) == 1 and why in out[0]["refused"]


def test_a_letter_sent_under_an_old_unkeyed_message_id_still_matches_its_dsn():
    rec = record(ev("sent", at="2026-11-27T10:00:00+08:00", channel="email", message_id=OLD_MID))
    out = dsn.events_for([dsn.parse(dsn_message(OLD_MID))], _reg(rec), _settings(), dt.date(2026, 11, 30))
    assert [(e["type"], e["at"][:10]) for e in out] == [("delivered", "2026-11-28")]


# --- the message -----------------------------------------------------------------------------------


def test_the_message_is_indonesian_and_names_register_letter_and_status_code(tmp_path):
    pdf = tmp_path / "surat.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    doc = tmp_path / "rekap.xlsx"
    doc.write_bytes(b"PK\x03\x04")
    letter = message.Letter("0001/PPID/2026", "12/HM.02-SD/53/2026", "decision_notice", "information",
                            "Maria Goreti Bria", "maria@example.org", "K7M4QX9P", pdf, (doc,))
    data = message.build(letter, sender="PPID KPU Provinsi NTT <ppid@kpu-ntt.example>", message_id="<m@x>",
                         office={"short": "KPU Provinsi Nusa Tenggara Timur", "address": "Kupang"},
                         base_url="https://ppid.example.go.id", now=NOW)
    msg = message_from_bytes(data, policy=policy.default)
    assert msg["Subject"] == "Pemberitahuan Tertulis Nomor 12/HM.02-SD/53/2026 (Registrasi 0001/PPID/2026)"
    body = msg.get_body(("plain",)).get_content()
    for part in ("Yth. Sdr./Sdri. Maria Goreti Bria", "nomor registrasi 0001/PPID/2026", "K7M4QX9P",
                 "https://ppid.example.go.id/cek?no=0001%2FPPID%2F2026&kode=K7M4QX9P", "Turut kami lampirkan 1 berkas"):
        assert part in body
    assert [p.get_filename() for p in msg.iter_attachments()] == ["surat.pdf", "rekap.xlsx"]
    assert msg["Message-ID"] == "<m@x>" and b"\r\n" in data


def test_a_missing_attachment_is_an_error_naming_the_file(tmp_path):
    letter = message.Letter("0001/PPID/2026", "1", "receipt", "information", "M", "m@example.org", "K7M4QX9P",
                            tmp_path / "gone.pdf")
    with pytest.raises(message.MessageError, match="gone.pdf"):
        message.build(letter, sender="p@x.id", message_id="<m@x>", office={}, base_url=None, now=NOW)


def test_the_status_code_is_in_the_book_and_never_in_the_analysts_export():
    from pipeline.export import personal_columns
    from pipeline.schema import BOOK_COLUMNS

    assert "status_code" in BOOK_COLUMNS
    assert "status_code" in personal_columns(list(BOOK_COLUMNS))


# --- statistics -------------------------------------------------------------------------------------


def test_book_fields_count_sent_and_received_notices_in_working_days():
    from pipeline.calendar import WorkingCalendar
    from pipeline.delivery.figures import book_fields

    cal = WorkingCalendar()
    sent = ev("sent", at="2026-11-26T10:00:00+08:00", channel="email")
    assert book_fields(record(sent), cal) == {"notice_sent_on": "2026-11-26", "notice_received_on": None,
                                              "notice_receipt_days": None}
    got = ev("delivered", at="2026-11-30", how="reply")  # Thursday 26 -> Monday 30: 2 working days
    assert book_fields(record(sent, got), cal)["notice_receipt_days"] == 2
    pickup = ev("delivered", at="2026-11-27", how="pickup")
    assert book_fields(record(pickup), cal) == {"notice_sent_on": "2026-11-27", "notice_received_on": "2026-11-27",
                                                "notice_receipt_days": 1}


def test_statistics_give_the_share_of_notices_sent_and_received_and_the_median_days():
    import pandas as pd

    from pipeline import stats

    rows = [  # four written notices; three sent, two shown received (2 and 4 working days)
        ("0001/PPID/2026", "2026-11-26", "2026-11-26", "2026-11-30", 2),
        ("0002/PPID/2026", "2026-11-26", "2026-11-27", None, None),
        ("0003/PPID/2026", "2026-11-26", "2026-11-26", "2026-12-02", 4),
        ("0004/PPID/2026", "2026-11-26", None, None, None),
    ]
    book = pd.DataFrame([{"register_no": r, "received_at": "2026-11-16 09:00", "service": "information",
                          "channel": "email", "status": "answered", "outcome": "granted", "answered_at": a,
                          "due_date": "2026-11-30", "working_days": 7, "on_time": True, "notice_sent_on": s,
                          "notice_received_on": g, "notice_receipt_days": d} for r, a, s, g, d in rows])
    result = stats.compute_year(book, 2026, dt.date(2026, 12, 31))
    assert result["delivery"] == {"notices": 4, "sent": 3, "sent_pct": 75.0, "received": 2, "received_pct": 50.0,
                                  "receipt_days": {"count": 2, "median": 3.0, "mean": 3.0, "min": 2, "max": 4}}


def test_the_register_keeps_every_delivery_event_and_the_earliest_day_of_receipt(tmp_path):
    from pipeline.register import Register

    reg = Register(tmp_path)
    reg.append([{"type": "received", "register_no": "0001/PPID/2026", "key": "k", "register_seq": 1,
                 "register_year": 2026, "received_at": "2026-11-20 09:00", "row": {"received_at": "2026-11-20 09:00"}},
                {"type": "letter", "register_no": "0001/PPID/2026", "kind": "decision_notice", "letter_no": "2/L/2026",
                 "date": "2026-11-26", "pdf": "/x.pdf"},
                ev("sent", at="2026-11-26T10:00:00+08:00", channel="email", message_id="<m>"),
                ev("delivered", at="2026-11-30", how="post"), ev("delivered", at="2026-11-27", how="reply")])
    rec = Register(tmp_path).load().records["0001/PPID/2026"]
    assert [e["type"] for e in rec.deliveries] == ["sent", "delivered", "delivered"]
    assert receipt_day(rec, "2/L/2026") is None  # two different days: no day proven
