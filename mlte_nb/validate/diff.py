"""Compare two validations: verdict flips, evidence deltas, conditions added or removed."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from mlte_nb.validate.validated import ConditionResult, ValidatedSpec

CHANGES = ("flipped", "added", "removed", "condition changed", "evidence changed", "unchanged")


@dataclass(frozen=True)
class ResultChange:
    """How one condition's result differs between two validations."""

    property_name: str
    measurement_id: str
    change: str
    before: ConditionResult | None
    after: ConditionResult | None

    @property
    def delta(self) -> float | None:
        """Return after minus before of the evidence's headline number, when both exist."""
        if self.before is None or self.after is None:
            return None
        a, b = self.before.measured, self.after.measured
        if a is None or b is None or not (math.isfinite(a) and math.isfinite(b)):
            return None
        return b - a

    @property
    def unit(self) -> str | None:
        """Return the unit of the evidence (the later one's, else the earlier one's)."""
        row = self.after or self.before
        return row.unit if row else None

    @property
    def thresholds(self) -> tuple[str, str] | None:
        """Return the condition before and after (``less_than(0.9)``), when it changed."""
        if self.before is None or self.after is None:
            return None
        old, new = self.before.condition, self.after.condition
        if old.to_json() == new.to_json():
            return None
        return _with_unit(old.label, old.unit), _with_unit(new.label, new.unit)

    @property
    def loosened(self) -> bool:
        """Return whether a number threshold moved so that worse evidence now passes.

        Only the same comparison on the same unit with one number is judged: a bound
        ``..._less_than``/``..._less_or_equal_to`` raised, or a ``greater``/``more`` bound
        lowered.
        """
        if self.before is None or self.after is None:
            return False
        old, new = self.before.condition, self.after.condition
        same = (old.name, old.value_class, old.unit) == (new.name, new.value_class, new.unit)
        numbers = [*old.arguments, *new.arguments]
        if not same or len(numbers) != 2 or not all(_is_number(n) for n in numbers):
            return False
        before, after = numbers
        if old.name.endswith(("less_than", "less_or_equal_to")):
            return bool(after > before)
        if "greater" in old.name or "more" in old.name:
            return bool(after < before)
        return False

    def describe(self) -> str:
        """Return one line saying what changed."""
        before = self.before.kind if self.before else "-"
        after = self.after.kind if self.after else "-"
        delta = self.delta
        shown = (
            ""
            if delta is None
            else f", evidence {delta:+.4g}{' ' + self.unit if self.unit else ''}"
        )
        if self.thresholds:
            shown += f", condition {self.thresholds[0]} -> {self.thresholds[1]}"
            shown += ", loosened" if self.loosened else ""
        where = f"{self.property_name} / {self.measurement_id}"
        return f"{where}: {before} -> {after} ({self.change}{shown})"


def _is_number(item: object) -> bool:
    return isinstance(item, (int, float)) and not isinstance(item, bool)


def _with_unit(label: str, unit: str | None) -> str:
    return f"{label} {unit}" if unit else label


@dataclass(frozen=True)
class ValidationDiff:
    """Every condition of two validations, paired by property and measurement id."""

    before: ValidatedSpec
    after: ValidatedSpec
    changes: list[ResultChange]

    def of(self, change: str) -> list[ResultChange]:
        """Return the changes of one kind (``"flipped"``, ``"added"``...)."""
        return [item for item in self.changes if item.change == change]

    def regressions(self) -> list[ResultChange]:
        """Return the conditions that newly fail, and the thresholds that were loosened."""
        return [
            change
            for change in self.changes
            if change.loosened
            or (
                change.after is not None
                and change.after.kind == "Failure"
                and (change.before is None or change.before.kind != "Failure")
            )
        ]

    def counts(self) -> dict[str, int]:
        """Return how many conditions fall in each kind of change."""
        return {kind: len(self.of(kind)) for kind in CHANGES}

    def text(self) -> str:
        """Return the changed rows, one per line (unchanged ones are counted, not listed)."""
        lines = [item.describe() for item in self.changes if item.change != "unchanged"]
        lines.append(", ".join(f"{n} {kind}" for kind, n in self.counts().items() if n))
        return "\n".join(lines)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from mlte_nb.render.diff import diff_html

        return {"text/plain": self.text(), "text/html": diff_html(self)}


def diff_validations(before: ValidatedSpec, after: ValidatedSpec) -> ValidationDiff:
    """Compare two validated specs (two versions, or an older run against the current one).

    Examples
    --------
    >>> diff_validations(ValidatedSpec.load("v1"), ValidatedSpec.load()).text()
    """
    old = {(r.property, r.measurement_id): r for r in before.results}
    new = {(r.property, r.measurement_id): r for r in after.results}
    keys = list(new) + [key for key in old if key not in new]
    changes = [
        ResultChange(*key, _change(old.get(key), new.get(key)), old.get(key), new.get(key))
        for key in keys
    ]
    return ValidationDiff(before, after, changes)


def _change(before: ConditionResult | None, after: ConditionResult | None) -> str:
    if before is None:
        return "added"
    if after is None:
        return "removed"
    if before.kind != after.kind:
        return "flipped"
    if before.condition.to_json() != after.condition.to_json():
        return "condition changed"
    if (before.evidence, before.measured) != (after.evidence, after.measured):
        return "evidence changed"
    return "unchanged"


def diff_stored(before: str | None = None, after: str | None = None) -> ValidationDiff:
    """Compare stored validations of the current model.

    With no arguments the current version's latest validation is compared with the one
    it replaced (kept in history); with ``before`` (a version) that version's validation
    is compared with the current version's, or with ``after``'s.
    """
    from mlte_nb.context import get_context
    from mlte_nb.errors import ArtifactNotFoundError

    model, version, store = get_context()
    artifact_id = ValidatedSpec.default_id + "." + ValidatedSpec.artifact_type
    latest = ValidatedSpec.from_stored(store.read(model, after or version, artifact_id))
    if before is not None:
        return diff_validations(
            ValidatedSpec.from_stored(store.read(model, before, artifact_id)), latest
        )
    history = store.history(model, after or version, artifact_id)
    if not history:
        msg = (
            f"{model} {after or version} has only one validation, so there is nothing to "
            "compare; validate again after a change, or name another version"
        )
        raise ArtifactNotFoundError(msg)
    return diff_validations(ValidatedSpec.from_stored(history[-1]), latest)
