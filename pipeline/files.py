"""Files on disk, one home each: the atomic write, the owner-only folder, the SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline import durable


def private_mkdir(path: Path) -> Path:
    """Create a folder readable by the owner only (it holds personal data, UU 27/2022); a folder
    that exists already keeps the mode its owner gave it (pipeline.durable)."""
    return durable.make_dir(Path(path), 0o700)


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write a file so that readers see the old or the new content, never half; a full disk is
    an error naming the file and leaves nothing behind (pipeline.durable)."""
    durable.write_file_atomic(Path(path), data, mode=mode)


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
