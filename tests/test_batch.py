"""`ppid run` without PDFs: registering, idempotent reruns, edits, rejected files, exit codes, the book."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.register import Register
from helpers import ROOT, TEMPLATES, base_request, write_request

SPEC_COLUMNS = ("register_no, received_at, completed_at, service, channel, requester_kind, requester_name, "
                "subject, purpose, status, outcome, grounds, due_date, answered_at, working_days, on_time, "
                "extended, letter_no").split(", ")


def run(tmp_path, inbox, *extra, date="2026-11-27"):
    args = ["run", str(inbox), "--json", "--no-pdf", "--config", str(ROOT / "config"),
            "--templates", str(TEMPLATES), "--records", str(tmp_path / "records"),
            "--out", str(tmp_path / "out"), "--date", date, *extra]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, {line["file"].rsplit("/", 1)[-1]: line for line in lines}


def events(tmp_path):
    path = tmp_path / "records" / "events.jsonl"
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def test_batch_registers_checks_and_decides(tmp_path, inbox):
    write_request(inbox, "a.yaml", base_request())
    write_request(inbox, "b.yaml", base_request(source=None, information=["Rekap hasil pemilihan gubernur 2024"]))
    write_request(inbox, "c.yaml", base_request("consultation", "email"))
    code, out = run(tmp_path, inbox)
    assert code == 1  # one request is incomplete
    assert out["a.yaml"]["status"] == "answered" and out["a.yaml"]["outcome"] == "granted"
    assert out["a.yaml"]["items"][0]["status"] == "open" and out["a.yaml"]["items"][0]["rule"].startswith("DIP")
    assert out["a.yaml"]["due"] == "2026-12-04"
    assert [x["kind"] for x in out["a.yaml"]["letters"]] == ["receipt", "decision_notice"]
    assert out["b.yaml"]["status"] == "incomplete" and out["b.yaml"]["missing"] == ["source"]
    assert out["b.yaml"]["outcome"] is None and out["b.yaml"]["due"] is None
    assert [x["kind"] for x in out["b.yaml"]["letters"]] == ["incomplete_notice"]
    assert out["c.yaml"]["status"] == "scheduled"
    assert sorted(x["register_no"] for x in out.values()) == ["0001/PPID/2026", "0002/PPID/2026", "0003/PPID/2026"]
    letter_nos = sorted(int(x["letter_no"].split("/")[0]) for line in out.values() for x in line["letters"])
    assert letter_nos == list(range(1, len(letter_nos) + 1))  # gapless
    for line in out.values():
        for letter in line["letters"]:
            assert (tmp_path / "out").exists() and letter["pdf"] is None
            assert letter["docx"].endswith(".docx")

    book = pd.read_csv(tmp_path / "records" / "register.csv", dtype=str)
    assert set(SPEC_COLUMNS) <= set(book.columns)
    assert len(book) == 3
    parquet = pd.read_parquet(tmp_path / "records" / "register.parquet")
    assert list(parquet["register_no"]) == list(book["register_no"])
    row = book.set_index("register_no").loc["0001/PPID/2026"]
    assert row["answered_at"] == "2026-11-27" and row["working_days"] == "5" and row["on_time"] == "True"
    # personal data stays out of the book (UU 27/2022)
    text = (tmp_path / "records" / "register.csv").read_text()
    assert "081234567890" not in text and "5371012345670001" not in text and "maria@example.org" not in text


@pytest.mark.slow  # over 1.4 s: in make test, not the fast loop
def test_rerun_adds_nothing_and_renamed_copy_is_recognised(tmp_path, inbox):
    write_request(inbox, "a.yaml", base_request())
    run(tmp_path, inbox)
    before = events(tmp_path)
    (inbox / "copy-of-a.yaml").write_bytes((inbox / "a.yaml").read_bytes())
    code, out = run(tmp_path, inbox)
    assert code == 0
    assert events(tmp_path) == before
    assert out["a.yaml"]["unchanged"] and out["copy-of-a.yaml"]["unchanged"]
    assert out["a.yaml"]["letters"] == [] and out["a.yaml"]["register_no"] == "0001/PPID/2026"


@pytest.mark.slow  # over 1.4 s: in make test, not the fast loop
def test_supplied_requirements_complete_the_same_request(tmp_path, inbox):
    data = base_request()
    data["requester"]["identity"]["copy"] = "ktp-baru.jpg"
    write_request(inbox, "a.yaml", data)
    code, out = run(tmp_path, inbox, date="2026-11-20")
    assert out["a.yaml"]["status"] == "incomplete" and out["a.yaml"]["missing"] == ["identity_copy"]
    (inbox / "ktp-baru.jpg").write_bytes(b"\xff\xd8\xff photo")
    data["completed"] = "2026-11-24 10:00"
    write_request(inbox, "a.yaml", data)
    code, out = run(tmp_path, inbox, date="2026-11-27")
    line = out["a.yaml"]
    assert line["register_no"] == "0001/PPID/2026"  # not a new request
    assert line["status"] == "answered"
    assert line["due"] == "2026-12-08"  # day 1 = 25 Nov, the day after completion
    types = [e["type"] for e in events(tmp_path)]
    assert types.count("received") == 1 and "completed" in types and "updated" in types
    book = pd.read_csv(tmp_path / "records" / "register.csv", dtype=str)
    assert book.loc[0, "completed_at"] == "2026-11-24 10:00" and book.loc[0, "working_days"] == "3"


def test_rejected_file_enters_nothing_and_the_batch_goes_on(tmp_path, inbox):
    write_request(inbox, "a.yaml", base_request())
    write_request(inbox, "bad.yaml", "service: informasi\nchannel: letter\nreceived: 2026-11-20 09:15\n")
    code, out = run(tmp_path, inbox)
    assert code == 1
    bad = out["bad.yaml"]
    assert set(bad) == {"file", "status", "error", "errors"} and bad["status"] == "rejected_file"
    assert bad["errors"] == [{"code": "field", "field": "service", "line": 1,
                              "message": "'informasi' is not allowed (did you mean 'information'?)",
                              "hint": "use one of: information, consultation, objection, complaint",
                              "text": bad["error"]}]
    assert "bad.yaml:1: field 'service' 'informasi' is not allowed (did you mean 'information'?)" in out["bad.yaml"]["error"]
    assert out["a.yaml"]["status"] == "answered"
    assert all("bad.yaml" not in json.dumps(e) for e in events(tmp_path))


def test_all_through_exits_zero(tmp_path, inbox):
    write_request(inbox, "a.yaml", base_request())
    assert run(tmp_path, inbox)[0] == 0


def test_bad_config_exits_two_with_the_file_named(tmp_path, inbox):
    config = tmp_path / "config"
    config.mkdir()
    for name in ("office.yaml", "requirements.yaml"):
        (config / name).write_bytes((ROOT / "config" / name).read_bytes())
    (config / "information.yaml").write_text("- id: X\n  status: secret\n  keywords: [a]\n")
    write_request(inbox, "a.yaml", base_request())
    result = CliRunner().invoke(main, ["run", str(inbox), "--config", str(config), "--records", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert "information.yaml:2: rule X: status 'secret' is unknown" in result.stderr
    assert not (tmp_path / "r" / "events.jsonl").exists()


def test_torn_last_line_from_a_crash_is_dropped(tmp_path, inbox):
    write_request(inbox, "a.yaml", base_request())
    run(tmp_path, inbox)
    log = tmp_path / "records" / "events.jsonl"
    good = log.read_bytes()
    log.write_bytes(good + b'{"type": "received", "regis')
    log.with_name(".events.jsonl.pending").write_text(f"{len(good)}\n")  # a crash leaves the append's intent
    reg = Register(tmp_path / "records").load()  # a reader ignores the torn line, never writes
    assert log.read_bytes() == good + b'{"type": "received", "regis' and list(reg.records) == ["0001/PPID/2026"]
    with Register(tmp_path / "records").locked() as reg:  # the writer, holding the lock, cuts it off
        assert log.read_bytes() == good and list(reg.records) == ["0001/PPID/2026"]


def test_validate_writes_nothing(tmp_path, inbox):
    write_request(inbox, "a.yaml", base_request(purpose=None))
    result = CliRunner().invoke(main, ["validate", str(inbox / "a.yaml"), "--config", str(ROOT / "config"),
                                       "--records", str(tmp_path / "records"), "--date", "2026-11-27"])
    assert result.exit_code == 1
    assert "INCOMPLETE" in result.stdout and "purpose: purpose is not stated" in result.stdout
    assert not (tmp_path / "records").exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries({
    "name": st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
    "subject": st.text(st.characters(blacklist_categories=("Cs",)), max_size=80),
}), min_size=1, max_size=6))
def test_register_round_trip(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("reg")
    reg = Register(folder)
    import datetime as dt
    numbers = []
    for i, row in enumerate(rows):
        rno, seq = reg.next_number("register", dt.date(2026, 11, 20))
        numbers.append(rno)
        reg.append([{"type": "received", "register_no": rno, "key": f"k{i}", "digest": f"d{i}",
                     "register_seq": seq, "register_year": 2026,
                     "row": {"received_at": "2026-11-20 09:15", "service": "complaint", "channel": "email",
                             "requester_name": row["name"], "subject": row["subject"], "status": "registered"}}])
    again = Register(folder).load()
    assert list(again.records) == numbers == [f"{i:04d}/PPID/2026" for i in range(1, len(rows) + 1)]
    for rno, row in zip(numbers, rows):
        assert again.records[rno].row["requester_name"] == row["name"]
        assert again.records[rno].row["subject"] == row["subject"]


def test_supplement_in_a_later_inbox_names_its_register_number(tmp_path):
    day1, day2 = tmp_path / "inbox-2026-11-20", tmp_path / "inbox-2026-11-24"
    data = base_request()
    data["requester"]["identity"].pop("copy")
    write_request(day1, "maria.yaml", data)
    code, out = run(tmp_path, day1, date="2026-11-20")
    assert out["maria.yaml"]["missing"] == ["identity_copy"]
    data = base_request(completed="2026-11-24 10:00", register_no="0001/PPID/2026")
    write_request(day2, "maria-lengkap.yaml", data)
    code, out = run(tmp_path, day2, date="2026-11-24")
    assert out["maria-lengkap.yaml"]["register_no"] == "0001/PPID/2026"
    assert out["maria-lengkap.yaml"]["status"] == "answered"
    assert len(pd.read_csv(tmp_path / "records" / "register.csv")) == 1


def test_unknown_register_number_is_a_rejected_file(tmp_path, inbox):
    write_request(inbox, "a.yaml", base_request(register_no="0042/PPID/2026"))
    code, out = run(tmp_path, inbox)
    assert code == 1 and out["a.yaml"]["status"] == "rejected_file"
    assert "a.yaml:" in out["a.yaml"]["error"] and "field 'register_no' '0042/PPID/2026' is not in the register" in out["a.yaml"]["error"]
    assert events(tmp_path) == []


def test_one_person_two_letters_in_the_same_minute_are_two_requests(tmp_path, inbox):
    write_request(inbox, "surat-1.yaml", base_request())
    write_request(inbox, "surat-2.yaml", base_request(information=["Data pemilih disabilitas per kabupaten/kota"]))
    code, out = run(tmp_path, inbox)
    assert {out["surat-1.yaml"]["register_no"], out["surat-2.yaml"]["register_no"]} == {"0001/PPID/2026", "0002/PPID/2026"}
