"""A store in memory, for tests and throwaway sessions."""

from __future__ import annotations

import copy

from mlte_nb.errors import ArtifactExistsError, ArtifactNotFoundError
from mlte_nb.store import _ids, _json
from mlte_nb.store.base import Document, not_found


class MemoryStore:
    """Artifacts held in this process only; documents are copied in and out."""

    def __init__(self, uri: str = "memory://") -> None:
        self.uri = uri
        self._data: dict[str, dict[str, dict[str, str]]] = {}
        self._history: dict[tuple[str, str, str], list[str]] = {}

    def __repr__(self) -> str:
        return f"MemoryStore({self.uri!r})"

    def models(self) -> list[str]:
        """Return the model names in the store, sorted."""
        return sorted(self._data)

    def versions(self, model: str) -> list[str]:
        """Return the versions of ``model``, sorted."""
        return sorted(self._data.get(model, {}))

    def has_version(self, model: str, version: str) -> bool:
        """Return whether ``model``/``version`` exists."""
        return version in self._data.get(model, {})

    def create_version(self, model: str, version: str) -> None:
        """Create ``model``/``version`` (and the model) if missing."""
        _ids.check_id(model, "model name")
        _ids.check_id(version, "version")
        self._data.setdefault(model, {}).setdefault(version, {})

    def exists(self, model: str, version: str, artifact_id: str) -> bool:
        """Return whether the artifact exists."""
        return artifact_id in self._data.get(model, {}).get(version, {})

    def write(
        self, model: str, version: str, artifact_id: str, document: Document, *, force: bool
    ) -> None:
        """Store a copy of ``document`` (serialised, so it obeys the same JSON rules)."""
        _ids.check_id(artifact_id)
        if not self.has_version(model, version):
            raise ArtifactNotFoundError(not_found(self, model, version, artifact_id))
        artifacts = self._data[model][version]
        if artifact_id in artifacts:
            if not force:
                msg = (
                    f"artifact {artifact_id!r} already exists for {model} {version}; "
                    "pass force=True to replace it (the old one is kept in history)"
                )
                raise ArtifactExistsError(msg)
            key = (model, version, artifact_id)
            self._history.setdefault(key, []).append(artifacts[artifact_id])
        artifacts[artifact_id] = _json.dumps(document)

    def read(self, model: str, version: str, artifact_id: str) -> Document:
        """Return a copy of the stored document."""
        if not self.exists(model, version, artifact_id):
            raise ArtifactNotFoundError(not_found(self, model, version, artifact_id))
        return copy.deepcopy(_json.loads(self._data[model][version][artifact_id]))

    def read_all(self, model: str, version: str) -> list[Document]:
        """Return every artifact document of ``model``/``version``."""
        texts = self._data.get(model, {}).get(version, {})
        return [_json.loads(texts[key]) for key in sorted(texts)]

    def history(self, model: str, version: str, artifact_id: str) -> list[Document]:
        """Return the replaced versions of an artifact, oldest first."""
        return [_json.loads(t) for t in self._history.get((model, version, artifact_id), [])]
