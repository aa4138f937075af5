"""Identity across versions (issue 18 finding 2): "unchanged" means equal to the latest
version of a request, so a file put back as it was is a change like any other, and the
register always says what the files say.

The property: whatever sequence of edits a request file goes through (item decisions
flipped between exempt and open, a supplement completing it, a `received` edit that
must be refused and is then put back), the register's state after the runs (status,
outcome, decided items, due date, missing requirements) equals that of a run from
scratch on the final files. Letters are not compared: a changed decision adds a
corrected notice, which a run from scratch never writes.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, settings, strategies as st

from helpers import ROOT, TEMPLATES, base_request, write_request
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.register import Register

# two items no rule decides (spec section 4): the PPID's decision block decides them
ITEMS = ["Notulen rapat koordinasi pengelolaan arsip dinamis tahun 2025",
         "Memo rapat koordinasi tertutup yang belum diputuskan"]
GROUNDS = {"exempt": {"ground": "i", "reason": "Memorandum internal yang belum menjadi keputusan",
                      "consequence": "Membukanya dapat mengganggu proses pengambilan keputusan"}}
CFG = load_config(ROOT / "config")


def decided(statuses: tuple[str, ...]) -> dict:
    return {"by": "Nama Pejabat PPID", "items": [
        {"item": i, "status": s, **GROUNDS.get(s, {})} for i, s in enumerate(statuses, 1)]}


def request(statuses: tuple[str, ...], *, complete: bool = True) -> dict:
    data = base_request(information=list(ITEMS), decision=decided(statuses))
    if not complete:
        data.pop("source")
    return data


def run(inbox: Path, records: Path, date: dt.date) -> dict[str, dict]:
    result = CliRunner().invoke(main, [
        "run", str(inbox), "--json", "--no-pdf", "--config", str(ROOT / "config"), "--templates", str(TEMPLATES),
        "--records", str(records), "--out", str(records.parent / "out"), "--date", date.isoformat()],
        catch_exceptions=False)
    assert "Traceback" not in result.output
    return {Path(x["file"]).name: x for x in map(json.loads, filter(str.strip, result.stdout.splitlines()))}


def state(records: Path) -> dict[str, tuple]:
    """What the register says of each request: the part a run from scratch must agree on."""
    reg = Register(records).load()
    return {rno: (rec.row.get("status"), rec.row.get("outcome"), tuple(rec.missing),
                  tuple((i["status"], i.get("ground")) for i in (rec.decided or {}).get("items", [])),
                  CFG.clock.due(rec), rec.row.get("received_at"))
            for rno, rec in reg.records.items()}


def test_a_file_put_back_is_decided_again(tmp_path):
    """A -> B -> A -> B: four decisions, each following the file (was: the third run said
    "unchanged" and the register kept B's outcome)."""
    inbox, records = tmp_path / "in", tmp_path / "records"
    a, b = request(("open", "exempt")), request(("open", "open"))
    outcomes = []
    for i, data in enumerate((a, b, a, b)):
        write_request(inbox, "r.yaml", data)
        line = run(inbox, records, dt.date(2026, 11, 27) + dt.timedelta(days=i))["r.yaml"]
        outcomes.append((line["outcome"], bool(line.get("unchanged")),
                         [x["kind"] for x in line["letters"] if x["kind"] == "decision_notice"]))
    assert outcomes == [("partially_granted", False, ["decision_notice"]), ("granted", False, ["decision_notice"]),
                        ("partially_granted", False, ["decision_notice"]), ("granted", False, ["decision_notice"])]
    reg = Register(records).load()
    rec = reg.records["0001/PPID/2026"]
    assert rec.row["outcome"] == "granted" and len([e for e in rec.letters if e["kind"] == "decision_notice"]) == 4


def test_the_same_content_run_again_is_unchanged(tmp_path):
    inbox, records = tmp_path / "in", tmp_path / "records"
    write_request(inbox, "r.yaml", request(("open", "exempt")))
    run(inbox, records, dt.date(2026, 11, 27))
    line = run(inbox, records, dt.date(2026, 11, 28))["r.yaml"]
    assert line["unchanged"] is True and line["letters"] == [] and line["outcome"] == "partially_granted"


# --- the property --------------------------------------------------------------------------------

STATUS = st.sampled_from(["open", "exempt"])
FLIP = st.tuples(st.just("flip"), st.integers(1, 2))  # an item's decision turned: exempt <-> open
EDIT = st.one_of(
    FLIP, FLIP,  # flips twice as often as the rest: two flips of one item put the file back
    st.tuples(st.just("supplement")),
    st.tuples(st.just("received"), st.integers(1, 120)),
)


@pytest.mark.slow
@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(complete=st.booleans(), first=st.tuples(STATUS, STATUS), edits=st.lists(EDIT, min_size=1, max_size=6))
@example(complete=True, first=("open", "exempt"), edits=[("flip", 2), ("flip", 2), ("flip", 2)])
@example(complete=False, first=("exempt", "open"), edits=[("supplement",), ("flip", 1), ("received", 5), ("flip", 1)])
def test_the_register_always_says_what_the_final_files_say(complete, first, edits):
    with tempfile.TemporaryDirectory(prefix="ppid-versions-") as tmp:
        tmp = Path(tmp)
        in1, in2, records = tmp / "in1", tmp / "in2", tmp / "records"
        statuses = list(first)
        current = request(tuple(statuses), complete=complete)
        files = {"a.yaml": (in1, current)}  # file name -> (inbox, content as last accepted)
        where = "a.yaml"  # the file that holds the request's latest version
        day = dt.date(2026, 11, 27)
        versions = [current["decision"]]
        write_request(in1, "a.yaml", current)
        run(in1, records, day)
        for edit in edits:
            day += dt.timedelta(days=1)
            inbox, data = files[where]
            if edit[0] == "flip":
                statuses[edit[1] - 1] = "open" if statuses[edit[1] - 1] == "exempt" else "exempt"
                data = {**data, "decision": decided(tuple(statuses))}
            elif edit[0] == "supplement":
                if complete or where != "a.yaml":
                    continue  # a supplement completes an incomplete request only
                data = {**copy.deepcopy(data), "register_no": "0001/PPID/2026", "source": "Laman resmi KPU",
                        "completed": f"{day} 09:00"}
                inbox, where = in2, "b.yaml"
                event("a supplement completed the request")
            else:  # a received edit: refused once a letter is out, and put back
                moved = dt.datetime(2026, 11, 20, 9, 15) - dt.timedelta(minutes=edit[1])
                write_request(inbox, where, {**data, "received": f"{moved:%Y-%m-%d %H:%M}"})
                before = state(records)
                line = run(inbox, records, day)[where]
                assert line["status"] == "rejected_file" and "cannot change once a letter" in line["error"], line
                assert state(records) == before
                event("a received edit was refused and put back")
                write_request(inbox, where, data)
                continue
            if data["decision"] in versions:
                event("a file went back to an earlier decision")
            versions.append(data["decision"])
            files[where] = (inbox, data)
            write_request(inbox, where, data)
            assert run(inbox, records, day)[where]["status"] != "rejected_file"

        scratch = tmp / "scratch"
        for inbox in (in1, in2):
            if inbox.exists():
                run(inbox, scratch, day)
        assert state(records) == state(scratch), (complete, first, edits)


def test_a_version_without_the_decision_is_held_and_the_register_keeps_the_answer(tmp_path):
    """Hostile round 3: putting back the version before the decision sent an answered request
    to review, with no word, and `due` lost it. Now the file is held (`fixed`)."""
    inbox, records = tmp_path / "in", tmp_path / "records"
    undecided = base_request(information=list(ITEMS))
    write_request(inbox, "r.yaml", undecided)
    assert run(inbox, records, dt.date(2026, 11, 27))["r.yaml"]["status"] == "review"
    write_request(inbox, "r.yaml", request(("open", "exempt")))
    assert run(inbox, records, dt.date(2026, 12, 1))["r.yaml"]["outcome"] == "partially_granted"
    before = state(records)
    write_request(inbox, "r.yaml", undecided)
    line = run(inbox, records, dt.date(2026, 12, 3))["r.yaml"]
    assert line["status"] == "rejected_file", line
    assert '"fixed"' in json.dumps(line) and "carries no decision" in json.dumps(line)
    assert state(records) == before  # the register still says what the letters said



def letters_of(records: Path, rno: str = "0001/PPID/2026") -> list[str]:
    return [e["kind"] for e in map(json.loads, filter(str.strip, (records / "events.jsonl").read_text().splitlines()))
            if e["type"] == "letter" and e.get("register_no") == rno]


def test_a_reason_reworded_after_the_notice_is_a_new_decision_with_its_own_letters(tmp_path):
    """The refusal's reason and harm are what the notice and the decree say; a version that
    words them otherwise was logged as 'updated' and nothing else (the letters out said the
    old reason). Now it is a new decision: a replacing notice, the old decree revoked and a new
    one; run again unchanged, nothing more; put back, decided again (it follows the file)."""
    inbox, records = tmp_path / "in", tmp_path / "records"
    first = request(("open", "exempt"))
    write_request(inbox, "r.yaml", first)
    run(inbox, records, dt.date(2026, 11, 27))
    assert letters_of(records) == ["receipt", "decision_notice", "refusal_decree"]
    reworded = copy.deepcopy(first)
    reworded["decision"]["items"][1]["reason"] = "Memorandum antarbadan publik yang belum menjadi keputusan"
    write_request(inbox, "r.yaml", reworded)

    line = run(inbox, records, dt.date(2026, 11, 30))["r.yaml"]

    assert line["status"] == "answered" and line["outcome"] == "partially_granted", line
    assert letters_of(records)[3:] == ["decision_notice", "revocation_decree", "refusal_decree"]
    assert run(inbox, records, dt.date(2026, 11, 30))["r.yaml"].get("unchanged") is True
    assert len(letters_of(records)) == 6
    write_request(inbox, "r.yaml", first)  # the old wording back: the decision changes again
    run(inbox, records, dt.date(2026, 12, 1))
    assert letters_of(records)[6:] == ["decision_notice", "revocation_decree", "refusal_decree"]


def test_a_log_of_before_the_wording_was_kept_reissues_nothing_on_another_edit(tmp_path):
    """A `decided` event without `wording` (every log before this) is not compared: an edit of
    the requester's address re-plans the file and sends no new decision."""
    inbox, records = tmp_path / "in", tmp_path / "records"
    data = request(("open", "exempt"))
    write_request(inbox, "r.yaml", data)
    run(inbox, records, dt.date(2026, 11, 27))
    log = records / "events.jsonl"
    lines = [json.loads(x) for x in log.read_text().splitlines() if x.strip()]
    for ev in lines:
        ev.pop("wording", None)
    log.write_text("".join(json.dumps(ev, ensure_ascii=False) + "\n" for ev in lines))
    data["requester"]["address"] = "Jl. Timor Raya No. 7, Kupang"
    write_request(inbox, "r.yaml", data)

    run(inbox, records, dt.date(2026, 11, 30))

    assert letters_of(records) == ["receipt", "decision_notice", "refusal_decree"]
