"""The artifact store protocol shared by every backend."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

Document = dict[str, Any]


@runtime_checkable
class ArtifactStore(Protocol):
    """Where artifacts live: ``models/<model>/<version>/<artifact id>``.

    Backends write atomically and keep replaced versions in history; the store,
    not any widget or kernel state, is the source of truth.
    """

    uri: str

    def models(self) -> list[str]:
        """Return the model names in the store, sorted."""
        ...

    def versions(self, model: str) -> list[str]:
        """Return the versions of ``model``, sorted."""
        ...

    def has_version(self, model: str, version: str) -> bool:
        """Return whether ``model``/``version`` exists."""
        ...

    def create_version(self, model: str, version: str) -> None:
        """Create ``model``/``version`` (and the model) if missing."""
        ...

    def exists(self, model: str, version: str, artifact_id: str) -> bool:
        """Return whether the artifact exists."""
        ...

    def write(
        self, model: str, version: str, artifact_id: str, document: Document, *, force: bool
    ) -> None:
        """Store ``document``; without ``force`` an existing id is an error."""
        ...

    def read(self, model: str, version: str, artifact_id: str) -> Document:
        """Return the stored document; a missing one raises ArtifactNotFoundError."""
        ...

    def read_all(self, model: str, version: str) -> list[Document]:
        """Return every artifact document of ``model``/``version``."""
        ...

    def history(self, model: str, version: str, artifact_id: str) -> list[Document]:
        """Return the replaced versions of an artifact, oldest first."""
        ...


def not_found(store: ArtifactStore, model: str, version: str, artifact_id: str) -> str:
    """Build the message for a missing artifact, listing what exists instead."""
    if not store.has_version(model, version):
        known = store.models() if model not in store.models() else store.versions(model)
        what = "models" if model not in store.models() else f"versions of {model!r}"
        return (
            f"no {model} {version} in store {store.uri!r} (known {what}: {known}); "
            "set the context to an existing model/version or save with parents=True"
        )
    ids = sorted(doc["header"]["identifier"] for doc in store.read_all(model, version))
    return (
        f"artifact {artifact_id!r} not found for {model} {version} in store {store.uri!r} "
        f"(known: {ids}); save it first"
    )
