"""Generate the stock annual report template (templates/annual_report.docx) with python-docx.

Run: .venv/bin/python templates/make_annual_report.py

The office edits the resulting .docx in Word afterwards (the fixed text: policy,
facilities, staff; the wording around the figures). Variables are those of
`pipeline.report.context` (documented there). Uses the helpers of make_templates.py,
so the report looks like the letters: A4, Arial, justified body.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # make_templates.py sits beside this script
import make_templates as mt  # noqa: E402
from pipeline import wording as WD  # noqa: E402 (legal phrases, one home)
from make_templates import C, J, L, R, ctl, ctl_row, par, row, shade, spacer, table  # noqa: E402

TABLE_PT = 10
SIGN_LEFT = 5.5  # cm: the signature block, wide enough for the office name on one line
HEAD_FILL = "D9E2F3"


def _styles(doc) -> None:
    """Heading 1/2 in Arial black, numbered by hand ('BAB I', 'A.'), kept with the text."""
    for name, size, before, after in (("Heading 1", 13, 18, 8), ("Heading 2", 11.5, 12, 6),
                                      ("Title", 20, 0, 0)):
        st = doc.styles[name]
        st.font.name = mt.FONT
        mt._set_fonts(st.element.get_or_add_rPr().get_or_add_rFonts())
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        fmt = st.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = True
        fmt.alignment = C if name != "Heading 2" else L
        # No theme colour / border from the default template.
        rpr = st.element.get_or_add_rPr()
        color = rpr.find(qn("w:color"))
        if color is not None:
            for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
                color.attrib.pop(qn(attr), None)
        ppr = st.element.get_or_add_pPr()
        for b in ppr.findall(qn("w:pBdr")):
            ppr.remove(b)


def h1(doc, text: str):
    p = doc.add_paragraph(style="Heading 1")
    mt._run(p, text)
    return p


def h2(doc, text: str):
    p = doc.add_paragraph(style="Heading 2")
    mt._run(p, text)
    return p


def body(doc, *parts, after: float = 6, keep: bool = False):
    return par(doc, *parts, first=mt.FIRST_LINE, after=after, keep=keep)


def bullets(doc, loop: str, text: str, *, marker: str = "{{ loop.index }}.", left: float = 0.0):
    ctl(doc, "{%p " + loop + " %}")
    par(doc, marker, "\t", text, align=J, left=left + 0.7, first=-0.7, after=3, tabs=(left + 0.7,))
    ctl(doc, "{%p endfor %}")


def fixed_list(doc, items: list[str], left: float = 0.0):
    for i, text in enumerate(items, start=1):
        par(doc, f"{i}.", "\t", text, align=J, left=left + 0.7, first=-0.7, after=2,
            tabs=(left + 0.7,))


def figures(doc, loop: str, columns: list[tuple[str, str, float, object]], *, total: list[str] | None = None):
    """A table with a shaded header row and one row per element of a Jinja loop.

    columns: (header, cell template, width cm, alignment).
    """
    t = table(doc, [w for _, _, w, _ in columns], grid=True)
    head = row(t, header=True)
    for cell, (title, _, _, align) in zip(head.cells, columns):
        shade(cell, HEAD_FILL)
        par(cell, (title, "b"), align=C if align is not L else L, after=0, size=TABLE_PT)
    ctl_row(t, "{%tr " + loop + " %}")
    r = row(t)
    for cell, (_, tpl, _, align) in zip(r.cells, columns):
        par(cell, tpl, align=align, after=0, size=TABLE_PT)
    ctl_row(t, "{%tr endfor %}")
    if total:
        r = row(t)
        for cell, text in zip(r.cells, total):
            shade(cell, "F2F2F2")
            par(cell, (text, "b"), align=L if text == total[0] else R, after=0, size=TABLE_PT)
    spacer(doc, 6)
    return t


def caption(doc, text: str):
    return par(doc, (text, "i"), align=C, after=10, size=9)


def chart(doc, name: str, text: str):
    ctl(doc, "{%p if charts." + name + " %}")
    par(doc, "{{ charts." + name + " }}", align=C, after=2, keep=True)
    caption(doc, text)
    ctl(doc, "{%p endif %}")


def page_break(doc):
    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)


def _field(paragraph, instr: str):
    """A Word field (PAGE) in its own runs."""
    for kind, text in (("begin", None), (None, instr), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text == instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instr} "
            run._r.append(el)
        else:
            run.text = text
        run.font.size = Pt(9)


def header_footer(doc) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    head = section.header.paragraphs[0]
    for run in list(head.runs):  # the letters' "- PAGE -" (the report numbers its pages below)
        head._p.remove(run._r)
    head.alignment = R
    r = head.add_run("Laporan Layanan Informasi Publik Tahun {{ year }} — {{ office.short }}")
    r.font.size, r.italic = Pt(8.5), True
    r.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    foot = section.footer.paragraphs[0]
    foot.alignment = C
    lead = foot.add_run("Halaman ")
    lead.font.size = Pt(9)
    _field(foot, "PAGE")


# --------------------------------------------------------------------------- the report

VALUE_COLS = lambda label, w=9.0: [  # noqa: E731
    (label, "{{ r.label }}", w, L),
    ("Tahun {{ prev_year }}", "{{ r.previous }}", 3.0, R),
    ("Tahun {{ year }}", "{{ r.value }}", 3.0, R),
]


def title_page(doc) -> None:
    spacer(doc, 60)
    ctl(doc, "{%p if office.logo %}")
    par(doc, "{{ office.logo }}", align=C, after=18)
    ctl(doc, "{%p endif %}")
    par(doc, ("LAPORAN", "b"), align=C, after=4, size=22)
    par(doc, ("LAYANAN INFORMASI PUBLIK", "b"), align=C, after=4, size=22)
    par(doc, ("TAHUN {{ year }}", "b"), align=C, after=40, size=22)
    par(doc, "Periode 1 Januari – 31 Desember {{ year }}", align=C, after=80, size=12)
    par(doc, ("{{ office.ppid_name_upper }}", "b"), align=C, after=4, size=13)
    par(doc, ("{{ office.name }}", "b"), align=C, after=120, size=13)
    par(doc, "{{ office.address }}", align=C, after=2, size=10)
    par(doc, "{{ office.contact_line }}", align=C, after=24, size=10)
    par(doc, ("{{ office.city }}, {{ issued_month }}", "b"), align=C, after=0, size=12)
    page_break(doc)


def summary(doc) -> None:
    h1(doc, "RINGKASAN")
    body(doc, "Sepanjang tahun {{ year }}, PPID {{ office.short }} menerima "
              "{{ s.received }} permohonan, terdiri atas {{ s.information }} permohonan "
              "informasi publik, {{ s.consultation }} permohonan konsultasi, {{ s.objection }} "
              "keberatan, dan {{ s.complaint }} pengaduan, saran, dan masukan. "
              "{% if t.decided_n %}Dari {{ t.decided }} permohonan informasi yang telah dijawab, "
              "{{ t.on_time }} ({{ t.on_time_pct }}) dijawab dalam jangka waktu yang ditetapkan "
              "Undang-Undang Nomor 14 Tahun 2008, dengan median {{ t.median }} hari kerja."
              "{% else %}Belum ada permohonan informasi yang dijawab dengan pemberitahuan "
              "tertulis.{% endif %}")
    figures(doc, "for r in summary", VALUE_COLS("Indikator"))
    caption(doc, "Tabel 1. Indikator utama layanan informasi publik")


def chapter_policy(doc) -> None:
    h1(doc, "BAB I")
    h1(doc, "GAMBARAN UMUM KEBIJAKAN PELAYANAN INFORMASI PUBLIK")
    h2(doc, "A. Dasar Hukum")
    body(doc, "Pelayanan informasi publik di lingkungan {{ office.short }} diselenggarakan "
              "berdasarkan:")
    # Sources of these titles: pipeline/wording.py (legal phrases, one home). PKPU 22/2023
    # revoked PKPU 1/2015 and rests on Perki 1/2019 and Perki 1/2021.
    fixed_list(doc, [
        WD.UU_KIP + ";",
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
        "Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi;",
        WD.PP_61 + ";",
        WD.PERKI_2019 + ";",
        WD.PERKI_2021 + ";",
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 "
        "Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara "
        "Pelayanan Publik;",
        WD.PKPU_22_SHORT + ";",
        "Keputusan Komisi Pemilihan Umum Provinsi Nusa Tenggara Timur Nomor 129 Tahun 2022 "
        "tentang Penetapan Standar Pelayanan Publik pada Komisi Pemilihan Umum Provinsi Nusa "
        "Tenggara Timur.",
    ])
    h2(doc, "B. Standar Layanan")
    body(doc, "Standar pelayanan ditetapkan dalam Keputusan KPU Provinsi Nusa Tenggara Timur "
              "Nomor 129 Tahun 2022 untuk dua jenis layanan, yaitu Standar Pelayanan Data dan "
              "Informasi serta Standar Pelayanan Konsultasi, dengan ketentuan pokok:")
    fixed_list(doc, [
        "permohonan dapat disampaikan secara tidak langsung melalui surat, WhatsApp, pos-el, "
        "atau laman e-PPID ({{ office.eppid }}), maupun dengan datang langsung ke kantor;",
        "pemohon mencantumkan identitas, rincian informasi yang diminta, tujuan permohonan, "
        "serta sumber informasi, dan melampirkan salinan kartu identitas;",
        "jangka waktu pelayanan 1 (satu) jam sampai dengan {{ d.notice }} sejak permohonan "
        "diterima, dan dapat diperpanjang paling lama {{ d.extension }} dengan pemberitahuan "
        "tertulis (UU 14/2008 Pasal 22 ayat 7 dan 8); keberatan ditanggapi atasan PPID paling "
        "lambat {{ d.objection_answer }} (UU 14/2008 Pasal 36 ayat 2);",
        "layanan diberikan setiap hari kerja dan tidak dipungut biaya;",
        "informasi yang dikecualikan ditolak dengan menyebutkan alasan berdasarkan Pasal 17 "
        "UU 14/2008 dan hasil uji konsekuensi, dengan Keputusan PPID tentang Penolakan "
        "Permohonan Informasi Publik, disertai hak pemohon untuk mengajukan keberatan;",
        "data pribadi pemohon (nomor identitas, nomor telepon, alamat pos-el, dan alamat) "
        "dilindungi sesuai UU 27/2022 dan tidak dimuat dalam laporan ini.",
    ])


def chapter_implementation(doc) -> None:
    h1(doc, "BAB II")
    h1(doc, "GAMBARAN UMUM PELAKSANAAN PELAYANAN INFORMASI PUBLIK")
    h2(doc, "A. Sarana dan Prasarana")
    body(doc, "Pelayanan informasi publik didukung oleh sarana dan prasarana berikut:")
    bullets(doc, "for f in narrative.facilities", "{{ f }}")
    h2(doc, "B. Sumber Daya Manusia")
    body(doc, "Pelayanan dilaksanakan oleh pegawai yang ditugaskan dengan kompetensi "
              "sebagai berikut:")
    bullets(doc, "for f in narrative.staff", "{{ f }}")
    h2(doc, "C. Anggaran")
    body(doc, "{{ narrative.budget }}")
    h2(doc, "D. Saluran Layanan")
    body(doc, "{{ channel_text }}")
    figures(doc, "for r in by_channel", VALUE_COLS("Saluran"), total=["Jumlah", "{{ totals.previous }}", "{{ totals.value }}"])
    caption(doc, "Tabel 2. Permohonan menurut saluran")
    chart(doc, "channels", "Gambar 1. Permohonan menurut saluran, tahun {{ year }}")


def chapter_figures(doc) -> None:
    h1(doc, "BAB III")
    h1(doc, "RINCIAN PELAYANAN INFORMASI PUBLIK")
    h2(doc, "A. Jumlah Permohonan")
    body(doc, "Jumlah permohonan yang diterima menurut jenis layanan, dibandingkan dengan "
              "tahun sebelumnya:")
    figures(doc, "for r in by_service", VALUE_COLS("Jenis layanan"), total=["Jumlah", "{{ totals.previous }}", "{{ totals.value }}"])
    caption(doc, "Tabel 3. Permohonan menurut jenis layanan")
    body(doc, "Keadaan permohonan yang diterima pada tahun {{ year }} per {{ as_of }}:")
    figures(doc, "for r in by_state", VALUE_COLS("Keadaan"))
    caption(doc, "Tabel 4. Keadaan penyelesaian permohonan")
    chart(doc, "monthly", "Gambar 2. Permohonan diterima per bulan")
    figures(doc, "for r in monthly", [
        ("Bulan", "{{ r.month }}", 4.0, L),
        ("Diterima {{ prev_year }}", "{{ r.previous }}", 3.1, R),
        ("Diterima {{ year }}", "{{ r.received }}", 3.1, R),
        ("Dijawab {{ year }}", "{{ r.answered }}", 3.1, R),
        ("Tepat waktu", "{{ r.on_time }}", 3.2, R),
    ], total=["Jumlah", "{{ monthly_total.previous }}", "{{ monthly_total.received }}",
              "{{ monthly_total.answered }}", "{{ monthly_total.on_time }}"])
    caption(doc, "Tabel 5. Rekapitulasi bulanan (dijawab: pemberitahuan tertulis atau jawaban "
                 "yang diterbitkan pada bulan itu)")

    h2(doc, "B. Pemohon")
    figures(doc, "for r in by_kind", VALUE_COLS("Jenis pemohon"))
    caption(doc, "Tabel 6. Permohonan menurut jenis pemohon")

    h2(doc, "C. Hasil Permohonan Informasi")
    body(doc, "Hasil permohonan informasi publik yang telah diputus dengan pemberitahuan "
              "tertulis (UU 14/2008 Pasal 22 ayat 7):")
    figures(doc, "for r in outcomes", VALUE_COLS("Hasil"))
    caption(doc, "Tabel 7. Hasil permohonan informasi publik")
    chart(doc, "outcomes", "Gambar 3. Hasil permohonan informasi publik, tahun {{ year }}")
    body(doc, "Alasan pengecualian yang digunakan untuk menolak seluruhnya atau sebagian "
              "permohonan (UU 14/2008 Pasal 17; satu permohonan dapat menyebut lebih dari "
              "satu alasan):", keep=True)
    figures(doc, "for r in grounds", [
        ("Pasal 17 huruf", "{{ r.letter }}", 2.6, C),
        ("Alasan pengecualian", "{{ r.text }}", 10.4, L),
        ("Jumlah", "{{ r.value }}", 2.0, R),
    ])
    caption(doc, "Tabel 8. Alasan pengecualian yang digunakan, tahun {{ year }}")

    h2(doc, "D. Waktu Pelayanan")
    body(doc, "Waktu pelayanan dihitung dalam hari kerja sejak hari pertama setelah "
              "permohonan diterima lengkap hingga tanggal pemberitahuan tertulis. Batas waktu "
              "adalah {{ d.notice }}, atau {{ d.extended }} bila diperpanjang.")
    body(doc, "{{ regime_text }}")
    figures(doc, "for r in timeliness_rows", VALUE_COLS("Ukuran"))
    caption(doc, "Tabel 9. Waktu pelayanan permohonan informasi publik (hari kerja)")
    figures(doc, "for r in bands", [
        ("Lama pelayanan", "{{ r.label }}", 7.0, L),
        ("Tahun {{ prev_year }}", "{{ r.previous }}", 2.8, R),
        ("Tahun {{ year }}", "{{ r.value }}", 2.8, R),
        ("Persentase {{ year }}", "{{ r.pct }}", 2.4, R),
    ])
    caption(doc, "Tabel 10. Sebaran lama pelayanan")
    chart(doc, "days", "Gambar 4. Sebaran lama pelayanan terhadap batas {{ d.notice_short }}")

    h2(doc, "E. Permohonan yang Belum Lengkap")
    body(doc, "{{ incomplete_text }}")
    figures(doc, "for r in missing", [
        ("Kekurangan persyaratan", "{{ r.label }}", 12.5, L),
        ("Jumlah", "{{ r.value }}", 2.5, R),
    ])
    caption(doc, "Tabel 11. Kekurangan persyaratan yang tercatat")

    h2(doc, "F. Permohonan yang Belum Selesai pada Akhir Tahun")
    body(doc, "{{ backlog_text }}")
    figures(doc, "for r in oldest", [
        ("No. Register", "{{ r.register_no }}", 3.4, L),
        ("Layanan", "{{ r.service }}", 3.0, L),
        ("Diterima", "{{ r.received }}", 2.9, L),
        ("Tenggat", "{{ r.due }}", 2.9, L),
        ("Keterangan", "{{ r.state }}", 2.8, L),
    ])
    caption(doc, "Tabel 12. Permohonan tertua yang belum selesai per {{ backlog_date }}")

    h2(doc, "G. Konsultasi dan Pengaduan")
    body(doc, "{{ consultation_text }}")
    body(doc, "{{ complaint_text }}")


def chapter_objections(doc) -> None:
    h1(doc, "BAB IV")
    h1(doc, "KEBERATAN DAN SENGKETA INFORMASI PUBLIK")
    h2(doc, "A. Keberatan")
    body(doc, "{{ objection_text }}")
    figures(doc, "for r in objection_grounds", [
        ("Pasal 35 ayat (1) huruf", "{{ r.letter }}", 3.2, C),
        ("Alasan keberatan", "{{ r.text }}", 9.8, L),
        ("Jumlah", "{{ r.value }}", 2.0, R),
    ])
    caption(doc, "Tabel 13. Keberatan menurut alasan (UU 14/2008 Pasal 35 ayat 1)")
    figures(doc, "for r in objection_results", [
        ("Tanggapan atasan PPID", "{{ r.label }}", 12.5, L),
        ("Jumlah", "{{ r.value }}", 2.5, R),
    ])
    caption(doc, "Tabel 14. Tanggapan atas keberatan")
    body(doc, "{{ responses_text }}")
    # Perki 1/2021 Pasal 56: disputes at the Komisi Informasi, lawsuits at court and their
    # rulings, and how the rulings were carried out.
    h2(doc, "B. Sengketa Informasi Publik di Komisi Informasi")
    body(doc, "{{ dispute_text }}")
    h2(doc, "C. Gugatan ke Pengadilan")
    body(doc, "{{ lawsuit_text }}")
    h2(doc, "D. Pelaksanaan Putusan Komisi Informasi dan Pengadilan")
    body(doc, "{{ rulings_text }}")


def chapter_survey(doc) -> None:
    h1(doc, "BAB V")
    h1(doc, "SURVEI KEPUASAN MASYARAKAT")
    ctl(doc, "{%p if survey %}")
    body(doc, "Survei Kepuasan Masyarakat dilaksanakan sesuai Peraturan Menteri PANRB Nomor "
              "14 Tahun 2017 terhadap {{ survey.respondents }} responden atas sembilan unsur "
              "pelayanan, masing-masing dinilai 1 sampai 4. Indeks Kepuasan Masyarakat (IKM) "
              "tahun {{ year }} adalah {{ survey.ikm }} dengan mutu pelayanan "
              "{{ survey.grade }} ({{ survey.label }}).")
    figures(doc, "for r in survey.elements", [
        ("Kode", "{{ r.code }}", 1.4, C),
        ("Unsur pelayanan", "{{ r.name }}", 8.6, L),
        ("NRR", "{{ r.nrr }}", 1.8, R),
        ("Bobot", "{{ r.weight }}", 1.6, R),
        ("Nilai ×25", "{{ r.converted }}", 1.6, R),
    ], total=["", "IKM (NRR tertimbang × 25)", "{{ survey.index }}", "", "{{ survey.ikm }}"])
    caption(doc, "Tabel 15. Nilai per unsur pelayanan")
    chart(doc, "survey", "Gambar 5. Nilai per unsur pelayanan (skala 25–100)")
    ctl(doc, "{%p if survey.left_out %}")
    body(doc, "{{ survey.left_out }}")
    ctl(doc, "{%p endif %}")
    ctl(doc, "{%p else %}")
    body(doc, "Hasil Survei Kepuasan Masyarakat tahun {{ year }} belum tersedia pada saat "
              "laporan ini disusun.")
    ctl(doc, "{%p endif %}")


def chapter_close(doc) -> None:
    h1(doc, "BAB VI")
    h1(doc, "KENDALA PELAKSANAAN LAYANAN INFORMASI PUBLIK")
    # Perki 1/2021 Pasal 56: obstacles internal and external
    h2(doc, "A. Kendala Internal")
    bullets(doc, "for k in obstacles", "{{ k }}")
    h2(doc, "B. Kendala Eksternal")
    bullets(doc, "for k in obstacles_external", "{{ k }}")
    h1(doc, "BAB VII")
    h1(doc, "REKOMENDASI DAN RENCANA TINDAK LANJUT")
    bullets(doc, "for k in recommendations", "{{ k }}")
    h1(doc, "PENUTUP")
    body(doc, "Demikian Laporan Layanan Informasi Publik Tahun {{ year }} ini disusun "
              "sebagai pertanggungjawaban pelaksanaan pelayanan informasi publik dan "
              "diumumkan kepada masyarakat sesuai Undang-Undang Nomor 14 Tahun 2008 tentang "
              "Keterbukaan Informasi Publik. Laporan ini memuat angka agregat dan tidak memuat "
              "data pribadi pemohon. {{ submission_text }}", after=18)
    opts = dict(align=C, left=SIGN_LEFT, after=0, keep=True)
    par(doc, "{{ office.city }}, {{ date }}", **opts)
    par(doc, "{{ signatory.title }}", **opts)
    par(doc, "{{ signatory.office }},", **opts)
    par(doc, ("{{ signatory.name }}", "b"), before=56, **opts)
    ctl(doc, "{%p if signatory.nip %}")
    par(doc, "NIP {{ signatory.nip }}", align=C, left=SIGN_LEFT, after=0)
    ctl(doc, "{%p endif %}")


def build():
    doc = mt._new_document("Laporan Layanan Informasi Publik")
    doc.core_properties.comments = ("Templat laporan tahunan (docxtpl). Variabel: lihat "
                                    "pipeline/report.py, fungsi context().")
    _styles(doc)
    header_footer(doc)
    title_page(doc)
    summary(doc)
    chapter_policy(doc)
    chapter_implementation(doc)
    chapter_figures(doc)
    chapter_objections(doc)
    chapter_survey(doc)
    chapter_close(doc)
    return doc


def main(out: Path = HERE / "annual_report.docx") -> Path:
    build().save(out)
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "annual_report.docx"))
