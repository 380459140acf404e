"""The common shape of stored things: an id, a header and a JSON body."""

from __future__ import annotations

import time
from typing import Any, ClassVar, TypeVar

from mlte_nb.context import get_context
from mlte_nb.errors import ArtifactFormatError, ContextError, MlteError
from mlte_nb.store import ArtifactStore, Document

SCHEMA_VERSION = 1
PRODUCER = "mlte_nb"
A = TypeVar("A", bound="Artifact")


class Artifact:
    """Base of Value, Spec, ValidatedSpec and Report: save and load through the context."""

    artifact_type: ClassVar[str] = "artifact"
    default_id: ClassVar[str] = "default"
    identifier: str

    # -- serialisation (subclasses provide the body) -------------------------------------
    def to_body(self) -> dict[str, Any]:
        """Return the JSON body (without ``artifact_type``)."""
        raise NotImplementedError

    @classmethod
    def from_document(cls: type[A], document: Document) -> A:
        """Rebuild the artifact from a stored document."""
        raise NotImplementedError

    def to_document(self) -> Document:
        """Return the full stored form: header and body."""
        header = {
            "identifier": self.identifier,
            "type": self.artifact_type,
            "timestamp": int(now := time.time()),  # whole seconds, as mlte-python writes
            "saved_at": now,  # the exact time, so a run can tell its own evidence apart
            "creator": None,
            "producer": PRODUCER,
            "schema_version": SCHEMA_VERSION,
        }
        return {"header": header, "body": {"artifact_type": self.artifact_type, **self.to_body()}}

    # -- display (one render path: mlte_nb.render) ------------------------------------
    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from mlte_nb.render import mimebundle

        return mimebundle(self, include=include, exclude=exclude)

    def _repr_html_(self) -> str:
        from mlte_nb.render import mimebundle

        return mimebundle(self)["text/html"]

    # -- store --------------------------------------------------------------------------
    def save(self: A, *, force: bool = False, parents: bool = False) -> A:
        """Save to the current model/version.

        Without ``parents`` a missing model or version is an error; without ``force``
        an existing id is an error naming it (with ``force`` the old one goes to history).
        """
        model, version, store = get_context()
        self._check_before_save(store, model, version)
        if not store.has_version(model, version):
            if not parents:
                msg = (
                    f"cannot save {self.identifier!r}: {model} {version} does not exist in "
                    f"store {store.uri!r}; pass parents=True to create it"
                )
                raise ContextError(msg)
            store.create_version(model, version)
        store.write(model, version, self.identifier, self.to_document(), force=force)
        return self

    def _check_before_save(self, store: ArtifactStore, model: str, version: str) -> None:
        """Refuse to save something that refers to missing artifacts (overridden)."""

    @classmethod
    def load(cls: type[A], identifier: str | None = None) -> A:
        """Load the artifact ``identifier`` (default: this kind's default id)."""
        model, version, store = get_context()
        artifact_id = cls._full_id(identifier)
        return cls.from_stored(check_type(store.read(model, version, artifact_id), cls))

    @classmethod
    def from_stored(cls: type[A], document: Document) -> A:
        """Rebuild from a stored document; a malformed one is an ArtifactFormatError naming it."""
        try:
            return cls.from_document(document)
        except MlteError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            name = (
                document.get("header", {}).get("identifier") if isinstance(document, dict) else None
            )
            msg = (
                f"artifact {name!r} is malformed ({type(exc).__name__}: {exc}); "
                "restore it from the store's .history or save it again"
            )
            raise ArtifactFormatError(msg) from exc

    @classmethod
    def _full_id(cls, identifier: str | None) -> str:
        name = identifier or cls.default_id
        suffix = "." + cls.artifact_type
        return name if name.endswith(suffix) else name + suffix


def check_type(document: Document, cls: type[Artifact]) -> Document:
    """Return ``document`` if it holds a ``cls`` artifact of a schema we can read."""
    header, body = document["header"], document["body"]
    found = body.get("artifact_type", header.get("type"))
    if found != cls.artifact_type:
        msg = (
            f"artifact {header.get('identifier')!r} is a {found!r}, not a "
            f"{cls.artifact_type!r}; load it with the matching class"
        )
        raise ArtifactFormatError(msg)
    schema = header.get("schema_version", 0)
    if isinstance(schema, int) and schema > SCHEMA_VERSION:
        msg = (
            f"artifact {header.get('identifier')!r} was written with schema version {schema}, "
            f"newer than this mlte_nb reads ({SCHEMA_VERSION}); upgrade mlte_nb"
        )
        raise ArtifactFormatError(msg)
    return document
