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
- a symbolic link standing at a folder between the configured root and the target
  (``out/<register no>/``, ``records/public/``) is refused the same way: the folder is
  reached by opening each component from the root with ``O_DIRECTORY|O_NOFOLLOW``, and the
  temporary file is created, renamed and removed relative to that open folder, so a link
  planted at a folder, even while a file is written, never leads a write elsewhere. A root
  is the folder that holds a path a command was given (`rooted`: --records, --out, the
  inbox …): the office's path to it may pass through links, but the folders it names and
  everything below them must be real (give the real path of a folder kept elsewhere). A
  target under no root has its own folder checked;
- on any failure (a full disk, a read-only folder) the temporary file is removed and the
  error names the target.
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from pipeline import durable

Writer = Callable[[BinaryIO], None]


# The folders holding the paths a command was given; below them no folder may be a link.
_ROOTS: set[Path] = set()
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)
LINKED_FOLDER = "a symbolic link stands at a folder ppid writes into"


@contextmanager
def rooted(*paths) -> Iterator[None]:
    """While the block runs (a command), root the writer at the folder holding each of
    `paths` (as given, and where it leads): the path given and every folder ppid writes into
    below it must be real folders."""
    before = set(_ROOTS)
    for p in paths:
        if isinstance(p, (str, Path)) and str(p):
            _ROOTS.add(Path(os.path.abspath(p)).parent)
            _ROOTS.add(Path(os.path.realpath(p)).parent)
    try:
        yield
    finally:
        _ROOTS.intersection_update(before)


def _root_of(folder: Path) -> Path:
    """The highest root above `folder` (the most folders checked), else its own parent."""
    best = None
    for r in _ROOTS:
        if (r == folder or r in folder.parents) and (best is None or len(r.parts) < len(best.parts)):
            best = r
    return best if best is not None else folder.parent


def _linked(exc: OSError, fd: int, part: str) -> bool:
    if exc.errno not in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
        return False
    try:
        return stat.S_ISLNK(os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


_UMASK = -1  # make_dir(mode=None): the process's umask decides


def _open_folder(folder: Path, create: int | None = None) -> int:
    """An open descriptor of `folder`, reached from its root one real folder at a time
    (``O_NOFOLLOW``); with `create`, missing folders are made with that mode (`_UMASK`: 0o777
    filtered by the umask)."""
    folder = Path(os.path.abspath(folder))
    root = _root_of(folder)
    if create is not None and not os.path.isdir(root):
        # the root itself is the office's to place: made as asked, links above it allowed
        if create == _UMASK:
            root.mkdir(parents=True, exist_ok=True)
        else:
            durable.make_dir(root, create)
    fd = os.open(root, _DIR_FLAGS)
    here = root
    try:
        for part in folder.relative_to(root).parts:
            here = here / part
            try:
                nfd = os.open(part, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                if create is None:
                    raise
                try:
                    os.mkdir(part, 0o777 if create == _UMASK else create, dir_fd=fd)
                except FileExistsError:
                    pass  # made meanwhile (another run): opened below, links still refused
                nfd = os.open(part, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
                if create != _UMASK:
                    try:
                        os.fchmod(nfd, create)  # mkdir's mode is filtered by the umask
                    except OSError:
                        pass
            except OSError as exc:
                if _linked(exc, fd, part):
                    raise OSError(errno.ELOOP, LINKED_FOLDER, str(here)) from None
                exc.filename = str(here)
                raise
            os.close(fd)
            fd = nfd
    except BaseException:
        os.close(fd)
        raise
    return fd


def make_dir(path: Path, mode: int | None = 0o700) -> Path:
    """Create `path` and the folders above it (below its root) with `mode` (None: as the umask
    says), refusing a link at any of them; a folder that exists keeps the mode its owner gave it."""
    os.close(_open_folder(Path(path), create=_UMASK if mode is None else mode))
    return Path(path)


def refuse_links(*paths: Path) -> None:
    """Refuse (ELOOP, naming it) the first of `paths` that is a symbolic link: a check before a
    command writes anything, so that a planted folder link stops it before its first file."""
    for p in paths:
        if os.path.islink(p):
            raise OSError(errno.ELOOP, LINKED_FOLDER, str(p))


def private_mkdir(path: Path) -> Path:
    """Create a folder readable by the owner only (it holds personal data, UU 27/2022); a folder
    that exists already keeps the mode its owner gave it."""
    return make_dir(Path(path), 0o700)


def temp_name(name: str) -> str:
    """The temporary name beside `name`: hidden, this process's id and 8 random hex digits
    (durable.RECORDS_TEMP and LETTERS_TEMP match it, so a killed run's leftovers are swept)."""
    return f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def _refuse_link(path: Path, fd: int | None = None) -> None:
    try:
        st = os.stat(path.name if fd is not None else path, dir_fd=fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise OSError(errno.ELOOP, "a symbolic link stands at this name", str(path))
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EISDIR if stat.S_ISDIR(st.st_mode) else errno.EEXIST,
                      "not a regular file", str(path))


def _fsync_fd(fd: int) -> None:
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot fsync a folder; the rename itself is atomic


class Staged:
    """A complete temporary file beside its target, not yet visible under the target's name;
    it holds its folder open, so commit and discard act in that very folder."""

    def __init__(self, target: Path, tmp: Path, folder_fd: int):
        self.target, self.path, self._fd = target, tmp, folder_fd

    def commit(self) -> Path:
        """Rename the temporary file over the target (refused if a link stands there now)."""
        if self._fd is None:
            raise OSError(errno.EBADF, "already committed or discarded", str(self.target))
        try:
            _refuse_link(self.target, self._fd)
            # rename never follows a link at the target; both names in the folder opened
            os.replace(self.path.name, self.target.name, src_dir_fd=self._fd, dst_dir_fd=self._fd)
        except BaseException:
            self.discard()
            raise
        _fsync_fd(self._fd)
        self._close()
        return self.target

    def discard(self) -> None:
        if self._fd is None:
            return  # committed or discarded: the temporary name is gone
        try:
            os.unlink(self.path.name, dir_fd=self._fd)
        except OSError:
            pass
        self._close()

    def _close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def __enter__(self) -> "Staged":
        return self

    def __exit__(self, *exc) -> None:
        self.discard()


def stage(path: Path, data: bytes | Writer, *, mode: int = 0o600) -> Staged:
    """Write `data` (bytes, or a function given a binary file to write to) to a new temporary
    file beside `path`, fsync'ed; return it for `commit` or `discard`."""
    path = Path(path)
    folder = _open_folder(path.parent)
    try:
        _refuse_link(path, folder)
        tmp = path.with_name(temp_name(path.name))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(tmp.name, flags, mode, dir_fd=folder)
        except OSError as exc:
            exc.filename = str(path)
            raise
    except BaseException:
        os.close(folder)
        raise
    staged = Staged(path, tmp, folder)
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
        staged.discard()
        raise
    return staged


def write(path: Path, data: bytes | Writer, *, mode: int = 0o600) -> Path:
    """Write a whole file safely (see the module's docstring); return its path."""
    return stage(path, data, mode=mode).commit()


def place(src: Path, dst: Path) -> Path:
    """Move a finished file made by another program (LibreOffice) to `dst` in one step,
    refusing a link at `dst` or at a folder above it; `src` must be on the same file system."""
    dst = Path(dst)
    folder = _open_folder(dst.parent)
    try:
        _refuse_link(dst, folder)
        os.replace(src, dst.name, dst_dir_fd=folder)
        _fsync_fd(folder)
    finally:
        os.close(folder)
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
