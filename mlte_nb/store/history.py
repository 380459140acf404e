"""List and restore the versions an artifact had before ``force=True`` replaced them."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from mlte_nb.errors import ArtifactNotFoundError, StoreError
from mlte_nb.store.base import ArtifactStore, Document


@dataclass(frozen=True)
class HistoryEntry:
    """One replaced version of an artifact; ``number`` 1 is the oldest."""

    number: int
    document: Document

    @property
    def timestamp(self) -> float | None:
        """Return when this version was written (seconds since the epoch), if recorded."""
        header = self.document.get("header", {})
        for key in ("saved_at", "timestamp"):  # saved_at is exact; timestamp whole seconds
            found = header.get(key)
            if isinstance(found, (int, float)) and not isinstance(found, bool):
                return float(found)
        return None

    def describe(self) -> str:
        """Return one line: number, time written and who wrote it."""
        header = self.document.get("header", {})
        when = "time unknown"
        if self.timestamp is not None:
            moment = _dt.datetime.fromtimestamp(self.timestamp, _dt.timezone.utc)
            when = moment.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + " UTC"
        producer = header.get("producer") or "mlte-python 0.2.x"
        return f"{self.number:>4}  {when}  written by {producer}"


def list_history(
    store: ArtifactStore, model: str, version: str, artifact_id: str
) -> list[HistoryEntry]:
    """Return the replaced versions of an artifact, oldest first, numbered from 1."""
    documents = store.history(model, version, artifact_id)
    return [HistoryEntry(number, doc) for number, doc in enumerate(documents, start=1)]


def restore(
    store: ArtifactStore, model: str, version: str, artifact_id: str, number: int
) -> Document:
    """Make history version ``number`` current again; the current one goes to history.

    Nothing is lost: restoring is a forced write, so the version it replaces joins the
    history and can itself be restored.
    """
    entries = list_history(store, model, version, artifact_id)
    if not entries:
        msg = (
            f"artifact {artifact_id!r} of {model} {version} in store {store.uri!r} has no "
            "history; only artifacts replaced with force=True have earlier versions"
        )
        raise ArtifactNotFoundError(msg)
    if not 1 <= number <= len(entries):
        msg = (
            f"artifact {artifact_id!r} has history versions 1..{len(entries)}, not {number}; "
            f"list them with `mlte-nb history {model} {version} {artifact_id!r}`"
        )
        raise StoreError(msg)
    document = entries[number - 1].document
    store.write(model, version, artifact_id, document, force=True)
    return document
