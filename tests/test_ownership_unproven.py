"""Name plus a phone is no proof to take a request over (issue 18, owner2 item 1).

A request registered without an identity number can be named by a supplement or an
objection that gives the registered name and one registered contact. Such a file may
complete what is missing, but what would tie the request to another person or send its
letters elsewhere (an identity number, a contact or address not registered, another
`delivery`, a withdrawal) waits for a person: the file is `rejected_file` (code `owner`)
and the register is unchanged. A filing in person (walk_in, the identity card shown) or
the request's own file (the office's record, edited by the clerk) carries it.

Everything runs through the real `ppid` command on real inboxes and a real records folder.
"""

from __future__ import annotations

import copy

import pytest

from helpers import base_request, write_request
from test_integrity import book, events, objection, personal, run

NO = "0001/PPID/2026"

# Yohanes registered by letter with a phone only: no e-mail, no identity number, no copy.
YOHANES = base_request(requester={"name": "Yohanes Lake", "kind": "individual", "phone": "081339001122",
                                  "identity": {"type": "ktp"}})
ATTACKER = {"name": "LAKE, yohanes", "kind": "individual", "phone": "0813 3900 1122",
            "email": "attacker@evil.example",
            "identity": {"type": "ktp", "number": "5371000000000666", "copy": "ktp.jpg"}}


def yohanes(tmp_path):
    records = tmp_path / "records"
    write_request(tmp_path / "a", "yohanes.yaml", YOHANES)
    line = run(tmp_path / "a", records)[1]["yohanes.yaml"]
    assert line["status"] == "incomplete" and sorted(line["missing"]) == ["contact", "identity_copy"], line
    return records


def supplement(requester: dict, **changes) -> dict:
    data = copy.deepcopy(YOHANES)
    data.update(register_no=NO, **changes)
    data["requester"] = copy.deepcopy(requester)
    return data


def letters_to(records, rno=NO) -> list[str]:
    return [e["kind"] for e in events(records) if e["type"] == "letter" and e.get("register_no") == rno]


HELD = [
    # id, the supplement's requester and fields, the field named first
    ("the-attack", dict(requester=ATTACKER, delivery="email"), "requester.identity.number"),
    ("an-e-mail-added", dict(requester={**YOHANES["requester"], "email": "attacker@evil.example",
                                        "identity": {"type": "ktp", "copy": "ktp.jpg"}}), "requester.email"),
    ("an-identity-number-added", dict(requester={**YOHANES["requester"], "identity": {
        "type": "ktp", "number": "5371000000000666", "copy": "ktp.jpg"}}), "requester.identity.number"),
    ("delivery-changed", dict(requester={**YOHANES["requester"], "identity": {"type": "ktp", "copy": "ktp.jpg"}},
                              delivery="post"), "delivery"),
    ("an-address-added", dict(requester={**YOHANES["requester"], "address": "Jl. Lain No. 1",
                                         "identity": {"type": "ktp", "copy": "ktp.jpg"}}), "requester.address"),
    ("a-withdrawal", dict(requester=YOHANES["requester"], withdrawn="2026-11-26"), "withdrawn"),
]


@pytest.mark.parametrize("changes,field", [c[1:] for c in HELD], ids=[c[0] for c in HELD])
def test_a_supplement_proven_by_name_and_phone_adds_nothing_that_takes_the_request_over(tmp_path, changes, field):
    records = yohanes(tmp_path)
    row, kept, sent = book(records).loc[NO].copy(), personal(records, NO), letters_to(records)
    write_request(tmp_path / "b", "attacker.yaml", supplement(**changes))

    code, lines = run(tmp_path / "b", records)

    line = lines["attacker.yaml"]
    assert line["status"] == "rejected_file" and code == 1, line
    assert line["errors"][0]["code"] == "owner" and line["errors"][0]["field"] == field, line
    assert "a person must confirm" in line["error"] and "only by name" in line["error"], line
    assert (book(records).loc[NO] == row).all() and personal(records, NO) == kept
    assert letters_to(records) == sent  # no decision notice, to anyone


def test_the_real_owner_is_not_locked_out_after_the_attack(tmp_path):
    """After the held attack the real owner comes in person with his card: taken in, answered."""
    records = yohanes(tmp_path)
    write_request(tmp_path / "b", "attacker.yaml", supplement(ATTACKER, delivery="email"))
    run(tmp_path / "b", records)
    own = {**YOHANES["requester"], "email": "yohanes@example.org",
           "identity": {"type": "ktp", "number": "5371012345679999"}}
    write_request(tmp_path / "c", "yohanes-datang.yaml",
                  supplement(own, channel="walk_in", guest_book=True, delivery="email"))

    line = run(tmp_path / "c", records)[1]["yohanes-datang.yaml"]

    assert line["status"] == "answered" and line["register_no"] == NO, line
    kept = personal(records, NO)
    assert kept["identity_number"] == "5371012345679999" and kept["email"] == "yohanes@example.org"


def test_the_clerk_completes_it_in_the_requests_own_file(tmp_path):
    """The confirmed e-mail and identity copy entered in the own file: the request is completed."""
    records = yohanes(tmp_path)
    confirmed = copy.deepcopy(YOHANES)
    confirmed["requester"].update(email="yohanes@example.org", identity={"type": "ktp", "copy": "ktp.jpg"})
    write_request(tmp_path / "a", "yohanes.yaml", confirmed)

    line = run(tmp_path / "a", records)[1]["yohanes.yaml"]

    assert line["status"] == "answered" and line["register_no"] == NO, line
    assert personal(records, NO)["email"] == "yohanes@example.org"


def test_a_supplement_that_only_brings_the_identity_copy_is_taken_in(tmp_path):
    """The everyday supplement: registered with phone and e-mail, the copy of the card sent later."""
    data = copy.deepcopy(YOHANES)
    data["requester"]["email"] = "yohanes@example.org"
    records = tmp_path / "records"
    write_request(tmp_path / "a", "yohanes.yaml", data)
    assert run(tmp_path / "a", records)[1]["yohanes.yaml"]["missing"] == ["identity_copy"]
    copy_sent = supplement({**data["requester"], "phone": "+62 813-3900-1122",
                            "identity": {"type": "ktp", "copy": "ktp.jpg"}})

    write_request(tmp_path / "b", "susulan.yaml", copy_sent)
    line = run(tmp_path / "b", records)[1]["susulan.yaml"]

    assert line["status"] == "answered" and line["register_no"] == NO, line
    assert "decision_notice" in letters_to(records)


def test_an_objection_proven_by_name_and_phone_sends_nothing_to_a_new_address(tmp_path):
    """The objection's letters go to its own contacts: one the register never tied to the requester waits."""
    records = tmp_path / "records"
    data = copy.deepcopy(YOHANES)
    data["requester"].update(email="yohanes@example.org", identity={"type": "ktp", "copy": "ktp.jpg"})
    write_request(tmp_path / "a", "yohanes.yaml", data)
    assert run(tmp_path / "a", records)[1]["yohanes.yaml"]["status"] == "answered"
    write_request(tmp_path / "b", "keberatan.yaml", objection(requester={**ATTACKER, "identity": {
        "type": "ktp", "copy": "ktp.jpg"}}))
    n = len(events(records))

    code, lines = run(tmp_path / "b", records, date="2026-12-01")

    line = lines["keberatan.yaml"]
    assert line["status"] == "rejected_file" and line["errors"][0]["field"] == "requester.email", line
    assert len(events(records)) == n
    own = {**data["requester"], "phone": "0813 3900 1122"}
    write_request(tmp_path / "b", "keberatan.yaml", objection(requester=own))
    assert run(tmp_path / "b", records, date="2026-12-01")[1]["keberatan.yaml"]["status"] != "rejected_file"


# --- a second objection while the first is open (owner2 item 4) ------------------------------------


def test_a_second_objection_from_the_same_requester_while_the_first_is_open_is_held(tmp_path):
    from test_integrity import refused_original

    records = refused_original(tmp_path)
    write_request(tmp_path / "in2", "k.yaml", objection())
    assert run(tmp_path / "in2", records, date="2026-12-01")[1]["k.yaml"]["register_no"] == "0001/KEB/PPID/2026"
    write_request(tmp_path / "in3", "k-lagi.yaml", objection(received="2026-12-02 10:00", grounds=["a", "e"]))

    code, lines = run(tmp_path / "in3", records, date="2026-12-02")

    line = lines["k-lagi.yaml"]
    assert line["status"] == "rejected_file" and line["errors"][0]["code"] == "duplicate", line
    assert line["errors"][0]["field"] == "objection_to" and "0001/KEB/PPID/2026" in line["error"], line
    assert [e for e in events(records) if e["type"] == "received" and e["register_no"].startswith("0002/KEB")] == []


def test_another_objection_after_the_first_is_answered_is_registered(tmp_path):
    from test_integrity import OVERTURNED, refused_original

    records = refused_original(tmp_path)
    write_request(tmp_path / "in2", "k.yaml", objection(decision={**OVERTURNED, "result": "upheld"}))
    assert run(tmp_path / "in2", records, date="2026-12-01")[1]["k.yaml"]["status"] == "answered"
    write_request(tmp_path / "in3", "k-lagi.yaml", objection(received="2026-12-02 10:00", grounds=["e"]))

    line = run(tmp_path / "in3", records, date="2026-12-02")[1]["k-lagi.yaml"]

    assert line["status"] != "rejected_file" and line["register_no"] == "0002/KEB/PPID/2026", line


def test_a_later_version_of_an_accepted_supplement_may_not_add_what_its_first_could_not(tmp_path):
    """An innocuous supplement taken in first, then the same file edited to add the attacker's e-mail."""
    records = yohanes(tmp_path)
    harmless = supplement({**YOHANES["requester"], "identity": {"type": "ktp", "copy": "ktp.jpg"}})
    write_request(tmp_path / "b", "attacker.yaml", harmless)
    assert run(tmp_path / "b", records)[1]["attacker.yaml"]["status"] == "incomplete"  # still no e-mail
    write_request(tmp_path / "b", "attacker.yaml", supplement(ATTACKER, delivery="email"))

    line = run(tmp_path / "b", records)[1]["attacker.yaml"]

    assert line["status"] == "rejected_file" and line["errors"][0]["code"] == "owner", line
    assert not personal(records, NO).get("email") and not personal(records, NO).get("identity_number")


def test_a_later_version_of_a_registered_objection_keeps_its_own_contacts(tmp_path):
    """Filed in person with a new e-mail, the objection's later version (the Atasan PPID's
    answer entered by letter) is not held for the e-mail registered with the objection itself."""
    from test_integrity import OVERTURNED

    records = tmp_path / "records"
    data = copy.deepcopy(YOHANES)
    data["requester"].update(email="yohanes@example.org", identity={"type": "ktp", "copy": "ktp.jpg"})
    write_request(tmp_path / "a", "yohanes.yaml", data)
    assert run(tmp_path / "a", records)[1]["yohanes.yaml"]["status"] == "answered"
    own = {**data["requester"], "email": "yohanes.baru@example.org",
           "identity": {"type": "ktp", "number": "5371012345679999"}}
    k = {**objection(requester=own), "channel": "walk_in", "guest_book": True}
    write_request(tmp_path / "b", "k.yaml", k)
    assert run(tmp_path / "b", records, date="2026-12-01")[1]["k.yaml"]["status"] != "rejected_file"
    write_request(tmp_path / "b", "k.yaml", {**k, "channel": "letter", "guest_book": None,
                                             "requester": {**own, "identity": {**own["identity"], "copy": "ktp.jpg"}},
                                             "decision": {**OVERTURNED, "result": "upheld", "date": "2026-12-02"}})

    line = run(tmp_path / "b", records, date="2026-12-02")[1]["k.yaml"]

    assert line["status"] == "answered" and line["outcome"] == "upheld", line
