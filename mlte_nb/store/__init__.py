"""Artifact stores: local JSON files (default) and memory, chosen by URI."""

from __future__ import annotations

from mlte_nb.store.base import ArtifactStore, Document
from mlte_nb.store.history import HistoryEntry, list_history, restore
from mlte_nb.store.local import JsonStore
from mlte_nb.store.memory import MemoryStore
from mlte_nb.store.uri import open_store

__all__ = [
    "ArtifactStore",
    "Document",
    "HistoryEntry",
    "JsonStore",
    "MemoryStore",
    "list_history",
    "open_store",
    "restore",
]
