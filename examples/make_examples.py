"""Regenerate the attachments of the example inbox (scanned letters and identity cards).

The request files in ``inbox/`` are hand-written; this script reads them and draws what
they point to: ``letter`` as a PDF (reportlab), a JPEG "photo" or a PNG "scan"
(Pillow), chosen by the file extension, and ``requester.identity.copy`` as a specimen
identity card (KTP, passport data page or press card). Everything drawn is fictitious
and marked SPESIMEN / CONTOH; identity numbers are padded with zeros on purpose.

    .venv/bin/python examples/make_examples.py [INBOX]

Output is deterministic (fixed seeds, reportlab ``invariant``), so re-running does not
change the files' digests and ``ppid run`` sees nothing new.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
OFFICE_ADDRESS = "Jln. Polisi Militer Nomor 1, Oebobo"
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]
FORM_LABELS = {"softcopy": "salinan elektronik (softcopy)", "hardcopy": "salinan cetak (hardcopy)",
               "view": "melihat/membaca di tempat"}
DELIVERY_LABELS = {"pickup": "diambil langsung", "email": "e-mail", "whatsapp": "WhatsApp",
                   "post": "pos"}
ID_LABELS = {"ktp": "Kartu Tanda Penduduk", "passport": "paspor", "other": "kartu identitas"}

# What the request files do not say: where and when the letter was written, the
# letterhead and signatory of an organization, and what the identity card shows.
EXTRAS: dict[str, dict] = {
    "2026-11-20-maria-bria": dict(
        place="Kupang", letter_date="2026-11-19", occupation="Mahasiswi FISIP Universitas Nusa Cendana",
        card=dict(region="KOTA KUPANG", birth="KUPANG, 14-03-2003", sex="PEREMPUAN", rtrw="005/002",
                  village="OEBOBO", district="OEBOBO", religion="KATOLIK", marital="BELUM KAWIN",
                  job="PELAJAR/MAHASISWA", style="color")),
    "2026-11-16-yoakim-tefa": dict(
        place="Kupang", letter_date="2026-11-16", occupation="Ketua RT 012 Kelurahan Oebobo",
        card=dict(region="KOTA KUPANG", birth="SOE, 02-07-1978", sex="LAKI-LAKI", rtrw="012/004",
                  village="OEBOBO", district="OEBOBO", religion="KRISTEN", marital="KAWIN",
                  job="WIRASWASTA", style="fotokopi")),
    "2026-11-19-kristoforus-lena": dict(
        place="Kupang", letter_date="2026-11-19", number="021/WF/XI/2026",
        kop=["WARTA FLOBAMORA", "Media Berita Daring Nusa Tenggara Timur",
             "Jl. Timor Raya Km 7, Oesapa, Kupang  -  redaksi@wartaflobamora.example.com"],
        signer=("Kristoforus Lena", "Pemimpin Redaksi"), stamp="WARTA FLOBAMORA",
        card=dict(kind="press", org="WARTA FLOBAMORA", role="PEMIMPIN REDAKSI",
                  valid="31-12-2026")),
    "2026-11-18-theresia-mau": dict(
        card=dict(region="KABUPATEN MALAKA", birth="BETUN, 21-09-1996", sex="PEREMPUAN", rtrw="002/001",
                  village="BERELIKU", district="MALAKA TENGAH", religion="KATOLIK", marital="BELUM KAWIN",
                  job="KARYAWAN SWASTA", style="color")),
    "2026-11-13-gabriel-da-costa": dict(
        card=dict(region="KABUPATEN BELU", birth="ATAMBUA, 30-05-1991", sex="LAKI-LAKI", rtrw="009/003",
                  village="FATUBENAO", district="KOTA ATAMBUA", religion="KATOLIK", marital="KAWIN",
                  job="GURU", style="fotokopi")),
    "2026-11-16-agustina-ndolu": dict(
        place="Kupang", letter_date="2026-11-13", number="034/PSKNL/XI/2026",
        kop=["PUSAT STUDI KEPEMILUAN NUSA LONTAR", "Kajian Demokrasi dan Tata Kelola Pemilu",
             "Jl. Adisucipto No. 88, Penfui, Kupang  -  pskn.lontar@example.org"],
        signer=("Dr. Agustina Ndolu, M.Si.", "Direktur"), stamp="NUSA LONTAR",
        card=dict(region="KOTA KUPANG", birth="BA'A, 11-11-1979", sex="PEREMPUAN", rtrw="014/005",
                  village="PENFUI", district="MAULAFA", religion="KRISTEN", marital="KAWIN",
                  job="DOSEN", style="color")),
    "2026-11-23-benediktus-seran": dict(
        place="Atambua", letter_date="2026-11-20", occupation="Koordinator Pemantau Pemilu Perbatasan",
        card=dict(region="KABUPATEN BELU", birth="ATAMBUA, 08-08-1985", sex="LAKI-LAKI", rtrw="003/002",
                  village="TENUKIIK", district="KOTA ATAMBUA", religion="KATOLIK", marital="KAWIN",
                  job="PETANI/PEKEBUN", style="color")),
    "2026-11-24-marselina-nalle": dict(
        place="Kupang", letter_date="2026-11-23", number="017/PFB/XI/2026",
        kop=["PERKUMPULAN FLOBAMORA BERSUARA", "Lembaga Swadaya Masyarakat untuk Pemilu Jujur dan Adil",
             "Jl. Cak Doko No. 21, Oetete, Kupang  -  Telp. 0380-000000"],
        signer=("Yohanis Daud Lay", "Ketua"), stamp="FLOBAMORA BERSUARA",
        delegate=("Marselina Nalle", "Koordinator Program")),
    "2026-11-05-umbu-remi-hunggu": dict(
        place="Waingapu", letter_date="2026-11-02", occupation="Wiraswasta"),
    # inbox-2026-12-03: the next week
    "2026-12-02-umbu-remi-hunggu-susulan": dict(
        place="Waingapu", letter_date="2026-11-02", occupation="Wiraswasta",
        card=dict(region="KABUPATEN SUMBA TIMUR", birth="WAINGAPU, 09-09-1985", sex="LAKI-LAKI",
                  rtrw="003/001", village="KAMBAJAWA", district="KOTA WAINGAPU", religion="KRISTEN",
                  marital="KAWIN", job="WIRASWASTA", style="color")),
    "2026-12-01-kristoforus-lena-keberatan": dict(
        place="Kupang", letter_date="2026-11-30", number="024/WF/XI/2026", notice="16/HM.02-SD/53/2026",
        kop=["WARTA FLOBAMORA", "Media Berita Daring Nusa Tenggara Timur",
             "Jl. Timor Raya Km 7, Oesapa, Kupang  -  redaksi@wartaflobamora.example.com"],
        signer=("Kristoforus Lena", "Pemimpin Redaksi"), stamp="WARTA FLOBAMORA",
        argument=("Nota dinas tentang pengadaan logistik yang kami mohon menyangkut pengadaan yang "
                  "telah selesai dilaksanakan dan dibiayai anggaran negara, sehingga menurut kami "
                  "tidak lagi tepat dikecualikan. Kami mohon Atasan PPID memeriksa kembali uji "
                  "konsekuensi atas informasi tersebut."),
        card=dict(kind="press", org="WARTA FLOBAMORA", role="PEMIMPIN REDAKSI", valid="31-12-2026")),
    "2026-12-01-yohana-bili": dict(
        place="Kupang", letter_date="2026-12-01", occupation="Ketua RT 004 Kelurahan Kota Raja",
        card=dict(region="KOTA KUPANG", birth="KUPANG, 05-05-1982", sex="PEREMPUAN", rtrw="004/002",
                  village="KOTA RAJA", district="KOTA RAJA", religion="KRISTEN", marital="KAWIN",
                  job="MENGURUS RUMAH TANGGA", style="color")),
    "2026-12-02-dominggus-ratu-keberatan": dict(
        card=dict(region="KOTA KUPANG", birth="SEBA, 12-12-1969", sex="LAKI-LAKI", rtrw="007/003",
                  village="OEBOBO", district="OEBOBO", religion="KRISTEN", marital="KAWIN",
                  job="PENSIUNAN", style="color")),
    "2026-12-02-stefanus-lake-konsultasi": dict(
        place="Ba'a", letter_date="2026-11-30", occupation="Mahasiswa Universitas Nusa Cendana",
        card=dict(region="KABUPATEN ROTE NDAO", birth="BA'A, 14-02-2002", sex="LAKI-LAKI", rtrw="002/001",
                  village="MOKDALE", district="LOBALAIN", religion="KRISTEN", marital="BELUM KAWIN",
                  job="PELAJAR/MAHASISWA", style="fotokopi")),
    # inbox-2027-01-20: an objection in time (counted from notice_received) and a late one (walk-in)
    "2027-01-15-gabriel-da-costa-keputusan-baru": dict(
        card=dict(region="KABUPATEN BELU", birth="ATAMBUA, 30-05-1991", sex="LAKI-LAKI", rtrw="009/003",
                  village="FATUBENAO", district="KOTA ATAMBUA", religion="KATOLIK", marital="KAWIN",
                  job="GURU", style="fotokopi")),
    "2027-01-18-marselina-nalle-keberatan": dict(
        place="Kupang", letter_date="2027-01-15", number="002/PFB/I/2027", notice="27/HM.02-SD/53/2026",
        kop=["PERKUMPULAN FLOBAMORA BERSUARA", "Lembaga Swadaya Masyarakat untuk Pemilu Jujur dan Adil",
             "Jl. Cak Doko No. 21, Oetete, Kupang  -  Telp. 0380-000000"],
        signer=("Yohanis Daud Lay", "Ketua"), stamp="FLOBAMORA BERSUARA",
        argument=("Pemberitahuan tertulis yang kami ambil di Front Office pada 3 Desember 2026 "
                  "menyatakan putusan Mahkamah Konstitusi tidak dikuasai. Kami mohon Atasan PPID "
                  "memeriksa kembali apakah KPU Provinsi Nusa Tenggara Timur, yang melakukan "
                  "supervisi atas KPU Kabupaten Sumba Barat Daya, menyimpan salinannya."),
        card=dict(region="KOTA KUPANG", birth="KUPANG, 22-08-1988", sex="PEREMPUAN", rtrw="003/001",
                  village="OETETE", district="OEBOBO", religion="KRISTEN", marital="BELUM KAWIN",
                  job="KARYAWAN SWASTA", style="color")),
    "2026-11-04-yasinta-wangge": dict(
        place="Ende", letter_date="2026-11-03", occupation="Mahasiswi Universitas Flores",
        card=dict(region="KABUPATEN ENDE", birth="ENDE, 17-01-2004", sex="PEREMPUAN", rtrw="001/004",
                  village="ONEKORE", district="ENDE TENGAH", religion="ISLAM", marital="BELUM KAWIN",
                  job="PELAJAR/MAHASISWA", style="color")),
    "2026-11-06-fransiska-moa-parera": dict(
        place="Maumere", letter_date="2026-11-05", occupation="Pegiat diskusi mahasiswa",
        card=dict(region="KABUPATEN SIKKA", birth="MAUMERE, 25-12-1999", sex="PEREMPUAN", rtrw="004/002",
                  village="KOTA UNENG", district="ALOK", religion="KATOLIK", marital="BELUM KAWIN",
                  job="KARYAWAN SWASTA", style="fotokopi")),
    "2026-11-19-paulus-bata": dict(
        place="Ende", letter_date="2026-11-17", number="100.2/145/Tapem/XI/2026",
        kop=["PEMERINTAH KABUPATEN ENDE", "SEKRETARIAT DAERAH",
             "Jl. El Tari, Potulando, Ende  -  tapem.ende@example.org"],
        signer=("Paulus Bata, S.Sos., M.Si.", "Kepala Bagian Tata Pemerintahan"), stamp="SETDA KAB. ENDE",
        card=dict(region="KABUPATEN ENDE", birth="ENDE, 09-04-1975", sex="LAKI-LAKI", rtrw="006/002",
                  village="POTULANDO", district="ENDE TENGAH", religion="KATOLIK", marital="KAWIN",
                  job="PEGAWAI NEGERI SIPIL", style="color")),
    "2026-11-16-kornelis-jehadu": dict(
        place="Labuan Bajo", letter_date="2026-11-10", number="009/FPPD-MB/XI/2026",
        kop=["FORUM PEMUDA PEDULI DEMOKRASI MANGGARAI BARAT", "Organisasi Kemasyarakatan Pemuda",
             "Jl. Soekarno-Hatta, Labuan Bajo  -  fppd.mabar@example.org"],
        signer=("Kornelis Jehadu", "Ketua"), stamp="FPPD MABAR",
        card=dict(region="KABUPATEN MANGGARAI BARAT", birth="RUTENG, 03-10-1997", sex="LAKI-LAKI",
                  rtrw="002/001", village="LABUAN BAJO", district="KOMODO", religion="KATOLIK",
                  marital="BELUM KAWIN", job="WIRASWASTA", style="fotokopi")),
    "2026-11-24-agustinus-kolo": dict(
        place="Soe", letter_date="2026-11-21", occupation="Mahasiswa",
        card=dict(region="KABUPATEN TIMOR TENGAH SELATAN", birth="SOE, 19-06-2002", sex="LAKI-LAKI",
                  rtrw="010/003", village="KARANG SIRI", district="KOTA SOE", religion="KRISTEN",
                  marital="BELUM KAWIN", job="PELAJAR/MAHASISWA", style="color")),
    "2026-11-23-dominggus-ratu": dict(
        place="Kupang", letter_date="2026-11-23", occupation="Warga Kelurahan Oebobo",
        card=dict(region="KOTA KUPANG", birth="SEBA, 12-12-1969", sex="LAKI-LAKI", rtrw="007/003",
                  village="OEBOBO", district="OEBOBO", religion="KRISTEN", marital="KAWIN",
                  job="PENSIUNAN", style="color")),
    "2026-11-24-sarah-lindqvist": dict(
        place="Kupang", letter_date="2026-11-24", occupation="Peneliti doktoral (ilmu politik)",
        card=dict(kind="passport", surname="LINDQVIST", given="SARAH", birth="01 JAN 1990",
                  sex="F", issued="01 JAN 2020", expires="01 JAN 2030")),
}


# ----------------------------------------------------------------------------- text


def tanggal(value) -> str:
    """A date the Indonesian way: '19 November 2026'."""
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def letter_blocks(req: dict, extra: dict) -> list[tuple]:
    """The letter as a list of blocks, shared by the PDF, photo and scan renderers."""
    who = req.get("requester") or {}
    service = req.get("service")
    consult = service == "consultation"
    org = extra.get("kop") is not None
    ident = who.get("identity") or {}
    blocks: list[tuple] = []
    if org:
        blocks.append(("kop", extra["kop"]))
    place = extra.get("place", "Kupang")
    blocks.append(("right", f"{place}, {tanggal(extra.get('letter_date') or req['received'])}"))
    lampiran = "-"
    if ident.get("copy"):
        lampiran = f"1 (satu) lembar salinan {ID_LABELS.get(ident.get('type'), 'identitas')}"
    hal = "Permohonan Konsultasi" if consult else "Permohonan Informasi Publik"
    if org:
        blocks.append(("field", "Nomor", extra.get("number", "-")))
    blocks += [("field", "Lampiran", lampiran), ("field", "Perihal", hal), ("gap",)]
    blocks += [("line", "Kepada Yth."), ("line", req.get("addressed_to") or "Ketua KPU Provinsi Nusa Tenggara Timur"),
               ("line", OFFICE_ADDRESS), ("line", "di Kupang"), ("gap",),
               ("line", "Dengan hormat,")]
    what = "konsultasi" if consult else "informasi publik"
    if org:
        signer_name, signer_title = extra["signer"]
        intro = (f"Yang bertanda tangan di bawah ini, {signer_title} {who.get('organization')}, "
                 f"dengan ini mengajukan permohonan {what} kepada Komisi Pemilihan Umum Provinsi "
                 f"Nusa Tenggara Timur")
        if extra.get("delegate"):
            d_name, d_title = extra["delegate"]
            intro += (f", dan menugaskan Sdr./Sdri. {d_name} ({d_title}) untuk menyampaikan "
                      f"permohonan ini secara langsung")
        blocks.append(("para", intro + ", dengan keterangan sebagai berikut:"))
        blocks.append(("field", "Narahubung", who.get("name")))
    else:
        blocks.append(("para", "Saya yang bertanda tangan di bawah ini:"))
        blocks.append(("field", "Nama", who.get("name")))
        if extra.get("occupation"):
            blocks.append(("field", "Pekerjaan", extra["occupation"]))
    blocks.append(("field", "Alamat", who.get("address")))
    if who.get("phone"):
        blocks.append(("field", "Telepon/WA", who["phone"]))
    if who.get("email"):
        blocks.append(("field", "E-mail", who["email"]))
    blocks.append(("gap",))
    if consult:
        blocks.append(("para", f"{'Kami' if org else 'Saya'} bermaksud berkonsultasi mengenai: "
                               f"{req.get('topic')}."))
    else:
        blocks.append(("para", f"dengan ini {'kami' if org else 'saya'} mengajukan permohonan informasi "
                               "publik sebagai berikut:" if not org else "Informasi yang kami mohon:"))
        for n, item in enumerate(req.get("information") or [], 1):
            blocks.append(("item", f"{n}.", item))
    if req.get("purpose"):
        blocks.append(("para", f"Maksud dan tujuan permohonan ini adalah: {req['purpose']}."))
    if req.get("source"):
        blocks.append(("para", f"{'Kami' if org else 'Saya'} mengetahui adanya informasi tersebut dari "
                               f"{req['source']}."))
    if not consult and req.get("form"):
        blocks.append(("para", f"Informasi mohon diberikan dalam bentuk {FORM_LABELS[req['form']]} dan "
                               f"disampaikan melalui {DELIVERY_LABELS.get(req.get('delivery'), 'e-mail')}."))
    blocks.append(("para", f"Demikian permohonan ini {'kami' if org else 'saya'} sampaikan. Atas perhatian "
                           "dan kerja sama Bapak/Ibu, diucapkan terima kasih."))
    if org:
        blocks.append(("sign", extra["signer"][0], f"{extra['signer'][1]},", extra.get("stamp")))
    else:
        blocks.append(("sign", who.get("name"), "Hormat saya,", None))
    return blocks


def squiggle(seed: str, n: int = 60) -> list[tuple[float, float]]:
    """A hand signature as a polyline in a unit box, the same for the same name.

    A few loops of varying height drift to the right, then a flourish back under them:
    points of a smooth curve through random knots (quadratic midpoint smoothing).
    """
    rng = random.Random(seed)
    knots, x = [(0.0, rng.uniform(0.3, 0.6))], 0.0
    for i in range(rng.randint(6, 9)):
        x += rng.uniform(0.06, 0.16)
        up = i % 2 == 0
        knots.append((x + rng.uniform(-0.05, 0.02), rng.uniform(0.65, 1.0) if up else rng.uniform(0.05, 0.4)))
    knots.append((min(x + 0.12, 1.0), 0.3))
    knots.append((rng.uniform(0.05, 0.25), rng.uniform(0.05, 0.2)))  # flourish under the name
    mids = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) for a, b in zip(knots, knots[1:])]
    pts: list[tuple[float, float]] = [knots[0]]
    per = max(3, n // len(mids))
    for (p0, c1, p2) in zip([knots[0]] + mids[:-1], knots[1:], mids):
        for k in range(1, per + 1):
            t = k / per
            pts.append(((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * c1[0] + t * t * p2[0],
                        (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * c1[1] + t * t * p2[1]))
    hi = max(px for px, _ in pts) or 1.0
    return [(px / hi, py) for px, py in pts]


# ----------------------------------------------------------------------------- PDF


def draw_pdf(path: Path, blocks: list[tuple], seed: str) -> None:
    """A scanned-looking A4 letter: off-white paper, a slight skew, a blue-ink signature."""
    w, h = A4
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle("Surat permohonan (contoh)")
    c.setAuthor("contoh / spesimen")
    c.setFillColorRGB(0.975, 0.97, 0.955)
    c.rect(0, 0, w, h, stroke=0, fill=1)
    c.translate(w / 2, h / 2)
    c.rotate(0.35)  # a scanner never feeds quite straight
    c.translate(-w / 2, -h / 2)
    left, right, y = 2.6 * cm, w - 2.3 * cm, h - 2.2 * cm
    body = "Times-Roman"
    c.setFillColorRGB(0.08, 0.08, 0.1)

    def text_lines(txt, x, width, font=body, size=11.5, lead=15):
        nonlocal y
        for ln in simpleSplit(txt, font, size, width):
            c.setFont(font, size)
            c.drawString(x, y, ln)
            y -= lead

    for b in blocks:
        kind = b[0]
        if kind == "kop":
            lines = b[1]
            c.setFont("Times-Bold", 15)
            c.drawCentredString(w / 2, y, lines[0])
            y -= 16
            c.setFont("Times-Italic", 11)
            c.drawCentredString(w / 2, y, lines[1])
            y -= 13
            c.setFont("Times-Roman", 9.5)
            c.drawCentredString(w / 2, y, lines[2])
            y -= 8
            c.setLineWidth(2)
            c.line(left - 0.3 * cm, y, right + 0.3 * cm, y)
            c.setLineWidth(0.6)
            c.line(left - 0.3 * cm, y - 3, right + 0.3 * cm, y - 3)
            y -= 22
        elif kind == "right":
            c.setFont(body, 11.5)
            c.drawRightString(right, y, b[1])
            y -= 20
        elif kind == "field":
            c.setFont(body, 11.5)
            c.drawString(left, y, b[1])
            c.drawString(left + 2.6 * cm, y, ":")
            text_lines(str(b[2] or "-"), left + 2.9 * cm, right - left - 2.9 * cm)
        elif kind == "line":
            text_lines(b[1], left, right - left)
        elif kind == "para":
            y -= 3
            text_lines(b[1], left, right - left)
        elif kind == "item":
            c.setFont(body, 11.5)
            c.drawString(left + 0.4 * cm, y, b[1])
            text_lines(b[2], left + 1.1 * cm, right - left - 1.1 * cm)
        elif kind == "gap":
            y -= 8
        elif kind == "sign":
            name, over, stamp = b[1], b[2], b[3]
            x0 = right - 6.2 * cm
            y -= 12
            c.setFont(body, 11.5)
            c.drawString(x0, y, over)
            if stamp:
                c.saveState()
                c.setStrokeColorRGB(0.35, 0.25, 0.6)
                c.setFillColorRGB(0.35, 0.25, 0.6)
                c.setLineWidth(1.4)
                cx, cy = x0 - 0.2 * cm, y - 1.6 * cm
                c.circle(cx, cy, 1.4 * cm)
                c.circle(cx, cy, 1.1 * cm)
                fs = min(6.0, 1.9 * cm / c.stringWidth(stamp, "Helvetica-Bold", 1))
                c.setFont("Helvetica-Bold", fs)
                c.drawCentredString(cx, cy + 2, stamp)
                c.setFont("Helvetica", 5.5)
                c.drawCentredString(cx, cy - 7, "CAP / CONTOH")
                c.restoreState()
            c.saveState()
            c.setStrokeColorRGB(0.1, 0.2, 0.55)
            c.setLineWidth(1.2)
            pts = squiggle(seed)
            bx, by, bw, bh = x0 + 0.3 * cm, y - 2.3 * cm, 4.2 * cm, 1.7 * cm
            p = c.beginPath()
            p.moveTo(bx + pts[0][0] * bw, by + pts[0][1] * bh)
            for px, py in pts[1:]:
                p.lineTo(bx + px * bw, by + py * bh)
            c.setLineJoin(1)
            c.setLineCap(1)
            c.drawPath(p, stroke=1, fill=0)
            c.restoreState()
            y -= 2.8 * cm
            c.setFont("Times-Bold", 11.5)
            c.drawString(x0, y, name)
            c.setLineWidth(0.6)
            c.line(x0, y - 2, x0 + c.stringWidth(name, "Times-Bold", 11.5), y - 2)
            y -= 16
    c.setFont("Helvetica", 7)
    c.setFillColorRGB(0.55, 0.55, 0.55)
    c.drawCentredString(w / 2, 1.2 * cm, "CONTOH / SPESIMEN - dokumen fiktif untuk demonstrasi ppid")
    c.showPage()
    c.save()


# ----------------------------------------------------------------------------- images

FONT_FILES = {
    "serif": ["DejaVuSerif.ttf", "LiberationSerif-Regular.ttf"],
    "serif-bold": ["DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf"],
    "sans": ["DejaVuSans.ttf", "LiberationSans-Regular.ttf"],
    "sans-bold": ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"],
    "mono": ["DejaVuSansMono.ttf", "LiberationMono-Regular.ttf"],
}
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation2"),
             Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/TTF")]


def font(kind: str, size: int) -> ImageFont.FreeTypeFont:
    """A system TrueType font when there is one, else Pillow's built-in one."""
    for name in FONT_FILES[kind]:
        for d in FONT_DIRS:
            if (d / name).exists():
                return ImageFont.truetype(str(d / name), size)
    return ImageFont.load_default(size=size)


def wrap(draw: ImageDraw.ImageDraw, txt: str, fnt, width: int) -> list[str]:
    """Greedy word wrap to a pixel width."""
    words, lines, cur = txt.split(), [], ""
    for w in words:
        trial = f"{cur} {w}".strip()
        if draw.textlength(trial, font=fnt) <= width or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def render_page(blocks: list[tuple], seed: str, width: int = 760) -> Image.Image:
    """The letter drawn on a white A4 page, as an RGB image."""
    height = int(width * 1.414)
    page = Image.new("RGB", (width, height), (252, 251, 247))
    d = ImageDraw.Draw(page)
    size = max(11, width // 48)
    f, fb = font("serif", size), font("serif-bold", size + 1)
    lead = int(size * 1.42)
    left, right, y = int(width * 0.11), int(width * 0.91), int(width * 0.07)
    ink = (25, 25, 30)

    def lines(txt, x, w, fnt=f):
        nonlocal y
        for ln in wrap(d, txt, fnt, w):
            d.text((x, y), ln, font=fnt, fill=ink)
            y += lead

    for b in blocks:
        kind = b[0]
        if kind == "kop":
            for i, t in enumerate(b[1]):
                fnt = font("serif-bold", size + 5) if i == 0 else font("serif", size - (0 if i == 1 else 2))
                tw = d.textlength(t, font=fnt)
                d.text(((width - tw) / 2, y), t, font=fnt, fill=ink)
                y += lead + (4 if i == 0 else 0)
            d.line((left - 10, y, right + 10, y), fill=ink, width=3)
            y += lead
        elif kind == "right":
            tw = d.textlength(b[1], font=f)
            d.text((right - tw, y), b[1], font=f, fill=ink)
            y += lead + 4
        elif kind == "field":
            d.text((left, y), b[1], font=f, fill=ink)
            d.text((left + int(width * 0.16), y), ":", font=f, fill=ink)
            lines(str(b[2] or "-"), left + int(width * 0.18), right - left - int(width * 0.18))
        elif kind == "line":
            lines(b[1], left, right - left)
        elif kind == "para":
            y += 3
            lines(b[1], left, right - left)
        elif kind == "item":
            d.text((left + 8, y), b[1], font=f, fill=ink)
            lines(b[2], left + 30, right - left - 30)
        elif kind == "gap":
            y += lead // 2
        elif kind == "sign":
            name, over = b[1], b[2]
            x0 = right - int(width * 0.36)
            y += lead // 2
            d.text((x0, y), over, font=f, fill=ink)
            pts = squiggle(seed)
            bw, bh, by = int(width * 0.24), int(lead * 2.4), y + lead
            d.line([(x0 + 10 + px * bw, by + (1 - py) * bh) for px, py in pts], fill=(20, 45, 130), width=2,
                   joint="curve")
            y += lead * 4
            d.text((x0, y), name, font=fb, fill=ink)
            y += lead
            d.line((x0, y, x0 + d.textlength(name, font=fb), y), fill=ink, width=1)
    foot = "CONTOH / SPESIMEN - dokumen fiktif"
    ff = font("sans", max(9, size - 3))
    d.text(((width - d.textlength(foot, font=ff)) / 2, height - lead * 2), foot, font=ff, fill=(150, 150, 150))
    return page


def draw_photo(path: Path, blocks: list[tuple], seed: str) -> None:
    """A phone photo of the printed letter lying on a table (JPEG)."""
    page = render_page(blocks, seed, width=700)
    page = page.rotate(-2.5, resample=Image.BICUBIC, expand=True, fillcolor=(0, 0, 0))
    mask = Image.new("L", page.size, 0)
    ImageDraw.Draw(mask).polygon(_rotated_rect(700, int(700 * 1.414), -2.5, page.size), fill=255)
    w, h = 780, 1080
    photo = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(photo)
    for yy in range(h):  # wooden table: warm brown with a few grain streaks
        t = yy / h
        d.line((0, yy, w, yy), fill=(int(112 - 30 * t), int(78 - 22 * t), int(52 - 16 * t)))
    rng = random.Random(seed)
    for _ in range(40):
        yy = rng.randrange(h)
        d.line((0, yy, w, yy + rng.randint(-6, 6)), fill=(92, 62, 40), width=1)
    pw, ph = page.size
    scale = min((w - 40) / pw, (h - 40) / ph)
    page = page.resize((int(pw * scale), int(ph * scale)), Image.LANCZOS)
    mask = mask.resize(page.size, Image.LANCZOS)
    ox, oy = (w - page.size[0]) // 2 + 6, (h - page.size[1]) // 2
    shadow = Image.new("L", page.size, 0)
    shadow.paste(mask, (0, 0))
    photo.paste((40, 28, 20), (ox + 8, oy + 10), shadow.filter(ImageFilter.GaussianBlur(6)))
    photo.paste(page, (ox, oy), mask)
    # uneven light from a window on the left
    light = Image.linear_gradient("L").rotate(90).resize((w, h))
    photo = Image.composite(photo, Image.new("RGB", (w, h), (30, 26, 22)), light.point(lambda v: 200 + v // 5))
    photo = photo.filter(ImageFilter.GaussianBlur(0.6))
    photo.save(path, "JPEG", quality=60, optimize=True)


def _rotated_rect(w: int, h: int, angle: float, size: tuple[int, int]) -> list[tuple[float, float]]:
    """Corners of a w x h rectangle rotated by angle degrees and centred in size."""
    a = math.radians(angle)
    cx, cy = size[0] / 2, size[1] / 2
    out = []
    for x, y in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        out.append((cx + x * math.cos(a) + y * math.sin(a), cy - x * math.sin(a) + y * math.cos(a)))
    return out


def draw_scan(path: Path, blocks: list[tuple], seed: str) -> None:
    """A grey flatbed scan of the letter (PNG, 16 grey levels to stay small)."""
    page = render_page(blocks, seed, width=800).convert("L")
    page = page.rotate(0.6, resample=Image.BICUBIC, expand=False, fillcolor=235)
    page = page.point(lambda v: min(255, int(v * 0.93 + 12)))
    page = page.quantize(colors=16)
    page.save(path, "PNG", optimize=True)


# ----------------------------------------------------------------------------- identity cards


def _watermark(card: Image.Image, text: str = "SPESIMEN / CONTOH") -> Image.Image:
    """A big diagonal red stamp across the card."""
    w, h = card.size
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    size = int(h * 0.15)
    fnt = font("sans-bold", size)
    while d.textlength(text, font=fnt) > 0.82 * w and size > 10:
        size -= 2
        fnt = font("sans-bold", size)
    tw = d.textlength(text, font=fnt)
    d.text(((w - tw) / 2, h * 0.40), text, font=fnt, fill=(205, 20, 20, 150))
    layer = layer.rotate(18, resample=Image.BICUBIC)
    out = Image.alpha_composite(card.convert("RGBA"), layer)
    d = ImageDraw.Draw(out)
    small = font("sans-bold", max(10, int(h * 0.035)))
    note = "TIDAK BERLAKU - DATA FIKTIF UNTUK CONTOH"
    d.text((w - d.textlength(note, font=small) - 10, h - small.size - 8), note, font=small, fill=(205, 20, 20, 255))
    return out.convert("RGB")


def _silhouette(d: ImageDraw.ImageDraw, box: tuple[int, int, int, int], bg, fg) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=bg)
    cx, w, h = (x0 + x1) / 2, x1 - x0, y1 - y0
    d.ellipse((cx - w * 0.22, y0 + h * 0.16, cx + w * 0.22, y0 + h * 0.52), fill=fg)
    d.chord((cx - w * 0.42, y0 + h * 0.56, cx + w * 0.42, y1 + h * 0.45), 180, 360, fill=fg)


def draw_ktp(path: Path, who: dict, card: dict, seed: str) -> None:
    """A specimen KTP-el (front), in colour or as a grey photocopy on paper."""
    w, h = 640, 404
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for yy in range(h):
        t = yy / h
        d.line((0, yy, w, yy), fill=(int(170 + 50 * t), int(205 + 30 * t), int(235 + 15 * t)))
    rng = random.Random(seed)
    for _ in range(18):  # guilloche-like faint waves
        y0 = rng.randint(0, h)
        d.arc((-200, y0 - 300, w + 200, y0 + 300), 200, 340, fill=(160, 195, 225), width=1)
    hf, lf, vf, nf = font("sans-bold", 17), font("sans", 13), font("sans", 13), font("mono", 20)
    for i, t in enumerate(["PROVINSI NUSA TENGGARA TIMUR", card["region"]]):
        tw = d.textlength(t, font=hf)
        d.text(((w - tw) / 2, 10 + i * 22), t, font=hf, fill=(10, 10, 10))
    ident = who.get("identity") or {}
    d.text((22, 60), "NIK", font=font("sans-bold", 19), fill=(10, 10, 10))
    d.text((110, 60), ": " + str(ident.get("number", "")), font=nf, fill=(10, 10, 10))
    rows = [
        ("Nama", who.get("name", "").upper()),
        ("Tempat/Tgl Lahir", card["birth"]),
        ("Jenis Kelamin", card["sex"]),
        ("Alamat", (who.get("address") or "").split(",")[0].upper()[:30]),
        ("   RT/RW", card["rtrw"]),
        ("   Kel/Desa", card["village"]),
        ("   Kecamatan", card["district"]),
        ("Agama", card["religion"]),
        ("Status Perkawinan", card["marital"]),
        ("Pekerjaan", card["job"]),
        ("Kewarganegaraan", "WNI"),
        ("Berlaku Hingga", "SEUMUR HIDUP"),
    ]
    y = 94
    for k, v in rows:
        d.text((22, y), k, font=lf, fill=(20, 20, 20))
        d.text((150, y), ": " + v, font=vf, fill=(20, 20, 20))
        y += 22
    _silhouette(d, (470, 80, 600, 250), (200, 40, 40), (235, 225, 215))
    d.text((478, 262), card["region"].split()[-1][:12], font=font("sans", 12), fill=(20, 20, 20))
    d.text((490, 280), "01-01-2020", font=font("sans", 12), fill=(20, 20, 20))
    pts = squiggle(seed + "ktp")
    d.line([(475 + px * 120, 300 + (1 - py) * 36) for px, py in pts], fill=(20, 20, 20), width=2)
    img = _watermark(img)
    if card.get("style") == "fotokopi":
        img = _photocopy(img)
    img.save(path, "JPEG", quality=60, optimize=True)


def _photocopy(card: Image.Image) -> Image.Image:
    """The card as a grey photocopy on a strip of paper, slightly skewed."""
    g = card.convert("L").point(lambda v: min(255, int(v * 1.1)))
    g = g.rotate(-1.5, resample=Image.BICUBIC, expand=True, fillcolor=245)
    paper = Image.new("L", (g.size[0] + 80, g.size[1] + 80), 245)
    paper.paste(g, (40, 40))
    return paper.filter(ImageFilter.GaussianBlur(0.5)).convert("RGB")


def draw_passport(path: Path, who: dict, card: dict, seed: str) -> None:
    """A specimen passport data page of the ICAO specimen state Utopia (code UTO)."""
    w, h = 720, 500
    img = Image.new("RGB", (w, h), (236, 232, 245))
    d = ImageDraw.Draw(img)
    rng = random.Random(seed)
    for _ in range(30):
        x0 = rng.randint(-200, w)
        d.ellipse((x0, -100, x0 + 420, h + 100), outline=(215, 208, 232))
    d.text((30, 18), "UTOPIA  -  PASPOR / PASSPORT  (SPESIMEN)", font=font("sans-bold", 20), fill=(40, 30, 90))
    _silhouette(d, (30, 70, 210, 300), (215, 220, 230), (150, 150, 165))
    ident = who.get("identity") or {}
    rows = [("Jenis / Type", "P"), ("Kode / Code", "UTO"), ("No. Paspor / Passport No.", ident.get("number", "")),
            ("Nama keluarga / Surname", card["surname"]), ("Nama / Given names", card["given"]),
            ("Kewarganegaraan / Nationality", "UTOPIAN"), ("Tgl. lahir / Date of birth", card["birth"]),
            ("Jenis kelamin / Sex", card["sex"]), ("Tgl. dikeluarkan / Date of issue", card["issued"]),
            ("Berlaku s.d. / Date of expiry", card["expires"])]
    lf, vf = font("sans", 11), font("sans-bold", 15)
    y = 66
    for i, (k, v) in enumerate(rows):
        x = 235 if i % 2 == 0 else 480
        if i % 2 == 0 and i:
            y += 46
        d.text((x, y), k, font=lf, fill=(70, 60, 110))
        d.text((x, y + 14), str(v), font=vf, fill=(15, 15, 25))
    mono = font("mono", 19)
    num = str(ident.get("number", "")).ljust(9, "<")
    mrz1 = f"P<UTO{card['surname']}<<{card['given']}".ljust(44, "<")[:44]
    mrz2 = f"{num}0UTO9001011{card['sex']}3001012".ljust(42, "<") + "00"
    d.rectangle((0, 380, w, h), fill=(246, 244, 250))
    d.text((20, 400), mrz1, font=mono, fill=(10, 10, 10))
    d.text((20, 432), mrz2[:44], font=mono, fill=(10, 10, 10))
    img = _watermark(img, "SPESIMEN / SPECIMEN")
    img.save(path, "JPEG", quality=60, optimize=True)


def draw_press_card(path: Path, who: dict, card: dict, seed: str) -> None:
    """A specimen press card (identity type `other`)."""
    w, h = 640, 404
    img = Image.new("RGB", (w, h), (250, 250, 250))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, w, 78), fill=(18, 70, 120))
    d.text((24, 14), card["org"], font=font("serif-bold", 30), fill=(255, 255, 255))
    d.text((26, 52), "Media Berita Daring Nusa Tenggara Timur", font=font("sans", 13), fill=(210, 225, 240))
    d.text((24, 96), "KARTU PERS", font=font("sans-bold", 26), fill=(18, 70, 120))
    ident = who.get("identity") or {}
    rows = [("Nama", who.get("name", "")), ("Jabatan", card["role"]), ("Nomor", ident.get("number", "")),
            ("Berlaku s.d.", card["valid"])]
    y = 146
    for k, v in rows:
        d.text((24, y), k, font=font("sans", 15), fill=(60, 60, 60))
        d.text((150, y), ": " + str(v), font=font("sans-bold", 16), fill=(20, 20, 20))
        y += 32
    _silhouette(d, (470, 100, 610, 280), (30, 90, 160), (225, 220, 210))
    pts = squiggle(seed + "pers")
    d.line([(440 + px * 150, 300 + (1 - py) * 40) for px, py in pts], fill=(20, 45, 130), width=2)
    d.text((440, 346), "Pemimpin Umum", font=font("sans", 12), fill=(60, 60, 60))
    d.rectangle((0, h - 10, w, h), fill=(18, 70, 120))
    img = _watermark(img)
    img.save(path, "JPEG", quality=60, optimize=True)


# ----------------------------------------------------------------------------- main


def objection_blocks(req: dict, extra: dict) -> list[tuple]:
    """An organization's letter of objection (keberatan, UU KIP Pasal 35) to the Atasan PPID."""
    from pipeline.letters import PASAL35

    who = req.get("requester") or {}
    signer_name, signer_title = extra["signer"]
    blocks: list[tuple] = [
        ("kop", extra["kop"]),
        ("right", f"{extra.get('place', 'Kupang')}, {tanggal(extra.get('letter_date') or req['received'])}"),
        ("field", "Nomor", extra.get("number", "-")),
        ("field", "Lampiran", f"1 (satu) lembar salinan {ID_LABELS.get((who.get('identity') or {}).get('type'), 'identitas')}"),
        ("field", "Perihal", "Keberatan atas Permohonan Informasi Publik"), ("gap",),
        ("line", "Kepada Yth."), ("line", req.get("addressed_to") or "Ketua KPU Provinsi Nusa Tenggara Timur"),
        ("line", "c.q. Atasan Pejabat Pengelola Informasi dan Dokumentasi"),
        ("line", OFFICE_ADDRESS), ("line", "di Kupang"), ("gap",), ("line", "Dengan hormat,"),
        ("para", f"Yang bertanda tangan di bawah ini, {signer_title} {who.get('organization')}, dengan ini "
                 f"mengajukan keberatan atas permohonan informasi publik kami nomor registrasi "
                 f"{req['objection_to']} yang dijawab dengan pemberitahuan tertulis Nomor {extra['notice']}, "
                 f"dengan keterangan sebagai berikut:"),
        ("field", "Narahubung", who.get("name")), ("field", "Alamat", who.get("address")),
        ("field", "Telepon/WA", who.get("phone")), ("field", "E-mail", who.get("email")), ("gap",),
        ("para", "Alasan keberatan sebagaimana dimaksud dalam Pasal 35 ayat (1) Undang-Undang Nomor 14 "
                 "Tahun 2008 tentang Keterbukaan Informasi Publik:"),
    ]
    for g in req.get("grounds") or []:
        blocks.append(("item", f"{g}.", PASAL35[g]))
    blocks += [
        ("para", extra["argument"]),
        ("para", "Demikian keberatan ini kami sampaikan. Atas perhatian Bapak/Ibu, diucapkan terima kasih."),
        ("sign", signer_name, f"{signer_title},", extra.get("stamp")),
    ]
    return blocks


def inside(inbox: Path, yaml_file: Path, rel: str) -> Path:
    """The attachment's path; refuses one that leaves the inbox."""
    p = (yaml_file.parent / rel).resolve()
    if inbox not in p.parents:
        raise SystemExit(f"{yaml_file.name}: attachment {rel!r} is outside {inbox}")
    return p


def main(argv: list[str]) -> int:
    inbox = Path(argv[0]).resolve() if argv else HERE / "inbox"
    made = 0
    for f in sorted(inbox.glob("*.yaml")):
        req = yaml.safe_load(f.read_text(encoding="utf-8"))
        extra = EXTRAS.get(f.stem, {})
        who = req.get("requester") or {}
        seed = f.stem
        if req.get("letter"):
            out = inside(inbox, f, req["letter"])
            out.parent.mkdir(parents=True, exist_ok=True)
            blocks = (objection_blocks if req.get("service") == "objection" else letter_blocks)(req, extra)
            suffix = out.suffix.lower()
            if suffix == ".pdf":
                draw_pdf(out, blocks, seed)
            elif suffix in (".jpg", ".jpeg"):
                draw_photo(out, blocks, seed)
            elif suffix == ".png":
                draw_scan(out, blocks, seed)
            else:
                raise SystemExit(f"{f.name}: no drawer for letter {out.name}")
            made += 1
            print(f"{out.relative_to(inbox)}  ({out.stat().st_size // 1024} KiB)")
        copy = (who.get("identity") or {}).get("copy")
        if copy:
            out = inside(inbox, f, copy)
            out.parent.mkdir(parents=True, exist_ok=True)
            card = extra.get("card")
            if card is None:
                raise SystemExit(f"{f.name}: EXTRAS has no card for {copy}")
            drawer = {"passport": draw_passport, "press": draw_press_card}.get(card.get("kind"), draw_ktp)
            drawer(out, who, card, seed)
            made += 1
            print(f"{out.relative_to(inbox)}  ({out.stat().st_size // 1024} KiB)")
    total = sum(p.stat().st_size for p in inbox.rglob("*") if p.is_file())
    print(f"{made} attachments written; inbox total {total / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
