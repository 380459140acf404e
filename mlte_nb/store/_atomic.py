"""Atomic file writes: a temp file in the same folder, flushed to disk, then renamed."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_temp(folder: Path, text: str) -> str:
    """Write ``text`` to a new hidden temp file in ``folder``; return its path."""
    # Like mkstemp, but created with mode 0o666 so the umask decides (mkstemp forces 0o600).
    tmp = str(folder / f".tmp-{secrets.token_hex(8)}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    return tmp


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = write_temp(path.parent, text)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)
