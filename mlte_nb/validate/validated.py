"""ValidatedSpec: the result of every condition of a Spec, with its evidence."""

from __future__ import annotations

from collections import Counter
from typing import Any, ClassVar, NamedTuple

from mlte_nb.artifact import Artifact, check_type
from mlte_nb.errors import ValidationError
from mlte_nb.spec.spec import Spec
from mlte_nb.store import Document
from mlte_nb.values.condition import RESULT_KINDS, Condition

KINDS = ("Success", "Failure", "Ignore")


class ConditionResult(NamedTuple):
    """One row of a validation: requirement, condition, verdict and evidence.

    A named tuple: immutable, and cheap to build for specs of thousands of conditions.
    """

    property: str
    rationale: str
    measurement_id: str
    condition: Condition
    kind: str
    message: str
    evidence: str | None = None
    measured: float | None = None
    unit: str | None = None
    value_class: str | None = None
    provenance: dict[str, Any] = {}  # noqa: RUF012 - shared empty default, never mutated

    def to_json(self) -> dict[str, Any]:
        """Return the stored form (mlte-python's type/message/metadata plus our details)."""
        data = self._asdict()
        data["condition"] = self.condition.to_json()
        data["type"] = data.pop("kind")
        data["metadata"] = {
            "measurement_type": self.provenance.get("measurement_type"),
            "identifier": {"name": self.measurement_id},
            "info": self.provenance.get("function"),
        }
        return data


class ValidatedSpec(Artifact):
    """The verdict on a Spec: a result for every condition, plus missing and extra evidence."""

    artifact_type: ClassVar[str] = "validated_spec"

    def __init__(
        self,
        spec: Spec,
        results: list[ConditionResult],
        *,
        identifier: str = "default.validated_spec",
        missing: list[str] | None = None,
        extra: list[str] | None = None,
    ) -> None:
        self.spec = spec
        self.spec_identifier = spec.identifier
        self.results = results
        self.identifier = identifier
        self.missing = list(missing or [])
        self.extra = list(extra or [])

    def counts(self) -> dict[str, int]:
        """Return how many conditions gave each kind of result."""
        found = Counter(result.kind for result in self.results)
        return {kind: found.get(kind, 0) for kind in KINDS}

    @property
    def passed(self) -> bool:
        """Return True when there are results and none failed (Ignore needs a person)."""
        return bool(self.results) and self.counts()["Failure"] == 0

    def filter(self, kind: str = "all") -> list[ConditionResult]:
        """Return the results of one kind: ``"all"``, ``"Success"``, ``"Failure"``, ``"Ignore"``."""
        if kind != "all" and kind not in RESULT_KINDS and kind != "Info":
            msg = f"unknown result kind {kind!r}; use 'all', 'Success', 'Failure' or 'Ignore'"
            raise ValidationError(msg)
        wanted = "Ignore" if kind == "Info" else kind
        return [r for r in self.results if wanted in ("all", r.kind)]

    def print_results(self, type: str = "all") -> None:
        """Print results in mlte-python's line format, optionally only one kind."""
        print(self.results_text(type))

    def results_text(self, kind: str = "all") -> str:
        """Return the text :meth:`print_results` prints."""
        lines: list[str] = []
        current = None
        for result in self.filter(kind):
            if result.property != current:
                current = result.property
                lines.append(f"Property: {current}")
            lines.append(
                f" > Measurement: {result.measurement_id}, result: {result.kind}, "
                f"details: {result.message}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        counts = ", ".join(f"{kind} {n}" for kind, n in self.counts().items())
        return f"<ValidatedSpec {self.identifier!r} of {self.spec_identifier!r}: {counts}>"

    # -- stored form ---------------------------------------------------------------------
    def to_body(self) -> dict[str, Any]:
        """Return the stored body: mlte-python's nested results plus the ordered rows."""
        nested: dict[str, dict[str, Any]] = {}
        for result in self.results:
            nested.setdefault(result.property, {})[result.measurement_id] = result.to_json()
        return {
            "spec_identifier": self.spec_identifier,
            "spec": {"artifact_type": "spec", **self.spec.to_body()},
            "results": nested,
            "missing": self.missing,
            "extra": self.extra,
        }

    @classmethod
    def from_document(cls, document: Document) -> ValidatedSpec:
        """Rebuild from a stored document."""
        body = check_type(document, cls)["body"]
        spec = Spec.from_body(body.get("spec_identifier", "default.spec"), body["spec"])
        rows = []
        for prop, conditions in body.get("results", {}).items():
            for measurement_id, data in conditions.items():
                rows.append(_row(spec, prop, measurement_id, data))
        # the store sorts keys; give the rows back in the spec's order
        position = {mid: i for i, mid in enumerate(spec.measurement_ids())}
        rows.sort(key=lambda row: position.get(row.measurement_id, len(position)))
        return cls(
            spec,
            rows,
            identifier=document["header"]["identifier"],
            missing=body.get("missing"),
            extra=body.get("extra"),
        )


def _row(spec: Spec, prop: str, measurement_id: str, data: dict[str, Any]) -> ConditionResult:
    owner = spec.property_of(measurement_id)
    condition = (
        Condition.from_json(data["condition"])
        if "condition" in data
        else (spec.properties[owner][measurement_id] if owner else Condition("?", (), ""))
    )
    return ConditionResult(
        property=prop,
        rationale=data.get("rationale", owner.rationale if owner else ""),
        measurement_id=measurement_id,
        condition=condition,
        kind=data["type"],
        message=data.get("message", ""),
        evidence=data.get("evidence"),
        measured=data.get("measured"),
        unit=data.get("unit"),
        value_class=data.get("value_class"),
        provenance=data.get("provenance") or _provenance_from_metadata(data.get("metadata")),
    )


def _provenance_from_metadata(metadata: Any) -> dict[str, Any]:
    """Read mlte-python 0.2.x result metadata (measurement type and function) as provenance."""
    if not isinstance(metadata, dict):
        return {}
    found = {"measurement_type": metadata.get("measurement_type"), "function": metadata.get("info")}
    return {key: item for key, item in found.items() if item}
