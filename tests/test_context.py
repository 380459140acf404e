"""Session context: model/version, store choice and the notebook-adjacent default store."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlte_nb import context, get_context, set_context, set_store
from mlte_nb.errors import ContextError, MlteError, StoreError
from mlte_nb.store import JsonStore, MemoryStore


class TestSetContext:
    def test_sets_model_and_version(self, tmp_path: Path) -> None:
        set_store(f"local://{tmp_path}")
        set_context("OxfordFlower", "0.0.1")
        model, version, store = get_context()
        assert (model, version) == ("OxfordFlower", "0.0.1")
        assert isinstance(store, JsonStore)

    @pytest.mark.parametrize(("model", "version"), [("", "1"), ("m", ""), ("m\n", "1"), (" ", "1")])
    def test_empty_or_control_character_names_are_errors(self, model: str, version: str) -> None:
        with pytest.raises(MlteError, match=r"empty|control"):
            set_context(model, version)

    def test_a_later_call_replaces_the_context(self, memory_store: MemoryStore) -> None:
        set_context("Other", "2")
        assert get_context()[:2] == ("Other", "2")


class TestGetContext:
    def test_without_a_context_is_an_error_saying_what_to_do(self) -> None:
        with pytest.raises(ContextError, match=r"set_context\(MODEL, VERSION\)"):
            get_context()

    def test_context_error_is_a_runtime_error(self) -> None:
        with pytest.raises(RuntimeError):
            get_context()


class TestSetStore:
    def test_returns_and_uses_the_store(self, tmp_path: Path) -> None:
        store = set_store(f"fs://{tmp_path}")
        set_context("m", "v")
        assert get_context()[2] is store

    def test_memory_store(self) -> None:
        store = set_store("memory://context-test")
        assert isinstance(store, MemoryStore)
        assert context.get_store() is store

    def test_bad_scheme_is_a_store_error(self) -> None:
        with pytest.raises(StoreError):
            set_store("bogus://x")

    def test_relative_path_is_resolved_against_the_working_directory(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        store = set_store("local://store")
        assert isinstance(store, JsonStore)
        assert store.root == tmp_path / "store"


class TestDefaultStore:
    def test_is_mlte_store_in_the_working_directory(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
        store = context.get_store()
        assert isinstance(store, JsonStore)
        assert store.root == tmp_path / "mlte_store"

    def test_is_beside_the_notebook_jupyter_names(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        notebook = tmp_path / "nb" / "garden.ipynb"
        notebook.parent.mkdir()
        notebook.write_text("{}")
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("JPY_SESSION_NAME", str(notebook))
        store = context.get_store()
        assert isinstance(store, JsonStore)
        assert store.root == notebook.parent / "mlte_store"

    def test_a_session_name_that_is_not_a_notebook_file_is_ignored(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("JPY_SESSION_NAME", "/nowhere/missing.ipynb")
        assert context.notebook_folder() == tmp_path

    def test_saving_without_set_store_writes_into_mlte_store(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from mlte_nb import Real

        monkeypatch.chdir(tmp_path)
        monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
        set_context("OxfordFlower", "0.0.1")
        Real("accuracy", 0.9).save(parents=True)
        expected = tmp_path / "mlte_store/models/OxfordFlower/0.0.1/accuracy.value.json"
        assert expected.is_file()


class TestDescribeAndReset:
    def test_describe_names_model_version_and_store(self, memory_store: MemoryStore) -> None:
        text = context.describe_context()
        assert "OxfordFlower" in text
        assert "0.0.1" in text
        assert memory_store.uri in text

    def test_describe_without_model_says_so(self) -> None:
        set_store("memory://describe")
        assert context.describe_context().startswith("no model/version set")

    def test_reset_forgets_everything(self, memory_store: MemoryStore) -> None:
        context.reset_context()
        with pytest.raises(ContextError):
            get_context()


class TestProvenanceHooks:
    def test_hooks_contribute_to_current_provenance(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(context, "provenance_hooks", [lambda: {"cell": {"id": "c1"}}])
        assert context.current_provenance() == {"cell": {"id": "c1"}}

    def test_no_hooks_give_empty_provenance(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(context, "provenance_hooks", [])
        assert context.current_provenance() == {}


class TestContextsUsed:
    def test_lists_every_context_used_then_the_current_one(self, tmp_path: Path) -> None:
        from mlte_nb import Real

        store = set_store(f"local://{tmp_path}")
        set_context("A", "1")
        Real("acc", 0.5).save(parents=True)
        set_context("B", "2")
        Real("acc", 0.9).save(parents=True)
        set_context("A", "1")
        set_context("C", "3")  # set but unused: still listed, as the current context
        expected = [("A", "1"), ("B", "2"), ("C", "3")]
        found = context.contexts_used()
        assert [(c["model"], c["version"]) for c in found] == expected
        assert {c["store"] for c in found} == {store.uri}

    def test_names_the_store_in_use_not_the_one_at_set_context(self, tmp_path: Path) -> None:
        set_context("A", "1")
        store = set_store(f"local://{tmp_path}")
        get_context()
        assert context.contexts_used() == [{"model": "A", "version": "1", "store": store.uri}]

    def test_reset_keeps_the_record_so_a_failing_context_cannot_hide(
        self, memory_store: MemoryStore
    ) -> None:
        get_context()
        assert len(context.contexts_used()) == 1
        context.reset_context()
        assert context.contexts_used() == [
            {"model": "OxfordFlower", "version": "0.0.1", "store": memory_store.uri}
        ]
        context.forget_contexts_used()
        assert context.contexts_used() == []
