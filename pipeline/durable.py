"""Writing to disk so that a full disk, a read-only folder or a crash leaves nothing half-done.

- `append_all_or_nothing`: the event log gets a whole batch of events or none of them; on
  any write error (ENOSPC, EDQUOT, EIO…) the file is cut back to its previous length, so
  no torn line stays behind to be dropped (and its request's letters forgotten) later;
  after a kill or a power loss, an intent file tells the next reader where to cut
  (`pending_length`, `finish_pending`).
- `write_new`: the append's intent file; on failure no half file and an error that names
  the file. Whole files are written by `pipeline.files.write`, the one safe writer.
- `write_all`: os.write until every byte is out (a short write is not an error).
- `make_dir`: a folder ppid creates is owner-only; a folder it did not create keeps its mode.
- `remove_stale_temp`: the half-written files of a killed run, by ppid's own names only.
- `os_error_message`: an OSError as one line naming the path and what to do.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

# The temporary names ppid writes, each at its depth below the folder it cleans (issue 12
# item 7: never another program's *.tmp, such as .git/.COMMIT.tmp):
# records/.register.csv.<pid>.<hex>.tmp and out/<register-folder>/.<letter>.pdf.<pid>.<hex>.tmp
# (pipeline.files.temp_name; older runs left .<letter>.docx.tmp and .register.csv.<pid>.tmp).
RECORDS_TEMP = re.compile(r"^\.(register\.(csv|parquet)|events\.jsonl|survey-\d+\.json)\.\d+(\.[0-9a-f]+)?\.tmp$")
LETTERS_TEMP = re.compile(r"^\.[^/]+\.(docx|pdf)(\.\d+(\.[0-9a-f]+)?)?\.tmp$")


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of `data` to `fd`, however many calls it takes."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def write_new(path: Path, data: bytes, *, mode: int = 0o666) -> None:
    """Write `data` to `path` (created or truncated; the umask applies to `mode`). On
    failure the partial file is removed and the error names `path` (a buffered write's
    OSError names no file)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)  # never through a link
    except OSError as exc:
        exc.filename = exc.filename or str(path)
        raise
    try:
        try:
            write_all(fd, data)
        finally:
            os.close(fd)
    except OSError as exc:
        try:
            os.unlink(path)
        except OSError:
            pass
        exc.filename = exc.filename or str(path)
        raise


def _intent(path: Path) -> Path:
    return path.with_name(f".{path.name}.pending")


def append_all_or_nothing(path: Path, data: bytes) -> None:
    """Append `data` and fsync; on failure cut the file back to where it was, then re-raise.

    Before appending, the file's length is written to `.<name>.pending` (the intent);
    it is removed once the data is on disk. A process killed (or a machine losing power)
    half-way through leaves the intent behind, and `pending_length` tells the next
    reader where the last whole append ended: a batch of events is in the log entirely
    or not at all, even when the kill cut it at a line boundary.

    The caller holds the records lock, so nobody else appends meanwhile."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        start = os.fstat(fd).st_size
        intent = _intent(path)
        write_new(intent, b"%d\n" % start, mode=0o600)
        ifd = os.open(intent, os.O_RDONLY)
        try:
            os.fsync(ifd)
        finally:
            os.close(ifd)
        try:
            write_all(fd, data)
            os.fsync(fd)
        except OSError as exc:
            exc.filename = exc.filename or str(path)
            try:  # truncating frees blocks: it needs no space
                os.ftruncate(fd, start)
                os.fsync(fd)
                intent.unlink()
            except OSError:
                pass  # the intent stays: the next reader cuts the file back
            raise
        intent.unlink()
    finally:
        os.close(fd)


def pending_length(path: Path) -> int | None:
    """Where the file ended before an append that did not finish, or None."""
    try:
        text = _intent(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else -1  # -1: the intent itself was cut short


def finish_pending(path: Path) -> None:
    """Cut the file back to before an unfinished append and drop the intent (lock held)."""
    length = pending_length(path)
    if length is None:
        return
    if length >= 0 and path.exists() and path.stat().st_size > length:
        with path.open("r+b") as fh:
            fh.truncate(length)
            fh.flush()
            os.fsync(fh.fileno())
    _intent(path).unlink(missing_ok=True)


def make_dir(path: Path, mode: int = 0o700) -> Path:
    """Create `path` (and parents) owner-only; an existing folder is left as its owner set it
    (a shared 1777 folder stays shared: ppid sets modes only on what it creates)."""
    path = Path(path)
    missing = []
    p = path
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    path.mkdir(parents=True, exist_ok=True, mode=mode)
    for created in missing:
        try:
            created.chmod(mode)  # mkdir's mode is filtered by the umask
        except OSError:
            pass
    return path


def remove_stale_temp(folder: Path, pattern: re.Pattern, depth: int) -> list[Path]:
    """Remove files named like ppid's temporary files exactly `depth` levels below `folder`
    (1: in it; 2: in its sub-folders). Hidden sub-folders (.git, …) are never entered."""
    folder = Path(folder)
    removed = []
    if depth == 1:
        candidates = [folder]
    else:
        try:
            candidates = [d for d in folder.iterdir() if d.is_dir() and not d.is_symlink() and not d.name.startswith(".")]
        except OSError:
            return removed
    for d in candidates:
        try:
            entries = list(d.iterdir())
        except OSError:
            continue
        for f in entries:
            if pattern.match(f.name) and f.is_file() and not f.is_symlink():
                try:
                    f.unlink()
                    removed.append(f)
                except OSError:
                    pass
    return removed


_HINTS = {
    errno.ENOSPC: "the disk is full; free some space and run the same command again (nothing half-written was kept)",
    errno.EDQUOT: "the disk quota is used up; free some space and run the same command again (nothing half-written was kept)",
    errno.EROFS: "the file system is read-only; give a writable folder",
    errno.EACCES: "permission denied; give a folder you may write to, or fix its permissions",
    errno.EPERM: "operation not permitted; give a folder you may write to, or fix its permissions",
    errno.ENOENT: "no such file or folder; check the path",
    errno.ENOTDIR: "a part of the path is a file, not a folder; check the path",
    errno.EISDIR: "is a folder where a file was expected; check the path",
    errno.EEXIST: "a file stands where a folder is needed; give a folder's path",
    errno.EIO: "input/output error; check the disk",
    errno.ELOOP: "ppid writes through no symbolic link (pipeline.files); remove the link, or give the real path",
}


def os_error_message(exc: OSError) -> str:
    """One line: the path, what went wrong, what to do."""
    name = errno.errorcode.get(exc.errno or 0, "")
    where = exc.filename if exc.filename is not None else ""
    hint = _HINTS.get(exc.errno or 0) or (exc.strerror or str(exc))
    what = f"{exc.strerror} [{name}]" if exc.strerror else str(exc)
    return f"{where}: {what}; {hint}" if where else f"{what}; {hint}"
