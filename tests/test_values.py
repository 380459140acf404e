"""Value types: construction, units, round-trips through the store, load_all."""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlte_nb import (
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
    Spec,
    String,
    Value,
)
from mlte_nb.errors import ArtifactFormatError, MeasurementError
from mlte_nb.store import MemoryStore
from mlte_nb.values import StorageSize

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
GIF = b"GIF89a" + b"\x00" * 20


def round_trip(value: Value) -> Value:
    value.save(parents=True, force=True)
    return Value.load(value.measurement_id)


def examples() -> list[Value]:
    return [
        Integer("model size", 2500, unit="bytes"),
        Real("accuracy", 0.875),
        String("note", "ünïcödé text"),
        Opaque("config", {"layers": [1, 2], "name": "cnn", "nested": {"a": None}}),
        Array("losses", [0.5, 0.25, math.nan]),
        Image("png", PNG),
        Image("jpeg", JPEG),
        Image("gif", GIF),
        CPUStatistics("predicting cpu", avg=12.5, min=0.0, max=98.0, samples=[[0.0, 1.0]]),
        MemoryStatistics("predicting memory", {"avg": 1000.0, "min": 10.0, "max": 2000.0}),
        MultipleAccuracy("accuracy across gardens", [0.91, 0.93, 0.92]),
        RankSums("ranksums blur2x8", [0.88, 0.379]),
        MultipleRanksums("clade2", [{"a-b": [1.0, 0.5]}, {"a-c": [-2.0, 0.01]}], num_pops=4),
        StorageSize("size", 1234),
    ]


class TestRoundTrip:
    @pytest.mark.parametrize("value", examples(), ids=lambda v: type(v).__name__)
    def test_value_round_trips_as_its_own_class(
        self, memory_store: MemoryStore, value: Value
    ) -> None:
        loaded = round_trip(value)
        assert type(loaded) is type(value)
        assert loaded.measurement_id == value.measurement_id
        assert loaded.unit == value.unit
        assert json.dumps(loaded.payload(), sort_keys=True) == json.dumps(
            value.payload(), sort_keys=True
        )

    @pytest.mark.parametrize("value", examples(), ids=lambda v: type(v).__name__)
    def test_value_round_trips_through_a_json_store(self, store_dir: Path, value: Value) -> None:
        loaded = round_trip(value)
        assert type(loaded) is type(value)
        if not any(isinstance(x, float) and math.isnan(x) for x in getattr(value, "array", [])):
            assert loaded == value

    def test_multiple_ranksums_keeps_num_pops(self, memory_store: MemoryStore) -> None:
        loaded = round_trip(MultipleRanksums("m", [{"a": [1.0, 0.5]}], num_pops=7))
        assert isinstance(loaded, MultipleRanksums)
        assert loaded.num_pops == 7

    def test_multiple_ranksums_num_pops_set_after_evaluate_is_stored(
        self, memory_store: MemoryStore
    ) -> None:
        value = MultipleRanksums("m", [{"a": [1.0, 0.5]}])
        value.num_pops = 3  # what the seed does
        loaded = round_trip(value)
        assert isinstance(loaded, MultipleRanksums)
        assert loaded.num_pops == 3

    def test_zero_num_pops_is_kept_not_replaced_by_one(self, memory_store: MemoryStore) -> None:
        loaded = round_trip(MultipleRanksums("m", [{"a": [1.0, 0.5]}], num_pops=0))
        assert isinstance(loaded, MultipleRanksums)
        assert loaded.num_pops == 0

    def test_provenance_round_trips(self, memory_store: MemoryStore) -> None:
        value = Real("acc", 0.5, provenance={"function": "f", "cell": {"execution_count": 3}})
        assert round_trip(value).provenance == value.provenance

    def test_image_bytes_survive_a_round_trip(self, store_dir: Path) -> None:
        loaded = round_trip(Image("png", PNG))
        assert isinstance(loaded, Image)
        assert loaded.image == PNG
        assert loaded.media_type == "image/png"

    def test_nan_real_is_written_as_strict_json(self, store_dir: Path) -> None:
        Real("nan", math.nan).save(parents=True)
        text = (store_dir / "models/OxfordFlower/0.0.1/nan.value.json").read_text()

        def reject(constant: str) -> None:
            raise AssertionError(constant)

        json.loads(text, parse_constant=reject)
        loaded = Real.load("nan")
        assert math.isnan(loaded.value)

    @given(st.floats(allow_nan=False))
    def test_real_float_payload_round_trips_exactly(self, number: float) -> None:
        store = MemoryStore()
        store.create_version("m", "v")
        store.write("m", "v", "x.value", Real("x", number).to_document(), force=False)
        loaded = Value.from_document(store.read("m", "v", "x.value"))
        assert isinstance(loaded, Real)
        assert loaded.value == number

    @given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=10))
    def test_array_float_payload_round_trips(self, numbers: list[float]) -> None:
        store = MemoryStore()
        store.create_version("m", "v")
        store.write("m", "v", "x.value", Array("x", numbers).to_document(), force=False)
        loaded = Value.from_document(store.read("m", "v", "x.value"))
        assert isinstance(loaded, Array)
        for got, want in zip(loaded.array, numbers, strict=True):
            assert (math.isnan(got) and math.isnan(want)) or got == want


class TestLoadAll:
    def test_returns_every_value_each_as_its_own_class(self, store_dir: Path) -> None:
        classes = [Integer, Real, String, RankSums]
        made = {}
        for i in range(250):
            cls = classes[i % 4]
            payload: Any = {Integer: i, Real: i / 3, String: f"s{i}", RankSums: [i, 0.5]}[cls]
            value = cls(f"measurement {i}", payload)
            value.save(parents=True)
            made[value.measurement_id] = value
        loaded = Value.load_all()
        assert len(loaded) == 250
        assert {v.measurement_id: v for v in loaded} == made
        assert all(type(v) is type(made[v.measurement_id]) for v in loaded)

    def test_ignores_non_value_artifacts(self, memory_store: MemoryStore) -> None:
        Real("acc", 0.5).save(parents=True)
        Spec().save()
        memory_store.write(
            "OxfordFlower",
            "0.0.1",
            "notes.report",
            {"header": {"identifier": "notes.report", "type": "report"}, "body": {}},
            force=False,
        )
        loaded = Value.load_all()
        assert [v.identifier for v in loaded] == ["acc.value"]

    def test_empty_store_gives_no_values(self, memory_store: MemoryStore) -> None:
        assert Value.load_all() == []

    def test_reads_mlte_python_values(self, memory_store: MemoryStore) -> None:
        memory_store.create_version("OxfordFlower", "0.0.1")
        document = {
            "header": {"identifier": "model size.value", "type": "value", "timestamp": 1},
            "body": {
                "artifact_type": "value",
                "metadata": {
                    "measurement_type": "mlte.measurement.storage.LocalObjectSize",
                    "identifier": {"name": "model size"},
                    "info": None,
                },
                "value_class": "mlte.value.types.integer.Integer",
                "value": {"value_type": "integer", "integer": 1500},
            },
        }
        memory_store.write("OxfordFlower", "0.0.1", "model size.value", document, force=False)
        (value,) = Value.load_all()
        assert isinstance(value, Integer)
        assert value.value == 1500
        assert value.measurement_id == "model size"

    def test_unknown_value_class_loads_as_unknown_or_is_an_error_naming_it(
        self, memory_store: MemoryStore
    ) -> None:
        memory_store.create_version("OxfordFlower", "0.0.1")
        document = {
            "header": {"identifier": "x.value", "type": "value"},
            "body": {"artifact_type": "value", "value_class": "nowhere.Thing", "value": {}},
        }
        memory_store.write("OxfordFlower", "0.0.1", "x.value", document, force=False)
        assert Value.load("x").stored_class == "nowhere.Thing"  # type: ignore[attr-defined]
        with pytest.raises(ArtifactFormatError, match=r"nowhere\.Thing"):
            Real.load("x")


class TestNumbers:
    @pytest.mark.parametrize("number", [np.int64(7), np.int32(7), np.uint8(7), 7])
    def test_integer_accepts_numpy_integers(self, number: Any) -> None:
        value = Integer("n", number)
        assert value.value == 7
        assert type(value.value) is int

    @pytest.mark.parametrize("number", [np.float64(0.5), np.float32(0.5), 0.5, 1, np.int64(1)])
    def test_real_accepts_numbers_and_numpy_scalars(self, number: Any) -> None:
        value = Real("r", number)
        assert value.value == float(number)
        assert type(value.value) is float

    @pytest.mark.parametrize("bad", [True, 1.5, "3", None, [1]])
    def test_integer_rejects_non_integers(self, bad: Any) -> None:
        with pytest.raises(MeasurementError, match="whole number"):
            Integer("n", bad)

    @pytest.mark.parametrize("bad", [True, "0.5", None, [0.5], 1j])
    def test_real_rejects_non_numbers(self, bad: Any) -> None:
        with pytest.raises(MeasurementError, match="needs a number"):
            Real("r", bad)

    def test_real_beyond_float_range_is_a_measurement_error_naming_it(self) -> None:
        with pytest.raises(MeasurementError, match="'x' is beyond float range"):
            Real("x", 10**400)
        assert Integer("x", 10**400).headline() == math.inf

    @pytest.mark.parametrize("bad", [[], "", "  ", 3, " s", "s "])
    def test_a_unit_must_be_text(self, bad: Any) -> None:
        with pytest.raises(MeasurementError, match="unit must be"):
            Real("r", 1.0, unit=bad)

    def test_string_rejects_non_text(self) -> None:
        with pytest.raises(MeasurementError, match="needs text"):
            String("s", 3)

    def test_summary_shows_the_unit(self) -> None:
        assert Integer("size", 3000, unit="bytes").summary() == "3000 bytes"
        assert StorageSize("size", 3000).unit == "bytes"

    def test_identifier_is_measurement_id_dot_value(self) -> None:
        assert Real("accuracy across gardens", 0.9).identifier == "accuracy across gardens.value"

    def test_empty_measurement_id_is_an_error(self) -> None:
        with pytest.raises(MeasurementError, match="empty"):
            Real("", 0.5)


class TestCollections:
    def test_array_accepts_numpy_arrays_and_tuples(self) -> None:
        assert Array("a", np.array([1.0, 2.0])).array == [1.0, 2.0]
        assert Array("a", (1, 2)).array == [1, 2]

    @pytest.mark.parametrize("bad", ["text", b"bytes", {"a": 1}, 5, None, np.array(3.0)])
    def test_array_rejects_non_sequences_with_a_measurement_error(self, bad: Any) -> None:
        with pytest.raises(MeasurementError, match="needs a sequence"):
            Array("a", bad)

    def test_ranksums_says_what_it_needs(self) -> None:
        with pytest.raises(MeasurementError, match=r"RankSums 'r' needs \[statistic, p_value\]"):
            RankSums("r", 0.5)

    def test_opaque_needs_a_dict(self) -> None:
        with pytest.raises(MeasurementError, match="needs a dict"):
            Opaque("o", [1, 2])

    def test_opaque_normalizes_numpy_content(self) -> None:
        value = Opaque("o", {"n": np.int64(2), "a": np.array([1, 2])})
        assert value.data == {"n": 2, "a": [1, 2]}

    def test_ranksums_needs_two_numbers(self) -> None:
        with pytest.raises(MeasurementError, match=r"\[statistic, p_value\]"):
            RankSums("r", [1.0])

    def test_ranksums_exposes_statistic_and_p_value(self) -> None:
        value = RankSums("r", (1.5, 0.25))
        assert (value.statistic, value.p_value) == (1.5, 0.25)

    def test_multiple_ranksums_lists_its_tests(self) -> None:
        value = MultipleRanksums("m", [{"a": [1.0, 0.5]}, {"b": (2.0, 0.1)}], num_pops=2)
        assert value.tests() == [("a", 1.0, 0.5), ("b", 2.0, 0.1)]

    def test_resource_statistics_need_avg_min_max(self) -> None:
        with pytest.raises(MeasurementError, match="max"):
            CPUStatistics("c", avg=1.0, min=0.0)

    def test_resource_statistics_have_explicit_units(self) -> None:
        assert CPUStatistics("c", avg=1, min=0, max=2).unit == "% of one core"
        assert MemoryStatistics("m", avg=1, min=0, max=2).unit == "KiB"


class TestImage:
    def test_from_path(self, tmp_path: Path) -> None:
        path = tmp_path / "a.png"
        path.write_bytes(PNG)
        assert Image("img", path).image == PNG
        assert Image("img", str(path)).media_type == "image/png"

    def test_from_matplotlib_figure(self) -> None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(1, 1))
        ax.plot([0, 1], [0, 1])
        try:
            image = Image("fig", fig)
        finally:
            plt.close(fig)
        assert image.media_type == "image/png"
        assert image.image.startswith(b"\x89PNG")

    def test_missing_file_is_an_error_naming_it(self, tmp_path: Path) -> None:
        with pytest.raises(MeasurementError, match="does not exist"):
            Image("img", tmp_path / "missing.png")

    def test_non_image_bytes_are_an_error(self) -> None:
        with pytest.raises(MeasurementError, match="not a PNG, JPEG or GIF"):
            Image("img", b"hello")

    def test_unsupported_source_is_an_error(self) -> None:
        with pytest.raises(MeasurementError, match="path, bytes or a matplotlib figure"):
            Image("img", 42)


class TestUnknownValueClass:
    def test_value_of_an_unimported_class_loads_and_fails_its_condition(self, store_dir) -> None:
        import json

        from mlte_nb import Real, Spec, SpecValidator, TaskEfficacy, Value

        Real("a", 1.0).save(parents=True)
        path = store_dir / "models/OxfordFlower/0.0.1/a.value.json"
        document = json.loads(path.read_text())
        document["body"]["value_class"] = "somewhere.Fancy"
        path.write_text(json.dumps(document))
        values = Value.load_all()
        spec = Spec(properties={TaskEfficacy("w"): {"a": Real.less_than(2)}})
        result = SpecValidator(spec).add_values(values).validate().results[0]
        assert result.kind == "Failure"
        assert "'somewhere.Fancy', which is not defined in this process" in result.message
        values[0].save(force=True)
        assert json.loads(path.read_text())["body"]["value_class"] == "somewhere.Fancy"


def test_memory_summary_shows_an_exact_peak_above_the_samples() -> None:
    value = MemoryStatistics("m", {"avg": 50.0, "min": 40.0, "max": 70.0, "peak": 147.0})
    assert value.summary() == "avg 50, min 40, max 70 KiB (peak 147 KiB)"
    assert "peak" not in MemoryStatistics("m", {"avg": 5.0, "min": 4.0, "max": 7.0}).summary()
