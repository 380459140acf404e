"""spec_to_code: the Python code of a Spec rebuilds an equal Spec."""

from __future__ import annotations

from typing import Any

import pytest

from mlte_nb import (
    Fairness,
    Image,
    MultipleAccuracy,
    MultipleRanksums,
    Property,
    RankSums,
    Real,
    Spec,
    StorageCost,
    String,
    TaskEfficacy,
    custom_condition,
)
from mlte_nb.measure import LocalObjectSize, LocalProcessMemoryConsumption
from mlte_nb.spec import Condition, spec_to_code


def rebuilt(spec: Spec) -> Spec:
    namespace: dict[str, Any] = {}
    exec(spec_to_code(spec), namespace)
    found = namespace["spec"]
    assert isinstance(found, Spec)
    return found


@custom_condition(Real, "close to {0}")
def close_to(value: Real, target: float) -> bool:
    return abs(value.value - target) < 0.01


class TestSpecToCode:
    def test_built_in_factories_are_written_as_calls_and_round_trip(self) -> None:
        spec = Spec(
            properties={
                TaskEfficacy("Visitors need the right name"): {
                    "accuracy": Real.greater_or_equal_to(0.9),
                    "label": String.equal_to("rose"),
                },
                Fairness("Every garden"): {
                    "gardens": MultipleAccuracy.all_accuracies_more_than(0.9),
                },
                StorageCost("Embedded"): {"size": LocalObjectSize.value().less_than(3000)},
            }
        )
        code = spec_to_code(spec)
        assert "Real.greater_or_equal_to(0.9)" in code
        assert "String.equal_to('rose')" in code
        assert "from mlte_nb.spec import Fairness, Spec, StorageCost, TaskEfficacy" in code
        assert rebuilt(spec) == spec

    def test_order_of_properties_and_conditions_is_kept(self) -> None:
        spec = Spec(
            "robust.spec",
            properties={
                StorageCost("b"): {"z": Real.less_than(1), "a": Real.less_than(2)},
                Fairness("a"): {"m": RankSums.p_value_greater_or_equal_to(0.05 / 3)},
            },
        )
        again = rebuilt(spec)
        assert again == spec
        assert again.identifier == "robust.spec"
        assert again.measurement_ids() == ["z", "a", "m"]

    def test_thresholds_keep_every_digit(self) -> None:
        spec = Spec(
            properties={Fairness("f"): {"m": RankSums.p_value_greater_or_equal_to(0.05 / 3)}}
        )
        threshold = rebuilt(spec).properties[Fairness("f")]["m"].arguments[0]
        assert threshold == 0.05 / 3

    def test_custom_property_names_round_trip(self) -> None:
        latency = Property.build("QueueTime", "Answer while the visitor waits", "Time to answer")
        spec = Spec(properties={latency: {"latency": Real.less_than(0.5)}})
        code = spec_to_code(spec)
        assert "Property.build('QueueTime'" in code
        assert rebuilt(spec) == spec

    def test_user_subclass_defined_in_a_module_round_trips(self) -> None:
        spec = Spec(properties={Interpretable("why"): {"img": Image.ignore("look at it")}})
        assert rebuilt(spec) == spec

    def test_custom_and_foreign_conditions_are_written_as_literals(self) -> None:
        foreign = Condition(
            name="old_check",
            arguments=(1, [2, 3], {"a": "b"}),
            value_class="mlte.value.artifact.Value",
            description="from an old store",
        )
        spec = Spec(
            properties={TaskEfficacy("t"): {"near": close_to(0.5), "old": foreign}},
        )
        code = spec_to_code(spec)
        assert "Condition(name='close_to'" in code
        assert "function=" in code
        assert rebuilt(spec) == spec

    @pytest.mark.parametrize(
        "condition",
        [
            LocalProcessMemoryConsumption.value().average_consumption_less_than(512000.0),
            MultipleRanksums.all_p_values_greater_or_equal_than(0.05),
            Image.ignore("Inspect the image."),
        ],
    )
    def test_seed_conditions_round_trip(self, condition: Condition) -> None:
        spec = Spec(properties={TaskEfficacy("t"): {"m": condition}})
        assert rebuilt(spec) == spec

    def test_empty_spec_round_trips(self) -> None:
        assert rebuilt(Spec()) == Spec()


class Interpretable(Property):
    """People can see why."""


def test_a_condition_with_its_own_unit_is_rebuilt_by_its_factory() -> None:
    from mlte_nb import Real, Spec, TaskEfficacy
    from mlte_nb.spec.code import spec_to_code

    spec = Spec(properties={TaskEfficacy("x"): {"latency": Real.less_than(0.5, unit="s")}})
    code = spec_to_code(spec)
    assert "Real.less_than(0.5, unit='s')" in code
    namespace: dict[str, object] = {}
    exec(code, namespace)
    assert namespace["spec"] == spec
