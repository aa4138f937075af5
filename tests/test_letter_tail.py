"""The chain of "keep with next" before a letter's closing block is cut after the last printed
paragraph (fourth legal read: a long chain left most of a page blank)."""
from __future__ import annotations

from docx import Document

import pytest

from letter_samples import decision_context, late_replacing_context
from pipeline import letters
from pipeline.letters import Renderer, short_tail
from pipeline.config import load_config
from helpers import ROOT


def _doc(paragraphs: list[tuple[str, bool]], closing: str = "Demikian disampaikan."):
    doc = Document()
    for text, keep in paragraphs:
        doc.add_paragraph(text).paragraph_format.keep_with_next = keep
    doc.add_table(rows=1, cols=1).cell(0, 0).text = closing
    return doc


def _keeps(doc) -> list[bool]:
    return [bool(p.paragraph_format.keep_with_next) for p in doc.paragraphs]


def test_only_the_last_printed_paragraph_keeps_with_the_closing_block():
    doc = _doc([("Menindaklanjuti", False), ("Informasi nomor 1 kami sediakan.", True),
                ("Informasi yang dikecualikan.", True), ("Apabila Saudara tidak puas.", True), ("", True)])
    short_tail(doc.element.body)
    assert _keeps(doc) == [False, False, False, True, True]


def test_a_list_intro_keeps_with_its_list_and_the_chain_stops_at_an_unkept_paragraph():
    doc = _doc([("Sebelumnya.", True), ("Dasar.", False), ("dihitamkan sebagai berikut:", True),
                ("2. penilaian kinerja", True), ("Apabila Saudara tidak puas.", True)])
    short_tail(doc.element.body)
    assert _keeps(doc) == [True, False, True, False, True]


def test_a_closing_of_substance_holds_no_paragraph_back():
    """The objection response's closing names the Komisi Informasi route: the signature page
    opens with it, so the long paragraph before it may break across the pages."""
    closing = "Apabila Saudara tidak puas dengan tanggapan ini, " + "Saudara dapat mengajukan " * 10
    doc = _doc([("Keberatan tersebut diajukan dengan alasan, yaitu:", True), ("a. penolakan", True),
                ("Setelah memeriksa keberatan tersebut.", True)], closing)
    short_tail(doc.element.body)
    assert _keeps(doc) == [True, False, False]


def test_a_document_without_a_table_is_left_alone():
    doc = Document()
    doc.add_paragraph("a").paragraph_format.keep_with_next = True
    short_tail(doc.element.body)
    assert _keeps(doc) == [True]


def _tail(dest) -> list[str]:
    """The printed paragraphs between the item table and the closing block that keep with the
    next one, list intros aside."""
    doc = Document(str(dest))
    body = doc.element.body
    items, closing = body.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl")[-2:]
    at = list(body).index
    printed = [p for p in doc.paragraphs if p.text.strip()
               and p._p.getparent() is body and at(items) < at(p._p) < at(closing)]
    return [p.text[:40] for p in printed if p.paragraph_format.keep_with_next
            and not p.text.rstrip().endswith(":")], printed[-1].text[:40]


@pytest.mark.parametrize("context", [late_replacing_context, decision_context])
def test_a_rendered_notice_keeps_one_paragraph_with_its_closing(tmp_path, monkeypatch, context):
    cfg = load_config(ROOT / "config")
    tail, last = _tail(Renderer(ROOT / "templates", cfg).render("decision_notice", context(), tmp_path / "n.docx"))
    assert tail == [last]
    if context is decision_context:  # the sample prints several: without the cut, all would keep
        monkeypatch.setattr(letters, "short_tail", lambda body: None)
        tail, last = _tail(Renderer(ROOT / "templates", cfg).render("decision_notice", context(),
                                                                    tmp_path / "m.docx"))
        assert len(tail) > 1
