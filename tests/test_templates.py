"""The stock letter templates: contract, rendering, escaping, and real PDFs.

Every letter is filled with docxtpl under StrictUndefined and autoescape, as the batch
does, and all rendered letters are converted to PDF by LibreOffice in one call; pypdf
reads the PDFs back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import jinja2
import pytest
from docx import Document
from docx.shared import Cm, Mm
from docxtpl import DocxTemplate, InlineImage
from PIL import Image, ImageDraw
from pypdf import PdfReader

try:
    from letter_samples import (KINDS, decision_context, incomplete_context, late_replacing_context,
                                objection_response_context, sample, with_election)
except ImportError:  # tests/ collected as a package
    from tests.letter_samples import (KINDS, decision_context, incomplete_context, late_replacing_context,
                                      objection_response_context, sample, with_election)

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

# templates/README.md, "Variables every letter gets" and "Per letter".
CONTRACT = {
    "office": {"name", "short", "address", "phone", "whatsapp", "email", "website", "eppid",
               "city", "ppid_name", "logo"},
    "letter": {"kind", "number", "date", "place", "sifat", "lampiran", "hal"},
    "recipient": {"name", "organization", "address", "salutation"},
    "signatory": {"title", "office", "name", "nip", "on_behalf"},
    "posts": {"atasan_ppid"},
    "request": {"register_no", "service", "service_label", "channel_label", "received",
                "received_date", "completed", "items", "topic", "purpose", "source",
                "form_label", "delivery_label", "due", "period", "cost", "status_code", "status_url"},
    "requester": {"name", "kind_label", "organization", "address"},
    "regime": {"election", "name", "basis"},
    "deadlines": {"notice", "extension", "objection_window", "objection_answer", "commission"},
}
COMMON = set(CONTRACT) | {"tembusan"}
from pipeline import letters  # noqa: E402
from pipeline.errors import TemplateError  # noqa: E402
from pipeline.letters import NO_REPLACES, REGISTRY  # noqa: E402

# Each kind's own variables: its entry in the letter-kind registry (the one contract).
PER_LETTER = {name: set(kind.context) for name, kind in REGISTRY.items()}
DECREES = {name for name, kind in REGISTRY.items() if kind.form == "decree"}
NESTED = {
    "missing": {"code", "title", "how"},
    "items": {"no", "text", "status", "status_label", "rule", "ground", "ground_text",
              "basis", "consequence_test", "reason", "consequence", "holder", "redact"},
    "extension": {"days", "days_words", "reason", "date", "old_due", "new_due"},
    "answer": {"text", "by", "role", "role_label", "approved_by", "date"},
    "objection": {"objection_no", "original_register_no", "original_letter_no", "grounds",
                  "due"},
    "objection_response": {"result", "result_label", "reason", "decided_by",
                           "commission_period", "order_period", "order_due", "revoke_decree",
                           "revoke_decree_no", "revoke_decree_date", "revoke_period", "revoke_due",
                           "decree_no", "decree_date"},
    "referrals": {"holder", "numbers"},
    "late": {"window_start", "window_end", "filed", "counted_from"},
    "notice_late": {"due", "period", "sentence"},
    "replaces": set(NO_REPLACES),
    "revoked": {"number", "date", "register_no"},
}
ITEM_LISTS = ("items", "given", "refused", "partial", "not_held", "not_documented")

TAG = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}")
NASTY = "PT A & B <C> {{ x }}"


def render(kind: str, ctx: dict, out: Path, logo: Path | None = None) -> Path:
    """Fill one template the way the batch does: StrictUndefined and autoescape (a logo through
    docxtpl's own InlineImage)."""
    if logo is None:
        return letters.Renderer(TEMPLATES).render(kind, ctx, out)
    tpl = DocxTemplate(TEMPLATES / f"{kind}.docx")
    ctx["office"]["logo"] = InlineImage(tpl, str(logo), height=Mm(20))
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    tpl.render(ctx, env, autoescape=True)
    tpl.save(out)
    return out


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path) -> str:
    """All text of a docx body, tables included, in document order; one line a paragraph."""
    def para(p) -> str:
        out = []
        for el in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
            out.append(el.text or "" if el.tag == f"{W}t" else
                       "\t" if el.tag == f"{W}tab" else "\n")
        return "".join(out)
    return "\n".join(para(p) for p in Document(path).element.body.iter(f"{W}p"))


def flat(text: str) -> str:
    return " ".join(text.split())


def expected_texts(kind: str, ctx: dict) -> list[str]:
    """What a reader must find in the letter, taken from its context."""
    req = ctx["request"]
    dl = ctx["deadlines"]
    number = ctx["letter"]["number"]
    texts = ["KOMISI PEMILIHAN UMUM", "PROVINSI NUSA TENGGARA TIMUR",
             f"NOMOR {number.upper()}" if kind in DECREES else number,
             ctx["signatory"]["name"], ctx["signatory"]["title"], "Tembusan", *ctx["tembusan"]]
    if ctx["signatory"]["on_behalf"]:
        texts.append(ctx["signatory"]["on_behalf"])
    if kind not in DECREES:
        texts += ["Nomor", ctx["letter"]["hal"], "Yth.", ctx["recipient"]["name"],
                  f"{ctx['letter']['place']}, {ctx['letter']['date']}"]
    if kind not in ("objection_receipt", "objection_response", "revocation_decree"):
        texts.append(req["register_no"])
    if kind == "receipt":
        texts += [req["received"], *req["items"], req["purpose"], req["source"],
                  f"paling lambat tanggal {req['due']}",
                  f"{req['period']} sejak permohonan diterima secara lengkap", req["cost"],
                  req["form_label"], "Pasal 22 ayat (7)"]
    elif kind == "incomplete_notice":
        texts += ["belum memenuhi persyaratan", "Pasal 22",
                  *[m["title"] for m in ctx["missing"]], *[m["how"] for m in ctx["missing"]],
                  f"Jangka waktu {req['period']} untuk menyampaikan pemberitahuan tertulis",
                  "baru mulai dihitung setelah permohonan Saudara diterima secara lengkap",
                  ctx["office"]["whatsapp"], ctx["office"]["email"], ctx["office"]["eppid"],
                  ctx["office"]["address"]]
    elif kind == "decision_notice":
        texts += ["Pasal 22 ayat (7)", ctx["outcome_label"], "Pasal 17 huruf j",
                  "Pasal 17 huruf i", "pengujian konsekuensi", "Uji konsekuensi:", "keberatan",
                  "Atasan PPID", dl["objection_window"], "NIK, NKK", "dihitamkan",
                  "Bawaslu Provinsi Nusa Tenggara Timur", "belum didokumentasikan",
                  req["form_label"], req["cost"], ctx["refusal_decree_no"],
                  f"mulai tanggal {ctx['letter']['date']}",
                  *[it["text"] for it in ctx["items"]],
                  *[it["status_label"] for it in ctx["items"]],
                  *[it["consequence"] for it in ctx["items"] if it["consequence"]]]
    elif kind == "extension_notice":
        ext = ctx["extension"]
        texts += ["Pasal 22 ayat (8)", ext["days_words"], ext["old_due"], ext["new_due"],
                  ext["reason"], *req["items"]]
    elif kind == "consultation_answer":
        ans = ctx["answer"]
        texts += [req["topic"][:1].lower() + req["topic"][1:], ans["by"], ans["role_label"],
                  f"dengan persetujuan {ans['approved_by']}",
                  *[line for line in ans["text"].splitlines() if line]]
    elif kind == "objection_receipt":
        obj = ctx["objection"]
        texts += [obj["objection_no"], obj["original_register_no"], obj["original_letter_no"],
                  obj["due"], "Pasal 35 ayat (1)", "Pasal 36 ayat (2)", "register keberatan",
                  dl["objection_answer"], *[g["text"] for g in obj["grounds"]]]
    elif kind == "objection_response":
        obj = ctx["objection"]
        texts += [obj["objection_no"], obj["original_register_no"], obj["result_label"],
                  obj["reason"], "Komisi Informasi Provinsi Nusa Tenggara Timur",
                  dl["commission"], "Pasal 37", "Pasal 38 ayat (1)", "Pasal 36 ayat (3)",
                  *[g["text"] for g in obj["grounds"]]]
    elif kind == "refusal_decree":
        texts += ["KEPUTUSAN PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI",
                  "TENTANG", ctx["decree_title"].upper(), "Menimbang", "Mengingat",
                  "MEMUTUSKAN", "Menetapkan", "KESATU", "KEDUA", "KETIGA",
                  "Ditetapkan di", ctx["notice_no"], dl["objection_window"], "Atasan PPID",
                  "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
                  "Peraturan Pemerintah Nomor 61 Tahun 2010",
                  "Peraturan Komisi Informasi Nomor 1 Tahun 2021",
                  "Peraturan Komisi Pemilihan Umum Nomor 22 Tahun 2023",
                  "Pasal 2 ayat (4) dan Pasal 19", requester_name(ctx),
                  *[it["text"] for it in ctx["refused"] + ctx["partial"]],
                  *[it["consequence"] for it in ctx["refused"] + ctx["partial"]],
                  *[it["redact"] for it in ctx["partial"]]]
    return texts


def requester_name(ctx: dict) -> str:
    return ctx["requester"]["name"]


# --------------------------------------------------------------------------- the files


@pytest.mark.parametrize("kind", KINDS)
def test_template_page_is_a4_with_margins_and_no_footer(kind):
    doc = Document(TEMPLATES / f"{kind}.docx")
    assert len(doc.sections) == 1
    s = doc.sections[0]
    assert (round(s.page_width.cm, 1), round(s.page_height.cm, 1)) == (21.0, 29.7)
    assert round(s.top_margin.cm, 1) == 2.0
    assert round(s.bottom_margin.cm, 1) == 2.5
    assert 2.5 <= round(s.left_margin.cm, 1) <= 3.0
    assert round(s.right_margin.cm, 1) == 2.0
    # The bottom margin is reserved for the verification stamp added to the PDF later.
    for footer in (s.footer, s.first_page_footer, s.even_page_footer):
        assert footer.is_linked_to_previous  # no footer part at all


@pytest.mark.parametrize("kind", KINDS)
def test_every_jinja_tag_sits_in_one_run(kind):
    doc = Document(TEMPLATES / f"{kind}.docx")
    for t in doc.element.body.iter(f"{W}t"):
        rest = TAG.sub("", t.text or "")
        assert not any(tok in rest for tok in ("{{", "}}", "{%", "%}")), t.text


@pytest.mark.parametrize("kind", KINDS)
def test_template_uses_only_contract_variables(kind):
    used = DocxTemplate(TEMPLATES / f"{kind}.docx").get_undeclared_template_variables()
    assert used <= COMMON | PER_LETTER[kind], used - COMMON - PER_LETTER[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_sample_context_follows_the_contract(kind):
    ctx = sample(kind)
    assert set(ctx) == COMMON | PER_LETTER[kind]
    for key, fields in CONTRACT.items():
        assert set(ctx[key]) == fields, key
    assert ctx["letter"]["kind"] == kind
    assert ctx["office"]["logo"] == ""
    for key in PER_LETTER[kind]:
        value = ctx[key]
        if key in ("missing",) + ITEM_LISTS:
            assert all(set(v) == NESTED["missing" if key == "missing" else "items"]
                       for v in value), key
        elif key == "objection" and kind == "objection_response":
            assert set(value) - {"late"} == NESTED["objection"] | NESTED["objection_response"]
        elif key == "referrals":
            assert all(set(v) == NESTED["referrals"] for v in value), key
        elif key == "late" and kind == "decision_notice":
            assert set(value) == NESTED["notice_late"]
        elif key in NESTED:
            assert set(value) == NESTED[key]


def test_the_readme_documents_every_variable():
    """templates/README.md names every variable a template may use (the contract)."""
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    names = set(CONTRACT) | {"tembusan"} | set().union(*PER_LETTER.values())
    for fields in (*CONTRACT.values(), *NESTED.values()):
        names |= fields
    missing = sorted(n for n in names if f"`{n}`" not in readme and f"{n}," not in readme
                     and f"{n}}}" not in readme and f"{{{n}" not in readme
                     and f" {n} (" not in readme and f"{n}:" not in readme)
    assert not missing, missing


# --------------------------------------------------------------------------- rendering


@pytest.mark.parametrize("kind", KINDS)
def test_renders_sample_under_strict_undefined(kind, tmp_path):
    ctx = sample(kind)
    text = flat(docx_text(render(kind, ctx, tmp_path / f"{kind}.docx")))
    assert "{{" not in text and "{%" not in text and "}}" not in text
    for expected in expected_texts(kind, ctx):
        assert flat(expected) in text, expected


@pytest.mark.parametrize("kind", KINDS)
def test_values_come_out_literally_under_autoescape(kind, tmp_path):
    ctx = sample(kind)
    ctx["recipient"]["name"] = ctx["requester"]["name"] = NASTY
    ctx["letter"]["hal"] = "Hal <b>tebal</b> & {% raw %}"
    if kind in DECREES:  # no Hal line: the title carries the literal instead
        ctx["decree_title"] = "Hal <b>tebal</b> & {% raw %}"
    if kind == "revocation_decree":  # names the request, not the requester
        ctx["revoked"]["register_no"] = NASTY
    out = render(kind, ctx, tmp_path / f"{kind}.docx")
    text = docx_text(out)  # python-docx parses it: the XML is well formed
    assert NASTY in text
    assert "Hal <b>tebal</b> & {% raw %}" in text
    assert "&amp;" not in text and "&lt;" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_missing_top_level_variable_fails(kind, tmp_path):
    ctx = sample(kind)
    del ctx["letter"]
    with pytest.raises(TemplateError, match="'letter' is undefined"):
        render(kind, ctx, tmp_path / f"{kind}.docx")


@pytest.mark.parametrize("kind", KINDS)
def test_missing_nested_variable_fails(kind, tmp_path):
    ctx = sample(kind)
    if kind.startswith("objection"):
        del ctx["objection"]["objection_no"]
        match = "objection_no"
    elif kind == "revocation_decree":
        del ctx["revoked"]["register_no"]
        match = "register_no"
    else:
        del ctx["request"]["register_no"]
        match = "register_no"
    with pytest.raises(TemplateError, match=match):
        render(kind, ctx, tmp_path / f"{kind}.docx")


# The letters that state an objection or Komisi period print it from `deadlines`.
DEADLINE_KINDS = ("decision_notice", "objection_receipt", "objection_response", "refusal_decree")


@pytest.mark.parametrize("kind, key", [(k, "regime") for k in KINDS] +
                         [(k, "deadlines") for k in DEADLINE_KINDS])
def test_letters_need_regime_and_deadlines(kind, key, tmp_path):
    ctx = sample(kind)
    del ctx[key]
    with pytest.raises(TemplateError, match=f"'{key}' is undefined"):
        render(kind, ctx, tmp_path / f"{kind}.docx")


# Provided by the contract but not printed by the stock templates.
UNUSED = {("decision_notice", "decision_by"), ("decision_notice", "objection_period"),
          ("decision_notice", "has_refusal"), ("refusal_decree", "items"),
          ("refusal_decree", "given"), ("refusal_decree", "not_held"),
          ("refusal_decree", "not_documented"), ("refusal_decree", "has_refusal"),
          ("refusal_decree", "referrals"),
          # printed only inside the sentence of a notice that replaces another
          ("decision_notice", "revocation_decree_no"),
          # printed only in a refusal decree that replaces a revoked one
          ("refusal_decree", "revoked"),
          # printed only in the notice of an incomplete objection (the sample is a request)
          ("incomplete_notice", "objection_window_end")}


@pytest.mark.parametrize("kind, key", sorted(
    (kind, key) for kind, keys in PER_LETTER.items() for key in keys
    if (kind, key) not in UNUSED))
def test_missing_letter_variable_fails(kind, key, tmp_path):
    ctx = sample(kind)
    del ctx[key]
    with pytest.raises(TemplateError, match=f"'{key}' is undefined"):
        render(kind, ctx, tmp_path / f"{kind}.docx")


def test_newlines_in_the_answer_become_line_breaks(tmp_path):
    ctx = sample("consultation_answer")
    out = render("consultation_answer", ctx, tmp_path / "a.docx")
    doc = Document(out)
    lines = ctx["answer"]["text"].split("\n")
    answer = [p for p in doc.paragraphs if lines[0] in p.text]
    assert len(answer) == 1
    # docxtpl turns "\n" into <w:br/>; python-docx reads a <w:br/> back as "\n".
    assert answer[0].text == ctx["answer"]["text"]
    assert len(answer[0]._p.xpath(".//w:br")) == ctx["answer"]["text"].count("\n")


def test_optional_lines_follow_the_context(tmp_path):
    ctx = sample("receipt")
    ctx["tembusan"] = []
    ctx["signatory"]["nip"] = ""
    ctx["recipient"].update(address="", organization="Lembaga Studi Pemilu Flobamora",
                            salutation="Pimpinan")
    text = docx_text(render("receipt", ctx, tmp_path / "r.docx"))
    assert "Tembusan" not in text
    assert "NIP" not in text
    assert "di –\nTempat" in text
    assert "Yth.\tPimpinan Maria Goreti Bria" in text
    assert "Lembaga Studi Pemilu Flobamora" in text


def test_receipt_for_a_consultation_names_the_topic_not_items(tmp_path):
    ctx = sample("receipt")
    ctx["request"] = sample("consultation_answer")["request"]
    text = flat(docx_text(render("receipt", ctx, tmp_path / "r.docx")))
    assert ctx["request"]["topic"] in text
    assert "Informasi yang diminta" not in text
    assert "Surat Jawaban Konsultasi" in text
    assert "paling lambat tanggal 7 Desember 2026" in text


def text_of(kind: str, ctx: dict, tmp_path: Path, name: str = "x") -> str:
    return flat(docx_text(render(kind, ctx, tmp_path / f"{name}.docx")))


def test_objection_upheld_keeps_the_decision_with_written_reason(tmp_path):
    ctx = objection_response_context("upheld")
    text = text_of("objection_response", ctx, tmp_path)
    assert "tetap berlaku" in text and "Pasal 36 ayat (3)" in text
    assert "pemberitahuan tertulis yang baru" not in text
    assert "tidak dapat diterima" not in text
    assert ctx["objection"]["objection_no"] in text


def test_objection_overturned_announces_a_new_notice(tmp_path):
    ctx = objection_response_context("overturned")
    text = text_of("objection_response", ctx, tmp_path)
    assert "keberatan diterima dan PPID diperintahkan mencabut keputusannya" in text
    assert "pemberitahuan tertulis yang baru" in text
    assert "tetap berlaku" not in text and "tidak dapat diterima" not in text
    assert "Komisi Informasi Provinsi Nusa Tenggara Timur" in text


def test_late_objection_cannot_be_accepted_and_says_why(tmp_path):
    ctx = objection_response_context("inadmissible")
    late = ctx["objection"]["late"]
    text = text_of("objection_response", ctx, tmp_path)
    assert "melewati jangka waktu, sehingga pokok keberatan Saudara tidak diperiksa" in text
    assert text.count("tidak dapat diterima") == 1  # the result is stated once (second legal read)
    assert "Dengan demikian, " + ctx["posts"]["atasan_ppid"] + " memutuskan: keberatan tidak dapat diterima" in text
    assert "Pasal 36 ayat (1)" in text and "Pasal 38 ayat (1) UU" not in text
    assert f"paling lambat {ctx['deadlines']['objection_window']} setelah ditemukannya alasan " \
           "sebagaimana dimaksud dalam Pasal 35 ayat (1); dalam hal ini jangka waktu tersebut " \
           "dihitung sejak diterimanya pemberitahuan tertulis oleh Saudara" in text
    # the day of receipt is day 0: the window counts from it, it does not run "from" it
    assert f"oleh Saudara, yaitu tanggal {late['window_start']}, dan berakhir pada tanggal " \
           f"{late['window_end']}" in text
    assert "sampai dengan tanggal" not in text and "berlangsung dari" not in text
    assert f"diajukan pada tanggal {late['filed']}" in text
    # the further remedy (UU KIP Pasal 37): the Komisi Informasi, within its own period
    assert "Komisi Informasi Provinsi Nusa Tenggara Timur" in text
    assert ctx["deadlines"]["commission"] in text and "Pasal 37 ayat (1)" in text
    for wrong in ("tetap berlaku", "pemberitahuan tertulis yang baru", "Pasal 36 ayat (3)"):
        assert wrong not in text, wrong
    assert ctx["signatory"]["office"].endswith("selaku Atasan PPID") and "selaku Atasan PPID" in text


@pytest.mark.parametrize("counted_from, phrase", [
    ("notice_received", "sejak diterimanya pemberitahuan tertulis oleh Saudara"),
    ("notice", "sejak tanggal pemberitahuan tertulis"),
    ("due", "sejak berakhirnya jangka waktu penyampaian pemberitahuan tertulis"),
])
def test_late_objection_names_where_the_window_started(counted_from, phrase, tmp_path):
    ctx = objection_response_context("inadmissible")
    ctx["objection"]["late"]["counted_from"] = counted_from
    text = text_of("objection_response", ctx, tmp_path)
    assert phrase in text
    others = {"notice_received": "sejak diterimanya", "notice": "sejak tanggal pemberitahuan",
              "due": "sejak berakhirnya"}
    for key, other in others.items():
        if key != counted_from:
            assert other not in text, other


def test_objection_receipt_shows_the_objection_number_and_the_answer_period(tmp_path):
    ctx = sample("objection_receipt")
    ctx["objection"]["objection_no"] = "0009/KEB/PPID/2026"
    ctx["deadlines"] = {**ctx["deadlines"], "objection_answer": "25 (dua puluh lima) hari kerja"}
    text = text_of("objection_receipt", ctx, tmp_path)
    assert "Nomor registrasi keberatan : 0009/KEB/PPID/2026" in text
    assert "register keberatan" in text
    assert "paling lambat 25 (dua puluh lima) hari kerja sejak keberatan diterima" in text
    assert "30 (tiga puluh)" not in text
    assert ctx["signatory"]["title"] == "Pejabat Pengelola Informasi dan Dokumentasi"


# name: (statuses kept, outcome, must contain, must not contain)
DECISION_VARIANTS = {
    "granted": (("open",), "granted",
                ["Seluruh informasi", "dapat kami berikan seluruhnya", "salinan elektronik",
                 "mulai tanggal 27 November 2026", "tidak dipungut biaya",
                 "Dikuasai KPU Provinsi Nusa Tenggara Timur"],
                ["keberatan", "Pasal 17", "dihitamkan", "Bawaslu", "sebagian",
                 "tidak dapat kami berikan"]),
    "rejected": (("exempt",), "rejected",
                 ["Tidak ada informasi yang dapat kami berikan", "Pasal 17 huruf i",
                  "tidak dapat kami berikan", "Akibat apabila dibuka: Membuka memorandum",
                  "Uji konsekuensi: Keputusan PPID", "Nomor 3 Tahun 2026",
                  "keberatan", "Pasal 35 ayat (1) huruf a", "30 (tiga puluh) hari kerja"],
                 ["salinan elektronik", "dihitamkan", "Bawaslu", "sebagian", "diterima sebagian",
                  "dapat diberikan"]),
    "rejected_mixed": (("exempt", "not_held", "not_documented"), "rejected",
                       ["Tidak ada informasi yang dapat kami berikan",
                        "informasi nomor 1 merupakan informasi yang dikecualikan",
                        "informasi nomor 2 tidak berada di bawah penguasaan",
                        "informasi nomor 3 belum didokumentasikan",
                        "dikuasai oleh Bawaslu Provinsi Nusa Tenggara Timur",
                        "huruf a, huruf d, dan huruf e serta Pasal 36 ayat (1)"],
                       ["sebagian", "salinan elektronik", "dihitamkan"]),
    "not_held": (("not_held",), "not_held",
                 ["Pasal 22 ayat (7) huruf a dan huruf b",
                  "dikuasai oleh Bawaslu Provinsi Nusa Tenggara Timur",
                  "Tidak ada informasi yang dapat kami berikan",
                  "berhak mengajukan keberatan", "Atasan PPID",
                  "30 (tiga puluh) hari kerja",
                  "Pasal 35 ayat (1) huruf d dan huruf e"],
                 ["Pasal 17", "salinan elektronik", "sebagian", "informasi nomor 1 belum"]),
    "not_documented": (("not_documented",), "not_held",
                       ["Belum didokumentasikan oleh KPU Provinsi Nusa Tenggara Timur",
                        "informasi nomor 1 belum didokumentasikan",
                        "berhak mengajukan keberatan",
                        "Pasal 35 ayat (1) huruf d dan huruf e"],
                       ["Pasal 17", "salinan elektronik", "sebagian",
                        "tidak berada di bawah penguasaan", "Bawaslu"]),
    "partial": (("partial",), "partially_granted",
                ["Pasal 17 huruf j", "NIK, NKK", "keberatan", "salinan elektronik",
                 "dengan menghitamkan bagian yang dikecualikan pada informasi nomor 1",
                 "Akibat apabila dibuka: NIK dan NKK", "Pasal 22 ayat (7) huruf e",
                 "NIK, NKK, berdasarkan Pasal 17 huruf j UU 14/2008",
                 # the blacked-out part is recorded in the refusal decree (planner.refusal_decree_owed)
                 "Bagian yang dikecualikan pada informasi nomor 1 dihitamkan sebagaimana ditetapkan"],
                ["tidak dapat kami berikan", "Bawaslu"]),
    "partial_open": (("open", "partial"), "partially_granted",
                     ["Informasi yang dapat kami berikan adalah informasi nomor 1 dan nomor 2",
                      "Informasi nomor 1 dan nomor 2 kami sediakan"],
                     ["tidak dapat kami berikan", "Bawaslu"]),
}


@pytest.mark.parametrize("name", DECISION_VARIANTS)
def test_decision_notice_words_each_outcome_item_by_item(name, tmp_path):
    statuses, outcome, present, absent = DECISION_VARIANTS[name]
    ctx = decision_context(statuses)
    assert ctx["outcome"] == outcome
    text = text_of("decision_notice", ctx, tmp_path)
    for s in present:
        assert s in text, s
    for s in absent:
        assert s not in text, s


def test_nothing_given_never_reads_as_granted_in_part(tmp_path):
    """Every mix of exempt, not held and not documented: no "sebagian" anywhere."""
    from itertools import combinations
    closed = ("exempt", "not_held", "not_documented")
    for n in (1, 2, 3):
        for statuses in combinations(closed, n):
            ctx = decision_context(statuses)
            assert ctx["outcome"] in ("rejected", "not_held")
            text = text_of("decision_notice", ctx, tmp_path, "_".join(statuses))
            assert "sebagian" not in text.lower(), statuses
            assert "Tidak ada informasi yang dapat kami berikan" in text, statuses
            assert "berhak mengajukan keberatan" in text, statuses


def test_decision_notice_deadline_comes_from_the_context(tmp_path):
    ctx = sample("decision_notice")
    ctx["deadlines"] = {**ctx["deadlines"], "objection_window": "20 (dua puluh) hari kerja"}
    text = text_of("decision_notice", ctx, tmp_path)
    assert "paling lambat 20 (dua puluh) hari kerja setelah diterimanya" in text
    assert "30 (tiga puluh)" not in text


def test_objection_response_commission_period_comes_from_the_context(tmp_path):
    ctx = sample("objection_response")
    ctx["deadlines"] = {**ctx["deadlines"], "commission": "12 (dua belas) hari kerja"}
    text = text_of("objection_response", ctx, tmp_path)
    assert "paling lambat 12 (dua belas) hari kerja setelah diterimanya" in text
    assert "14 (empat belas)" not in text


def test_no_template_writes_a_period_of_its_own():
    """Every number of days comes from `deadlines` or `request.period`, never the template."""
    period = re.compile(r"\d+ \((?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|"
                        r"sepuluh|sebelas|[a-z ]+ (?:belas|puluh))\) hari")
    for kind in KINDS:
        text = docx_text(TEMPLATES / f"{kind}.docx")
        assert not period.search(text), (kind, period.search(text).group(0))


@pytest.mark.parametrize("service, present, absent", [
    # the requirements come from the office's service standard (Keputusan 129/2022), not UU KIP
    # Pasal 22, which gives only the clock (found by the legal read)
    ("information", ["belum memenuhi persyaratan sebagaimana ditetapkan dalam Standar Pelayanan "
                     "Data dan Informasi pada Keputusan KPU Provinsi Nusa Tenggara Timur "
                     "Nomor 129 Tahun 2022 tentang Penetapan Standar Pelayanan Publik pada Komisi "
                     "Pemilihan Umum Provinsi Nusa Tenggara Timur",
                     "Jangka waktu 10 (sepuluh) hari kerja untuk menyampaikan pemberitahuan",
                     "Pasal 22 ayat (7) Undang-Undang Nomor 14 Tahun 2008",
                     "setelah permohonan Saudara diterima secara lengkap",
                     "Kode cek status permohonan Saudara"],
     ["sebagaimana dimaksud dalam Pasal 22 Undang-Undang", "Pasal 35", "register keberatan",
      "Permohonan Informasi Publik pada"]),
    ("consultation", ["belum memenuhi persyaratan sebagaimana ditetapkan dalam Standar Pelayanan "
                      "Konsultasi pada Keputusan KPU Provinsi Nusa Tenggara Timur Nomor 129 Tahun 2022 "
                      "tentang Penetapan Standar Pelayanan Publik pada Komisi Pemilihan Umum Provinsi "
                      "Nusa Tenggara Timur",
                      "Jangka waktu jawaban konsultasi 10 (sepuluh) hari kerja"],
     ["Pasal 22", "Pasal 35", "pemberitahuan tertulis", "Permohonan Konsultasi pada"]),
    # an incomplete objection does not stop the window of Pasal 36 ayat (1) (second legal read)
    ("objection", ["persyaratan pengajuan keberatan sebagaimana dimaksud dalam Pasal 35 ayat (1) "
                   "Undang-Undang Nomor 14 Tahun 2008",
                   "register keberatan", "Pasal 36 ayat (2)", "Kode cek status keberatan Saudara",
                   "tidak menghentikan jangka waktu 30 (tiga puluh) hari kerja untuk mengajukan keberatan "
                   "sebagaimana dimaksud dalam Pasal 36 ayat (1) Undang-Undang tersebut, yang berakhir "
                   "pada tanggal 13 Januari 2027"],
     ["Pasal 22", "Nomor 129 Tahun 2022", "10 (sepuluh) hari kerja", "tanda bukti penerimaan beserta "
      "batas waktu jawaban", "status permohonan"]),
])
def test_incomplete_notice_is_worded_per_service(service, present, absent, tmp_path):
    ctx = incomplete_context(service)
    text = text_of("incomplete_notice", ctx, tmp_path)
    for s in present:
        assert s in text, s
    for s in absent:
        assert s not in text, s


@pytest.mark.parametrize("kind", KINDS)
def test_signature_prints_on_behalf_above_the_title(kind, tmp_path):
    ctx = sample(kind)
    ctx["signatory"] = {**ctx["signatory"], "on_behalf": "a.n. Ketua KPU Provinsi Nusa Tenggara Timur"}
    text = docx_text(render(kind, ctx, tmp_path / f"{kind}.docx"))
    lines = [line.strip() for line in text.splitlines()]
    at = lines.index("a.n. Ketua KPU Provinsi Nusa Tenggara Timur")
    assert lines[at + 1] == ctx["signatory"]["title"]
    ctx["signatory"]["on_behalf"] = ""
    assert "a.n." not in docx_text(render(kind, ctx, tmp_path / f"{kind}-2.docx"))


def test_consultation_answer_is_signed_by_the_answering_official(tmp_path):
    ctx = sample("consultation_answer")
    text = docx_text(render("consultation_answer", ctx, tmp_path / "c.docx"))
    lines = [line.strip() for line in text.splitlines()]
    # "a.n. …" / Kepala Bagian / "u.b." each on its own line above the signer's title (Tata Naskah Dinas)
    block = ctx["signatory"]["on_behalf"].split("\n")
    at = lines.index(block[0])
    assert lines[at:at + len(block) + 1] == [*block, ctx["signatory"]["title"]]
    assert ctx["signatory"]["name"] == ctx["answer"]["by"] in lines
    assert "Pejabat Pengelola Informasi dan Dokumentasi" not in lines


CITES_PERKI_IN_BODY = ("receipt", "extension_notice", "objection_receipt")


@pytest.mark.parametrize("kind", KINDS)
def test_election_regime_is_cited_in_every_letter(kind, tmp_path):
    ctx = with_election(sample(kind))
    text = text_of(kind, ctx, tmp_path)
    # a decree speaks of "Keputusan ini"; a letter whose body cites Perki 1/2019 names only the
    # stage (test_letter_law: Perki 1/2019 once)
    if kind in CITES_PERKI_IN_BODY:
        assert f"mulai dihitung pada masa tahapan {ctx['regime']['name']}." in text
        return
    assert flat(ctx["regime"]["basis"]).replace("dalam surat ini", "dalam Keputusan ini"
                                                if kind in DECREES else "dalam surat ini") in text
    plain = text_of(kind, sample(kind), tmp_path, "plain")
    assert "Nomor 1 Tahun 2019" not in plain and "masa tahapan" not in plain
    ctx["regime"]["basis"] = "Kalimat dasar tahapan pemilihan."
    assert "Kalimat dasar tahapan pemilihan." in text_of(kind, ctx, tmp_path, "other")


def test_election_regime_deadlines_reach_the_letters(tmp_path):
    ctx = with_election(sample("receipt"))
    assert "3 (tiga) hari kerja sejak permohonan diterima secara lengkap" in \
        text_of("receipt", ctx, tmp_path)
    ctx = with_election(sample("objection_receipt"))
    assert "paling lambat 3 (tiga) hari kerja sejak keberatan diterima" in \
        text_of("objection_receipt", ctx, tmp_path)


def test_refusal_decree_has_the_form_of_a_decree(tmp_path):
    ctx = sample("refusal_decree")
    text = docx_text(render("refusal_decree", ctx, tmp_path / "k.docx"))
    f = flat(text)
    order = ["KEPUTUSAN PEJABAT PENGELOLA INFORMASI DAN DOKUMENTASI",
             f"NOMOR {ctx['letter']['number'].upper()}", "TENTANG",
             "PENOLAKAN PERMOHONAN INFORMASI PUBLIK", "Menimbang", "Mengingat", "MEMUTUSKAN:",
             "Menetapkan :", "KESATU :", "KEDUA :", "KETIGA :", "KEEMPAT :", "Ditetapkan di",
             ctx["signatory"]["name"]]
    positions = [f.index(s) for s in order]
    assert positions == sorted(positions), order
    # the refused items and blacked-out parts, each with its ground and harm
    for it in ctx["refused"] + ctx["partial"]:
        assert it["text"] in f and it["consequence"] in f and it["basis"] in f
    assert ctx["items"][0]["text"] not in f  # open item: not refused
    assert ctx["items"][3]["text"] not in f  # not held: not refused
    assert "Yth." not in f and "Sifat" not in f
    assert f"disampaikan kepada Pemohon bersama pemberitahuan tertulis Nomor {ctx['notice_no']}" in f
    assert "KELIMA" not in f
    assert f"paling lambat {ctx['deadlines']['objection_window']} setelah diterimanya " \
           "Keputusan ini" in f
    assert "Peraturan Komisi Informasi Nomor 1 Tahun 2019" not in f
    e = with_election(sample("refusal_decree"))
    fe = flat(docx_text(render("refusal_decree", e, tmp_path / "e.docx")))
    assert "3. Peraturan Komisi Informasi Nomor 1 Tahun 2019" in fe
    assert "5. Peraturan Komisi Pemilihan Umum Nomor 22 Tahun 2023" in fe
    assert "4. Peraturan Komisi Pemilihan Umum Nomor 22 Tahun 2023" in f


def test_templatecheck_accepts_every_stock_template():
    from pipeline.templatecheck import check_template

    for kind in KINDS:
        assert check_template(kind, TEMPLATES / f"{kind}.docx") == [], kind


@pytest.mark.slow  # writes every kind's .docx afresh (1.3 s): in make test, not the fast loop
def test_make_templates_scaffolds_every_registry_kind(tmp_path):
    """make_templates.py is a scaffold for a new office: it writes one template per registry
    kind, and each passes the registry's contract. The shipped .docx files are the office's
    and may differ (an office edits them in Word): tests/test_letter_law.py checks them."""
    import importlib.util

    from pipeline.templatecheck import check_template

    spec = importlib.util.spec_from_file_location("make_templates", TEMPLATES / "make_templates.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    written = mod.main(tmp_path)
    assert sorted(p.stem for p in written) == sorted(REGISTRY)
    for path in written:
        assert check_template(path.stem, path) == [], path.name


# --------------------------------------------------------------------------- real PDFs


def _logo(path: Path) -> Path:
    img = Image.new("RGB", (200, 200), "white")
    ImageDraw.Draw(img).ellipse((10, 10, 190, 190), fill=(200, 30, 30))
    img.save(path)
    return path


def _variants() -> dict[str, tuple[str, dict]]:
    """Every kind and variant rendered to PDF: name -> (kind, context)."""
    out = {kind: (kind, sample(kind)) for kind in KINDS}
    for name, (statuses, *_rest) in DECISION_VARIANTS.items():
        out[f"decision_{name}"] = ("decision_notice", decision_context(statuses))
    for service in ("consultation", "objection"):
        out[f"incomplete_{service}"] = ("incomplete_notice", incomplete_context(service))
    for result in ("overturned", "inadmissible"):
        out[f"objection_{result}"] = ("objection_response", objection_response_context(result))
    out["decision_election"] = ("decision_notice", with_election(sample("decision_notice")))
    out["refusal_decree_election"] = ("refusal_decree", with_election(sample("refusal_decree")))
    out["extension_election"] = ("extension_notice", with_election(sample("extension_notice")))
    out["decision_late_replacing"] = ("decision_notice", late_replacing_context())
    return out


VARIANTS = _variants()
# Pages allowed: the full decision sample has five items of five statuses.
# the receipt's sample lists four long items and a long purpose; with the status code line the
# closing, signature and tembusan (kept together) go to a second page
# the Atasan PPID named as a post ("Sekretaris … selaku Atasan PPID", three signature lines), an
# overturned response's order to the PPID, and the incomplete notice's citation of the office's
# service standard take the samples' closing block to a second page
MAX_PAGES = {"receipt": 2, "decision_notice": 3, "decision_election": 3, "refusal_decree": 2,
             "refusal_decree_election": 3, "extension_election": 2, "revocation_decree": 2, "decision_late_replacing": 3,
             "incomplete_notice": 2, "objection_response": 2, "objection_overturned": 2,
             "objection_inadmissible": 2,
             # the sample's long answer signed two levels down (a.n. / Kepala Bagian / u.b.) runs on
             "consultation_answer": 2}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every kind and variant, converted in ONE LibreOffice call."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed to convert letters to PDF"
    work = tmp_path_factory.mktemp("letters")
    docs = [render(kind, ctx, work / f"{name}.docx") for name, (kind, ctx) in _variants().items()]
    logo_ctx = sample("receipt")
    logo_ctx["tembusan"] = []
    docs.append(render("receipt", logo_ctx, work / "receipt_logo.docx",
                       logo=_logo(work / "logo.png")))
    profile = (work / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(work), *map(str, docs)],
        check=True, timeout=600, capture_output=True)
    out = {d.stem: d.with_suffix(".pdf") for d in docs}
    missing = [name for name, pdf in out.items() if not pdf.exists()]
    assert not missing, missing
    return out


def pdf_text(path: Path) -> str:
    return flat("\n".join(page.extract_text() for page in PdfReader(path).pages))


@pytest.mark.slow
@pytest.mark.parametrize("name", VARIANTS)
def test_pdf_carries_the_letter(name, pdfs):
    kind, ctx = VARIANTS[name]
    text = pdf_text(pdfs[name])
    for expected in expected_texts(kind, ctx) if name == kind else [ctx["signatory"]["name"]]:
        assert flat(expected) in text, expected


@pytest.mark.slow
@pytest.mark.parametrize("name", VARIANTS)
def test_pdf_fits_its_pages(name, pdfs):
    kind, _ctx = VARIANTS[name]
    reader = PdfReader(pdfs[name])
    pages = len(reader.pages)
    assert pages <= MAX_PAGES.get(name, 2 if kind == "decision_notice" else 1), pages
    if _ctx["signatory"].get("on_behalf"):  # the a.n. block and the name stay on one page
        last = flat(reader.pages[-1].extract_text())
        assert _ctx["signatory"]["on_behalf"].split("\n")[0] in last and _ctx["signatory"]["name"] in last


# How a letter's closing block (closing sentence, signature, Tembusan) begins (make_templates.finish)
CLOSING_STARTS = ("Demikian", "Apabila Saudara tidak puas dengan tanggapan ini", "Mohon nomor",
                  "Setelah persyaratan lengkap", "Layanan ini")


@pytest.mark.slow
@pytest.mark.parametrize("name", VARIANTS)
def test_the_signature_never_opens_a_page_without_body_text(name, pdfs):
    """Third legal read: a decree's signature page starts with its last diktum, a letter's with
    body text above the closing sentence (keep-together, keep-with-next), or with a closing
    paragraph of substance (letters.CLOSING_ALONE characters or more: the fourth legal read
    found a long paragraph held back with it left a blank half page)."""
    kind, ctx = VARIANTS[name]
    pages = [flat(p.extract_text()) for p in PdfReader(pdfs[name]).pages]
    page = next(p for p in reversed(pages) if flat(ctx["signatory"]["name"]) in p)
    if REGISTRY[kind].form == "decree":
        assert "Keputusan ini mulai berlaku pada tanggal ditetapkan" in page.split("Ditetapkan di")[0]
    else:
        starts = [page.find(c) for c in CLOSING_STARTS if c in page]
        assert starts, "no closing sentence found"
        closing = page[min(starts):].split(ctx["signatory"]["name"])[0]
        substance = page[:min(starts)].strip() or len(closing.split(". Demikian")[0]) >= letters.CLOSING_ALONE
        assert substance, "the closing block opens the page with a short sentence"


@pytest.mark.slow
@pytest.mark.parametrize("name", VARIANTS)
def test_pdf_leaves_the_bottom_margin_empty(name, pdfs):
    """Nothing is printed in the bottom 2.5 cm: the verification stamp goes there."""
    limit = Cm(2.5).pt - 1
    lowest = []
    for page in PdfReader(pdfs[name]).pages:
        def visit(text, cm, tm, font, size):
            if text.strip():
                lowest.append((cm[5] + tm[5] * cm[3], text))
        page.extract_text(visitor_text=visit)
    assert lowest
    y, text = min(lowest)
    assert y > limit, f"{text!r} at {y:.1f} pt"


@pytest.mark.slow
@pytest.mark.parametrize("name", VARIANTS)
def test_pdf_signature_closes_the_letter(name, pdfs):
    """Signature block and Tembusan stay together on the last page."""
    _kind, ctx = VARIANTS[name]
    last = flat(PdfReader(pdfs[name]).pages[-1].extract_text())
    sign = ctx["signatory"]
    assert sign["name"] in last and f"NIP {sign['nip']}" in last and "Tembusan" in last
    assert flat(sign["title"]) in last


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in VARIANTS
                                  if n.removeprefix("decision_") in DECISION_VARIANTS])
def test_pdf_decision_variants(name, pdfs):
    _statuses, _outcome, present, absent = DECISION_VARIANTS[name.removeprefix("decision_")]
    text = pdf_text(pdfs[name])
    for s in present:
        assert s in text, s
    for s in absent:
        assert s not in text, s


@pytest.mark.slow
def test_pdf_with_logo_shows_the_image(pdfs):
    reader = PdfReader(pdfs["receipt_logo"])
    assert len(reader.pages) == 1
    assert len(reader.pages[0].images) == 1
    text = pdf_text(pdfs["receipt_logo"])
    assert "KOMISI PEMILIHAN UMUM" in text and "Tembusan" not in text


@pytest.mark.parametrize("statuses,sentence", [
    (("open", "partial"), "Bagian yang dikecualikan pada informasi nomor 2 dihitamkan sebagaimana ditetapkan dalam "
                          "Keputusan PPID KPU Provinsi Nusa Tenggara Timur Nomor 3 Tahun 2026 tentang Penolakan"),
    (("exempt", "partial"), "Oleh karena itu, informasi nomor 2 tidak dapat kami berikan dan bagian yang dikecualikan "
                            "pada informasi nomor 1 dihitamkan, sebagaimana ditetapkan dalam Keputusan PPID"),
])
def test_the_notice_names_the_decree_that_records_a_blacked_out_part(tmp_path, statuses, sentence):
    from letter_samples import decision_context

    text = flat(text_of("decision_notice", decision_context(statuses), tmp_path))
    assert sentence in text
