"""The annual report: the figures and charts are in the DOCX, the PDF converts, nothing personal.

Built once from the hand-worked register of test_stats.py and the worked survey of
test_survey.py, with the repository's own office config; LibreOffice converts it for real.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from pypdf import PdfReader

from pipeline import report, stats, survey
from pipeline.errors import TemplateError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
AS_OF = dt.date(2027, 1, 15)
PII = ["5371012345670001", "5371020101800002", "081234567890", "085239001122", "081333444555",
       "maria@example.org", "yohanes@lsm.example.org", "kornelis@example.net", "El Tari",
       "Maria Goreti Bria", "Yohanes Seran", "Kornelis Bani", "Fransiska", "Agustinus Lake",
       "Petrus Ndun", "Martha Lay", "Stefanus Tefa", "Yuliana Kolo", "Daniel Manu", "Anonim Warga"]


@pytest.fixture(scope="module")
def office() -> dict:
    return yaml.safe_load((ROOT / "config" / "office.yaml").read_text(encoding="utf-8"))["office"]


@pytest.fixture(scope="module")
def built(tmp_path_factory, office):
    book = stats.load_book(FIXTURES / "records_small")
    result = survey.score(FIXTURES / "survey_worked.csv", survey.load_config(ROOT / "config"))
    out = tmp_path_factory.mktemp("report")
    docx, pdf = report.build_report(
        book, 2026, out, office=office, survey=result, as_of=AS_OF,
        narrative={"signatory": {"title": "Pejabat Pengelola Informasi dan Dokumentasi",
                                 "name": "Nama Pejabat PPID"}})
    return docx, pdf


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def test_the_docx_holds_the_figures(built):
    docx, _ = built
    text = docx_text(docx)
    assert docx.name == "laporan-layanan-informasi-publik-2026.docx"
    for expected in (
        "TAHUN 2026",
        "KOMISI PEMILIHAN UMUM PROVINSI NUSA TENGGARA TIMUR",
        "menerima 16 permohonan, terdiri atas 11 permohonan informasi publik",
        "Dijawab tepat waktu | 2 (100,0%) | 6 (75,0%)",
        "Median waktu pelayanan (hari kerja) | 10,5 | 7,5",
        "Rata-rata waktu pelayanan (hari kerja) | 10,5 | 8,5",
        "Lebih dari 17 hari kerja | 0 | 1 | 12,5%",
        "Surat | 2 | 7",
        "Jumlah | 3 | 16",
        "Desember | 2 | 1 | 0 | 0",
        "Dikabulkan seluruhnya | 2 | 5",
        "h | Mengungkap rahasia pribadi | 2",
        "Per 31 Desember 2026 terdapat 3 permohonan yang belum selesai",
        "0042/PPID/2025 | Permohonan informasi publik | 1 Desember 2025 | 15 Desember 2025 | Melewati tenggat",
        "Salinan kartu identitas | 2",
        "a | Penolakan atas permintaan informasi",
        "Keberatan ditolak dan keputusan PPID dikuatkan | 1",
        "Indeks Kepuasan Masyarakat (IKM) tahun 2026 adalah 84,03 dengan mutu pelayanan B (Baik)",
        "U4 | Biaya/Tarif | 4,00 | 0,111 | 100,00",
        "Sebanyak 3 baris jawaban tidak diikutsertakan",
        "Sebanyak 2 dari 8 permohonan informasi (25,0%) dijawab melewati jangka waktu",
        "BAB VII",
        "Kupang, 15 Januari 2027",
        "Laporan Layanan Informasi Publik Tahun 2026",  # the page header
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text
    assert Document(str(docx)).core_properties.title.startswith("Laporan Layanan Informasi Publik Tahun 2026")


def test_the_docx_holds_the_five_charts(built):
    docx, _ = built
    with zipfile.ZipFile(docx) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 5
        assert all(z.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in media)


def test_the_pdf_converts_and_reads_as_the_report(built):
    _, pdf = built
    assert pdf.name == "laporan-layanan-informasi-publik-2026.pdf"
    reader = PdfReader(str(pdf))
    assert reader.metadata.title.startswith("Laporan Layanan Informasi Publik Tahun 2026")
    first = reader.pages[0].extract_text()
    assert "LAYANAN INFORMASI PUBLIK" in first and "TAHUN 2026" in first
    assert len(reader.pages) >= 6
    for n, page in enumerate(reader.pages[1:], 2):  # running head, and the number in the footer only
        text = page.extract_text()
        assert "Laporan Layanan Informasi Publik Tahun 2026" in text and f"Halaman {n}" in text
        assert f"- {n} -" not in text, text[:200]


def test_no_personal_data_in_the_report(built):
    docx, pdf = built
    texts = [docx_text(docx), "\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages)]
    with zipfile.ZipFile(docx) as z:  # every XML part, comments and properties included
        texts.append("\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                               if n.endswith(".xml")))
    for text in texts:
        for value in PII:
            assert value not in text, value


def test_without_a_survey(tmp_path, office):
    book = stats.load_book(FIXTURES / "records_small")
    docx, pdf = report.build_report(book, 2026, tmp_path, office=office, survey=None,
                                    as_of=AS_OF, pdf=False)
    assert pdf is None
    text = docx_text(docx)
    assert "Hasil Survei Kepuasan Masyarakat tahun 2026 belum tersedia" in text
    assert "Melaksanakan Survei Kepuasan Masyarakat" in text
    with zipfile.ZipFile(docx) as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) == 4


def test_a_year_without_requests(tmp_path, office):
    empty = stats.load_book(tmp_path)
    docx, _ = report.build_report(empty, 2026, tmp_path, office={}, survey=None,
                                  as_of=AS_OF, pdf=False)
    text = docx_text(docx)
    assert "Tidak ada permohonan yang diterima pada tahun 2026." in text
    assert "Tidak ada keberatan yang diajukan pada tahun 2026." in text


def test_a_template_naming_an_unknown_variable(tmp_path, office):
    bad = Document()
    bad.add_paragraph("{{ tidak_ada }}")
    bad.save(str(tmp_path / "bad.docx"))
    with pytest.raises(TemplateError, match="tidak_ada"):
        report.build_report(stats.load_book(tmp_path), 2026, tmp_path / "out", office=office,
                            survey=None, as_of=AS_OF, template=tmp_path / "bad.docx", pdf=False)
