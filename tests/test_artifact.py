"""Artifact save/load through the context: parents, force, types and schema versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlte_nb import Real, Spec, String, set_context
from mlte_nb.artifact import SCHEMA_VERSION, check_type
from mlte_nb.errors import (
    ArtifactExistsError,
    ArtifactFormatError,
    ArtifactNotFoundError,
    ContextError,
    MlteError,
)
from mlte_nb.store import MemoryStore


class TestSave:
    def test_without_parents_a_missing_model_is_an_error(self, store_dir: Path) -> None:
        with pytest.raises(ContextError, match=r"'acc\.value'.*parents=True"):
            Real("acc", 0.5).save()
        assert not (store_dir / "models").exists()

    def test_without_parents_a_missing_version_is_an_error(self, memory_store: MemoryStore) -> None:
        Real("acc", 0.5).save(parents=True)
        set_context("OxfordFlower", "0.0.2")
        with pytest.raises(MlteError, match=r"0\.0\.2"):
            Real("acc", 0.5).save()

    def test_parents_creates_model_and_version(self, store_dir: Path) -> None:
        Real("acc", 0.5).save(parents=True)
        assert (store_dir / "models/OxfordFlower/0.0.1/acc.value.json").is_file()

    def test_existing_id_without_force_is_an_error_naming_it(
        self, memory_store: MemoryStore
    ) -> None:
        Real("acc", 0.5).save(parents=True)
        with pytest.raises(ArtifactExistsError, match=r"'acc\.value'"):
            Real("acc", 0.6).save()
        assert Real.load("acc").value == 0.5

    def test_force_replaces_and_keeps_history(self, memory_store: MemoryStore) -> None:
        Real("acc", 0.5).save(parents=True)
        Real("acc", 0.6).save(force=True)
        assert Real.load("acc").value == 0.6
        old = memory_store.history("OxfordFlower", "0.0.1", "acc.value")
        assert [d["body"]["value"]["real"] for d in old] == [0.5]

    def test_save_returns_the_artifact(self, memory_store: MemoryStore) -> None:
        value = Real("acc", 0.5)
        assert value.save(parents=True) is value

    def test_without_context_is_a_context_error(self) -> None:
        with pytest.raises(ContextError):
            Real("acc", 0.5).save(parents=True)

    def test_document_has_the_mlte_python_header(self, store_dir: Path) -> None:
        Real("acc", 0.5).save(parents=True)
        path = store_dir / "models/OxfordFlower/0.0.1/acc.value.json"
        stored = json.loads(path.read_text())
        assert set(stored) == {"header", "body"}
        header = stored["header"]
        assert {"identifier", "type", "timestamp", "creator"} <= set(header)
        assert header["identifier"] == "acc.value"
        assert header["type"] == "value"
        assert header["schema_version"] == SCHEMA_VERSION
        assert stored["body"]["artifact_type"] == "value"


class TestLoad:
    def test_missing_id_is_not_found_naming_it(self, memory_store: MemoryStore) -> None:
        Real("acc", 0.5).save(parents=True)
        with pytest.raises(ArtifactNotFoundError, match=r"'other\.value'.*acc\.value"):
            Real.load("other")

    def test_suffix_is_optional(self, memory_store: MemoryStore) -> None:
        Real("acc", 0.5).save(parents=True)
        assert Real.load("acc.value") == Real.load("acc")

    def test_default_id_is_used_when_none_given(self, memory_store: MemoryStore) -> None:
        Spec().save(parents=True)
        assert Spec.load().identifier == "default.spec"

    def test_loading_with_the_wrong_artifact_class_is_a_format_error(
        self, memory_store: MemoryStore
    ) -> None:
        memory_store.create_version("OxfordFlower", "0.0.1")
        memory_store.write(
            "OxfordFlower",
            "0.0.1",
            "x.spec",
            {"header": {"identifier": "x.spec", "type": "value"}, "body": {}},
            force=False,
        )
        with pytest.raises(ArtifactFormatError, match="not a 'spec'"):
            Spec.load("x")

    def test_loading_a_value_as_the_wrong_value_class_is_a_format_error(
        self, memory_store: MemoryStore
    ) -> None:
        Real("acc", 0.5).save(parents=True)
        with pytest.raises(ArtifactFormatError, match=r"Real\.load or Value\.load"):
            String.load("acc")


class TestCheckType:
    def test_newer_schema_says_to_upgrade(self) -> None:
        document = {
            "header": {
                "identifier": "x.spec",
                "type": "spec",
                "schema_version": SCHEMA_VERSION + 1,
            },
            "body": {"artifact_type": "spec"},
        }
        with pytest.raises(ArtifactFormatError, match="upgrade mlte_nb"):
            check_type(document, Spec)

    def test_mlte_python_documents_without_schema_are_accepted(self) -> None:
        document = {"header": {"identifier": "x.spec", "type": "spec"}, "body": {}}
        assert check_type(document, Spec) is document
