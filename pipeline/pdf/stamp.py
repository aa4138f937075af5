"""The outgoing letter's stamp: footer on every page, QR code, metadata.

``stamp_letter`` adds the footer (register number, letter number, page x of y,
verification code) and a QR code to every outgoing letter and records the code in the
PDF metadata, so ``ppid verify`` can check a letter against the register. The stamp is
written as an incremental update appended to LibreOffice's PDF (``_stamp_appended``,
hand-written: about a third of the time of a pypdf rewrite); anything unusual is
rewritten whole by pypdf.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.pdf.draw import CM, _n, _Ops, _overlay, _serialize, _upright, _width, _font_resources, write_pdf
from pipeline.pdf.reading import AttachmentError, _open_pdf, _read_bytes

@dataclass(frozen=True)
class StampInfo:
    code: str
    letter_no: str
    register_no: str


_META_CODE, _META_LETTER, _META_REGISTER = "/PPIDCode", "/PPIDLetterNo", "/PPIDRegisterNo"
_FOOT_SIZE = 7.5
_FOOT_GREY = (0.33, 0.33, 0.33)
_QR_SIZE = 1.5 * CM
_SEP = " \u00b7 "


@lru_cache(maxsize=8)
def _footer_frame(x0: float, y0: float, w: float) -> tuple[bytes, float, float, float]:
    """Static part of the footer for one page geometry, drawn once: the rule.

    Returns (ops, qr_x, qr_y, max single-line text width beside the QR)."""
    margin = 2.0 * CM
    rule_y = y0 + 1.85 * CM
    ops = b"q 0.6 0.6 0.6 RG 0.4 w %s %s m %s %s l S Q\n" % (
        _n(x0 + margin), _n(rule_y), _n(x0 + w - margin), _n(rule_y))
    qr_x = x0 + w - margin - _QR_SIZE
    qr_y = y0 + 0.2 * CM
    max_line = 2 * (qr_x - 0.3 * CM - (x0 + w / 2))  # centred text must clear the QR
    return ops, qr_x, qr_y, max_line


def _qr_ops(payload: str, x: float, y: float, size: float) -> bytes:
    """The QR code of payload as vector squares, size x size points at (x, y)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    # A fixed mask: choosing the best of 8 is 5x the cost of the rest of the QR, and any
    # mask decodes (ISO/IEC 18004 sec. 7.8 only ranks them).
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=0)
    qr.add_data(payload)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    n = len(matrix)
    m = size / n
    # Drawn in module units (scaled by the cm operator): small integers, short stream.
    out = [b"q %s 0 0 %s %s %s cm 1 g -2 -2 %d %d re f 0 g\n" % (_n(m), _n(m), _n(x), _n(y),
                                                                n + 4, n + 4)]
    for r, row in enumerate(matrix):
        c = 0
        while c < n:  # one rectangle per run of dark modules
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                out.append(b"%d %d %d 1 re\n" % (start, n - 1 - r, c - start))
            else:
                c += 1
    out.append(b"f Q\n")
    return b"".join(out)


def _footer_lines(register_no: str, letter_no: str, page: int, pages: int, code: str,
                  two_lines: bool) -> list[str]:
    head = f"No. Registrasi: {register_no}{_SEP}Nomor Surat: {letter_no}"
    tail = f"Halaman {page} dari {pages}{_SEP}Kode verifikasi: {code}"
    return [head, tail] if two_lines else [head + _SEP + tail]


def stamp_letter(src: Path, dst: Path, *, register_no: str, letter_no: str, code: str,
                 qr_payload: str) -> str:
    """Stamp every page's bottom 2 cm and the metadata; write dst atomically.

    Returns the SHA-256 (hex) of dst as written. src may equal dst."""
    src, dst = Path(src), Path(dst)
    raw = _read_bytes(src)
    data = stamp_bytes(src.name, raw, _open_pdf(src, raw), register_no=register_no, letter_no=letter_no,
                       code=code, qr_payload=qr_payload)
    write_pdf(dst, data)
    return hashlib.sha256(data).hexdigest()


def stamp_bytes(name: str, raw: bytes, reader, *, register_no: str, letter_no: str, code: str,
                qr_payload: str | None) -> bytes:
    """The stamped PDF of raw (read by reader). No QR code in the footer when
    ``qr_payload`` is None (a signed letter carries it in its signature)."""
    from pypdf import PdfWriter

    try:
        data = _stamp_appended(raw, reader, register_no=register_no, letter_no=letter_no, code=code,
                               qr_payload=qr_payload)
    except Exception:  # noqa: BLE001 - anything unusual: the full rewrite below
        data = None
    if data is not None:
        return data
    try:
        writer = PdfWriter(clone_from=reader)
        pages = len(writer.pages)
        two_lines = None  # decided once, so that every page looks alike
        for i, page in enumerate(writer.pages, start=1):
            _upright(page)
            ops, qr_x, qr_y, two_lines = _footer_ops(page.cropbox, i, pages, register_no, letter_no, code, two_lines)
            qr = _qr_ops(qr_payload, qr_x, qr_y, _QR_SIZE) if i == 1 and qr_payload else b""
            _overlay(page, ops, qr)
        writer.add_metadata({_META_CODE: code, _META_LETTER: letter_no,
                             _META_REGISTER: register_no})
        buf = io.BytesIO()
        writer.write(buf)
    except Exception as exc:  # noqa: BLE001 - a PDF pypdf cannot rewrite is the source's fault
        raise AttachmentError(f"{name}: the PDF cannot be stamped ({exc}).") from None
    return buf.getvalue()


def _footer_ops(page_box, i: int, pages: int, register_no: str, letter_no: str, code: str,
                two_lines: bool | None) -> tuple[bytes, float, float, bool]:
    """The footer of page i (frame and text); with the QR code's place and the line choice."""
    x0, y0, w = float(page_box.left), float(page_box.bottom), float(page_box.width)
    frame, qr_x, qr_y, max_line = _footer_frame(x0, y0, w)
    ops = _Ops().raw(frame)
    if two_lines is None:
        widest = _footer_lines(register_no, letter_no, pages, pages, code, False)[0]
        two_lines = _width(widest, "Helvetica", _FOOT_SIZE) > max_line
    lines = _footer_lines(register_no, letter_no, i, pages, code, two_lines)
    base = y0 + (1.0 if len(lines) == 1 else 1.25) * CM
    for k, line in enumerate(lines):
        tw = _width(line, "Helvetica", _FOOT_SIZE)
        ops.text(x0 + (w - tw) / 2, base - k * 0.38 * CM, line, "Helvetica", _FOOT_SIZE, _FOOT_GREY)
    return ops.data(), qr_x, qr_y, two_lines


def _stamp_appended(raw: bytes, reader, *, register_no: str, letter_no: str, code: str,
                    qr_payload: str | None) -> bytes | None:
    """The stamped letter as an incremental update appended to the converter's PDF
    (ISO 32000-1 7.5.6): new footer streams, fonts, page dictionaries and metadata, a
    cross-reference section for them and a trailer pointing back to the original one.
    Nothing of the original is parsed beyond the page tree, nor rewritten: about a
    third of the time of a full rewrite. None when the PDF is not the plain kind
    LibreOffice writes (classic cross-reference table, unencrypted, upright pages);
    the caller then rewrites it whole."""
    import zlib

    from pypdf.generic import (ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject,
                                TextStringObject)

    if reader.is_encrypted:
        return None
    tail = raw[-1024:]
    m = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", tail)
    if not m:
        return None
    prev = int(m.group(1))
    if raw[prev:prev + 4] != b"xref":  # a cross-reference stream: leave it to pypdf
        return None
    trailer = reader.trailer
    size = int(trailer["/Size"])
    pages = reader.pages
    n_pages = len(pages)
    objects: dict[int, bytes] = {}  # object number -> body
    next_id = size

    def new(body: bytes) -> int:
        nonlocal next_id
        objects[next_id] = body
        next_id += 1
        return next_id - 1

    def stream(data: bytes) -> bytes:
        packed = zlib.compress(data, 6)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)

    fonts = {name: new(_serialize(d)) for name, d in _font_resources()["/Font"].items()}
    push = new(stream(b"q\n"))
    two_lines = None
    for i, page in enumerate(pages, start=1):
        ref = page.indirect_reference
        if ref is None or page.rotation % 360:
            return None
        ops, qr_x, qr_y, two_lines = _footer_ops(page.cropbox, i, n_pages, register_no, letter_no, code, two_lines)
        qr = _qr_ops(qr_payload, qr_x, qr_y, _QR_SIZE) if i == 1 and qr_payload else b""
        pop = new(stream(b"\nQ\nq\n" + ops + b"Q\n" + qr))
        entries = dict(dict.items(page))  # unresolved: references stay references
        contents = entries.get(NameObject("/Contents"))
        if contents is None:
            parts = []
        else:
            resolved = contents.get_object()
            if isinstance(resolved, ArrayObject):
                parts = list(list.__iter__(resolved))
            elif isinstance(contents, IndirectObject):
                parts = [contents]
            else:
                return None  # a direct stream: not valid PDF anyway
        if any(not isinstance(p, IndirectObject) for p in parts):
            return None
        resources = page.get("/Resources")  # resolved; inherited resources are not handled here
        if resources is None:
            return None
        res = DictionaryObject(dict.items(resources.get_object()))
        font = res.get(NameObject("/Font"))
        font_dict = DictionaryObject(dict.items(font.get_object())) if font is not None else DictionaryObject()
        for name, num in fonts.items():
            font_dict[NameObject(name)] = IndirectObject(num, 0, reader)
        res[NameObject("/Font")] = font_dict
        new_page = DictionaryObject(entries)
        new_page[NameObject("/Resources")] = res
        new_page[NameObject("/Contents")] = ArrayObject(
            [IndirectObject(push, 0, reader), *parts, IndirectObject(pop, 0, reader)])
        if ref.generation != 0:
            return None
        objects[ref.idnum] = _serialize(new_page)
    info_ref = trailer.get_object().get("/Info")
    info = DictionaryObject(dict.items(info_ref.get_object())) if info_ref is not None else DictionaryObject()
    for key, value in ((_META_CODE, code), (_META_LETTER, letter_no), (_META_REGISTER, register_no)):
        info[NameObject(key)] = TextStringObject(value)
    info_num = new(_serialize(info))

    out = bytearray(raw)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (num, objects[num])
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"  # the free-list head, as usual (readers expect 0 first)
    nums = sorted(offsets)
    start = 0
    while start < len(nums):  # one subsection per run of consecutive numbers
        end = start
        while end + 1 < len(nums) and nums[end + 1] == nums[end] + 1:
            end += 1
        out += b"%d %d\n" % (nums[start], end - start + 1)
        out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in nums[start:end + 1])
        start = end + 1
    new_trailer = DictionaryObject({NameObject("/Size"): NumberObject(next_id),
                                    NameObject("/Root"): dict.__getitem__(trailer, "/Root"),
                                    NameObject("/Info"): IndirectObject(info_num, 0, reader),
                                    NameObject("/Prev"): NumberObject(prev)})
    if "/ID" in trailer:
        new_trailer[NameObject("/ID")] = dict.__getitem__(trailer, "/ID")
    out += b"trailer\n%s\nstartxref\n%d\n%%%%EOF\n" % (_serialize(new_trailer), xref)
    return bytes(out)
