"""Conditions as data: every builder at its boundary, NaN, empties, wrong types, custom ones."""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlte_nb import (
    Array,
    Condition,
    CPUStatistics,
    Failure,
    Ignore,
    Image,
    Info,
    Integer,
    MemoryStatistics,
    MultipleAccuracy,
    MultipleRanksums,
    Opaque,
    RankSums,
    Real,
    String,
    Success,
    Value,
    custom_condition,
)
from mlte_nb.errors import SpecError
from mlte_nb.values import Result

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def kind(condition: Condition, value: Value) -> str:
    return condition.evaluate(value).kind


class TestNumberBuilders:
    @pytest.mark.parametrize(
        ("builder", "below", "equal", "above"),
        [
            ("less_than", "Success", "Failure", "Failure"),
            ("less_or_equal_to", "Success", "Success", "Failure"),
            ("greater_than", "Failure", "Failure", "Success"),
            ("greater_or_equal_to", "Failure", "Success", "Success"),
        ],
    )
    @pytest.mark.parametrize("cls", [Integer, Real])
    def test_boundaries(
        self, cls: type[Integer | Real], builder: str, below: str, equal: str, above: str
    ) -> None:
        condition = getattr(cls, builder)(10)
        assert kind(condition, cls("x", 9)) == below
        assert kind(condition, cls("x", 10)) == equal
        assert kind(condition, cls("x", 11)) == above

    def test_less_than_fails_when_value_equals_threshold(self) -> None:
        result = Real.less_than(0.5).evaluate(Real("x", 0.5))
        assert isinstance(result, Failure)
        assert "not less than" in result.message

    def test_greater_or_equal_to_passes_at_equality(self) -> None:
        assert isinstance(Real.greater_or_equal_to(0.9).evaluate(Real("x", 0.9)), Success)

    @pytest.mark.parametrize(
        "builder", ["less_than", "less_or_equal_to", "greater_than", "greater_or_equal_to"]
    )
    def test_nan_never_passes(self, builder: str) -> None:
        result = getattr(Real, builder)(0.5).evaluate(Real("x", math.nan))
        assert isinstance(result, Failure)
        assert "NaN" in result.message

    @pytest.mark.parametrize("value", [math.inf, -math.inf])
    def test_infinities_never_pass(self, value: float) -> None:
        assert kind(Real.less_than(1e300), Real("x", value)) == "Failure"
        assert kind(Real.greater_than(-1e300), Real("x", value)) == "Failure"

    def test_numpy_threshold_is_stored_as_plain_number(self) -> None:
        condition = Real.less_than(np.float64(0.25))
        assert condition.arguments == (0.25,)
        assert type(condition.arguments[0]) is float

    def test_message_shows_value_threshold_and_unit(self) -> None:
        result = Integer.less_than(3000, unit="bytes").evaluate(Integer("size", 2500, unit="bytes"))
        assert result.message == "2500 bytes is less than 3000 bytes"

    @given(
        st.floats(allow_nan=False, allow_infinity=False),
        st.floats(allow_nan=False, allow_infinity=False),
    )
    def test_real_less_than_agrees_with_python(self, value: float, threshold: float) -> None:
        expected = "Success" if value < threshold else "Failure"
        assert kind(Real.less_than(threshold), Real("x", value)) == expected

    @given(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6))
    def test_integer_greater_or_equal_agrees_with_python(self, value: int, threshold: int) -> None:
        expected = "Success" if value >= threshold else "Failure"
        assert kind(Integer.greater_or_equal_to(threshold), Integer("x", value)) == expected


class TestThresholdValidation:
    @pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, np.float64("nan")])
    @pytest.mark.parametrize(
        "factory",
        [
            Real.less_than,
            Integer.greater_or_equal_to,
            MultipleAccuracy.all_accuracies_more_or_equal_than,
            RankSums.p_value_greater_or_equal_to,
            MultipleRanksums.all_p_values_greater_or_equal_than,
            CPUStatistics.max_utilization_less_than,
            MemoryStatistics.average_consumption_less_than,
        ],
        ids=lambda f: getattr(f, "__name__", ""),
    )
    def test_non_finite_threshold_is_a_spec_error(self, factory: Any, bad: float) -> None:
        with pytest.raises(SpecError, match="not a finite number"):
            factory(bad)

    def test_non_data_argument_is_a_spec_error(self) -> None:
        with pytest.raises(SpecError, match="cannot be stored as data"):
            Real.less_than(object())

    def test_missing_threshold_is_a_spec_error(self) -> None:
        with pytest.raises(SpecError, match="less_than"):
            Real.less_than()

    def test_too_many_arguments_is_a_spec_error(self) -> None:
        with pytest.raises(SpecError, match="less_than"):
            Real.less_than(1, 2)


class TestCollectionBuilders:
    def test_all_accuracies_boundary(self) -> None:
        condition = MultipleAccuracy.all_accuracies_more_or_equal_than(0.9)
        assert kind(condition, MultipleAccuracy("a", [0.9, 0.95])) == "Success"
        result = condition.evaluate(MultipleAccuracy("a", [0.9, 0.8999]))
        assert isinstance(result, Failure)
        assert "1 below threshold 0.9" in result.message

    def test_all_accuracies_empty_never_passes(self) -> None:
        result = MultipleAccuracy.all_accuracies_more_or_equal_than(0.0).evaluate(
            MultipleAccuracy("a", [])
        )
        assert isinstance(result, Failure)
        assert "empty" in result.message

    @pytest.mark.parametrize("bad", [math.nan, None, "0.95"])
    def test_all_accuracies_nan_or_non_number_never_passes(self, bad: Any) -> None:
        condition = MultipleAccuracy.all_accuracies_more_or_equal_than(0.0)
        assert kind(condition, MultipleAccuracy("a", [0.95, bad])) == "Failure"

    def test_mlte_python_condition_name_still_works(self) -> None:
        condition = Condition.from_json(
            {
                "name": "all_accuracies_more_than",
                "arguments": [0.9],
                "value_class": "values.multiple_accuracy.MultipleAccuracy",
            }
        )
        assert kind(condition, MultipleAccuracy("a", [0.95])) == "Success"
        assert kind(condition, MultipleAccuracy("a", [0.85])) == "Failure"

    def test_ranksums_boundary(self) -> None:
        condition = RankSums.p_value_greater_or_equal_to(0.05)
        assert kind(condition, RankSums("r", [1.0, 0.05])) == "Success"
        assert kind(condition, RankSums("r", [1.0, 0.0499])) == "Failure"

    def test_ranksums_nan_p_value_never_passes(self) -> None:
        result = RankSums.p_value_greater_or_equal_to(0.0).evaluate(RankSums("r", [math.nan] * 2))
        assert isinstance(result, Failure)
        assert "NaN" in result.message

    def test_multiple_ranksums_divides_threshold_by_num_pops(self) -> None:
        condition = MultipleRanksums.all_p_values_greater_or_equal_than(0.05)
        tests = [{"a-b": [1.0, 0.02]}, {"a-c": [0.5, 0.5]}]
        assert kind(condition, MultipleRanksums("m", tests, num_pops=1)) == "Failure"
        assert kind(condition, MultipleRanksums("m", tests, num_pops=2)) == "Failure"
        # 0.05 / 3 = 0.01667 <= 0.02
        assert kind(condition, MultipleRanksums("m", tests, num_pops=3)) == "Success"

    def test_multiple_ranksums_boundary_is_inclusive(self) -> None:
        condition = MultipleRanksums.all_p_values_greater_or_equal_than(0.5)
        assert kind(condition, MultipleRanksums("m", [{"t": [0, 0.25]}], num_pops=2)) == "Success"

    def test_multiple_ranksums_failure_names_the_lowest_test(self) -> None:
        value = MultipleRanksums("m", [{"a": [0, 0.001]}, {"b": [0, 0.002]}], num_pops=1)
        result = MultipleRanksums.all_p_values_greater_or_equal_than(0.05).evaluate(value)
        assert isinstance(result, Failure)
        assert "2 of 2" in result.message
        assert "(a)" in result.message

    def test_multiple_ranksums_zero_comparisons_never_pass(self) -> None:
        result = MultipleRanksums.all_p_values_greater_or_equal_than(0.05).evaluate(
            MultipleRanksums("m", [], num_pops=3)
        )
        assert isinstance(result, Failure)
        assert "zero comparisons" in result.message

    def test_multiple_ranksums_nan_never_passes(self) -> None:
        value = MultipleRanksums("m", [{"a": [1.0, 0.9]}, {"b": [math.nan, math.nan]}])
        result = MultipleRanksums.all_p_values_greater_or_equal_than(0.0).evaluate(value)
        assert isinstance(result, Failure)
        assert "'b'" in result.message

    @pytest.mark.parametrize("num_pops", [0, -1])
    def test_multiple_ranksums_needs_positive_num_pops(self, num_pops: int) -> None:
        value = MultipleRanksums("m", [{"a": [1.0, 0.9]}], num_pops=num_pops)
        assert kind(MultipleRanksums.all_p_values_greater_or_equal_than(0.05), value) == "Failure"


class TestResourceBuilders:
    @pytest.mark.parametrize(
        ("builder", "field"),
        [("max_utilization_less_than", "max"), ("average_utilization_less_than", "avg")],
    )
    def test_cpu_boundary(self, builder: str, field: str) -> None:
        condition = getattr(CPUStatistics, builder)(30.0)
        stats = {"avg": 1.0, "min": 0.0, "max": 2.0}
        assert kind(condition, CPUStatistics("c", {**stats, field: 29.9})) == "Success"
        assert kind(condition, CPUStatistics("c", {**stats, field: 30.0})) == "Failure"

    @pytest.mark.parametrize(
        ("builder", "field"),
        [("max_consumption_less_than", "max"), ("average_consumption_less_than", "avg")],
    )
    def test_memory_boundary(self, builder: str, field: str) -> None:
        condition = getattr(MemoryStatistics, builder)(512000.0)
        stats = {"avg": 1.0, "min": 0.0, "max": 2.0}
        assert kind(condition, MemoryStatistics("m", {**stats, field: 511999.0})) == "Success"
        assert kind(condition, MemoryStatistics("m", {**stats, field: 512000.0})) == "Failure"

    def test_memory_max_uses_the_exact_peak(self) -> None:
        stats = MemoryStatistics("m", avg=10.0, min=5.0, max=20.0, peak=600000.0)
        assert kind(MemoryStatistics.max_consumption_less_than(512000.0), stats) == "Failure"

    @pytest.mark.parametrize("cls", [CPUStatistics, MemoryStatistics])
    def test_nan_statistics_never_pass(self, cls: type[CPUStatistics | MemoryStatistics]) -> None:
        stats = cls("s", avg=math.nan, min=math.nan, max=math.nan)
        for name in cls._builders:
            if name == "ignore":
                continue
            result = getattr(cls, name)(1e9).evaluate(stats)
            assert isinstance(result, Failure), name
            assert "NaN" in result.message

    def test_message_carries_the_unit(self) -> None:
        result = CPUStatistics.max_utilization_less_than(30.0).evaluate(
            CPUStatistics("c", avg=1, min=0, max=50)
        )
        assert "% of one core" in result.message


class TestStringAndIgnore:
    def test_string_equal_to(self) -> None:
        assert kind(String.equal_to("a"), String("s", "a")) == "Success"
        assert kind(String.equal_to("a"), String("s", "b")) == "Failure"

    def test_image_ignore_is_neither_pass_nor_fail(self) -> None:
        result = Image.ignore("Inspect the image.").evaluate(Image("img", PNG))
        assert isinstance(result, Ignore)
        assert result.message == "Inspect the image."

    def test_info_is_ignore(self) -> None:
        assert Info is Ignore

    @pytest.mark.parametrize(
        "value",
        [Real("r", 1.0), Opaque("o", {}), Array("a", [1]), RankSums("r", [0, 1])],
        ids=lambda v: type(v).__name__,
    )
    def test_every_value_type_has_ignore(self, value: Value) -> None:
        condition = type(value).ignore("look")
        assert kind(condition, value) == "Ignore"


class TestWrongValueType:
    @pytest.mark.parametrize(
        ("condition", "value"),
        [
            (Real.less_than(1.0), String("x", "0")),
            (Integer.less_than(1), Array("x", [0])),
            (RankSums.p_value_greater_or_equal_to(0.05), Array("x", [0.0, 0.9])),
            (MultipleAccuracy.all_accuracies_more_or_equal_than(0.9), RankSums("x", [0, 1])),
            (
                CPUStatistics.max_utilization_less_than(30),
                MemoryStatistics("x", avg=0, min=0, max=0),
            ),
            (Image.ignore("look"), String("x", "text")),
        ],
        ids=lambda item: type(item).__name__ if isinstance(item, Value) else item.name,
    )
    def test_wrong_type_is_a_failure_that_says_so(self, condition: Condition, value: Value) -> None:
        result = condition.evaluate(value)
        assert isinstance(result, Failure)
        assert type(value).__name__ in result.message
        assert "applies to" in result.message

    def test_unknown_condition_name_lists_the_known_ones(self) -> None:
        condition = Condition("nope", (1,), "mlte_nb.values.scalar.Real")
        result = condition.evaluate(Real("x", 0.0))
        assert isinstance(result, Failure)
        assert "less_than" in result.message

    def test_unknown_value_class_is_a_failure(self) -> None:
        condition = Condition("less_than", (1,), "nowhere.Thing")
        result = condition.evaluate(Real("x", 0.0))
        assert isinstance(result, Failure)
        assert "nowhere.Thing" in result.message

    def test_a_builder_that_raises_is_a_failure(self) -> None:
        condition = Condition("less_than", ("text",), "mlte_nb.values.scalar.Real")
        result = condition.evaluate(Real("x", 0.0))
        assert isinstance(result, Failure)
        assert "TypeError" in result.message


class TestConditionData:
    def test_name_label_and_repr(self) -> None:
        condition = Real.less_than(0.9)
        assert condition.name == "less_than"
        assert condition.label == "less_than(0.9)"
        assert repr(condition) == "<Condition less_than(0.9)>"

    def test_is_plain_data(self) -> None:
        assert Real.less_than(0.9).to_json() == {
            "name": "less_than",
            "arguments": [0.9],
            "value_class": "mlte_nb.values.scalar.Real",
            "description": "less than 0.9",
        }

    @pytest.mark.parametrize(
        "condition",
        [
            Real.less_than(0.9),
            Integer.greater_or_equal_to(3),
            MultipleRanksums.all_p_values_greater_or_equal_than(0.05),
            CPUStatistics.max_utilization_less_than(30.0),
            Image.ignore("Inspect the image."),
            String.equal_to("x"),
        ],
        ids=lambda c: c.name,
    )
    def test_json_round_trip(self, condition: Condition) -> None:
        assert Condition.from_json(condition.to_json()) == condition

    def test_unit_is_kept(self) -> None:
        condition = MemoryStatistics.average_consumption_less_than(512000.0)
        assert condition.unit == "KiB"
        assert "KiB" in condition.description
        assert Condition.from_json(condition.to_json()).unit == "KiB"

    def test_callback_field_is_ignored(self) -> None:
        data = {**Real.less_than(0.9).to_json(), "callback": "gASVBQAAAAAAAACMAWGULg=="}
        condition = Condition.from_json(data)
        assert condition == Real.less_than(0.9)
        assert "callback" not in condition.to_json()

    def test_bool_result_of_a_check_is_turned_into_a_result(self) -> None:
        @custom_condition(Real)
        def is_positive(value: Real) -> bool:
            return value.value > 0

        assert isinstance(is_positive().evaluate(Real("x", 1.0)), Success)
        assert isinstance(is_positive().evaluate(Real("x", -1.0)), Failure)

    def test_non_result_return_is_a_failure(self) -> None:
        @custom_condition(Real)
        def returns_junk(value: Real) -> Any:
            return 42

        result = returns_junk().evaluate(Real("x", 1.0))
        assert isinstance(result, Failure)
        assert "not a Result" in result.message


@custom_condition(Real, "within {0} of {1}")
def close_to(value: Real, tolerance: float, target: float) -> Result:
    """Pass when the value is within ``tolerance`` of ``target``."""
    if abs(value.value - target) <= tolerance:
        return Success(f"{value.value} is close to {target}")
    return Failure(f"{value.value} is far from {target}")


class TestCustomCondition:
    def test_registered_custom_condition_works(self) -> None:
        condition = close_to(0.1, 1.0)
        assert condition.function == f"{__name__}.close_to"
        assert condition.description == "within 0.1 of 1.0"
        assert kind(condition, Real("x", 1.05)) == "Success"
        assert kind(condition, Real("x", 1.5)) == "Failure"

    def test_custom_condition_takes_a_unit(self) -> None:
        condition = close_to(0.1, 1.0, unit="s")
        assert condition.unit == "s"
        assert kind(condition, Real("x", 1.05, unit="s")) == "Success"
        assert kind(condition, Real("x", 1.05)) == "Failure"
        with pytest.raises(SpecError, match="unit"):
            close_to(0.1, 1.0, unit=" s")

    def test_custom_condition_survives_json(self) -> None:
        condition = Condition.from_json(close_to(0.1, 1.0).to_json())
        assert kind(condition, Real("x", 1.05)) == "Success"

    def test_whole_numbers_meet_real_conditions_not_the_reverse(self) -> None:
        assert kind(Real.less_than(5), Integer("n", 3)) == "Success"
        result = Integer.less_than(5).evaluate(Real("n", 2.5))
        assert isinstance(result, Failure)
        assert "is a Real, but condition less_than(5) applies to Integer" in result.message

    def test_a_threshold_without_unit_never_meets_evidence_with_one(self) -> None:
        result = Real.less_than(3000).evaluate(Real("sz", 5.0, unit="GB"))
        assert isinstance(result, Failure)
        assert "in GB" in result.message
        assert "Real.less_than(..., unit='GB')" in result.message
        assert kind(Real.less_than(3000, unit="GB"), Real("sz", 5.0, unit="GB")) == "Success"

    def test_a_condition_unit_is_stored_and_shown(self) -> None:
        condition = Real.less_than(0.5, unit="s")
        assert condition.unit == "s"
        assert condition.description == "less than 0.5 s"
        assert Condition.from_json(condition.to_json()) == condition
        for bad in ("", " s", "s "):
            with pytest.raises(SpecError, match="unit"):
                Real.less_than(0.5, unit=bad)

    def test_units_do_not_matter_to_ignore_and_text_conditions(self) -> None:
        assert kind(Real.ignore("look"), Real("x", 1.0, unit="s")) == "Ignore"

    def test_a_unit_mismatch_is_a_failure(self) -> None:
        from mlte_nb.values import StorageSize

        result = StorageSize.less_than(3000).evaluate(StorageSize("size", 10, unit="KiB"))
        assert isinstance(result, Failure)
        assert "in KiB" in result.message
        assert "bytes" in result.message

    def test_custom_condition_checks_the_value_type(self) -> None:
        result = close_to(0.1, 1.0).evaluate(String("x", "1"))
        assert isinstance(result, Failure)
        assert "applies to Real" in result.message

    def test_unregistered_function_is_a_failure_naming_it(self) -> None:
        data = {**close_to(0.1, 1.0).to_json(), "function": "nowhere.missing_fn"}
        result = Condition.from_json(data).evaluate(Real("x", 1.0))
        assert isinstance(result, Failure)
        assert "nowhere.missing_fn" in result.message
        assert "not registered" in result.message

    def test_custom_threshold_nan_is_a_spec_error(self) -> None:
        with pytest.raises(SpecError):
            close_to(math.nan, 1.0)

    def test_custom_condition_with_wrong_arity_is_a_spec_error(self) -> None:
        with pytest.raises(SpecError, match="close_to"):
            close_to(0.1)


NUMBERS = st.one_of(
    st.floats(),  # NaN and infinities included
    st.integers(-(10**400), 10**400),  # beyond float range too
)


class TestVerdict:
    """``Condition.verdict`` (the validator's path) gives exactly what ``evaluate`` gives."""

    @given(
        NUMBERS,
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from(["less_than", "less_or_equal_to", "greater_than", "greater_or_equal_to"]),
        st.sampled_from([Real, Integer]),
    )
    def test_number_comparisons_agree(
        self, number: float, threshold: float, name: str, cls: type[Real | Integer]
    ) -> None:
        value: Value = Integer("x", number) if isinstance(number, int) else Real("x", number)
        condition = getattr(cls, name)(threshold)
        for _ in range(2):  # the second time through the cache of found checks
            result = condition.evaluate(value)
            assert condition.verdict(value) == (result.kind, result.message)
        finite = isinstance(number, int) or math.isfinite(number)
        relation = {"less_than": operator.lt, "less_or_equal_to": operator.le}
        relation |= {"greater_than": operator.gt, "greater_or_equal_to": operator.ge}
        passes = relation[name](number, threshold) and finite
        meets_type = cls is Real or isinstance(number, int)
        assert result.kind == ("Success" if passes and meets_type else "Failure")

    def test_a_huge_integer_is_compared_exactly(self) -> None:
        assert Integer.greater_than(1e300).verdict(Integer("n", 10**400))[0] == "Success"
        assert Real.less_than(0.5).verdict(Integer("n", -(10**400)))[0] == "Success"

    @pytest.mark.parametrize(
        ("condition", "value"),
        [
            (Real.less_than(1.0), String("x", "1")),
            (Condition("less_than", ("text",), "mlte_nb.values.scalar.Real"), Real("x", 0.0)),
            (Condition("nope", (1,), "mlte_nb.values.scalar.Real"), Real("x", 0.0)),
            (Condition("less_than", (1,), "nowhere.Thing"), Real("x", 0.0)),
            (close_to(0.1, 1.0), Real("x", 1.05)),
            (Image.ignore("look"), Image("img", PNG)),
        ],
    )
    def test_failures_and_other_checks_agree(self, condition: Condition, value: Value) -> None:
        result = condition.evaluate(value)
        assert condition.verdict(value) == (result.kind, result.message)
        assert condition.verdict(value) == (result.kind, result.message)

    def test_a_unit_mismatch_is_not_cached_as_a_pass(self) -> None:
        from mlte_nb.values import StorageSize

        condition = StorageSize.less_than(3000)
        assert condition.verdict(StorageSize("size", 10))[0] == "Success"
        kind_, message = condition.verdict(StorageSize("size", 10, unit="KiB"))
        assert kind_ == "Failure"
        assert "KiB" in message

    def test_a_verdict_builder_on_a_user_class(self) -> None:
        from mlte_nb.values.condition import builder

        class Score(Real):
            @builder("score at least {0}", verdict=True)
            def at_least(self, floor: float) -> tuple[str, str]:
                """Pass when the score is at least ``floor``."""
                if self.value >= floor:
                    return "Success", f"{self.value} >= {floor}"
                return "Failure", f"{self.value} < {floor}"

        condition = Score.at_least(0.5)
        assert isinstance(condition.evaluate(Score("s", 0.7)), Success)
        assert condition.verdict(Score("s", 0.2)) == ("Failure", "0.2 < 0.5")
        assert Score.at_least.__doc__ == "Pass when the score is at least ``floor``."

    def test_a_verdict_check_that_raises_is_a_failure(self) -> None:
        condition = Condition("greater_than", ([1],), "mlte_nb.values.scalar.Real")
        value = Real("x", 2.0)
        first = condition.evaluate(value)  # fills the cache of found checks
        assert first.kind == "Failure"
        assert "TypeError" in first.message
        assert condition.verdict(value) == ("Failure", first.message)

    def test_evidence_follows_a_changed_number(self) -> None:
        value = Real("acc", 0.5)
        assert value.evidence() == ("0.5", 0.5, None, "mlte_nb.values.scalar.Real")
        value.value = 0.75
        value.unit = "%"
        assert value.evidence() == ("0.75 %", 0.75, "%", "mlte_nb.values.scalar.Real")
        assert value.summary() == "0.75 %"
