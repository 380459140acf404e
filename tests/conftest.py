"""Shared fixtures: a fresh context per test, stores in tmp folders, an IPython shell."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mlte_nb import context

_memory_names = itertools.count()


@pytest.fixture(autouse=True)
def _fresh_context() -> Iterator[None]:
    context.reset_context()
    context.forget_contexts_used()
    yield
    context.reset_context()
    context.forget_contexts_used()


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A local store in a temporary folder, set as the current store with a context."""
    root = tmp_path / "store"
    context.set_store(f"local://{root}")
    context.set_context("OxfordFlower", "0.0.1")
    return root


@pytest.fixture
def memory_store() -> Any:
    """A fresh in-memory store set as current, with a context."""
    store = context.set_store(f"memory://test-{next(_memory_names)}")
    context.set_context("OxfordFlower", "0.0.1")
    return store


@pytest.fixture(scope="session")
def _shell() -> Any:
    from IPython.testing.globalipapp import start_ipython

    return start_ipython()


@pytest.fixture
def ip(_shell: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The IPython test shell with mlte_nb loaded, working in a temporary folder."""
    monkeypatch.chdir(tmp_path)
    _shell.run_line_magic("load_ext", "mlte_nb")
    yield _shell
    _shell.user_ns.pop("acc", None)
