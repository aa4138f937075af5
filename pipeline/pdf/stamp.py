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

from pipeline.pdf.draw import CM, pdf_num, Ops, overlay_page, serialize, make_upright, text_width, font_resources, write_pdf
from pipeline.pdf.reading import AttachmentError, open_pdf, read_file_bytes
from pipeline.errors import LetterError

@dataclass(frozen=True)
class StampInfo:
    code: str
    letter_no: str
    register_no: str


META_CODE, META_LETTER, META_REGISTER = "/PPIDCode", "/PPIDLetterNo", "/PPIDRegisterNo"
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
        pdf_num(x0 + margin), pdf_num(rule_y), pdf_num(x0 + w - margin), pdf_num(rule_y))
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
    out = [b"q %s 0 0 %s %s %s cm 1 g -2 -2 %d %d re f 0 g\n" % (pdf_num(m), pdf_num(m), pdf_num(x), pdf_num(y),
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


def read_letter(src: Path):
    """An outgoing letter's bytes and PdfReader; LetterError if LibreOffice's PDF is unusable."""
    try:
        raw = read_file_bytes(src)
        return raw, open_pdf(src, raw)
    except AttachmentError as exc:  # the requester's files raise AttachmentError; this is ours
        raise LetterError(str(exc)) from None


def stamp_letter(src: Path, dst: Path, *, register_no: str, letter_no: str, code: str,
                 qr_payload: str) -> str:
    """Stamp every page's bottom 2 cm and the metadata; write dst atomically.

    Returns the SHA-256 (hex) of dst as written. src may equal dst."""
    src, dst = Path(src), Path(dst)
    raw, reader = read_letter(src)
    data = stamp_bytes(src.name, raw, reader, register_no=register_no, letter_no=letter_no,
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
            make_upright(page)
            ops, qr_x, qr_y, two_lines = _footer_ops(page.cropbox, i, pages, register_no, letter_no, code, two_lines)
            qr = _qr_ops(qr_payload, qr_x, qr_y, _QR_SIZE) if i == 1 and qr_payload else b""
            overlay_page(page, ops, qr)
        writer.add_metadata({META_CODE: code, META_LETTER: letter_no,
                             META_REGISTER: register_no})
        buf = io.BytesIO()
        writer.write(buf)
    except Exception as exc:  # noqa: BLE001 - a PDF pypdf cannot rewrite is the source's fault
        raise LetterError(f"{name}: the letter's PDF cannot be stamped ({exc}).") from None
    return buf.getvalue()


def _footer_ops(page_box, i: int, pages: int, register_no: str, letter_no: str, code: str,
                two_lines: bool | None) -> tuple[bytes, float, float, bool]:
    """The footer of page i (frame and text); with the QR code's place and the line choice."""
    x0, y0, w = float(page_box.left), float(page_box.bottom), float(page_box.width)
    frame, qr_x, qr_y, max_line = _footer_frame(x0, y0, w)
    ops = Ops().raw(frame)
    if two_lines is None:
        widest = _footer_lines(register_no, letter_no, pages, pages, code, False)[0]
        two_lines = text_width(widest, "Helvetica", _FOOT_SIZE) > max_line
    lines = _footer_lines(register_no, letter_no, i, pages, code, two_lines)
    base = y0 + (1.0 if len(lines) == 1 else 1.25) * CM
    for k, line in enumerate(lines):
        tw = text_width(line, "Helvetica", _FOOT_SIZE)
        ops.text(x0 + (w - tw) / 2, base - k * 0.38 * CM, line, "Helvetica", _FOOT_SIZE, _FOOT_GREY)
    return ops.data(), qr_x, qr_y, two_lines


class _Update:
    """The objects of an incremental update (ISO 32000-1 7.5.6), numbered from the file's /Size."""

    def __init__(self, size: int):
        self.objects: dict[int, bytes] = {}  # object number -> body
        self.next_id = size

    def new(self, body: bytes) -> int:
        self.objects[self.next_id] = body
        self.next_id += 1
        return self.next_id - 1

    def stream(self, data: bytes) -> int:
        import zlib

        packed = zlib.compress(data, 6)
        return self.new(b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed))


def _stamp_appended(raw: bytes, reader, *, register_no: str, letter_no: str, code: str,
                    qr_payload: str | None) -> bytes | None:
    """The stamped letter as an incremental update appended to the converter's PDF
    (ISO 32000-1 7.5.6): new footer streams, fonts, page dictionaries and metadata, a
    cross-reference section for them and a trailer pointing back to the original one.
    Nothing of the original is parsed beyond the page tree, nor rewritten: about a
    third of the time of a full rewrite. None when the PDF is not the plain kind
    LibreOffice writes (classic cross-reference table, unencrypted, upright pages);
    the caller then rewrites it whole."""
    from pypdf.generic import DictionaryObject, IndirectObject, NameObject, TextStringObject

    if reader.is_encrypted:
        return None
    m = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", raw[-1024:])
    if not m:
        return None
    prev = int(m.group(1))
    if raw[prev:prev + 4] != b"xref":  # a cross-reference stream: leave it to pypdf
        return None
    trailer = reader.trailer
    update = _Update(int(trailer["/Size"]))
    fonts = {name: update.new(serialize(d)) for name, d in font_resources()["/Font"].items()}
    push = update.stream(b"q\n")
    two_lines = None
    pages = reader.pages
    for i, page in enumerate(pages, start=1):
        ref = page.indirect_reference
        if ref is None or page.rotation % 360 or ref.generation != 0:
            return None
        ops, qr_x, qr_y, two_lines = _footer_ops(page.cropbox, i, len(pages), register_no, letter_no, code, two_lines)
        qr = _qr_ops(qr_payload, qr_x, qr_y, _QR_SIZE) if i == 1 and qr_payload else b""
        pop = update.stream(b"\nQ\nq\n" + ops + b"Q\n" + qr)
        body = _stamped_page(page, reader, fonts, push, pop)
        if body is None:
            return None
        update.objects[ref.idnum] = body
    info_ref = trailer.get_object().get("/Info")
    info = DictionaryObject(dict.items(info_ref.get_object())) if info_ref is not None else DictionaryObject()
    for key, value in ((META_CODE, code), (META_LETTER, letter_no), (META_REGISTER, register_no)):
        info[NameObject(key)] = TextStringObject(value)
    info_num = update.new(serialize(info))
    return _append_update(raw, update, trailer, IndirectObject(info_num, 0, reader), prev)


def _stamped_page(page, reader, fonts: dict[str, int], push: int, pop: int) -> bytes | None:
    """A page dictionary whose contents are wrapped in q/Q with the footer after them and
    whose fonts include the stamp's; None for a page this update cannot take."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

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
    for name, number in fonts.items():
        font_dict[NameObject(name)] = IndirectObject(number, 0, reader)
    res[NameObject("/Font")] = font_dict
    new_page = DictionaryObject(entries)
    new_page[NameObject("/Resources")] = res
    new_page[NameObject("/Contents")] = ArrayObject(
        [IndirectObject(push, 0, reader), *parts, IndirectObject(pop, 0, reader)])
    return serialize(new_page)


def _append_update(raw: bytes, update: _Update, trailer, info, prev: int) -> bytes:
    """`raw` with the update's objects, a cross-reference section for them and a trailer
    pointing back to the previous one (`prev`) appended."""
    from pypdf.generic import DictionaryObject, NameObject, NumberObject

    out = bytearray(raw)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    for number in sorted(update.objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, update.objects[number])
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
    new_trailer = DictionaryObject({NameObject("/Size"): NumberObject(update.next_id),
                                    NameObject("/Root"): dict.__getitem__(trailer, "/Root"),
                                    NameObject("/Info"): info, NameObject("/Prev"): NumberObject(prev)})
    if "/ID" in trailer:
        new_trailer[NameObject("/ID")] = dict.__getitem__(trailer, "/ID")
    out += b"trailer\n%s\nstartxref\n%d\n%%%%EOF\n" % (serialize(new_trailer), xref)
    return bytes(out)
