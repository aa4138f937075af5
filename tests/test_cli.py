"""The `ppid` command line: exit codes and the exact messages a clerk reads."""

from __future__ import annotations

import json

from click.testing import CliRunner

from helpers import ROOT, TEMPLATES, another_person, base_request, write_request
from pipeline.cli import main

EXEMPT_ITEM = "Salinan data NIK dan NKK pemilih Kota Kupang"


def ppid(tmp_path, *args, date="2026-11-27"):
    common = ["--config", str(ROOT / "config"), "--records", str(tmp_path / "records"), "--date", date]
    return CliRunner().invoke(main, [*args, *common])


def run(tmp_path, inbox, date):
    return ppid(tmp_path, "run", str(inbox), "--json", "--no-pdf", "--templates", str(TEMPLATES),
                "--out", str(tmp_path / "out"), date=date)


def test_validate_an_objection_against_the_register_exactly_as_run_would(tmp_path):
    inbox = tmp_path / "inbox"
    refusal = {"by": "Nama Pejabat PPID", "items": [{"item": 1, "status": "partial", "ground": "h",
                                                     "redact": ["NIK", "NKK"], "consequence": "Data pribadi terbuka"}]}
    write_request(inbox, "a.yaml", base_request(information=[EXEMPT_ITEM], decision=refusal))
    assert run(tmp_path, inbox, "2026-11-27").exit_code == 0
    later = tmp_path / "later"
    path = write_request(later, "k.yaml", base_request("objection", "letter", received="2026-12-01 10:00"))

    checked = ppid(tmp_path, "validate", str(path), "--json", date="2026-12-01")
    line = json.loads(checked.stdout)
    assert checked.exit_code == 0
    assert (line["status"], line["missing"], line["letters"], line["due"]) == (
        "review", [], ["objection_receipt"], "2027-01-18")
    assert ppid(tmp_path, "validate", str(path), date="2026-12-01").stdout == f"OK {path}: review\n"

    ran = run(tmp_path, later, "2026-12-01")
    out = json.loads(ran.stdout)
    assert (out["status"], out["missing"], out["due"]) == (line["status"], line["missing"], line["due"])
    assert [x["kind"] for x in out["letters"]] == line["letters"]


def test_validate_honours_records(tmp_path):
    path = write_request(tmp_path / "inbox", "k.yaml", base_request("objection", "letter", received="2026-12-01 10:00"))
    result = ppid(tmp_path, "validate", str(path), date="2026-12-01")  # an empty register: no such number
    assert result.exit_code == 1
    assert result.stdout == (f"INCOMPLETE {path}: objection_to: '0001/PPID/2026' is not a register number "
                             "of this office\n")
    assert not (tmp_path / "records").exists()  # validate writes nothing


def test_validate_json_gives_errors_as_data_and_keeps_the_spec_error(tmp_path):
    path = write_request(tmp_path / "inbox", "bad.yaml",
                         "service: information\nchannel: surat\nreceived: 2026-11-20 09:15\n")
    result = ppid(tmp_path, "validate", str(path), "--json")
    line = json.loads(result.stdout)
    assert result.exit_code == 1 and line["status"] == "rejected_file"
    assert line["error"] == (f"{path}:2: field 'channel' 'surat' is not allowed; use one of: letter, whatsapp, "
                             "email, eppid, walk_in")
    assert line["errors"] == [{"code": "field", "field": "channel", "line": 2, "message": "'surat' is not allowed",
                               "hint": "use one of: letter, whatsapp, email, eppid, walk_in", "text": line["error"]}]


def test_deadline_without_a_number_or_date_is_bad_usage(tmp_path):
    result = ppid(tmp_path, "deadline")
    assert result.exit_code == 2
    assert result.stderr == "Error: name a register number, or give --from DATE [--days N]\n"


def test_due_with_nothing_open(tmp_path):
    result = ppid(tmp_path, "due")
    assert (result.exit_code, result.stdout) == (0, "Nothing open on 2026-11-27.\n")


def test_due_names_what_rules_only_propose_and_the_regime(tmp_path):
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(information=["Notulen rapat koordinasi pengelolaan arsip 2025"]))
    run(tmp_path, inbox, "2026-11-27")
    result = ppid(tmp_path, "due", "--json")
    assert [(x["register_no"], x["due"], x["regime"], x["proposed"]) for x in map(json.loads, result.stdout.splitlines())] == [
        ("0001/PPID/2026", "2026-12-04", "", None)]
    write_request(inbox, "b.yaml", base_request(information=[EXEMPT_ITEM]))  # DIK-01 proposes, no decree
    run(tmp_path, inbox, "2026-11-27")
    listed = [json.loads(x) for x in ppid(tmp_path, "due", "--json").stdout.splitlines()]
    assert [(x["register_no"], x["proposed"]) for x in listed] == [
        ("0001/PPID/2026", None), ("0002/PPID/2026", "1: partial (DIK-01)")]
    text = ppid(tmp_path, "due").stdout
    assert "              proposed by rules, awaiting the PPID: 1: partial (DIK-01)\n" in text


def test_a_bad_config_is_exit_two_naming_the_file(tmp_path):
    config = tmp_path / "config"
    import shutil

    shutil.copytree(ROOT / "config", config)
    (config / "office.yaml").write_text((config / "office.yaml").read_text().replace("notice: 10", "notice: ten"))
    result = CliRunner().invoke(main, ["due", "--config", str(config), "--records", str(tmp_path / "r")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {config / 'office.yaml'}: deadlines.notice: must be one of")


def test_validate_shares_a_large_set_among_cpus_and_keeps_the_order(tmp_path, monkeypatch, cfg):
    from pipeline import office as O

    inbox = tmp_path / "inbox"
    for i in range(12):
        changes = {"purpose": None} if i % 3 == 0 else {}
        write_request(inbox, f"r{i:02d}.yaml", another_person(base_request(received=f"2026-11-20 09:{i:02d}", **changes), i))
    write_request(inbox, "r99.yaml", "service: informasi\nchannel: letter\nreceived: 2026-11-20 09:15\n")
    import datetime as dt

    office = O.Office(ROOT / "config", tmp_path / "records", date=dt.date(2026, 11, 27))
    alone = [o.validate_json() for o in office.validate([inbox])]
    monkeypatch.setattr(O, "PARALLEL_FROM", 2)
    shared = [o.validate_json() for o in office.validate([inbox])]
    assert shared == alone and len(alone) == 13
    assert [x["status"] for x in alone] == ["incomplete", "answered", "answered"] * 4 + ["rejected_file"]


def test_validate_says_a_seemingly_late_objection_waits_for_the_atasan_ppid(tmp_path):
    """Counted from the notice's date only: the day of receipt is not known, so not late on proof."""
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(information=["Notulen rapat koordinasi pengelolaan arsip 2025"],
                                                decision={"by": "PPID", "items": [{"item": 1, "status": "open"}]}))
    run(tmp_path, inbox, "2026-11-27")
    path = write_request(tmp_path / "later", "k.yaml", base_request("objection", "letter", received="2027-01-15 08:00"))
    result = ppid(tmp_path, "validate", str(path), date="2027-01-15")
    assert result.stdout.startswith(f"OK {path}: review\n")
    assert "the Atasan PPID decides" in result.stdout and "on or after 2026-11-30" in result.stdout


def test_validate_says_a_late_objection_will_be_answered_as_inadmissible(tmp_path):
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(information=["Notulen rapat koordinasi pengelolaan arsip 2025"],
                                                decision={"by": "PPID", "items": [{"item": 1, "status": "open"}]}))
    run(tmp_path, inbox, "2026-11-27")  # written notice dated Fri 27 Nov 2026: the window ends Thu 14 Jan 2027
    path = write_request(tmp_path / "later", "k.yaml", base_request("objection", "letter", received="2027-01-15 08:00",
                                                                      notice_received="2026-11-27"))
    result = ppid(tmp_path, "validate", str(path), date="2027-01-15")
    assert result.exit_code == 0
    assert result.stdout == (f"OK {path}: answered (inadmissible)\n"
                             "   warning: objection filed on 2027-01-15, after the last day 2027-01-14 (counted from "
                             "the notice received): answered as inadmissible\n")


def test_an_attachment_name_with_a_nul_byte_says_so(tmp_path):
    """Hostile round 3: the message suggested a symlink loop."""
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(letter="surat\x00.pdf"))
    result = CliRunner().invoke(main, ["validate", str(inbox / "a.yaml"), "--config", str(ROOT / "config"),
                                       "--records", str(tmp_path / "records"), "--date", "2026-11-27"])
    assert "Traceback" not in result.output and "control character" in result.output
    assert "symlink loop" not in result.output


def test_a_run_that_starts_a_new_register_says_so_once(tmp_path):
    """`--records /typo` would start a register of its own with numbers from 1 and no word: the
    summary says the folder held none (stdout: stderr keeps one line per error)."""
    write_request(tmp_path / "in", "a.yaml", base_request())
    plain = ("run", str(tmp_path / "in"), "--no-pdf", "--templates", str(TEMPLATES), "--out", str(tmp_path / "out"))
    first = ppid(tmp_path, *plain)
    assert first.exit_code == 0, first.output
    assert f"a new register: {tmp_path / 'records'} held none before this run" in first.stdout
    assert "a new register" not in first.stderr
    again = ppid(tmp_path, *plain)
    assert again.exit_code == 0 and "Register:" in again.stdout and "a new register" not in again.output


def test_a_date_with_a_typo_in_the_year_is_refused_by_every_command(tmp_path):
    for args in (["due"], ["stats"], ["run", str(tmp_path)]):
        for date in ("0001-01-01", "2206-11-27"):
            result = ppid(tmp_path, *args, date=date)
            assert result.exit_code == 2 and f"--date {date}" in result.output and "typo in the year" in result.output


def test_a_run_dated_before_the_registers_letters_is_refused_and_writes_nothing(tmp_path):
    """Letters issued on 30 Nov: a run dated 27 Nov would date new letters before them, with
    later numbers (a backdated letter); it stops before anything is written."""
    write_request(tmp_path / "in", "a.yaml", base_request())
    assert run(tmp_path, tmp_path / "in", "2026-11-30").exit_code == 0
    log = (tmp_path / "records" / "events.jsonl").read_bytes()
    write_request(tmp_path / "in2", "b.yaml", base_request(received="2026-11-25 10:00", information=[
        "Jadwal rapat pleno terbuka KPU Provinsi NTT"]))
    late = run(tmp_path, tmp_path / "in2", "2026-11-27")
    assert late.exit_code == 2 and "letters dated up to 2026-11-30" in late.output
    assert (tmp_path / "records" / "events.jsonl").read_bytes() == log
    assert run(tmp_path, tmp_path / "in2", "2026-11-30").exit_code in (0, 1)


def test_a_templates_folder_that_is_not_there_is_named_before_anything_is_written(tmp_path):
    write_request(tmp_path / "in", "a.yaml", base_request())
    result = ppid(tmp_path, "run", str(tmp_path / "in"), "--no-pdf", "--templates", str(tmp_path / "templates"),
                  "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "no such templates folder" in result.output and "--templates" in result.output
    assert not (tmp_path / "records" / "events.jsonl").exists()
