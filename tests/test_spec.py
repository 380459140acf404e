"""Spec: properties with conditions, stored as data, never executing stored code."""

from __future__ import annotations

import base64
import json
import pickle
from pathlib import Path

import pytest

from mlte_nb import (
    CPUStatistics,
    Failure,
    Fairness,
    Image,
    Integer,
    Interpretability,
    MemoryStatistics,
    MultipleAccuracy,
    MultipleRanksums,
    PredictingComputeCost,
    PredictingMemoryCost,
    Property,
    RankSums,
    Real,
    Robustness,
    Spec,
    SpecValidator,
    StorageCost,
    TaskEfficacy,
    TrainingComputeCost,
    TrainingMemoryCost,
    Value,
    custom_condition,
)
from mlte_nb.errors import SpecError
from mlte_nb.values import Result, Success

VERSION_DIR = "models/OxfordFlower/0.0.1"


def seed_spec() -> Spec:
    """The seed guide's spec (with built-in value classes)."""
    return Spec(
        properties={
            Fairness("Important check if model performs well accross different populations"): {
                "accuracy across gardens": MultipleAccuracy.all_accuracies_more_or_equal_than(0.9)
            },
            Robustness("Robust against blur and noise"): {
                "ranksums blur2x8": RankSums.p_value_greater_or_equal_to(0.05 / 3),
                "ranksums blur5x8": RankSums.p_value_greater_or_equal_to(0.05 / 3),
                "multiple ranksums for clade2": (
                    MultipleRanksums.all_p_values_greater_or_equal_than(0.05)
                ),
            },
            StorageCost("Critical since model will be in an embedded device"): {
                "model size": Integer.less_than(3000)
            },
            PredictingMemoryCost("Useful to evaluate resources needed when predicting"): {
                "predicting memory": MemoryStatistics.average_consumption_less_than(512000.0)
            },
            PredictingComputeCost("Useful to evaluate resources needed when predicting"): {
                "predicting cpu": CPUStatistics.max_utilization_less_than(30.0)
            },
            Interpretability("Important to understand what the model is doing"): {
                "image attributions": Image.ignore("Inspect the image.")
            },
        }
    )


class Latency(Property):
    """Time from request to answer."""


@custom_condition(Real, "within {0} of one")
def near_one(value: Real, tolerance: float) -> Result:
    """Pass when the value is within ``tolerance`` of 1."""
    return Success("near") if abs(value.value - 1) <= tolerance else Failure("far")


class TestProperties:
    @pytest.mark.parametrize(
        "cls",
        [
            StorageCost,
            PredictingComputeCost,
            PredictingMemoryCost,
            TrainingComputeCost,
            TrainingMemoryCost,
            Fairness,
            Robustness,
            Interpretability,
            TaskEfficacy,
        ],
    )
    def test_builtin_property_has_name_description_and_rationale(self, cls: type[Property]) -> None:
        prop = cls("why")
        assert prop.name == cls.__name__
        assert prop.rationale == "why"
        assert prop.description

    def test_user_subclass_uses_its_docstring(self) -> None:
        assert Latency("fast").description == "Time from request to answer."

    def test_rationale_must_be_text(self) -> None:
        with pytest.raises(SpecError, match="rationale must be text"):
            Fairness(3)  # type: ignore[arg-type]

    def test_equality_is_by_name_and_rationale(self) -> None:
        assert Fairness("a") == Fairness("a")
        assert Fairness("a") != Fairness("b")
        assert Fairness("a") != Robustness("a")
        assert hash(Fairness("a")) == hash(Fairness("a"))


class TestSpecConstruction:
    def test_default_identifier(self) -> None:
        assert Spec().identifier == "default.spec"
        assert Spec("mine").identifier == "mine.spec"

    def test_lists_conditions_and_measurement_ids_in_order(self) -> None:
        spec = seed_spec()
        assert len(spec) == 8
        assert spec.measurement_ids()[:2] == ["accuracy across gardens", "ranksums blur2x8"]
        assert spec.property_of("model size") == StorageCost(
            "Critical since model will be in an embedded device"
        )
        assert spec.property_of("nothing") is None

    def test_duplicate_property_names_are_a_spec_error(self) -> None:
        with pytest.raises(SpecError, match="two Fairness properties"):
            Spec(
                properties={
                    Fairness("one"): {"a": Real.less_than(1)},
                    Fairness("two"): {"b": Real.less_than(1)},
                }
            )

    def test_one_measurement_under_two_properties_is_a_spec_error(self) -> None:
        with pytest.raises(SpecError, match=r"'acc'.*Fairness.*Robustness"):
            Spec(
                properties={
                    Fairness("one"): {"acc": Real.less_than(1)},
                    Robustness("two"): {"acc": Real.greater_than(0)},
                }
            )

    def test_key_that_is_not_a_property_is_a_spec_error(self) -> None:
        with pytest.raises(SpecError, match="Property objects"):
            Spec(properties={"Fairness": {"a": Real.less_than(1)}})  # type: ignore[dict-item]

    def test_condition_that_is_not_a_condition_is_a_spec_error(self) -> None:
        with pytest.raises(SpecError, match="build one with a factory"):
            Spec(properties={Fairness("x"): {"a": lambda v: True}})  # type: ignore[dict-item]

    def test_repr_counts(self) -> None:
        assert repr(seed_spec()) == "<Spec 'default.spec': 6 properties, 8 conditions>"


class TestSpecStore:
    def test_save_and_load_give_an_equal_spec(self, store_dir: Path) -> None:
        spec = seed_spec()
        spec.save(parents=True, force=True)
        loaded = Spec.load()
        assert loaded == spec
        assert list(loaded.properties) == list(spec.properties)
        assert [c for _, _, c in loaded.conditions()] == [c for _, _, c in spec.conditions()]

    def test_user_property_and_custom_condition_round_trip(self, memory_store: object) -> None:
        spec = Spec("latency", {Latency("fast"): {"t": near_one(0.1)}})
        spec.save(parents=True)
        loaded = Spec.load("latency")
        assert loaded == spec
        assert isinstance(next(iter(loaded.properties)), Latency)

    def test_unknown_property_loads_keeping_name_and_text(self, store_dir: Path) -> None:
        Spec(properties={Latency("fast"): {"t": Real.less_than(1)}}).save(parents=True)
        path = store_dir / VERSION_DIR / "default.spec.json"
        stored = json.loads(path.read_text())
        stored["body"]["properties"][0]["name"] = "NoSuchProperty"
        stored["body"]["properties"][0]["description"] = "made up"
        path.write_text(json.dumps(stored))
        prop = next(iter(Spec.load().properties))
        assert (prop.name, prop.rationale, prop.description) == (
            "NoSuchProperty",
            "fast",
            "made up",
        )

    def test_stored_spec_is_strict_json_without_code(self, store_dir: Path) -> None:
        spec = Spec(properties={Fairness("x"): {"a": near_one(0.5), "b": Real.less_than(1)}})
        spec.save(parents=True)
        text = (store_dir / VERSION_DIR / "default.spec.json").read_text()

        def reject(constant: str) -> None:
            raise AssertionError(constant)

        stored = json.loads(text, parse_constant=reject)
        conditions = stored["body"]["properties"][0]["conditions"]
        assert set(conditions["a"]) <= {
            "name",
            "arguments",
            "value_class",
            "description",
            "function",
            "unit",
        }
        assert "callback" not in text

    def test_pickled_callback_is_never_unpickled(self, store_dir: Path, tmp_path: Path) -> None:
        """A stored mlte-python `callback` whose unpickling would create a file stays inert."""

        class Trap:
            def __init__(self, target: Path) -> None:
                self.target = target

            def __reduce__(self) -> tuple[object, tuple[str, str]]:
                return (open, (str(self.target), "w"))

        control = tmp_path / "control-proof"
        pickle.loads(pickle.dumps(Trap(control)))  # proves the payload is live
        assert control.exists()

        target = tmp_path / "pwned"
        payload = base64.b64encode(pickle.dumps(Trap(target))).decode()
        Spec(properties={Fairness("x"): {"acc": Real.less_than(0.5)}}).save(parents=True)
        path = store_dir / VERSION_DIR / "default.spec.json"
        stored = json.loads(path.read_text())
        stored["body"]["properties"][0]["conditions"]["acc"]["callback"] = payload
        path.write_text(json.dumps(stored))

        spec = Spec.load()
        Real("acc", 0.25).save()
        validated = SpecValidator(spec).add_values(Value.load_all()).validate()
        validated.save()
        Spec.load().save(force=True)
        assert validated.counts()["Success"] == 1
        assert not target.exists()

    def test_unregistered_custom_function_loads_and_fails_naming_it(self, store_dir: Path) -> None:
        Spec(properties={Fairness("x"): {"acc": near_one(0.5)}}).save(parents=True)
        path = store_dir / VERSION_DIR / "default.spec.json"
        stored = json.loads(path.read_text())
        stored["body"]["properties"][0]["conditions"]["acc"]["function"] = "nowhere.missing_fn"
        path.write_text(json.dumps(stored))
        spec = Spec.load()
        validated = SpecValidator(spec).add_value(Real("acc", 1.0)).validate()
        (row,) = validated.results
        assert row.kind == "Failure"
        assert "nowhere.missing_fn" in row.message

    def test_mlte_python_spec_loads_by_name_and_arguments(self, memory_store: object) -> None:
        from mlte_nb.context import get_context

        model, version, store = get_context()
        store.create_version(model, version)
        document = {
            "header": {"identifier": "default.spec", "type": "spec", "timestamp": 1},
            "body": {
                "artifact_type": "spec",
                "properties": [
                    {
                        "name": "Fairness",
                        "description": "d",
                        "rationale": "r",
                        "conditions": {
                            "accuracy across gardens": {
                                "name": "all_accuracies_more_than",
                                "arguments": [0.9],
                                "callback": "gASVBQAAAAAAAACMAWGULg==",
                                "value_class": "values.multiple_accuracy.MultipleAccuracy",
                            }
                        },
                        "module": "properties.fairness",
                    }
                ],
            },
        }
        store.write(model, version, "default.spec", document, force=False)
        spec = Spec.load()
        validated = (
            SpecValidator(spec)
            .add_value(MultipleAccuracy("accuracy across gardens", [0.92, 0.93]))
            .validate()
        )
        assert validated.counts() == {"Success": 1, "Failure": 0, "Ignore": 0}
