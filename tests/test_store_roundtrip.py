"""Round trips through a JSON store: every artifact type, awkward ids, NaN and infinities.

Also the identifier rules: case twins, exact long names, legacy (unescaped) files of
mlte-python 0.2.x, and symlinks that would lead outside the store.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlte_nb import context
from mlte_nb.artifact import Artifact
from mlte_nb.errors import StoreError
from mlte_nb.report import CommentDescriptor, Report, SummaryDescriptor
from mlte_nb.spec import Fairness, Robustness, Spec
from mlte_nb.store import JsonStore, _json
from mlte_nb.store.schema import schema_errors
from mlte_nb.validate import ConditionResult, ValidatedSpec
from mlte_nb.values import (
    Array,
    CPUStatistics,
    Image,
    Integer,
    MemoryStatistics,
    MultipleAccuracy,
    MultipleRanksums,
    Opaque,
    RankSums,
    Real,
    StorageSize,
    String,
    Value,
)

MODEL, VERSION = "OxfordFlower", "0.0.1"
AWKWARD = [
    "accuracy across gardens",
    "../../escape",
    "a/b/c",
    ".hidden",
    "..",
    "ünïcödé 花",
    "Acc",
    "acc",
    "x" * 400,
    "100%",
    "C:\\windows",
]
ids = st.sampled_from(AWKWARD) | st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), min_codepoint=32), min_size=1, max_size=80
).filter(lambda s: s.strip() and "\x7f" not in s)
floats = st.floats(allow_nan=True, allow_infinity=True)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
PNG = b"\x89PNG\r\n\x1a\n"


def _stats(cls: type[Value]) -> Callable[[str, dict[str, Any]], Value]:
    return lambda mid, data: cls(mid, data)


VALUES = st.one_of(
    st.builds(Integer, ids, st.integers(-(2**62), 2**62)),
    st.builds(Real, ids, floats),
    st.builds(StorageSize, ids, st.integers(0, 2**40)),
    st.builds(String, ids, texts),
    st.builds(Opaque, ids, st.dictionaries(texts, floats | texts, max_size=4)),
    st.builds(Array, ids, st.lists(floats, max_size=8)),
    st.builds(MultipleAccuracy, ids, st.lists(floats, max_size=4)),
    st.builds(RankSums, ids, st.lists(floats, min_size=2, max_size=2)),
    st.builds(
        MultipleRanksums,
        ids,
        st.lists(st.dictionaries(texts, st.lists(floats, min_size=2, max_size=2), max_size=2)),
    ),
    st.builds(Image, ids, st.binary(max_size=64).map(lambda b: PNG + b)),
    *[
        st.builds(
            _stats(cls),
            ids,
            st.fixed_dictionaries(
                {"avg": floats, "min": floats, "max": floats},
                optional={"samples": st.lists(st.lists(floats, min_size=2, max_size=2))},
            ),
        )
        for cls in (CPUStatistics, MemoryStatistics)
    ],
)


def _spec(identifier: str, mid: str, threshold: float) -> Spec:
    return Spec(
        identifier,
        {
            Fairness("why, with ünïcode"): {mid: Real.less_than(threshold)},
            Robustness(""): {mid + " 2": MultipleAccuracy.all_accuracies_more_or_equal_than(0.9)},
        },
    )


SPECS = st.builds(_spec, ids, ids, st.floats(allow_nan=False, allow_infinity=False))
REPORTS = st.builds(
    lambda identifier, task, comment: Report(
        identifier,
        summary=SummaryDescriptor(task=task),
        comments=[CommentDescriptor(content=comment)],
    ),
    ids,
    texts,
    texts,
)


def _validated(spec: Spec, message: str, kind: str, identifier: str) -> ValidatedSpec:
    rows = [
        ConditionResult(
            property=prop.name,
            rationale=prop.rationale,
            measurement_id=mid,
            condition=condition,
            kind=kind,
            message=message,
            provenance={"nan": math.nan},
        )
        for prop, mid, condition in spec.conditions()
    ]
    return ValidatedSpec(spec, rows, identifier=identifier + ".validated_spec", missing=[message])


VALIDATED = st.builds(_validated, SPECS, texts, st.sampled_from(["Success", "Failure"]), ids)


@pytest.fixture(scope="module")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("roundtrip")


def _same(saved: Artifact, loaded: Artifact) -> None:
    assert type(loaded) is type(saved)
    assert loaded.identifier == saved.identifier
    assert _json.dumps(loaded.to_body()) == _json.dumps(saved.to_body())


def _save_load(root: Path, artifact: Artifact) -> Artifact:
    context.set_store(f"local://{root}")
    context.set_context(MODEL, VERSION)
    artifact.save(force=True, parents=True)
    path = JsonStore(root)._path(MODEL, VERSION, artifact.identifier)
    assert path.parent == JsonStore(root)._version_dir(MODEL, VERSION)
    stored = json.loads(path.read_text(encoding="utf-8"), parse_constant=_reject)
    assert schema_errors(stored) == []
    return type(artifact).load(artifact.identifier)


def _reject(constant: str) -> None:
    raise AssertionError(constant)


_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


class TestRoundTrip:
    @_SETTINGS
    @given(VALUES)
    def test_every_value_type(self, store_root: Path, value: Value) -> None:
        _same(value, _save_load(store_root, value))
        context.set_store(f"local://{store_root}")
        context.set_context(MODEL, VERSION)
        _same(value, Value.load(value.identifier))  # the base class finds the right type

    @_SETTINGS
    @given(SPECS)
    def test_spec(self, store_root: Path, spec: Spec) -> None:
        _same(spec, _save_load(store_root, spec))

    @_SETTINGS
    @given(VALIDATED)
    def test_validated_spec(self, store_root: Path, validated: ValidatedSpec) -> None:
        _same(validated, _save_load(store_root, validated))

    @_SETTINGS
    @given(REPORTS)
    def test_report(self, store_root: Path, report: Report) -> None:
        _same(report, _save_load(store_root, report))


class TestIdentifiers:
    def test_ids_differing_only_by_case_are_distinct_artifacts(self, store_dir: Path) -> None:
        Real("Acc", 1.0).save(parents=True)
        Real("acc", 2.0).save()
        assert (Real.load("Acc").value, Real.load("acc").value) == (1.0, 2.0)

    def test_a_case_twin_holding_the_canonical_name_is_not_mistaken_for_the_id(
        self, tmp_path: Path
    ) -> None:
        """What a case-insensitive file system shows: 'b.json' opens the file of 'B'."""
        store = JsonStore(tmp_path)
        store.create_version(MODEL, VERSION)
        folder = store._version_dir(MODEL, VERSION)
        twin = {"header": {"identifier": "B"}, "body": {"artifact_type": "value", "n": 1}}
        (folder / "b.json").write_text(json.dumps(twin))
        store._layout._case_insensitive = True
        mine = {"header": {"identifier": "b"}, "body": {"artifact_type": "value", "n": 2}}
        store.write(MODEL, VERSION, "b", mine, force=False)
        assert store.read(MODEL, VERSION, "b")["body"]["n"] == 2
        assert store._path(MODEL, VERSION, "b").name.startswith("b~c")
        assert len(store.read_all(MODEL, VERSION)) == 2

    @pytest.mark.parametrize("name", ["m" * 600, "é" * 300, "../" * 100, "Case" * 80])
    def test_long_model_and_version_names_are_listed_exactly(
        self, tmp_path: Path, name: str
    ) -> None:
        store = JsonStore(tmp_path)
        store.create_version(name, name + "v")
        store.create_version(name, "short")
        assert store.models() == [name]
        assert store.versions(name) == sorted([name + "v", "short"])
        assert store.has_version(name, name + "v")
        assert JsonStore(tmp_path).versions(name) == sorted([name + "v", "short"])

    def test_mlte_python_unescaped_file_names_are_read(self, tmp_path: Path) -> None:
        store = JsonStore(tmp_path)
        folder = tmp_path / "models" / "M%41" / "1"
        folder.mkdir(parents=True)
        document = {"header": {"identifier": "100%.value"}, "body": {"artifact_type": "value"}}
        (folder / "100%.value.json").write_text(json.dumps(document))
        assert store.models() == ["M%41"]
        assert store.read("M%41", "1", "100%.value")["header"]["identifier"] == "100%.value"
        assert store.exists("M%41", "1", "100%.value")

    def test_symlinks_out_of_the_store_are_refused(self, tmp_path: Path) -> None:
        outside = tmp_path / "outside"
        (outside / "1").mkdir(parents=True)
        (outside / "1" / "secret.json").write_text('{"header": {}, "body": {}}')
        store = JsonStore(tmp_path / "store")
        store.create_version(MODEL, VERSION)
        os.symlink(outside, tmp_path / "store" / "models" / "Evil")
        link = store._version_dir(MODEL, VERSION) / "stolen.json"
        os.symlink(outside / "1" / "secret.json", link)
        with pytest.raises(StoreError, match="outside the store"):
            store.has_version("Evil", "1")
        with pytest.raises(StoreError, match="outside the store"):
            store.read(MODEL, VERSION, "stolen")
        with pytest.raises(StoreError, match="outside the store"):
            store.read_all(MODEL, VERSION)
        with pytest.raises(StoreError, match="outside the store"):
            store.write(MODEL, VERSION, "stolen", {"header": {}, "body": {}}, force=True)
        assert (outside / "1" / "secret.json").read_text() == '{"header": {}, "body": {}}'

    @pytest.mark.parametrize("bad", ["", " ", "a\x00b", "line\nbreak", "\ud800"])
    def test_invalid_ids_are_clear_errors(self, tmp_path: Path, bad: str) -> None:
        store = JsonStore(tmp_path)
        store.create_version(MODEL, VERSION)
        with pytest.raises(StoreError, match=r"empty|control|surrogate"):
            store.write(MODEL, VERSION, bad, {"header": {}, "body": {}}, force=False)
        with pytest.raises(StoreError, match=r"empty|control|surrogate"):
            store.create_version(bad, "1")
