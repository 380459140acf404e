"""LocalObjectSize: the size in bytes of a file or a folder (the model on disk)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, ClassVar

from mlte_nb.errors import MeasurementError
from mlte_nb.measure.base import Measurement
from mlte_nb.values.scalar import StorageSize


class LocalObjectSize(Measurement):
    """Measure the size of a file, or the total size of a folder, in bytes.

    Sizes are apparent sizes (``st_size``, what ``ls -l`` shows). In a folder each
    hard-linked file is counted once, and symlinks are never followed (a link counts
    its own size only, so a link to a big file elsewhere adds almost nothing). A
    symlink given as the path itself is followed: you named its target.

    Examples
    --------
    >>> size = LocalObjectSize("model size").evaluate("model/")
    >>> LocalObjectSize.value().less_than(3000)
    <Condition less_than(3000)>
    """

    value_class: ClassVar[type[StorageSize]] = StorageSize

    def evaluate(self, *args: Any, **kwargs: Any) -> StorageSize:
        """Return the StorageSize (bytes) of the path given as the one argument.

        Raises
        ------
        MeasurementError
            If the path does not exist.
        """
        value = super().evaluate(*args, **kwargs)
        assert isinstance(value, StorageSize)
        return value

    def _measure(self, *args: Any, **kwargs: Any) -> StorageSize:
        if len(args) != 1 or kwargs:
            msg = f"LocalObjectSize {self.identifier!r}.evaluate takes one path"
            raise MeasurementError(msg)
        path = Path(args[0])
        size = object_size(path)
        value = StorageSize(self.identifier, size)
        value.provenance = {"path": str(path.resolve())}
        return value


def object_size(path: str | os.PathLike[str]) -> int:
    """Return the size in bytes of a file, or the total of a folder (see LocalObjectSize)."""
    try:
        top = os.stat(path)
    except FileNotFoundError as exc:
        msg = (
            f"cannot measure the size of {os.fspath(path)!r}: it does not exist "
            f"(cwd {os.getcwd()!r}); check the path"
        )
        raise MeasurementError(msg) from exc
    except OSError as exc:
        msg = f"cannot measure the size of {os.fspath(path)!r}: {exc}"
        raise MeasurementError(msg) from exc
    if not stat.S_ISDIR(top.st_mode):
        return top.st_size
    seen: set[tuple[int, int]] = set()
    return _folder_size(os.fspath(path), seen)


def _folder_size(folder: str, seen: set[tuple[int, int]]) -> int:
    total = 0
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        msg = f"cannot list {folder!r} to measure its size: {exc}"
        raise MeasurementError(msg) from exc
    for entry in entries:
        info = entry.stat(follow_symlinks=False)
        if stat.S_ISDIR(info.st_mode):
            total += _folder_size(entry.path, seen)
            continue
        if info.st_nlink > 1:
            key = (info.st_dev, info.st_ino)
            if key in seen:
                continue
            seen.add(key)
        total += info.st_size
    return total
