"""Who owns a record, the second hostile test (issue 18, owner3).

1. Once the PPID decided a request's items (a decision notice is out), a version whose
   items say something else is held (code `fixed`): the PPID's per-item decision is by
   number, so re-deciding it would apply it to an item the PPID never decided.
2. A supplement proven only by name and one contact changes neither the requester's kind
   or organization nor the items, and never makes a request newly incomplete.
3. The original edited after a partial supplement keeps what the supplement supplied,
   and the register keeps every attachment any version named (purge erases them).

Everything runs through the real `ppid` command on real inboxes and a real records folder.
"""

from __future__ import annotations

import copy

import pytest

from helpers import base_request, write_request
from test_integrity import book, events, personal, run

NO = "0001/PPID/2026"
ITEMS = ["Salinan formulir C.Hasil TPS 05 Kelurahan Oebobo", "Salinan daftar hadir pemilih TPS 05 Kelurahan Oebobo"]
DECIDED = base_request(information=list(ITEMS), decision={"by": "Yosefina Lawa", "items": [
    {"item": 2, "status": "partial", "ground": "j", "reason": "Daftar hadir memuat data perseorangan pemilih",
     "consequence": "Membuka NIK pemilih memungkinkan penyalahgunaan identitas"}]})


def notices(records, rno=NO) -> list[str]:
    return [e["kind"] for e in events(records) if e["type"] == "letter" and e.get("register_no") == rno]


def decided(tmp_path):
    records = tmp_path / "records"
    write_request(tmp_path / "a", "r.yaml", DECIDED)
    line = run(tmp_path / "a", records)[1]["r.yaml"]
    assert line["outcome"] == "partially_granted" and "decision_notice" in notices(records), line
    return records


EDITS = [
    # id, the items after the decision
    ("item-2-replaced", [ITEMS[0], "Salinan berita acara rekapitulasi Kecamatan Oebobo"]),
    ("items-swapped", [ITEMS[1], ITEMS[0]]),
    ("item-added", [*ITEMS, "Salinan berita acara rekapitulasi Kecamatan Oebobo"]),
    ("item-dropped", [ITEMS[0]]),  # with the decision of item 2 left out too
]


@pytest.mark.parametrize("items", [e[1] for e in EDITS], ids=[e[0] for e in EDITS])
def test_items_once_decided_are_not_decided_again_by_number(tmp_path, items):
    records = decided(tmp_path)
    sent, row = notices(records), book(records).loc[NO].copy()
    data = dict(copy.deepcopy(DECIDED), information=items)
    if len(items) == 1:
        data.pop("decision")
    write_request(tmp_path / "a", "r.yaml", data)

    code, lines = run(tmp_path / "a", records)

    line = lines["r.yaml"]
    assert line["status"] == "rejected_file" and code == 1, line
    assert line["errors"][0]["code"] == "fixed" and line["errors"][0]["field"] == "information", line
    assert "a person must confirm" in line["error"] and "new request" in line["error"], line
    assert notices(records) == sent and (book(records).loc[NO] == row).all()


def test_items_written_otherwise_are_the_same_items(tmp_path):
    """Case and spacing are no other information: the version is taken in, no new notice."""
    records = decided(tmp_path)
    sent = notices(records)
    items = ["  salinan formulir C.Hasil   TPS 05 Kelurahan Oebobo", ITEMS[1].upper()]
    write_request(tmp_path / "a", "r.yaml", dict(copy.deepcopy(DECIDED), information=items))

    line = run(tmp_path / "a", records)[1]["r.yaml"]

    assert line["status"] != "rejected_file" and line["outcome"] == "partially_granted", line
    assert notices(records) == sent


def test_items_may_change_before_any_decision(tmp_path):
    records = tmp_path / "records"
    data = base_request(information=list(ITEMS))
    data.pop("source")
    write_request(tmp_path / "a", "r.yaml", data)
    assert run(tmp_path / "a", records)[1]["r.yaml"]["status"] == "incomplete"
    data["information"] = [ITEMS[0], "Salinan berita acara rekapitulasi Kecamatan Oebobo"]
    write_request(tmp_path / "a", "r.yaml", data)

    line = run(tmp_path / "a", records)[1]["r.yaml"]

    assert line["status"] == "incomplete" and line["register_no"] == NO, line
    assert "berita acara" in book(records).loc[NO, "subject"]


# --- 2. a supplement proven by name and one contact --------------------------------------------

# Yohanes registered by letter with a phone only: no e-mail, no identity number, no copy.
YOHANES = base_request(requester={"name": "Yohanes Lake", "kind": "individual", "phone": "081339001122",
                                  "identity": {"type": "ktp"}})
WITH_COPY = {**YOHANES["requester"], "identity": {"type": "ktp", "copy": "ktp.jpg"}}


def yohanes(tmp_path):
    records = tmp_path / "records"
    write_request(tmp_path / "a", "yohanes.yaml", YOHANES)
    line = run(tmp_path / "a", records)[1]["yohanes.yaml"]
    assert line["status"] == "incomplete" and sorted(line["missing"]) == ["contact", "identity_copy"], line
    return records


UNPROVEN = [
    # id, what the supplement changes, the field named
    ("kind", dict(requester={**WITH_COPY, "kind": "mass_organization", "organization": "LSM Lain"}), "requester.kind"),
    ("organization", dict(requester={**WITH_COPY, "organization": "Yayasan Lain"}), "requester.organization"),
    ("items", dict(requester=WITH_COPY, information=["Salinan seluruh data pemilih Kota Kupang"]), "information"),
]


@pytest.mark.parametrize("changes,field", [c[1:] for c in UNPROVEN], ids=[c[0] for c in UNPROVEN])
def test_a_supplement_proven_by_name_and_phone_rewrites_neither_requester_nor_items(tmp_path, changes, field):
    records = yohanes(tmp_path)
    row, sent = book(records).loc[NO].copy(), notices(records)
    write_request(tmp_path / "b", "susulan.yaml", dict(copy.deepcopy(YOHANES), register_no=NO, **changes))

    code, lines = run(tmp_path / "b", records)

    line = lines["susulan.yaml"]
    assert line["status"] == "rejected_file" and code == 1, line
    assert line["errors"][0]["code"] == "owner" and line["errors"][0]["field"] == field, line
    assert "only by name" in line["error"], line
    assert (book(records).loc[NO] == row).all() and notices(records) == sent


def test_a_supplement_that_would_make_the_request_newly_incomplete_is_held(tmp_path):
    """Proven by the identity number, but its items are no request: no fresh incomplete notice."""
    records = tmp_path / "records"
    data = base_request()
    data.pop("source")
    write_request(tmp_path / "a", "r.yaml", data)
    assert run(tmp_path / "a", records)[1]["r.yaml"]["missing"] == ["source"]
    sent, row = notices(records), book(records).loc[NO].copy()
    write_request(tmp_path / "b", "susulan.yaml", dict(copy.deepcopy(data), register_no=NO, information=[""]))

    code, lines = run(tmp_path / "b", records)

    line = lines["susulan.yaml"]
    assert line["status"] == "rejected_file" and line["errors"][0]["code"] == "fixed", line
    assert notices(records) == sent and (book(records).loc[NO] == row).all()


# --- 3. the original edited after a partial supplement -----------------------------------------


def test_the_original_edited_after_a_partial_supplement_keeps_what_it_supplied(tmp_path):
    records = tmp_path / "records"
    original = base_request()
    original.pop("source")
    original["requester"]["identity"].pop("copy")
    write_request(tmp_path / "a", "r.yaml", original, attachments=("surat.pdf",))
    assert sorted(run(tmp_path / "a", records)[1]["r.yaml"]["missing"]) == ["identity_copy", "source"]
    supplied = copy.deepcopy(original)
    supplied["register_no"] = NO
    supplied["requester"]["identity"]["copy"] = "ktp-susulan.jpg"
    write_request(tmp_path / "b", "susulan.yaml", supplied, attachments=("ktp-susulan.jpg", "surat.pdf"))
    assert run(tmp_path / "b", records)[1]["susulan.yaml"]["missing"] == ["source"]
    sent = notices(records)
    scans = [f for f in personal(records, NO)["attachments"] if f.endswith("ktp-susulan.jpg")]
    assert scans

    write_request(tmp_path / "a", "r.yaml", dict(original, purpose="Bahan tulisan tentang partisipasi pemilih"),
                  attachments=("surat.pdf",))
    line = run(tmp_path / "a", records)[1]["r.yaml"]

    assert line["status"] == "incomplete" and line["missing"] == ["source"], line
    assert notices(records) == sent  # no third incomplete notice
    assert set(scans) <= set(personal(records, NO)["attachments"])  # purge still knows the scan
