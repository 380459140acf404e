"""A store of JSON files, laid out like mlte-python 0.2.x file stores."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from mlte_nb.errors import ArtifactExistsError, ArtifactFormatError, ArtifactNotFoundError
from mlte_nb.store import _ids, _json
from mlte_nb.store._atomic import fsync_dir, write_temp
from mlte_nb.store.base import Document, not_found

_SUFFIX = ".json"
_HISTORY = ".history"


class JsonStore:
    """Artifacts as strict JSON files under ``<root>/models/<model>/<version>/``.

    Writes go to a temporary file in the same folder, are flushed to disk and then
    renamed, so a reader sees the old artifact or the new one, never a partial file.
    """

    def __init__(self, root: str | os.PathLike[str], uri: str | None = None) -> None:
        self.root = Path(root).absolute()
        self.uri = uri or f"local://{self.root}"

    def __repr__(self) -> str:
        return f"JsonStore({str(self.root)!r})"

    # -- folders -------------------------------------------------------------------------
    def _model_dir(self, model: str) -> Path:
        return self.root / "models" / _ids.encode(model, "model name")

    def _version_dir(self, model: str, version: str) -> Path:
        return self._model_dir(model) / _ids.encode(version, "version")

    def _path(self, model: str, version: str, artifact_id: str) -> Path:
        return self._version_dir(model, version) / (_ids.encode(artifact_id) + _SUFFIX)

    def models(self) -> list[str]:
        """Return the model names in the store, sorted."""
        return _names(self.root / "models")

    def versions(self, model: str) -> list[str]:
        """Return the versions of ``model``, sorted."""
        return _names(self._model_dir(model))

    def has_version(self, model: str, version: str) -> bool:
        """Return whether ``model``/``version`` exists."""
        return self._version_dir(model, version).is_dir()

    def create_version(self, model: str, version: str) -> None:
        """Create ``model``/``version`` (and the model) if missing."""
        self._version_dir(model, version).mkdir(parents=True, exist_ok=True)

    # -- artifacts -----------------------------------------------------------------------
    def exists(self, model: str, version: str, artifact_id: str) -> bool:
        """Return whether the artifact exists."""
        return self._path(model, version, artifact_id).is_file()

    def write(
        self, model: str, version: str, artifact_id: str, document: Document, *, force: bool
    ) -> None:
        """Store ``document`` atomically; ``force`` moves the old one into history."""
        path = self._path(model, version, artifact_id)
        if not path.parent.is_dir():
            raise ArtifactNotFoundError(not_found(self, model, version, artifact_id))
        tmp = write_temp(path.parent, _json.dumps(document))
        try:
            if force:
                self._keep_history(path)
                os.replace(tmp, path)
            else:
                _create_exclusive(tmp, path, artifact_id, model, version)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        fsync_dir(path.parent)

    def read(self, model: str, version: str, artifact_id: str) -> Document:
        """Return the stored document; a missing one raises ArtifactNotFoundError."""
        path = self._path(model, version, artifact_id)
        if not path.is_file():
            raise ArtifactNotFoundError(not_found(self, model, version, artifact_id))
        return _read(path)

    def read_all(self, model: str, version: str) -> list[Document]:
        """Return every artifact document of ``model``/``version`` (no cap)."""
        folder = self._version_dir(model, version)
        if not folder.is_dir():
            return []
        paths = sorted(p for p in folder.iterdir() if _is_artifact_file(p))
        return [_read(path) for path in paths]

    def history(self, model: str, version: str, artifact_id: str) -> list[Document]:
        """Return the replaced versions of an artifact, oldest first."""
        folder = self._version_dir(model, version) / _HISTORY / _ids.encode(artifact_id)
        if not folder.is_dir():
            return []
        return [_read(path) for path in sorted(folder.glob("*" + _SUFFIX))]

    def _keep_history(self, path: Path) -> None:
        if not path.is_file():
            return
        folder = path.parent / _HISTORY / path.name[: -len(_SUFFIX)]
        folder.mkdir(parents=True, exist_ok=True)
        os.link(path, folder / f"{time.time_ns():020d}{_SUFFIX}")


def _names(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(_ids.decode(p.name) for p in folder.iterdir() if p.is_dir() and p.name[0] != ".")


def _is_artifact_file(path: Path) -> bool:
    return path.name.endswith(_SUFFIX) and not path.name.startswith(".") and path.is_file()


def _create_exclusive(tmp: str, path: Path, artifact_id: str, model: str, version: str) -> None:
    try:
        os.link(tmp, path)  # atomic: fails if the name exists, even when another writer races us
    except FileExistsError:
        msg = (
            f"artifact {artifact_id!r} already exists for {model} {version}; "
            "pass force=True to replace it (the old one is kept in history)"
        )
        raise ArtifactExistsError(msg) from None


def _read(path: Path) -> Document:
    try:
        document = _json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        msg = f"artifact file {str(path)!r} is not valid JSON ({exc}); restore it from history"
        raise ArtifactFormatError(msg) from exc
    if not isinstance(document, dict) or "header" not in document or "body" not in document:
        msg = f"artifact file {str(path)!r} lacks the header/body of an MLTE artifact"
        raise ArtifactFormatError(msg)
    return document
