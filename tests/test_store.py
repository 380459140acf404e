"""Artifact stores: strict JSON, atomic writes, history, id encoding and store URIs."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlte_nb.errors import (
    ArtifactExistsError,
    ArtifactFormatError,
    ArtifactNotFoundError,
    StoreError,
)
from mlte_nb.store import ArtifactStore, JsonStore, MemoryStore, _ids, _json, open_store

MODEL, VERSION = "OxfordFlower", "0.0.1"


def strict_load(path: Path) -> Any:
    """Parse a file as RFC 8259 JSON: bare NaN / Infinity are rejected."""

    def reject(constant: str) -> None:
        msg = f"bare {constant} in {path}"
        raise AssertionError(msg)

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=reject)


def doc(identifier: str, **body: Any) -> dict[str, Any]:
    return {
        "header": {"identifier": identifier, "type": "value"},
        "body": {"artifact_type": "value", **body},
    }


@pytest.fixture
def json_store(tmp_path: Path) -> JsonStore:
    store = JsonStore(tmp_path / "store")
    store.create_version(MODEL, VERSION)
    return store


@pytest.fixture(params=["json", "memory"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> ArtifactStore:
    store: ArtifactStore = (
        JsonStore(tmp_path / "store") if request.param == "json" else MemoryStore()
    )
    store.create_version(MODEL, VERSION)
    return store


def all_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


class TestStrictJson:
    def test_non_finite_floats_are_written_as_explicit_objects(self, json_store: JsonStore) -> None:
        json_store.write(
            MODEL, VERSION, "x", doc("x", data=[math.nan, math.inf, -math.inf, 1.5]), force=False
        )
        stored = strict_load(json_store._path(MODEL, VERSION, "x"))
        assert stored["body"]["data"] == [
            {"$float": "NaN"},
            {"$float": "Infinity"},
            {"$float": "-Infinity"},
            1.5,
        ]

    def test_non_finite_floats_read_back_as_floats(self, any_store: ArtifactStore) -> None:
        any_store.write(MODEL, VERSION, "x", doc("x", data=[math.nan, -math.inf]), force=False)
        data = any_store.read(MODEL, VERSION, "x")["body"]["data"]
        assert math.isnan(data[0])
        assert data[1] == -math.inf

    def test_numpy_scalars_and_arrays_are_stored_as_plain_numbers(
        self, json_store: JsonStore
    ) -> None:
        body = {
            "i": np.int64(3),
            "f": np.float32(0.5),
            "b": np.bool_(True),
            "a": np.array([[1, 2], [3, 4]]),
            "n": np.array([np.nan, 1.0]),
        }
        json_store.write(MODEL, VERSION, "np", doc("np", **body), force=False)
        stored = strict_load(json_store._path(MODEL, VERSION, "np"))["body"]
        assert stored["i"] == 3
        assert stored["f"] == 0.5
        assert stored["b"] is True
        assert stored["a"] == [[1, 2], [3, 4]]
        assert stored["n"] == [{"$float": "NaN"}, 1.0]

    def test_bare_nan_written_by_mlte_python_is_accepted_on_read(
        self, json_store: JsonStore
    ) -> None:
        path = json_store._path(MODEL, VERSION, "old.value")
        path.write_text(
            '{"header": {"identifier": "old.value", "type": "value"},'
            ' "body": {"artifact_type": "value", "data": [NaN, Infinity, 1.0]}}',
            encoding="utf-8",
        )
        data = json_store.read(MODEL, VERSION, "old.value")["body"]["data"]
        assert math.isnan(data[0])
        assert data[1:] == [math.inf, 1.0]

    def test_keys_are_written_in_sorted_order(self, json_store: JsonStore) -> None:
        json_store.write(MODEL, VERSION, "k", doc("k", zeta=1, alpha=2), force=False)
        text = json_store._path(MODEL, VERSION, "k").read_text(encoding="utf-8")
        assert text.index('"alpha"') < text.index('"zeta"')

    def test_unstorable_object_is_a_type_error_naming_its_type(self) -> None:
        with pytest.raises(TypeError, match="set"):
            _json.dumps({"s": {1, 2}})

    def test_invalid_json_file_is_an_artifact_format_error(self, json_store: JsonStore) -> None:
        json_store._path(MODEL, VERSION, "bad").write_text("{not json", encoding="utf-8")
        with pytest.raises(ArtifactFormatError, match="not valid JSON"):
            json_store.read(MODEL, VERSION, "bad")

    def test_json_without_header_and_body_is_an_artifact_format_error(
        self, json_store: JsonStore
    ) -> None:
        json_store._path(MODEL, VERSION, "bare").write_text("[1, 2]", encoding="utf-8")
        with pytest.raises(ArtifactFormatError, match="header/body"):
            json_store.read(MODEL, VERSION, "bare")

    @pytest.mark.parametrize(
        "text",
        ['{"header": {}, "body": []}', '{"header": null, "body": {}}', '{"header": {}}'],
    )
    def test_header_and_body_must_be_objects(self, json_store: JsonStore, text: str) -> None:
        json_store._path(MODEL, VERSION, "odd").write_text(text, encoding="utf-8")
        with pytest.raises(ArtifactFormatError, match="header/body"):
            json_store.read(MODEL, VERSION, "odd")
        with pytest.raises(ArtifactFormatError, match="header/body"):
            json_store.read_all(MODEL, VERSION)

    @given(
        st.lists(
            st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(2**60), 2**60),
            max_size=20,
        )
    )
    def test_float_payloads_round_trip(self, payload: list[float]) -> None:
        back = _json.loads(_json.dumps({"data": payload}))["data"]
        assert len(back) == len(payload)
        for got, want in zip(back, payload, strict=True):
            if isinstance(want, float) and math.isnan(want):
                assert math.isnan(got)
            else:
                assert got == want
                assert type(got) is type(want)

    @given(st.floats(allow_nan=True, allow_infinity=True))
    def test_dumps_never_emits_bare_constants(self, number: float) -> None:
        def reject(constant: str) -> None:
            raise AssertionError(constant)

        json.loads(_json.dumps({"x": number}), parse_constant=reject)


class TestAtomicWrite:
    def test_no_temporary_files_are_left_after_writes(self, json_store: JsonStore) -> None:
        for force in (False, True, True):
            json_store.write(MODEL, VERSION, "a.value", doc("a.value"), force=force)
        leftovers = [p for p in all_files(json_store.root) if ".tmp" in p.name]
        assert leftovers == []

    def test_no_temporary_file_is_left_when_the_id_exists(self, json_store: JsonStore) -> None:
        json_store.write(MODEL, VERSION, "a.value", doc("a.value"), force=False)
        with pytest.raises(ArtifactExistsError):
            json_store.write(MODEL, VERSION, "a.value", doc("a.value"), force=False)
        folder = json_store._version_dir(MODEL, VERSION)
        names = [p.name for p in folder.iterdir() if p.is_file()]
        assert names == ["a.value.json"]

    def test_existing_id_without_force_is_an_error_naming_the_id(
        self, any_store: ArtifactStore
    ) -> None:
        any_store.write(MODEL, VERSION, "acc.value", doc("acc.value", n=1), force=False)
        with pytest.raises(ArtifactExistsError, match=r"'acc\.value'.*force=True"):
            any_store.write(MODEL, VERSION, "acc.value", doc("acc.value", n=2), force=False)
        assert any_store.read(MODEL, VERSION, "acc.value")["body"]["n"] == 1

    def test_force_replaces_and_keeps_every_old_version_in_history(
        self, any_store: ArtifactStore
    ) -> None:
        for n in range(3):
            any_store.write(MODEL, VERSION, "acc.value", doc("acc.value", n=n), force=n > 0)
        assert any_store.read(MODEL, VERSION, "acc.value")["body"]["n"] == 2
        old = any_store.history(MODEL, VERSION, "acc.value")
        assert [d["body"]["n"] for d in old] == [0, 1]

    def test_history_is_not_listed_as_artifacts(self, any_store: ArtifactStore) -> None:
        any_store.write(MODEL, VERSION, "a", doc("a", n=0), force=False)
        any_store.write(MODEL, VERSION, "a", doc("a", n=1), force=True)
        docs = any_store.read_all(MODEL, VERSION)
        assert [d["body"]["n"] for d in docs] == [1]

    def test_history_of_an_unreplaced_artifact_is_empty(self, any_store: ArtifactStore) -> None:
        assert any_store.history(MODEL, VERSION, "never") == []

    def test_write_to_a_missing_version_is_not_found(self, any_store: ArtifactStore) -> None:
        with pytest.raises(ArtifactNotFoundError, match="parents=True"):
            any_store.write(MODEL, "9.9", "a", doc("a"), force=False)

    def test_memory_store_copies_documents_in_and_out(self) -> None:
        store = MemoryStore()
        store.create_version(MODEL, VERSION)
        document = doc("a", data=[1])
        store.write(MODEL, VERSION, "a", document, force=False)
        document["body"]["data"].append(2)
        read = store.read(MODEL, VERSION, "a")
        read["body"]["data"].append(3)
        assert store.read(MODEL, VERSION, "a")["body"]["data"] == [1]


class TestReadAndList:
    def test_missing_artifact_lists_known_ids(self, any_store: ArtifactStore) -> None:
        any_store.write(MODEL, VERSION, "known.value", doc("known.value"), force=False)
        with pytest.raises(ArtifactNotFoundError, match=r"'nope'.*known\.value"):
            any_store.read(MODEL, VERSION, "nope")

    def test_missing_model_names_the_known_models(self, any_store: ArtifactStore) -> None:
        with pytest.raises(ArtifactNotFoundError, match=MODEL):
            any_store.read("Other", VERSION, "x")

    def test_models_and_versions_are_listed_sorted(self, any_store: ArtifactStore) -> None:
        any_store.create_version("b model", "2")
        any_store.create_version("b model", "10")
        any_store.create_version("a/model", "1")
        assert any_store.models() == sorted(["a/model", "b model", MODEL])
        assert any_store.versions("b model") == ["10", "2"]
        assert any_store.has_version("a/model", "1")
        assert not any_store.has_version("a/model", "2")

    def test_read_all_returns_every_artifact(self, any_store: ArtifactStore) -> None:
        for i in range(300):
            any_store.write(MODEL, VERSION, f"m{i}.value", doc(f"m{i}.value"), force=False)
        assert len(any_store.read_all(MODEL, VERSION)) == 300

    def test_read_all_of_a_missing_version_is_empty(self, any_store: ArtifactStore) -> None:
        assert any_store.read_all("nobody", "0") == []

    def test_stores_satisfy_the_protocol(self, any_store: ArtifactStore) -> None:
        assert isinstance(any_store, ArtifactStore)


HOSTILE_IDS = [
    "accuracy across gardens.value",
    "ranksums clade2 Asterids-Rosids blurdelta_2x8",
    "ünïcödé 花.value",
    "a/b/c",
    "../../escape",
    "..",
    ".",
    ".hidden",
    "back\\slash",
    "100%",
    "%2E",
    "x" * 1000,
    "é" * 400,
    "C:\\windows",
    "trailing space ",
    "~tilde",
]


class TestIdEncoding:
    @pytest.mark.parametrize("identifier", HOSTILE_IDS, ids=lambda i: repr(i[:20]))
    def test_ids_map_to_one_file_inside_the_version_folder(
        self, json_store: JsonStore, identifier: str
    ) -> None:
        json_store.write(MODEL, VERSION, identifier, doc(identifier, n=1), force=False)
        folder = json_store._version_dir(MODEL, VERSION).resolve()
        path = json_store._path(MODEL, VERSION, identifier).resolve()
        assert path.parent == folder
        assert path.is_file()
        assert len(path.name.encode()) <= 255
        assert json_store.read(MODEL, VERSION, identifier)["header"]["identifier"] == identifier
        assert json_store.exists(MODEL, VERSION, identifier)
        files = [p for p in all_files(json_store.root) if p.suffix == ".json"]
        assert files == [path]

    def test_all_hostile_ids_coexist_as_distinct_files(self, json_store: JsonStore) -> None:
        for identifier in HOSTILE_IDS:
            json_store.write(MODEL, VERSION, identifier, doc(identifier), force=False)
        ids = {d["header"]["identifier"] for d in json_store.read_all(MODEL, VERSION)}
        assert ids == set(HOSTILE_IDS)

    @pytest.mark.parametrize("identifier", ["", "   ", "a\nb", "tab\there", "nul\x00", "del\x7f"])
    def test_empty_and_control_character_ids_are_clear_errors(
        self, any_store: ArtifactStore, identifier: str
    ) -> None:
        with pytest.raises(StoreError, match=r"empty|control characters"):
            any_store.write(MODEL, VERSION, identifier, doc(identifier), force=False)

    def test_too_long_id_is_an_error_giving_the_limit(self) -> None:
        with pytest.raises(StoreError, match="at most 1000"):
            _ids.check_id("x" * 1001)

    @pytest.mark.parametrize("name", ["../evil", "a/b", ".."])
    def test_model_and_version_names_cannot_escape_the_store(
        self, tmp_path: Path, name: str
    ) -> None:
        store = JsonStore(tmp_path / "store")
        store.create_version(name, name)
        store.write(name, name, name, doc(name), force=False)
        created = [p for p in tmp_path.rglob("*") if p.is_file()]
        assert all((tmp_path / "store" / "models") in p.parents for p in created)
        assert store.models() == [name]
        assert store.versions(name) == [name]

    def test_readable_ids_keep_readable_file_names(self) -> None:
        assert _ids.encode("accuracy across gardens.value") == "accuracy across gardens.value"

    @settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        st.text(
            st.characters(blacklist_categories=("Cs",), min_codepoint=32),
            min_size=1,
            max_size=300,
        ).filter(lambda s: s.strip() and "\x7f" not in s)
    )
    def test_any_valid_id_round_trips_through_a_json_store(
        self, tmp_path: Path, identifier: str
    ) -> None:
        store = JsonStore(tmp_path / "hyp")
        store.create_version(MODEL, VERSION)
        store.write(MODEL, VERSION, identifier, doc(identifier), force=True)
        path = store._path(MODEL, VERSION, identifier)
        assert path.parent == store._version_dir(MODEL, VERSION)
        assert len(path.name.encode()) <= 255
        assert store.read(MODEL, VERSION, identifier)["header"]["identifier"] == identifier

    @given(st.text(min_size=1, max_size=60).filter(lambda s: s.strip()))
    def test_short_ids_decode_to_themselves(self, identifier: str) -> None:
        if any(ord(c) < 32 or ord(c) == 127 for c in identifier):
            return
        name = _ids.encode(identifier)
        if len(quote(identifier, safe=_ids._SAFE).encode()) <= 200:  # not shortened by a digest
            assert _ids.decode(name) == identifier
        assert "/" not in name
        assert not name.startswith(".")


class TestOpenStore:
    @pytest.mark.parametrize("scheme", ["local", "fs"])
    def test_absolute_file_uri_opens_a_json_store_there(self, tmp_path: Path, scheme: str) -> None:
        store = open_store(f"{scheme}://{tmp_path / 'st'}")
        assert isinstance(store, JsonStore)
        assert store.root == tmp_path / "st"
        assert store.uri == f"{scheme}://{tmp_path / 'st'}"

    @pytest.mark.parametrize("scheme", ["local", "fs"])
    def test_relative_file_uri_is_taken_from_the_working_directory(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scheme: str
    ) -> None:
        monkeypatch.chdir(tmp_path)
        store = open_store(f"{scheme}://store")
        assert isinstance(store, JsonStore)
        assert store.root == tmp_path / "store"

    def test_relative_uri_uses_the_given_base(self, tmp_path: Path) -> None:
        store = open_store("local://rel", base=tmp_path)
        assert isinstance(store, JsonStore)
        assert store.root == tmp_path / "rel"

    def test_plain_path_is_a_local_store(self, tmp_path: Path) -> None:
        store = open_store(tmp_path / "plain")
        assert isinstance(store, JsonStore)
        assert store.root == tmp_path / "plain"

    def test_memory_uri_opens_a_memory_store_shared_by_name(self) -> None:
        first = open_store("memory://test-store-shared")
        assert isinstance(first, MemoryStore)
        assert open_store("memory://test-store-shared") is first
        assert open_store("memory://test-store-other") is not first

    @pytest.mark.parametrize("uri", ["s3://bucket", "http://host/store", "ftp://x"])
    def test_unknown_scheme_is_an_error_listing_the_valid_ones(self, uri: str) -> None:
        with pytest.raises(StoreError, match=r"unknown scheme.*local://.*fs://.*memory://"):
            open_store(uri)

    @pytest.mark.parametrize("uri", ["local://", "fs://", ""])
    def test_uri_without_a_folder_is_an_error(self, uri: str) -> None:
        with pytest.raises(StoreError, match="names no folder"):
            open_store(uri)

    def test_uri_naming_a_file_is_an_error(self, tmp_path: Path) -> None:
        (tmp_path / "file").write_text("x")
        with pytest.raises(StoreError, match="is a file"):
            open_store(f"local://{tmp_path / 'file'}")

    def test_opening_a_store_creates_nothing_on_disk(self, tmp_path: Path) -> None:
        open_store(f"local://{tmp_path / 'lazy'}")
        assert not (tmp_path / "lazy").exists()


class TestLayout:
    def test_files_follow_the_mlte_python_layout(self, tmp_path: Path) -> None:
        store = JsonStore(tmp_path)
        store.create_version(MODEL, VERSION)
        store.write(MODEL, VERSION, "model size.value", doc("model size.value"), force=False)
        assert (tmp_path / "models" / MODEL / VERSION / "model size.value.json").is_file()

    def test_directory_is_synced_without_error_on_replace(self, json_store: JsonStore) -> None:
        json_store.write(MODEL, VERSION, "a", doc("a"), force=True)
        json_store.write(MODEL, VERSION, "a", doc("a"), force=True)
        assert os.listdir(json_store._version_dir(MODEL, VERSION)) != []


@pytest.mark.parametrize("uri", ["memory:/x", "local:relstore", "fs:store"])
def test_a_scheme_without_slashes_is_an_error_not_a_folder(
    uri: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlte_nb.errors import StoreError
    from mlte_nb.store import open_store

    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match="no '://'"):
        open_store(uri)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, 3 * 65536, 200_001])
def test_files_are_read_whole_at_any_size(tmp_path: Path, size: int) -> None:
    from mlte_nb.store.local import _read_bytes

    data = bytes(i % 251 for i in range(size))
    (tmp_path / "f.json").write_bytes(data)
    assert _read_bytes(tmp_path / "f.json") == data
    assert _read_bytes(str(tmp_path / "f.json")) == data


def test_a_write_the_os_refuses_is_one_store_error_and_keeps_the_old(
    json_store: JsonStore,
) -> None:
    """The OS refusing a write (here: the lock folder's name taken by a file) is a StoreError."""
    json_store.write(MODEL, VERSION, "kept", {"header": {}, "body": {"v": 1}}, force=False)
    folder = json_store._path(MODEL, VERSION, "kept").parent
    (folder / ".locks").rename(folder / "locks-aside")
    (folder / ".locks").write_text("not a folder")
    with pytest.raises(StoreError, match=r"cannot write 'kept' to store .* use a writable store"):
        json_store.write(MODEL, VERSION, "kept", {"header": {}, "body": {"v": 2}}, force=True)
    assert json_store.read(MODEL, VERSION, "kept")["body"] == {"v": 1}
