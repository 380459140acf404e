"""Atomic file writes and file locks.

A write goes to a hidden temp file in the target's folder (``.tmp-<random>.part``),
is flushed to disk, then renamed or linked into place. The writer holds an exclusive
lock on its temp file until it is done, so :func:`remove_stale_temp` can tell a
crashed writer's leftover from a file that is still being written.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path

TEMP_PREFIX, TEMP_SUFFIX = ".tmp-", ".part"

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int, *, blocking: bool = True) -> bool:
        mode = msvcrt.LK_LOCK if blocking else msvcrt.LK_NBLCK
        try:
            msvcrt.locking(fd, mode, 1)
        except OSError:
            if blocking:
                raise
            return False
        return True

else:
    import fcntl

    def _lock(fd: int, *, blocking: bool = True) -> bool:
        flags = fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB
        try:
            fcntl.flock(fd, flags)
        except BlockingIOError:
            return False
        return True


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        _lock(fd)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def temp_file(folder: Path, text: str) -> Iterator[str]:
    """Write ``text`` to a new locked temp file in ``folder``; yield its path.

    The file is removed on exit unless it was renamed away; the lock lasts until then.
    """
    # Like mkstemp, but created with mode 0o666 so the umask decides (mkstemp forces 0o600).
    tmp = str(folder / f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        _lock(fd)
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
        yield tmp
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    if sys.platform == "win32":  # pragma: no cover - folders cannot be opened there
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with temp_file(path.parent, text) as tmp:
        os.replace(tmp, path)
    fsync_dir(path.parent)


def is_temp(name: str) -> bool:
    """Return whether ``name`` is one of our temp files."""
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)


def remove_stale_temp(path: Path, older_than_s: float) -> bool:
    """Remove the temp file ``path`` if it is old and no writer holds it; return whether.

    A writer locks its temp file for as long as it writes, so a lock we can take
    belongs to a writer that has finished or died.
    """
    try:
        fd = os.open(path, os.O_RDONLY if sys.platform != "win32" else os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        if time.time() - os.fstat(fd).st_mtime < older_than_s:
            return False
        if not _lock(fd, blocking=False):
            return False
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        return True
    finally:
        os.close(fd)
