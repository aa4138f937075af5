"""Files on disk, one home each: the one safe writer, the owner-only folder, the SHA-256.

Every file ppid writes (book, export, report, letters, stamped copies, survey results, desk
uploads, request files, users) goes through `write` (or `stage` then `Staged.commit`):

- the bytes go first to a temporary file in the target's own folder, created with
  ``O_CREAT|O_EXCL|O_NOFOLLOW`` under a random name, so a link planted at a name ppid
  uses is never followed and never opened (an existing name is an error, not a victim);
- the temporary file is fsync'ed, renamed over the target in one step (readers see the
  old or the new file, never half of it), and the folder is fsync'ed so the rename
  survives a power loss;
- a symbolic link standing at the target's name is refused (exit 2, one line naming it):
  ppid never writes through a link, and it does not replace one it did not make either,
  since the link may be how the office routes a file;
- on any failure (a full disk, a read-only folder) the temporary file is removed and the
  error names the target.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import stat
from pathlib import Path
from typing import BinaryIO, Callable

from pipeline import durable

Writer = Callable[[BinaryIO], None]


def private_mkdir(path: Path) -> Path:
    """Create a folder readable by the owner only (it holds personal data, UU 27/2022); a folder
    that exists already keeps the mode its owner gave it (pipeline.durable)."""
    return durable.make_dir(Path(path), 0o700)


def temp_name(name: str) -> str:
    """The temporary name beside `name`: hidden, this process's id and 8 random hex digits
    (durable.RECORDS_TEMP and LETTERS_TEMP match it, so a killed run's leftovers are swept)."""
    return f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def _refuse_link(path: Path) -> None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise OSError(errno.ELOOP, "a symbolic link stands at this name", str(path))
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EISDIR if stat.S_ISDIR(st.st_mode) else errno.EEXIST,
                      "not a regular file", str(path))


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename itself is atomic
    finally:
        os.close(fd)


class Staged:
    """A complete temporary file beside its target, not yet visible under the target's name."""

    def __init__(self, target: Path, tmp: Path):
        self.target, self.path = target, tmp

    def commit(self) -> Path:
        """Rename the temporary file over the target (refused if a link stands there now)."""
        try:
            _refuse_link(self.target)
            os.replace(self.path, self.target)  # rename never follows a link at the target
        except BaseException:
            self.discard()
            raise
        _fsync_dir(self.target.parent)
        return self.target

    def discard(self) -> None:
        try:
            os.unlink(self.path)
        except OSError:
            pass

    def __enter__(self) -> "Staged":
        return self

    def __exit__(self, *exc) -> None:
        self.discard()  # after commit, the temporary name is gone: nothing to do


def stage(path: Path, data: bytes | Writer, *, mode: int = 0o600) -> Staged:
    """Write `data` (bytes, or a function given a binary file to write to) to a new temporary
    file beside `path`, fsync'ed; return it for `commit` or `discard`."""
    path = Path(path)
    _refuse_link(path)
    tmp = path.with_name(temp_name(path.name))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(tmp, flags, mode)
    except OSError as exc:
        exc.filename = str(path)
        raise
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (bytes, bytearray, memoryview)):
                durable.write_all(fh.fileno(), bytes(data))
            else:
                data(fh)
                fh.flush()
            os.fsync(fh.fileno())
    except BaseException as exc:
        if isinstance(exc, OSError):
            exc.filename = str(path)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return Staged(path, tmp)


def write(path: Path, data: bytes | Writer, *, mode: int = 0o600) -> Path:
    """Write a whole file safely (see the module's docstring); return its path."""
    return stage(path, data, mode=mode).commit()


def place(src: Path, dst: Path) -> Path:
    """Move a finished file made by another program (LibreOffice) to `dst` in one step,
    refusing a link at `dst`; `src` must be on the same file system."""
    dst = Path(dst)
    _refuse_link(dst)
    os.replace(src, dst)
    _fsync_dir(dst.parent)
    return dst


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """`write`, under the name the register and the desk have long called it by."""
    write(path, data, mode=mode)


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of bytes in memory, as hex."""
    return hashlib.sha256(data).hexdigest()
