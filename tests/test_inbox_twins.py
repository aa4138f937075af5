"""Two new files of one folder asking the same thing from the same requester (issue 18): the
first in name order is the request, the later one waits for a person (fail closed), and
`validate`, `run` and the desk's file status say so alike. Before, both were registered,
with two numbers and two receipts for one question."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from click.testing import CliRunner

from helpers import ROOT, TEMPLATES, another_person, base_request, write_request
from pipeline import office as O
from pipeline.cli import main

DATE = "2026-11-27"


def office(tmp_path) -> O.Office:
    return O.Office(ROOT / "config", tmp_path / "records", date=dt.date.fromisoformat(DATE))


def validate(tmp_path, inbox) -> dict[str, dict]:
    """`ppid validate` on the folder, by file name."""
    return {o.file.rsplit("/", 1)[-1]: o.validate_json() for o in office(tmp_path).validate([inbox])}


def desk_status(tmp_path, inbox) -> dict[str, str]:
    """What the desk's file status says: each file judged alone, with an inbox of its own."""
    return {p.name: office(tmp_path).assess(p, inbox).status for p in sorted(inbox.glob("*.yaml"))}


def run(tmp_path, inbox) -> dict[str, dict]:
    result = CliRunner().invoke(main, [
        "run", str(inbox), "--json", "--no-pdf", "--date", DATE, "--config", str(ROOT / "config"),
        "--templates", str(TEMPLATES), "--records", str(tmp_path / "records"), "--out", str(tmp_path / "out")])
    assert "Traceback" not in result.output, result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip().startswith("{")]
    return {x["file"].rsplit("/", 1)[-1]: x for x in lines if "file" in x}


def receipts(tmp_path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "out").rglob("*.docx"))


def test_the_later_file_waits_and_the_first_is_registered_once(tmp_path):
    inbox = tmp_path / "inbox"
    first = base_request(received="2026-11-20 09:00")
    write_request(inbox, "2026-11-20-maria.yaml", first)
    write_request(inbox, "2026-11-21-maria-lagi.yaml", {**copy.deepcopy(first), "received": "2026-11-21 10:30"})

    checked = validate(tmp_path, inbox)
    assert checked["2026-11-20-maria.yaml"]["status"] != "rejected_file"
    later = checked["2026-11-21-maria-lagi.yaml"]
    assert later["status"] == "rejected_file"
    [error] = later["errors"]
    assert error["code"] == "duplicate" and error["field"] == "information" and error["line"]
    assert "asks what" in error["message"] and "2026-11-20-maria.yaml" in error["message"]
    assert "a person must confirm" in error["hint"] and "remove this copy" in error["hint"]
    assert desk_status(tmp_path, inbox) == {"2026-11-20-maria.yaml": checked["2026-11-20-maria.yaml"]["status"],
                                            "2026-11-21-maria-lagi.yaml": "rejected_file"}

    done = run(tmp_path, inbox)
    assert done["2026-11-20-maria.yaml"]["register_no"] == "0001/PPID/2026"
    assert done["2026-11-21-maria-lagi.yaml"]["status"] == "rejected_file"
    assert not done["2026-11-21-maria-lagi.yaml"].get("register_no")
    events = [json.loads(x) for x in (tmp_path / "records" / "events.jsonl").read_text().splitlines()]
    assert {e["register_no"] for e in events if e["type"] == "received"} == {"0001/PPID/2026"}
    assert all(name.startswith("0001-PPID-2026_") for name in receipts(tmp_path))  # letters for one request
    assert len([name for name in receipts(tmp_path) if name.endswith("_receipt.docx")]) == 1

    # the next run: the first is registered, the copy is still refused (now against the register)
    again = run(tmp_path, inbox)
    assert again["2026-11-21-maria-lagi.yaml"]["status"] == "rejected_file"
    assert "0001/PPID/2026" in again["2026-11-21-maria-lagi.yaml"]["error"]


def test_name_order_decides_which_file_is_the_request(tmp_path):
    """As `ppid run` takes files in name order, the first name is the request even when the
    later name says it was received earlier."""
    inbox = tmp_path / "inbox"
    data = base_request(received="2026-11-21 10:30")
    write_request(inbox, "a.yaml", data)
    write_request(inbox, "b.yaml", {**copy.deepcopy(data), "received": "2026-11-20 08:00"})
    checked = validate(tmp_path, inbox)
    assert checked["a.yaml"]["status"] != "rejected_file" and checked["b.yaml"]["status"] == "rejected_file"
    assert "a.yaml" in checked["b.yaml"]["error"]


@pytest.mark.parametrize("change", ["another requester", "another question", "another folder"])
def test_different_requests_are_both_taken(tmp_path, change):
    inbox = tmp_path / "inbox"
    data = base_request(received="2026-11-20 09:00")
    other = copy.deepcopy(data)
    other["received"] = "2026-11-20 09:05"
    folder = inbox
    if change == "another requester":
        other = another_person(other, 1)
    elif change == "another question":
        other["information"] = ["Daftar pemilih tetap Kota Kupang per kecamatan"]
    else:
        folder = inbox / "2026-11-21"
    write_request(inbox, "a.yaml", data)
    write_request(folder, "b.yaml", other)
    done = run(tmp_path, inbox)
    assert sorted(done[n]["register_no"] for n in ("a.yaml", "b.yaml")) == ["0001/PPID/2026", "0002/PPID/2026"]


def test_the_same_person_known_by_phone_and_name_is_the_same_requester(tmp_path):
    """No identity number on the second file, the same name written otherwise and the same
    phone: the same requester (as matching.same_requester counts one)."""
    inbox = tmp_path / "inbox"
    data = base_request(received="2026-11-20 09:00")
    write_request(inbox, "a.yaml", data)
    other = copy.deepcopy(data)
    other["received"] = "2026-11-20 11:00"
    other["channel"] = "email"
    other["requester"]["name"] = data["requester"]["name"].upper()
    other["requester"]["identity"] = {**other["requester"]["identity"], "number": "5371019999990001"}
    other["information"] = list(reversed(data["information"]))  # the same items in another order
    write_request(inbox, "b.yaml", other)
    assert validate(tmp_path, inbox)["b.yaml"]["status"] == "rejected_file"


def test_a_byte_identical_copy_is_still_a_twin_processed_once(tmp_path):
    inbox = tmp_path / "inbox"
    data = base_request(received="2026-11-20 09:00")
    write_request(inbox, "a.yaml", data)
    write_request(inbox, "b.yaml", copy.deepcopy(data))
    done = run(tmp_path, inbox)
    assert done["b.yaml"]["register_no"] == done["a.yaml"]["register_no"] == "0001/PPID/2026"
    assert any("processed once" in w for w in done["b.yaml"].get("warnings", []))


def test_an_earlier_file_that_is_no_request_does_not_hold_back_the_next(tmp_path):
    inbox = tmp_path / "inbox"
    data = base_request(received="2026-11-20 09:00")
    broken = copy.deepcopy(data)
    broken["decision"] = {"extend": {"days": 99999, "reason": "Informasi dalam penyusunan"}}
    write_request(inbox, "a.yaml", broken)
    write_request(inbox, "b.yaml", data)
    checked = validate(tmp_path, inbox)
    assert checked["a.yaml"]["status"] == "rejected_file" and checked["b.yaml"]["status"] != "rejected_file"


def test_two_objections_to_one_notice_in_one_folder(tmp_path):
    inbox = tmp_path / "inbox"
    write_request(inbox, "0-request.yaml", base_request(received="2026-11-02 09:00"))
    assert run(tmp_path, inbox)["0-request.yaml"]["register_no"] == "0001/PPID/2026"
    day = tmp_path / "inbox-2"
    objection = base_request("objection", received="2026-11-25 09:00")
    write_request(day, "a.yaml", objection)
    write_request(day, "b.yaml", {**copy.deepcopy(objection), "received": "2026-11-26 09:00", "grounds": ["a", "e"]})
    checked = validate(tmp_path, day)
    assert checked["a.yaml"]["status"] != "rejected_file"
    assert checked["b.yaml"]["status"] == "rejected_file" and "names 0001/PPID/2026" in checked["b.yaml"]["error"]


def test_validate_shared_among_cpus_says_what_it_says_alone(tmp_path, monkeypatch):
    """The forked workers leave the folder check to the parent: the same answers, in order."""
    inbox = tmp_path / "inbox"
    for i in range(9):
        data = base_request(received=f"2026-11-20 09:{i:02d}")
        write_request(inbox, f"r{i}.yaml", data if i % 3 == 0 else another_person(data, i))
    alone = [o.validate_json() for o in office(tmp_path).validate([inbox])]
    monkeypatch.setattr(O, "PARALLEL_FROM", 2)
    shared = [o.validate_json() for o in office(tmp_path).validate([inbox])]
    assert shared == alone
    assert [x["status"] == "rejected_file" for x in alone] == [False, False, False, True, False, False, True, False,
                                                               False]


# --- the desk: the inbox page and the file editor say why, in Indonesian, naming the first --------


def _desk_with_two_copies(tmp_path):
    from desk_support import make_env, write_clerk_file

    env = make_env(tmp_path)
    first = write_clerk_file(env.day)
    text = first.read_text(encoding="utf-8")
    assert "received: 2026-11-20" in text
    later = env.day / "2026-11-21-theresia-lagi.yaml"
    later.write_text(text.replace("received: 2026-11-20", "received: 2026-11-21", 1), encoding="utf-8")
    return env, first, later


def _visible(html: str) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_desk_says_which_file_is_the_request(tmp_path):
    from test_desk import login

    env, first, later = _desk_with_two_copies(tmp_path)
    c = env.app.test_client()
    login(c, "clerk")
    page = _visible(c.get("/inbox").get_data(as_text=True))
    said = f"Permohonan yang sama dengan berkas {first.name} di folder ini, dari pemohon yang sama"
    assert page.count(said) == 1 and "hapus salinan ini" in page
    assert page.index(later.name) < page.index(said)  # said on the later file's row
    editor = _visible(c.get(f"/tugas/berkas?file={env.day.name}/{later.name}").get_data(as_text=True))
    assert said in editor and "Berkas ini dapat dibaca sebagai permohonan" not in editor

    # the first file edited in place to ask something else: the later one is a request of its own
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("information:\n", "information:\n  - Daftar TPS di Kabupaten Alor\n", 1),
                     encoding="utf-8")
    page = _visible(c.get("/inbox").get_data(as_text=True))
    assert said not in page
