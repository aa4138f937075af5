"""Who owns a record, continued (issue 18, the hostile test at the end of session 5).

1. A registered request's own file (same inbox, same name) does not prove who asks: a
   change of requester there (another name, identity number, or every registered contact
   once a letter is out) is held for a person, and the registered requester stays.
2. The original file after an accepted supplement is checked as a supplement is: what
   is registered (from the original or a supplement) is never erased by a later version,
   and no incomplete notice goes out again for what was supplied.
3. A renamed or copied file, edited, is no new request: the same requester asking the
   same thing as a registered, still open request is held, naming its number.
4. Small: a number as a name, `objection_to` on an information request, a control
   character in a file name, and warnings that say exactly which field differs.

Everything runs through the real `ppid` command on real inboxes and a real records folder.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import ROOT, base_request, write_request
from pipeline.office import Office
from test_integrity import (EXEMPT_ITEM, REFUSAL, book, events, no_id, objection, personal, ppid, run,
                            supplement)

MARIA = base_request()  # identity number 5371012345670001, phone 081234567890, maria@example.org
NO = "0001/PPID/2026"


def registered(tmp_path: Path, data: dict, name: str = "a.yaml") -> Path:
    records = tmp_path / "records"
    write_request(tmp_path / "in1", name, data)
    assert run(tmp_path / "in1", records)[1][name]["status"] != "rejected_file"
    return records


def three_answers(records: Path, path: Path, *, date: str = "2026-11-27") -> tuple[str, str, str]:
    """The status `run` would give, as validate and the desk's file status say it (one code path)."""
    val = ppid(records, "validate", str(path), "--json", date=date)
    import json

    office = Office(ROOT / "config", records, date=dt.date.fromisoformat(date))
    return json.loads(val.stdout.splitlines()[0])["status"], office.assess(path, path.parent).status, str(val.exit_code)


# --- 1. the own file does not prove who asks ---------------------------------------------------

def _renamed(data):
    data["requester"].update(name="Yuliana Nenobais", email="yuliana@example.org")
    return "requester.name"


def _new_id(data):
    data["requester"]["identity"]["number"] = "5371019999990002"
    return "requester.identity.number"


def _all_contacts(data):
    data["requester"].update(phone="081399990000", email="lain@evil.example")
    return "requester.phone"


IN_PLACE = [("another-name", _renamed, "was registered from this file for 'Maria Goreti Bria'"),
            ("another-identity-number", _new_id, "another identity number"),
            ("every-contact-replaced", _all_contacts, "replaces every contact")]


@pytest.mark.parametrize("change,words", [c[1:] for c in IN_PLACE], ids=[c[0] for c in IN_PLACE])
def test_the_requester_of_a_registered_request_does_not_change_with_its_file(tmp_path, change, words):
    records = registered(tmp_path, MARIA)  # answered: a receipt and a notice are out
    row_before, personal_before = book(records).loc[NO].copy(), personal(records, NO)
    n_events = len(events(records))
    edited = copy.deepcopy(MARIA)
    field = change(edited)
    path = write_request(tmp_path / "in1", "a.yaml", edited)

    code, lines = run(tmp_path / "in1", records)

    line = lines["a.yaml"]
    assert line["status"] == "rejected_file" and code == 1, line
    assert line["errors"][0]["code"] == "owner" and line["errors"][0]["field"] == field, line
    assert words in line["error"] and "a person" in line["error"] and "\n" not in line["error"], line
    assert line["errors"][0]["line"], line
    pd.testing.assert_series_equal(book(records).loc[NO], row_before)
    assert personal(records, NO) == personal_before and len(events(records)) == n_events
    assert three_answers(records, path)[:2] == ("rejected_file", "rejected_file")


def test_an_objection_from_a_name_put_into_the_file_is_still_refused(tmp_path):
    """The finding: the file renamed its requester, then an objection 'from' that name was accepted."""
    data = base_request(information=[EXEMPT_ITEM], decision=REFUSAL)
    records = registered(tmp_path, data)
    stranger = {"name": "Yuliana Nenobais", "kind": "individual", "phone": "081399990000",
                "email": "yuliana@example.org", "identity": {"type": "ktp", "copy": "ktp.jpg"}}
    write_request(tmp_path / "in1", "a.yaml", {**data, "requester": stranger})
    run(tmp_path / "in1", records)
    write_request(tmp_path / "in2", "k.yaml", objection(requester=stranger))

    code, lines = run(tmp_path / "in2", records, date="2026-12-01")

    assert lines["k.yaml"]["status"] == "rejected_file" and "another requester" in lines["k.yaml"]["error"], lines
    assert book(records).loc[NO, "requester_name"] == "Maria Goreti Bria"


LEGIT = [
    # id, the edit, what the register then holds
    ("name-respelled", {"requester": {"name": "BRIA, Maria  Goreti"}}, ("requester_name", "BRIA, Maria  Goreti")),
    ("purpose-changed", {"purpose": "Bahan tulisan tentang partisipasi pemilih"},
     ("purpose", "Bahan tulisan tentang partisipasi pemilih")),
    ("phone-reformatted", {"requester": {"phone": "+62 812-3456-7890"}}, ("requester_name", "Maria Goreti Bria")),
]


@pytest.mark.parametrize("edit,holds", [c[1:] for c in LEGIT], ids=[c[0] for c in LEGIT])
def test_the_own_file_may_still_be_corrected(tmp_path, edit, holds):
    records = registered(tmp_path, MARIA)
    data = copy.deepcopy(MARIA)
    data["requester"].update(edit.pop("requester", {}))
    data.update(edit)
    write_request(tmp_path / "in1", "a.yaml", data)

    code, lines = run(tmp_path / "in1", records)

    assert lines["a.yaml"]["status"] == "answered" and lines["a.yaml"]["register_no"] == NO, lines
    assert book(records).loc[NO, holds[0]] == holds[1]
    assert personal(records, NO)["phone"] == "081234567890"  # the registered spelling of a number stays


def test_a_contact_typo_is_corrected_before_any_letter_is_out(tmp_path):
    """A walk-in complaint gets no letter: the clerk may still correct the phone typed."""
    data = base_request("complaint", "walk_in")
    records = registered(tmp_path, data)
    assert not [e for e in events(records) if e["type"] == "letter"]
    write_request(tmp_path / "in1", "a.yaml", {**data, "requester": {**data["requester"], "phone": "081298765433"}})

    line = run(tmp_path / "in1", records)[1]["a.yaml"]

    assert line["status"] == "registered", line
    assert personal(records, NO)["phone"] == "081298765433"


def test_once_a_letter_is_out_one_changed_contact_is_kept_as_registered_and_named(tmp_path):
    records = registered(tmp_path, MARIA)
    write_request(tmp_path / "in1", "a.yaml", {**MARIA, "requester": {**MARIA["requester"], "phone": "081377778888"}})

    line = run(tmp_path / "in1", records)[1]["a.yaml"]

    assert line["status"] == "answered", line
    assert personal(records, NO)["phone"] == "081234567890"
    assert [w for w in line["warnings"] if "requester.phone" in w] == [
        f"requester.phone in this file is not the one registered with {NO}; the registered one is kept, as "
        "letters have gone out to it (a person corrects a registered contact)"], line["warnings"]
    assert not [w for w in line["warnings"] if "requester.email" in w or "identity" in w]


# --- 2. the original after an accepted supplement ------------------------------------------------


def supplemented(tmp_path: Path) -> tuple[Path, dict]:
    """0001 registered incomplete from in1/a.yaml (no source, no e-mail, no identity number),
    completed by in2/b.yaml, which gives them."""
    original = no_id(base_request(source=None))
    original["requester"]["email"] = None
    records = registered(tmp_path, original)
    assert book(records).loc[NO, "status"] == "incomplete"
    # in person (walk_in): a file proven by name and phone only may not add an e-mail or identity number
    fuller = supplement(original, source="Laman resmi KPU", completed="2026-11-25 10:00", channel="walk_in",
                        guest_book=True, requester={"email": "maria@example.org"})
    fuller["requester"]["identity"]["number"] = "5371012345670001"
    write_request(tmp_path / "in2", "b.yaml", fuller)
    assert run(tmp_path / "in2", records)[1]["b.yaml"]["status"] == "answered"
    return records, original


def notices(records: Path) -> list[str]:
    return [e["kind"] for e in events(records) if e["type"] == "letter" and e["kind"] == "incomplete_notice"]


def test_the_original_edited_after_a_supplement_erases_nothing_and_sends_no_notice(tmp_path):
    records, original = supplemented(tmp_path)
    sent = notices(records)
    write_request(tmp_path / "in1", "a.yaml", {**original, "purpose": "Bahan tulisan tentang partisipasi pemilih"})

    code, lines = run(tmp_path / "in1", records)

    line = lines["a.yaml"]
    assert line["status"] == "answered" and line["missing"] == [] and line["letters"] == [], line
    assert notices(records) == sent
    kept = personal(records, NO)
    assert kept["email"] == "maria@example.org" and kept["identity_number"] == "5371012345670001"
    assert book(records).loc[NO, "status"] == "answered"
    assert book(records).loc[NO, "purpose"] == "Bahan tulisan tentang partisipasi pemilih"  # its own change
    assert any("source is left out of this file" in w for w in line["warnings"]), line


def test_the_original_run_again_after_a_supplement_is_unchanged(tmp_path):
    records, original = supplemented(tmp_path)
    n = len(events(records))
    line = run(tmp_path / "in1", records)[1]["a.yaml"]
    assert line.get("unchanged") is True and line["status"] == "answered", line
    assert len(events(records)) == n


def test_a_version_that_drops_a_registered_contact_keeps_it(tmp_path):
    records = registered(tmp_path, MARIA)
    dropped = copy.deepcopy(MARIA)
    dropped["requester"]["email"] = None
    write_request(tmp_path / "in1", "a.yaml", dropped)

    line = run(tmp_path / "in1", records)[1]["a.yaml"]

    assert line["status"] == "answered" and line["missing"] == [] and line["letters"] == [], line
    assert personal(records, NO)["email"] == "maria@example.org"
    assert any(w.startswith(f"requester.email is left out of this file; the one registered with {NO} is kept")
               for w in line["warnings"]), line


def test_a_version_that_makes_a_complete_request_incomplete_is_held(tmp_path):
    records = registered(tmp_path, MARIA)
    n = len(events(records))
    write_request(tmp_path / "in1", "a.yaml", {**MARIA, "letter": None})

    code, lines = run(tmp_path / "in1", records)

    line = lines["a.yaml"]
    assert line["status"] == "rejected_file" and line["errors"][0]["code"] == "fixed", line
    assert "letter" in line["error"] and "a person" in line["error"] and NO in line["error"], line
    assert len(events(records)) == n and not notices(records)


# --- 3. a renamed or copied file is no new request ---------------------------------------------------


def moved(tmp_path: Path, how: str) -> Path:
    if how == "renamed":
        target = tmp_path / "in1" / "a-lagi.yaml"
        (tmp_path / "in1" / "a.yaml").rename(target)
    else:
        target = tmp_path / "in2" / "a.yaml"
        shutil.copytree(tmp_path / "in1", tmp_path / "in2")
    return target


EDITS = [("received", {"received": "2026-11-21 08:00"}),
         ("received-and-spelling", {"received": "2026-11-25 08:00", "information": [
             "salinan keputusan KPU Provinsi NTT tentang penetapan calon terpilih DPRD  Provinsi 2024."]})]


@pytest.mark.parametrize("how", ["renamed", "copied"])
@pytest.mark.parametrize("edit", [e[1] for e in EDITS], ids=[e[0] for e in EDITS])
def test_a_renamed_or_copied_file_edited_is_no_new_request(tmp_path, how, edit):
    records = registered(tmp_path, MARIA)
    target = moved(tmp_path, how)
    write_request(target.parent, target.name, {**MARIA, **edit})

    code, lines = run(target.parent, records)

    line = lines[target.name]
    assert line["status"] == "rejected_file" and code == 1, line
    assert line["errors"][0]["code"] == "duplicate" and NO in line["error"] and "a person" in line["error"], line
    assert list(book(records).index) == [NO]
    assert three_answers(records, target)[:2] == ("rejected_file", "rejected_file")


def _other_items(data):
    data["information"] = ["Data pemilih disabilitas per kabupaten/kota"]


def _other_person(data):
    data["requester"] = {**data["requester"], "name": "Yuliana Nenobais", "phone": "081399990000",
                         "email": "yuliana@example.org"}
    data["requester"]["identity"] = {"type": "ktp", "number": "5371019999990002", "copy": "ktp.jpg"}


def _withdrawn_first(data):
    return "withdrawn"


DIFFERENT = [("same-person-other-information", _other_items), ("other-person-same-information", _other_person)]


@pytest.mark.parametrize("change", [c[1] for c in DIFFERENT], ids=[c[0] for c in DIFFERENT])
def test_a_new_file_asking_something_else_or_from_someone_else_is_a_new_request(tmp_path, change):
    records = registered(tmp_path, MARIA)
    data = copy.deepcopy({**MARIA, "received": "2026-11-23 10:00"})
    change(data)
    write_request(tmp_path / "in2", "n.yaml", data)

    line = run(tmp_path / "in2", records)[1]["n.yaml"]

    assert line["status"] == "answered" and line["register_no"] == "0002/PPID/2026", line


def test_asking_again_once_the_first_request_is_closed_is_a_new_request(tmp_path):
    """After the notice's objection window (30 working days) the same question is asked anew."""
    records = registered(tmp_path, MARIA)
    write_request(tmp_path / "in2", "n.yaml", {**MARIA, "received": "2027-02-01 09:00"})

    line = run(tmp_path / "in2", records, date="2027-02-01")[1]["n.yaml"]

    assert line["status"] == "answered" and line["register_no"] == "0001/PPID/2027", line


def test_supplements_and_objections_are_no_duplicates(tmp_path):
    records = tmp_path / "records"
    write_request(tmp_path / "in1", "a.yaml", base_request(source=None))
    run(tmp_path / "in1", records)
    write_request(tmp_path / "in2", "b.yaml", supplement(base_request(), completed="2026-11-25 10:00"))
    write_request(tmp_path / "in2", "k.yaml", objection(received="2026-11-26 09:00"))

    lines = run(tmp_path / "in2", records)[1]

    assert lines["b.yaml"]["status"] == "answered" and lines["b.yaml"]["register_no"] == NO, lines
    assert lines["k.yaml"]["register_no"] == "0001/KEB/PPID/2026", lines


# --- 4. small ----------------------------------------------------------------------------------------


def test_a_number_is_no_name(tmp_path):
    path = write_request(tmp_path / "in1", "a.yaml", {**MARIA, "requester": {**MARIA["requester"], "name": 12345}})
    code, lines = run(tmp_path / "in1", tmp_path / "records")
    line = lines["a.yaml"]
    assert line["status"] == "rejected_file", line
    problem = line["errors"][0]
    assert (problem["field"], problem["line"]) == ("requester.name", path.read_text().splitlines().index(
        "  name: 12345") + 1), line
    assert "a.yaml:" in line["error"] and "is a number" in line["error"], line


def test_objection_to_on_an_information_request_is_an_error(tmp_path):
    code, lines = run(write_request(tmp_path / "in1", "a.yaml", {**MARIA, "objection_to": NO}).parent,
                      tmp_path / "records")
    line = lines["a.yaml"]
    assert line["status"] == "rejected_file" and line["errors"][0]["field"] == "objection_to", line
    assert "only for an objection" in line["error"], line


@pytest.mark.parametrize("name", ["a\nb.yaml", "a\rb.yaml", "a\x07b.yaml", "a\x1bb.yaml"])
def test_a_control_character_in_a_file_name_is_refused(tmp_path, name):
    write_request(tmp_path / "in1", "ok.yaml", MARIA)
    write_request(tmp_path / "in1", name, {**MARIA, "received": "2026-11-21 09:00"})

    code, lines = run(tmp_path / "in1", tmp_path / "records")

    assert lines["ok.yaml"]["status"] == "answered" and code == 1
    bad = [x for n, x in lines.items() if n != "ok.yaml"]
    assert len(bad) == 1 and bad[0]["status"] == "rejected_file", lines
    assert "control character" in bad[0]["error"] and "rename the file" in bad[0]["error"], bad
    assert "\n" not in bad[0]["error"] and "\r" not in bad[0]["error"] and "\x07" not in bad[0]["error"]
    assert list(book(tmp_path / "records").index) == [NO]


def test_a_supplement_warns_only_of_what_really_differs(tmp_path):
    """The same phone and identity number written otherwise are no difference; a new
    address is, and the warning names that field."""
    original = base_request(source=None)
    records = registered(tmp_path, original)
    later = supplement(original, source="Laman resmi KPU", completed="2026-11-25 10:00", requester={
        "phone": "+62 812-3456-7890", "address": "Jl. Baru 1",
        "identity": {"type": "ktp", "number": "5371 0123 4567 0001", "copy": "ktp.jpg"}})
    write_request(tmp_path / "in2", "b.yaml", later)

    line = run(tmp_path / "in2", records)[1]["b.yaml"]

    assert line["status"] == "answered", line
    assert line["warnings"] == [f"requester.address in this file is not the one registered with {NO}; the registered "
                                "one is kept, as a supplement adds what is missing and replaces nothing"], line


def test_a_complete_letter_refiled_for_an_incomplete_request_is_held_until_it_names_the_request(tmp_path):
    """The requester sends the whole request again, now complete: the clerk is told to file
    it as a supplement of the registered number, and then it completes that request."""
    records = registered(tmp_path, base_request(source=None))
    again = {**MARIA, "received": "2026-11-24 09:00"}
    write_request(tmp_path / "in2", "n.yaml", again)

    line = run(tmp_path / "in2", records)[1]["n.yaml"]

    assert line["status"] == "rejected_file" and "it is not answered yet" in line["error"], line
    assert f"give this one register_no: {NO}" in line["error"], line
    write_request(tmp_path / "in2", "n.yaml", {**again, "register_no": NO, "received": MARIA["received"],
                                               "completed": "2026-11-24 09:00"})
    line = run(tmp_path / "in2", records)[1]["n.yaml"]
    assert line["status"] == "answered" and line["register_no"] == NO, line
    assert list(book(records).index) == [NO]
