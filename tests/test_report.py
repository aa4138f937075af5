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
from pipeline.book import read_book
from pipeline.config import load_config
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
def deadlines() -> dict:
    return dict(load_config(ROOT / "config").deadlines)


def _build(tmp_path_factory, office, deadlines, pdf: bool):
    book = read_book(FIXTURES / "records_small")
    result = survey.score(FIXTURES / "survey_worked.csv", survey.load_config(ROOT / "config"))
    out = tmp_path_factory.mktemp("report")
    return report.build_report(
        book, 2026, out, office=office, deadlines=deadlines, survey=result, as_of=AS_OF,
        narrative={"signatory": {"title": "Pejabat Pengelola Informasi dan Dokumentasi",
                                 "name": "Nama Pejabat PPID"}}, pdf=pdf)


@pytest.fixture(scope="module")
def built(tmp_path_factory, office, deadlines):
    """The DOCX only (no LibreOffice): the fast tests read it."""
    return _build(tmp_path_factory, office, deadlines, pdf=False)


@pytest.fixture(scope="module")
def built_pdf(tmp_path_factory, office, deadlines):
    """DOCX and PDF, converted by LibreOffice (slow tests)."""
    return _build(tmp_path_factory, office, deadlines, pdf=True)


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


def test_the_report_meets_perki_2021_pasal_56(built):
    """Issue 17 item 10: obstacles internal and external, every objection in Tabel 14, how the
    responses were carried out, the regime, the deadline for the Komisi Informasi."""
    text = docx_text(built[0])
    assert text.index("A. Kendala Internal") < text.index("B. Kendala Eksternal") < text.index("BAB VII")
    internal = text[text.index("A. Kendala Internal"):text.index("B. Kendala Eksternal")]
    external = text[text.index("B. Kendala Eksternal"):text.index("BAB VII")]
    assert "dijawab melewati jangka waktunya" in internal
    assert "belum memenuhi persyaratan pada saat diterima" in external
    # Tabel 14 accounts for every objection, the incomplete and withdrawn ones too
    assert "Belum memenuhi persyaratan | 0" in text and "Dicabut oleh pemohon | 0" in text
    assert "tidak ada tanggapan atasan PPID yang menerima keberatan dan memerintahkan PPID mencabut keputusannya" in text
    assert "mengikuti jangka waktu Undang-Undang Nomor 14 Tahun 2008" in text
    assert ("paling lambat 3 (tiga) bulan setelah tahun pelaksanaan anggaran berakhir (Pasal 56 Peraturan "
            "Komisi Informasi Nomor 1 Tahun 2021), yaitu tanggal 31 Maret 2027") in text


def test_the_report_names_the_election_regime_and_its_periods():
    from pipeline import report_text as RT

    election = report._election({"periods": [{"name": "Pemilihan 2026", "from": dt.date(2026, 11, 1),
                                              "to": dt.date(2027, 2, 1)}], "notice": 3, "extension": 2}, 2026)
    assert election == {"names": ["Pemilihan 2026"], "notice": 3, "extension": 2}
    assert report._election({"periods": [{"name": "P", "from": dt.date(2029, 1, 1), "to": dt.date(2029, 6, 1)}],
                             "notice": 3, "extension": 2}, 2026) is None
    text = RT.regime_text(2026, election)
    assert "masa tahapan Pemilihan 2026" in text and "Peraturan Komisi Informasi Nomor 1 Tahun 2019" in text
    assert "3 (tiga) hari kerja" in text
    assert "3 hari kerja (5 hari kerja bila diperpanjang) menurut Peraturan Komisi Informasi Nomor 1 Tahun 2019" \
        in RT.periods_text(RT.Days(10, 7, 30, 30, 14), election)


def test_a_requirement_title_keeps_its_capitals_in_a_sentence():
    from pipeline.report_text import lower_first

    assert lower_first("Salinan kartu identitas (UU 14/2008 Pasal 35 ayat 1)") == \
        "salinan kartu identitas (UU 14/2008 Pasal 35 ayat 1)"
    assert lower_first("KTP pemohon") == "KTP pemohon"


def test_the_docx_holds_the_five_charts(built):
    docx, _ = built
    with zipfile.ZipFile(docx) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 5
        assert all(z.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in media)


@pytest.mark.slow
def test_the_pdf_converts_and_reads_as_the_report(built_pdf):
    _, pdf = built_pdf
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


@pytest.mark.slow
def test_no_personal_data_in_the_report(built_pdf):
    docx, pdf = built_pdf
    texts = [docx_text(docx), "\n".join(p.extract_text() for p in PdfReader(str(pdf)).pages)]
    with zipfile.ZipFile(docx) as z:  # every XML part, comments and properties included
        texts.append("\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                               if n.endswith(".xml")))
    for text in texts:
        for value in PII:
            assert value not in text, value


@pytest.mark.slow  # a whole report with its charts (1.3-2.1 s): in make test, not the fast loop
def test_without_a_survey(tmp_path, office, deadlines):
    book = read_book(FIXTURES / "records_small")
    docx, pdf = report.build_report(book, 2026, tmp_path, office=office, deadlines=deadlines,
                                    survey=None, as_of=AS_OF, pdf=False)
    assert pdf is None
    text = docx_text(docx)
    assert "Hasil Survei Kepuasan Masyarakat tahun 2026 belum tersedia" in text
    assert "Melaksanakan Survei Kepuasan Masyarakat" in text
    with zipfile.ZipFile(docx) as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) == 4


@pytest.mark.slow  # a whole report with its charts (1.3-2.1 s): in make test, not the fast loop
def test_a_year_without_requests(tmp_path, office, deadlines):
    empty = read_book(tmp_path)
    docx, _ = report.build_report(empty, 2026, tmp_path, office={}, deadlines=deadlines,
                                  survey=None, as_of=AS_OF, pdf=False)
    text = docx_text(docx)
    assert "Tidak ada permohonan yang diterima pada tahun 2026." in text
    assert "Tidak ada keberatan yang diajukan pada tahun 2026." in text


@pytest.mark.slow  # a whole report with its charts (1.3-2.1 s): in make test, not the fast loop
def test_a_template_naming_an_unknown_variable(tmp_path, office, deadlines):
    bad = Document()
    bad.add_paragraph("{{ tidak_ada }}")
    bad.save(str(tmp_path / "bad.docx"))
    with pytest.raises(TemplateError, match="tidak_ada"):
        report.build_report(read_book(tmp_path), 2026, tmp_path / "out", office=office,
                            deadlines=deadlines, survey=None, as_of=AS_OF,
                            template=tmp_path / "bad.docx", pdf=False)


# --- Perki 1/2021 Pasal 56, the legal basis, and periods read from config ------------------


def quick(tmp_path, office, deadlines, book=None, narrative=None) -> str:
    """The report's text (DOCX only) for the small register."""
    book = read_book(FIXTURES / "records_small") if book is None else book
    docx, _ = report.build_report(book, 2026, tmp_path, office=office, deadlines=deadlines,
                                  survey=None, as_of=AS_OF, narrative=narrative, pdf=False)
    return docx_text(docx)


def test_dasar_hukum_names_the_rules_in_force(built):
    text = docx_text(built[0])
    assert "Peraturan Komisi Pemilihan Umum Nomor 22 Tahun 2023 tentang Pengelolaan dan " \
           "Pelayanan Informasi Publik" in text
    assert "sebagaimana telah beberapa kali diubah" in text
    assert "Peraturan Komisi Informasi Nomor 1 Tahun 2019 tentang Standar Layanan dan " \
           "Prosedur Penyelesaian Sengketa Informasi Pemilihan Umum dan Pemilihan" in text
    assert "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi " \
           "Publik" in text
    assert "Peraturan Pemerintah Nomor 61 Tahun 2010" in text
    assert "Nomor 1 Tahun 2015" not in text  # revoked by PKPU 22/2023


def test_objection_answer_cites_pasal_36_ayat_2(built):
    text = docx_text(built[0])
    assert "dalam 30 (tiga puluh) hari kerja sebagaimana diatur dalam UU 14/2008 Pasal 36 ayat 2" in text
    assert "Pasal 38 ayat 1" not in text


def test_the_pasal_56_sections_are_always_there(built):
    text = docx_text(built[0])
    for heading in ("C. Anggaran", "D. Saluran Layanan",
                    "B. Sengketa Informasi Publik di Komisi Informasi",
                    "C. Gugatan ke Pengadilan",
                    "D. Pelaksanaan Putusan Komisi Informasi dan Pengadilan"):
        assert heading in text, heading
    assert "Anggaran pelayanan informasi publik dan laporan penggunaannya: tidak tersedia data" in text
    assert "Pada tahun 2026 tidak ada gugatan ke pengadilan atas sengketa informasi publik." in text
    assert "tidak ada putusan Komisi Informasi, kesepakatan mediasi, atau putusan pengadilan " \
           "yang wajib dilaksanakan" in text


@pytest.mark.slow  # a whole report with its charts (1.3-2.1 s): in make test, not the fast loop
def test_the_office_narrative_fills_budget_lawsuits_and_rulings(tmp_path, office, deadlines):
    text = quick(tmp_path, office, deadlines, narrative={
        "budget": "Anggaran layanan informasi tahun 2026 sebesar Rp25.000.000, terealisasi 92%.",
        "lawsuits": 1,
        "rulings": "Putusan Komisi Informasi Nomor 001/KIP-NTT/2026 telah dilaksanakan.",
    })
    assert "Anggaran layanan informasi tahun 2026 sebesar Rp25.000.000, terealisasi 92%." in text
    assert "tidak tersedia data" not in text.split("D. Saluran Layanan")[0].split("C. Anggaran")[1]
    assert "Pada tahun 2026 tercatat 1 gugatan ke pengadilan atas putusan Komisi Informasi." in text
    assert "Putusan Komisi Informasi Nomor 001/KIP-NTT/2026 telah dilaksanakan." in text


@pytest.mark.slow  # over 1.4 s: in make test, not the fast loop
def test_lawsuits_are_read_from_the_book_when_it_has_the_columns(tmp_path, office, deadlines):
    book = read_book(FIXTURES / "records_small").copy()
    book["lawsuit_filed"] = ""
    book["lawsuit_decided"] = ""
    book["lawsuit_result"] = ""
    book.loc[book.index[0], ["lawsuit_filed", "lawsuit_decided", "lawsuit_result"]] = \
        ["2026-05-04", "2026-09-01", "rejected"]
    book.loc[book.index[1], "lawsuit_filed"] = "2026-11-02"
    book.loc[book.index[2], "lawsuit_filed"] = "2025-03-02"  # another year
    record = report.lawsuit_record(book, 2026, AS_OF)
    assert record == {"filed": 2, "pending": 1, "by_result": {"rejected": 1}}
    text = quick(tmp_path, office, deadlines, book=book)
    assert "Pada tahun 2026 tercatat 2 gugatan ke pengadilan atas putusan Komisi Informasi; " \
           "putusan pengadilan: 1 ditolak; 1 belum diputus." in text
    assert report.lawsuit_record(read_book(FIXTURES / "records_small"), 2026, AS_OF) is None


@pytest.mark.slow  # over 1.4 s: in make test, not the fast loop
def test_every_period_in_the_report_follows_the_config(tmp_path, office):
    """Change notice, extension, objection_answer and commission in a temporary config:
    the report's sentences follow (issue 10 item 1)."""
    import shutil

    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    path = folder / "office.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["deadlines"].update(notice=12, extension=5, objection_answer=25, commission=11)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    cfg = load_config(folder)
    assert cfg.deadlines["notice"] == 12
    text = quick(tmp_path / "out", office, cfg.deadlines)
    for expected in (
        "jangka waktu pelayanan 1 (satu) jam sampai dengan 12 (dua belas) hari kerja",
        "diperpanjang paling lama 5 (lima) hari kerja",
        "Batas waktu adalah 12 (dua belas) hari kerja, atau 17 (tujuh belas) hari kerja bila "
        "diperpanjang.",
        "Gambar 4. Sebaran lama pelayanan terhadap batas 12 hari kerja",
        "dijawab melewati jangka waktunya, yaitu 12 hari kerja (17 hari kerja bila diperpanjang)",
        "paling lambat hari kerja ke-12",
        "dalam 25 (dua puluh lima) hari kerja sebagaimana diatur dalam UU 14/2008 Pasal 36 ayat 2",
        "dalam waktu 11 (sebelas) hari kerja (UU 14/2008 Pasal 37 ayat 2)",
    ):
        assert expected in text, expected
    for stale in ("10 (sepuluh) hari kerja", "30 (tiga puluh) hari kerja",
                  "14 (empat belas) hari kerja", "batas 10 hari kerja", "ke-10"):
        assert stale not in text, stale


def test_no_period_is_written_into_the_report_code():
    """Periods come from config: the report's code and template source name none."""
    import re

    period = re.compile(r"\b(?:10|17|30|14|7) (?:\((?:sepuluh|tujuh belas|tiga puluh|empat belas|"
                        r"tujuh)\) )?hari kerja|ke-10|axvline\((?:10|17)")
    for rel in ("pipeline/report.py", "pipeline/report_text.py", "templates/make_annual_report.py"):
        source = (ROOT / rel).read_text(encoding="utf-8")
        assert not period.search(source), (rel, period.search(source).group(0))


def test_report_py_holds_no_indonesian_sentences():
    """Wording lives in report_text.py or the template; report.py computes and draws."""
    source = (ROOT / "pipeline" / "report.py").read_text(encoding="utf-8")
    code = source.split('"""', 2)[2]  # after the module docstring
    for word in (" permohonan ", " tahun {", "Tidak ada", "Sebanyak", "Jumlah permohonan",
                 "hari kerja\"", "Dikabulkan"):
        assert word not in code, word


def test_band_labels_follow_the_bands_stats_cuts():
    """The day bands are cut by stats at the configured deadlines; their labels follow."""
    from pipeline.report_text import Days, band_title

    d = Days(notice=12, extension=5, objection_window=30, objection_answer=30, commission=14)
    assert band_title("same_day", d) == "Pada hari permohonan diterima"
    assert band_title("7_12", d) == "7–12 hari kerja"
    assert band_title("13_17", d) == "13–17 hari kerja (dengan perpanjangan)"
    assert band_title("over_17", d) == "Lebih dari 17 hari kerja"


def test_the_stock_report_template_is_what_make_annual_report_writes(tmp_path):
    """templates/annual_report.docx is regenerated from make_annual_report.py (no drift)."""
    import importlib.util
    import sys

    sys.path.insert(0, str(ROOT / "templates"))
    try:
        spec = importlib.util.spec_from_file_location(
            "make_annual_report", ROOT / "templates" / "make_annual_report.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        fresh = mod.main(tmp_path / "annual_report.docx")
    finally:
        sys.path.remove(str(ROOT / "templates"))
    assert docx_text(fresh) == docx_text(ROOT / "templates" / "annual_report.docx")


def test_how_the_responses_were_carried_out_is_read_from_the_register():
    import pandas as pd

    from pipeline import report_text as RT

    book = pd.DataFrame([
        {"register_no": "0001/PPID/2026", "service": "information", "status": "answered", "objection_result": None,
         "objection_to": None, "received_at": "2026-11-20 09:00", "answered_at": "2026-12-08"},
        {"register_no": "0002/PPID/2026", "service": "information", "status": "review", "objection_result": None,
         "objection_to": None, "received_at": "2026-11-20 10:00", "answered_at": "2026-11-27"},
        {"register_no": "0001/KEB/PPID/2026", "service": "objection", "status": "answered",
         "objection_result": "overturned", "objection_to": "0001/PPID/2026", "received_at": "2026-12-01 10:00",
         "answered_at": "2026-12-03"},
        {"register_no": "0002/KEB/PPID/2026", "service": "objection", "status": "answered",
         "objection_result": "overturned", "objection_to": "0002/PPID/2026", "received_at": "2026-12-01 11:00",
         "answered_at": "2026-12-03"},
    ])
    record = report.responses_record(book, 2026)
    assert record == {"overturned": 2, "carried_out": 1}
    assert RT.responses_text(2026, record) == (
        "Atas 2 tanggapan atasan PPID yang menerima keberatan dan memerintahkan PPID mencabut keputusannya, 1 telah "
        "dilaksanakan dengan pemberitahuan tertulis baru kepada pemohon, sedangkan 1 belum dilaksanakan.")
