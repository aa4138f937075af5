"""Reading untrusted PDFs and images safely: one plain-English error per bad file."""

from __future__ import annotations

import io
import os
import stat
import warnings
from pathlib import Path

from pipeline.errors import PpidError


class AttachmentError(PpidError):
    """A PDF or image given to ppid cannot be used: damaged, encrypted, not an image, too large."""



# A letter or scan larger than this is refused before it is read (a device such as
# /dev/zero, or a file grown without limit, would otherwise fill the memory).
MAX_FILE_BYTES = 50 * 1024 * 1024


def read_file_bytes(path: Path) -> bytes:
    """The whole file, if it is a regular file of at most MAX_FILE_BYTES; else AttachmentError."""
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then tells what it is
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise AttachmentError(f"{path.name}: file not found.") from None
    except OSError as exc:
        raise AttachmentError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise AttachmentError(f"{path}: not a regular file (a device, pipe or socket); give the letter's "
                                  "PDF or image file itself.")
        if st.st_size > MAX_FILE_BYTES:
            raise AttachmentError(f"{path.name}: {st.st_size / 2**20:.0f} MB, larger than the "
                                  f"{MAX_FILE_BYTES // 2**20} MB ppid reads; give a smaller scan or PDF.")
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise AttachmentError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:  # it grew while read
        raise AttachmentError(f"{path.name}: larger than the {MAX_FILE_BYTES // 2**20} MB ppid reads; give a "
                              "smaller scan or PDF.")
    if not data:
        raise AttachmentError(f"{path.name}: the file is empty (0 bytes).")
    return data


def open_pdf(path: Path, data: bytes):
    """A PdfReader over data, or AttachmentError naming the file in plain words."""
    from pypdf import PdfReader

    name = Path(path).name
    if b"%PDF-" not in data[:1024]:  # the header may follow some junk (ISO 32000 7.5.2)
        raise AttachmentError(f"{name}: not a PDF file.")
    if b"%%EOF" not in data[-2048:]:
        raise AttachmentError(f"{name}: the PDF is incomplete (truncated, e.g. a broken "
                              "download); ask for the file again.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")  # opens PDFs that only restrict printing/copying
            except Exception:  # noqa: BLE001 - pypdf raises several kinds (incl. missing crypto)
                ok = 0
            if not ok:
                raise AttachmentError(f"{name}: the PDF is password-protected; ask for a copy "
                                      "without a password.")
        if len(reader.pages) == 0:
            raise AttachmentError(f"{name}: the PDF has no pages.")
        reader.pages[0].mediabox  # noqa: B018 - force the first page to parse now
    except AttachmentError:
        raise
    except Exception:  # noqa: BLE001 - untrusted input: no pypdf traceback leaks out
        raise AttachmentError(f"{name}: the PDF is damaged and cannot be read; ask for "
                              "the file again.") from None
    return reader


IMAGE_SUFFIXES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
IMAGE_DPI = 200  # enough to read a photographed letter, small enough to e-mail


def load_image(path: Path, data: bytes):
    """A decoded, upright RGB/L Pillow image, or AttachmentError."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    name = Path(path).name
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # formats=: never let Pillow pick a plugin such as EPS (runs Ghostscript).
            # (JPEG covers MPO, the multi-picture JPEG of some phones.)
            img = Image.open(io.BytesIO(data), formats=("JPEG", "PNG"))
            if img.format in ("JPEG", "MPO"):
                img.draft(img.mode, (1400, 1400))  # decode big photos at reduced scale
            img = ImageOps.exif_transpose(img)
            img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise AttachmentError(
                f"{name}: the image is too large (over {Image.MAX_IMAGE_PIXELS:,} pixels); "
                "send a smaller photo or scan.") from None
        except UnidentifiedImageError:
            raise AttachmentError(f"{name}: not a JPEG or PNG image.") from None
        except Exception:  # noqa: BLE001 - untrusted input: no Pillow traceback leaks out
            raise AttachmentError(f"{name}: the image is damaged or incomplete and cannot "
                                  "be read; ask for the photo or scan again.") from None
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        img = flat
    elif img.mode not in ("RGB", "L"):
        img = img.convert("L" if img.mode in ("1", "I", "I;16", "F") else "RGB")
    return img
