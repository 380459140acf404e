"""ExternalMeasurement: wrap a function's output (or an ingested result) as a Value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.stats

from mlte_nb import (
    ExternalMeasurement,
    Image,
    Measurement,
    MultipleAccuracy,
    MultipleRanksums,
    RankSums,
    Real,
    Value,
)
from mlte_nb.errors import MeasurementError
from mlte_nb.store import MemoryStore

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def accuracies(correct: list[int], totals: list[int]) -> list[float]:
    return [c / t for c, t in zip(correct, totals, strict=True)]


class TestEvaluate:
    def test_scipy_ranksums_gives_rank_sums_with_provenance(self) -> None:
        base = np.array([0.9, 0.95, 0.85, 1.0, 0.8])
        blurred = np.array([0.5, 0.6, 0.4, 0.55, 0.45])
        value = ExternalMeasurement("ranksums blur0x8", RankSums, scipy.stats.ranksums).evaluate(
            base, blurred
        )
        expected = scipy.stats.ranksums(base, blurred)
        assert isinstance(value, RankSums)
        assert value.identifier == "ranksums blur0x8.value"
        assert value.statistic == pytest.approx(expected.statistic)
        assert value.p_value == pytest.approx(expected.pvalue)
        provenance = value.provenance
        assert provenance["measurement_type"] == "ExternalMeasurement"
        assert provenance["function"].endswith("ranksums")
        assert provenance["function"].startswith("scipy.stats")
        assert dt.datetime.fromisoformat(provenance["timestamp"]).tzinfo is not None
        assert provenance["duration_s"] >= 0
        assert provenance["python"]
        assert {"numpy", "scipy"} <= set(provenance["packages"])

    def test_provenance_is_stored_with_the_value(self, memory_store: MemoryStore) -> None:
        value = ExternalMeasurement("r", RankSums, scipy.stats.ranksums).evaluate([1, 2], [3, 4])
        value.save(parents=True)
        loaded = Value.load("r")
        assert loaded.provenance == value.provenance
        assert loaded.provenance["function"].endswith("ranksums")

    def test_own_function_gives_multiple_accuracy(self) -> None:
        value = ExternalMeasurement(
            "accuracy across gardens", MultipleAccuracy, accuracies
        ).evaluate([9, 18], [10, 20])
        assert isinstance(value, MultipleAccuracy)
        assert value.array == [0.9, 0.9]
        assert value.provenance["function"] == f"{__name__}.accuracies"

    def test_lambda_gives_multiple_ranksums(self) -> None:
        tests = [{"a-b": [1.0, 0.5]}]
        value = ExternalMeasurement("clade2", MultipleRanksums, lambda x: x).evaluate(tests)
        assert isinstance(value, MultipleRanksums)
        value.num_pops = 3
        assert value.tests() == [("a-b", 1.0, 0.5)]

    def test_numpy_scalar_output_gives_real(self) -> None:
        value = ExternalMeasurement("mean", Real, np.mean).evaluate([0.25, 0.75])
        assert isinstance(value, Real)
        assert value.value == 0.5

    def test_keyword_arguments_are_passed_on(self) -> None:
        def scaled(x: float, *, factor: float) -> float:
            return x * factor

        assert ExternalMeasurement("s", Real, scaled).evaluate(2.0, factor=3.0) == Real("s", 6.0)

    def test_without_a_function_evaluate_is_an_error_pointing_to_ingest(self) -> None:
        with pytest.raises(MeasurementError, match="ingest"):
            ExternalMeasurement("img", Image).evaluate()

    def test_output_of_the_wrong_shape_is_a_measurement_error(self) -> None:
        with pytest.raises(MeasurementError):
            ExternalMeasurement("r", RankSums, lambda: [1.0, 2.0, 3.0]).evaluate()

    def test_value_type_must_be_a_value_class(self) -> None:
        with pytest.raises(MeasurementError, match="Value class"):
            ExternalMeasurement("x", float, abs)  # type: ignore[arg-type]

    def test_exceptions_from_the_function_propagate(self) -> None:
        def broken() -> Any:
            raise ZeroDivisionError

        with pytest.raises(ZeroDivisionError):
            ExternalMeasurement("x", Real, broken).evaluate()

    def test_is_a_measurement_with_a_repr(self) -> None:
        measurement = ExternalMeasurement("x", Real, abs)
        assert isinstance(measurement, Measurement)
        assert repr(measurement) == "ExternalMeasurement('x')"


class TestIngest:
    def test_image_path_becomes_an_image(self, tmp_path: Path) -> None:
        path = tmp_path / "attributions.png"
        path.write_bytes(PNG)
        image = ExternalMeasurement("image attributions", Image).ingest(path)
        assert isinstance(image, Image)
        assert image.image == PNG
        assert image.provenance["measurement_type"] == "ExternalMeasurement"
        assert "timestamp" in image.provenance

    def test_ingested_image_round_trips(self, tmp_path: Path, memory_store: MemoryStore) -> None:
        path = tmp_path / "attributions.png"
        path.write_bytes(PNG)
        ExternalMeasurement("image attributions", Image).ingest(path).save(parents=True)
        loaded = Image.load("image attributions")
        assert loaded.image == PNG

    def test_missing_image_path_is_an_error(self, tmp_path: Path) -> None:
        with pytest.raises(MeasurementError, match="does not exist"):
            ExternalMeasurement("img", Image).ingest(tmp_path / "missing.png")

    def test_number_becomes_a_real(self) -> None:
        value = ExternalMeasurement("acc", Real).ingest(0.875)
        assert value == Real("acc", 0.875)


class TestValueClassOfMeasurement:
    def test_base_measurement_value_is_value(self) -> None:
        assert Measurement.value() is Value
