"""Is an attachment a letter someone can read? (issue 12 item 11)

The written request (`letter:`) must be a PDF or a picture (a scan or a photo) that
opens: an HTML page, a zip, a damaged or password-protected PDF, or the request's own
YAML named as its letter do not satisfy the requirement. The file's first bytes say what
it is (not its name), then pypdf or Pillow must open it.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path

MAGIC = {  # first bytes -> kind
    b"%PDF-": "pdf",
    b"\xff\xd8\xff": "image",  # JPEG
    b"\x89PNG\r\n\x1a\n": "image",
    b"II*\x00": "image", b"MM\x00*": "image",  # TIFF (scanners)
    b"GIF87a": "image", b"GIF89a": "image",
}
MAX_PIXELS = 200_000_000  # a scan at 600 dpi of an A3 page is ~70 million; beyond is a bomb


def _kind(head: bytes) -> str | None:
    for magic, kind in MAGIC.items():
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    return None


def letter_problem(path: Path, request_file: Path | None = None) -> str:
    """'' when `path` is a readable PDF or image, else what is wrong (English, for the clerk)."""
    if request_file is not None and path.resolve() == request_file.resolve():
        return f"letter '{path.name}' is the request file itself, not the requester's letter"
    try:
        st = path.stat()
    except OSError as exc:
        return f"letter '{path.name}' cannot be read ({exc.strerror})"
    # Many requests of a batch share a letter (a leader's letter for several requests):
    # each version of a file is opened once per process.
    return _content_problem(str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=4096)
def _content_problem(name: str, size: int, mtime_ns: int) -> str:
    """What is wrong with the file's content, for one version of it ('' when it opens)."""
    path = Path(name)
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return f"letter '{path.name}' cannot be read ({exc.strerror})"
    kind = _kind(head)
    if kind is None:
        return f"letter '{path.name}' is not a PDF or an image (scan or photo) by its content"
    if kind == "pdf":
        return _pdf_problem(path.name, path)
    return _image_problem(path.name, path)


def _pdf_problem(name: str, path: Path) -> str:
    import logging

    from pypdf import PdfReader

    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)  # its notes on repairing a file are not the clerk's business
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(str(path), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                return f"letter '{name}' is a password-protected PDF; ask for a copy without a password"
            if len(reader.pages) < 1:
                return f"letter '{name}' is a PDF without pages"
            reader.pages[0].mediabox  # noqa: B018 - the first page must be reachable
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a damaged file
        if "password" in str(exc).lower() or "decrypt" in str(exc).lower():
            return f"letter '{name}' is a password-protected PDF; ask for a copy without a password"
        return f"letter '{name}' is a damaged PDF that cannot be opened ({type(exc).__name__})"
    finally:
        log.setLevel(level)
    return ""


def _image_problem(name: str, path: Path) -> str:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                if img.width * img.height > MAX_PIXELS:
                    return f"letter '{name}' is an image of {img.width}x{img.height} pixels, too large to be a scan"
                img.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return f"letter '{name}' is an image too large to be a scan (a decompression bomb?)"
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on a damaged file
        return f"letter '{name}' is a damaged image that cannot be opened ({type(exc).__name__})"
    return ""
