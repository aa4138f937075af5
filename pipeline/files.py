"""Files on disk, one home each: the atomic write, the owner-only folder, the SHA-256."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path


def private_mkdir(path: Path) -> Path:
    """Create a folder readable by the owner only (it holds personal data, UU 27/2022)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)  # also when it came with the checkout as 0755
    return path


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write a file so that readers see the old or the new content, never half.

    The temporary file sits beside the target (same file system, so the rename is
    atomic), is fsync'ed, then renamed over the target; on any error it is removed.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


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
