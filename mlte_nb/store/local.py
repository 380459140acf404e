"""A store of JSON files, laid out like mlte-python 0.2.x file stores."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from mlte_nb.errors import (
    ArtifactExistsError,
    ArtifactFormatError,
    ArtifactNotFoundError,
    MlteError,
    StoreError,
)
from mlte_nb.store import _ids, _json
from mlte_nb.store._atomic import fsync_dir, is_temp, locked, remove_stale_temp, temp_file
from mlte_nb.store._layout import Layout, list_folders
from mlte_nb.store.base import Document, not_found

_SUFFIX = ".json"
_CHUNK = 1 << 16
_HISTORY = ".history"
_LOCKS = ".locks"


class JsonStore:
    """Artifacts as strict JSON files under ``<root>/models/<model>/<version>/``.

    Writes go to a temporary file in the same folder, are flushed to disk and then
    renamed, so a reader sees the old artifact or the new one, never a partial file.
    Writers of one artifact take turns through a lock file (``.locks/``); ``force``
    keeps the replaced file in ``.history/<artifact>/``.
    """

    def __init__(self, root: str | os.PathLike[str], uri: str | None = None) -> None:
        self.root = Path(root).absolute()
        self.uri = uri or f"local://{self.root}"
        self._layout = Layout(self.root)
        self._known: dict[tuple[str, str], Path] = {}

    def __repr__(self) -> str:
        return f"JsonStore({str(self.root)!r})"

    # -- folders -------------------------------------------------------------------------
    @property
    def _models(self) -> Path:
        return self.root / "models"

    def _find_version(self, model: str, version: str) -> Path | None:
        # Folders never move once made, so a found one is remembered (checked it still exists).
        known = self._known.get((model, version))
        if known is not None and known.is_dir():
            return known
        model_dir = self._layout.find_folder(self._models, model, "model name")
        if model_dir is None:
            _ids.check_id(version, "version")
            return None
        found = self._layout.find_folder(model_dir, version, "version")
        if found is not None:
            self._known[(model, version)] = found
        return found

    def _version_dir(self, model: str, version: str) -> Path:
        """Return the version's folder (where it would be, if it does not exist)."""
        found = self._find_version(model, version)
        if found is not None:
            return found
        return self._models / _ids.encode(model, "model name") / _ids.encode(version, "version")

    def _path(self, model: str, version: str, artifact_id: str) -> Path:
        """Return the artifact's file (where it would be, if it does not exist)."""
        folder = self._version_dir(model, version)
        found = self._find_file(folder, artifact_id)
        return found or folder / (_ids.encode(artifact_id) + _SUFFIX)

    def _find_file(self, folder: Path, artifact_id: str) -> Path | None:
        return self._layout.find_file(folder, artifact_id, _SUFFIX, _owner)

    def models(self) -> list[str]:
        """Return the model names in the store, sorted."""
        return list_folders(self._models)

    def versions(self, model: str) -> list[str]:
        """Return the versions of ``model``, sorted."""
        model_dir = self._layout.find_folder(self._models, model, "model name")
        return list_folders(model_dir) if model_dir else []

    def has_version(self, model: str, version: str) -> bool:
        """Return whether ``model``/``version`` exists."""
        return self._find_version(model, version) is not None

    def create_version(self, model: str, version: str) -> None:
        """Create ``model``/``version`` (and the model) if missing."""
        _ids.check_id(version, "version")
        with self._writing(f"{model} {version}"):
            model_dir = self._layout.create_folder(self._models, model, "model name")
            self._layout.create_folder(model_dir, version, "version")

    # -- artifacts -----------------------------------------------------------------------
    def exists(self, model: str, version: str, artifact_id: str) -> bool:
        """Return whether the artifact exists."""
        folder = self._find_version(model, version)
        return folder is not None and self._find_file(folder, artifact_id) is not None

    def write(
        self, model: str, version: str, artifact_id: str, document: Document, *, force: bool
    ) -> None:
        """Store ``document`` atomically; ``force`` moves the old one into history."""
        _ids.check_id(artifact_id)
        folder = self._find_version(model, version)
        if folder is None:
            raise ArtifactNotFoundError(not_found(self, model, version, artifact_id))
        text = _json.dumps(document)
        with self._writing(repr(artifact_id)):
            with locked(self._lock_file(folder, artifact_id)), temp_file(folder, text) as tmp:
                if force:
                    self._replace(folder, artifact_id, tmp)
                else:
                    self._create(folder, artifact_id, tmp, f"{model} {version}")
            fsync_dir(folder)

    @contextlib.contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        """Turn the OS refusing a write (read-only, no permission, disk full) into one line."""
        try:
            yield
        except MlteError:
            raise
        except OSError as exc:
            msg = (
                f"cannot write {what} to store {self.uri!r}: {exc.strerror or exc}; "
                "use a writable store (set_store, --store) or fix the folder's permissions"
            )
            raise StoreError(msg) from exc

    def _lock_file(self, folder: Path, artifact_id: str) -> Path:
        locks = self._layout.contained(folder / _LOCKS)
        locks.mkdir(exist_ok=True)
        return locks / (_ids.encode(artifact_id) + ".lock")

    def _create(self, folder: Path, artifact_id: str, tmp: str, where: str) -> None:
        exists_msg = (
            f"artifact {artifact_id!r} already exists for {where}; "
            "pass force=True to replace it (the old one is kept in history)"
        )
        canonical = _ids.encode(artifact_id)
        if _ids.legacy(artifact_id) not in (None, canonical) and self._find_file(
            folder, artifact_id
        ):
            raise ArtifactExistsError(exists_msg)  # written unescaped by mlte-python 0.2.x
        for name in (canonical, _ids.twin(artifact_id)):
            try:  # atomic: fails if the name exists, even when another writer races us
                os.link(tmp, folder / (name + _SUFFIX))
                return
            except FileExistsError:
                if self._find_file(folder, artifact_id) is not None:
                    raise ArtifactExistsError(exists_msg) from None
                # else the name belongs to a case twin: take the twin name
        raise ArtifactExistsError(exists_msg)

    def _replace(self, folder: Path, artifact_id: str, tmp: str) -> None:
        path = self._find_file(folder, artifact_id)
        if path is not None:
            self._keep_history(path)
        else:
            path = folder / (_ids.encode(artifact_id) + _SUFFIX)
            if os.path.lexists(path):  # a case twin holds the canonical name
                path = folder / (_ids.twin(artifact_id) + _SUFFIX)
        os.replace(tmp, path)

    def _history_dir(self, path: Path) -> Path:
        return self._layout.contained(path.parent / _HISTORY / path.name[: -len(_SUFFIX)])

    def _keep_history(self, path: Path) -> None:
        folder = self._history_dir(path)
        folder.mkdir(parents=True, exist_ok=True)
        # time first, so names sort oldest first; pid and random part so they never collide
        name = f"{time.time_ns():020d}-{os.getpid()}-{secrets.token_hex(4)}{_SUFFIX}"
        os.link(path, folder / name)

    def read(self, model: str, version: str, artifact_id: str) -> Document:
        """Return the stored document; a missing one raises ArtifactNotFoundError."""
        folder = self._find_version(model, version)
        path = self._find_file(folder, artifact_id) if folder else None
        if path is None:
            raise ArtifactNotFoundError(not_found(self, model, version, artifact_id))
        return _read(path)

    def read_all(self, model: str, version: str) -> list[Document]:
        """Return every artifact document of ``model``/``version`` (no cap), by file name."""
        folder = self._find_version(model, version)
        if folder is None:
            return []
        with os.scandir(folder) as entries:
            found = sorted(
                (e.name, e.path, e.is_symlink())
                for e in entries
                if e.name.endswith(_SUFFIX) and e.name[0] != "." and e.is_file()
            )
        contained = self._layout.contained
        return [_read(contained(Path(path)) if link else path) for _, path, link in found]

    def history(self, model: str, version: str, artifact_id: str) -> list[Document]:
        """Return the replaced versions of an artifact, oldest first."""
        folder = self._find_version(model, version)
        if folder is None:
            return []
        path = self._path(model, version, artifact_id)
        history = self._history_dir(path)
        if not history.is_dir():
            return []
        return [_read(p) for p in sorted(history.glob("*" + _SUFFIX)) if p.name[0] != "."]

    def clean(self, older_than_s: float = 600.0) -> list[Path]:
        """Remove temp files left by crashed writers; return what was removed.

        Only files older than ``older_than_s`` seconds that no writer holds locked are
        removed, so a write in progress in another process is never disturbed.
        """
        removed = []
        for folder in (self._models, *self._models.glob("*"), *self._models.glob("*/*")):
            if not folder.is_dir() or folder.is_symlink():
                continue
            for path in folder.iterdir():
                if is_temp(path.name) and remove_stale_temp(path, older_than_s):
                    removed.append(path)
                elif _is_stale_folder(path, older_than_s):
                    shutil.rmtree(path, ignore_errors=True)
                    removed.append(path)
        return removed


def _is_stale_folder(path: Path, older_than_s: float) -> bool:
    """Return whether ``path`` is a half-made model/version folder left by a crash."""
    if not (path.name.startswith(".tmp-") and path.name.endswith(".dir")):
        return False
    return time.time() - path.stat().st_mtime >= older_than_s


def _read_bytes(path: Path | str) -> bytes:
    """Return a file's bytes with the fewest system calls (stores list thousands of files)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        chunks = [os.read(descriptor, _CHUNK)]
        while len(chunks[-1]) == _CHUNK:  # a short read of a regular file is its end
            chunks.append(os.read(descriptor, _CHUNK))
    finally:
        os.close(descriptor)
    return b"".join(chunks)


def _owner(path: Path) -> str | None:
    """Return the identifier in a file's header, or None if it cannot be read."""
    try:
        return str(_read(path)["header"].get("identifier"))
    except (OSError, ArtifactFormatError, AttributeError):
        return None


def _read(path: Path | str) -> Document:
    try:
        document = _json.loads(_read_bytes(path).decode("utf-8"))
    except ValueError as exc:
        msg = f"artifact file {str(path)!r} is not valid JSON ({exc}); restore it from history"
        raise ArtifactFormatError(msg) from exc
    if not (
        isinstance(document, dict)
        and isinstance(document.get("header"), dict)
        and isinstance(document.get("body"), dict)
    ):
        msg = f"artifact file {str(path)!r} lacks the header/body of an MLTE artifact"
        raise ArtifactFormatError(msg)
    return document
