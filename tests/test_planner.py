"""The pure planner: a Request and the register's Record in, status, events and letters out.

No request file, no register folder, no letter: plain data and tables (spec sections 3-6).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline import letters, planner
from pipeline.events import Reopened
from pipeline.formatting import date_id
from pipeline.loading import WITA
from pipeline.model import Answer, Decision, DecisionItem, Extension, ObjectionDecision, Request, Requester
from pipeline.planner import Target
from pipeline.register import Record
from pipeline.requirements import Failure

OPEN = "Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih DPRD Provinsi 2024"  # DIP-01
EXEMPT = "Memo internal rapat pleno tertutup 2025"  # DIK-05: a closing rule without a decree only proposes
# the PPID confirms the proposal, with the harm opening it would cause (UU KIP Pasal 19)
CONFIRM = DecisionItem(item=1, status="exempt", ground="i", reason="Memorandum internal",
                       consequence="Membuka memo ini mengganggu proses pengambilan keputusan yang belum selesai.")
UNKNOWN = "Notulen rapat koordinasi pengelolaan arsip dinamis tahun 2025"  # no rule: review
FRI_20_NOV = dt.datetime(2026, 11, 20, 9, 15, tzinfo=WITA)  # day 10 = Fri 4 Dec 2026


def request(service="information", channel="letter", received=FRI_20_NOV, **kw) -> Request:
    """A request as loading.py would give it, built in memory."""
    kw.setdefault("information", [OPEN] if service == "information" else None)
    return Request(file="a.yaml", path=Path("/inbox/a.yaml"), inbox=Path("/inbox"), inbox_resolved=Path("/inbox"),
                   digest="d1", service=service, channel=channel, received=received,
                   requester=Requester(name="Maria Goreti Bria", kind="individual"), **kw)


def no_register(_register_no):
    return None


def plan(req, cfg, *, rec=None, failures=(), today=dt.date(2026, 11, 27), lookup=no_register):
    return planner.plan(req, rec, list(failures), cfg=cfg, today=today, lookup=lookup, display="a.yaml")


def kinds(p):
    return [lp.kind for lp in p.letters]


def types(p):
    return [e.type for e in p.events]


# --- information requests: one table, each row a case of spec sections 4 and 6 ----------------

CASES = [
    # (id, request changes, status, outcome, letters, event types, due)
    ("granted", {}, "answered", "granted", ["receipt", "decision_notice"], ["received", "decided", "answered"],
     "2026-12-04"),
    ("review", {"information": [UNKNOWN]}, "review", "review", ["receipt"], ["received"], "2026-12-04"),
    ("proposed only: review", {"information": [EXEMPT]}, "review", "review", ["receipt"], ["received"], "2026-12-04"),
    ("refused: notice and decree", {"information": [EXEMPT], "decision": Decision(by="PPID", items=[CONFIRM])},
     "answered", "rejected",
     ["receipt", "decision_notice", "refusal_decree"], ["received", "decided", "answered"], "2026-12-04"),
    ("withdrawn", {"withdrawn": dt.date(2026, 11, 25)}, "withdrawn", None, [], ["received", "withdrawn"], None),
    ("completed later starts the clock then", {"completed": dt.datetime(2026, 11, 24, 10, 0, tzinfo=WITA)},
     "answered", "granted", ["receipt", "decision_notice"], ["received", "completed", "decided", "answered"],
     "2026-12-08"),
    # UU KIP Pasal 22 ayat 3-4: a walk-in without a letter gets its receipt too (issue 17 item 3)
    ("walk-in without a letter: receipt", {"channel": "walk_in", "letter": None}, "answered", "granted",
     ["receipt", "decision_notice"], ["received", "decided", "answered"], "2026-12-04"),
]


@pytest.mark.parametrize("changes,status,outcome,letter_kinds,event_types,due",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_information_request(cfg, changes, status, outcome, letter_kinds, event_types, due):
    p = plan(request(**changes), cfg)
    assert (p.status, p.outcome, kinds(p), types(p)) == (status, outcome, letter_kinds, event_types)
    assert (p.due.isoformat() if p.due else None) == due
    assert all(not hasattr(e, "register_no") for e in p.events)  # numbers are batch.py's (Event.record)


def test_a_missing_requirement_is_incomplete_with_its_notice_and_no_clock(cfg):
    failure = Failure("source", "Sumber data", "Cantumkan sumbernya.", "source is not stated")
    p = plan(request(), cfg, failures=[failure])
    assert (p.status, p.missing, kinds(p), types(p), p.due) == (
        "incomplete", ["source"], ["incomplete_notice"], ["received", "incomplete"], None)
    assert p.letters[0].data == {"missing": [{"code": "source", "title": "Sumber data", "how": "Cantumkan sumbernya."}]}


@pytest.mark.parametrize("statuses,decree", [
    (["open", "exempt"], True),
    (["open", "partial"], True),       # a blacked-out part is refused on a Pasal 17 ground too
    (["partial", "exempt"], True),
    (["open", "not_held"], False),
    (["open", "not_documented"], False),
])
def test_a_refusal_decree_goes_with_every_notice_that_withholds(cfg, statuses, decree):
    items = [DecisionItem(item=n, status=s, ground="j" if s in ("exempt", "partial") else None,
                          consequence="akibat" if s in ("exempt", "partial") else None,
                          redact=["NIK"] if s == "partial" else [], holder="Bawaslu" if s == "not_held" else None)
             for n, s in enumerate(statuses, 1)]
    p = plan(request(information=[OPEN, EXEMPT], decision=Decision(by="PPID", items=items)), cfg)
    assert ("refusal_decree" in kinds(p)) is decree
    assert (p.letters[1].refs.get("refusal_decree_no") == "refusal_decree") is decree


def test_the_refusal_decree_and_the_notice_name_each_other(cfg):
    confirm = DecisionItem(item=2, status="exempt", ground="i", consequence=CONFIRM.consequence)
    p = plan(request(information=[OPEN, EXEMPT], decision=Decision(by="PPID", items=[confirm])), cfg)
    notice, decree = p.letters[1], p.letters[2]
    assert notice.refs == {"refusal_decree_no": "refusal_decree"} and decree.refs == {"notice_no": "decision_notice"}
    assert [i.status for i in decree.data["items_result"]] == ["open", "exempt"]


def test_a_decision_item_carries_its_consequence_to_the_letter(cfg):
    p = plan(request(information=[UNKNOWN], decision=Decision(by="Nama Pejabat PPID", items=[CONFIRM])), cfg)
    ctx = letters.item_context(p.letters[1].data["items_result"])
    assert ctx["refused"][0]["ground_text"] == "Pasal 17 huruf i UU 14/2008"
    assert ctx["refused"][0]["consequence"] == CONFIRM.consequence
    assert ctx["has_refusal"] is True and ctx["given"] == []


def test_a_proposal_is_in_the_json_line_and_the_register_row(cfg):
    p = plan(request(information=[OPEN, EXEMPT]), cfg)
    assert p.items[1] == {"text": EXEMPT, "status": "review", "rule": "DIK-05", "ground": "i", "proposed": "exempt"}
    assert p.events[0].row["proposed"] == "2: exempt (DIK-05)"


@pytest.mark.parametrize("statuses,label", [
    (["not_held", "not_held"], "informasi tidak dikuasai"),
    (["not_held", "not_documented"], "informasi belum dikuasai atau belum didokumentasikan"),
    (["not_documented"], "informasi belum dikuasai atau belum didokumentasikan"),
])
def test_nothing_held_says_whether_it_is_not_yet_documented(cfg, statuses, label):
    items = [DecisionItem(item=n, status=s, holder="Bawaslu Provinsi Nusa Tenggara Timur" if s == "not_held" else None)
             for n, s in enumerate(statuses, 1)]
    p = plan(request(information=[UNKNOWN] * len(statuses), decision=Decision(by="PPID", items=items)), cfg)
    notice = next(lp for lp in p.letters if lp.kind == "decision_notice")
    assert (p.outcome, notice.data["outcome_label"]) == ("not_held", label)


# --- extensions (UU KIP Pasal 22 ayat 8; spec section 6) ------------------------------------------

@pytest.mark.parametrize("announced,today,extended,due,warned", [
    (None, dt.date(2026, 11, 27), True, "2026-12-15", False),  # default: the processing date, day 5
    (dt.date(2026, 12, 4), dt.date(2026, 12, 7), True, "2026-12-15", False),  # day 10 itself
    (dt.date(2026, 12, 7), dt.date(2026, 12, 7), False, "2026-12-04", True),  # day 11: refused
    (None, dt.date(2026, 12, 7), False, "2026-12-04", True),
])
def test_extension_must_be_announced_by_day_ten(cfg, announced, today, extended, due, warned):
    req = request(information=[UNKNOWN], decision=Decision(extend=Extension(days=7, reason="Arsip", date=announced)))
    p = plan(req, cfg, today=today)
    assert ("extended" in types(p), "extension_notice" in kinds(p)) == (extended, extended)
    assert p.due.isoformat() == due and bool(p.warnings) is warned
    if extended:
        ev = next(e for e in p.events if e.type == "extended")
        assert ev.date == (announced or today).isoformat() and ev.days == 7


def test_an_extension_without_days_takes_the_regimes(cfg):
    p = plan(request(information=[UNKNOWN], decision=Decision(extend=Extension(days=0, reason="Arsip"))), cfg)
    assert next(e for e in p.events if e.type == "extended").days == 7


# --- consultations (spec section 5) ------------------------------------------------------------

@pytest.mark.parametrize("answer,status,letter_kinds", [
    (None, "scheduled", ["receipt"]),
    (Answer(text="Jawaban", by="Anggota A", role="member"), "answered", ["receipt", "consultation_answer"]),
    # the office's own approval is missing: review, nothing asked of the requester
    (Answer(text="Jawaban", by="Kabag X", role="delegated"), "review", ["receipt"]),
    (Answer(text="Jawaban", by="Kabag X", role="delegated", approved_by="Sekretaris KPU Provinsi NTT"), "answered",
     ["receipt", "consultation_answer"]),
])
def test_consultation(cfg, answer, status, letter_kinds):
    p = plan(request("consultation", information=None, topic="Pemantau", answer=answer), cfg)
    assert (p.status, p.missing, kinds(p)) == (status, [], letter_kinds)


@pytest.mark.parametrize("signer,reports_to,block", [
    ("Kabag", "Sekre", "a.n. Sekretaris KPU X"),                        # one level below: a.n. alone
    ("Kasubbag", "Kabag", "a.n. Sekretaris KPU X\nKepala Bagian Umum\nu.b."),  # two levels: u.b.
    ("Kasubbag", "", "a.n. Sekretaris KPU X"),                          # hierarchy not given: a.n. alone
])
def test_the_an_block_follows_the_staff_hierarchy(cfg, signer, reports_to, block):
    from dataclasses import replace as swap

    from pipeline.config import Person

    people = [Person("Sekre", "secretary", "Sekretaris", office="KPU X"),
              Person("Kabag", "delegated", "Kepala Bagian Umum", office="KPU X", reports_to="Sekre"),
              Person("Kasubbag", "delegated", "Kepala Subbagian Hukum", office="KPU X", reports_to=reports_to)]
    if signer == "Kabag":
        people[1] = swap(people[1], reports_to=reports_to)
    local = swap(cfg, staff=[*cfg.staff, *people])
    req = request("consultation", information=None, topic="Pemantau",
                  answer=Answer(text="J", by=signer, role="delegated", approved_by="Sekre"))
    assert letters.signatory(local, "consultation_answer", req)["on_behalf"] == block
    said = letters.answerer(local, req.answer)
    assert said["approved_by"] == "Sekretaris KPU X, Sekre" and "atas nama" not in said["role_label"]


def test_consultation_answer_is_signed_by_who_answered(cfg):
    # both named in config/office.yaml staff: (the demo's two officials)
    secretary, official = cfg.people("secretary")[0], cfg.people("delegated")[0]
    delegated = request("consultation", information=None, topic="Pemantau", answer=Answer(
        text="Jawaban", by=official.name, role="delegated", approved_by=secretary.name))
    sign = letters.signatory(cfg, "consultation_answer", delegated)
    # Tata Naskah Dinas: "a.n." the mandating office; the official reports to a Kepala Bagian (reports_to),
    # two levels below the Secretary: that official's position and "u.b."; then the signer's own
    # position with the block's only comma, then the name
    head = cfg.named(official.reports_to)
    assert (sign["on_behalf"], sign["title"], sign["office"], sign["name"]) == (
        f"a.n. {secretary.position} {secretary.office}\n{head.position}\nu.b.", official.position + ",", "",
        official.name)
    # the approver with titles, or not listed but with a position in brackets: never a person's name
    titled = request("consultation", information=None, topic="Pemantau", answer=Answer(
        text="Jawaban", by=official.name, role="delegated", approved_by=secretary.name.split(",")[0] + ", M.A."))
    assert letters.signatory(cfg, "consultation_answer", titled)["on_behalf"] == sign["on_behalf"]
    named = request("consultation", information=None, topic="Pemantau", answer=Answer(
        text="Jawaban", by="Yohanes Kabag", role="delegated", approved_by="Penguji, S.H. (Sekretaris KPU Provinsi NTT)"))
    assert letters.signatory(cfg, "consultation_answer", named)["on_behalf"] == "a.n. Sekretaris KPU Provinsi NTT"
    member = request("consultation", information=None, answer=Answer(text="J", by="Anggota B", role="member"))
    sign = letters.signatory(cfg, "consultation_answer", member)
    assert (sign["name"], sign["title"], sign["on_behalf"]) == ("Anggota B", "Anggota", "")


@pytest.mark.parametrize("kind,service,role", [
    ("receipt", "information", "ppid"), ("decision_notice", "information", "ppid"),
    ("refusal_decree", "information", "ppid"), ("incomplete_notice", "consultation", "ppid"),
    ("objection_receipt", "objection", "ppid"), ("objection_response", "objection", "atasan_ppid"),
    ("incomplete_notice", "objection", "ppid"),  # registering an objection is the PPID's work (third legal read)
])
def test_who_signs_each_kind(cfg, kind, service, role):
    sign = letters.signatory(cfg, kind, request(service, information=None))
    assert sign["name"] == cfg.signatories[role]["name"] and sign["on_behalf"] == ""


# --- objections (UU KIP Pasal 35-36; spec section 6) -----------------------------------------------

NOTICE_27_NOV = Target("0001/PPID/2026", dt.date(2026, 11, 27), "7/HM.02-SD/53/2026", dt.date(2026, 12, 4))
NO_NOTICE = Target("0001/PPID/2026", None, "", dt.date(2026, 12, 4))
DELIVERED_2_DEC = Target("0001/PPID/2026", dt.date(2026, 11, 27), "7/HM.02-SD/53/2026", dt.date(2026, 12, 4),
                         notice_delivered=dt.date(2026, 12, 2))


def objection(received, **kw):
    return request("objection", information=None, received=received, objection_to="0001/PPID/2026",
                   grounds=["a"], **kw)


# 30 working days from Fri 27 Nov 2026 end on Thu 14 Jan 2027 (see test_lifecycle);
# from Fri 4 Dec 2026: Thu 21 Jan 2027; from Wed 2 Dec (notice received): Tue 19 Jan 2027.
WINDOW = [
    ("in time from the notice", NOTICE_27_NOV, {}, dt.datetime(2027, 1, 14, 15, 0, tzinfo=WITA), None),
    # the day the requester received the notice is not known: not late on proof (spec section 6)
    ("seemingly late from the notice: review", NOTICE_27_NOV, {}, dt.datetime(2027, 1, 15, 8, 0, tzinfo=WITA),
     "review"),
    ("late from the day it was delivered", DELIVERED_2_DEC, {}, dt.datetime(2027, 1, 20, 8, 0, tzinfo=WITA),
     "delivered"),
    ("in time from the day it was delivered", DELIVERED_2_DEC, {}, dt.datetime(2027, 1, 19, 8, 0, tzinfo=WITA),
     None),
    ("in time from the day it was received", NOTICE_27_NOV, {"notice_received": dt.date(2026, 12, 2)},
     dt.datetime(2027, 1, 19, 8, 0, tzinfo=WITA), None),
    ("late from the day it was received", NOTICE_27_NOV, {"notice_received": dt.date(2026, 12, 2)},
     dt.datetime(2027, 1, 20, 8, 0, tzinfo=WITA), "notice_received"),
    ("no notice: from the due date", NO_NOTICE, {}, dt.datetime(2027, 1, 21, 8, 0, tzinfo=WITA), None),
    ("no notice: late", NO_NOTICE, {}, dt.datetime(2027, 1, 22, 8, 0, tzinfo=WITA), "due"),
]


@pytest.mark.parametrize("target,changes,received,late", [w[1:] for w in WINDOW], ids=[w[0] for w in WINDOW])
def test_objection_window(cfg, target, changes, received, late):
    p = plan(objection(received, **changes), cfg, today=received.date(), lookup=lambda n: target)
    if late is None:
        assert (p.status, p.outcome, kinds(p)) == ("review", None, ["objection_receipt"])
        assert p.warnings == []
    elif late == "review":  # for the Atasan PPID, the window shown both ways
        assert (p.status, p.outcome, kinds(p)) == ("review", None, ["objection_receipt"])
        [warning] = p.warnings
        assert "after 2027-01-14 counted from the notice's date 2026-11-27" in warning
        assert "in time if the notice was received on or after 2026-11-30" in warning
    else:
        assert (p.status, p.outcome, p.missing, kinds(p)) == ("answered", "inadmissible", [], ["objection_response"])
        obj = p.letters[0].data["objection"]
        assert obj["result"] == "inadmissible" and obj["late"]["counted_from"] == late
        assert set(obj["late"]) == {"window_start", "window_end", "filed", "counted_from"}
        assert obj["result_label"].startswith("keberatan tidak dapat diterima")
        assert obj["decided_by"] == cfg.signatories["atasan_ppid"]["name"]


def test_a_late_objection_with_a_missing_requirement_is_still_answered_not_incomplete(cfg):
    failure = Failure("identity_copy", "KTP", "Lampirkan.", "missing")
    p = plan(objection(dt.datetime(2027, 2, 1, 8, 0, tzinfo=WITA), notice_received=dt.date(2026, 11, 30)), cfg,
             failures=[failure], today=dt.date(2027, 2, 1), lookup=lambda n: NOTICE_27_NOV)
    assert (p.status, p.outcome, p.missing) == ("answered", "inadmissible", [])


def test_an_overturned_objection_reopens_its_original(cfg):
    d = ObjectionDecision(result="overturned", by="Atasan", date=dt.date(2026, 12, 3), reason="Dapat dihitamkan")
    p = plan(objection(dt.datetime(2026, 12, 1, 10, 0, tzinfo=WITA), objection_decision=d), cfg,
             today=dt.date(2026, 12, 3), lookup=lambda n: NOTICE_27_NOV)
    reopened = [e for e in p.events if e.type == "reopened"]
    assert reopened == [Reopened(target="0001/PPID/2026", reopened_at="2026-12-03")]
    assert reopened[0].record("0001/KEB/PPID/2026") == {  # logged under the original's number
        "type": "reopened", "register_no": "0001/PPID/2026", "reopened_at": "2026-12-03",
        "by_objection": "0001/KEB/PPID/2026"}
    assert kinds(p) == ["objection_receipt", "objection_response"] and p.counter == "objection"


def test_nothing_is_issued_twice(cfg):
    rec = Record(register_no="0001/PPID/2026", key="k", year=2026, row={"received_at": "2026-11-20 09:15",
                                                                        "service": "information"})
    rec.letters = [{"kind": "receipt", "date": "2026-11-20"}]
    rec.decided = {"items": [{"text": OPEN, "status": "open", "rule": "DIP-01", "ground": None}], "date": "2026-11-27"}
    rec.letters.append({"kind": "decision_notice", "date": "2026-11-27"})
    rec.answered_at = "2026-11-27"
    p = plan(request(), cfg, rec=rec)
    assert kinds(p) == [] and types(p) == ["updated"]


def test_the_atasan_ppid_may_record_a_seemingly_late_objection_as_inadmissible(cfg):
    """Shown the window both ways (review), the Atasan PPID decides it was filed too late."""
    d = ObjectionDecision(result="inadmissible", by="Atasan Penguji", date=dt.date(2027, 1, 18), reason="")
    received = dt.datetime(2027, 1, 15, 8, 0, tzinfo=WITA)
    p = plan(objection(received, objection_decision=d), cfg, today=received.date(), lookup=lambda n: NOTICE_27_NOV)
    assert (p.status, p.outcome, kinds(p)) == ("answered", "inadmissible", ["objection_response"])
    obj = p.letters[0].data["objection"]
    assert obj["late"]["counted_from"] == "notice" and obj["decided_by"] == "Atasan Penguji"


def test_inadmissible_is_refused_for_an_objection_in_time(cfg):
    d = ObjectionDecision(result="inadmissible", by="Atasan Penguji", date=dt.date(2027, 1, 14), reason="")
    received = dt.datetime(2027, 1, 14, 15, 0, tzinfo=WITA)
    p = plan(objection(received, objection_decision=d), cfg, today=received.date(), lookup=lambda n: NOTICE_27_NOV)
    assert (p.status, p.outcome, kinds(p)) == ("review", None, ["objection_receipt"])
    assert any("decide it upheld or overturned" in w for w in p.warnings)


def test_an_incomplete_objection_states_when_its_window_ends(cfg):
    """UU KIP Pasal 36 ayat 1: the 30 working days keep running while the objection is incomplete;
    the notice gives the last day when the day of receipt is proven, else none."""
    failure = Failure("grounds", "Alasan keberatan", "Sebutkan alasannya.", "no ground")
    target = Target("0001/PPID/2026", notice_date=dt.date(2026, 11, 20), notice_delivered=dt.date(2026, 11, 23))
    req = request(service="objection", objection_to="0001/PPID/2026", received=dt.datetime(2026, 11, 30, 9, 0, tzinfo=WITA))
    p = plan(req, cfg, failures=[failure], lookup=lambda no: target)
    end = p.letters[0].data["objection_window_end"]
    assert end == date_id(cfg.clock.objection_window_end(dt.date(2026, 11, 23)))
    unproven = Target("0001/PPID/2026", notice_date=dt.date(2026, 11, 20))
    p = plan(req, cfg, failures=[failure], lookup=lambda no: unproven)
    assert p.letters[0].data["objection_window_end"] == ""


@pytest.mark.parametrize("service,identity,warned", [
    ("information", "passport", True),    # UU KIP Pasal 1 angka 12: the PPID confirms the nationality
    ("information", "ktp", False),
    ("information", None, False),
    ("consultation", "passport", False),  # a consultation is not a request for information
])
def test_a_passport_is_flagged_for_the_ppid_never_refused(cfg, service, identity, warned):
    from pipeline.model import Identity

    req = request(service, topic="Pemantau" if service == "consultation" else None)
    req.requester.identity = Identity(type=identity, number="X1")
    p = plan(req, cfg)
    assert (planner.PASSPORT_NOTE in p.warnings) is warned
    if service == "information":
        assert p.outcome == "granted"  # nothing refused on a guess
