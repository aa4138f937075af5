"""The DITERIMA receipt stamp on the requester's own letter (a PDF or a photo of it)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.pdf.draw import A4, CM, pdf_num, Ops, overlay_page, make_upright, text_width, write_pdf
from pipeline.pdf.reading import IMAGE_DPI, IMAGE_SUFFIXES, AttachmentError, load_image, open_pdf, read_file_bytes

_STAMP_RGB = (0.07, 0.19, 0.53)  # dark blue stamp ink


@dataclass
class _Receipt:
    """The receipt box, laid out: size, and each text line as (x, y from the top, ...)."""

    w: float
    h: float
    scale: float
    rule_y: float
    texts: list[tuple[float, float, str, str, float]]  # (dx, dy, text, font, size)

    def ops(self, x: float, y: float) -> bytes:
        """Draw the box with its top-left corner at (x, y + h)."""
        s, top = self.scale, y + self.h
        col = b"%s %s %s" % tuple(pdf_num(c) for c in _STAMP_RGB)
        ops = Ops().raw(b"q 1 g ").rect(x, y, self.w, self.h).raw(b"f\n")
        ops.raw(b"%s RG %s w " % (col, pdf_num(1.6 * s))).rect(x, y, self.w, self.h).raw(b"S\n")
        inset = 2.6 * s  # double border, like a rubber stamp
        ops.raw(b"%s w " % pdf_num(0.6 * s))
        ops.rect(x + inset, y + inset, self.w - 2 * inset, self.h - 2 * inset).raw(b"S\n")
        pad = _RECEIPT_PAD * s
        ops.raw(b"%s %s m %s %s l S\n" % (pdf_num(x + pad), pdf_num(top - self.rule_y),
                                           pdf_num(x + self.w - pad), pdf_num(top - self.rule_y)))
        for dx, dy, text, font, size in self.texts:
            ops.text(x + dx, top - dy, text, font, size, _STAMP_RGB)
        return ops.raw(b"Q\n").data()


_RECEIPT_PAD = 9.0
_RECEIPT_TITLE = 16.0
_RECEIPT_BODY = 9.0


def _receipt(office: str, register_no: str, received: str, due: str, scale: float,
             max_w: float, note: str = "") -> _Receipt:
    import textwrap

    body = [(office, "Helvetica-Bold"), (f"No. Reg.: {register_no}", "Helvetica"),
            (f"Tanggal: {received}", "Helvetica"), (f"Batas jawaban: {due}", "Helvetica")]
    body += [(line, "Helvetica") for line in textwrap.wrap(note, 40)]
    pad = _RECEIPT_PAD * scale
    big, small = _RECEIPT_TITLE * scale, _RECEIPT_BODY * scale
    widest = max([text_width("DITERIMA", "Helvetica-Bold", big)]
                 + [text_width(t, f, small) for t, f in body])
    if widest + 2 * pad > max_w:  # a long office name: smaller text, not a wider box
        k = (max_w - 2 * pad) / widest
        big, small, widest = big * k, small * k, widest * k
    w = max(widest + 2 * pad, 6.0 * CM * scale)
    title_w = text_width("DITERIMA", "Helvetica-Bold", big)
    y = pad + 0.75 * big  # cap height of the title under the top padding
    texts = [((w - title_w) / 2, y, "DITERIMA", "Helvetica-Bold", big)]
    rule_y = y + 0.3 * big
    y = rule_y + 0.3 * big
    for k, (text, font) in enumerate(body):
        y += 1.3 * small
        dx = (w - text_width(text, font, small)) / 2 if k == 0 else pad  # office name centred
        texts.append((dx, y, text, font, small))
    return _Receipt(w, y + 0.3 * small + pad, scale, rule_y, texts)


# JPEG segments a clean copy keeps: JFIF (APP0), the ICC colour profile (APP2) and Adobe's
# colour transform (APP14); every other APPn (APP1: EXIF with camera and GPS, XMP; APP13:
# IPTC) and comments (COM) go. The image data itself is copied byte for byte.
_JPEG_KEEP_APP = (0xE0, 0xE2, 0xEE)


def clean_jpeg(data: bytes) -> tuple[bytes, bool] | None:
    """The JPEG without its metadata segments and anything after its end, and whether
    anything was dropped; None for a JPEG whose segments cannot be followed."""
    n = len(data)
    if data[:2] != b"\xff\xd8":
        return None
    out, i, dropped = bytearray(b"\xff\xd8"), 2, False
    while i + 1 < n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xD9:  # EOI: whatever follows (a second picture, a trailer) is dropped
            out += b"\xff\xd9"
            return bytes(out), dropped or i + 2 < n
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            out += data[i:i + 2]
            i += 2
            continue
        if i + 4 > n:
            return None
        end = i + 2 + int.from_bytes(data[i + 2:i + 4], "big")
        if end > n:
            return None
        if (0xE0 <= marker <= 0xEF and marker not in _JPEG_KEEP_APP) or marker == 0xFE:
            dropped = True
        else:
            out += data[i:end]
        i = end
        if marker == 0xDA:  # SOS: entropy-coded data up to the next marker that is not a restart
            j = i
            while True:
                j = data.find(b"\xff", j)
                if j < 0 or j + 1 >= n:
                    return None
                if data[j + 1] == 0x00 or 0xD0 <= data[j + 1] <= 0xD7 or data[j + 1] == 0xFF:
                    j += 1 if data[j + 1] == 0xFF else 2
                    continue
                break
            out += data[i:j]
            i = j
    return None


def _plain_jpeg(data: bytes) -> tuple[int, int, int] | None:
    """(width, height, EXIF orientation) of a JPEG a PDF can carry as it is (baseline or
    progressive RGB or grey), else None. Width and height are as stored, before the
    orientation is applied."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=("JPEG",)) as im:
            if im.format != "JPEG" or im.mode not in ("RGB", "L"):
                return None
            orientation = im.getexif().get(0x0112, 1)
            return (*im.size, orientation if orientation in range(1, 9) else 1)
    except Exception:  # noqa: BLE001 - load_image reports what is wrong with it
        return None


def _has_metadata(data: bytes) -> bool:
    clean = clean_jpeg(data)
    return clean is not None and clean[1]


# EXIF orientation -> where a point (u, v) of the stored picture's unit square lands in the
# upright picture's unit square (p, q), as p = a1 u + b1 v + c1, q = a2 u + b2 v + c2 (PDF
# axes: v and q point up). 2/4 mirror, 3 turns 180°, 6 and 8 turn 90° right and left, 5 and
# 7 turn and mirror (EXIF 2.3, tag 0x0112).
_ORIENT = {1: (1, 0, 0, 0, 1, 0), 2: (-1, 0, 1, 0, 1, 0), 3: (-1, 0, 1, 0, -1, 1), 4: (1, 0, 0, 0, -1, 1),
           5: (0, -1, 1, -1, 0, 1), 6: (0, 1, 0, -1, 0, 1), 7: (0, 1, 0, 1, 0, 0), 8: (0, -1, 1, 1, 0, 0)}


def _image_pdf(img, top_reserve: float, fmt: str, jpeg: bytes | None = None) -> bytes:
    """One A4 page (portrait or landscape, as the image) with img fitted below the stamp.

    ``jpeg``: the original file, when _plain_jpeg accepts it; embedded as it is (no
    second lossy compression, and no encoding time) unless it must be scaled down.
    Photos otherwise go in as JPEG (quality 85), screenshots and scans (PNG) losslessly
    (Flate). The page is written directly: a drawing library would decode the image
    again and hash its pixels."""
    import zlib

    pw, ph = A4 if img.height >= img.width else (A4[1], A4[0])
    margin = 1.2 * CM
    aw, ah = pw - 2 * margin, ph - margin - max(top_reserve, margin)
    k = min(aw / img.width, ah / img.height)
    dw, dh = img.width * k, img.height * k
    target = (max(1, round(dw / 72 * IMAGE_DPI)), max(1, round(dh / 72 * IMAGE_DPI)))
    plain = _plain_jpeg(jpeg) if jpeg else None
    clean = clean_jpeg(jpeg) if plain else None
    mode, orientation = img.mode, 1
    if plain and clean and (plain[1] if plain[2] >= 5 else plain[0]) <= target[0]:
        w, h, orientation = plain
        stream, filt = clean[0], b"/DCTDecode"  # byte for byte, its metadata segments dropped
    else:
        if img.width > target[0]:
            img = img.resize(target, resample=3)  # BICUBIC; only ever downscale
        w, h = img.size
        if fmt == "JPEG":
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=85, optimize=True)
            clean = clean_jpeg(buf.getvalue())  # Pillow carries the comment over, and may the EXIF
            stream, filt = clean[0] if clean else buf.getvalue(), b"/DCTDecode"
        else:
            stream, filt = zlib.compress(img.tobytes(), 6), b"/FlateDecode"
    space = b"/DeviceGray" if mode == "L" else b"/DeviceRGB"
    a1, b1, c1, a2, b2, c2 = _ORIENT[orientation]  # the photo upright, as the camera meant it
    x, y = (pw - dw) / 2, margin + (ah - dh) / 2
    draw = b"q %s %s %s %s %s %s cm /Im0 Do Q" % (pdf_num(dw * a1), pdf_num(dh * a2), pdf_num(dw * b1), pdf_num(dh * b2),
                                                  pdf_num(x + dw * c1), pdf_num(y + dh * c2))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /XObject << /Im0 4 0 R >> >> "
        b"/Contents 5 0 R >>" % (pdf_num(pw), pdf_num(ph)),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 "
        b"/Filter %s /Length %d >>\nstream\n%s\nendstream" % (w, h, space, filt, len(stream), stream),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# What a clean copy never carries (ISO 32000-1 12.6 actions, 7.11.4 embedded files), and
# how the stamp names it for the requester and the staff.
DROPPED_LABELS = {
    "javascript": "JavaScript", "open_action": "tindakan otomatis saat dibuka",
    "actions": "tindakan otomatis", "launch": "perintah menjalankan program",
    "embedded_files": "berkas sisipan", "metadata": "metadata foto (EXIF/GPS)",
}
_ACTION_KINDS = {"/JavaScript": "javascript", "/Launch": "launch", "/ImportData": "launch",
                 "/SubmitForm": "actions", "/GoToE": "embedded_files", "/Rendition": "javascript"}


def disarm(writer) -> list[str]:
    """Remove from a PDF being written every script, automatic action, program launch and
    embedded file (document, pages, annotations, form fields); return what was removed, as
    keys of DROPPED_LABELS. Links (/URI, /GoTo) stay: they act only when clicked."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    found: set[str] = set()
    root = writer.root_object

    def strip_action(holder, key: str) -> None:
        action = holder.get(key)
        action = action.get_object() if action is not None else None
        if isinstance(action, DictionaryObject):
            kind = _ACTION_KINDS.get(str(action.get("/S")))
            if kind:
                found.add(kind)
                del holder[NameObject(key)]

    if "/OpenAction" in root:
        action = root["/OpenAction"].get_object()
        if isinstance(action, DictionaryObject):  # an array is only a view to open at
            found.add(_ACTION_KINDS.get(str(action.get("/S")), "open_action"))
            del root[NameObject("/OpenAction")]
    for holder in [root] + [page.get_object() for page in writer.pages]:
        if "/AA" in holder:
            found.add("actions")
            del holder[NameObject("/AA")]
    names = root.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, DictionaryObject):
        for key, kind in (("/JavaScript", "javascript"), ("/EmbeddedFiles", "embedded_files")):
            if key in names:
                found.add(kind)
                del names[NameObject(key)]
    for page in writer.pages:
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else None
        if not isinstance(annots, ArrayObject):
            continue
        keep = ArrayObject()
        for ref in annots:
            annot = ref.get_object()
            if not isinstance(annot, DictionaryObject):
                continue
            if annot.get("/Subtype") == "/FileAttachment":
                found.add("embedded_files")
                continue
            if "/AA" in annot:
                found.add("actions")
                del annot[NameObject("/AA")]
            strip_action(annot, "/A")
            keep.append(ref)
        page[NameObject("/Annots")] = keep
    form = root.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if isinstance(form, DictionaryObject):
        for ref in form.get("/Fields") or []:
            field = ref.get_object()
            if isinstance(field, DictionaryObject) and "/AA" in field:
                found.add("actions")
                del field[NameObject("/AA")]
        if "/XFA" in form:  # XFA forms carry their own scripts
            found.add("javascript")
            del form[NameObject("/XFA")]
    return sorted(found)


def _pages_only(writer):
    from pypdf import PdfWriter

    clean = PdfWriter()
    for page in writer.pages:
        clean.add_page(page)
    return clean


def dropped_note(dropped: list[str] | tuple[str, ...]) -> str:
    """The line the stamp carries when the copy lost something: "Dihapus dari salinan: …"."""
    return "Dihapus dari salinan: " + ", ".join(dict.fromkeys(DROPPED_LABELS[d] for d in dropped)) if dropped else ""


@dataclass(frozen=True)
class Placement:
    """Where the receipt stamp went: page (0-based, in the stamped file), box in points
    (x0, y0, x1, y1) in the upright page's default coordinates, its scale, and why there."""

    page: int
    box: tuple[float, float, float, float]
    scale: float
    where: str  # "photo" (the strip kept above a photo), "top", "bottom", or "cover" (a page of its own)
    dropped: tuple[str, ...] = ()  # what the clean copy left out (keys of DROPPED_LABELS)


_RENDER_DPI = 36  # 0.7 mm a pixel: a line of text shows, the search stays cheap
_EDGE = 0.6 * CM  # kept clear of the paper's edge (printers)
_GAPS_MM = (9, 6, 3)  # the roomiest place first: clearance around the stamp, then less
# (scale, band): full size in the top third, then smaller, then the bottom margin band,
# then a cover page of its own
_ATTEMPTS = ((1.0, "top"), (0.8, "top"), (0.65, "top"), (1.0, "bottom"), (0.8, "bottom"), (0.65, "bottom"))


def _ink(pdf: bytes):
    """Page 1 rendered by poppler at _RENDER_DPI as a boolean array (True = ink: text,
    lines, pictures, anything darker than the paper), or None without pdftoppm."""
    import shutil
    import subprocess
    import tempfile

    import numpy as np
    from PIL import Image

    exe = shutil.which("pdftoppm")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="ppid-render-") as tmp:
        try:
            subprocess.run([exe, "-r", str(_RENDER_DPI), "-gray", "-f", "1", "-l", "1", "-singlefile", "-",
                            str(Path(tmp) / "p")], input=pdf, capture_output=True, timeout=60, check=True)
            with Image.open(Path(tmp) / "p.pgm") as im:
                a = np.asarray(im.convert("L"), dtype=np.int16)
        except (OSError, subprocess.SubprocessError, ValueError):
            return None
    paper = int(np.percentile(a, 90))  # the paper's own shade (a scan or photo is not white)
    return a < paper - 24


def _free_spot(ink, pw: float, ph: float, w: float, h: float, band: str) -> tuple[float, float] | None:
    """Bottom-left corner (points from the page's top-left, y downwards) of the roomiest
    blank spot for a w x h stamp inside band ("top": the top third, "bottom": the bottom
    sixth), or None. Among spots with the most clearance, the one nearest the top right."""
    import numpy as np

    rows, cols = ink.shape
    k = cols / pw  # pixels per point
    sw, sh = int(np.ceil(w * k)), int(np.ceil(h * k))
    edge = int(np.ceil(_EDGE * k))
    lo, hi = (edge, rows // 3) if band == "top" else (rows - rows // 6, rows - edge)
    if hi - lo < sh or cols - 2 * edge < sw:
        return None
    table = np.zeros((rows + 1, cols + 1), dtype=np.int32)
    table[1:, 1:] = ink.cumsum(0).cumsum(1)
    for mm in _GAPS_MM:
        g = int(round(mm / 25.4 * _RENDER_DPI))
        # stamp top-left (y, x) with y in [lo, hi - sh], x in [edge, cols - edge - sw];
        # the stamp grown by g on every side (clipped to the page) must hold no ink
        ys = np.arange(lo, hi - sh + 1)
        xs = np.arange(edge, cols - edge - sw + 1)
        y0, y1 = np.clip(ys - g, 0, rows), np.clip(ys + sh + g, 0, rows)
        x0, x1 = np.clip(xs - g, 0, cols), np.clip(xs + sw + g, 0, cols)
        sums = (table[y1][:, x1] - table[y0][:, x1] - table[y1][:, x0] + table[y0][:, x0])
        free = np.argwhere(sums == 0)
        if len(free):
            # nearest the top-right corner (where a receipt stamp is looked for)
            best = free[np.argmin(free[:, 0] + (len(xs) - 1 - free[:, 1]))]
            return xs[best[1]] / k, (ys[best[0]] + sh) / k
    return None


def _photo_page(src: Path, data: bytes, fmt: str, stamp_height) -> tuple[bytes, list[str]]:
    """A photo as a one-page PDF with a blank strip for the stamp (`stamp_height(note)` tall,
    plus room), and what its clean copy left out."""
    img = load_image(src, data)
    dropped = ["metadata"] if fmt == "JPEG" and _has_metadata(data) else []  # whichever way the photo goes in
    box_h = stamp_height(dropped_note(dropped))
    return _image_pdf(img, box_h + 2.0 * CM, fmt, data if fmt == "JPEG" else None), dropped


def stamp_incoming(src: Path, dst: Path, *, office: str, register_no: str, received: str,
                   due: str) -> Placement:
    """Put the receipt stamp on page 1 of an incoming letter (PDF, JPEG or PNG) into dst,
    over nothing the letter says.

    The stamp goes in the roomiest blank spot of the first page's top third, found on the
    page as poppler renders it (text, lines and pictures alike); failing that a smaller
    stamp, then the bottom margin, then a cover page of its own before the letter. A photo
    is laid out below a strip kept blank for the stamp.

    ``received`` and ``due`` are printed as given, e.g. "20 November 2026 pukul 09.15
    WITA" and "4 Desember 2026". Raises AttachmentError for a file that cannot be used."""
    from pypdf import PdfWriter

    src, dst = Path(src), Path(dst)
    suffix = src.suffix.lower()
    if suffix != ".pdf" and suffix not in IMAGE_SUFFIXES:
        raise AttachmentError(f"{src.name}: unsupported file type '{src.suffix or '(none)'}'; "
                              "send a PDF, JPEG or PNG.")
    data = read_file_bytes(src)
    photo = suffix != ".pdf"
    dropped: list[str] = []
    if photo:
        note_h = lambda note: _receipt(office, register_no, received, due, 1.0, 0.45 * A4[0], note).h  # noqa: E731
        data, dropped = _photo_page(src, data, IMAGE_SUFFIXES[suffix], note_h)
    reader = open_pdf(src, data)
    try:
        writer = PdfWriter(clone_from=reader)
        if not photo:
            dropped = disarm(writer)
            if dropped:  # the pages alone into a new file: what was cut off stays behind, unreferenced or not
                writer = _pages_only(writer)
        note = dropped_note(dropped)
        page = writer.pages[0]
        make_upright(page)
        box = page.cropbox
        left, top = float(box.left), float(box.top)
        pw, ph = float(box.width), float(box.height)
        base = min(4.0, max(0.6, min(pw, ph) / A4[0]))  # odd scanner page sizes
        place = None
        if photo:  # the strip above the photo is blank by construction
            stamp = _receipt(office, register_no, received, due, base, 0.45 * pw, note)
            margin = 1.0 * CM * base
            place = (pw - margin - stamp.w, margin + stamp.h, 1.0, "photo")
        else:
            ink = _ink(data)
            for factor, band in _ATTEMPTS if ink is not None else ():
                stamp = _receipt(office, register_no, received, due, base * factor, 0.45 * pw, note)
                spot = _free_spot(ink, pw, ph, stamp.w, stamp.h, band)
                if spot is not None:
                    place = (*spot, factor, band)
                    break
        if place is not None:
            x, y_down, factor, where = place
            stamp = _receipt(office, register_no, received, due, base * factor, 0.45 * pw, note)
            x, y = left + x, top - y_down
            overlay_page(page, stamp.ops(x, y))
            index = 0
        else:  # no room anywhere: a cover page of the same size, the letter untouched after it
            stamp = _receipt(office, register_no, received, due, base, 0.45 * pw, note)
            writer.insert_blank_page(pw, ph, index=0)
            cover = writer.pages[0]  # (the page as the writer holds it, with its reference)
            margin = 2.0 * CM * base
            x, y = pw - margin - stamp.w, ph - margin - stamp.h
            note = Ops().text(margin, y - 1.2 * CM * base,
                               "Lembar tanda terima. Surat permohonan pada halaman berikutnya tidak dibubuhi "
                               "cap karena tidak ada ruang kosong.", "Helvetica", 9 * base * 0.9)
            overlay_page(cover, stamp.ops(x, y), note.data())
            factor, where, index = 1.0, "cover", 0
        buf = io.BytesIO()
        writer.write(buf)
    except Exception:  # noqa: BLE001 - untrusted input: no pypdf traceback leaks out
        raise AttachmentError(f"{src.name}: the PDF is damaged and cannot be stamped; ask "
                              "for the file again.") from None
    write_pdf(dst, buf.getvalue())
    return Placement(index, (x, y, x + stamp.w, y + stamp.h), factor, where, tuple(dropped))
