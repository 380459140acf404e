"""SpecValidator and ValidatedSpec: a result for every condition, missing and extra evidence."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from mlte_nb import (
    Failure,
    Fairness,
    Ignore,
    Image,
    Integer,
    Interpretability,
    MultipleAccuracy,
    RankSums,
    Real,
    Robustness,
    Spec,
    SpecValidator,
    StorageCost,
    String,
    Success,
    TaskEfficacy,
    ValidatedSpec,
    Value,
)
from mlte_nb.errors import MlteError, ValidationError
from mlte_nb.store import MemoryStore
from mlte_nb.validate.stored import validate_stored

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def spec() -> Spec:
    return Spec(
        properties={
            Fairness("gardens"): {
                "accuracy across gardens": MultipleAccuracy.all_accuracies_more_or_equal_than(0.9)
            },
            Robustness("blur"): {
                "ranksums blur5x8": RankSums.p_value_greater_or_equal_to(0.05 / 3),
                "ranksums blur2x8": RankSums.p_value_greater_or_equal_to(0.05 / 3),
            },
            StorageCost("embedded"): {"model size": Integer.less_than(3000, unit="bytes")},
            Interpretability("look"): {"image attributions": Image.ignore("Inspect the image.")},
        }
    )


def evidence() -> list[Value]:
    return [
        MultipleAccuracy("accuracy across gardens", [0.92, 0.93, 0.91]),
        RankSums("ranksums blur2x8", [0.88, 0.379]),
        RankSums("ranksums blur5x8", [4.2, 2.5e-5]),
        Integer("model size", 2048, unit="bytes"),
        Image("image attributions", PNG),
    ]


class TestAddValue:
    def test_adding_the_same_id_twice_is_an_error_naming_it(self) -> None:
        validator = SpecValidator(spec()).add_value(Real("acc", 0.5))
        with pytest.raises(ValidationError, match=r"'acc'.*twice"):
            validator.add_value(Real("acc", 0.6))

    def test_add_values_with_a_duplicate_is_an_error(self) -> None:
        with pytest.raises(ValidationError):
            SpecValidator(spec()).add_values([Real("a", 1.0), Integer("a", 1)])

    def test_non_value_is_an_error(self) -> None:
        with pytest.raises(ValidationError, match="needs a Value"):
            SpecValidator(spec()).add_value(0.5)  # type: ignore[arg-type]

    def test_validation_error_is_an_mlte_value_error(self) -> None:
        assert issubclass(ValidationError, MlteError)
        assert issubclass(ValidationError, ValueError)


class TestValidate:
    def test_every_condition_gets_a_result(self) -> None:
        validated = SpecValidator(spec()).add_values(evidence()).validate()
        assert [(r.measurement_id, r.kind) for r in validated.results] == [
            ("accuracy across gardens", "Success"),
            ("ranksums blur5x8", "Failure"),
            ("ranksums blur2x8", "Success"),
            ("model size", "Success"),
            ("image attributions", "Ignore"),
        ]
        assert validated.counts() == {"Success": 3, "Failure": 1, "Ignore": 1}
        assert not validated.passed

    def test_missing_evidence_is_a_failure_naming_every_missing_id(self) -> None:
        validated = SpecValidator(spec()).add_value(Integer("model size", 1)).validate()
        assert validated.missing == [
            "accuracy across gardens",
            "ranksums blur5x8",
            "ranksums blur2x8",
            "image attributions",
        ]
        missing_rows = [r for r in validated.results if r.measurement_id != "model size"]
        assert all(r.kind == "Failure" for r in missing_rows)
        for row in missing_rows:
            assert "no evidence" in row.message
            for missing in validated.missing:
                assert repr(missing) in row.message

    def test_nothing_at_all_passes_nothing(self) -> None:
        validated = SpecValidator(spec()).validate()
        assert validated.counts()["Success"] == 0
        assert not validated.passed

    def test_extra_values_are_listed_sorted(self) -> None:
        validated = (
            SpecValidator(spec())
            .add_values([*evidence(), Real("zeta", 1.0), Real("alpha", 1.0)])
            .validate()
        )
        assert validated.extra == ["alpha", "zeta"]
        assert validated.missing == []

    def test_wrong_value_type_is_a_failure(self) -> None:
        values = [v for v in evidence() if v.measurement_id != "model size"]
        wrong = String("model size", "10")
        validated = SpecValidator(spec()).add_values([*values, wrong]).validate()
        row = next(r for r in validated.results if r.measurement_id == "model size")
        assert row.kind == "Failure"
        assert "String" in row.message

    def test_nan_evidence_fails(self) -> None:
        values = [v for v in evidence() if v.measurement_id != "accuracy across gardens"]
        nan = MultipleAccuracy("accuracy across gardens", [math.nan, 0.95])
        validated = SpecValidator(spec()).add_values([*values, nan]).validate()
        assert validated.results[0].kind == "Failure"

    def test_rows_carry_evidence_unit_and_class(self) -> None:
        validated = SpecValidator(spec()).add_values(evidence()).validate()
        row = next(r for r in validated.results if r.measurement_id == "model size")
        assert row.evidence == "2048 bytes"
        assert row.unit == "bytes"
        assert row.value_class == "mlte_nb.values.scalar.Integer"
        assert row.property == "StorageCost"
        assert row.rationale == "embedded"

    def test_identifier_follows_the_spec(self) -> None:
        mine = Spec("mine", {TaskEfficacy("x"): {"a": Real.less_than(1)}})
        validated = SpecValidator(mine).add_value(Real("a", 0.5)).validate()
        assert validated.identifier == "mine.validated_spec"
        assert validated.spec_identifier == "mine.spec"

    def test_all_ignored_passes(self) -> None:
        only = Spec(properties={Interpretability("x"): {"img": Image.ignore("look")}})
        validated = SpecValidator(only).add_value(Image("img", PNG)).validate()
        assert validated.passed


class TestPrintResults:
    def test_uses_the_reference_line_format(self, capsys: pytest.CaptureFixture[str]) -> None:
        small = Spec(
            properties={
                Fairness("f"): {"acc": Real.greater_or_equal_to(0.9)},
                StorageCost("s"): {"size": Integer.less_than(3000)},
            }
        )
        validated = SpecValidator(small).add_values([Real("acc", 0.95), Integer("size", 4000)])
        validated.validate().print_results()
        assert capsys.readouterr().out == (
            "Property: Fairness\n"
            " > Measurement: acc, result: Success, "
            "details: 0.95 is greater than or equal to 0.9\n"
            "Property: StorageCost\n"
            " > Measurement: size, result: Failure, details: 4000 is not less than 3000\n"
        )

    @pytest.mark.parametrize(
        ("kind", "ids"),
        [
            (
                "all",
                [
                    "accuracy across gardens",
                    "ranksums blur5x8",
                    "ranksums blur2x8",
                    "model size",
                    "image attributions",
                ],
            ),
            ("Success", ["accuracy across gardens", "ranksums blur2x8", "model size"]),
            ("Failure", ["ranksums blur5x8"]),
            ("Ignore", ["image attributions"]),
            ("Info", ["image attributions"]),
        ],
    )
    def test_filters_by_type(
        self, capsys: pytest.CaptureFixture[str], kind: str, ids: list[str]
    ) -> None:
        validated = SpecValidator(spec()).add_values(evidence()).validate()
        validated.print_results(type=kind)
        lines = capsys.readouterr().out.splitlines()
        shown = [
            line.split(",")[0].removeprefix(" > Measurement: ")
            for line in lines
            if line.startswith(" > ")
        ]
        assert shown == ids
        wanted = "Ignore" if kind == "Info" else kind
        assert all(
            f"result: {wanted}," in line
            for line in lines
            if line.startswith(" > ") and kind != "all"
        )

    def test_unknown_type_is_an_error_listing_the_kinds(self) -> None:
        validated = SpecValidator(spec()).validate()
        with pytest.raises(ValueError, match="'all', 'Success', 'Failure' or 'Ignore'"):
            validated.print_results(type="Passed")


class TestValidatedSpecStore:
    def test_save_and_load_keep_spec_identifier_and_results(self, store_dir: Path) -> None:
        own = Spec("garden", spec().properties)
        validated = SpecValidator(own).add_values([*evidence(), Real("extra", 1.0)]).validate()
        validated.save(parents=True)
        loaded = ValidatedSpec.load("garden")
        assert loaded.identifier == "garden.validated_spec"
        assert loaded.spec_identifier == "garden.spec"
        assert loaded.spec == own
        assert loaded.results == validated.results
        assert loaded.extra == ["extra"]
        assert loaded.results_text() == validated.results_text()

    def test_missing_list_survives(self, memory_store: MemoryStore) -> None:
        validated = SpecValidator(spec()).validate()
        validated.save(parents=True)
        assert ValidatedSpec.load().missing == validated.missing

    def test_stored_results_are_strict_json_in_the_mlte_python_shape(self, store_dir: Path) -> None:
        SpecValidator(spec()).add_values(evidence()).validate().save(parents=True)
        path = store_dir / "models/OxfordFlower/0.0.1/default.validated_spec.json"

        def reject(constant: str) -> None:
            raise AssertionError(constant)

        body = json.loads(path.read_text(), parse_constant=reject)["body"]
        assert body["artifact_type"] == "validated_spec"
        assert body["spec_identifier"] == "default.spec"
        row = body["results"]["StorageCost"]["model size"]
        assert row["type"] == "Success"
        assert row["metadata"]["identifier"] == {"name": "model size"}
        assert isinstance(row["message"], str)


class TestValidateStored:
    def test_validates_the_stored_spec_against_stored_values_and_saves(
        self, memory_store: MemoryStore
    ) -> None:
        spec().save(parents=True)
        for value in evidence():
            value.save()
        validated = validate_stored()
        assert validated.counts() == {"Success": 3, "Failure": 1, "Ignore": 1}
        assert ValidatedSpec.load().results == validated.results

    def test_saving_again_keeps_the_old_verdict_in_history(self, memory_store: MemoryStore) -> None:
        spec().save(parents=True)
        validate_stored()
        validate_stored()
        history = memory_store.history("OxfordFlower", "0.0.1", "default.validated_spec")
        assert len(history) == 1


class TestResultKinds:
    def test_str(self) -> None:
        assert str(Success("ok")) == "Success: ok"
        assert str(Failure("no")) == "Failure: no"
        assert str(Ignore("look")) == "Ignore: look"


def test_a_spec_without_conditions_is_an_error_not_a_pass() -> None:
    from mlte_nb.errors import ValidationError

    with pytest.raises(ValidationError, match="no conditions"):
        SpecValidator(Spec(properties={Fairness("x"): {}})).validate()


def test_stale_evidence_fails_naming_when_it_was_saved() -> None:
    validator = SpecValidator(Spec(properties={TaskEfficacy("x"): {"a": Real.less_than(1)}}))
    result = validator.mark_stale("a", "2026-01-01T00:00:00+00:00").validate().results[0]
    assert result.kind == "Failure"
    assert "stale evidence" in result.message
    assert "2026-01-01" in result.message
