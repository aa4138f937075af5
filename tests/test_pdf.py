"""pipeline.pdf with the real parts: LibreOffice, pypdf, reportlab, Pillow. No mocks."""

from __future__ import annotations

import os
import re
import signal
import struct
import subprocess
import time
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from docx.shared import Cm
from filelock import FileLock
from PIL import Image, ImageDraw, ImageFilter
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from pipeline.errors import PpidError
from pipeline.pdf import (
    AttachmentError,
    ConversionResult,
    ConverterPool,
    StampInfo,
    convert_to_pdf,
    read_stamp,
    sha256_file,
    stamp_incoming,
    stamp_letter,
    verification_code,
)

OFFICE = "KPU Provinsi Nusa Tenggara Timur"
REG = "0007/PPID/XI/2026"
LETTER_NO = "012/PP.01.1-SD/53/Prov/XI/2026"


def make_docx(path: Path, title: str, paragraphs: list[str], *, page_break: bool = False) -> Path:
    d = docx.Document()
    sec = d.sections[0]  # the letter templates: A4, 2.5 cm bottom margin, no footer
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin = sec.bottom_margin = sec.right_margin = Cm(2.5)
    sec.left_margin = Cm(3)
    d.add_paragraph(title)
    for p in paragraphs:
        d.add_paragraph(p)
    if page_break:
        d.add_page_break()
        d.add_paragraph("Demikian kami sampaikan, atas perhatian Saudara diucapkan terima kasih.")
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)
    return path


def our_soffice(cache: Path) -> list[str]:
    """soffice processes running with one of our test profiles (zombies have no cmdline)."""
    # a process killed a moment ago may take a few ms to be reaped: allow 2 s
    deadline = time.monotonic() + 2.0
    while True:
        out = subprocess.run(["pgrep", "-f", str(cache)], capture_output=True, text=True)
        if not out.stdout.split() or time.monotonic() > deadline:
            return out.stdout.split()
        time.sleep(0.1)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A private XDG cache, so the LibreOffice profiles (and pgrep) are ours alone."""
    root = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root))
        yield root / "ppid"


@pytest.fixture(scope="module")
def batch(tmp_path_factory, cache):
    """One real conversion batch: good letters, a broken one, a garbage one, a name clash."""
    src = tmp_path_factory.mktemp("docx")
    docs = [
        make_docx(src / "surat-1.docx", "Tanda Bukti Penerimaan Permohonan",
                  ["Dengan hormat, permohonan informasi publik Saudara telah kami terima."]),
        src / "rusak.docx",
        src / "rusak-2.docx",  # same worker as rusak.docx: retried after it, not with it
        make_docx(src / "surat-2.docx", "Pemberitahuan Kekurangan Persyaratan",
                  ["Permohonan Saudara belum memenuhi persyaratan: fotokopi KTP."]),
        src / "sampah.docx",
        make_docx(src / "surat-3.docx", "Pemberitahuan Tertulis",
                  ["Informasi yang Saudara mohon merupakan informasi yang dikecualikan."]),
        make_docx(src / "panjang.docx", "Surat Jawaban Konsultasi",
                  [f"Butir {i}. Pelayanan informasi publik di KPU Provinsi Nusa Tenggara Timur."
                   for i in range(1, 6)], page_break=True),
        make_docx(src / "lain" / "surat-1.docx", "Nama kembar", ["Berkas lain, nama sama."]),
    ]
    for broken in docs[1:3]:  # zips that claim to be Word documents: LibreOffice fails on them
        with zipfile.ZipFile(broken, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w:document><unclosed")
    docs[4].write_bytes(os.urandom(4096))
    out = tmp_path_factory.mktemp("pdf")
    # Slot 0 is busy (as if another ppid process held it): the workers must take others.
    cache.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache / "lo-profile-0.lock")):
        results = convert_to_pdf(docs, out, workers=2)
    return docs, out, results


@pytest.mark.slow  # LibreOffice
def test_batch_converts_good_letters_in_order(batch):
    docs, out, results = batch
    assert [r.docx for r in results] == docs
    assert all(isinstance(r, ConversionResult) for r in results)
    good = {0: "permohonan informasi publik Saudara", 3: "fotokopi KTP",
            5: "informasi yang dikecualikan"}
    for i, text in good.items():
        r = results[i]
        assert r.error is None and r.pdf == out / f"{docs[i].stem}.pdf"
        assert text in PdfReader(r.pdf).pages[0].extract_text()
    assert len(PdfReader(results[6].pdf).pages) == 2


@pytest.mark.slow  # LibreOffice
def test_bad_documents_fail_alone_with_a_reason(batch):
    docs, out, results = batch
    broken, broken2, garbage, clash = results[1], results[2], results[4], results[7]
    assert broken.pdf is None and "rusak.docx" in broken.error and "LibreOffice" in broken.error
    assert broken2.pdf is None and "rusak-2.docx" in broken2.error
    assert garbage.pdf is None and "sampah.docx" in garbage.error
    assert "not a Word document" in garbage.error
    assert clash.pdf is None and "same name" in clash.error
    assert not (out / "rusak.pdf").exists() and not (out / "sampah.pdf").exists()
    assert sorted(p.name for p in out.iterdir()) == [  # no temp dirs or half PDFs left
        "panjang.pdf", "surat-1.pdf", "surat-2.pdf", "surat-3.pdf"]


@pytest.mark.slow  # LibreOffice
def test_no_soffice_left_and_busy_profile_skipped(batch, cache):
    assert our_soffice(cache) == []
    assert not (cache / "lo-profile-0").exists()
    assert (cache / "lo-profile-1").is_dir() and (cache / "lo-profile-2").is_dir()


@pytest.mark.slow  # LibreOffice
def test_timeout_kills_the_process_group(batch, cache, tmp_path):
    docs, _, _ = batch
    results = convert_to_pdf([docs[0], docs[3]], tmp_path, workers=1,
                             chunk_timeout=0.2, per_doc_timeout=0.2)
    assert [r.pdf for r in results] == [None, None]
    assert all("did not finish within 0.2 s" in r.error for r in results)
    assert our_soffice(cache) == []
    assert list(tmp_path.iterdir()) == []


def running_on(profile: Path) -> list[int]:
    """Process ids of the soffice processes using a profile."""
    out = subprocess.run(["pgrep", "-f", f"UserInstallation={profile.as_uri()}"], capture_output=True, text=True)
    return [int(x) for x in out.stdout.split()]


@pytest.mark.slow  # LibreOffice
def test_pool_keeps_one_libreoffice_per_worker_for_the_batch(batch, cache, tmp_path):
    docs, _, _ = batch
    good = [docs[0], docs[3], docs[5]]
    with ConverterPool(2) as pool:
        pool.start()
        assert len(pool.profiles) == 2 and len(set(pool.profiles)) == 2
        # started before any document; the pids are taken once each instance is up, as
        # start-up may run short-lived helpers on the profile (javaldx, the restart
        # LibreOffice does after creating a fresh profile)
        assert all(pool.ready(k) for k in range(2))
        servers = {p: running_on(p) for p in pool.profiles}
        assert all(servers.values())
        for round_ in range(2):  # two chunks, one instance: no second start-up
            results = convert_to_pdf(good, tmp_path / f"r{round_}", workers=2, pool=pool)
            assert all(r.pdf is not None for r in results), [r.error for r in results]
            assert "informasi yang dikecualikan" in PdfReader(results[2].pdf).pages[0].extract_text()
        for profile, pids in servers.items():
            assert set(pids) <= set(running_on(profile)), "the warm instance was replaced"
        held = list(pool.profiles)
    assert our_soffice(cache) == []
    for profile in held:  # released: another run can take the slot again
        assert FileLock(str(profile) + ".lock", timeout=0).acquire()
        FileLock(str(profile) + ".lock").release(force=True)


@pytest.mark.slow  # LibreOffice
def test_a_stuck_pool_instance_is_killed_and_the_letter_converted_without_it(batch, cache, tmp_path):
    docs, _, _ = batch
    with ConverterPool(1) as pool:
        pool.start()
        profile = pool.profiles[0]
        assert pool.ready(0)
        frozen = running_on(profile)
        for pid in frozen:  # hung, as on a document it cannot get through
            try:
                os.kill(pid, signal.SIGSTOP)
            except ProcessLookupError:  # a start-up helper that has just ended (seen under load)
                pass
        t0 = time.monotonic()
        results = convert_to_pdf([docs[0], docs[3]], tmp_path / "a", workers=1, per_doc_timeout=5, pool=pool)
        took = time.monotonic() - t0
        # given up on after 5 s (no start-up allowance for a running instance), then
        # converted by soffice processes of their own
        assert [r.error for r in results] == [None, None]
        assert "permohonan informasi publik Saudara" in PdfReader(results[0].pdf).pages[0].extract_text()
        assert "fotokopi KTP" in PdfReader(results[1].pdf).pages[0].extract_text()
        assert 5 <= took < 60
        assert not set(frozen) & set(running_on(profile)), "the stuck instance is still there"
    assert our_soffice(cache) == []


# --- outgoing letters -------------------------------------------------------------

@pytest.fixture(scope="module")
def stamped(batch, tmp_path_factory):
    _, _, results = batch
    src = results[6].pdf
    code = verification_code(src.read_bytes())
    dst = tmp_path_factory.mktemp("stamped") / "panjang.pdf"
    digest = stamp_letter(src, dst, register_no=REG, letter_no=LETTER_NO, code=code,
                          qr_payload=f"https://ppid.kpu-nttprov.go.id/verifikasi/{code}")
    return src, dst, code, digest


def test_verification_code_is_short_and_typable():
    code = verification_code(b"%PDF-1.7 contoh")
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", code)
    assert code == verification_code(b"%PDF-1.7 contoh") != verification_code(b"%PDF-1.7 lain")
    assert not set(code) & set("01OI")  # no symbols a reader could confuse


@pytest.mark.slow  # LibreOffice
def test_stamp_letter_footer_on_every_page(stamped):
    _, dst, code, _ = stamped
    pages = PdfReader(dst).pages
    assert len(pages) == 2
    for n, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"Halaman {n} dari 2" in text
        assert f"Kode verifikasi: {code}" in text
        assert f"No. Registrasi: {REG}" in text and f"Nomor Surat: {LETTER_NO}" in text


@pytest.mark.slow  # LibreOffice
def test_stamp_letter_stays_in_the_bottom_margin(stamped):
    _, dst, _, _ = stamped
    page = PdfReader(dst).pages[1]
    ys = []

    def visit(text, cm, tm, font, size):
        if text.strip():  # y on the page = text matrix through the CTM
            ys.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    footer = [y for t, y in ys if "Halaman" in t or "Registrasi" in t]
    body = [y for t, y in ys if "Demikian" in t]
    assert footer and max(footer) < 2.0 * 72 / 2.54
    assert body and min(body) > 2.5 * 72 / 2.54 - 12


@pytest.mark.slow  # LibreOffice
def test_read_stamp_and_digest(stamped, tmp_path):
    src, dst, code, digest = stamped
    assert read_stamp(dst) == StampInfo(code, LETTER_NO, REG)
    assert read_stamp(src) is None  # an unstamped PDF is not a ppid letter
    assert digest == sha256_file(dst)
    altered = tmp_path / "altered.pdf"
    data = bytearray(dst.read_bytes())
    data[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(data))
    assert sha256_file(altered) != digest


@pytest.mark.slow  # LibreOffice
def test_read_stamp_falls_back_to_the_printed_footer(stamped, tmp_path):
    _, dst, code, _ = stamped
    writer = PdfWriter()
    for page in PdfReader(dst).pages:  # pages only: the custom metadata is gone
        writer.add_page(page)
    bare = tmp_path / "bare.pdf"
    writer.write(bare)
    assert read_stamp(bare) == StampInfo(code, LETTER_NO, REG)


@pytest.mark.slow  # LibreOffice
def test_stamp_letter_in_place(stamped, tmp_path):
    src, _, code, _ = stamped
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(src.read_bytes())
    digest = stamp_letter(copy, copy, register_no=REG, letter_no=LETTER_NO, code=code,
                          qr_payload=code)
    assert digest == sha256_file(copy) and read_stamp(copy).code == code
    assert [p.name for p in tmp_path.iterdir()] == ["copy.pdf"]  # no temp file left


@pytest.mark.slow  # LibreOffice
def test_stamp_is_appended_to_the_converters_pdf(stamped, caplog):
    """LibreOffice's PDF is kept byte for byte; the stamp is an incremental update (the
    hand-written writer of pdf/stamp.py) that strict readers (pypdf strict, poppler, qpdf
    --check) open without a complaint."""
    src, dst, code, _ = stamped
    original, stamped_bytes = src.read_bytes(), dst.read_bytes()
    assert stamped_bytes.startswith(original.rstrip(b"\n"))
    assert stamped_bytes.count(b"%%EOF") == original.count(b"%%EOF") + 1
    with caplog.at_level("WARNING"):
        reader = PdfReader(dst, strict=True)
        assert [("Halaman %d dari 2" % n) in p.extract_text() for n, p in enumerate(reader.pages, 1)] == [True, True]
        assert reader.metadata["/PPIDCode"] == code and reader.metadata["/Producer"]  # LibreOffice's own kept
    assert caplog.records == []
    info = subprocess.run(["pdfinfo", str(dst)], capture_output=True, text=True)
    assert info.returncode == 0 and re.search(r"^Pages:\s+2$", info.stdout, re.M) and not info.stderr.strip()
    check = subprocess.run(["qpdf", "--check", str(dst)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors found" in check.stdout, check.stdout
    assert not check.stderr.strip()  # not even a warning (qpdf exits 3 on warnings)


@pytest.mark.slow  # LibreOffice
def test_rotated_letter_is_stamped_by_a_full_rewrite_upright(stamped, tmp_path):
    src, _, code, _ = stamped
    writer = PdfWriter(clone_from=PdfReader(src))
    for page in writer.pages:
        page.rotate(90)
    turned = tmp_path / "turned.pdf"
    writer.write(turned)
    dst = tmp_path / "stamped.pdf"
    stamp_letter(turned, dst, register_no=REG, letter_no=LETTER_NO, code=code, qr_payload=code)
    reader = PdfReader(dst)
    assert dst.read_bytes().count(b"%%EOF") == 1  # rewritten, not appended
    assert all(p.rotation % 360 == 0 for p in reader.pages)
    assert f"Kode verifikasi: {code}" in reader.pages[1].extract_text()
    assert read_stamp(dst).code == code


# --- incoming letters -------------------------------------------------------------

def make_pdf(path: Path, pages: int = 2) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        c.setFont("Helvetica", 12)
        c.drawString(72, 770, "Kepada Yth. Ketua KPU Provinsi Nusa Tenggara Timur")
        c.drawString(72, 740, f"Perihal: Permohonan Informasi (halaman {n + 1})")
        c.showPage()
    c.save()
    return path


def make_photo(path: Path, fmt: str, *, orientation: int | None = None,
               alpha: bool = False) -> Path:
    size = (1600, 1200) if orientation == 6 else (1200, 1600)
    paper = (240, 236, 226, 128) if alpha else (240, 236, 226)
    img = Image.new("RGBA" if alpha else "RGB", size, paper)
    ImageDraw.Draw(img).rectangle([80, 80, size[0] - 80, size[1] - 80], outline="black", width=6)
    kwargs = {}
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif
    img.save(path, fmt, **kwargs)
    return path


def stamp(src: Path, dst: Path) -> Path:
    stamp_incoming(src, dst, office=OFFICE, register_no=REG,
                   received="20 November 2026 pukul 09.15 WITA", due="4 Desember 2026")
    return dst


@pytest.mark.parametrize("kind", ["pdf", "jpeg", "png"])
def test_stamp_incoming(kind, tmp_path):
    if kind == "pdf":
        src = make_pdf(tmp_path / "surat.pdf")
    elif kind == "jpeg":  # a sideways WhatsApp photo: EXIF says rotate 90 degrees
        src = make_photo(tmp_path / "IMG-20261120-WA0001.jpg", "JPEG", orientation=6)
    else:
        src = make_photo(tmp_path / "tangkapan.png", "PNG", alpha=True)
    dst = stamp(src, tmp_path / "out" / "diterima.pdf")
    reader = PdfReader(dst)
    text = reader.pages[0].extract_text()
    for expected in ("DITERIMA", OFFICE, f"No. Reg.: {REG}",
                     "Tanggal: 20 November 2026 pukul 09.15 WITA",
                     "Batas jawaban: 4 Desember 2026"):
        assert expected in text
    if kind == "pdf":
        assert len(reader.pages) == 2 and "DITERIMA" not in reader.pages[1].extract_text()
        assert "Kepada Yth." in text
    else:
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait


def page_image(pdf: Path):
    """The one image XObject on page 1 of an image page: (its dictionary, its raw stream)."""
    page = PdfReader(pdf).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    (name,) = list(xobjects)
    obj = xobjects[name].get_object()
    return obj, obj._data


def test_upright_photo_of_a_normal_size_is_embedded_byte_for_byte(tmp_path):
    src = tmp_path / "IMG-WA0002.jpg"
    Image.new("RGB", (900, 1200), (240, 236, 226)).save(src, "JPEG", quality=80)
    obj, raw = page_image(stamp(src, tmp_path / "d.pdf"))
    assert obj["/Filter"] == "/DCTDecode" and raw == src.read_bytes()  # no second lossy compression
    assert (obj["/Width"], obj["/Height"], obj["/ColorSpace"]) == (900, 1200, "/DeviceRGB")


@pytest.mark.parametrize("case", ["rotated", "huge", "grey", "cmyk"])
def test_photos_that_must_change_are_redrawn(case, tmp_path):
    src = tmp_path / f"{case}.jpg"
    if case == "rotated":
        make_photo(src, "JPEG", orientation=6)
    elif case == "huge":  # wider than 200 dpi on the page: scaled down
        Image.new("RGB", (4000, 5000), (200, 200, 200)).save(src, "JPEG")
    elif case == "grey":
        Image.new("L", (800, 1000), 200).save(src, "JPEG")
    else:
        Image.new("CMYK", (800, 1000), (0, 0, 0, 30)).save(src, "JPEG")
    obj, raw = page_image(stamp(src, tmp_path / "d.pdf"))
    if case == "grey":  # upright grey of a normal size: as it is, grey
        assert raw == src.read_bytes() and obj["/ColorSpace"] == "/DeviceGray"
        return
    if case == "rotated":  # stored 1600 x 1200, EXIF says turn it: turned on the page, not encoded again
        from pipeline.pdf.incoming import clean_jpeg

        assert raw == clean_jpeg(src.read_bytes())[0] and b"Exif" not in raw
        assert (obj["/Width"], obj["/Height"]) == (1600, 1200)
        return
    assert raw != src.read_bytes() and obj["/Filter"] == "/DCTDecode"
    with Image.open(__import__("io").BytesIO(raw)) as im:  # a JPEG a viewer can show
        assert im.mode == "RGB" and im.size == (obj["/Width"], obj["/Height"])
        if case == "huge":
            assert im.width < 4000


def test_png_scan_goes_in_losslessly(tmp_path):
    src = tmp_path / "pindaian.png"
    img = Image.new("L", (600, 800), 255)
    ImageDraw.Draw(img).rectangle([50, 50, 550, 750], outline=0, width=3)
    img.save(src)
    obj, raw = page_image(stamp(src, tmp_path / "d.pdf"))
    assert obj["/Filter"] == "/FlateDecode" and obj["/ColorSpace"] == "/DeviceGray"
    assert zlib.decompress(raw) == img.tobytes()


def png_bomb(path: Path, side: int = 60000) -> Path:
    """A tiny PNG whose header claims side x side pixels."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(b"\0" * 1024)) + chunk(b"IEND", b""))
    return path


def bad_attachment(kind: str, d: Path) -> Path:
    if kind == "encrypted":
        w = PdfWriter(clone_from=make_pdf(d / "x.pdf"))
        w.encrypt("rahasia", algorithm="RC4-128")
        w.write(d / "terkunci.pdf")
        return d / "terkunci.pdf"
    if kind == "truncated":
        data = make_pdf(d / "x.pdf").read_bytes()
        (d / "terpotong.pdf").write_bytes(data[: len(data) // 2])
        return d / "terpotong.pdf"
    if kind == "empty":
        (d / "kosong.pdf").write_bytes(b"")
        return d / "kosong.pdf"
    if kind == "not_pdf":
        (d / "bukan.pdf").write_text("ini bukan PDF")
        return d / "bukan.pdf"
    if kind == "fake_jpg":
        (d / "foto.jpg").write_text("<html>bukan gambar</html>")
        return d / "foto.jpg"
    if kind == "truncated_jpg":
        data = make_photo(d / "x.jpg", "JPEG").read_bytes()
        (d / "foto-putus.jpg").write_bytes(data[: len(data) // 3])
        return d / "foto-putus.jpg"
    if kind == "bomb":
        return png_bomb(d / "bom.png")
    if kind == "unsupported":
        return make_docx(d / "surat.docx", "Surat", ["isi"])
    if kind == "missing":
        return d / "hilang.pdf"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["encrypted", "truncated", "empty", "not_pdf", "fake_jpg",
                                  "truncated_jpg", "bomb", "unsupported", "missing"])
def test_bad_attachment_is_refused_by_name(kind, tmp_path):
    src = bad_attachment(kind, tmp_path)
    dst = tmp_path / "out.pdf"
    with pytest.raises(AttachmentError) as err:
        stamp(src, dst)
    assert src.name in str(err.value)
    assert isinstance(err.value, PpidError) and err.value.__cause__ is None
    assert not dst.exists()


def test_bomb_is_refused_before_decoding(tmp_path):
    with pytest.raises(AttachmentError, match="too large"):
        stamp(png_bomb(tmp_path / "bom.png"), tmp_path / "out.pdf")


def test_read_stamp_refuses_a_damaged_pdf(tmp_path):
    with pytest.raises(AttachmentError, match="kosong.pdf"):
        read_stamp(bad_attachment("empty", tmp_path))


# --- where the receipt stamp goes: over nothing the letter says (issue 13 part 2) ---------

def render(pdf: Path, page: int = 1, dpi: int = 72):
    """Page of pdf as poppler draws it (rotation applied), grey, one pixel a point at 72 dpi."""
    import numpy as np

    out = subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                          str(pdf), str(pdf.with_suffix(""))], capture_output=True)
    assert out.returncode == 0, out.stderr
    with Image.open(pdf.with_suffix(".pgm")) as im:
        return np.asarray(im, dtype=np.int16)


def assert_covers_nothing(original: Path, stamped: Path, placement) -> None:
    """The page under the stamp's box was blank, and the stamped page differs from the
    original only inside that box: the stamp hides no text, line or picture."""
    import numpy as np

    before = render(original)
    if placement.where == "cover":  # the letter itself comes after, untouched
        assert np.array_equal(render(stamped, 2), before)
        return
    after = render(stamped, placement.page + 1)
    assert after.shape == before.shape
    rows = before.shape[0]
    x0, y0, x1, y1 = placement.box
    top, bottom, left, right = rows - int(np.ceil(y1)), rows - int(y0), int(x0), int(np.ceil(x1))
    assert before[top:bottom, left:right].min() >= 230, "the stamp covers ink"
    # ink that was not there (paper within 2 px before; a rotated page's glyphs may land a
    # pixel off when redrawn upright) must all be inside the box
    near = np.asarray(Image.fromarray(before.astype("uint8")).filter(ImageFilter.MinFilter(5)), dtype=np.int16)
    new = (after < 200) & (near > 230)
    new[max(0, top - 2):bottom + 2, max(0, left - 2):right + 2] = False
    assert not new.any(), "the stamp was drawn outside the box it reports"
    assert (after[top:bottom, left:right] < 200).any()  # and it is there


def letter_pdf(path: Path, *, lines, size=A4, rotate: int = 0) -> Path:
    """A letter of the given text lines [(x, y, text, font size)], optionally /Rotate-d."""
    c = canvas.Canvas(str(path), pagesize=size)
    for x, y, text, pt in lines:
        c.setFont("Helvetica", pt)
        c.drawString(x, y, text)
    c.showPage()
    c.save()
    if rotate:
        w = PdfWriter(clone_from=PdfReader(path))
        w.pages[0].rotate(rotate)
        w.write(path)
    return path


def test_full_page_letter_gets_a_cover_page(tmp_path):
    """Text from edge to edge, top to bottom: no room on the letter, so the stamp goes on a
    page of its own before it, and the letter stays as it was."""
    lines = [(20, y, "Dengan hormat, kami mengajukan permohonan informasi publik sebagai berikut: " * 2, 10)
             for y in range(820, 10, -12)]
    src = letter_pdf(tmp_path / "penuh.pdf", lines=lines)
    dst = tmp_path / "penuh-diterima.pdf"
    placement = stamp_incoming(src, dst, office=OFFICE, register_no=REG,
                               received="20 November 2026 pukul 09.15 WITA", due="4 Desember 2026")
    assert placement.where == "cover" and placement.page == 0
    reader = PdfReader(dst)
    assert len(reader.pages) == 2
    assert "DITERIMA" in reader.pages[0].extract_text() and "DITERIMA" not in reader.pages[1].extract_text()
    assert_covers_nothing(src, dst, placement)


def test_text_at_the_top_right_is_left_uncovered(tmp_path):
    lines = [(380, 800, "Kupang, 19 November 2026", 11), (380, 786, "Nomor: 12/FPPD/XI/2026", 11),
             (380, 772, "Lampiran: salinan Kartu Tanda Penduduk", 11), (380, 740, "Kepada Yth. Ketua KPU", 11),
             (380, 726, "Provinsi Nusa Tenggara Timur", 11), (380, 712, "di Kupang", 11)]
    lines += [(72, y, "Dengan hormat, bersama ini kami mengajukan permohonan informasi publik.", 11)
              for y in range(660, 80, -14)]
    src = letter_pdf(tmp_path / "kanan-atas.pdf", lines=lines)
    dst = tmp_path / "kanan-atas-diterima.pdf"
    placement = stamp_incoming(src, dst, office=OFFICE, register_no=REG,
                               received="20 November 2026 pukul 09.15 WITA", due="4 Desember 2026")
    assert placement.where == "top" and placement.box[2] < 380  # beside the text block, not over it
    assert_covers_nothing(src, dst, placement)


def test_rotated_page_is_stamped_upright_over_nothing(tmp_path):
    """A landscape-scanned letter whose page says /Rotate 90: the stamp goes where the
    reader sees the top, and over no text."""
    lines = [(72, y, "Perihal: Permohonan Informasi Publik tentang daftar pemilih tetap", 11)
             for y in range(760, 400, -14)]
    src = letter_pdf(tmp_path / "putar.pdf", lines=lines, rotate=90)
    dst = tmp_path / "putar-diterima.pdf"
    placement = stamp_incoming(src, dst, office=OFFICE, register_no=REG,
                               received="20 November 2026 pukul 09.15 WITA", due="4 Desember 2026")
    assert PdfReader(dst).pages[0].rotation % 360 == 0
    assert placement.where in ("top", "bottom")
    assert_covers_nothing(src, dst, placement)


def test_photographed_letter_with_exif_rotation_is_not_covered(tmp_path):
    """A phone photo stored sideways (EXIF orientation 6): drawn upright below a strip kept
    blank for the stamp; the stamp and the photo do not overlap."""
    src = tmp_path / "IMG-20261120-WA0007.jpg"
    img = Image.new("RGB", (1600, 1200), (236, 232, 220))
    d = ImageDraw.Draw(img)
    for x in range(100, 1500, 40):  # lines of "text" across the whole sheet (stored sideways)
        d.line([(x, 60), (x, 1140)], fill=(30, 30, 30), width=8)
    exif = Image.Exif()
    exif[0x0112] = 6
    img.save(src, "JPEG", exif=exif)
    dst = tmp_path / "foto-diterima.pdf"
    placement = stamp_incoming(src, dst, office=OFFICE, register_no=REG,
                               received="20 November 2026 pukul 09.15 WITA", due="4 Desember 2026")
    assert placement.where == "photo"
    page = PdfReader(dst).pages[0]
    m = re.search(rb"q ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) cm /Im0 Do Q",
                  page.get_contents().get_data())
    a, b, c, d, e, f = (float(v) for v in m.groups())  # the stored picture turned by the matrix
    w, h, x, y = abs(a) + abs(c), abs(b) + abs(d), e + min(a, 0) + min(c, 0), f + min(b, 0) + min(d, 0)
    assert h > w  # upright: EXIF applied
    x0, y0, x1, y1 = placement.box
    assert y0 > y + h or x1 < x or x0 > x + w  # the stamp lies outside the photo
    shot = render(dst)
    rows = shot.shape[0]
    assert shot[rows - int(y + h) + 5:rows - int(y) - 5, int(x) + 5:int(x + w) - 5].min() < 80  # the photo's ink is there


def test_bundled_example_no_longer_hides_its_lampiran_line(tmp_path):
    """The stamp used to hide "Kartu Tanda Penduduk" on the Lampiran line of the bundled
    example letter."""
    src = Path(__file__).resolve().parent.parent / "examples" / "inbox" / "lampiran" / "surat-maria-bria.pdf"
    dst = tmp_path / "diterima.pdf"
    placement = stamp_incoming(src, dst, office=OFFICE, register_no=REG,
                               received="20 November 2026 pukul 09.15 WITA", due="4 Desember 2026")
    copy = tmp_path / "asli.pdf"
    copy.write_bytes(src.read_bytes())
    assert_covers_nothing(copy, dst, placement)
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(src), "-"], capture_output=True,
                          text=True).stdout
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(Kartu|Tanda|Penduduk)<', html)
    assert len(words) == 3
    x0, y0, x1, y1 = placement.box
    height = float(PdfReader(src).pages[0].mediabox.height)
    for wx0, wy0, wx1, wy1, word in words:
        top, bottom = height - float(wy0), height - float(wy1)  # pdftotext counts y from the top
        assert float(wx1) < x0 or float(wx0) > x1 or bottom > y1 or top < y0, f"{word} is under the stamp"


@pytest.mark.slow  # a fresh ppid process
def test_pypdf_repair_warnings_stay_off_stderr(tmp_path):
    """pypdf logs what it repairs ("incorrect startxref pointer"); with no logging set up
    Python printed that on stderr, in the middle of ppid's output (issue 12 item 12)."""
    import sys

    src = make_pdf(tmp_path / "rusak-xref.pdf", pages=1)
    data = src.read_bytes()
    i = data.rindex(b"startxref") + len(b"startxref")
    src.write_bytes(data[:i] + b"\n1" + data[i:].lstrip(b"\r\n"))  # a wrong offset: pypdf repairs it
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "records").mkdir()
    p = subprocess.run([sys.executable, "-m", "pipeline", "verify", str(src), "--records", str(tmp_path / "records"),
                        "--config", str(root / "config")], cwd=root, capture_output=True, text=True, timeout=120)
    assert p.returncode == 1
    assert p.stderr.strip().splitlines() == [f"NOT VERIFIED: {src} carries no ppid verification code"], p.stderr
