"""The one clock (spec section 6): one home for every deadline, the election-stage regime,
and every reader (letters, `ppid deadline`, `ppid due`, the register book) following config."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from helpers import ROOT, TEMPLATES, base_request, write_request
from pipeline import deadlines
from pipeline.batch import Batch, find_request_files
from pipeline.outcome import Output
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.register import Register


def test_only_the_clock_adds_working_days():
    """A deadline is counted in deadlines.py (on calendar.py's days) and nowhere else."""
    offenders = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        if path.name in ("calendar.py", "deadlines.py"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"add_working_days\(", line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == [], "count deadlines with pipeline.deadlines.Clock, not add_working_days:\n" + "\n".join(offenders)


def config_with(tmp_path: Path, **deadline_changes) -> Path:
    """A copy of the repository's config with office.yaml `deadlines:` changed."""
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    office = yaml.safe_load((folder / "office.yaml").read_text(encoding="utf-8"))
    office["deadlines"].update(deadline_changes)
    (folder / "office.yaml").write_text(yaml.safe_dump(office, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


STAGE = {"name": "Pemilihan Gubernur dan Wakil Gubernur NTT (uji)", "from": dt.date(2026, 12, 1),
         "to": dt.date(2026, 12, 31)}


def test_regime_follows_the_day_the_clock_starts(tmp_path):
    cfg = load_config(config_with(tmp_path, election_periods=[STAGE]))
    clock = cfg.clock
    ordinary = clock.regime(dt.date(2026, 11, 30))
    assert (ordinary.election, ordinary.notice, ordinary.extension, ordinary.objection_answer) == (False, 10, 7, 30)
    stage = clock.regime(dt.date(2026, 12, 1))
    assert (stage.election, stage.name, stage.notice, stage.extension, stage.objection_answer) == (
        True, STAGE["name"], 3, 2, 3)
    assert stage.objection_window == 30 and stage.commission == 14  # not shortened by the stage
    assert "Peraturan Komisi Informasi Nomor 1 Tahun 2019" in stage.basis and ordinary.basis == ""
    assert deadlines.numbers(cfg) == {"notice": 10, "extension": 7, "objection_window": 30,
                                      "objection_answer": 30, "commission": 14}


def test_an_election_stage_request_across_christmas(tmp_path):
    # Received Wed 23 Dec 2026, inside the stage: 24 Dec cuti bersama, 25 Dec Natal, 26-27
    # weekend; day 1 Mon 28 Dec, day 2 Tue 29 Dec, day 3 Wed 30 Dec: the notice is due then.
    config = config_with(tmp_path, election_periods=[STAGE])
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(received="2026-12-23 09:00",
                                                information=["Notulen rapat koordinasi pengelolaan arsip dinamis 2025"]))
    common = ["--config", str(config), "--records", str(tmp_path / "records")]
    result = CliRunner().invoke(main, ["run", str(inbox), "--json", "--no-pdf", "--templates", str(TEMPLATES),
                                       "--out", str(tmp_path / "out"), "--date", "2026-12-23", *common])
    line = json.loads(result.stdout.splitlines()[0])
    assert line["due"] == "2026-12-30"
    out = CliRunner().invoke(main, ["deadline", "0001/PPID/2026", "--date", "2026-12-23", *common])
    assert out.exit_code == 0
    lines = out.stdout.splitlines()
    assert lines[0] == "0001/PPID/2026: complete on 2026-12-23, 3 working days, written notice"
    assert lines[1] == (f"Regime: election-stage regime '{STAGE['name']}' (Peraturan Komisi Informasi Nomor 1 "
                        "Tahun 2019 tentang Standar Layanan dan Prosedur Penyelesaian Sengketa Informasi "
                        "Pemilihan Umum dan Pemilihan)")
    assert lines[-1] == "Due: 2026-12-30"
    assert "2026-12-25 Jumat  skipped" in out.stdout
    due = CliRunner().invoke(main, ["due", "--json", "--date", "2026-12-23", *common])
    assert [(x["due"], x["regime"]) for x in map(json.loads, due.stdout.splitlines())] == [
        ("2026-12-30", STAGE["name"])]


def _letters(cfg, tmp_path, inbox, date):
    reg = Register(tmp_path / "records", numbering=cfg.numbering)
    with reg.locked():
        batch = Batch(cfg, reg, today=date, out=tmp_path / "out", templates=TEMPLATES, output=Output.DOCX)
        outcomes = list(batch.run(find_request_files(inbox), inbox))
    return {j.kind: j.context for o in outcomes for j in o.jobs}, outcomes


def test_changed_numbers_reach_letters_deadline_and_due(tmp_path):
    """notice 5, extension 3, objection_answer 20: every reader follows the config."""
    config = config_with(tmp_path, notice=5, extension=3, objection_answer=20)
    cfg = load_config(config)
    inbox = tmp_path / "inbox"
    # Fri 20 Nov 2026: day 5 is Fri 27 Nov; extended by 3: Wed 2 Dec.
    write_request(inbox, "a.yaml", base_request(information=["Notulen rapat koordinasi pengelolaan arsip 2025"],
                                                decision={"by": "Nama Pejabat PPID",
                                                          "extend": {"reason": "Arsip di gudang kabupaten"}}))
    contexts, outcomes = _letters(cfg, tmp_path, inbox, dt.date(2026, 11, 23))
    receipt, ext = contexts["receipt"], contexts["extension_notice"]
    assert receipt["request"]["period"] == receipt["deadlines"]["notice"] == "5 (lima) hari kerja"
    assert receipt["request"]["due"] == "27 November 2026"
    assert receipt["deadlines"]["objection_answer"] == "20 (dua puluh) hari kerja"
    assert receipt["regime"] == {"election": False, "name": "", "basis": ""}
    assert ext["extension"]["days"] == 3 and ext["extension"]["new_due"] == "2 Desember 2026"
    assert outcomes[0].due == "2026-12-02"
    common = ["--config", str(config), "--records", str(tmp_path / "records"), "--date", "2026-11-23"]
    out = CliRunner().invoke(main, ["deadline", "0001/PPID/2026", *common])
    assert out.stdout.splitlines()[0] == "0001/PPID/2026: complete on 2026-11-20, 8 working days, written notice, extended by 3"
    assert out.stdout.splitlines()[-1] == "Due: 2026-12-02"
    due = CliRunner().invoke(main, ["due", "--json", *common])
    assert [x["due"] for x in map(json.loads, due.stdout.splitlines())] == ["2026-12-02"]
    # an objection is answered within objection_answer days of its receipt: from Tue 1 Dec, 2-4 Dec
    # days 1-3, 7-11 Dec 4-8, 14-18 Dec 9-13, 21-23 Dec 14-16, (24, 25 off) 28-31 Dec 17-20
    clock = cfg.clock
    assert clock.objection_answer_due(dt.date(2026, 12, 1)) == dt.date(2026, 12, 31)


def test_an_extension_longer_than_the_regime_allows_is_a_rejected_file(tmp_path):
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(decision={"extend": {"days": 8, "reason": "Arsip"}}))
    result = CliRunner().invoke(main, ["validate", str(inbox / "a.yaml"), "--json", "--config", str(ROOT / "config"),
                                       "--records", str(tmp_path / "records"), "--date", "2026-11-27"])
    line = json.loads(result.stdout)
    assert result.exit_code == 1 and line["status"] == "rejected_file"
    assert [(e["code"], e["field"], e["message"]) for e in line["errors"]] == [
        ("range", "decision.extend.days", "is 8")]
    assert "an extension is 1 to 7 working days" in line["error"]


@pytest.mark.parametrize("bad,words", [
    ({"election": {"notice": 0}}, "deadlines.election.notice"),
    ({"election_periods": [{"name": "X", "from": "2026-12-10", "to": "2026-12-01"}]}, "'to' on or after 'from'"),
    ({"election_periods": [{"name": "X", "from": "kemarin", "to": "2026-12-01"}]}, "dates like"),
    ({"notise": 10}, "deadlines.notise"),
])
def test_a_wrong_deadlines_section_is_a_config_error(tmp_path, bad, words):
    with pytest.raises(ConfigError, match=re.escape(words)):
        load_config(config_with(tmp_path, **bad))


def test_letters_of_an_election_stage_request_name_the_regime(tmp_path):
    cfg = load_config(config_with(tmp_path, election_periods=[STAGE]))
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(received="2026-12-23 09:00",
                                                information=["Notulen rapat koordinasi pengelolaan arsip 2025"]))
    contexts, outcomes = _letters(cfg, tmp_path, inbox, dt.date(2026, 12, 23))
    receipt = contexts["receipt"]
    assert receipt["regime"]["election"] is True and receipt["regime"]["name"] == STAGE["name"]
    assert receipt["regime"]["basis"].startswith("Jangka waktu layanan yang disebut dalam surat ini mulai dihitung "
                                                 f"pada masa tahapan {STAGE['name']}")
    assert receipt["deadlines"]["notice"] == receipt["request"]["period"] == "3 (tiga) hari kerja"
    assert receipt["deadlines"]["extension"] == "2 (dua) hari kerja"
    assert receipt["deadlines"]["objection_answer"] == "3 (tiga) hari kerja"
    assert receipt["deadlines"]["objection_window"] == "30 (tiga puluh) hari kerja"
    assert receipt["request"]["due"] == "30 Desember 2026"
