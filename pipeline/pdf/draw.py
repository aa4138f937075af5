"""Low-level overlay drawing: raw PDF operators on a pypdf page.

No reportlab canvas and no overlay PDF to parse, because the stamps run for every letter
of a batch. Also the few constants and writers the stamps share.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

CM = 72 / 2.54
A4 = (21.0 * CM, 29.7 * CM)

_FONTS = {"/PPIDHelv": "Helvetica", "/PPIDHelvB": "Helvetica-Bold"}
_FONT_BY_NAME = {v: k for k, v in _FONTS.items()}


def text_width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def _pdf_str(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")  # standard fonts speak WinAnsi
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_num(x: float) -> bytes:
    return (b"%.2f" % x).rstrip(b"0").rstrip(b".") or b"0"


class Ops:
    """A content stream under construction."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def raw(self, data: bytes) -> Ops:
        self.parts.append(data)
        return self

    def text(self, x: float, y: float, s: str, font: str, size: float, rgb=(0, 0, 0)) -> Ops:
        self.parts.append(b"BT %s %s %s rg %s %s Tf %s %s Td %s Tj ET\n" % (
            pdf_num(rgb[0]), pdf_num(rgb[1]), pdf_num(rgb[2]), _FONT_BY_NAME[font].encode(), pdf_num(size),
            pdf_num(x), pdf_num(y), _pdf_str(s)))
        return self

    def rect(self, x: float, y: float, w: float, h: float) -> Ops:
        self.parts.append(b"%s %s %s %s re\n" % (pdf_num(x), pdf_num(y), pdf_num(w), pdf_num(h)))
        return self

    def data(self) -> bytes:
        return b"".join(self.parts)


@lru_cache(maxsize=1)
def font_resources():
    """Built once: pypdf's merge copies it into each page rather than changing it."""
    from pypdf.generic import DictionaryObject, NameObject

    fonts = DictionaryObject()
    for key, base in _FONTS.items():
        fonts[NameObject(key)] = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/" + base),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        })
    return DictionaryObject({NameObject("/Font"): fonts})


def overlay_page(page, ops: bytes, tail: bytes = b"") -> None:
    """Draw ops (then tail) over page, in the page's default coordinates.

    The page's own content is wrapped in q ... Q, so whatever state it leaves does not
    reach the stamp, and the stamp's fonts are added to a copy of the page's resources
    under names of their own. Unlike pypdf's merge_page this never parses a content
    stream operator by operator (for a letter from LibreOffice that parse was most of
    the stamping time): the streams are only inflated, joined and deflated again."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    resources = page.get("/Resources")
    node = page
    while resources is None and node.get("/Parent") is not None:  # inherited from the page tree
        node = node["/Parent"].get_object()
        resources = node.get("/Resources")
    resources = DictionaryObject(resources.get_object()) if resources is not None else DictionaryObject()
    fonts = resources.get("/Font")
    fonts = DictionaryObject(fonts.get_object()) if fonts is not None else DictionaryObject()
    fonts.update(font_resources()["/Font"])
    resources[NameObject("/Font")] = fonts
    page[NameObject("/Resources")] = resources

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if contents is None:
        data = b""
    elif isinstance(contents, ArrayObject):
        data = b"\n".join(part.get_object().get_data() for part in contents)
    else:
        data = contents.get_data()
    stream = DecodedStreamObject()
    stream.set_data(b"q\n" + data + b"\nQ\nq\n" + ops + b"Q\n" + tail)
    page.replace_contents(stream)
    page.compress_content_streams()


def make_upright(page) -> None:
    # Place stamps where the reader sees top/bottom, whatever /Rotate says.
    if page.rotation % 360:
        page.transfer_rotation_to_content()


def serialize(obj) -> bytes:
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


def write_pdf(dst: Path, data: bytes) -> None:
    """Write a finished PDF through the one safe writer (pipeline.files; the umask applies)."""
    from pipeline import files

    files.make_dir(dst.parent, None)
    files.write(dst, data, mode=0o666)

