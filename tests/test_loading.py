"""Loading request files: typed fields, and every malformed file rejected with file, field and line."""

from __future__ import annotations

import os

import pytest

from pipeline.errors import RequestFileError
from pipeline.loading import load_request
from helpers import TODAY, base_request, write_request


def load(inbox, text_or_data, name="r.yaml"):
    return load_request(write_request(inbox, name, text_or_data), inbox, TODAY)


def test_complete_request_loads_with_types(inbox):
    req = load(inbox, base_request())
    assert req.service == "information" and req.channel == "letter"
    assert req.received.isoformat() == "2026-11-20T09:15:00+08:00"  # WITA when no offset
    assert req.requester.identity.number == "5371012345670001"
    assert req.information == ["Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih DPRD Provinsi 2024"]
    assert len(req.digest) == 64


def test_offset_is_converted_to_wita(inbox):
    req = load(inbox, base_request(received="2026-11-20T01:15:00+00:00"))
    assert req.received.strftime("%Y-%m-%d %H:%M %z") == "2026-11-20 09:15 +0800"


def test_unquoted_phone_keeps_its_leading_zero(inbox):
    text = "service: complaint\nchannel: email\nreceived: 2026-11-20 09:15\nrequester:\n  name: A\n  phone: 081234567890\ntext: x\n"
    assert load(inbox, text).requester.phone == "081234567890"


def test_digest_follows_attachment_content(inbox):
    first = load(inbox, base_request())
    (inbox / "ktp.jpg").write_bytes(b"\xff\xd8\xff\xe0 another photo")
    assert load(inbox, base_request()).digest != first.digest


MALFORMED = [
    # (file text, field path in message, line, words in the message)
    ("service: informasi\nchannel: letter\nreceived: 2026-11-20 09:15\n", "service", 1, "did you mean 'information'"),
    ("service: information\nchannel: fax\nreceived: 2026-11-20 09:15\n", "channel", 2, "use one of"),
    ("service: information\nchannel: letter\nreceived: 20 November\n", "received", 3, "2026-11-20 09:15"),
    ("service: information\nchannel: letter\nreceived: 2027-01-02 09:15\n", "received", 3, "after the processing date"),
    ("service: information\nchannel: letter\nreceived: 2026-02-30 09:15\n", "received", 3, "not a real date"),
    ("service: information\nchannel: letter\n", "received", None, "is missing"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\nrequester: Maria\n", "requester", 4, "mapping"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\nrequester:\n  kind: person\n", "requester.kind", 5, "individual"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\nletter: ../../etc/passwd\n", "letter", 4, "outside the inbox"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\nletter: /etc/passwd\n", "letter", 4, "absolute path"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\nguest_book: maybe\n", "guest_book", 4, "true or false"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\npurpose:\n  - a\n", "purpose", 5, "text, not a list"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\npurpse: x\n", "purpse", 4, "did you mean 'purpose'"),
    ("service: information\nchannel: letter\nchannel: email\nreceived: 2026-11-20 09:15\n", "channel", 3, "given twice"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\ncompleted: 2026-11-19 09:15\n", "completed", 4, "earlier than received"),
    ("service: objection\nchannel: letter\nreceived: 2026-11-20 09:15\ngrounds: [z]\n", "grounds[1]", 4, "Pasal 35"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\ninformation: [a]\ndecision:\n  items:\n    - {item: 3, status: exempt, ground: h}\n",
     "decision.items[1].item", 7, "lists 1 item"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\ninformation: [a]\ndecision:\n  items:\n    - {item: 1, status: exempt, ground: k}\n",
     "decision.items[1].ground", 7, "Pasal 17"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\ntext: \"a\\x07b\"\n", "text", 4, "control characters"),
    # an exempt or partial decision names its Pasal 17 ground; one decision per item (issue 11)
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\ninformation: [a]\ndecision:\n  items:\n    - {item: 1, status: exempt}\n",
     "decision.items[1].ground", 7, "gives its ground, the letter a-j of UU 14/2008 Pasal 17"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\ninformation: [a]\ndecision:\n  items:\n"
     "    - {item: 1, status: open}\n    - {item: 1, status: not_held, holder: Bawaslu}\n",
     "decision.items[2].item", 8, "decides item 1 again (as decision.items[1] does)"),
    ("service: objection\nchannel: letter\nreceived: 2026-11-20 09:15\nnotice_received: 2027-01-05\n",
     "notice_received", 4, "after the processing date"),
    # a refused or blacked-out item states the harm opening it would cause (UU KIP Pasal 19; issue 17)
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\ninformation: [a]\ndecision:\n  items:\n"
     "    - {item: 1, status: exempt, ground: i, reason: Memo}\n",
     "decision.items[1].consequence", 7, "states the harm that opening it would cause"),
    ("service: information\nchannel: letter\nreceived: 2026-11-20 09:15\ninformation: [a]\ndecision:\n  items:\n"
     "    - {item: 1, status: partial, ground: j, redact: [NIK], consequence: \"  \"}\n",
     "decision.items[1].consequence", 7, "consequence: Membuka"),
]


@pytest.mark.parametrize("text,path,line,words", MALFORMED)
def test_malformed_file_names_file_field_and_line(inbox, text, path, line, words):
    with pytest.raises(RequestFileError) as info:
        load(inbox, text, name="bad.yaml")
    message = str(info.value)
    assert "bad.yaml" in message
    assert f"field '{path}'" in message
    if line:
        assert f"bad.yaml:{line}:" in message
    assert words in message


@pytest.mark.parametrize("text,words", [
    ("service: [information\n", "not valid YAML"),
    ("- just\n- a list\n", "must be a mapping"),
    ("", "is empty"),
    ("a: &x [1]\nb: *x\nservice: information\n", "anchor/alias"),
    ("service: !!python/object:os.system ls\n", "YAML tag"),
    ("foo: !custom 1\n", "YAML tag"),
])
def test_unsafe_or_broken_yaml_is_refused(inbox, text, words):
    with pytest.raises(RequestFileError, match=words):
        load(inbox, text)


def test_billion_laughs_is_refused_quickly(inbox):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 9)]
    with pytest.raises(RequestFileError, match="anchor/alias"):
        load(inbox, "\n".join(lines) + "\n")


def test_non_utf8_names_the_line(inbox):
    path = inbox / "latin1.yaml"
    path.write_bytes(b"service: information\nchannel: letter\npurpose: caf\xe9\n")
    with pytest.raises(RequestFileError, match=r"latin1.yaml:3: is not UTF-8"):
        load_request(path, inbox, TODAY)


def test_symlinked_attachment_out_of_inbox_is_refused(inbox, tmp_path):
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF-1.4")
    os.symlink(outside, inbox / "surat.pdf")
    with pytest.raises(RequestFileError, match="outside the inbox"):
        load(inbox, base_request())


def test_all_problems_are_reported_at_once(inbox):
    text = "service: informasi\nchannel: fax\nreceived: soon\n"
    with pytest.raises(RequestFileError) as info:
        load(inbox, text)
    assert [p.path for p in info.value.problems] == ["service", "channel", "received"]


def test_too_many_items_is_refused_with_the_line(inbox):
    from pipeline.loading import MAX_ITEMS

    ok = base_request(information=[f"Laporan kegiatan nomor {i}" for i in range(1, MAX_ITEMS + 1)])
    assert len(load(inbox, ok).information) == MAX_ITEMS
    data = base_request(information=[f"Laporan kegiatan nomor {i}" for i in range(1, MAX_ITEMS + 2)])
    path = write_request(inbox, "banyak.yaml", data)
    line = path.read_text(encoding="utf-8").splitlines().index("information:") + 1
    with pytest.raises(RequestFileError) as info:
        load_request(path, inbox, TODAY)
    message = str(info.value)
    assert f"banyak.yaml:{line}: field 'information' lists {MAX_ITEMS + 1} items" in message, message
    assert "split it into several request files" in message


@pytest.mark.parametrize("service,dispute,path,words", [
    ("information", {"filed": "2026-11-20"}, "dispute", "is only for an objection"),
    ("objection", {"case_no": "1/KI/2026"}, "dispute.filed", "is missing; give the date"),
    ("objection", {"filed": "2026-11-19"}, "dispute.filed", "before the objection was received (2026-11-20)"),
    ("objection", {"filed": "2027-01-04"}, "dispute.filed", "after the processing date 2026-12-31"),
    ("objection", {"filed": "2026-11-20", "result": "granted"}, "dispute.decided", "is missing"),
    ("objection", {"filed": "2026-11-20", "decided": "2026-11-23"}, "dispute.result", "mediated, granted"),
    ("objection", {"filed": "2026-11-23", "decided": "2026-11-20", "result": "rejected"},
     "dispute.decided", "before the dispute was filed (2026-11-23)"),
    ("objection", {"filed": "2026-11-20", "result": "won", "decided": "2026-11-23"}, "dispute.result",
     "mediated"),
    ("objection", {"filed": "2026-11-20", "result": "rejected", "decided": "2027-01-04"}, "dispute.decided",
     "after the processing date 2026-12-31"),
])
def test_dispute_block_is_checked(inbox, service, dispute, path, words):
    data = base_request(service, received="2026-11-20 09:00", dispute=dispute)
    with pytest.raises(RequestFileError) as info:
        load(inbox, data)
    found = [p for p in info.value.problems if p.path == path]
    assert found and words in found[0].message, info.value.problems
    assert found[0].line is not None


def test_a_complete_dispute_loads(inbox):
    data = base_request("objection", received="2026-11-20 09:00", dispute={
        "filed": "2026-11-23", "case_no": "012/XI/KI-NTT-PS/2026", "result": "mediated", "decided": "2026-11-26"})
    d = load(inbox, data).dispute
    assert (d.filed.isoformat(), d.case_no, d.result, d.decided.isoformat()) == (
        "2026-11-23", "012/XI/KI-NTT-PS/2026", "mediated", "2026-11-26")


def test_decision_items_carry_their_consequence_and_the_extension_its_date(inbox):
    data = base_request(information=["Memo internal rapat pleno tertutup 2025"], decision={
        "by": "Nama Pejabat PPID", "items": [{"item": 1, "status": "exempt", "ground": "i",
                                              "consequence": "Membuka memo mengganggu pengambilan keputusan."}],
        "extend": {"days": 7, "reason": "Konsultasi dengan pemilik dokumen", "date": "2026-11-30"}})
    req = load(inbox, data)
    assert req.decision.items[0].consequence == "Membuka memo mengganggu pengambilan keputusan."
    assert (req.decision.extend.days, req.decision.extend.date.isoformat()) == (7, "2026-11-30")


def test_an_objection_may_say_when_the_notice_was_received(inbox):
    req = load(inbox, base_request("objection", "letter", notice_received="2026-11-30"))
    assert req.notice_received.isoformat() == "2026-11-30"
