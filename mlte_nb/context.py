"""Session state: the current model, version and store.

A notebook that sets no store uses ``mlte_store/`` beside the notebook (kernels run in
the notebook's folder; Jupyter's ``JPY_SESSION_NAME`` is used when it names the file).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlte_nb.errors import ContextError
from mlte_nb.store import ArtifactStore, open_store
from mlte_nb.store._ids import check_id

DEFAULT_STORE_FOLDER = "mlte_store"


@dataclass
class _Session:
    model: str | None = None
    version: str | None = None
    store: ArtifactStore | None = None


_session = _Session()
# Every (model, version, store URI) artifacts were saved to or loaded from, in first-use
# order: a headless run validates each of them, not only the last one set.
_used: dict[tuple[str, str, str], None] = {}
# Functions that add where evidence came from (the magics register one giving the cell).
provenance_hooks: list[Callable[[], dict[str, Any]]] = []


def set_context(model: str, version: str) -> None:
    """Set the model and version that artifacts are saved to and loaded from.

    Examples
    --------
    >>> set_context("OxfordFlower", "0.0.1")
    """
    _session.model = check_id(model, "model name")
    _session.version = check_id(version, "version")


def set_store(uri: str | os.PathLike[str]) -> ArtifactStore:
    """Choose the artifact store: ``local://PATH``, ``fs://PATH`` or ``memory://``."""
    _session.store = open_store(uri)
    return _session.store


def notebook_folder() -> Path:
    """Return the folder of the running notebook (the working directory otherwise)."""
    session_name = os.environ.get("JPY_SESSION_NAME", "")
    if session_name.endswith(".ipynb") and Path(session_name).is_file():
        return Path(session_name).absolute().parent
    return Path.cwd()


def get_store() -> ArtifactStore:
    """Return the current store, opening the default ``mlte_store/`` if none was set."""
    if _session.store is None:
        _session.store = open_store(notebook_folder() / DEFAULT_STORE_FOLDER)
    return _session.store


def get_context() -> tuple[str, str, ArtifactStore]:
    """Return ``(model, version, store)``; raise ContextError if no context is set."""
    if _session.model is None or _session.version is None:
        msg = (
            "no MLTE context is set; call set_context(MODEL, VERSION) "
            "or run %mlte_context MODEL VERSION first"
        )
        raise ContextError(msg)
    store = get_store()
    _used.setdefault((_session.model, _session.version, store.uri), None)
    return _session.model, _session.version, store


def contexts_used() -> list[dict[str, str]]:
    """Return every context used in this process, then the current one, without repeats.

    A context counts once something is saved or loaded in it (recorded at that moment,
    so a store chosen after ``set_context`` is the one named). ``mlte-nb run`` asks the
    kernel for this list so that every context a notebook used is validated.
    """
    found = dict(_used)
    if _session.model is not None and _session.version is not None:
        found.setdefault((_session.model, _session.version, get_store().uri), None)
    return [{"model": m, "version": v, "store": s} for m, v, s in found]


def describe_context() -> str:
    """Return one line naming the current model, version and store."""
    store = get_store()
    if _session.model is None:
        return f"no model/version set; store {store.uri}"
    return f"model {_session.model}, version {_session.version}, store {store.uri}"


def reset_context() -> None:
    """Forget the model, version and store (tests, fresh sessions).

    The contexts used stay on record: a headless run gates every one of them, and
    clearing the current context must not hide one that failed.
    """
    _session.model = _session.version = None
    _session.store = None


def forget_contexts_used() -> None:
    """Clear the record of contexts used (for test isolation; a run never calls this)."""
    _used.clear()


def current_provenance() -> dict[str, Any]:
    """Return what the registered hooks say about where evidence is being made."""
    found: dict[str, Any] = {}
    for hook in provenance_hooks:
        found.update(hook())
    return found
