"""record_value: turn a notebook variable into a Value, inferring its type."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
import pytest

from mlte_nb import (
    Array,
    Image,
    Integer,
    MultipleAccuracy,
    Opaque,
    Real,
    String,
    Value,
)
from mlte_nb.errors import MeasurementError
from mlte_nb.measure.variable import infer_value_class, record_value, value_class_named
from mlte_nb.store import MemoryStore

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class TestInferValueClass:
    @pytest.mark.parametrize(
        ("obj", "cls"),
        [
            (3, Integer),
            (np.int64(3), Integer),
            (0.5, Real),
            (np.float32(0.5), Real),
            ("text", String),
            ({"a": 1}, Opaque),
            ([1, 2], Array),
            ((1.0, 2.0), Array),
            (np.array([1.0, 2.0]), Array),
            (PNG, Image),
        ],
        ids=repr,
    )
    def test_infers_the_fitting_class(self, obj: Any, cls: type[Value]) -> None:
        assert infer_value_class(obj) is cls

    def test_bool_is_refused(self) -> None:
        with pytest.raises(MeasurementError, match="bool"):
            infer_value_class(True)

    def test_unknown_object_says_to_name_a_type(self) -> None:
        with pytest.raises(MeasurementError, match="--as TYPE"):
            infer_value_class(object())


class TestRecordValue:
    @pytest.mark.parametrize(
        ("obj", "expected"),
        [
            (3, Integer("v", 3)),
            (0.25, Real("v", 0.25)),
            (np.float64(0.25), Real("v", 0.25)),
            (np.array(0.25), Real("v", 0.25)),
            (np.array(7), Integer("v", 7)),
            ("hi", String("v", "hi")),
            ({"k": [1, 2]}, Opaque("v", {"k": [1, 2]})),
            (np.array([1, 2]), Array("v", [1, 2])),
        ],
        ids=repr,
    )
    def test_infers_and_builds_the_value(self, obj: Any, expected: Value) -> None:
        assert record_value("v", obj) == expected

    def test_named_type_is_used(self) -> None:
        value = record_value("acc", [0.91, 0.92], "MultipleAccuracy")
        assert isinstance(value, MultipleAccuracy)

    def test_value_class_is_used(self) -> None:
        assert isinstance(record_value("acc", 1, Real), Real)

    def test_unknown_type_name_lists_the_public_choices(self) -> None:
        with pytest.raises(MeasurementError, match="unknown value type 'Nope'") as info:
            record_value("x", 1, "Nope")
        message = str(info.value)
        assert "'Real'" in message
        assert "'MultipleAccuracy'" in message
        assert "'_" not in message

    def test_private_base_classes_are_not_value_types(self) -> None:
        with pytest.raises(MeasurementError):
            value_class_named("_Number")

    def test_object_that_does_not_fit_the_named_type_is_an_error(self) -> None:
        with pytest.raises(MeasurementError, match="whole number"):
            record_value("x", "text", "Integer")

    def test_provenance_says_notebook_variable_with_extras(self) -> None:
        value = record_value("x", 1.0, cell={"execution_count": 4})
        assert value.provenance["measurement_type"] == "NotebookVariable"
        assert value.provenance["cell"] == {"execution_count": 4}
        assert "timestamp" in value.provenance

    def test_a_value_is_relabelled_with_the_new_id(self) -> None:
        value = record_value("new", Real("old", 0.5, unit="fraction"))
        assert isinstance(value, Real)
        assert value.measurement_id == "new"
        assert value.identifier == "new.value"
        assert value.unit == "fraction"

    def test_recorded_value_saves_and_loads(self, memory_store: MemoryStore) -> None:
        record_value("acc", np.float64(0.9)).save(parents=True)
        loaded = Value.load("acc")
        assert loaded == Real("acc", 0.9)
        assert loaded.provenance["measurement_type"] == "NotebookVariable"


def test_record_value_gives_the_unit_asked_for() -> None:
    assert record_value("t", 0.2, unit="s").unit == "s"
    assert record_value("t", 0.2).unit is None
    relabelled = record_value("t2", record_value("t", 0.2, unit="s"))
    assert relabelled.unit == "s"
