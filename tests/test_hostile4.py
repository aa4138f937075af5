"""The fourth hostile test (issue 18): each finding reproduced on the main of before, through
the real `ppid` command on real inboxes and a real records folder.

1. An identity number matched by its digits alone ('SIM-2025-017' for 'PERS/WF/2025/017',
   passport 'Y0000019' for 'X0000019') let a stranger object to another's request.
2. An e-mail matched after look-alike folding ('exаmple.org' with a Cyrillic 'а', a domain
   anyone can register) counted as the registered one.
3. A power of attorney was any file at all: empty, the request file, the letter itself.
4. `information: ""` stopped the whole batch (TypeError).
5. A decided item that is no mapping (`- 2`, `- null`) stopped the batch (TypeError).
6. A `kuasa.letter` name longer than the system allows stopped the batch (ENAMETOOLONG).
7. A hand-edited `"days": "7"` in the log crashed `due` (TypeError).
8. `deadlines.extension: 100000000000` ended `stats` in a MemoryError.
"""

from __future__ import annotations

import copy
import shutil

import pytest

from helpers import ROOT, base_request, write_request
from test_integrity import OVERTURNED, events, objection, personal, ppid, refused_original, run

NO = "0001/PPID/2026"


@pytest.mark.parametrize("registered,given", [
    ("PERS/WF/2025/017", "SIM-2025-017"),
    ("X0000019", "Y0000019"),
    ("5371012345670001", "KTP 5371-0123-4567-0001 X"),
])
def test_an_identity_number_is_its_letters_and_digits_not_its_digits_alone(tmp_path, registered, given):
    from test_integrity import EXEMPT_ITEM, REFUSAL

    records = tmp_path / "records"
    original = base_request(information=[EXEMPT_ITEM], decision=REFUSAL)
    original["requester"]["identity"] = {"type": "passport", "number": registered, "copy": "ktp.jpg"}
    write_request(tmp_path / "in1", "a.yaml", original)
    assert run(tmp_path / "in1", records)[1]["a.yaml"]["outcome"] == "rejected"
    stranger = copy.deepcopy(original["requester"])
    stranger.update(phone="081999888666", email="other.person@evil.example.net", address="Jl. Lain No. 2, Kupang",
                    identity={"type": "passport", "number": given, "copy": "ktp.jpg"})
    write_request(tmp_path / "in2", "k.yaml", objection(requester=stranger, decision=OVERTURNED))

    code, lines = run(tmp_path / "in2", records, date="2026-12-01")

    line = lines["k.yaml"]
    assert line["status"] == "rejected_file" and "another identity number" in line["error"], line
    assert not any(e["type"] in ("received", "reopened") and e["register_no"] != NO for e in events(records))
    assert personal(records, NO)["email"] == "maria@example.org"


def test_the_same_identity_number_written_otherwise_is_still_hers(tmp_path):
    from test_integrity import EXEMPT_ITEM, REFUSAL

    records = tmp_path / "records"
    original = base_request(information=[EXEMPT_ITEM], decision=REFUSAL)
    original["requester"]["identity"] = {"type": "passport", "number": "PERS/WF/2025/017", "copy": "ktp.jpg"}
    write_request(tmp_path / "in1", "a.yaml", original)
    run(tmp_path / "in1", records)
    own = copy.deepcopy(original["requester"])
    own["identity"]["number"] = "pers wf-2025 017"
    write_request(tmp_path / "in2", "k.yaml", objection(requester=own, decision=OVERTURNED))

    line = run(tmp_path / "in2", records, date="2026-12-01")[1]["k.yaml"]

    assert line["status"] == "answered" and line["register_no"] == "0001/KEB/PPID/2026", line


def test_a_look_alike_e_mail_domain_is_not_the_registered_e_mail(tmp_path):
    from test_integrity import EXEMPT_ITEM, REFUSAL

    records = tmp_path / "records"
    original = base_request(information=[EXEMPT_ITEM], decision=REFUSAL)
    original["requester"]["identity"] = {"type": "ktp", "copy": "ktp.jpg"}  # no number registered
    write_request(tmp_path / "in1", "a.yaml", original)
    run(tmp_path / "in1", records)
    lookalike = copy.deepcopy(original["requester"])
    lookalike.update(phone=None, address=None, email="maria@ex\u0430mple.org")  # Cyrillic а
    write_request(tmp_path / "in2", "k.yaml", objection(requester=lookalike))
    wide = copy.deepcopy(original["requester"])
    wide.update(phone=None, address=None, email="MARIA@ｅｘａｍｐｌｅ.org")  # full width: the same address
    write_request(tmp_path / "in3", "k2.yaml", objection(requester=wide))

    line = run(tmp_path / "in2", records, date="2026-12-01")[1]["k.yaml"]
    assert line["status"] == "rejected_file" and "another requester" in line["error"], line
    assert not any(e["type"] == "received" and "KEB" in e["register_no"] for e in events(records))
    line = run(tmp_path / "in3", records, date="2026-12-01")[1]["k2.yaml"]
    assert line["status"] != "rejected_file", line


@pytest.mark.parametrize("letter,words", [
    ("kosong.pdf", "does not exist or is empty"),
    ("k.yaml", "the request file itself"),
    ("surat.pdf", "the file given as letter"),
    ("ktp.jpg", "the file given as requester.identity.copy"),
    ("catatan.pdf", "not a PDF or an image"),
    ("a" * 300 + ".pdf", "does not exist or is empty"),
])
def test_a_power_of_attorney_is_a_document_of_its_own_that_opens(tmp_path, letter, words):
    records = refused_original(tmp_path)
    inbox = tmp_path / "in2"
    write_request(inbox, "k.yaml", objection(kuasa={"name": "Agustinus Kolo, S.H.", "letter": letter}))
    (inbox / "kosong.pdf").write_bytes(b"")
    (inbox / "catatan.pdf").write_text("bukan surat kuasa", encoding="utf-8")
    write_request(inbox, "lain.yaml", another_request())

    code, lines = run(inbox, records, date="2026-12-01")

    line = lines["k.yaml"]
    assert line["status"] == "rejected_file" and "field 'kuasa.letter'" in line["error"], line
    assert words in line["error"], line
    assert lines["lain.yaml"]["status"] != "rejected_file", lines["lain.yaml"]  # the batch went on


def another_request() -> dict:
    data = base_request(received="2026-11-30 10:00", information=["Jadwal rapat pleno terbuka KPU Provinsi NTT"])
    data["requester"].update(name="Yohanes Seran", phone="081377770000", email="yohanes@example.org",
                             identity={"type": "ktp", "number": "5371017777770003", "copy": "ktp.jpg"})
    return data


def test_blank_information_is_an_incomplete_request_not_a_stopped_batch(tmp_path):
    inbox = tmp_path / "in"
    write_request(inbox, "blank.yaml", base_request(information=""))
    write_request(inbox, "lain.yaml", another_request())

    code, lines = run(inbox, tmp_path / "records", date="2026-12-01")

    assert lines["blank.yaml"]["status"] == "incomplete", lines["blank.yaml"]
    assert lines["lain.yaml"]["status"] != "rejected_file"


@pytest.mark.parametrize("item", [2, None, "", [1]])
def test_a_decided_item_that_is_no_mapping_is_named(tmp_path, item):
    inbox = tmp_path / "in"
    write_request(inbox, "d.yaml", base_request(decision={"by": "Yosefina Lawa", "items": [item]}))
    write_request(inbox, "lain.yaml", another_request())

    code, lines = run(inbox, tmp_path / "records", date="2026-12-01")

    assert lines["d.yaml"]["status"] == "rejected_file" and "decision.items[1]" in lines["d.yaml"]["error"]
    assert lines["lain.yaml"]["status"] != "rejected_file"


@pytest.mark.parametrize("days", ['"7"', "[7]", "-3", "10000000", "true", "{}"])
def test_a_hand_edited_count_in_the_log_is_named_not_a_traceback(tmp_path, days):
    records = tmp_path / "records"
    data = base_request(decision={"by": "Yosefina Lawa", "extend": {
        "days": 7, "reason": "Data masih dihimpun dari KPU kabupaten", "date": "2026-11-27"}})
    write_request(tmp_path / "in", "a.yaml", data)
    run(tmp_path / "in", records)
    log = records / "events.jsonl"
    text = log.read_text(encoding="utf-8")
    assert '"days": 7' in text
    log.write_text(text.replace('"days": 7', f'"days": {days}', 1), encoding="utf-8")
    line_no = next(i for i, x in enumerate(log.read_text().splitlines(), 1) if '"type": "extended"' in x)

    for args in (["due"], ["deadline", NO]):
        result = ppid(records, *args)
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert f"events.jsonl:{line_no}:" in result.output and "'days'" in result.output, result.output


def test_a_deadline_of_a_hundred_billion_days_is_a_config_error(tmp_path):
    from click.testing import CliRunner

    from pipeline.cli import main

    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    office = config / "office.yaml"
    office.write_text(office.read_text(encoding="utf-8").replace("  extension: 7 ", "  extension: 100000000000 ", 1),
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["stats", "--config", str(config), "--records", str(tmp_path / "records"),
                                       "--date", "2027-01-20"])
    assert result.exit_code == 2 and "deadlines.extension" in result.output and "over a year" in result.output


@pytest.mark.parametrize("number,warned", [("5371012345670001", False), ("5371 0123 4567 0001", False),
                                           ("53710123456700", True), ("5371-0123-4567-000X", True)])
def test_a_ktp_number_that_is_no_nik_is_flagged_for_the_ppid_not_refused(tmp_path, number, warned):
    data = base_request()
    data["requester"]["identity"]["number"] = number
    write_request(tmp_path / "in", "a.yaml", data)

    line = run(tmp_path / "in", tmp_path / "records", date="2026-11-27")[1]["a.yaml"]

    assert line["status"] != "rejected_file", line
    notes = [w for w in line.get("warnings", []) if "16-digit NIK" in w]
    assert bool(notes) == warned, line
    assert all(number not in w for w in notes)  # the number is not repeated in the output
