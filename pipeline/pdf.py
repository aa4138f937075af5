"""PDFs: LibreOffice batch conversion, the outgoing-letter stamp, the receipt stamp.

- ``convert_to_pdf`` turns many DOCX files into PDFs with a few long-lived
  ``soffice`` processes (one per worker, never one per letter); a document that hangs or
  crashes LibreOffice is retried alone and fails alone.
- ``stamp_letter`` adds the footer (register number, letter number, page x of y,
  verification code) and a QR code to every outgoing letter and records the code in
  the PDF metadata, so ``ppid verify`` can check a letter against the register.
- ``stamp_incoming`` puts a "DITERIMA" receipt stamp on the requester's own letter
  (a PDF or a photo of it).

pypdf, Pillow, reportlab and qrcode are imported where used, so that commands that make
no PDFs start quickly.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import io
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ConversionError, PpidError


class AttachmentError(PpidError):
    """A PDF or image given to ppid cannot be used: damaged, encrypted, not an image, too large."""


CM = 72 / 2.54
A4 = (21.0 * CM, 29.7 * CM)

# ---------------------------------------------------------------------------
# LibreOffice conversion
# ---------------------------------------------------------------------------

_SOFFICE_FALLBACKS = (
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)
_STARTUP_S = 20.0  # LibreOffice start-up, longer the first time a profile is created
_MAX_PROFILE_SLOTS = 32


@dataclass
class ConversionResult:
    docx: Path
    pdf: Path | None  # set on success
    error: str | None  # plain-English reason on failure


def find_soffice() -> str:
    """Path of the LibreOffice executable; ConversionError with an install hint if none."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _SOFFICE_FALLBACKS:
        if os.access(candidate, os.X_OK):
            return candidate
    raise ConversionError(
        "LibreOffice is not installed: no 'soffice' or 'libreoffice' on PATH. Install it "
        "(Debian/Ubuntu: 'sudo apt-get install libreoffice-writer') or run 'ppid run --no-pdf'."
    )


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ppid"


def _kill_orphans(profile: Path) -> None:
    """Stop soffice processes left on a profile by a ppid run that was killed.

    Whoever holds the slot's lock owns the profile, so a soffice still using it is an
    orphan; left alone, a new soffice would hand its documents to it and exit.
    """
    marker = f"UserInstallation={profile.as_uri()}"
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if marker in cmdline and ("soffice" in cmdline or "oosplash" in cmdline):
            try:
                os.kill(int(entry.name), signal.SIGKILL)
            except OSError:
                pass


class _Profile:
    """A LibreOffice user profile held exclusively for one soffice at a time.

    Profiles persist as ``lo-profile-N`` under the cache dir (created once, start-up is
    faster afterwards). Slot N is taken with a file lock, so two ppid processes or two
    workers never share one (LibreOffice corrupts or refuses a profile in use). If no
    slot can be had, a throw-away profile is used.
    """

    def __enter__(self) -> Path:
        from filelock import FileLock, Timeout

        self._lock = None
        self._tmp: str | None = None
        try:
            root = _cache_dir()
            root.mkdir(parents=True, exist_ok=True)
            for n in range(_MAX_PROFILE_SLOTS):
                lock = FileLock(str(root / f"lo-profile-{n}.lock"), timeout=0)
                try:
                    lock.acquire()
                except Timeout:
                    continue
                self._lock = lock
                profile = root / f"lo-profile-{n}"
                _kill_orphans(profile)
                return profile
        except (OSError, RuntimeError):  # no writable cache dir (or no home): use a temp one
            pass
        self._tmp = tempfile.mkdtemp(prefix="ppid-lo-profile-")
        return Path(self._tmp)

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.release()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)


class ConverterPool:
    """LibreOffice kept running for a batch: one instance per worker, each on a profile
    of its own, held (locked) from start() to close().

    A ``soffice --convert-to`` run on a profile whose LibreOffice is already running
    hands its documents to that instance over LibreOffice's own pipe and waits for them:
    the start-up (about a second, most of a small batch's conversion time) is paid once
    per batch, in the background while the letters are still being filled, instead of
    once per chunk. The instance is started with a small text file of its own open,
    which keeps it alive between conversions (it would otherwise quit after the first)
    and tells when it is ready: LibreOffice writes the file's lock file once the file is
    loaded. A conversion waits for that before it runs, so it never races the start-up.

    Everything else stays as in convert_to_pdf: the same command, the same time limits.
    A timed-out run kills the instance as well (_kill_orphans on the profile), and later
    runs on that profile start LibreOffice themselves. An instance left behind by a
    killed ppid is stopped by the next run that takes the profile.
    """

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self.profiles: list[Path] = []
        self._holds: list[_Profile] = []
        self._servers: list[tuple[subprocess.Popen | None, Any, Path]] = []
        self.started = False

    def start(self) -> None:
        if self.started:
            return
        self.started = True
        try:
            soffice = find_soffice()
        except ConversionError:
            return  # convert_to_pdf reports it, per letter
        atexit.register(self.close)
        for n in range(self.workers):
            hold = _Profile()
            profile = hold.__enter__()
            self._holds.append(hold)
            self.profiles.append(profile)
            # beside the profile, which this run holds: nothing left in /tmp by a killed run
            keep = profile.with_name(profile.name + "-keepalive.txt")
            proc = None
            log = tempfile.TemporaryFile()
            try:
                keep.parent.mkdir(parents=True, exist_ok=True)
                keep.with_name(f".~lock.{keep.name}#").unlink(missing_ok=True)  # a killed run's
                keep.write_text("ppid\n", encoding="utf-8")
                proc = subprocess.Popen(
                    [soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                     f"-env:UserInstallation={profile.as_uri()}", str(keep)],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                    cwd=str(keep.parent))
            except OSError:
                pass
            self._servers.append((proc, log, keep))

    def part(self, k: int) -> ConverterPool:
        """A view of worker k alone, for one convert_to_pdf call per worker; never closed."""
        view = ConverterPool.__new__(ConverterPool)
        view.workers, view.started = 1, True
        view.profiles = self.profiles[k:k + 1]
        view._servers = self._servers[k:k + 1]
        view._holds = []
        return view

    def ready(self, k: int, timeout: float = _STARTUP_S) -> bool:
        """Wait until instance k has started; False (and it is stopped) if it does not."""
        proc, _, keep = self._servers[k]
        if proc is None:
            return False
        lock = keep.with_name(f".~lock.{keep.name}#")
        deadline = time.monotonic() + timeout
        while not lock.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                _kill_group(proc)
                _kill_orphans(self.profiles[k])
                return False
            time.sleep(0.02)
        return True

    def log_reader(self, k: int) -> Callable[[], str]:
        def read() -> str:
            log = self._servers[k][1]
            try:
                log.seek(0)
                return log.read()[-4000:].decode("utf-8", "replace")
            except (OSError, ValueError):
                return ""
        return read

    def close(self) -> None:
        for (proc, log, keep), profile in zip(self._servers, self.profiles):
            if proc is not None:
                _kill_group(proc)
                proc.wait()
            _kill_orphans(profile)  # its soffice.bin, should it have left the group
            log.close()
            for path in (keep, keep.with_name(f".~lock.{keep.name}#")):
                path.unlink(missing_ok=True)
        for hold in self._holds:
            hold.__exit__(None, None, None)
        self._servers, self._holds, self.profiles = [], [], []

    def __enter__(self) -> ConverterPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _pdf_complete(path: Path) -> bool:
    """True if path looks like a whole PDF (a killed export leaves a truncated one)."""
    try:
        size = path.stat().st_size
        if size < 64:
            return False
        with open(path, "rb") as f:
            head = f.read(5)
            f.seek(max(0, size - 1024))
            tail = f.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail


def _kill_group(proc: subprocess.Popen) -> None:
    # soffice is a wrapper (oosplash) around soffice.bin: kill the whole session.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@dataclass
class _Run:
    returncode: int | None
    timed_out: bool
    log: str


def _run_soffice(
    soffice: str, profile: Path, docs: Sequence[Path], outdir: Path, *,
    hard: float, first: float, gap: float, poll: Callable[[], int] | None = None,
) -> _Run:
    """One soffice over docs. Killed after ``hard`` s in all, or when no output has
    appeared for ``first`` s (start-up + first doc) or ``gap`` s between documents.

    ``poll``, called every tenth of a second, returns how many PDFs have come out so
    far (default: the files in outdir)."""
    cmd = [
        soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to", "pdf", "--outdir", str(outdir), *(str(d) for d in docs),
    ]
    with tempfile.TemporaryFile() as log:
        # A file, not a pipe: an orphaned soffice.bin holding a pipe would block us.
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, cwd=str(outdir),
        )
        start = last = time.monotonic()
        progress = 0
        timed_out = False
        try:
            while True:
                try:
                    proc.wait(timeout=0.1)
                    break
                except subprocess.TimeoutExpired:
                    pass
                now = time.monotonic()
                try:  # progress = PDFs appearing (stdout is block-buffered, useless here)
                    seen = poll() if poll is not None else len(os.listdir(outdir))
                except OSError:
                    seen = progress
                if seen != progress:
                    progress, last = seen, now
                limit = gap if progress else first
                if now - start > hard or now - last > limit:
                    timed_out = True
                    break
        finally:
            _kill_group(proc)  # also reaps a soffice.bin left behind after a normal exit
            proc.wait()
            if timed_out:  # a warm instance (ConverterPool) stuck on the document goes too
                _kill_orphans(profile)
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    return _Run(None if timed_out else proc.returncode, timed_out, text)


def _precheck(doc: Path) -> str | None:
    """A reason not to hand doc to LibreOffice at all, or None."""
    try:
        if not doc.is_file():
            return f"{doc.name}: file not found."
        if doc.stat().st_size == 0:
            return f"{doc.name}: the file is empty (0 bytes)."
        if doc.suffix.lower() == ".docx":
            # LibreOffice imports any bytes as plain text: a broken .docx would become
            # a PDF full of garbage instead of an error.
            with zipfile.ZipFile(doc) as z:
                if "word/document.xml" not in z.namelist():
                    return f"{doc.name}: not a Word document (no word/document.xml inside)."
    except zipfile.BadZipFile:
        return f"{doc.name}: not a Word document (the .docx is not a valid zip file)."
    except OSError as exc:
        return f"{doc.name}: cannot be read ({exc.strerror or exc})."
    return None


def _failure(doc: Path, run: _Run, timeout: float) -> str:
    if run.timed_out:
        return (f"{doc.name}: LibreOffice did not finish within {timeout:g} s "
                "(document too large or damaged); the process was stopped.")
    if "could not be loaded" in run.log:
        return f"{doc.name}: LibreOffice could not open the document (damaged or unsupported)."
    last = next((ln for ln in reversed(run.log.splitlines()) if ln.strip()), "")
    detail = f": {last.strip()}" if last and not last.startswith("convert ") else ""
    return f"{doc.name}: LibreOffice exited (code {run.returncode}) without writing a PDF{detail}."


def _convert_chunk(
    soffice: str, docs: list[Path], out_dir: Path, chunk_timeout: float | None,
    per_doc_timeout: float, on_result: Callable[[ConversionResult], None] | None = None,
    profile: Path | None = None, server_log: Callable[[], str] | None = None,
    ready: Callable[[], bool] | None = None,
) -> dict[Path, tuple[Path | None, str | None]]:
    results: dict[Path, tuple[Path | None, str | None]] = {}

    def settle(doc: Path, pdf: Path | None, error: str | None) -> None:
        results[doc] = (pdf, error)
        if on_result is not None:
            on_result(ConversionResult(doc, pdf, error))

    def run(batch: list[Path], profile: Path, hard: float, first: float) -> _Run:
        tmp = Path(tempfile.mkdtemp(prefix=".ppid-lo-", dir=out_dir))

        moved = 0

        def harvest(finished: bool) -> int:
            """Move out the PDFs soffice has finished; return how many came out so far.
            soffice converts in argument order: a PDF is whole once the next one has
            appeared, or soffice has exited."""
            nonlocal moved
            before = moved
            present = set(os.listdir(tmp))
            ready = [d for d in batch if d not in results and f"{d.stem}.pdf" in present]
            if not finished and ready:
                ready = ready[:-1]
            for doc in ready:
                made = tmp / f"{doc.stem}.pdf"
                if _pdf_complete(made):
                    final = out_dir / f"{doc.stem}.pdf"
                    os.replace(made, final)  # atomic: never a half PDF under the final name
                    moved += 1
                    settle(doc, final, None)
            return before + len(present)

        try:
            res = _run_soffice(soffice, profile, batch, tmp, hard=hard, first=first,
                               gap=per_doc_timeout, poll=lambda: harvest(False))
            harvest(True)
            return res
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    # a warm instance still starting: wait for it rather than race it; once it is up,
    # the first document is due within per_doc_timeout (no start-up allowance)
    warm = ready() if ready is not None else False
    with (contextlib.nullcontext(profile) if profile is not None else _Profile()) as profile:
        remaining = list(docs)
        while remaining:
            hard = (chunk_timeout if chunk_timeout is not None
                    else _STARTUP_S + per_doc_timeout * len(remaining))
            res = run(remaining, profile, hard, min(hard, per_doc_timeout if warm else _STARTUP_S + per_doc_timeout))
            warm = warm and not res.timed_out  # a timed-out run took the instance with it
            missing = [d for d in remaining if d not in results]
            if not missing:
                break
            # soffice converts in argument order: the first doc without a PDF is the one
            # that crashed or hung it. Retry that one alone (unless it just ran alone) and
            # batch the rest again rather than paying a start-up for each.
            suspect = missing[0]
            if len(remaining) > 1:
                hard = per_doc_timeout
                res = run([suspect], profile, hard, hard)
            if suspect not in results:
                if server_log is not None:  # a warm instance printed what went wrong
                    res = _Run(res.returncode, res.timed_out, res.log + "\n" + server_log())
                settle(suspect, None, _failure(suspect, res, hard))
            remaining = missing[1:]
    return results


def convert_to_pdf(
    docs: Sequence[Path], out_dir: Path, *, workers: int = 2,
    chunk_timeout: float | None = None, per_doc_timeout: float = 60.0,
    on_result: Callable[[ConversionResult], None] | None = None,
    pool: ConverterPool | None = None,
) -> list[ConversionResult]:
    """Convert docs to ``out_dir/<stem>.pdf``; results in the order of ``docs``.

    With ``pool`` (started), the workers use its profiles, whose LibreOffice is already
    running: no start-up is paid. ``workers`` is then at most the pool's size.

    ``on_result``, if given, is called (from a worker thread) with each document's
    result as soon as it is known, its ``docx`` the resolved path: a caller can stamp
    the first PDFs while LibreOffice still converts the rest.

    ``workers`` soffice processes run side by side, each over its share of the docs.
    ``chunk_timeout`` caps one process (default 20 s + ``per_doc_timeout`` per doc); a
    process also stops when no document has come out for ``per_doc_timeout`` s. Docs
    left without a PDF are retried alone, each within ``per_doc_timeout`` s (start-up
    included). Per-document failures are results with ``error``, not exceptions.
    """
    docs = [Path(d) for d in docs]
    out_dir = Path(out_dir).resolve()  # soffice runs with cwd elsewhere
    out_dir.mkdir(parents=True, exist_ok=True)
    done: dict[Path, tuple[Path | None, str | None]] = {}
    todo: list[Path] = []
    stems: dict[str, Path] = {}
    for doc in docs:
        key = doc.resolve()
        if key in done or stems.get(key.stem) == key:
            continue  # the same file twice: converted once, reported twice
        reason = _precheck(key)
        other = stems.get(key.stem)
        if reason is None and other is not None:
            reason = (f"{doc.name}: another document in this batch ({other}) has the same "
                      "name; the PDFs would overwrite each other.")
        if reason is not None:
            done[key] = (None, reason)
            if on_result is not None:
                on_result(ConversionResult(key, None, reason))
        else:
            stems[key.stem] = key
            todo.append(key)
    if todo:
        soffice = find_soffice()
        n = max(1, min(workers, len(todo), len(pool.profiles) if pool and pool.profiles else workers))
        size, extra = divmod(len(todo), n)
        chunks, i = [], 0
        for k in range(n):
            j = i + size + (1 if k < extra else 0)
            chunks.append(todo[i:j])
            i = j
        with ThreadPoolExecutor(max_workers=n, thread_name_prefix="soffice") as ex:
            futures = [ex.submit(_convert_chunk, soffice, c, out_dir, chunk_timeout, per_doc_timeout, on_result,
                                 pool.profiles[k] if pool and pool.profiles else None,
                                 pool.log_reader(k) if pool and pool.profiles else None,
                                 functools.partial(pool.ready, k) if pool and pool.profiles else None)
                       for k, c in enumerate(chunks)]
            for fut in futures:
                done.update(fut.result())
    return [ConversionResult(d, *done[d.resolve()]) for d in docs]


# ---------------------------------------------------------------------------
# Hashes and verification codes
# ---------------------------------------------------------------------------

# 32 symbols without 0/O and 1/I, so a code read off paper can be typed back.
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_CODE_RE = re.compile(r"\b([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})\b")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verification_code(pdf_bytes: bytes) -> str:
    """12 base-32 symbols (60 bits) of the SHA-256 of pdf_bytes, as XXXX-XXXX-XXXX."""
    n = int.from_bytes(hashlib.sha256(pdf_bytes).digest()[:8], "big") >> 4
    chars = "".join(_CODE_ALPHABET[(n >> (5 * i)) & 31] for i in reversed(range(12)))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def normalize_code(text: str) -> str:
    """A code as typed by a person ("k7q2 9xhm 3pla") in the printed form, or "" if invalid."""
    raw = re.sub(r"[\s\-.]", "", text.upper())
    if len(raw) != 12 or any(c not in _CODE_ALPHABET for c in raw):
        return ""
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


# ---------------------------------------------------------------------------
# Low-level overlay drawing: raw PDF operators on a pypdf page (no reportlab canvas,
# no overlay PDF to parse) because stamp_letter runs for every letter of a batch.
# ---------------------------------------------------------------------------

_FONTS = {"/PPIDHelv": "Helvetica", "/PPIDHelvB": "Helvetica-Bold"}
_FONT_BY_NAME = {v: k for k, v in _FONTS.items()}


def _width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def _pdf_str(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")  # standard fonts speak WinAnsi
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _n(x: float) -> bytes:
    return (b"%.2f" % x).rstrip(b"0").rstrip(b".") or b"0"


class _Ops:
    """A content stream under construction."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def raw(self, data: bytes) -> _Ops:
        self.parts.append(data)
        return self

    def text(self, x: float, y: float, s: str, font: str, size: float, rgb=(0, 0, 0)) -> _Ops:
        self.parts.append(b"BT %s %s %s rg %s %s Tf %s %s Td %s Tj ET\n" % (
            _n(rgb[0]), _n(rgb[1]), _n(rgb[2]), _FONT_BY_NAME[font].encode(), _n(size),
            _n(x), _n(y), _pdf_str(s)))
        return self

    def rect(self, x: float, y: float, w: float, h: float) -> _Ops:
        self.parts.append(b"%s %s %s %s re\n" % (_n(x), _n(y), _n(w), _n(h)))
        return self

    def data(self) -> bytes:
        return b"".join(self.parts)


@lru_cache(maxsize=1)
def _font_resources():
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


def _overlay(page, ops: bytes, tail: bytes = b"") -> None:
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
    fonts.update(_font_resources()["/Font"])
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


def _upright(page) -> None:
    # Place stamps where the reader sees top/bottom, whatever /Rotate says.
    if page.rotation % 360:
        page.transfer_rotation_to_content()


# ---------------------------------------------------------------------------
# Reading PDFs and images safely
# ---------------------------------------------------------------------------

def _read_bytes(path: Path) -> bytes:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise AttachmentError(f"{path.name}: file not found.") from None
    except OSError as exc:
        raise AttachmentError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from None
    if not data:
        raise AttachmentError(f"{path.name}: the file is empty (0 bytes).")
    return data


def _open_pdf(path: Path, data: bytes):
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


_IMAGE_SUFFIXES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
_IMAGE_DPI = 200  # enough to read a photographed letter, small enough to e-mail


def _load_image(path: Path, data: bytes):
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


# ---------------------------------------------------------------------------
# Outgoing letters
# ---------------------------------------------------------------------------

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
    from pypdf import PdfWriter

    src, dst = Path(src), Path(dst)
    raw = _read_bytes(src)
    reader = _open_pdf(src, raw)
    try:
        data = _stamp_appended(raw, reader, register_no=register_no, letter_no=letter_no, code=code,
                               qr_payload=qr_payload)
    except Exception:  # noqa: BLE001 - anything unusual: the full rewrite below
        data = None
    if data is not None:
        _write_atomic(dst, data)
        return hashlib.sha256(data).hexdigest()
    try:
        writer = PdfWriter(clone_from=reader)
        pages = len(writer.pages)
        two_lines = None  # decided once, so that every page looks alike
        for i, page in enumerate(writer.pages, start=1):
            _upright(page)
            ops, qr_x, qr_y, two_lines = _footer_ops(page.cropbox, i, pages, register_no, letter_no, code, two_lines)
            qr = _qr_ops(qr_payload, qr_x, qr_y, _QR_SIZE) if i == 1 else b""
            _overlay(page, ops, qr)
        writer.add_metadata({_META_CODE: code, _META_LETTER: letter_no,
                             _META_REGISTER: register_no})
        buf = io.BytesIO()
        writer.write(buf)
    except Exception as exc:  # noqa: BLE001 - a PDF pypdf cannot rewrite is the source's fault
        raise AttachmentError(f"{src.name}: the PDF cannot be stamped ({exc}).") from None
    data = buf.getvalue()
    _write_atomic(dst, data)
    return hashlib.sha256(data).hexdigest()


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


def _serialize(obj) -> bytes:
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


def _stamp_appended(raw: bytes, reader, *, register_no: str, letter_no: str, code: str,
                    qr_payload: str) -> bytes | None:
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
        qr = _qr_ops(qr_payload, qr_x, qr_y, _QR_SIZE) if i == 1 else b""
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


def _write_atomic(dst: Path, data: bytes) -> None:
    """Write dst so that it is either the old file or the whole new one, never a part."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # umask applies (mkstemp: 0600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, dst)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


_FOOTER_FIELDS = {
    "register_no": re.compile(r"No\. Registrasi:\s*(.+?)\s*(?:\u00b7|\n|$)"),
    "letter_no": re.compile(r"Nomor Surat:\s*(.+?)\s*(?:\u00b7|\n|$)"),
}


def read_stamp(pdf: Path) -> StampInfo | None:
    """The stamp of a ppid letter (metadata, else the printed footer); None if unstamped."""
    pdf = Path(pdf)
    reader = _open_pdf(pdf, _read_bytes(pdf))
    try:
        meta = reader.metadata or {}
        values = {}
        for key in (_META_CODE, _META_LETTER, _META_REGISTER):
            v = meta.get(key)
            values[key] = str(v.get_object()) if v is not None else ""
        if values[_META_CODE]:
            return StampInfo(values[_META_CODE], values[_META_LETTER], values[_META_REGISTER])
        # Metadata dropped (e.g. re-saved by a viewer): read the footer of page 1.
        text = reader.pages[0].extract_text() or ""
    except Exception:  # noqa: BLE001 - unreadable text layer: treat as not a ppid letter
        return None
    m = re.search(r"Kode verifikasi:\s*" + _CODE_RE.pattern, text)
    if not m:
        return None
    found = {k: (rx.search(text) or [None, ""])[1] for k, rx in _FOOTER_FIELDS.items()}
    return StampInfo(m.group(1), found["letter_no"], found["register_no"])


# ---------------------------------------------------------------------------
# Incoming letters
# ---------------------------------------------------------------------------

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
