"""Who owns a record (issue 18; spec section 3): supplements and objections belong to the
requester of the request they name, a supplement only completes an incomplete request and
erases nothing, objections name live information requests, `received` is fixed once a
letter is out, and purge leaves alone what may still be objected to or disputed.

Everything runs through the real `ppid` command (`--json --no-pdf`) on real inboxes and a
real records folder.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from helpers import ROOT, TEMPLATES, base_request, write_request
from pipeline.cli import main

DATE = "2026-11-27"


def run(inbox: Path, records: Path, *, date: str = DATE) -> tuple[int, dict[str, dict]]:
    """`ppid run INBOX --json --no-pdf`: exit code and the JSON lines by file name."""
    result = CliRunner().invoke(main, [
        "run", str(inbox), "--json", "--no-pdf", "--config", str(ROOT / "config"), "--templates", str(TEMPLATES),
        "--records", str(records), "--out", str(records.parent / "out"), "--date", date], catch_exceptions=False)
    assert "Traceback" not in result.output
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    return result.exit_code, {Path(x["file"]).name: x for x in lines}


def ppid(records: Path, *args: str, date: str = DATE):
    return CliRunner().invoke(main, [*args, "--config", str(ROOT / "config"), "--records", str(records),
                                     "--date", date])


def events(records: Path) -> list[dict]:
    return [json.loads(x) for x in (records / "events.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]


def book(records: Path) -> pd.DataFrame:
    return pd.read_csv(records / "register.csv", dtype=str, keep_default_na=False).set_index("register_no")


def personal(records: Path, rno: str) -> dict:
    from pipeline.register import Register

    return Register(records).load().records[rno].personal


def supplement(original: dict, **changes) -> dict:
    """A copy of `original` naming 0001/PPID/2026, with `changes` (requester: merged)."""
    data = copy.deepcopy(original)
    req = changes.pop("requester", {})
    data.update(register_no="0001/PPID/2026", **changes)
    data["requester"].update(req)
    return data


def no_id(data: dict) -> dict:
    data["requester"]["identity"].pop("number", None)
    return data


# --- 1. who owns a request ----------------------------------------------------------------------

# The requester registered 0001 (incomplete: no `source`) with these details; each row
# is a supplement that names 0001, and whether it is hers. Names and contacts are
# compared after normalising case, spacing, punctuation, word order and phone format.
MARIA = base_request(source=None)  # identity number 5371012345670001, phone 081234567890
OWNER_CASES = [
    # id, registered with an identity number?, the supplement's requester, hers?, words of the refusal
    ("same-id-reworded-name", True, {"name": "BRIA, Maria  Goreti."}, True, ""),
    ("same-id-spaced", True, {"identity": {"type": "ktp", "number": "5371 0123 4567 0001", "copy": "ktp.jpg"}},
     True, ""),
    ("no-id-given", True, {"name": "MARIA  GORETI-BRIA.", "phone": "081399990000", "email": "x@evil.example",
                           "address": "Jl. Lain", "identity": {"type": "ktp", "copy": "ktp.jpg"}},
     False, "gives no identity number"),
    ("other-id", True, {"identity": {"type": "ktp", "number": "5371019999990002", "copy": "ktp.jpg"}},
     False, "another identity number"),
    ("other-name-same-id", True, {"name": "Yohanes Ndun"}, False, "was filed by"),
    ("name-and-phone-reformatted", False, {"name": "Bria Maria Goreti", "phone": "+62 812-3456-7890",
                                           "email": "lain@example.org"}, True, ""),
    ("name-and-email-case", False, {"phone": "081300000000", "email": " MARIA@Example.ORG"}, True, ""),
    ("name-only", False, {"name": "MARIA  GORETI-BRIA.", "phone": "081399990000", "email": "x@evil.example"},
     False, "neither the phone nor the e-mail"),
    ("contact-only", False, {"name": "Yuliana Nenobais"}, False, "was filed by"),
]


@pytest.mark.parametrize("registered_id,requester,ok,words", [c[1:] for c in OWNER_CASES],
                         ids=[c[0] for c in OWNER_CASES])
def test_a_supplement_belongs_to_the_requester_of_the_request_it_names(tmp_path, registered_id, requester, ok, words):
    original = copy.deepcopy(MARIA) if registered_id else no_id(copy.deepcopy(MARIA))
    records = tmp_path / "records"
    write_request(tmp_path / "in1", "a.yaml", original)
    assert run(tmp_path / "in1", records)[1]["a.yaml"]["status"] == "incomplete"
    row_before, personal_before = book(records).loc["0001/PPID/2026"].copy(), personal(records, "0001/PPID/2026")
    write_request(tmp_path / "in2", "b.yaml", supplement(original, source="Laman resmi KPU",
                                                        completed="2026-11-25 10:00", requester=requester))

    code, lines = run(tmp_path / "in2", records)

    line = lines["b.yaml"]
    if ok:
        assert line["status"] == "answered" and line["register_no"] == "0001/PPID/2026", line
        return
    assert line["status"] == "rejected_file" and code == 1, line
    assert "b.yaml:" in line["error"] and "field 'register_no'" in line["error"] and words in line["error"], line
    assert "0001/PPID/2026" in line["error"] and "\n" not in line["error"]
    assert line["errors"][0]["code"] == "owner"
    pd.testing.assert_series_equal(book(records).loc["0001/PPID/2026"], row_before)
    assert personal(records, "0001/PPID/2026") == personal_before


def test_the_hijack_of_an_answered_request_is_refused(tmp_path):
    """Issue 18 finding 1, as reported: Maria's answered 0001 named by a stranger who
    writes her name re-spaced, gives their own contacts and no identity number."""
    records = tmp_path / "records"
    write_request(tmp_path / "in1", "maria.yaml", base_request())
    assert run(tmp_path / "in1", records)[1]["maria.yaml"]["status"] == "answered"
    row_before, personal_before = book(records).loc["0001/PPID/2026"].copy(), personal(records, "0001/PPID/2026")
    n_events = len(events(records))
    attacker = base_request(register_no="0001/PPID/2026", received="2026-11-26 10:00")
    attacker["requester"] = {"name": "MARIA  GORETI-BRIA.", "kind": "individual", "phone": "081399990000",
                             "email": "attacker@evil.example", "address": "Jl. Penyerang 1",
                             "identity": {"type": "ktp", "copy": "ktp.jpg"}}
    write_request(tmp_path / "in2", "x.yaml", attacker)

    code, lines = run(tmp_path / "in2", records)

    assert lines["x.yaml"]["status"] == "rejected_file" and code == 1
    assert "gives no identity number" in lines["x.yaml"]["error"]
    pd.testing.assert_series_equal(book(records).loc["0001/PPID/2026"], row_before)
    assert personal(records, "0001/PPID/2026") == personal_before
    assert len(events(records)) == n_events  # no event, no letter for the stranger
    assert ppid(records, "validate", str(tmp_path / "in2" / "x.yaml"), "--json").exit_code == 1


# --- 2. a supplement completes an incomplete request and erases nothing ---------------------------


def test_a_supplement_to_a_request_that_is_not_incomplete_is_refused(tmp_path):
    records = tmp_path / "records"
    write_request(tmp_path / "in1", "a.yaml", base_request())
    run(tmp_path / "in1", records)
    write_request(tmp_path / "in2", "b.yaml", supplement(base_request(), purpose="Tujuan yang lain sama sekali"))

    code, lines = run(tmp_path / "in2", records)

    assert lines["b.yaml"]["status"] == "rejected_file", lines["b.yaml"]
    assert "which is answered, not incomplete" in lines["b.yaml"]["error"]
    assert book(records).loc["0001/PPID/2026", "purpose"] == base_request()["purpose"]


def test_a_supplement_adds_what_was_missing_and_erases_nothing(tmp_path):
    records = tmp_path / "records"
    original = no_id(base_request(source=None))  # no identity number: name and contact decide
    write_request(tmp_path / "in1", "a.yaml", original)
    run(tmp_path / "in1", records)
    later = supplement(original, source="Laman resmi KPU", completed="2026-11-25 10:00",
                       requester={"phone": None, "address": None, "email": "maria@example.org",
                                  "identity": {"type": "ktp", "number": "5371012345670001", "copy": "ktp.jpg"}})
    write_request(tmp_path / "in2", "b.yaml", later)

    code, lines = run(tmp_path / "in2", records)

    assert lines["b.yaml"]["status"] == "answered", lines["b.yaml"]
    kept = personal(records, "0001/PPID/2026")
    assert kept["phone"] == "081234567890" and kept["address"] == original["requester"]["address"]
    assert kept["identity_number"] == "5371012345670001"  # added: it was missing
    assert any(a.endswith("ktp.jpg") for a in kept["attachments"])


def test_a_supplement_does_not_replace_registered_contacts(tmp_path):
    records = tmp_path / "records"
    write_request(tmp_path / "in1", "a.yaml", base_request(source=None))
    run(tmp_path / "in1", records)
    write_request(tmp_path / "in2", "b.yaml", supplement(base_request(), completed="2026-11-25 10:00",
                                                        requester={"phone": "081377778888", "address": "Jl. Baru"}))

    code, lines = run(tmp_path / "in2", records)

    assert lines["b.yaml"]["status"] == "answered"
    assert any("phone differs" in w for w in lines["b.yaml"]["warnings"]), lines["b.yaml"]
    kept = personal(records, "0001/PPID/2026")
    assert (kept["phone"], kept["address"]) == ("081234567890", base_request()["requester"]["address"])


def test_a_later_version_of_an_accepted_supplement_still_changes_the_request(tmp_path):
    """The supplement became the request's file: the PPID's decision written into it
    later is taken in though the request is no longer incomplete."""
    records = tmp_path / "records"
    item = "Notulen rapat koordinasi pengelolaan arsip dinamis tahun 2025"  # no rule: the PPID decides
    write_request(tmp_path / "in1", "a.yaml", base_request(source=None, information=[item]))
    run(tmp_path / "in1", records)
    fuller = supplement(base_request(information=[item]), completed="2026-11-25 10:00")
    write_request(tmp_path / "in2", "b.yaml", fuller)
    assert run(tmp_path / "in2", records)[1]["b.yaml"]["status"] == "review"
    write_request(tmp_path / "in2", "b.yaml", {**fuller, "decision": {"by": "PPID", "items": [
        {"item": 1, "status": "open"}]}})

    line = run(tmp_path / "in2", records)[1]["b.yaml"]

    assert line["status"] == "answered" and line["outcome"] == "granted", line
