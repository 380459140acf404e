"""Turn a store URI (``local://``, ``fs://``, ``memory://``) into a store."""

from __future__ import annotations

import os
from pathlib import Path

from mlte_nb.errors import StoreError
from mlte_nb.store.base import ArtifactStore
from mlte_nb.store.local import JsonStore
from mlte_nb.store.memory import MemoryStore

_FILE_SCHEMES = ("local", "fs")
_memory_stores: dict[str, MemoryStore] = {}


def _refuse_broken_scheme(text: str) -> None:
    """Refuse ``memory:/x`` and the like, which would otherwise become a folder of that name."""
    scheme, colon, rest = text.partition(":")
    if colon and len(scheme) > 1 and scheme.isidentifier():
        msg = (
            f"store URI {text!r} has a scheme but no '://'; write {scheme}://{rest.lstrip('/')} "
            "(or ./ in front of a folder whose name has a colon)"
        )
        raise StoreError(msg)


def open_store(uri: str | os.PathLike[str], *, base: Path | None = None) -> ArtifactStore:
    """Return the store that ``uri`` names.

    ``local://PATH`` and ``fs://PATH`` are folders (relative paths are taken from
    ``base``, by default the working directory, which in a notebook is the notebook's
    folder); ``memory://NAME`` is a store that lives in this process. A plain path
    is taken as ``local://``.
    """
    text = os.fspath(uri)
    scheme, sep, rest = text.partition("://")
    if not sep:
        _refuse_broken_scheme(text)
        scheme, rest = "local", text
    if scheme == "memory":
        return _memory_stores.setdefault(rest, MemoryStore(f"memory://{rest}"))
    if scheme not in _FILE_SCHEMES:
        msg = (
            f"store URI {text!r} has unknown scheme {scheme!r}; "
            "use local://PATH, fs://PATH or memory://"
        )
        raise StoreError(msg)
    if not rest:
        msg = f"store URI {text!r} names no folder; write e.g. local://mlte_store"
        raise StoreError(msg)
    path = Path(rest).expanduser()
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    if path.exists() and not path.is_dir():
        msg = f"store path {str(path)!r} is a file, not a folder; choose a folder"
        raise StoreError(msg)
    return JsonStore(path, uri=f"{scheme}://{path}")
