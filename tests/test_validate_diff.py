"""Comparing two validations: flips, added and removed conditions, changed values."""

from __future__ import annotations

from mlte_nb import Integer, Real, Spec, SpecValidator, StorageCost, TaskEfficacy
from mlte_nb.validate.diff import diff_validations


def _validate(conditions: dict, values: list) -> object:
    spec = Spec(properties={TaskEfficacy("why"): conditions})
    return SpecValidator(spec).add_values(values).validate()


def test_a_flip_from_success_to_failure_with_its_delta_and_unit() -> None:
    before = _validate(
        {"acc": Real.greater_than(0.9, unit="fraction")}, [Real("acc", 0.95, unit="fraction")]
    )
    after = _validate(
        {"acc": Real.greater_than(0.9, unit="fraction")}, [Real("acc", 0.85, unit="fraction")]
    )
    diff = diff_validations(before, after)  # type: ignore[arg-type]
    [flip] = diff.of("flipped")
    assert (flip.before.kind, flip.after.kind) == ("Success", "Failure")  # type: ignore[union-attr]
    assert abs(flip.delta + 0.10) < 1e-9  # type: ignore[operator]
    assert "Success -> Failure (flipped, evidence -0.1 fraction)" in diff.text()


def test_added_and_removed_conditions() -> None:
    before = _validate({"a": Real.less_than(1), "gone": Real.less_than(1)}, [Real("a", 0.5)])
    after = _validate({"a": Real.less_than(1), "new": Real.less_than(1)}, [Real("a", 0.5)])
    diff = diff_validations(before, after)  # type: ignore[arg-type]
    assert [c.measurement_id for c in diff.of("added")] == ["new"]
    assert [c.measurement_id for c in diff.of("removed")] == ["gone"]
    assert [c.measurement_id for c in diff.of("unchanged")] == ["a"]


def test_a_changed_value_keeps_its_verdict_but_is_reported() -> None:
    before = _validate({"n": Integer.less_than(10)}, [Integer("n", 3)])
    after = _validate({"n": Integer.less_than(10)}, [Integer("n", 7)])
    diff = diff_validations(before, after)  # type: ignore[arg-type]
    [changed] = diff.of("evidence changed")
    assert changed.delta == 4
    html = diff._repr_mimebundle_()["text/html"]
    assert "evidence changed" in html
    assert "+4" in html


def test_a_changed_threshold_is_its_own_kind_of_change() -> None:
    spec_before = Spec(properties={StorageCost("x"): {"n": Integer.less_than(10)}})
    spec_after = Spec(properties={StorageCost("x"): {"n": Integer.less_than(20)}})
    before = SpecValidator(spec_before).add_value(Integer("n", 3)).validate()
    after = SpecValidator(spec_after).add_value(Integer("n", 3)).validate()
    diff = diff_validations(before, after)
    assert diff.counts()["condition changed"] == 1


def test_a_loosened_threshold_is_shown_old_and_new() -> None:
    before = _validate({"acc": Real.greater_than(0.9)}, [Real("acc", 0.95)])
    after = _validate({"acc": Real.greater_than(0.5)}, [Real("acc", 0.6)])
    diff = diff_validations(before, after)  # type: ignore[arg-type]
    assert "condition greater_than(0.9) -> greater_than(0.5)" in diff.text()
    assert "evidence -0.35" in diff.text()
    html = diff._repr_mimebundle_()["text/html"]
    assert "greater_than(0.9) &rarr; greater_than(0.5)" in html


def test_diff_survives_save_and_load(memory_store: object) -> None:
    from mlte_nb import ValidatedSpec

    before = _validate({"acc": Real.greater_than(0.9)}, [Real("acc", 0.95)])
    before.save(parents=True)  # type: ignore[attr-defined]
    after = _validate({"acc": Real.greater_than(0.9)}, [Real("acc", 0.5)])
    diff = diff_validations(ValidatedSpec.load(), after)  # type: ignore[arg-type]
    assert abs(diff.of("flipped")[0].delta + 0.45) < 1e-9  # type: ignore[operator]


def test_loosened_is_judged_by_the_direction_of_the_bound() -> None:
    def change(old: object, new: object) -> object:
        before = _validate({"x": old}, [Real("x", 0.5)])
        after = _validate({"x": new}, [Real("x", 0.5)])
        return diff_validations(before, after).changes[0]  # type: ignore[arg-type]

    assert change(Real.less_than(1), Real.less_than(2)).loosened  # type: ignore[attr-defined]
    assert not change(Real.less_than(2), Real.less_than(1)).loosened  # type: ignore[attr-defined]
    lower = change(Real.greater_or_equal_to(0.4), Real.greater_or_equal_to(0.3))
    assert lower.loosened  # type: ignore[attr-defined]
    other_unit = change(Real.less_than(1), Real.less_than(2, unit="s"))
    assert not other_unit.loosened  # type: ignore[attr-defined]
