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
    from letter_samples import KINDS, decision_context, sample
except ImportError:  # tests/ collected as a package
    from tests.letter_samples import KINDS, decision_context, sample

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

# templates/README.md, "Variables every letter gets" and "Per letter".
CONTRACT = {
    "office": {"name", "short", "address", "phone", "whatsapp", "email", "website", "eppid",
               "city", "ppid_name", "logo"},
    "letter": {"kind", "number", "date", "place", "sifat", "lampiran", "hal"},
    "recipient": {"name", "organization", "address", "salutation"},
    "signatory": {"title", "office", "name", "nip"},
    "request": {"register_no", "service", "service_label", "channel_label", "received",
                "received_date", "completed", "items", "topic", "purpose", "source",
                "form_label", "delivery_label", "due", "period", "cost"},
    "requester": {"name", "kind_label", "organization", "address"},
}
COMMON = set(CONTRACT) | {"tembusan"}
PER_LETTER = {
    "receipt": set(),
    "incomplete_notice": {"missing"},
    "decision_notice": {"outcome", "outcome_label", "decision_by", "items", "given", "refused",
                        "partial", "not_held", "objection_period", "has_refusal"},
    "extension_notice": {"extension"},
    "consultation_answer": {"answer"},
    "objection_receipt": {"objection"},
    "objection_response": {"objection"},
}
NESTED = {
    "missing": {"code", "title", "how"},
    "items": {"no", "text", "status", "status_label", "rule", "ground", "ground_text",
              "basis", "consequence_test", "reason", "holder", "redact"},
    "extension": {"days", "days_words", "reason", "old_due", "new_due"},
    "answer": {"text", "by", "role_label", "approved_by", "date"},
    "objection": {"original_register_no", "original_letter_no", "grounds", "due"},
    "objection_response": {"result", "result_label", "reason", "decided_by",
                           "commission_period"},
}

TAG = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}")
NASTY = "PT A & B <C> {{ x }}"


def render(kind: str, ctx: dict, out: Path, logo: Path | None = None) -> Path:
    """Fill one template the way the batch does: StrictUndefined and autoescape."""
    tpl = DocxTemplate(TEMPLATES / f"{kind}.docx")
    if logo is not None:
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
    texts = ["KOMISI PEMILIHAN UMUM", "PROVINSI NUSA TENGGARA TIMUR", "Nomor",
             ctx["letter"]["number"], ctx["letter"]["hal"], "Yth.", ctx["recipient"]["name"],
             f"{ctx['letter']['place']}, {ctx['letter']['date']}", req["register_no"],
             ctx["signatory"]["name"], "Tembusan", *ctx["tembusan"]]
    if kind == "receipt":
        texts += [req["received"], *req["items"], req["purpose"], req["source"],
                  f"paling lambat tanggal {req['due']}",
                  f"{req['period']} sejak permohonan diterima secara lengkap", req["cost"],
                  req["form_label"], "Pasal 22 ayat (7)"]
    elif kind == "incomplete_notice":
        texts += ["Nomor 129 Tahun 2022", "belum memenuhi persyaratan",
                  *[m["title"] for m in ctx["missing"]], *[m["how"] for m in ctx["missing"]],
                  f"{req['period']} sebagaimana dimaksud dalam Pasal 22 ayat (7)",
                  "baru mulai dihitung setelah permohonan Saudara diterima secara lengkap",
                  ctx["office"]["whatsapp"], ctx["office"]["email"], ctx["office"]["eppid"],
                  ctx["office"]["address"]]
    elif kind == "decision_notice":
        texts += ["Pasal 22 ayat (7)", ctx["outcome_label"], "Pasal 17 huruf h",
                  "Pasal 17 huruf i", "uji konsekuensi", "Uji konsekuensi:", "keberatan",
                  "Atasan PPID", ctx["objection_period"], "NIK, NKK", "dihitamkan",
                  "Bawaslu Provinsi Nusa Tenggara Timur", req["form_label"], req["cost"],
                  *[it["text"] for it in ctx["items"]],
                  *[it["status_label"] for it in ctx["items"]]]
    elif kind == "extension_notice":
        ext = ctx["extension"]
        texts += ["Pasal 22 ayat (8)", ext["days_words"], ext["old_due"], ext["new_due"],
                  ext["reason"], *req["items"]]
    elif kind == "consultation_answer":
        ans = ctx["answer"]
        texts += [req["topic"], ans["by"], ans["role_label"],
                  f"dengan persetujuan {ans['approved_by']}",
                  *[line for line in ans["text"].splitlines() if line]]
    elif kind == "objection_receipt":
        obj = ctx["objection"]
        texts += [obj["original_register_no"], obj["original_letter_no"], obj["due"],
                  "Pasal 35 ayat (1)", "Pasal 36 ayat (2)", "30 (tiga puluh) hari kerja",
                  *[g["text"] for g in obj["grounds"]]]
    elif kind == "objection_response":
        obj = ctx["objection"]
        texts += [obj["original_register_no"], obj["result_label"], obj["reason"],
                  "Komisi Informasi Provinsi Nusa Tenggara Timur", obj["commission_period"],
                  "Pasal 37", "Pasal 38", "Pasal 36 ayat (3)",
                  *[g["text"] for g in obj["grounds"]]]
    return texts


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
        if key in ("missing", "items"):
            assert all(set(v) == NESTED[key] for v in value)
        elif key == "objection" and kind == "objection_response":
            assert set(value) == NESTED["objection"] | NESTED["objection_response"]
        elif key in NESTED:
            assert set(value) == NESTED[key]


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
    ctx["recipient"]["name"] = NASTY
    ctx["letter"]["hal"] = "Hal <b>tebal</b> & {% raw %}"
    out = render(kind, ctx, tmp_path / f"{kind}.docx")
    text = docx_text(out)  # python-docx parses it: the XML is well formed
    assert NASTY in text
    assert "Hal <b>tebal</b> & {% raw %}" in text
    assert "&amp;" not in text and "&lt;" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_missing_top_level_variable_fails(kind, tmp_path):
    ctx = sample(kind)
    del ctx["letter"]
    with pytest.raises(jinja2.UndefinedError, match="letter"):
        render(kind, ctx, tmp_path / f"{kind}.docx")


@pytest.mark.parametrize("kind", KINDS)
def test_missing_nested_variable_fails(kind, tmp_path):
    ctx = sample(kind)
    del ctx["request"]["register_no"]
    with pytest.raises(jinja2.UndefinedError, match="register_no"):
        render(kind, ctx, tmp_path / f"{kind}.docx")


# Provided by the contract but not printed by the stock templates.
UNUSED = {("decision_notice", "decision_by")}


@pytest.mark.parametrize("kind, key", sorted(
    (kind, key) for kind, keys in PER_LETTER.items() for key in keys
    if (kind, key) not in UNUSED))
def test_missing_letter_variable_fails(kind, key, tmp_path):
    ctx = sample(kind)
    del ctx[key]
    with pytest.raises(jinja2.UndefinedError, match=key):
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


def test_objection_upheld_keeps_the_decision_with_written_reason(tmp_path):
    ctx = sample("objection_response")
    assert ctx["objection"]["result"] == "upheld"
    text = flat(docx_text(render("objection_response", ctx, tmp_path / "o.docx")))
    assert "tetap berlaku" in text and "Pasal 36 ayat (3)" in text
    assert "pemberitahuan tertulis yang baru" not in text


def test_objection_overturned_announces_a_new_notice(tmp_path):
    ctx = sample("objection_response")
    ctx["objection"].update(result="overturned",
                            result_label="keberatan diterima dan keputusan PPID dibatalkan",
                            reason="Data tersebut telah diumumkan sebelumnya.")
    text = flat(docx_text(render("objection_response", ctx, tmp_path / "o.docx")))
    assert "keberatan diterima dan keputusan PPID dibatalkan" in text
    assert "pemberitahuan tertulis yang baru" in text
    assert "tetap berlaku" not in text
    assert "Komisi Informasi Provinsi Nusa Tenggara Timur" in text


DECISION_VARIANTS = {
    # name: (statuses kept, outcome, must contain, must not contain)
    "granted": (("open",), "granted", ["Seluruh informasi", "salinan elektronik"],
                ["keberatan", "Pasal 17", "dihitamkan", "Bawaslu"]),
    "rejected": (("exempt",), "rejected", ["Pasal 17 huruf i", "keberatan",
                                            "tidak dapat kami berikan"],
                 ["salinan elektronik", "dihitamkan", "Bawaslu"]),
    "not_held": (("not_held",), "not_held", ["Pasal 22 ayat (7) huruf b",
                                              "Bawaslu Provinsi Nusa Tenggara Timur"],
                 ["keberatan", "Pasal 17", "salinan elektronik"]),
    "partial": (("partial",), "partially_granted", ["Pasal 17 huruf h", "NIK, NKK",
                                                     "keberatan", "salinan elektronik"],
                ["tidak dapat kami berikan", "Bawaslu"]),
}


@pytest.mark.parametrize("name", DECISION_VARIANTS)
def test_decision_notice_covers_every_outcome(name, tmp_path):
    statuses, outcome, present, absent = DECISION_VARIANTS[name]
    ctx = decision_context(statuses)
    assert ctx["outcome"] == outcome
    text = flat(docx_text(render("decision_notice", ctx, tmp_path / "d.docx")))
    for s in present:
        assert s in text, s
    for s in absent:
        assert s not in text, s


# --------------------------------------------------------------------------- real PDFs


def _logo(path: Path) -> Path:
    img = Image.new("RGB", (200, 200), "white")
    ImageDraw.Draw(img).ellipse((10, 10, 190, 190), fill=(200, 30, 30))
    img.save(path)
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """The seven sample letters and a few variants, converted in ONE LibreOffice call."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) is needed to convert letters to PDF"
    work = tmp_path_factory.mktemp("letters")
    docs = [render(kind, sample(kind), work / f"{kind}.docx") for kind in KINDS]
    for name, (statuses, *_rest) in DECISION_VARIANTS.items():
        docs.append(render("decision_notice", decision_context(statuses),
                           work / f"decision_{name}.docx"))
    logo_ctx = sample("receipt")
    logo_ctx["tembusan"] = []
    docs.append(render("receipt", logo_ctx, work / "receipt_logo.docx",
                       logo=_logo(work / "logo.png")))
    profile = (work / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(work), *map(str, docs)],
        check=True, timeout=300, capture_output=True)
    out = {d.stem: d.with_suffix(".pdf") for d in docs}
    missing = [name for name, pdf in out.items() if not pdf.exists()]
    assert not missing, missing
    return out


def pdf_text(path: Path) -> str:
    return flat("\n".join(page.extract_text() for page in PdfReader(path).pages))


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_carries_the_letter(kind, pdfs):
    text = pdf_text(pdfs[kind])
    for expected in expected_texts(kind, sample(kind)):
        assert flat(expected) in text, expected


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_fits_its_pages(kind, pdfs):
    pages = len(PdfReader(pdfs[kind]).pages)
    assert pages <= (2 if kind == "decision_notice" else 1)


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_leaves_the_bottom_margin_empty(kind, pdfs):
    """Nothing is printed in the bottom 2.5 cm: the verification stamp goes there."""
    limit = Cm(2.5).pt - 1
    lowest = []
    for page in PdfReader(pdfs[kind]).pages:
        def visit(text, cm, tm, font, size):
            if text.strip():
                lowest.append((cm[5] + tm[5] * cm[3], text))
        page.extract_text(visitor_text=visit)
    assert lowest
    y, text = min(lowest)
    assert y > limit, f"{text!r} at {y:.1f} pt"


def test_pdf_signature_closes_the_letter(pdfs):
    """Signature block and Tembusan stay with the closing on the last page."""
    for kind in KINDS:
        pages = PdfReader(pdfs[kind]).pages
        last = flat(pages[-1].extract_text())
        ctx = sample(kind)
        assert ctx["signatory"]["name"] in last, kind
        assert f"NIP {ctx['signatory']['nip']}" in last, kind
        assert "Tembusan" in last, kind


@pytest.mark.parametrize("name", DECISION_VARIANTS)
def test_pdf_decision_variants(name, pdfs):
    _statuses, _outcome, present, absent = DECISION_VARIANTS[name]
    text = pdf_text(pdfs[f"decision_{name}"])
    for s in present:
        assert s in text, s
    for s in absent:
        assert s not in text, s


def test_pdf_with_logo_shows_the_image(pdfs):
    reader = PdfReader(pdfs["receipt_logo"])
    assert len(reader.pages) == 1
    assert len(reader.pages[0].images) == 1
    text = pdf_text(pdfs["receipt_logo"])
    assert "KOMISI PEMILIHAN UMUM" in text and "Tembusan" not in text

