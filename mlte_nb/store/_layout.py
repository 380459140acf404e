"""Find and create the store's folders and files by id, safely.

Lookups try an id's canonical name, its twin and its legacy (mlte-python 0.2.x) name
(see ``_ids``), and accept a candidate only when it really belongs to the id: on a
case-insensitive file system ``Acc`` also opens ``acc``, so there the stored name (for
folders) or header (for files) is checked. Every path is checked to stay inside the
store root after symlinks are followed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path

from mlte_nb.errors import StoreError
from mlte_nb.store import _ids

NAME_FILE = ".mlte-name"


class Layout:
    """Path rules of one store root, with the file system's case sensitivity probed once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._case_insensitive: bool | None = None

    def contained(self, path: Path) -> Path:
        """Return ``path`` if it stays inside the root with symlinks followed, else raise."""
        real, root = path.resolve(), self.root.resolve()
        if real != root and root not in real.parents:
            msg = (
                f"{str(path)!r} leads outside the store {str(self.root)!r} (through a "
                "symlink); remove the link, the store only reads and writes inside its folder"
            )
            raise StoreError(msg)
        return path

    def is_case_insensitive(self, existing: Path) -> bool:
        """Return whether names differing by case open the same file (probed on ``existing``)."""
        if self._case_insensitive is None:
            swapped = existing.with_name(existing.name.swapcase())
            if swapped.name == existing.name:
                return True  # undecided: check identities the slow way this time
            try:
                self._case_insensitive = os.path.samefile(existing, swapped)
            except OSError:
                self._case_insensitive = False
        return self._case_insensitive

    def exact(self, path: Path) -> bool:
        """Return whether ``path`` exists under exactly its own name (not a case twin's)."""
        if not os.path.lexists(path):
            return False
        if not self.is_case_insensitive(path):
            return True
        return path.name in os.listdir(path.parent)

    # -- folders (models and versions) ---------------------------------------------------
    def find_folder(self, parent: Path, identifier: str, what: str) -> Path | None:
        """Return the folder of ``identifier`` under ``parent``, or None."""
        canonical = _ids.encode(identifier, what)
        for name in (canonical, _ids.twin(identifier), _ids.legacy(identifier)):
            if name is None:
                continue
            path = parent / name
            if path.is_dir() and self.exact(path) and folder_id(path) == identifier:
                return self.contained(path)
        return None

    def create_folder(self, parent: Path, identifier: str, what: str) -> Path:
        """Return the folder of ``identifier`` under ``parent``, creating it if missing."""
        for _ in range(3):
            found = self.find_folder(parent, identifier, what)
            if found is not None:
                return found
            self.contained(parent).mkdir(parents=True, exist_ok=True)
            name = _ids.encode(identifier, what)
            if os.path.lexists(parent / name):  # taken by a case twin
                name = _ids.twin(identifier)
            _make_folder(parent / name, identifier)
        msg = f"could not create the folder of {what} {identifier!r} in {str(parent)!r}"
        raise StoreError(msg)

    # -- artifact files ------------------------------------------------------------------
    def find_file(
        self, folder: Path, identifier: str, suffix: str, owner: Callable[[Path], str | None]
    ) -> Path | None:
        """Return the file of ``identifier`` in ``folder`` or None; ``owner`` reads a file's id."""
        canonical = folder / (_ids.encode(identifier) + suffix)
        if os.path.lexists(canonical) and not self.is_case_insensitive(canonical):
            return self.contained(canonical)
        twin = folder / (_ids.twin(identifier) + suffix)
        legacy = _ids.legacy(identifier)
        candidates = [canonical, twin] + ([folder / (legacy + suffix)] if legacy else [])
        for path in dict.fromkeys(candidates):
            if path.is_file() and (path == twin or owner(self.contained(path)) == identifier):
                return self.contained(path)
        return None


def folder_id(folder: Path) -> str:
    """Return the id of a model or version folder (its ``.mlte-name``, else its name)."""
    try:
        return (folder / NAME_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return _ids.name_to_id(folder.name)


def list_folders(parent: Path) -> list[str]:
    """Return the ids of the model or version folders in ``parent``, sorted."""
    if not parent.is_dir():
        return []
    with os.scandir(parent) as entries:
        found = [Path(e.path) for e in entries if e.name[0] != "." and e.is_dir()]
    return sorted(folder_id(path) for path in found)


def _make_folder(path: Path, identifier: str) -> None:
    """Create ``path`` for ``identifier``; a name that does not decode gets a ``.mlte-name``."""
    if _ids.name_to_id(path.name) == identifier:
        path.mkdir(exist_ok=True)
        return
    # Build it aside and rename it into place, so no reader sees it without its name file.
    tmp = path.parent / f".tmp-{secrets.token_hex(8)}.dir"
    tmp.mkdir()
    try:
        (tmp / NAME_FILE).write_text(identifier, encoding="utf-8")
        with contextlib.suppress(OSError):  # another writer created it first
            os.rename(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
