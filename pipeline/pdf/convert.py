"""LibreOffice batch conversion: DOCX letters to PDF.

``convert_to_pdf`` turns many DOCX files into PDFs with a few long-lived ``soffice``
processes (one per worker, never one per letter); a document that hangs or crashes
LibreOffice is retried alone and fails alone. ``ConverterPool`` keeps those processes
running for a whole batch.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import files
from pipeline.errors import ConversionError

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
                    files.place(made, final)  # atomic: never a half PDF under the final name
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


# Parts of a Word file that can run code or reach the network: VBA projects, ActiveX
# controls, and relationships to external targets (linked images, templates, OLE links).
_ACTIVE_PARTS = ("vbaproject", "vbadata", "activex", "macrosheets")


def clean_docx(data: bytes) -> bytes:
    """A requester's .docx without macros, ActiveX or external links, so that LibreOffice
    neither runs nor fetches anything while converting it. Raises ConversionError for a
    file that is no Word document."""
    import io
    import re

    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        names = src.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ConversionError(f"not a Word document ({exc})") from None
    if "word/document.xml" not in names:
        raise ConversionError("not a Word document (no word/document.xml inside)")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            low = info.filename.lower()
            if any(p in low for p in _ACTIVE_PARTS):
                continue
            if info.file_size > 50 * 1024 * 1024:
                raise ConversionError(f"a part of the document is too large ({info.filename})")
            body = src.read(info)
            if low.endswith(".rels"):
                body = re.sub(rb"<Relationship\b[^>]*TargetMode=\"External\"[^>]*/>", b"", body)
                body = re.sub(rb"<Relationship\b[^>]*(?:vbaProject|activeX)[^>]*/>", b"", body, flags=re.I)
            dst.writestr(info, body)
    return out.getvalue()


def docx_bytes_to_pdf(data: bytes, *, pool: ConverterPool | None = None, timeout: float = 60.0) -> bytes:
    """A .docx (as received) converted to PDF bytes by LibreOffice, the pool's when given;
    macros, ActiveX and external links are removed first (clean_docx). Raises ConversionError."""
    clean = clean_docx(data)
    with tempfile.TemporaryDirectory(prefix="ppid-docx-") as tmp:
        src = Path(tmp) / "surat.docx"
        from pipeline import files

        files.write(src, clean)
        [result] = convert_to_pdf([src], Path(tmp) / "pdf", workers=1, per_doc_timeout=timeout, pool=pool)
        if result.error or result.pdf is None:
            raise ConversionError(result.error or "LibreOffice made no PDF")
        return Path(result.pdf).read_bytes()
