"""Every artifact mlte_nb writes matches the JSON Schema of its kind, shipped in the package."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mlte_nb import CPUStatistics, Real, Spec, Value
from mlte_nb.report import Report, SummaryDescriptor
from mlte_nb.spec import Fairness, StorageCost
from mlte_nb.store.schema import KINDS, schema, schema_errors
from mlte_nb.validate import SpecValidator
from mlte_nb.values import Array, Image, MultipleAccuracy, Opaque, String

NOTEBOOK_STORE = Path(__file__).parents[1] / "notebooks" / "mlte_store"


def _strict(path: Path) -> Any:
    def reject(constant: str) -> None:
        raise AssertionError(f"bare {constant} in {path}")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=reject)


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_is_a_valid_draft_2020_12_schema(kind: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(kind))


def test_schemas_are_package_data() -> None:
    folder = Path(__import__("mlte_nb.store").store.__file__).parent / "schemas"
    assert sorted(p.stem for p in folder.glob("*.json")) == sorted(KINDS)


def test_everything_written_through_the_workflow_matches(store_dir: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(20)
    Real("acc", math.nan).save(parents=True)
    CPUStatistics("cpu", {"avg": 1.0, "min": 0.0, "max": math.inf}).save()
    MultipleAccuracy("gardens", [0.9, 0.95]).save()
    for value in (
        Array("arr", [1, -math.inf]),
        Opaque("op", {"k": [1, 2]}),
        String("s", "x"),
        Image("img", png),
    ):
        value.save()
    spec = Spec(
        properties={
            Fairness("why"): {"gardens": MultipleAccuracy.all_accuracies_more_or_equal_than(0.9)},
            StorageCost("small"): {"acc": Real.less_than(3)},
        }
    )
    spec.save()
    validated = SpecValidator(spec).add_values(Value.load_all()).validate()
    validated.save()
    Report(summary=SummaryDescriptor(task="t"), validated_spec_id=validated.identifier).save()
    files = sorted(store_dir.rglob("*.json"))
    kinds = {_strict(p)["body"]["artifact_type"] for p in files}
    assert kinds == set(KINDS)
    for path in files:
        assert schema_errors(_strict(path)) == [], path.name


@pytest.mark.skipif(not NOTEBOOK_STORE.is_dir(), reason="the garden notebook has not been run")
def test_the_garden_notebook_store_matches() -> None:
    files = sorted(NOTEBOOK_STORE.glob("models/*/*/*.json"))
    assert files
    for path in files:
        assert schema_errors(_strict(path)) == [], path.name


class TestRejects:
    def _value(self) -> dict[str, Any]:
        return Real("acc", 0.5).to_document()

    def test_a_pickled_callback_in_a_condition_is_rejected(self) -> None:
        spec = Spec(properties={Fairness("x"): {"a": Real.less_than(1)}}).to_document()
        spec["body"]["properties"][0]["conditions"]["a"]["callback"] = "gASV..."
        assert any("callback" in e for e in schema_errors(spec))

    def test_a_bare_non_finite_float_object_of_another_shape_is_rejected(self) -> None:
        document = self._value()
        document["body"]["value"]["real"] = {"$float": "nan"}
        assert schema_errors(document)

    def test_a_header_without_schema_version_is_rejected(self) -> None:
        document = self._value()
        del document["header"]["schema_version"]
        assert any("schema_version" in e for e in schema_errors(document))

    def test_an_unknown_kind_is_named(self) -> None:
        assert schema_errors({"header": {}, "body": {"artifact_type": "x"}}) == [
            "artifact_type 'x' is not one of ['value', 'spec', 'validated_spec', 'report']"
        ]
