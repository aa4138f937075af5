"""`ppid templates check` and template mistakes: named template, named variable, exit codes."""

from __future__ import annotations

import shutil

from click.testing import CliRunner
from docx import Document

from pipeline.cli import main
from pipeline.errors import TemplateError
from pipeline.letters import KINDS, Renderer
from helpers import ROOT
from tests.letter_samples import sample


def copy_templates(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    for kind in KINDS:
        shutil.copy(ROOT / "templates" / f"{kind}.docx", folder / f"{kind}.docx")
    return folder


def check(folder):
    return CliRunner().invoke(main, ["templates", "check", "--templates", str(folder), "--config", str(ROOT / "config")])


def test_stock_templates_pass():
    result = check(ROOT / "templates")
    assert result.exit_code == 0 and "exactly the variables" in result.stdout


def test_unknown_variable_and_missing_substance_are_listed(tmp_path):
    folder = copy_templates(tmp_path)
    doc = Document()
    doc.add_paragraph("{{ letter.number }} {{ recipient.name }} {{ signatory.name }} {{ request.register_no }}")
    doc.add_paragraph("{{ requester.nik }} {% for m in missing %}{{ m.title }} {{ m.fix }}{% endfor %}")
    doc.save(folder / "incomplete_notice.docx")
    doc = Document()
    doc.add_paragraph("{{ letter.number }} {{ recipient.name }} {{ signatory.name }} {{ request.register_no }}")
    doc.save(folder / "decision_notice.docx")
    result = check(folder)
    assert result.exit_code == 1
    assert "incomplete_notice.docx: uses 'requester.nik', which the pipeline does not give" in result.stdout
    assert "incomplete_notice.docx: uses 'missing.fix', which the pipeline does not give" in result.stdout
    assert "decision_notice.docx: does not use 'items', which this letter must show" in result.stdout
    assert "decision_notice.docx: does not use 'outcome', which this letter must show" in result.stdout


def test_missing_template_is_listed(tmp_path):
    folder = copy_templates(tmp_path)
    (folder / "receipt.docx").unlink()
    result = check(folder)
    assert result.exit_code == 1 and "receipt.docx: missing" in result.stdout


def test_rendering_with_an_unknown_variable_names_template_and_variable(tmp_path):
    folder = copy_templates(tmp_path)
    doc = Document()
    doc.add_paragraph("{{ requester.telepon }}")
    doc.save(folder / "receipt.docx")
    try:
        Renderer(folder).render("receipt", sample("receipt"), tmp_path / "out.docx")
    except TemplateError as exc:
        assert "templates/receipt.docx" in str(exc) and "telepon" in str(exc)
    else:
        raise AssertionError("an unknown variable must be an error, not a blank")
    assert not (tmp_path / "out.docx").exists()


def test_broken_tag_is_a_template_error(tmp_path):
    folder = copy_templates(tmp_path)
    doc = Document()
    doc.add_paragraph("{% if recipient.name %} no end")
    doc.save(folder / "receipt.docx")
    try:
        Renderer(folder).render("receipt", sample("receipt"), tmp_path / "out.docx")
    except TemplateError as exc:
        assert "templates/receipt.docx: template error" in str(exc)
    else:
        raise AssertionError("a broken tag must be an error")


def test_requester_text_is_data_not_template_code(tmp_path):
    ctx = sample("receipt")
    ctx["recipient"]["name"] = "{{ 7*7 }} {% for x in range(10**9) %}x{% endfor %} PT A & B <w:t>"
    out = Renderer(ROOT / "templates").render("receipt", ctx, tmp_path / "r.docx")
    text = "\n".join(p.text for p in Document(out).paragraphs)
    tables = "\n".join(c.text for t in Document(out).tables for row in t.rows for c in row.cells)
    assert "{{ 7*7 }} {% for x in range(10**9) %}x{% endfor %} PT A & B <w:t>" in text + tables
    assert "49" not in (text + tables).split("Yth.")[-1][:80]
