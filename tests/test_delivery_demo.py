"""`make demo`'s delivery step (pipeline.delivery.demo) on a copy of the demo's register, at
chosen times of the machine's clock: the letters owed by e-mail reach a real SMTP sink
(aiosmtpd, as the demo runs it), addressed as the requests say; the register records them
`sent` at that moment; the requester's reply the demo records is dated on or after the day
they went out and not after the processing date; the status page and the reminders print.

The e-mails go out at the machine's clock, which the demo's --now sets here. From 16:00 UTC
the clock is already the next day in WITA: on 2026-12-07 from 16:00 UTC `make demo` stopped
with "tanggal diterima … sebelum tanggal pengiriman" (fixed in 9bcfe50). Each clock below is
one side of that hour, on the processing date and on the day of that failure; the real date
plays no part (the batches and the demo are given their dates)."""

from __future__ import annotations

import datetime as dt
import email
import json
import os
import re
import shutil
import subprocess
import sys
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import yaml

from pipeline.loading import WITA
from tests.delivery_support import ROOT

# slow: the three `ppid run` batches make the letters with LibreOffice (about 20 s), then ~5 s per
# clock. Not --no-pdf: a letter without its PDF is not owed by e-mail (delivery.state.letters_of),
# so the demo would send nothing and record no reply.
pytestmark = pytest.mark.slow

CLOCKS = [  # the machine's clock (UTC) while the demo sends
    pytest.param("2027-01-20T15:30:00+00:00", id="processing-date-23.30-WITA"),
    pytest.param("2027-01-20T16:30:00+00:00", id="processing-date-next-day-00.30-WITA"),
    pytest.param("2026-12-07T15:30:00+00:00", id="2026-12-07-23.30-WITA"),
    pytest.param("2026-12-07T16:30:00+00:00", id="2026-12-07-next-day-00.30-WITA-the-failure"),
]


def demo_steps() -> tuple[list[tuple[str, str]], str]:
    """What `make demo` runs, read from the Makefile: the `ppid run` batches (inbox, processing
    date), and the processing date of the delivery demo."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    dates = dict(re.findall(r"^(DEMO_DATE\d*) := (\S+)$", text, re.M))
    runs = [(inbox, dates[var]) for inbox, var in
            re.findall(r"/ppid run (\S+) --date \$\((DEMO_DATE\d*)\) --out out/demo", text)]
    demo = re.search(r"-m pipeline\.delivery\.demo --records records --out out/demo --date \$\((DEMO_DATE\d*)\)",
                     text)
    assert len(runs) == 3 and demo, "the demo target changed: update this test"
    return runs, dates[demo.group(1)]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """A command as `make demo` runs it, in the test's folder, with this checkout's code."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def events(records: Path) -> list[dict]:
    return [json.loads(x) for x in (records / "events.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def demo_register(tmp_path_factory):
    """The register `make demo`'s three batches leave, made in a temporary folder (its own copy of
    the config and the inboxes), before the delivery demo."""
    tmp = tmp_path_factory.mktemp("demo")
    shutil.copytree(ROOT / "config", tmp / "config")
    runs, date = demo_steps()
    for inbox, day in runs:
        shutil.copytree(ROOT / inbox, tmp / inbox)
        r = run("pipeline", "run", str(tmp / inbox), "--date", day, "--out", str(tmp / "out"), "--records",
                str(tmp / "records"), "--config", str(tmp / "config"), "--templates", str(ROOT / "templates"),
                cwd=tmp)
        assert r.returncode in (0, 1), r.stderr  # as the Makefile: 1 is a request still incomplete
    return tmp, dt.date.fromisoformat(date)


def owed_by_email(records: Path) -> dict[tuple[str, str], str]:
    """(register number, letter number) -> address of every letter owed by e-mail."""
    from pipeline.delivery.state import letters_of
    from pipeline.register import Register

    out = {}
    for rec in Register(records).load().records.values():
        for d in letters_of(rec, mail=True):
            if d.method == "email" and d.state == "owed":
                out[(d.register_no, d.letter_no)] = rec.personal["email"]
    return out


def requests(log: list[dict]) -> dict[str, dict]:
    """Register number -> the request file it was registered from, as written."""
    return {e["register_no"]: yaml.safe_load(Path(e["source"]).read_text(encoding="utf-8"))
            for e in log if e["type"] == "received"}


def check_mail(out: Path, owed: dict, asked: dict[str, dict], now: dt.datetime, stdout: str) -> dict:
    """Every letter owed by e-mail went to the sink once, to the address its request gives."""
    files = sorted((out / "mail").glob("*.eml"))
    mails = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    got = {(m["X-PPID-Register"], m["X-PPID-Letter"]): m for m in mails}
    assert len(owed) > 10 and len(got) == len(mails) == len(owed) and set(got) == set(owed)
    assert f"Sent {len(owed)}, failed 0, waiting 0," in stdout
    assert f"the sink received {len(owed)} message(s), kept as .eml in {out / 'mail'}/" in stdout
    for (register_no, letter_no), m in got.items():
        request = asked[register_no]
        assert m["To"].addresses[0].addr_spec == request["requester"]["email"] == owed[register_no, letter_no]
        assert request.get("delivery") in ("email", None)  # e-mail asked for, or the channel's way
        assert letter_no in m["Subject"] and parsedate_to_datetime(m["Date"]) == now
        assert any(p.get_content_type() == "application/pdf" for p in m.iter_attachments())
    for register_no, request in asked.items():  # each request asking for e-mail got its letters by e-mail
        if request.get("delivery") == "email":
            assert any(k[0] == register_no for k in got), register_no
    return got


def check_reply(records: Path, cfg: Path, log: list[dict], sent_on: dt.date, processing: dt.date,
                stdout: str) -> str | None:
    """The requester's reply: on or after the day the e-mail went out, never after the processing
    date, two working days after the notice at the earliest; none when the e-mails went out after it."""
    replies = [e for e in log if e["type"] == "delivered" and e.get("how") == "reply"]
    said = re.findall(r"The requester of (\S+) replied on (\S+) that the written notice (\S+) arrived", stdout)
    if sent_on > processing:
        assert replies == [] and said == []
        return None
    assert len(replies) == 1 and len(said) == 1
    reply = replies[0]
    assert said[0] == (reply["register_no"], reply["at"], reply["letter_no"]) and reply["by"] == "demo-clerk"
    letter = next(e for e in log if e["type"] == "letter" and e.get("letter_no") == reply["letter_no"]
                  and e["register_no"] == reply["register_no"])
    assert letter["kind"] == "decision_notice"
    from pipeline.office import Office

    notice_day = dt.date.fromisoformat(letter["date"][:10])
    two_days = Office(cfg, records, date=processing).clock.explain_from(notice_day, 2).due
    day = dt.date.fromisoformat(reply["at"])
    assert day == max(two_days, sent_on) and sent_on <= day <= processing
    return reply["register_no"]


@pytest.mark.parametrize("clock", CLOCKS)
def test_the_demos_delivery_at_either_side_of_16_utc(demo_register, tmp_path, clock):
    src, processing = demo_register
    now = dt.datetime.fromisoformat(clock)
    sent_on = now.astimezone(WITA).date()
    records, out = tmp_path / "records", tmp_path / "out"
    shutil.copytree(src / "records", records)  # the letters' PDFs stay where the batches made them
    owed = owed_by_email(records)
    r = run("pipeline.delivery.demo", "--records", str(records), "--out", str(out), "--date", processing.isoformat(),
            "--config", str(src / "config"), "--now", clock, cwd=tmp_path)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stdout + r.stderr
    assert "A local SMTP sink (aiosmtpd) listens on 127.0.0.1:" in r.stdout
    log = events(records)
    got = check_mail(out, owed, requests(log), now, r.stdout)

    sent = [e for e in log if e["type"] == "sent"]
    assert sorted((e["register_no"], e["letter_no"]) for e in sent) == sorted(got)
    for e in sent:  # at the clock's moment, in WITA, and the message-ID the requester got
        assert e["channel"] == "email" and e["at"] == now.astimezone(WITA).isoformat(timespec="seconds")
        assert e["message_id"] == got[e["register_no"], e["letter_no"]]["Message-ID"]
    assert not [e for e in log if e["type"] == "delivery_failed"]
    replied = check_reply(records, out / "config", log, sent_on, processing, r.stdout)
    for e in log:  # whatever receipt the register holds is not before its letter went out
        if e["type"] == "delivered" and (e["register_no"], e["letter_no"]) in got:
            assert dt.date.fromisoformat(e["at"][:10]) >= sent_on

    page = re.search(r"Status page \(make desk, then http://127\.0\.0\.1:8470/cek\?no=(\S+)&kode=(\w+)\): "
                     r"status (\w+), (\d+) letter\(s\)", r.stdout)
    assert page and page[3] != "?" and int(page[4]) >= 1, r.stdout
    codes = {e["register_no"]: e.get("status_code") for e in log if e["type"] == "received"}
    assert codes[page[1]] == page[2] and (replied is None or page[1] == replied)
    assert (records / "public" / "status-index.json").is_file()

    from pipeline.formatting import date_id

    digests = r.stdout.split("ppid remind --print (each officer's digest):\n", 1)
    assert len(digests) == 2 and re.search(r"^=== .+ \((ppid|atasan_ppid|clerk)\) — ", digests[1], re.M)
    assert f"per {date_id(processing)}:" in digests[1]
