"""What the law requires each letter kind to print, kept in the letter-kind registry
(pipeline.letters.REGISTRY), checked on the office's own .docx templates: an office may reword
a letter in Word, but not drop these phrases (issue 17; issue 19 item 7).

Also the legal findings of issue 17 that show in letters: consequence, not a rule's title;
late notices; election-stage citations; decree numbering.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import jinja2
import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docxtpl import DocxTemplate

from helpers import ROOT, another_person, base_request, write_request
from letter_samples import decision_context, late_replacing_context, objection_response_context, sample, with_election
from pipeline import letters, planner, rules
from pipeline.cli import main
from pipeline.config import load_config, load_rules
from pipeline.letters import REGISTRY
from pipeline.loading import WITA
from pipeline.model import Request, Requester
from pipeline.register import Register

TEMPLATES = ROOT / "templates"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def rendered_text(template: Path, ctx: dict, out: Path) -> str:
    """The text of a template filled the way the batch fills it (letters.Renderer: the sandbox,
    StrictUndefined, autoescape; each template compiled once per test process)."""
    letters.Renderer(template.parent).render(template.stem, ctx, out)
    body = Document(out).element.body
    return " ".join(" ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")).split())


# --- each kind prints the phrases the law requires of it ----------------------------------------


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_each_kind_prints_its_legal_phrases(kind, tmp_path):
    spec = REGISTRY[kind]
    assert spec.phrases, f"{kind}: the registry names no legal phrase"
    text = rendered_text(TEMPLATES / spec.template, sample(kind), tmp_path / "a.docx")
    assert [p for p in spec.phrases if p not in text] == []


@pytest.mark.parametrize("kind", sorted(k for k, v in REGISTRY.items() if v.election_phrases))
def test_each_kind_cites_perki_2019_in_an_election_stage(kind, tmp_path):
    spec = REGISTRY[kind]
    text = rendered_text(TEMPLATES / spec.template, with_election(sample(kind)), tmp_path / "a.docx")
    assert [p for p in spec.election_phrases if p not in text] == []


# spec section 6: never UU KIP Pasal 22 or 36 for a period the Act does not give
@pytest.mark.parametrize("kind,ordinary", [
    ("receipt", "Pasal 22 ayat (7)"),
    ("extension_notice", "Pasal 22 ayat (8)"),
    ("objection_receipt", "Pasal 36 ayat (2)"),
])
def test_an_election_stage_period_is_not_cited_to_uu_kip(kind, ordinary, tmp_path):
    assert ordinary in rendered_text(TEMPLATES / f"{kind}.docx", sample(kind), tmp_path / "o.docx")
    text = rendered_text(TEMPLATES / f"{kind}.docx", with_election(sample(kind)), tmp_path / "e.docx")
    assert ordinary not in text and "Peraturan Komisi Informasi Nomor 1 Tahun 2019" in text
    assert "Permohonan ini" not in text  # an objection is not "this request"


def test_an_office_may_reword_a_letter_in_word_but_not_drop_its_law(tmp_path):
    """The shipped .docx is the office's: a reworded sentence passes, a dropped legal phrase fails."""
    src = TEMPLATES / "receipt.docx"
    doc = Document(src)
    closing = next(t for t in doc.element.body.iter(f"{W}t") if (t.text or "").startswith("Mohon nomor registrasi"))
    closing.text = "Harap nomor registrasi di atas disebutkan setiap kali Saudara menghubungi kami. "
    doc.save(tmp_path / "receipt.docx")
    text = rendered_text(tmp_path / "receipt.docx", sample("receipt"), tmp_path / "r.docx")
    assert "Harap nomor registrasi" in text
    assert [p for p in REGISTRY["receipt"].phrases if p not in text] == []
    for t in doc.element.body.iter(f"{W}t"):
        t.text = (t.text or "").replace("Pasal 22 ayat (7) ", "")
    doc.save(tmp_path / "receipt.docx")
    text = rendered_text(tmp_path / "receipt.docx", sample("receipt"), tmp_path / "r.docx")
    assert [p for p in REGISTRY["receipt"].phrases if p not in text] == [
        "Pasal 22 ayat (7) Undang-Undang Nomor 14 Tahun 2008"]


# --- consequence, never the rule's title (UU KIP Pasal 19; Perki 1/2021 Pasal 49) --------------


def test_letters_print_the_rules_consequence_not_its_title(tmp_path):
    path = tmp_path / "information.yaml"
    path.write_text(
        "- id: DIK-05\n  title: Memorandum intra badan publik\n  status: exempt\n  keywords: [memo internal]\n"
        "  ground: i\n  basis: Pasal 17 huruf i UU 14/2008\n"
        "  consequence: Membuka memo mengganggu pengambilan keputusan yang belum selesai\n"
        "  consequence_test: Keputusan PPID KPU Provinsi NTT Nomor 1 Tahun 2026 tentang Penetapan Informasi yang "
        "Dikecualikan\n", encoding="utf-8")
    [item] = rules.classify(["Memo internal rapat"], load_rules(path))
    ctx = letters.item_context([item])["refused"][0]
    assert ctx["consequence"] == "Membuka memo mengganggu pengambilan keputusan yang belum selesai"
    assert "Memorandum intra badan publik" not in json.dumps(ctx)


def test_every_closing_rule_of_the_stock_list_states_its_consequence():
    closing = [r for r in load_rules(ROOT / "config" / "information.yaml") if r.closing]
    assert closing and all(r.consequence and r.consequence != r.title for r in closing)


# --- decrees: a series of their own, their Mengingat ---------------------------------------------


def test_decrees_are_numbered_in_their_own_series(cfg, tmp_path):
    reg = Register(tmp_path / "records", numbering=cfg.numbering)
    assert reg.next_number("letter", dt.date(2026, 11, 27))[1] == 1
    assert reg.next_number("decree", dt.date(2026, 11, 27)) == ("1 Tahun 2026", 1)  # "NOMOR 1 TAHUN 2026"
    assert reg.next_number("letter", dt.date(2026, 11, 27))[1] == 2
    assert {k: v.series for k, v in REGISTRY.items() if v.form == "decree"} == {
        "refusal_decree": "decree", "revocation_decree": "decree"}


def test_a_decree_cites_the_ppid_appointment_and_the_rules_dik_decree(cfg):
    dik = "Keputusan PPID KPU Provinsi NTT Nomor 1 Tahun 2026 tentang Penetapan Informasi yang Dikecualikan"
    item = rules.ItemResult(1, "Memo", "exempt", "DIK-05", "i", "b", dik, None, "akibat")
    cited = letters.mengingat(cfg, "refusal_decree", [item], cfg.clock.regime(None))
    assert cited[0].startswith("Undang-Undang Nomor 14 Tahun 2008") and cited[-1] == dik
    assert letters.ppid_appointment(cfg) in cited and "CONTOH" in letters.ppid_appointment(cfg)
    assert "Nomor 30 Tahun 2014" in letters.mengingat(cfg, "revocation_decree")[1]
    assert letters.appointment_note(cfg)  # `ppid run` says once that it must be set


# --- a late notice says so (spec section 6; UU KIP Pasal 35 ayat 1 huruf g) ------------------------


def _request(**kw) -> Request:
    kw.setdefault("information", ["Salinan Keputusan KPU Provinsi NTT tentang penetapan calon terpilih DPRD 2024"])
    kw.setdefault("service", "information")
    kw.setdefault("received", dt.datetime(2026, 11, 20, 9, 15, tzinfo=WITA))
    return Request(file="a.yaml", path=Path("/inbox/a.yaml"), inbox=Path("/inbox"), inbox_resolved=Path("/inbox"),
                   digest="d1", channel="letter", requester=Requester(name="Maria Goreti Bria", kind="individual"),
                   **kw)


@pytest.mark.parametrize("today,late", [(dt.date(2026, 12, 4), False), (dt.date(2026, 12, 10), True)])
def test_a_notice_sent_after_its_due_date_says_so_whatever_the_outcome(cfg, today, late):
    p = planner.plan(_request(), None, [], cfg=cfg, today=today, lookup=lambda _: None, display="a.yaml")
    assert p.outcome == "granted"  # nothing refused: the right to object still stands (huruf g)
    notice = next(lp for lp in p.letters if lp.kind == "decision_notice")
    sentence = notice.data["late"]["sentence"]
    assert bool(sentence) is late
    if late:
        assert "4 Desember 2026" in sentence and "Pasal 35 ayat (1) huruf g" in sentence


def test_a_late_notice_on_an_order_counts_from_the_order_not_the_act(tmp_path):
    """Past the date the Atasan PPID's response set, the notice names that response and its
    date; UU KIP Pasal 35 ayat 1 huruf g (times "diatur dalam Undang-Undang ini") is not cited."""
    ctx = late_replacing_context()
    text = rendered_text(TEMPLATES / "decision_notice.docx", ctx, tmp_path / "l.docx")
    assert ("setelah berakhirnya jangka waktu 10 (sepuluh) hari kerja yang ditetapkan dalam tanggapan Atasan "
            "PPID Nomor 12/HM.02-SD/53/2027 tanggal 12 Januari 2027, yaitu sampai dengan tanggal 26 Januari "
            "2027") in text
    assert "huruf g" not in ctx["late"]["sentence"] and "pengaduan" in ctx["late"]["sentence"]
    # without an order (the Act's period) huruf g stays
    from pipeline.wording import late_notice_sentence
    plain = late_notice_sentence("10 (sepuluh) hari kerja", "4 Desember 2026", {"cause": "change"})
    assert "yang berakhir pada tanggal 4 Desember 2026" in plain and "Pasal 35 ayat (1) huruf g" in plain


# --- the extension range message in an election stage cites Perki 1/2019 -------------------------


def test_extension_range_in_an_election_stage_cites_perki_2019(tmp_path):
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    office = yaml.safe_load((folder / "office.yaml").read_text(encoding="utf-8"))
    office["deadlines"]["election_periods"] = [{"name": "Pemilihan uji", "from": "2026-11-01", "to": "2026-12-31"}]
    (folder / "office.yaml").write_text(yaml.safe_dump(office, allow_unicode=True), encoding="utf-8")
    inbox = tmp_path / "inbox"
    write_request(inbox, "a.yaml", base_request(decision={"extend": {"days": 3, "reason": "Arsip"}}))
    result = CliRunner().invoke(main, ["validate", str(inbox / "a.yaml"), "--json", "--config", str(folder),
                                       "--records", str(tmp_path / "records"), "--date", "2026-11-27"])
    line = json.loads(result.stdout)
    assert "an extension is 1 to 2 working days" in line["error"]
    assert "Perki 1/2019" in line["error"] and "UU KIP" not in line["error"]
    assert load_config(folder).clock.regime(dt.date(2026, 11, 20)).election


# --- wording (issue 17 item 10) ------------------------------------------------------------------


def test_the_request_format_shows_no_invented_decree_number():
    text = (ROOT / "docs" / "request-format.md").read_text(encoding="utf-8")
    assert "3/PPID/2024" not in text


def test_a_walk_in_is_received_melalui_kunjungan_langsung(tmp_path):
    ctx = sample("receipt")
    ctx["request"]["channel_label"] = letters.CHANNEL_LABELS["walk_in"]
    text = rendered_text(TEMPLATES / "receipt.docx", ctx, tmp_path / "a.docx")
    assert "melalui kunjungan langsung" in text and "melalui datang langsung" not in text


def test_item_numbers_and_pasal_35_letters_are_listed_the_eyd_way(tmp_path):
    from letter_samples import decision_context

    text = rendered_text(TEMPLATES / "decision_notice.docx", decision_context(("open", "partial")), tmp_path / "a.docx")
    assert "informasi nomor 1 dan nomor 2" in text and "nomor 1, 2" not in text
    text = rendered_text(TEMPLATES / "decision_notice.docx", decision_context(), tmp_path / "b.docx")
    assert "huruf a, huruf d, dan huruf e serta Pasal 36 ayat (1)" in text
    assert "serta huruf d dan huruf e dan Pasal 36" not in text


def test_a_ground_once_cited_stays_when_the_refusal_falls(cfg):
    from pipeline.register import Record

    rec = Record(register_no="0001/PPID/2026", key="k", year=2026,
                 row={"received_at": "2026-11-20 09:15", "service": "information", "grounds": "j"})
    rec.letters = [{"kind": "receipt", "date": "2026-11-20", "letter_no": "1"},
                   {"kind": "decision_notice", "date": "2026-11-27", "letter_no": "2"},
                   {"kind": "refusal_decree", "date": "2026-11-27", "letter_no": "1 Tahun 2026"}]
    rec.decided = {"items": [], "date": "2026-11-27"}
    p = planner.plan(_request(), rec, [], cfg=cfg, today=dt.date(2026, 12, 8), lookup=lambda _: None, display="a")
    assert p.outcome == "granted" and p.events[0].row["grounds"] == "j"
    # a decision changed after its notice went out: the corrected notice names the one it replaces,
    # and the refusal decree it reverses is revoked (spec section 3)
    assert [lp.kind for lp in p.letters] == ["decision_notice", "revocation_decree"]
    notice = p.letters[0]
    assert notice.data["replaces"]["cause"] == "change" and notice.data["replaces"]["notice_no"] == "2"
    assert "menggantikan pemberitahuan tertulis Nomor 2 tanggal 27 November 2026" in notice.data["replaces"]["sentence"]
    assert p.letters[1].data["revoked"]["number"] == "1 Tahun 2026"


def test_the_ppids_new_decision_on_a_reopened_request_may_come_in_another_inbox(tmp_path):
    """The request file with its register_no and a new decision, after an overturned objection
    (as the demo's January inbox has it): accepted for a reopened request, not for another."""
    def run(inbox, date):
        result = CliRunner().invoke(main, ["run", str(inbox), "--json", "--no-pdf", "--config", str(ROOT / "config"),
                                           "--records", str(tmp_path / "records"), "--out", str(tmp_path / "out"),
                                           "--date", date], catch_exceptions=False)
        return {Path(x["file"]).name: x for x in map(json.loads, result.stdout.splitlines())}

    refusal = {"by": "PPID", "items": [{"item": 1, "status": "exempt", "ground": "i", "reason": "Memo",
                                        "consequence": "Membuka memo mengganggu keputusan"}]}
    original = base_request(information=["Memo internal rapat pleno tertutup 2025"], decision=refusal)
    write_request(tmp_path / "a", "a.yaml", original)
    run(tmp_path / "a", "2026-11-27")
    again = dict(original, register_no="0001/PPID/2026",
                 decision={"by": "PPID", "items": [{"item": 1, "status": "open"}]})
    write_request(tmp_path / "b", "a-baru.yaml", again)
    assert run(tmp_path / "b", "2026-11-30")["a-baru.yaml"]["status"] == "rejected_file"  # not reopened
    write_request(tmp_path / "k", "k.yaml", base_request("objection", "letter", received="2026-12-01 10:00", decision={
        "by": "Atasan", "date": "2026-12-03", "result": "overturned", "reason": "Dapat diberikan"}))
    run(tmp_path / "k", "2026-12-03")
    line = run(tmp_path / "b", "2026-12-08")["a-baru.yaml"]
    assert line["status"] == "answered" and line["register_no"] == "0001/PPID/2026"
    assert [x["kind"] for x in line["letters"]] == ["decision_notice", "revocation_decree"]


def test_a_stage_request_is_late_only_against_the_stages_periods(tmp_path):
    """Spec section 6: answered on day 6, a request of an election stage is late (3 working days,
    Perki 1/2019); outside a stage the same answer is on time (10, UU KIP)."""
    import pandas as pd

    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    office = yaml.safe_load((folder / "office.yaml").read_text(encoding="utf-8"))
    office["deadlines"]["election_periods"] = [{"name": "Pemilihan uji", "from": "2026-11-20", "to": "2026-11-20"}]
    (folder / "office.yaml").write_text(yaml.safe_dump(office, allow_unicode=True), encoding="utf-8")
    inbox = tmp_path / "inbox"
    write_request(inbox, "tahapan.yaml", base_request())  # received Fri 20 Nov: inside the stage
    write_request(inbox, "biasa.yaml", another_person(base_request(received="2026-11-23 09:15"), 1))  # Mon 23 Nov: outside it
    CliRunner().invoke(main, ["run", str(inbox), "--json", "--no-pdf", "--config", str(folder), "--records",
                              str(tmp_path / "records"), "--out", str(tmp_path / "out"), "--date", "2026-11-30"],
                       catch_exceptions=False)
    book = pd.read_csv(tmp_path / "records" / "register.csv", dtype=str, keep_default_na=False)
    rows = {r["source_file"].rsplit("/", 1)[-1]: r for _, r in book.iterrows()}
    assert (rows["tahapan.yaml"]["due_date"], rows["tahapan.yaml"]["on_time"]) == ("2026-11-25", "False")
    assert rows["biasa.yaml"]["on_time"] == "True"


def test_a_delivery_record_of_the_notice_proves_the_day_of_receipt(cfg, tmp_path):
    """Spec sections 6 and 9: a `delivered` event of the written notice is the day of receipt."""
    from pipeline.assess import register_lookup

    reg = Register(tmp_path / "records", numbering=cfg.numbering)
    reg.append([
        {"type": "received", "register_no": "0001/PPID/2026", "key": "k", "digest": "d", "file": "a.yaml",
         "received_at": "2026-11-20 09:15", "register_seq": 1, "register_year": 2026,
         "row": {"received_at": "2026-11-20 09:15", "service": "information", "status": "answered"},
         "personal": {}},
        {"type": "letter", "register_no": "0001/PPID/2026", "kind": "decision_notice", "letter_no": "7/X/2026",
         "letter_seq": 7, "letter_year": 2026, "date": "2026-11-27", "docx": "n.docx"},
        {"type": "delivered", "register_no": "0001/PPID/2026", "letter_no": "7/X/2026",
         "at": "2026-12-02T10:00:00+08:00", "how": "pickup"},
    ])
    target = register_lookup(reg, cfg)("0001/PPID/2026")
    assert target.notice_date == dt.date(2026, 11, 27) and target.notice_delivered == dt.date(2026, 12, 2)
    late = planner.late_objection(_request(service="objection", information=None, objection_to="0001/PPID/2026",
                                           grounds=["a"], received=dt.datetime(2027, 1, 20, 8, 0, tzinfo=WITA)),
                                  target, cfg.clock)
    assert late["proven"] and late["counted_from"] == "delivered"


@pytest.mark.parametrize("refs,lampiran", [({}, "-"), ({"refusal_decree_no": "1 Tahun 2026"}, "1 (satu) berkas"),
                                           ({"refusal_decree_no": "2 Tahun 2027", "revocation_decree_no": "1 Tahun 2027"},
                                            "2 (dua) berkas")])
def test_the_lampiran_line_names_the_decrees_a_notice_sends_with_it(cfg, tmp_path, refs, lampiran):
    """Found by the legal read: 'Lampiran : -' on a notice that encloses its refusal decree."""
    import datetime as dt

    from helpers import base_request, write_request
    from pipeline import letters
    from pipeline.loading import load_request

    req = load_request(write_request(tmp_path, "a.yaml", base_request()), tmp_path, dt.date(2026, 11, 27))
    ctx = letters.letter_context(cfg, req, kind="decision_notice", data=dict(refs), register_no="0001/PPID/2026",
                                 letter_no="1/HM/2026", date=dt.date(2026, 11, 27), due=None)
    assert ctx["letter"]["lampiran"] == lampiran


# --- the second legal read: one revocation route, the Atasan PPID as a post, mandat, the sources -----


def _overturned_plan(cfg, grounds=("a",)):
    from pipeline.model import ObjectionDecision

    req = _request(service="objection", information=None, objection_to="0001/PPID/2026", grounds=list(grounds),
                   received=dt.datetime(2026, 12, 1, 9, 30, tzinfo=WITA),
                   objection_decision=ObjectionDecision("overturned", by="Nama Atasan PPID", date=dt.date(2026, 12, 3),
                                                        reason="Nota dinas tidak lagi memenuhi uji konsekuensi."))
    target = planner.Target("0001/PPID/2026", dt.date(2026, 11, 27), "16/HM.02-SD/53/2026",
                            received=dt.date(2026, 11, 19))
    return planner.plan(req, None, [], cfg=cfg, today=dt.date(2026, 12, 3), lookup=lambda _: target, display="k.yaml")


@pytest.mark.parametrize("grounds,revoke", [(("a",), True), (("d", "e"), False)])
def test_an_overturned_response_orders_the_ppid_to_revoke_and_sets_a_date(cfg, tmp_path, grounds, revoke):
    """The Atasan PPID orders; the PPID, who issued the refusal, revokes it (UU 30/2014 Pasal 64).
    Found by the legal read: the response 'annulled' (Pasal 66) and the PPID then revoked."""
    p = _overturned_plan(cfg, grounds)
    response = next(lp for lp in p.letters if lp.kind == "objection_response").data["objection"]
    # the office's notice period from the response, the same day the clock holds the reopened request to
    assert response["order_period"] == "10 (sepuluh) hari kerja"
    assert response["order_due"] == "17 Desember 2026" == letters.date_id(cfg.clock.notice_due(dt.date(2026, 12, 3)))
    assert response["revoke_decree"] is revoke
    assert "dibatalkan" not in response["result_label"]
    ctx = objection_response_context("overturned")
    ctx["objection"].update({k: response[k] for k in ("order_period", "order_due", "revoke_decree", "result_label")})
    text = rendered_text(TEMPLATES / "objection_response.docx", ctx, tmp_path / "r.docx")
    assert [w for w in letters.OVERTURNED_PHRASES if w not in text] == []
    assert [w for w in letters.NOT_OVERTURNED_WORDS if w in text] == []
    assert "yaitu tanggal 17 Desember 2026" in text
    assert ("Pasal 64 Undang-Undang Nomor 30 Tahun 2014" in text) is revoke


def test_no_letter_kind_annuls_a_decision(tmp_path):
    """One route: revocation by the issuer (Pasal 64), never annulment (Pasal 66), in any letter."""
    contexts = [sample(k) for k in sorted(REGISTRY)] + [objection_response_context("overturned"),
                                                        late_replacing_context()]
    for n, ctx in enumerate(contexts):
        text = rendered_text(TEMPLATES / f"{ctx['letter']['kind']}.docx", ctx, tmp_path / f"{n}.docx")
        assert [w for w in letters.NOT_OVERTURNED_WORDS if w in text] == [], ctx["letter"]["kind"]


@pytest.mark.parametrize("cause,reason", [
    ("objection", "berdasarkan pertimbangan dalam tanggapan Atasan PPID tersebut"),
    ("dispute", "berdasarkan pertimbangan dalam putusan Komisi Informasi tersebut"),
    ("change", "berdasarkan pertimbangan dalam pemberitahuan tertulis Nomor 21/HM.02-SD/53/2027 yang disampaikan "
               "bersama Keputusan ini"),
])
def test_the_revocation_decree_names_its_defect_and_the_reason(tmp_path, cause, reason):
    ctx = sample("revocation_decree")
    ctx["replaces"].update(cause=cause, case_no="012/XII/KI-NTT-PS/2026", ruling_date="10 Januari 2027")
    text = rendered_text(TEMPLATES / "revocation_decree.docx", ctx, tmp_path / "d.docx")
    assert reason in text
    assert "mengandung cacat substansi sebagaimana dimaksud dalam Pasal 64 ayat (1)" in text
    assert "karena cacat substansi sebagaimana diuraikan dalam konsiderans Menimbang huruf c" in text
    if cause == "objection":  # the order it carries out, by the post that gave it
        assert ("Sekretaris KPU Provinsi Nusa Tenggara Timur selaku Atasan PPID melalui tanggapan atas keberatan "
                "Nomor 12/HM.02-SD/53/2027") in text and "memerintahkan PPID" in text


def test_the_atasan_ppid_is_named_as_a_post(cfg, tmp_path):
    """'Sekretaris … selaku Atasan PPID' from `staff:`, in the signature and the running text."""
    req = _request(service="objection", information=None, objection_to="0001/PPID/2026", grounds=["a"])
    sig = letters.signatory(cfg, "objection_response", req)
    assert sig["title"] == "Sekretaris"  # the lines under it: the office, then the post
    assert sig["office"] == "Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur\nselaku Atasan PPID"
    assert letters.posts(cfg) == {"atasan_ppid": "Sekretaris KPU Provinsi Nusa Tenggara Timur selaku Atasan PPID"}
    assert letters.signatory(cfg, "objection_receipt", req)["title"] == "Pejabat Pengelola Informasi dan Dokumentasi"
    for kind in ("objection_response", "objection_receipt", "decision_notice"):
        text = rendered_text(TEMPLATES / f"{kind}.docx", sample(kind), tmp_path / f"{kind}.docx")
        assert "Sekretaris KPU Provinsi Nusa Tenggara Timur selaku Atasan PPID" in text, kind
        assert "Atasan PPID KPU Provinsi" not in text, kind


def test_an_older_config_whose_position_says_atasan_ppid_is_not_doubled(tmp_path):
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    data = yaml.safe_load((folder / "office.yaml").read_text(encoding="utf-8"))
    next(p for p in data["staff"] if p["role"] == "atasan_ppid")["position"] = "Atasan PPID"
    (folder / "office.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    cfg = load_config(folder)
    assert letters.posts(cfg) == {"atasan_ppid": "Atasan PPID KPU Provinsi Nusa Tenggara Timur"}
    req = _request(service="objection", information=None)
    assert letters.signatory(cfg, "objection_response", req)["title"] == "Atasan PPID"


def test_the_starter_marks_its_placeholders_as_examples():
    text = (ROOT / "config" / "office.yaml").read_text(encoding="utf-8")
    for line in ("- name: Nama Pejabat PPID", "- name: Nama Atasan PPID", "position: Sekretaris "):
        at = next(x for x in text.splitlines() if line in x)
        assert "CONTOH" in at, line
    assert "CONTOH" in letters.ppid_appointment(load_config(ROOT / "config"))


def test_an_on_behalf_answer_is_a_mandate_not_a_delegation(tmp_path):
    """'a.n.' (atas nama) is mandat, UU 30/2014 Pasal 14: the approver keeps the authority."""
    from pipeline.wording import ROLE_LABELS

    assert "mandat" in ROLE_LABELS["delegated"] and "delegasi" not in ROLE_LABELS["delegated"]
    text = rendered_text(TEMPLATES / "consultation_answer.docx", sample("consultation_answer"), tmp_path / "a.docx")
    # the official's own position, then the approver by position, office and name; the mandate
    # ("a.n.") is the signature block's, not the sentence's (third legal read)
    assert ("selaku Kepala Subbagian Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat, dengan "
            "persetujuan Sekretaris Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur, Wilhelmus") in " ".join(text.split())
    assert "pendelegasian" not in text and "(Sekretaris" not in text and "atas nama" not in text


@pytest.mark.parametrize("ground,basis,cited", [
    ("h", "Pasal 17 huruf h angka 4 UU 14/2008", "Pasal 17 huruf h angka 4 UU 14/2008"),
    ("h", "Pasal 17 huruf h angka 2 UU 14/2008; Pasal 4 ayat (2) huruf a UU 27/2022",
     "Pasal 17 huruf h angka 2 UU 14/2008"),
    ("a", "Pasal 17 huruf a angka 2 UU 14/2008", "Pasal 17 huruf a angka 2 UU 14/2008"),
    ("j", "Pasal 58 ayat (2) UU 23/2006", "Pasal 17 huruf j UU 14/2008"),
    ("h", "", "Pasal 17 huruf h UU 14/2008"),
])
def test_a_ground_is_cited_one_way_with_its_angka_when_known(ground, basis, cited):
    from pipeline.wording import pasal17

    item = rules.ItemResult(1, "x", "partial", None, ground, basis, None, None, "akibat")
    row = letters.item_context([item])["partial"][0]
    assert pasal17(ground, basis) == row["ground_text"] == cited


def test_the_referral_list_names_each_holder_once_with_its_items(tmp_path):
    """Found on demo request 0013: two items of one holder listed the holder twice, and no item."""
    bawaslu = "Bawaslu Provinsi Nusa Tenggara Timur"
    items = [rules.ItemResult(1, "Temuan", "not_held", holder=bawaslu),
             rules.ItemResult(2, "Putusan", "not_held", holder=bawaslu),
             rules.ItemResult(3, "Data BPS", "not_held", holder="BPS Provinsi Nusa Tenggara Timur")]
    ctx = letters.item_context(items)
    assert ctx["referrals"] == [{"holder": bawaslu, "numbers": [{"no": 1}, {"no": 2}]},
                                {"holder": "BPS Provinsi Nusa Tenggara Timur", "numbers": [{"no": 3}]}]
    full = decision_context(("not_held",))
    full.update(ctx)
    text = rendered_text(TEMPLATES / "decision_notice.docx", full, tmp_path / "n.docx")
    assert f"a.{bawaslu}, untuk informasi nomor 1 dan nomor 2;" in text  # a tab after the marker
    assert "b.BPS Provinsi Nusa Tenggara Timur, untuk informasi nomor 3." in text
    assert text.count(f"{bawaslu}, untuk") == 1


def test_letters_write_jl_and_pos_el_one_way(tmp_path):
    cfg = load_config(ROOT / "config")
    assert cfg.office["address"].startswith("Jl. ") and "Jln." not in cfg.office["address"]
    from pipeline.wording import CHANNEL_LABELS, DELIVERY_LABELS

    assert CHANNEL_LABELS["email"] == DELIVERY_LABELS["email"] == "pos-el"
    for kind in sorted(REGISTRY):
        text = rendered_text(TEMPLATES / f"{kind}.docx", sample(kind), tmp_path / f"{kind}.docx")
        assert "e-mail" not in text.lower() and "Jln." not in text, kind


def test_a_replacing_notices_item_reason_is_not_the_response_itself():
    """Found by the legal read: the demo's new notice gave 'Tanggapan Atasan PPID …' as the reason."""
    data = yaml.safe_load((ROOT / "examples" / "inbox-2027-01-20" / "2027-01-15-gabriel-da-costa-keputusan-baru.yaml")
                          .read_text(encoding="utf-8"))
    for item in data["decision"]["items"]:
        assert not item["reason"].lower().startswith("tanggapan"), item["reason"]


# --- the second legal read (issue 17): what an incomplete notice names ---------------------------


def _failures(tmp_path, service, channel, mutate):
    from pipeline import requirements
    from pipeline.loading import load_request
    from helpers import TODAY
    data = base_request(service, channel)
    mutate(data)
    req = load_request(write_request(tmp_path, "r.yaml", data), tmp_path, TODAY)
    return {f.code: f for f in requirements.check(req, load_config(ROOT / "config"),
                                                  lookup=lambda no: planner.Target(no, dt.date(2026, 11, 10)))}


def _drop(*path):
    def mutate(d):
        for key in path[:-1]:
            d = d[key]
        d.pop(path[-1], None)
    return mutate


@pytest.mark.parametrize("channel, asked, title", [
    # UU KIP Pasal 35 ayat 1: an objection is written; one sent as a pos-el or through e-PPID is
    ("email", False, None),
    ("eppid", False, None),
    # WhatsApp keeps the decree's form of a written request (a letter as PDF or image)
    ("whatsapp", True, "Surat keberatan tertulis"),
    ("letter", True, "Surat keberatan tertulis"),
])
def test_an_objection_is_asked_for_a_letter_only_where_it_is_not_written_already(tmp_path, channel, asked, title):
    found = _failures(tmp_path, "objection", channel, _drop("letter"))
    assert ("letter" in found) == asked
    if asked:
        assert found["letter"].title.startswith(title) and "permohonan" not in found["letter"].title.lower()


@pytest.mark.parametrize("drop, title", [
    (("requester", "phone"), "Nomor kontak pemohon yang dapat dihubungi"),
    (("requester", "email"), "Alamat pos-el pemohon"),
])
def test_the_incomplete_notice_names_exactly_the_contact_that_is_missing(tmp_path, drop, title):
    found = _failures(tmp_path, "information", "email", _drop(*drop))
    assert found["contact"].title == title


def test_both_contacts_missing_are_named_together(tmp_path):
    def both(d):
        d["requester"].pop("phone", None)
        d["requester"].pop("email", None)
    found = _failures(tmp_path, "information", "letter", both)
    assert found["contact"].title == "Nomor kontak dan alamat pos-el pemohon"


@pytest.mark.parametrize("kind", ["receipt", "extension_notice", "objection_receipt"])
def test_an_election_stage_letter_names_perki_2019_once(kind, tmp_path):
    text = rendered_text(TEMPLATES / f"{kind}.docx", with_election(sample(kind)), tmp_path / "e.docx")
    assert text.count("Peraturan Komisi Informasi Nomor 1 Tahun 2019") == 1
    assert "mulai dihitung pada masa tahapan Pemilihan Gubernur" in text


@pytest.mark.parametrize("kind", ["refusal_decree", "revocation_decree"])
def test_a_decree_in_an_election_stage_speaks_of_keputusan_ini(kind, tmp_path):
    text = rendered_text(TEMPLATES / f"{kind}.docx", with_election(sample(kind)), tmp_path / "e.docx")
    assert "disebut dalam Keputusan ini" in text and "dalam surat ini" not in text


@pytest.mark.parametrize("topic, printed", [
    ("Tata cara pendaftaran pemantau", "perihal tata cara pendaftaran pemantau"),
    ("KPU dan pemantau pemilihan", "perihal KPU dan pemantau pemilihan"),  # an acronym keeps its capitals
])
def test_a_consultation_topic_runs_on_in_lower_case(topic, printed, tmp_path):
    ctx = sample("consultation_answer")
    ctx["request"] = {**ctx["request"], "topic": topic}
    assert printed in rendered_text(TEMPLATES / "consultation_answer.docx", ctx, tmp_path / "c.docx")


def test_small_wording_of_the_second_legal_read(tmp_path):
    text = rendered_text(TEMPLATES / "objection_response.docx", sample("objection_response"), tmp_path / "o.docx")
    assert "Menindaklanjuti keberatan Saudara dengan nomor registrasi" in text
    # EYD: each ayat named with its word
    assert "ayat (1) dan (3)" not in (ROOT / "config" / "information.yaml").read_text(encoding="utf-8")


def test_an_overturned_response_names_the_decree_it_orders_revoked(tmp_path):
    ctx = objection_response_context("overturned")
    text = rendered_text(TEMPLATES / "objection_response.docx", ctx, tmp_path / "o.docx")
    assert "mencabut Keputusan PPID Nomor 3 Tahun 2026 tanggal 27 November 2026 tentang Penolakan" in text


def test_the_decree_in_force_is_read_from_the_register():
    class Rec:
        letters = [{"kind": "refusal_decree", "letter_no": "1 Tahun 2026", "date": "2026-11-27"}]
    assert planner.refusal_in_force(Rec()) == {"revoke_decree_no": "1 Tahun 2026",
                                               "revoke_decree_date": "27 November 2026"}
    Rec.letters = Rec.letters + [{"kind": "revocation_decree", "letter_no": "1 Tahun 2027", "date": "2027-01-15"}]
    assert planner.refusal_in_force(Rec()) == {"revoke_decree_no": "", "revoke_decree_date": ""}
    assert planner.refusal_in_force(None) == {"revoke_decree_no": "", "revoke_decree_date": ""}


@pytest.mark.parametrize("cause, executes", [
    ("objection", "untuk melaksanakan tanggapan Atasan PPID Nomor 12/HM.02-SD/53/2027 tanggal"),
    ("dispute", "untuk melaksanakan putusan Komisi Informasi Nomor 012/XII/KI-NTT-PS/2026 tanggal 10 Januari 2027"),
    ("change", "setelah PPID KPU Provinsi Nusa Tenggara Timur menilai kembali keputusannya"),
])
def test_a_replacing_refusal_decree_names_the_revoked_one_and_its_revocation(tmp_path, cause, executes):
    """Third legal read: the new decree says which decree it replaces, the decree revoking it and
    the order carried out; what the Atasan PPID already answered goes to the Komisi Informasi."""
    ctx = sample("refusal_decree")
    ctx["replaces"] = {**sample("revocation_decree")["replaces"], "cause": cause,
                       "case_no": "012/XII/KI-NTT-PS/2026", "ruling_date": "10 Januari 2027"}
    ctx["revoked"] = {"number": "1 Tahun 2026", "date": "27 November 2026", "register_no": "0005/PPID/2026"}
    ctx["revocation_decree_no"] = "1 Tahun 2027"
    text = " ".join(rendered_text(TEMPLATES / "refusal_decree.docx", ctx, tmp_path / "r.docx").split())
    assert ("Nomor 1 Tahun 2026 tanggal 27 November 2026 tentang Penolakan Permohonan Informasi Publik atas "
            "permohonan tersebut telah dicabut dengan Keputusan") in text
    assert "Nomor 1 Tahun 2027 tanggal " + ctx["letter"]["date"] + " " + executes in text
    assert "sebagaimana dimaksud dalam huruf a, huruf b, dan huruf c, perlu menetapkan" in text
    assert "Keputusan ini menggantikan Keputusan" in text
    ruled = "dapat mengajukan permohonan penyelesaian sengketa informasi publik kepada Komisi Informasi"
    assert (ruled in text) == (cause == "objection")
    assert "Pasal 35 ayat (1) huruf a" in text  # what was not objected to keeps its objection


def test_a_first_refusal_decree_replaces_nothing(tmp_path):
    text = " ".join(rendered_text(TEMPLATES / "refusal_decree.docx", sample("refusal_decree"),
                                  tmp_path / "r.docx").split())
    assert "dicabut" not in text and "menggantikan" not in text and "Komisi Informasi Provinsi" not in text
    assert "sebagaimana dimaksud dalam huruf a dan huruf b, perlu menetapkan" in text


def test_an_overturned_response_orders_the_revocation_within_its_own_period(cfg, tmp_path):
    """Third legal read: the revocation within deadlines.REVOCATION_DAYS of the response, before the
    new notice's period; one home for the number."""
    from pipeline.deadlines import REVOCATION_DAYS

    day = dt.date(2026, 12, 3)
    order = planner._order(day, _request(service="objection", information=None, objection_to="0001/PPID/2026",
                                         grounds=["a"]), cfg.clock)
    assert order["revoke_period"] == "5 (lima) hari kerja" and REVOCATION_DAYS == 5
    assert order["revoke_due"] == "10 Desember 2026" and order["order_due"] == "17 Desember 2026"
    text = " ".join(rendered_text(TEMPLATES / "objection_response.docx", objection_response_context("overturned"),
                                  tmp_path / "o.docx").split())
    assert ("Administrasi Pemerintahan paling lambat 5 (lima) hari kerja sejak tanggal tanggapan ini, yaitu "
            "tanggal 19 Januari 2027, serta untuk menyampaikan") in text
    assert "Pasal 64 ayat (4)" not in text  # not confirmed (README "Before real use")


def test_the_revocation_decree_cites_uu_30_2014_as_amended(cfg, tmp_path):
    """UU Cipta Kerja Pasal 175 amended UU 30/2014: cited with UU 6/2023 and its LN/TLN."""
    cited = letters.mengingat(cfg, "revocation_decree")[1]
    assert cited.startswith("Undang-Undang Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan (Lembaran Negara")
    assert ("sebagaimana telah diubah dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah "
            "Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang (Lembaran Negara "
            "Republik Indonesia Tahun 2023 Nomor 41, Tambahan Lembaran Negara Republik Indonesia Nomor 6856)") in cited
    text = " ".join(rendered_text(TEMPLATES / "revocation_decree.docx", sample("revocation_decree"),
                                  tmp_path / "r.docx").split())
    assert all(p in text for p in REGISTRY["revocation_decree"].phrases)


@pytest.mark.parametrize("holder, stored", [
    ("Bawaslu Provinsi Nusa Tenggara Timur", "Bawaslu Provinsi Nusa Tenggara Timur"),  # the old single text loads
    (["Bawaslu Provinsi Nusa Tenggara Timur", "KPU Kabupaten Malaka"],
     "Bawaslu Provinsi Nusa Tenggara Timur; KPU Kabupaten Malaka"),
])
def test_a_decided_item_may_name_several_holders(tmp_path, holder, stored):
    from pipeline.loading import load_request

    data = base_request(information=["Putusan Bawaslu", "Berkas perkara"],
                        decision={"by": "PPID", "items": [{"item": 2, "status": "not_held", "holder": holder}]})
    req = load_request(write_request(tmp_path / "inbox", "a.yaml", data), tmp_path / "inbox", dt.date(2026, 11, 27))
    assert req.decision.items[0].holder == stored


def test_each_holder_is_referred_to_once_with_all_its_items():
    """Third legal read (demo 0013): a body holding several items appears once, with each item."""
    from pipeline.rules import ItemResult

    def item(no, holder):
        return ItemResult(no=no, text=f"informasi {no}", rule=None, status="not_held", holder=holder)
    ctx = letters.item_context([item(1, "Bawaslu Provinsi Nusa Tenggara Timur"),
                                item(2, "Bawaslu Provinsi Nusa Tenggara Timur; KPU Kabupaten Malaka")])
    assert ctx["referrals"] == [
        {"holder": "Bawaslu Provinsi Nusa Tenggara Timur", "numbers": [{"no": 1}, {"no": 2}]},
        {"holder": "KPU Kabupaten Malaka", "numbers": [{"no": 2}]}]
    assert ctx["items"][1]["holder"] == "Bawaslu Provinsi Nusa Tenggara Timur atau KPU Kabupaten Malaka"


def test_an_incomplete_objection_cites_pasal_35_ayat_1_only(tmp_path):
    from letter_samples import incomplete_context

    text = " ".join(rendered_text(TEMPLATES / "incomplete_notice.docx", incomplete_context("objection"),
                                  tmp_path / "i.docx").split())
    assert "pengajuan keberatan sebagaimana dimaksud dalam Pasal 35 ayat (1) Undang-Undang Nomor 14 Tahun 2008" in text
    assert "Pasal 35 dan Pasal 36" not in text
    assert REGISTRY["incomplete_notice"].signer("objection") == "ppid"


@pytest.mark.parametrize("decree_no, stands", [
    ("3 Tahun 2026", "Keputusan PPID KPU Provinsi Nusa Tenggara Timur Nomor 3 Tahun 2026 tanggal 27 November 2026 "
                     "tentang Penolakan Permohonan Informasi Publik atas permohonan tersebut tetap berlaku"),
    ("", "atas permohonan tersebut sebagaimana dimuat dalam pemberitahuan tertulis Nomor"),
])
def test_an_upheld_response_names_the_decision_that_stands(tmp_path, decree_no, stands):
    ctx = sample("objection_response")
    ctx["objection"]["decree_no"] = decree_no
    text = " ".join(rendered_text(TEMPLATES / "objection_response.docx", ctx, tmp_path / "o.docx").split())
    assert stands in text


def test_a_late_order_notice_says_when_the_period_ended():
    from pipeline.wording import late_notice_sentence

    said = late_notice_sentence("10 (sepuluh) hari kerja", "17 Desember 2026",
                                {"cause": "objection", "response_no": "35/HM.02-SD/53/2026",
                                 "response_date": "3 Desember 2026"})
    # fourth legal read: the period is the one the order set, "sampai dengan" its last day
    assert ("jangka waktu 10 (sepuluh) hari kerja yang ditetapkan dalam tanggapan Atasan PPID Nomor "
            "35/HM.02-SD/53/2026 tanggal 3 Desember 2026, yaitu sampai dengan tanggal 17 Desember 2026.") in said


def test_a_notice_replacing_one_on_the_atasans_order_sends_what_was_answered_to_the_commission(tmp_path):
    """Fourth legal read: items the Atasan PPID already answered go to the Komisi Informasi within
    its period (UU KIP Pasal 37 ayat (1) and (2)); only other information to a new objection."""
    ctx = sample("decision_notice")
    ctx["outcome"] = "rejected"
    ctx["replaces"] = {**sample("revocation_decree")["replaces"], "cause": "objection"}
    text = " ".join(rendered_text(TEMPLATES / "decision_notice.docx", ctx, tmp_path / "d.docx").split())
    commission = ctx["deadlines"]["commission"]
    assert ("Saudara dapat mengajukan permohonan penyelesaian sengketa informasi publik kepada Komisi Informasi "
            f"Provinsi Nusa Tenggara Timur paling lambat {commission} setelah diterimanya tanggapan Atasan PPID "
            "tersebut") in text
    assert "Apabila Saudara tidak puas atas keputusan ini sepanjang mengenai informasi lain, Saudara berhak" in text
    ctx["replaces"] = {**ctx["replaces"], "cause": "change"}
    text = " ".join(rendered_text(TEMPLATES / "decision_notice.docx", ctx, tmp_path / "d2.docx").split())
    assert "Komisi Informasi Provinsi" not in text and "mengenai informasi lain" not in text
    assert "Apabila Saudara tidak puas atas keputusan ini, Saudara berhak" in text


def test_the_replacing_decree_gives_the_commissions_period(tmp_path):
    ctx = sample("refusal_decree")
    ctx["replaces"] = {**sample("revocation_decree")["replaces"], "cause": "objection"}
    ctx["revoked"] = {"number": "1 Tahun 2026", "date": "27 November 2026", "register_no": "0005/PPID/2026"}
    ctx["revocation_decree_no"] = "1 Tahun 2027"
    text = " ".join(rendered_text(TEMPLATES / "refusal_decree.docx", ctx, tmp_path / "r.docx").split())
    assert (f"paling lambat {ctx['deadlines']['commission']} setelah diterimanya tanggapan Atasan PPID tersebut, "
            "yaitu sampai dengan tanggal 2 Februari 2027, sebagaimana dimaksud dalam Pasal 37 ayat (1) dan ayat (2) "
            "Undang-Undang Nomor 14 Tahun 2008") in text
    # fifth legal read: once that day has passed the route is not offered; the objection covers all
    ctx["replaces"] = {**ctx["replaces"], "commission_open": False, "commission_end": ""}
    text = " ".join(rendered_text(TEMPLATES / "refusal_decree.docx", ctx, tmp_path / "r2.docx").split())
    assert "Komisi Informasi Provinsi" not in text and "informasi lain" not in text
    assert "Pemohon yang tidak puas atas Keputusan ini dapat mengajukan keberatan" in text


def test_the_commission_route_is_dated_only_from_a_proven_receipt_and_closes_after_it(cfg):
    """UU KIP Pasal 37 ayat (2): 14 working days after the response is received."""
    target = planner.Target("0001/KEB/PPID/2026", response_letter_no="30/HM.02-SD/53/2026",
                            response_date=dt.date(2026, 12, 3))
    # receipt unproven: the Act's count, no day; once even the earliest end (from the response's
    # own date) has passed, the objection is opened to every item too (sixth legal read)
    earliest = cfg.clock.dispute_window_end(dt.date(2026, 12, 3))
    assert planner.commission_window(target, earliest, cfg.clock) == {
        "commission_open": True, "commission_end": "", "commission_unsure": False}
    assert planner.commission_window(target, dt.date(2027, 1, 20), cfg.clock) == {
        "commission_open": True, "commission_end": "", "commission_unsure": True}
    got = dataclasses.replace(target, response_delivered=dt.date(2026, 12, 4))
    end = cfg.clock.dispute_window_end(dt.date(2026, 12, 4))
    assert planner.commission_window(got, end, cfg.clock)["commission_open"] is True
    assert planner.commission_window(got, end, cfg.clock)["commission_end"]
    assert planner.commission_window(got, end + dt.timedelta(days=1), cfg.clock) == {
        "commission_open": False, "commission_end": "", "commission_unsure": False}


@pytest.mark.parametrize("kind", ["decision_notice", "refusal_decree"])
def test_a_route_that_may_have_closed_also_opens_the_objection_to_every_item(tmp_path, kind):
    ctx = sample(kind)
    if kind == "decision_notice":
        ctx["outcome"] = "rejected"
    else:
        ctx["revoked"] = {"number": "1 Tahun 2026", "date": "27 November 2026", "register_no": "0005/PPID/2026"}
        ctx["revocation_decree_no"] = "1 Tahun 2027"
    ctx["replaces"] = {**sample("revocation_decree")["replaces"], "commission_end": "", "commission_unsure": True}
    text = " ".join(rendered_text(TEMPLATES / f"{kind}.docx", ctx, tmp_path / "u.docx").split())
    who = "Saudara" if kind == "decision_notice" else "Pemohon"
    assert (f"Apabila jangka waktu tersebut telah berakhir, atau apabila {who} tidak puas atas "
            f"{'keputusan' if kind == 'decision_notice' else 'Keputusan'} ini sepanjang mengenai informasi lain, "
            f"{who}") in text


def test_the_revocation_decree_cites_pasal_64_as_a_power(tmp_path):
    text = " ".join(rendered_text(TEMPLATES / "revocation_decree.docx", sample("revocation_decree"),
                                  tmp_path / "v.docx").split())
    assert ("pencabutan Keputusan dapat dilakukan oleh Pejabat Pemerintahan yang menetapkan Keputusan tersebut"
            in text)


@pytest.mark.parametrize("kind, data, copied", [
    ("revocation_decree", {}, True),
    ("decision_notice", {"replaces": {"cause": "objection"}}, True),
    ("decision_notice", {"late": {"sentence": "Pemberitahuan tertulis ini disampaikan setelah ..."}}, True),
    ("decision_notice", {"replaces": {"cause": ""}, "late": {"sentence": ""}}, False),
    ("refusal_decree", {"replaces": {"cause": "dispute"}}, True),
    ("receipt", {}, False),
])
def test_what_revokes_replaces_or_is_late_is_copied_to_the_atasan_ppid(cfg, kind, data, copied):
    from pipeline import letters

    assert letters.copies_atasan(kind, data) is copied
    who = letters.posts(cfg)["atasan_ppid"]
    once = letters._with_copy(["Ketua KPU Provinsi Nusa Tenggara Timur (sebagai laporan)", "Arsip"], who)
    assert once == ["Ketua KPU Provinsi Nusa Tenggara Timur (sebagai laporan)", who, "Arsip"]  # the archive last
    assert letters._with_copy(once, who) == once  # never twice
    assert letters._with_copy(["Ketua KPU"], who) == ["Ketua KPU", who]
