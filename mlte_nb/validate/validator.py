"""SpecValidator: check every condition of a Spec against the evidence."""

from __future__ import annotations

from collections.abc import Iterable

from mlte_nb.errors import ValidationError
from mlte_nb.spec.spec import Spec
from mlte_nb.validate.validated import ConditionResult, ValidatedSpec
from mlte_nb.values.base import Value
from mlte_nb.values.condition import Failure, Result


class SpecValidator:
    """Collect values, then validate a Spec: every condition gets a result, none is skipped.

    Examples
    --------
    >>> validator = SpecValidator(Spec.load())
    >>> validator.add_values(Value.load_all())
    >>> validator.validate().print_results()
    """

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.values: dict[str, Value] = {}
        self.stale: dict[str, str] = {}

    def mark_stale(self, measurement_id: str, saved_at: str) -> SpecValidator:
        """Record evidence that exists but predates this run; its conditions fail as stale."""
        self.stale[measurement_id] = saved_at
        return self

    def add_value(self, value: Value) -> SpecValidator:
        """Add one piece of evidence; the same measurement id twice is an error."""
        if not isinstance(value, Value):
            msg = f"add_value needs a Value, got {type(value).__name__}"
            raise ValidationError(msg)
        if value.measurement_id in self.values:
            msg = (
                f"evidence {value.measurement_id!r} was added twice; "
                "add each measurement once (reload the store for the latest)"
            )
            raise ValidationError(msg)
        self.values[value.measurement_id] = value
        return self

    def add_values(self, values: Iterable[Value]) -> SpecValidator:
        """Add several pieces of evidence (the same checks as :meth:`add_value`)."""
        known = self.values
        for value in values:
            if not isinstance(value, Value) or value.measurement_id in known:
                self.add_value(value)  # not a Value, or a duplicate: raises, naming it
            known[value.measurement_id] = value
        return self

    def validate(self) -> ValidatedSpec:
        """Return a ValidatedSpec with a result for every condition of the spec.

        A spec without conditions is an error: it would pass without checking anything.
        """
        if len(self.spec) == 0:
            msg = (
                f"spec {self.spec.identifier!r} has no conditions, so validating it would pass "
                "without checking anything; add at least one condition"
            )
            raise ValidationError(msg)
        needed, values = self.spec.measurement_ids(), self.values
        missing = [mid for mid in needed if mid not in values]
        # Each present id is needed once, so any further value is extra evidence.
        has_extra = len(values) > len(needed) - len(missing)
        extra = sorted(values.keys() - set(needed)) if has_extra else []
        rows = self._rows(missing)
        identifier = self.spec.identifier.removesuffix(".spec") + ".validated_spec"
        return ValidatedSpec(self.spec, rows, identifier=identifier, missing=missing, extra=extra)

    def _rows(self, missing: list[str]) -> list[ConditionResult]:
        # One tight loop: specs of thousands of conditions validate in milliseconds.
        rows: list[ConditionResult] = []
        values, append = self.values, rows.append
        make = tuple.__new__  # builds the named tuple in C, skipping its Python __new__
        for prop, conditions in self.spec.properties.items():
            name, rationale = prop.name, prop.rationale
            for measurement_id, condition in conditions.items():
                value = values.get(measurement_id)
                if value is None:
                    absent = self._absent(measurement_id, missing)
                    append(
                        ConditionResult(
                            name,
                            rationale,
                            measurement_id,
                            condition,
                            absent.kind,
                            absent.message,
                            unit=condition.unit,
                        )
                    )
                    continue
                kind, message = condition.verdict(value)
                shown, headline, unit, value_class = value.evidence()
                row = (name, rationale, measurement_id, condition, kind, message)
                evidence = (shown, headline, unit, value_class, value.provenance)
                append(make(ConditionResult, row + evidence))
        return rows

    def _absent(self, measurement_id: str, missing: list[str]) -> Result:
        if measurement_id in self.stale:
            return Failure(
                f"stale evidence: {measurement_id!r} was saved at {self.stale[measurement_id]}, "
                "before this run started; run the cell that measures it"
            )
        return Failure(
            f"no evidence: value {measurement_id!r} was not found "
            f"(missing for this spec: {', '.join(repr(m) for m in missing)})"
        )
