"""The DITERIMA receipt stamp on the requester's own letter (a PDF or a photo of it)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pipeline.pdf.draw import A4, CM, _n, _Ops, _overlay, _upright, _width, _write_atomic
from pipeline.pdf.reading import _IMAGE_DPI, _IMAGE_SUFFIXES, AttachmentError, _load_image, _open_pdf, _read_bytes

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
        col = b"%s %s %s" % tuple(_n(c) for c in _STAMP_RGB)
        ops = _Ops().raw(b"q 1 g ").rect(x, y, self.w, self.h).raw(b"f\n")
        ops.raw(b"%s RG %s w " % (col, _n(1.6 * s))).rect(x, y, self.w, self.h).raw(b"S\n")
        inset = 2.6 * s  # double border, like a rubber stamp
        ops.raw(b"%s w " % _n(0.6 * s))
        ops.rect(x + inset, y + inset, self.w - 2 * inset, self.h - 2 * inset).raw(b"S\n")
        pad = _RECEIPT_PAD * s
        ops.raw(b"%s %s m %s %s l S\n" % (_n(x + pad), _n(top - self.rule_y),
                                           _n(x + self.w - pad), _n(top - self.rule_y)))
        for dx, dy, text, font, size in self.texts:
            ops.text(x + dx, top - dy, text, font, size, _STAMP_RGB)
        return ops.raw(b"Q\n").data()


_RECEIPT_PAD = 9.0
_RECEIPT_TITLE = 16.0
_RECEIPT_BODY = 9.0


def _receipt(office: str, register_no: str, received: str, due: str, scale: float,
             max_w: float) -> _Receipt:
    body = [(office, "Helvetica-Bold"), (f"No. Reg.: {register_no}", "Helvetica"),
            (f"Tanggal: {received}", "Helvetica"), (f"Batas jawaban: {due}", "Helvetica")]
    pad = _RECEIPT_PAD * scale
    big, small = _RECEIPT_TITLE * scale, _RECEIPT_BODY * scale
    widest = max([_width("DITERIMA", "Helvetica-Bold", big)]
                 + [_width(t, f, small) for t, f in body])
    if widest + 2 * pad > max_w:  # a long office name: smaller text, not a wider box
        k = (max_w - 2 * pad) / widest
        big, small, widest = big * k, small * k, widest * k
    w = max(widest + 2 * pad, 6.0 * CM * scale)
    title_w = _width("DITERIMA", "Helvetica-Bold", big)
    y = pad + 0.75 * big  # cap height of the title under the top padding
    texts = [((w - title_w) / 2, y, "DITERIMA", "Helvetica-Bold", big)]
    rule_y = y + 0.3 * big
    y = rule_y + 0.3 * big
    for k, (text, font) in enumerate(body):
        y += 1.3 * small
        dx = (w - _width(text, font, small)) / 2 if k == 0 else pad  # office name centred
        texts.append((dx, y, text, font, small))
    return _Receipt(w, y + 0.3 * small + pad, scale, rule_y, texts)


def _plain_jpeg(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a JPEG a PDF can carry as it is (baseline or progressive RGB or
    grey, upright: no EXIF rotation), else None."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=("JPEG",)) as im:
            if im.format != "JPEG" or im.mode not in ("RGB", "L") or im.getexif().get(0x0112, 1) != 1:
                return None
            return im.size
    except Exception:  # noqa: BLE001 - _load_image reports what is wrong with it
        return None


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
    target = (max(1, round(dw / 72 * _IMAGE_DPI)), max(1, round(dh / 72 * _IMAGE_DPI)))
    size = _plain_jpeg(jpeg) if jpeg else None
    mode = img.mode
    if size and size[0] <= target[0]:
        (w, h), stream, filt = size, jpeg, b"/DCTDecode"  # byte for byte
    else:
        if img.width > target[0]:
            img = img.resize(target, resample=3)  # BICUBIC; only ever downscale
        w, h = img.size
        if fmt == "JPEG":
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=85, optimize=True)
            stream, filt = buf.getvalue(), b"/DCTDecode"
        else:
            stream, filt = zlib.compress(img.tobytes(), 6), b"/FlateDecode"
    space = b"/DeviceGray" if mode == "L" else b"/DeviceRGB"
    draw = b"q %s 0 0 %s %s %s cm /Im0 Do Q" % (_n(dw), _n(dh), _n((pw - dw) / 2), _n(margin + (ah - dh) / 2))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /XObject << /Im0 4 0 R >> >> "
        b"/Contents 5 0 R >>" % (_n(pw), _n(ph)),
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


def stamp_incoming(src: Path, dst: Path, *, office: str, register_no: str, received: str,
                   due: str) -> None:
    """Put the receipt stamp on page 1 of an incoming letter (PDF, JPEG or PNG) into dst.

    ``received`` and ``due`` are printed as given, e.g. "20 November 2026 pukul 09.15
    WITA" and "4 Desember 2026". Raises AttachmentError for a file that cannot be used."""
    from pypdf import PdfWriter

    src, dst = Path(src), Path(dst)
    suffix = src.suffix.lower()
    if suffix != ".pdf" and suffix not in _IMAGE_SUFFIXES:
        raise AttachmentError(f"{src.name}: unsupported file type '{src.suffix or '(none)'}'; "
                              "send a PDF, JPEG or PNG.")
    data = _read_bytes(src)
    if suffix == ".pdf":
        reader = _open_pdf(src, data)
    else:
        img = _load_image(src, data)
        box_h = _receipt(office, register_no, received, due, 1.0, 0.45 * A4[0]).h
        fmt = _IMAGE_SUFFIXES[suffix]
        reader = _open_pdf(src, _image_pdf(img, box_h + 2.0 * CM, fmt, data if fmt == "JPEG" else None))
    try:
        writer = PdfWriter(clone_from=reader)
        page = writer.pages[0]
        _upright(page)
        box = page.cropbox
        pw, ph = float(box.width), float(box.height)
        scale = min(4.0, max(0.6, min(pw, ph) / A4[0]))  # odd scanner page sizes
        stamp = _receipt(office, register_no, received, due, scale, 0.45 * pw)
        margin = 1.0 * CM * scale
        x = float(box.right) - margin - stamp.w
        y = float(box.top) - margin - stamp.h
        _overlay(page, stamp.ops(x, y))
        buf = io.BytesIO()
        writer.write(buf)
    except Exception:  # noqa: BLE001 - untrusted input: no pypdf traceback leaks out
        raise AttachmentError(f"{src.name}: the PDF is damaged and cannot be stamped; ask "
                              "for the file again.") from None
    _write_atomic(dst, buf.getvalue())
