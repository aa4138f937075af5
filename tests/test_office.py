"""One Office under every front end (issue 19): the CLI, the book and the desk give one answer.

- a changed file is matched to its registered request by `validate` as by `run`;
- an answered request in an election stage has one due date in `ppid due`, the book and
  the desk (the one clock, with the election periods);
- the desk follows the log through the register's one reader (`Register.refresh`).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from helpers import ROOT, TEMPLATES, base_request, write_request
from pipeline.book import read_book
from pipeline.cli import main
from pipeline.errors import RegisterError
from pipeline.office import Office
from pipeline.outcome import Output
from pipeline.register import EVENTS, Register

DATE = dt.date(2026, 11, 27)
STAGE = {"name": "Pemilihan Gubernur dan Wakil Gubernur NTT (uji)", "from": dt.date(2026, 12, 1),
         "to": dt.date(2026, 12, 31)}


def config_with_stage(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    office = yaml.safe_load((folder / "office.yaml").read_text(encoding="utf-8"))
    office["deadlines"]["election_periods"] = [STAGE]
    (folder / "office.yaml").write_text(yaml.safe_dump(office, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cfg_main():
    from pipeline.config import load_config

    return load_config(ROOT / "config")


def run_inbox(office: Office, inbox: Path, out: Path):
    return office.run(inbox, out, templates=TEMPLATES, output=Output.DOCX)


# --- validate == run ------------------------------------------------------------------------


CHANGES = [  # (what the second file does, the status run and validate both give)
    ("another requester names the register number", {"register_no": "0001/PPID/2026",
                                                     "requester": {**base_request()["requester"],
                                                                   "name": "Yohanes Ndun"}}, "rejected_file"),
    ("a wrong register number", {"register_no": "0099/PPID/2026"}, "rejected_file"),
    ("the same requester supplements it", {"register_no": "0001/PPID/2026",
                                           "purpose": "Bahan tulisan tentang partisipasi pemilih"},
     "rejected_file"),  # a supplement completes only an incomplete request (spec section 3)
]


@pytest.mark.parametrize("what,changes,status", CHANGES, ids=[c[0] for c in CHANGES])
def test_validate_matches_a_changed_file_to_its_request_as_run_does(tmp_path, cfg_main, what, changes, status):
    def office():
        return Office(ROOT / "config", tmp_path / "records", date=DATE, cfg=cfg_main)

    first = tmp_path / "inbox1"
    write_request(first, "a.yaml", base_request())
    run_inbox(office(), first, tmp_path / "out")
    later = tmp_path / "inbox2"
    path = write_request(later, "b.yaml", base_request(received="2026-11-26 10:00", **changes))
    validated = next(office().validate([path]))
    assessed = office().assess(path, later)
    ran = run_inbox(office(), later, tmp_path / "out").outcomes[0]
    assert validated.status == assessed.status == ran.status == status, (validated, ran)
    assert validated.due == assessed.due == ran.due
    if status == "rejected_file":
        assert validated.error == ran.error


def test_validate_of_another_requesters_file_at_the_same_path_is_rejected_as_in_run(tmp_path):
    """The same file name in the same inbox, a changed `received` and another name: run refuses
    it (a new request needs a new file name), and so does validate now."""
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request())
    run_inbox(Office(ROOT / "config", tmp_path / "records", date=DATE), inbox, tmp_path / "out")
    other = base_request(received="2026-11-21 08:00")
    other["requester"] = dict(other["requester"], name="Yohanes Ndun", identity={
        "type": "ktp", "number": "5371019999990001", "copy": "ktp.jpg"})
    path = write_request(inbox, "a.yaml", other)
    result = CliRunner().invoke(main, ["validate", str(path), "--json", "--config", str(ROOT / "config"),
                                       "--records", str(tmp_path / "records"), "--date", DATE.isoformat()])
    line = json.loads(result.stdout)
    assert line["status"] == "rejected_file"  # received fixed once a letter is out, and another requester
    assert result.exit_code == 1
    ran = run_inbox(Office(ROOT / "config", tmp_path / "records", date=DATE), inbox, tmp_path / "out")
    assert ran.outcomes[0].error == line["error"]


# --- one clock --------------------------------------------------------------------------------


def test_an_answered_election_stage_request_has_one_due_date_in_due_the_book_and_the_desk(tmp_path):
    from pipeline.desk import decisions
    from pipeline.desk.state import Desk, Settings

    config = config_with_stage(tmp_path)
    inbox = tmp_path / "inbox"
    # Wed 23 Dec 2026, inside the stage: day 3 is Wed 30 Dec (24-27 Dec are no working days);
    # the ordinary regime would say Tue 12 Jan 2027.
    write_request(inbox, "a.yaml", base_request(
        received="2026-12-23 09:00", information=["Notulen rapat koordinasi pengelolaan arsip dinamis 2025"],
        decision={"by": "Nama Pejabat PPID", "items": [{"item": 1, "status": "open"}]}))
    office = Office(config, tmp_path / "records", date=dt.date(2026, 12, 23))
    ran = run_inbox(office, inbox, tmp_path / "out").outcomes[0]
    assert ran.status == "answered" and ran.due == "2026-12-30"
    book = read_book(tmp_path / "records")
    assert str(book.loc[0, "due_date"]) == "2026-12-30"
    due = CliRunner().invoke(main, ["due", "--json", "--date", "2026-12-29", "--config", str(config),
                                    "--records", str(tmp_path / "records")])
    assert due.stdout == ""  # answered: nothing open
    rno = ran.register_no
    assert office.due_of(rno)[0] == dt.date(2026, 12, 30)
    desk = Desk(Settings(config=config, records=tmp_path / "records", inbox_root=tmp_path, warm=False,
                         date=dt.date(2026, 12, 29)))
    rec = desk.register().records[rno]
    assert decisions.due_of(rec, desk.cfg, desk.today())[0] == dt.date(2026, 12, 30)
    assert desk.due_of(rno)[0] == dt.date(2026, 12, 30)
    assert desk.cfg.clock is desk.office.clock


def test_an_open_election_stage_request_is_due_the_same_day_in_due_and_the_desk_queue(tmp_path):
    from pipeline.desk import decisions
    from pipeline.desk.state import Desk, Settings

    config = config_with_stage(tmp_path)
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(
        received="2026-12-23 09:00", information=["Notulen rapat koordinasi pengelolaan arsip dinamis 2025"]))
    office = Office(config, tmp_path / "records", date=dt.date(2026, 12, 23))
    ran = run_inbox(office, inbox, tmp_path / "out").outcomes[0]
    assert ran.status == "review"
    due = CliRunner().invoke(main, ["due", "--json", "--date", "2026-12-29", "--config", str(config),
                                    "--records", str(tmp_path / "records")])
    [line] = map(json.loads, due.stdout.splitlines())
    desk = Desk(Settings(config=config, records=tmp_path / "records", inbox_root=tmp_path, warm=False,
                         date=dt.date(2026, 12, 29)))
    [entry] = decisions.queue(desk.register(), desk.cfg, desk.today(), tmp_path, {})
    assert line["due"] == entry.due.isoformat() == str(read_book(tmp_path / "records").loc[0, "due_date"]) \
        == "2026-12-30"
    assert line["days_left"] == entry.days_left == desk.due_of(ran.register_no)[1] == 1


# --- the one reader of the log ---------------------------------------------------------------


def test_refresh_follows_the_log_and_waits_for_an_unfinished_append(tmp_path):
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request())
    office = Office(ROOT / "config", tmp_path / "records", date=DATE)
    reader = Register(tmp_path / "records").load()
    assert reader.records == {}
    run_inbox(office, inbox, tmp_path / "out")
    assert list(reader.refresh().records) == ["0001/PPID/2026"]
    n = reader.events_read
    log = tmp_path / "records" / EVENTS
    size = log.stat().st_size
    intent = log.with_name(f".{EVENTS}.pending")
    intent.write_text(f"{size}\n")  # an append under way: what follows is not there yet
    with log.open("ab") as fh:
        fh.write(json.dumps({"type": "answered", "register_no": "0001/PPID/2026",
                             "answered_at": "2026-11-27"}).encode() + b"\n")
    assert reader.refresh().events_read == n
    intent.unlink()
    assert reader.refresh().events_read == n + 1


def test_refresh_refuses_a_bad_line_naming_it_as_load_does(tmp_path):
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request())
    run_inbox(Office(ROOT / "config", tmp_path / "records", date=DATE), inbox, tmp_path / "out")
    reader = Register(tmp_path / "records").load()
    lines = (tmp_path / "records" / EVENTS).read_text().count("\n")
    with (tmp_path / "records" / EVENTS).open("a") as fh:
        fh.write(json.dumps({"type": "answered", "register_no": "0001/PPID/2026"}) + "\n")
    with pytest.raises(RegisterError, match=rf"events.jsonl:{lines + 1}: .*without 'answered_at'"):
        reader.refresh()
    with pytest.raises(RegisterError, match=rf"events.jsonl:{lines + 1}: .*without 'answered_at'"):
        Register(tmp_path / "records").load()


def test_the_desk_reads_the_log_only_through_the_register():
    """No module outside register.py opens events.jsonl to read it."""
    offenders = []
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        if path.name == "register.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "EVENTS" in text and ("open(" in text or "read_bytes" in text) and "import EVENTS" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_second_clock_is_built_outside_config():
    """`Clock(` is constructed only where the config is read (pipeline/config.py)."""
    offenders = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "pipeline").rglob("*.py"))
                 if p.name not in ("config.py", "deadlines.py") and "Clock(" in p.read_text(encoding="utf-8")]
    assert offenders == []


# --- one list of people (spec section 9) -----------------------------------------------------


def office_yaml_with(tmp_path: Path, change) -> Path:
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    data = yaml.safe_load((folder / "office.yaml").read_text(encoding="utf-8"))
    change(data)
    (folder / "office.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def test_staff_is_the_one_list_of_people_and_signatories_come_from_it(tmp_path):
    from pipeline.config import load_config

    def add(data):
        data["staff"].append({"name": "Drs. Yosef Nifu", "nip": "196805121994031002", "position": "Anggota",
                              "role": "member", "email": "yosef@example.go.id"})
        data["staff"].append({"name": "Ani Taek", "role": "clerk", "email": "ani@example.go.id"})

    cfg = load_config(office_yaml_with(tmp_path, add))
    # the starter lists the PPID, the Atasan PPID and the demo's secretary and delegated official
    assert [p.role for p in cfg.staff] == ["ppid", "atasan_ppid", "secretary", "delegated", "delegated", "member",
                                             "clerk"]
    assert cfg.person("ppid").name == "Nama Pejabat PPID"
    assert cfg.signatory("atasan_ppid") == {"title": "Sekretaris", "name": "Nama Atasan PPID", "nip": "",
                                            "office": "Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur"}
    assert cfg.named("drs.  yosef nifu").nip == "196805121994031002"
    assert [p.name for p in cfg.people("clerk")] == ["Ani Taek"]


STAFF_ERRORS = [
    ("two PPIDs", lambda d: d["staff"].append({"name": "Lain", "role": "ppid"}),
     "exactly one person with role ppid signs the letters of that role; found 2 (Nama Pejabat PPID, Lain)"),
    ("no Atasan PPID", lambda d: d["staff"].pop(1), "exactly one person with role atasan_ppid"),
    ("an unknown role", lambda d: d["staff"].append({"name": "X", "role": "boss"}),
     "staff[5].role: 'boss' is not a role; use one of ppid, atasan_ppid, member"),
    ("no name", lambda d: d["staff"].append({"role": "clerk"}), "staff[5].name: give the person's name"),
    ("reports to nobody listed", lambda d: d["staff"][3].update(reports_to="Tak Dikenal"),
     "staff[3].reports_to: 'Tak Dikenal' is not on the staff list"),
    ("no staff", lambda d: d.pop("staff"), "staff: list the office's people"),
]


@pytest.mark.parametrize("change,message", [c[1:] for c in STAFF_ERRORS], ids=[c[0] for c in STAFF_ERRORS])
def test_a_wrong_staff_list_is_a_config_error_naming_the_entry(tmp_path, change, message):
    from pipeline.config import load_config
    from pipeline.errors import ConfigError

    with pytest.raises(ConfigError, match="office.yaml: ") as exc:
        load_config(office_yaml_with(tmp_path, change))
    assert message in str(exc.value)


def test_an_older_config_with_signatories_still_loads(tmp_path):
    from pipeline.config import load_config

    def older(data):
        data.pop("staff")
        data["signatories"] = {role: {"title": t, "office": "Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur",
                                      "name": n, "nip": ""}
                               for role, t, n in (("ppid", "Pejabat Pengelola Informasi dan Dokumentasi", "A"),
                                                  ("atasan_ppid", "Atasan PPID", "B"))}

    cfg = load_config(office_yaml_with(tmp_path, older))
    assert cfg.signatories["ppid"]["title"] == "Pejabat Pengelola Informasi dan Dokumentasi"
    assert (cfg.person("atasan_ppid").name, cfg.person("atasan_ppid").position) == ("B", "Atasan PPID")


def test_the_office_is_named_from_config_not_code():
    """The office's name is config's: no module writes it into a letter or a stamp itself."""
    offenders = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "pipeline").rglob("*.py"))
                 if "PPID KPU Provinsi NTT" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_validate_of_a_registered_incomplete_file_still_says_what_is_missing(tmp_path, cfg_main):
    inbox = tmp_path / "inbox"
    path = write_request(inbox, "a.yaml", base_request(purpose=None))
    run_inbox(Office(ROOT / "config", tmp_path / "records", date=DATE, cfg=cfg_main), inbox, tmp_path / "out")
    [o] = Office(ROOT / "config", tmp_path / "records", date=DATE, cfg=cfg_main).validate([path])
    assert (o.status, o.unchanged, list(o.details)) == ("incomplete", True, ["purpose"])
    result = CliRunner().invoke(main, ["validate", str(path), "--config", str(ROOT / "config"),
                                       "--records", str(tmp_path / "records"), "--date", DATE.isoformat()])
    assert result.stdout.startswith(f"INCOMPLETE {path}: purpose: ") and result.exit_code == 1


def test_a_changed_received_is_refused_in_validate_as_in_run(tmp_path, cfg_main):
    """`received` cannot change once a letter is out (spec section 3): validate says so as run does."""
    def office():
        return Office(ROOT / "config", tmp_path / "records", date=DATE, cfg=cfg_main)

    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request())
    run_inbox(office(), inbox, tmp_path / "out")
    path = write_request(inbox, "a.yaml", base_request(received="2026-11-20 10:15"))  # an hour later
    [validated] = office().validate([path])
    ran = run_inbox(office(), inbox, tmp_path / "out").outcomes[0]
    assert validated.status == ran.status == "rejected_file"
    assert validated.error == ran.error and "received cannot change" in ran.error

def test_a_requests_history_waits_for_an_unfinished_append(tmp_path, cfg_main):
    from pipeline.register import events_of

    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(purpose=None))
    write_request(inbox, "b.yaml", base_request(received="2026-11-20 10:00"))
    run_inbox(Office(ROOT / "config", tmp_path / "records", date=DATE, cfg=cfg_main), inbox, tmp_path / "out")
    records = tmp_path / "records"
    first = [e["type"] for e in events_of(records, "0001/PPID/2026")]
    assert first == ["received", "incomplete", "letter"]
    assert all(e["register_no"] == "0002/PPID/2026" for e in events_of(records, "0002/PPID/2026"))
    log = records / EVENTS
    log.with_name(f".{EVENTS}.pending").write_text(f"{log.stat().st_size}\n")  # an append under way
    with log.open("a") as fh:
        fh.write(json.dumps({"type": "withdrawn", "register_no": "0001/PPID/2026",
                             "withdrawn_at": "2026-11-25"}) + "\n")
    assert [e["type"] for e in events_of(records, "0001/PPID/2026")] == first  # not yet
    log.with_name(f".{EVENTS}.pending").unlink()
    assert [e["type"] for e in events_of(records, "0001/PPID/2026")] == first + ["withdrawn"]
